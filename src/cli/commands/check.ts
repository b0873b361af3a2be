/**
 * `flushlab check`, `sweep`, `strategies`, `assumptions`: the model's answers outside
 * Jupyter. This interface is fixed (other tools depend on it):
 *   check --from E --to E --strategy S [--assume P[,name=value...]] [--requests N] [--dmas N] [--cold] [--json]
 *         [--why] [--trace shortest|uses-stale]
 *     exit 0 safe, 1 unsafe, 3 inconclusive, 2 bad input
 *   sweep --from E --to E --strategy S [--assume ...] [--json]
 */
import type { Command } from 'commander';
import { EXIT, UsageError, type Io } from '../io';
import { checkScenario } from '../../check/check';
import { OPEN_ASSUMPTIONS, openAssumptionsOf, rowCount } from '../../check/sweep';
import { sweepMany } from '../../check/parallel';
import { buildModel } from '../../model/build';
import { availableParallelism } from 'node:os';
import { ASSUMPTIONS, PRESETS } from '../../model/assumptions';
import { STRATEGIES } from '../../model/strategies';
import { TRANSITIONS } from '../../model/transitions';
import { own } from '../../own';
import type { CheckResult, ScenarioInput } from '../../check/result';
import { resultBlock } from '../../present/resultBlock';
import { traceToText } from '../../present/traceText';
import { printSweep } from './sweepOutput';
import { parseShard, runShard } from './shard';
import { budgetFromFlags, budgetOptions } from '../limits';
import type { Budget } from '../../engine/types';
import type { SweepRow } from '../../check/sweep';
import { MAIL_COLUMNS, hanging } from '../../present/plainText';
import { strategyList } from '../../present/strategyList';
import { resolveSmmuStrategyArg, resolveStrategyArg, STRATEGY_HELP } from '../strategyArg';
import { getStrategy } from '../../model/strategies';
import { formatStrategyLine } from '../../model/strategyLine';
import { strategyToText } from '../../present/strategyText';
import { stringify } from 'yaml';
import { explain } from '../../check/why';
import { TRACE_KINDS, usesStaleScenario, usesStaleText, type TraceKind } from '../../check/usesStale';
import { ARCHES, type Arch } from '../../model/build';
import { SMMU_TRANSITIONS } from '../../model/smmuv3/transitions';
import { SMMU_STRATEGIES } from '../../model/smmuv3/strategies';
import { SMMU_ASSUMPTIONS, SMMU_OPEN_ASSUMPTIONS, SMMU_PRESETS } from '../../model/smmuv3/assumptions';
import { buildSmmuModel } from '../../model/smmuv3/build';

export interface ScenarioFlags {
  arch?: string;
  from?: string;
  to?: string;
  transition?: string;
  strategy: string;
  assume: string;
  requests?: string;
  dmas?: string;
  pasid?: string;
  cold?: boolean;
  json?: boolean;
  why?: boolean;
  trace?: string;
  maxStates?: string;
  maxSeconds?: string;
  maxMemory?: string;
}

function count(text: string | undefined, what: string): number | undefined {
  if (text === undefined) return undefined;
  if (!/^[0-4]$/.test(text)) throw new UsageError(`--${what} must be an integer from 0 to 4, not '${text}'`);
  return Number(text);
}

/** --pasid: decimal or 0x-hex, 0 (RID_PASID) to 0xfffff (VT-d §9.6: 20-bit PASIDs). */
function pasidNumber(text: string): number {
  const n = /^(0x[0-9a-f]{1,5}|[0-9]{1,7})$/i.test(text) ? Number(text) : NaN;
  if (!(n >= 0 && n <= 0xfffff)) throw new UsageError(`--pasid must be a PASID from 0 (RID_PASID) to 0xfffff, not '${text.slice(0, 40)}'`);
  return n;
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

/** --arch: vtd (default) or smmuv3. */
export function archOf(text: string | undefined): Arch {
  if (text === undefined) return 'vtd';
  if (!(ARCHES as readonly string[]).includes(text)) throw new UsageError(`--arch must be one of ${ARCHES.join(', ')}, not '${text.slice(0, 40)}'`);
  return text as Arch;
}

/** --transition NAME (a standard transition, model/transitions.ts) or --from and --to. */
function entriesOf(o: ScenarioFlags): { from: string; to: string } {
  if (o.transition !== undefined) {
    if (o.from !== undefined || o.to !== undefined) throw new UsageError('give --transition or --from and --to, not both');
    const table: Readonly<Record<string, { from: string; to: string }>> = archOf(o.arch) === 'smmuv3' ? SMMU_TRANSITIONS : TRANSITIONS;
    const t = own(table, o.transition);
    if (!t) throw new UsageError(`unknown transition '${o.transition.slice(0, 40)}' (transitions: ${Object.keys(table).join(', ')})`);
    return { from: t.from, to: t.to };
  }
  if (o.from === undefined || o.to === undefined) throw new UsageError(`required option '--${o.from === undefined ? 'from' : 'to'} <entry>' not specified (or --transition <name>)`);
  return { from: o.from, to: o.to };
}

export function scenarioOf(o: ScenarioFlags): ScenarioInput {
  if (archOf(o.arch) === 'smmuv3') {
    // SMMUv3 strategies by name or from a file (strategyArg.ts resolveSmmuStrategyArg).
    const strategy = resolveSmmuStrategyArg(o.strategy) as ScenarioInput['strategy'];
    return {
      arch: 'smmuv3', ...entriesOf(o), strategy, assume: o.assume,
      ...(o.requests !== undefined ? { requests: count(o.requests, 'requests') } : {}),
      ...(o.dmas !== undefined ? { dmas: count(o.dmas, 'dmas') } : {}),
      ...(o.pasid !== undefined ? { pasid: pasidNumber(o.pasid) } : {}),
      cold: Boolean(o.cold),
    };
  }
  return {
    ...entriesOf(o), strategy: resolveStrategyArg(o.strategy), assume: o.assume,
    ...(o.requests !== undefined ? { requests: count(o.requests, 'requests') } : {}),
    ...(o.dmas !== undefined ? { dmas: count(o.dmas, 'dmas') } : {}),
    ...(o.pasid !== undefined ? { pasid: pasidNumber(o.pasid) } : {}),
    cold: Boolean(o.cold),
  };
}

function traceKind(text: string | undefined): TraceKind {
  if (text === undefined) return 'shortest';
  if ((TRACE_KINDS as readonly string[]).includes(text)) return text as TraceKind;
  throw new UsageError(`--trace must be one of ${TRACE_KINDS.join(', ')} (got '${text.slice(0, 40)}')`);
}

function budgetOf(o: ScenarioFlags): Partial<Budget> {
  return budgetFromFlags(o);
}

// Where the sweep printer lives (sweepOutput.ts); exported here as before.
export { inconclusiveRows } from './sweepOutput';

/** The JSON form of a check: stable key order, no timing (same input, same bytes). */
export function checkJson(r: CheckResult): Record<string, unknown> {
  return {
    ...(r.arch ? { arch: r.arch } : {}),
    name: r.name, from: r.from, to: r.to, pasid: r.pasid, strategy: r.strategy, assume: r.assume, assumptions: r.assumptions,
    requests: r.requests, dmas: r.dmas, cold: r.cold, verdict: r.verdict, states: r.states, transitions: r.transitions,
    properties: r.properties, notHitlessByDesign: r.notHitlessByDesign, violations: r.violations, cost: r.cost,
    ...(r.shortest === false ? { shortest: false } : {}),
    ...(r.exhausted ? { exhausted: r.exhausted } : {}),
    ...(r.stopReason ? { stopReason: r.stopReason } : {}),
  };
}

export function scenarioOptions(cmd: Command, strategy = true): Command {
  cmd
    .option('--from <entry>', 'old PASID entry, e.g. sl:did=5,ssptptr=0x1000 or off')
    .option('--to <entry>', 'new PASID entry')
    // Short forms, so that a whole command fits a 72-column mail line (flushlab reply).
    .option('-t, --transition <name>', `instead of --from and --to: one of ${Object.keys(TRANSITIONS).join(', ')} (--arch smmuv3: ${Object.keys(SMMU_TRANSITIONS).join(', ')})`)
    .option('--arch <arch>', 'vtd (default) or smmuv3: the IOMMU the scenario runs on; smmuv3 entries: s1:asid=1,ttb=0x1000, s2:vmid=1,s2ttb=0x1000, bypass, abort, off');
  if (strategy) cmd.requiredOption('-s, --strategy <s>', `a name (${Object.keys(STRATEGIES).join(', ')}), a file, or a one-line strategy (below)`);
  return cmd
    .option('-a, --assume <preset>', `preset (${Object.keys(PRESETS).join(', ')}; --arch smmuv3: ${Object.keys(SMMU_PRESETS).join(', ')}) with refinements: spec,coherent=false`, 'spec')
    .option('-r, --requests <n>', 'ATS Translation Requests the device issues, in total, each at any moment (default 2)')
    .option('-d, --dmas <n>', 'untranslated DMAs the device issues, in total, each at any moment (default 1)')
    .option('-p, --pasid <n>', 'the PASID the device uses: 0 is RID_PASID (requests without PASID, dev_tlb_inv), default 0x10')
    .option('--cold', 'start with empty caches (default: the old translation cached everywhere)')
    .option('--json', 'print JSON')
    .option('--why', 'also say what the verdict hinges on (re-checks with each open assumption flipped) and, if unsafe, where the strategy could have prevented it');
}

export function registerCheck(program: Command, io: Io, setExit: (code: number) => void): void {
  budgetOptions(scenarioOptions(program.command('check').description('check one strategy on one transition, every interleaving')))
    .option('--trace <kind>', `which run to print: ${TRACE_KINDS.join(' | ')} (default shortest: the shortest counterexample; uses-stale: the shortest run in which a DMA uses a stale translation, or a line saying there is none)`)
    .addHelpText('after', `${STRATEGY_HELP}

Examples:
  flushlab check --from sl:did=5,ssptptr=0x1000 --to sl:did=6,ssptptr=0x2000 \\
    --strategy jason --requests 1 --dmas 0
  flushlab check --from sl:did=5,ssptptr=0x1000 --to sl:did=6,ssptptr=0x2000 \\
    --strategy 'sync=clflush,pc;after=p_iotlb+devtlb' --assume jason --json
  flushlab check --from fl:did=5,fsptptr=0x1000 --to fl:did=6,fsptptr=0x2000 \\
    --strategy my-strategy.yaml --assume spec,coherent=false
  flushlab check -t slNewDid -s jason -r 1 -d 0 --trace uses-stale
  flushlab check --arch smmuv3 --from s1:asid=1,ttb=0x1000 \\
    --to s1:asid=2,ttb=0x2000 --strategy linux --requests 1 --dmas 0`)
    .action((o: ScenarioFlags) => {
      const kind = traceKind(o.trace);
      const input = scenarioOf(o);
      const r = asUsage(() => checkScenario(input, { budget: budgetOf(o) }));
      // Only on request: it re-checks the scenario once per flip (15 checks today).
      const why = o.why ? explain(input, r, { budget: budgetOf(o) }) : undefined;
      // A second search, so only on request too (src/check/usesStale.ts).
      const stale = kind === 'uses-stale' ? usesStaleScenario(input, r, { budget: budgetOf(o) }) : undefined;
      // The verdict's code first: a reader that closes the pipe must not turn it into 0.
      setExit(r.verdict === 'safe' ? EXIT.ok : r.verdict === 'unsafe' ? EXIT.unsafe : EXIT.inconclusive);
      if (o.json) {
        const usesStale = stale && { verdict: stale.verdict, states: stale.states, ...(stale.settledBy ? { settledBy: stale.settledBy } : {}), ...(stale.exhausted ? { exhausted: stale.exhausted } : {}), ...(stale.trace ? { trace: stale.trace } : {}) };
        io.out(JSON.stringify({ ...checkJson(r), ...(why ? { why } : {}), ...(usesStale ? { usesStale } : {}) }, null, 2));
      } else {
        const shortest = r.violations[0]?.trace.steps.length;
        io.out(resultBlock(r, { assume: o.assume, ...(why ? { why } : {}), ...(stale ? { trace: usesStaleText(stale, shortest) } : {}) }));
        // uses-stale: its run when there is one, else the shortest counterexample.
        if (stale?.trace) io.out(`\n${traceToText(stale.trace)}`);
        else for (const v of r.violations) io.out(`\n${traceToText(v.trace)}`);
      }
    });

  budgetOptions(scenarioOptions(program.command('sweep').description('check a strategy under every combination of the open assumptions')),
    'budget: seconds for the whole sweep (rows not reached are inconclusive; default: none)')
    .option('--vary <names>', `comma-separated open assumptions to vary (default: ${OPEN_ASSUMPTIONS.join(', ')}; --arch smmuv3: ${SMMU_OPEN_ASSUMPTIONS.join(', ')})`)
    .option('--workers <n>', 'worker threads (default: one per core when there are 64 rows or more)')
    .option('--shard <i/n>', 'compute only shard I of N of the rows, as JSON for `flushlab merge` (needs --json)')
    .addHelpText('after', `${STRATEGY_HELP}

Examples:
  flushlab sweep --from sl:did=5,ssptptr=0x1000 --to sl:did=6,ssptptr=0x2000 \\
    --strategy jason --requests 1 --dmas 0
  flushlab sweep --from sl:did=5,ssptptr=0x1000 --to sl:did=6,ssptptr=0x2000 \\
    --strategy 'sync=clflush,pc;after=devtlb' --vary pc-inv-drops-iotlb --json
  flushlab sweep --arch smmuv3 -t cdSameAsid -s jason-ordered -r 1 -d 0`)
    .action(async (o: ScenarioFlags & { vary?: string; workers?: string; shard?: string }) => {
      const shard = o.shard === undefined ? undefined : parseShard(o.shard);
      if (shard && !o.json) throw new UsageError('--shard writes JSON for flushlab merge: add --json');
      const open = openAssumptionsOf(archOf(o.arch));
      const variables = o.vary?.split(',').map((v) => v.trim()).filter(Boolean);
      if (variables) {
        for (const v of variables) if (!open.includes(v)) throw new UsageError(`--vary: '${v}' is not an open assumption${o.arch === 'smmuv3' ? ' for --arch smmuv3' : ''} (${open.join(', ')})`);
      }
      const input = asUsage(() => { const i = scenarioOf(o); if (i.arch === 'smmuv3') buildSmmuModel(i); else buildModel(i); return i; });
      const rows = rowCount(variables ?? open);
      const workers = o.workers !== undefined ? count(o.workers, 'workers') : rows >= 64 ? availableParallelism() : 1;
      // Rows are independent checks; worker threads give the same rows in the same order.
      // --max-seconds is the whole sweep's budget: each row gets what is left of it.
      const { maxMillis, ...budget } = budgetOf(o);
      const deadline = maxMillis === undefined ? undefined : Date.now() + maxMillis;
      const sweepOptions = { budget, workers: Math.max(1, workers ?? 1), ...(deadline !== undefined ? { deadline } : {}) };
      // --shard I/N (shard.ts): only this shard's rows, as JSON for `flushlab merge`.
      if (shard) return runShard(input, variables ?? [...open], shard, sweepOptions, io, setExit);
      const [r] = await sweepMany([input], { ...sweepOptions, ...(variables ? { variables } : {}) });
      printSweep(r, Boolean(o.json), io, setExit);
    });

  program.command('strategies')
    .description('list the strategies, each with the source it rests on; or print one, to start your own from')
    .argument('[name]', 'a built-in strategy to print')
    .option('--arch <arch>', 'vtd (default) or smmuv3')
    .option('--format <format>', 'with a name: text | yaml | line | json (default text)')
    .option('--json', 'print JSON (the list, or the named strategy as data)')
    .addHelpText('after', `
yaml prints the strategy as data: edit it and give the file to --strategy.
line prints it as a one-line strategy (check --help has the syntax).

Examples:
  flushlab strategies
  flushlab strategies --format yaml jason-ordered > mine.yaml
  flushlab check --from sl:did=5,ssptptr=0x1000 --to sl:did=6,ssptptr=0x2000 \\
    --strategy mine.yaml
  flushlab strategies --format line baolu`)
    .action((name: string | undefined, o: { format?: string; json?: boolean; arch?: string }) => {
      if (archOf(o.arch) === 'smmuv3') {
        const list = Object.values(SMMU_STRATEGIES);
        if (o.format !== undefined && o.format !== 'json' && o.format !== 'yaml') throw new UsageError(`--arch smmuv3 prints strategies as json or yaml, not ${o.format}`);
        if (name === undefined) {
          if (o.json || o.format === 'json') io.out(JSON.stringify(list.map((s) => ({ name: s.name, description: s.description, source: s.source })), null, 2));
          else io.out(strategyList(list));
          return;
        }
        const s = own(SMMU_STRATEGIES, name);
        if (!s) throw new UsageError(`unknown strategy '${name.slice(0, 40)}' for --arch smmuv3 (strategies: ${Object.keys(SMMU_STRATEGIES).join(', ')})`);
        const value = JSON.parse(JSON.stringify(s)) as Record<string, unknown>;
        io.out(o.format === 'yaml' ? stringify(value, { lineWidth: 72, aliasDuplicateObjects: false }) : JSON.stringify(value, null, 2));
        return;
      }
      const formats = ['text', 'yaml', 'line', 'json'];
      if (o.format !== undefined && !formats.includes(o.format)) throw new UsageError(`--format must be one of ${formats.join(', ')} (got '${o.format}')`);
      if (o.format !== undefined && o.json && o.format !== 'json') throw new UsageError(`--json and --format ${o.format} ask for two outputs; give one`);
      if (name === undefined) {
        if (o.format !== undefined && o.format !== 'text' && o.format !== 'json') throw new UsageError(`--format ${o.format} prints one strategy: name it (flushlab strategies --format ${o.format} jason)`);
        if (o.json || o.format === 'json') {
          io.out(JSON.stringify(Object.values(STRATEGIES).map((s) => ({ name: s.name, description: s.description, source: s.source })), null, 2));
          return;
        }
        io.out(strategyList(Object.values(STRATEGIES)));
        return;
      }
      const s = asUsage(() => getStrategy(name));
      const format = o.json ? 'json' : o.format ?? 'text';
      // A plain copy: the built-ins share action objects, which YAML would print as aliases.
      const value = JSON.parse(JSON.stringify(s)) as Record<string, unknown>;
      if (format === 'json') io.out(JSON.stringify(value, null, 2));
      else if (format === 'yaml') io.out(stringify(value, { lineWidth: 72, aliasDuplicateObjects: false }));
      else if (format === 'line') io.out(formatStrategyLine(s));
      else io.out(strategyToText(s));
    });

  program.command('assumptions').description('list the assumptions with their spec default, one line each')
    .option('--json', 'print JSON')
    .option('--arch <arch>', 'vtd (default) or smmuv3 (its own rows, then the PCIe rows it shares with VT-d)')
    .addHelpText('after', `
Examples:
  flushlab assumptions
  flushlab assumptions --json`)
    .action((o: { json?: boolean; arch?: string }) => {
    const ASSUMPTIONS_ = archOf(o.arch) === 'smmuv3' ? SMMU_ASSUMPTIONS : ASSUMPTIONS;
    if (o.json) {
      io.out(JSON.stringify(ASSUMPTIONS_.map((a) => ({ name: a.name, type: a.type, default: a.default, open: a.open, meaning: a.meaning, section: a.section, ...(a.values ? { values: a.values } : {}) })), null, 2));
      return;
    }
    const width = Math.max(...ASSUMPTIONS_.map((a) => a.name.length));
    const dw = Math.max(...ASSUMPTIONS_.map((a) => String(a.default).length));
    for (const a of ASSUMPTIONS_) {
      const values = a.type === 'enum' ? ` (one of ${a.values!.join(', ')})` : '';
      io.out(`${a.name.padEnd(width)}  ${String(a.default).padEnd(dw)}  ${a.open ? 'open ' : 'fixed'}  ${a.meaning}${values}`);
      io.out(`${' '.repeat(width + 2)}  from: ${a.section}`);
    }
  });
}
