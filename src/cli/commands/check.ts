/**
 * `flushlab check`, `sweep`, `strategies`, `assumptions`: the model's answers outside
 * Jupyter. This interface is fixed (other tools depend on it):
 *   check --from E --to E --strategy S [--assume P[,name=value...]] [--requests N] [--dmas N] [--cold] [--json]
 *     exit 0 safe, 1 unsafe, 3 inconclusive, 2 bad input
 *   sweep --from E --to E --strategy S [--assume ...] [--json]
 */
import type { Command } from 'commander';
import { EXIT, UsageError, type Io } from '../io';
import { checkScenario } from '../../explore/check';
import { OPEN_ASSUMPTIONS } from '../../explore/sweep';
import { sweepMany } from '../../explore/parallel';
import { buildModel } from '../../explore/model';
import { availableParallelism } from 'node:os';
import { ASSUMPTIONS, PRESETS } from '../../hw/assumptions';
import { STRATEGIES } from '../../driver/strategies';
import type { CheckResult, ScenarioInput } from '../../explore/result';
import { resultBlock } from '../../present/resultBlock';
import { traceToText } from '../../present/traceText';
import { sweepToText } from '../../present/matrix';
import { budgetFromFlags, budgetOptions } from '../limits';
import type { Budget } from '../../explore/engine/types';
import type { SweepRow } from '../../explore/sweep';
import { MAIL_COLUMNS, hanging } from '../../present/plainText';

interface ScenarioFlags {
  from: string;
  to: string;
  strategy: string;
  assume: string;
  requests?: string;
  dmas?: string;
  cold?: boolean;
  json?: boolean;
  maxStates?: string;
  maxSeconds?: string;
  maxMemory?: string;
}

function count(text: string | undefined, what: string): number | undefined {
  if (text === undefined) return undefined;
  if (!/^[0-4]$/.test(text)) throw new UsageError(`--${what} must be an integer from 0 to 4, not '${text}'`);
  return Number(text);
}

/** Model errors (bad entry, unknown strategy or assumption) are bad input: one line, exit 2. */
export function asUsage<T>(f: () => T): T {
  try {
    return f();
  } catch (err) {
    if (err instanceof UsageError) throw err;
    const name = err instanceof Error ? err.name : '';
    if (['ScenarioError', 'SpecError', 'StrategyError', 'AssumptionError'].includes(name)) throw new UsageError((err as Error).message);
    throw err;
  }
}

function scenarioOf(o: ScenarioFlags): ScenarioInput {
  return {
    from: o.from, to: o.to, strategy: o.strategy, assume: o.assume,
    ...(o.requests !== undefined ? { requests: count(o.requests, 'requests') } : {}),
    ...(o.dmas !== undefined ? { dmas: count(o.dmas, 'dmas') } : {}),
    cold: Boolean(o.cold),
  };
}

function budgetOf(o: ScenarioFlags): Partial<Budget> {
  return budgetFromFlags(o);
}

const SHOWN_ROWS = 16;

/** Which rows of a sweep a budget left open: each as its bits, in the order of the variables. */
export function inconclusiveRows(variables: readonly string[], rows: readonly SweepRow[]): string {
  const bits = rows.map((row) => variables.map((v) => (row.assumptions[v] ? '1' : '0')).join(''));
  const more = bits.length > SHOWN_ROWS ? ` (and ${bits.length - SHOWN_ROWS} more)` : '';
  return hanging('Inconclusive: ', `${rows.length} row${rows.length === 1 ? '' : 's'} (a budget ran out), as bits of ${variables.join(', ')}: ${bits.slice(0, SHOWN_ROWS).join(' ')}${more}`, 2, MAIL_COLUMNS).join('\n');
}

/** The JSON form of a check: stable key order, no timing (same input, same bytes). */
export function checkJson(r: CheckResult): Record<string, unknown> {
  return {
    name: r.name, from: r.from, to: r.to, strategy: r.strategy, assume: r.assume, assumptions: r.assumptions,
    requests: r.requests, dmas: r.dmas, cold: r.cold, verdict: r.verdict, states: r.states, transitions: r.transitions,
    properties: r.properties, notHitlessByDesign: r.notHitlessByDesign, violations: r.violations, cost: r.cost,
    ...(r.exhausted ? { exhausted: r.exhausted } : {}),
    ...(r.stopReason ? { stopReason: r.stopReason } : {}),
  };
}

function scenarioOptions(cmd: Command): Command {
  return cmd
    .requiredOption('--from <entry>', 'old PASID entry, e.g. sl:did=5,ssptptr=0x1000 or off')
    .requiredOption('--to <entry>', 'new PASID entry')
    .requiredOption('--strategy <name>', `one of ${Object.keys(STRATEGIES).join(', ')}`)
    .option('--assume <preset>', `preset (${Object.keys(PRESETS).join(', ')}) with refinements: spec,coherent=false`, 'spec')
    .option('--requests <n>', 'ATS Translation Requests the device may issue (default 2)')
    .option('--dmas <n>', 'untranslated DMAs the device may issue (default 1)')
    .option('--cold', 'start with empty caches (default: the old translation cached everywhere)')
    .option('--json', 'print JSON');
}

export function registerCheck(program: Command, io: Io, setExit: (code: number) => void): void {
  budgetOptions(scenarioOptions(program.command('check').description('check one strategy on one transition, every interleaving')))
    .action((o: ScenarioFlags) => {
      const r = asUsage(() => checkScenario(scenarioOf(o), { budget: budgetOf(o) }));
      // The verdict's code first: a reader that closes the pipe must not turn it into 0.
      setExit(r.verdict === 'safe' ? EXIT.ok : r.verdict === 'unsafe' ? EXIT.unsafe : EXIT.inconclusive);
      if (o.json) io.out(JSON.stringify(checkJson(r), null, 2));
      else {
        io.out(resultBlock(r, { assume: o.assume }));
        for (const v of r.violations) io.out(`\n${traceToText(v.trace)}`);
      }
    });

  budgetOptions(scenarioOptions(program.command('sweep').description('check a strategy under every combination of the open assumptions')),
    'budget: seconds for the whole sweep (rows not reached are inconclusive; default: none)')
    .option('--vary <names>', `comma-separated open assumptions to vary (default: ${OPEN_ASSUMPTIONS.join(', ')})`)
    .option('--workers <n>', 'worker threads (default: one per core when there are 64 rows or more)')
    .action(async (o: ScenarioFlags & { vary?: string; workers?: string }) => {
      const variables = o.vary?.split(',').map((v) => v.trim()).filter(Boolean);
      if (variables) {
        for (const v of variables) if (!OPEN_ASSUMPTIONS.includes(v)) throw new UsageError(`--vary: '${v}' is not an open assumption (${OPEN_ASSUMPTIONS.join(', ')})`);
      }
      const input = asUsage(() => { const i = scenarioOf(o); buildModel(i); return i; });
      const rows = 2 ** (variables ?? OPEN_ASSUMPTIONS).length;
      const workers = o.workers !== undefined ? count(o.workers, 'workers') : rows >= 64 ? availableParallelism() : 1;
      // Rows are independent checks; worker threads give the same rows in the same order.
      // --max-seconds is the whole sweep's budget: each row gets what is left of it.
      const { maxMillis, ...budget } = budgetOf(o);
      const deadline = maxMillis === undefined ? undefined : Date.now() + maxMillis;
      const [r] = await sweepMany([input], { budget, workers: Math.max(1, workers ?? 1), ...(variables ? { variables } : {}), ...(deadline !== undefined ? { deadline } : {}) });
      // The code first (io.ts): a sweep with an inconclusive row answers nothing for sure.
      const open = r.rows.filter((row) => row.verdict === 'inconclusive');
      setExit(open.length > 0 ? EXIT.inconclusive : EXIT.ok);
      if (o.json) {
        io.out(JSON.stringify({ strategy: r.strategy, from: r.from, to: r.to, base: r.base, variables: r.variables, condition: r.condition, states: r.states, rows: r.rows }, null, 2));
      } else {
        io.out(sweepToText(r));
        if (open.length > 0) io.out(inconclusiveRows(r.variables, open));
      }
    });

  program.command('strategies').description('list the strategies, one line each').action(() => {
    const width = Math.max(...Object.keys(STRATEGIES).map((n) => n.length));
    for (const s of Object.values(STRATEGIES)) io.out(`${s.name.padEnd(width)}  ${s.description}`);
  });

  program.command('assumptions').description('list the assumptions with their spec default, one line each').action(() => {
    const width = Math.max(...ASSUMPTIONS.map((a) => a.name.length));
    for (const a of ASSUMPTIONS) io.out(`${a.name.padEnd(width)}  ${String(a.default).padEnd(5)} ${a.open ? 'open ' : 'fixed'}  ${a.meaning}`);
  });
}
