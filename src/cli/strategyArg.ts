/**
 * What `--strategy` names: a built-in strategy (`jason`), a one-line strategy
 * (`sync=clflush,pc;after=p_iotlb+devtlb`, src/model/strategyLine.ts) or a file holding one as
 * data (`my.yaml`, src/scenarios/strategyFile.ts). Anything wrong is one line (exit 2).
 */
import { existsSync } from 'node:fs';
import { UsageError } from './io';
import { own } from '../own';
import { STRATEGIES, type Strategy } from '../model/strategies';
import { isStrategyLine, parseStrategyLine, STRATEGY_LINE_EXAMPLE } from '../model/strategyLine';
import { ScenarioFileError } from '../scenarios/scenarioFile';
import { readStrategyFile } from '../scenarios/strategyFile';
import { quote } from './oneLine';
import { SMMU_STRATEGIES, validateSmmuStrategy, type SmmuStrategy } from '../model/smmuv3/strategies';

export function resolveStrategyArg(text: string): string | Strategy {
  if (own(STRATEGIES, text)) return text;
  if (isStrategyLine(text)) {
    try { return parseStrategyLine(text); } catch (e) { throw new UsageError((e as Error).message); }
  }
  if (/[./\\]/.test(text) || existsSync(text)) {
    try { return readStrategyFile(text); } catch (e) {
      if (e instanceof ScenarioFileError) throw new UsageError(e.line > 0 ? e.message : `${e.file}: ${e.problem}`);
      throw e;
    }
  }
  throw new UsageError(`unknown strategy '${quote(text)}' (strategies: ${Object.keys(STRATEGIES).join(', ')}; or a file, or a line like '${STRATEGY_LINE_EXAMPLE}')`);
}

/**
 * `--strategy` with --arch smmuv3: a built-in SMMUv3 strategy or a file holding one as data
 * (`flushlab strategies --arch smmuv3 --format yaml linux`); the one-line grammar is VT-d's.
 */
export function resolveSmmuStrategyArg(text: string): string | SmmuStrategy {
  if (own(SMMU_STRATEGIES, text)) return text;
  if (!isStrategyLine(text) && (/[./\\]/.test(text) || existsSync(text))) {
    try { return readStrategyFile(text, validateSmmuStrategy); } catch (e) {
      if (e instanceof ScenarioFileError) throw new UsageError(e.line > 0 ? e.message : `${e.file}: ${e.problem}`);
      throw e;
    }
  }
  if (isStrategyLine(text)) throw new UsageError(`'${quote(text)}': the one-line strategy grammar is VT-d's; with --arch smmuv3 give a name or a file (flushlab strategies --arch smmuv3 --format yaml linux > my.yaml)`);
  throw new UsageError(`unknown strategy '${quote(text)}' for --arch smmuv3 (strategies: ${Object.keys(SMMU_STRATEGIES).join(', ')}; or a file: flushlab strategies --arch smmuv3 --format yaml linux > my.yaml)`);
}

/** The --strategy help: the three forms and the grammar in short. */
export const STRATEGY_HELP = `
--strategy takes a built-in name (flushlab strategies), a file holding a strategy
as data (flushlab strategies --format yaml jason > my.yaml, then edit it), or a
strategy in one line:
  part;part;...   parts: name=N  writer=entry_sync|clear-then-write|struct-copy
                  sync=ACTIONS (every writer sync)  sync[P1->P0|P0->P1]=ACTIONS
                  after=ACTIONS (once, after the writer returns)
  ACTIONS         none, or actions separated by ','
  action          clflush (only if not coherent), or descriptors joined by '+'
                  into one submission, waited unless followed by !nowait;
                  @cm: only under caching mode, @nc: only if not coherent
  descriptors     pc[.domain|.global]  p_iotlb  iotlb.domain|iotlb.global
                  iotlb_by_pgtt  devtlb  wait[.fn]; ':new' names the new DID
                  (default: the old entry's)
  e.g. '${STRATEGY_LINE_EXAMPLE}' is jason-ordered on a live entry:
  each sync a clflush and a waited PC inv, then P_IOTLB and Device-TLB
  inv in one waited submission.
With --arch smmuv3: a name (flushlab strategies --arch smmuv3) or a file
(strategies --arch smmuv3 --format yaml linux > my.yaml), not a line.`;
