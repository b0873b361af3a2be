/**
 * `flushlab compare A B … --from … --to …`: strategies side by side on one scenario, in
 * 72 columns: verdicts, cost, and the first driver step at which their runs diverge.
 * Exit code: 0 when every strategy is safe, 1 when any is unsafe, 3 when any check is
 * inconclusive (and none unsafe).
 */
import type { Command } from 'commander';
import { EXIT, UsageError, type Io } from '../io';
import { archOf, asUsage, checkJson, scenarioOf, scenarioOptions, type ScenarioFlags } from './check';
import { compareStrategies } from '../../check/compare';
import { comparisonToText, columnNames } from '../../present/compareText';
import { budgetFromFlags, budgetOptions } from '../limits';
import { resolveStrategyArg, STRATEGY_HELP } from '../strategyArg';

/** At most this many columns fit 72 columns with a label column. */
export const MAX_COMPARED = 4;

export function registerCompare(program: Command, io: Io, setExit: (code: number) => void): void {
  budgetOptions(scenarioOptions(program.command('compare')
    .description('strategies side by side on one scenario: verdicts, cost, where their runs diverge')
    .argument('<strategy...>', `two to ${MAX_COMPARED} strategies: names, files or one-line strategies`), false))
    .addHelpText('after', `${STRATEGY_HELP}

Exit code 0 when every strategy is safe, 1 when one is unsafe, 3 when a check is
inconclusive (and none unsafe).

Examples:
  flushlab compare jason baolu --from sl:did=5,ssptptr=0x1000 \\
    --to sl:did=6,ssptptr=0x2000 --requests 1 --dmas 0
  flushlab compare jason 'sync=clflush,pc;after=p_iotlb+devtlb' \\
    --from fl:did=5,fsptptr=0x1000 --to fl:did=6,fsptptr=0x2000 --json
  flushlab compare linux baolu --arch smmuv3 -t cdSameAsid -r 1 -d 0`)
    .action((names: string[], o: Omit<ScenarioFlags, 'strategy'>) => {
      if (names.length < 2 || names.length > MAX_COMPARED) throw new UsageError(`compare takes 2 to ${MAX_COMPARED} strategies (got ${names.length})`);
      // SMMUv3 strategies by name or file (scenarioOf reads each), VT-d's in any of the three forms.
      const smmu = archOf(o.arch) === 'smmuv3';
      const strategies = smmu ? names.map((n) => scenarioOf({ ...o, strategy: n }).strategy) : names.map(resolveStrategyArg);
      const { strategy: _unused, ...input } = scenarioOf({ ...o, strategy: names[0]! });
      const c = asUsage(() => compareStrategies(input, strategies, { budget: budgetFromFlags(o) }));
      const verdicts = c.results.map((r) => r.verdict);
      setExit(verdicts.includes('unsafe') ? EXIT.unsafe : verdicts.includes('inconclusive') ? EXIT.inconclusive : EXIT.ok);
      if (o.json) {
        io.out(JSON.stringify({
          columns: columnNames(c.results),
          results: c.results.map(checkJson),
          divergences: c.divergences,
          runs: c.runs,
        }, null, 2));
      } else io.out(comparisonToText(c));
    });
}
