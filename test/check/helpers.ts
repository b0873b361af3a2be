import { checkScenario, type CheckOptions } from '../../src/check/check';
import type { CheckResult, ScenarioInput } from '../../src/check/result';

/** A check with a small workload (1 ATS request, 1 untranslated DMA) unless given. */
export function check(input: Partial<ScenarioInput> & { from: string; to: string; strategy: ScenarioInput['strategy'] }, options: CheckOptions = {}): CheckResult {
  return checkScenario({ requests: 1, dmas: 1, ...input }, options);
}

/** "safe", or "unsafe <property>", or "inconclusive". */
export function verdict(r: CheckResult): string {
  return r.verdict === 'unsafe' ? `unsafe ${r.violations[0].property}` : r.verdict;
}
