/**
 * Strategies side by side on one scenario: each checked, and the driver's runs compared.
 * A strategy's run on the driver is its program (model/program.ts): the writer's stores,
 * clflushes, submissions with their descriptors, polls and the return, in order — the same
 * in every interleaving, so two strategies' runs diverge at one step, the first at which
 * their programs differ.
 */
import { describeDescriptor } from '../formats/descriptors';
import { buildModel, type Model } from '../model/build';
import type { DriverOp } from '../model/program';
import type { Strategy } from '../model/strategies';
import { checkModel, type CheckOptions } from './check';
import type { CheckResult, ScenarioInput } from './result';
import { buildSmmuModel, type SmmuModel } from '../model/smmuv3/build';
import { describeCommand, type SmmuOp } from '../model/smmuv3/program';
import { checkSmmuModel } from './smmuv3';

/** One driver step in words, as the trace says it (without the queue index of a poll). */
export function driverOpText(op: DriverOp): string {
  switch (op.op) {
    case 'store': return `writer step ${op.stepIndex + 1} (${op.step}): ${op.store.words.length * 64}-bit store to quantum ${op.store.quantum}`;
    case 'clflush': return `clflush (${op.context})`;
    case 'submit': return `submit ${op.descriptors.map(describeDescriptor).join(' + ')} (${op.context})`;
    case 'poll': return `wait for the wait descriptor (${op.context})`;
    case 'return': return 'return';
  }
}

export interface Comparison {
  results: CheckResult[];
  /** Each strategy's driver run, one text per step. */
  runs: string[][];
  /**
   * For each strategy after the first: the first driver step (1-based) at which its run
   * differs from the first strategy's, and what each does there (null: it has returned);
   * null when the two runs are the same.
   */
  divergences: ({ step: number; first: string | null; other: string | null } | null)[];
}

export function driverRun(model: Model): string[] {
  return model.ctx.program.ops.map(driverOpText);
}

/** One SMMUv3 driver step in words, as its trace says it (model/smmuv3/driver.ts). */
export function smmuDriverOpText(op: SmmuOp): string {
  switch (op.op) {
    case 'store': return `writer step ${op.stepIndex + 1} (${op.structure} ${op.step}): 64-bit store to ${op.structure} qword ${op.structure === 'CD' ? op.word - 8 : op.word}`;
    case 'submit': return `submit ${op.commands.map(describeCommand).join(' + ')} (${op.context})`;
    case 'poll': return `wait for the CMD_SYNC (${op.context})`;
    case 'return': return 'return';
  }
}

export function smmuDriverRun(model: SmmuModel): string[] {
  return model.ctx.program.ops.map(smmuDriverOpText);
}

export function compareStrategies(input: Omit<ScenarioInput, 'strategy'>, strategies: readonly (string | Strategy)[], options: CheckOptions = {}): Comparison {
  let runs: string[][];
  let results: CheckResult[];
  if (input.arch === 'smmuv3') {
    // SMMUv3 strategies: names or values (model/smmuv3/strategies.ts), checked by the build.
    const models = strategies.map((strategy) => buildSmmuModel({ ...input, strategy }, options));
    runs = models.map(smmuDriverRun);
    results = models.map((m) => checkSmmuModel(m, options));
  } else {
    const models = strategies.map((strategy) => buildModel({ ...input, strategy }, options));
    runs = models.map(driverRun);
    results = models.map((m) => checkModel(m, options));
  }
  const divergences = runs.slice(1).map((other) => {
    const base = runs[0]!;
    for (let i = 0; i < Math.max(base.length, other.length); i++) {
      if (base[i] !== other[i]) return { step: i + 1, first: base[i] ?? null, other: other[i] ?? null };
    }
    return null;
  });
  return { results, runs, divergences };
}
