import { checkScenario, type CheckOptions } from '../../src/explore/check';
import type { CheckResult, ScenarioInput } from '../../src/explore/result';

/** The thread's transitions, as compact entries. */
export const SL_NEW_DID = { from: 'sl:did=5,ssptptr=0x1000', to: 'sl:did=6,ssptptr=0x2000' };
export const FL_SAME_DID = { from: 'fl:did=5,fsptptr=0x1000', to: 'fl:did=5,fsptptr=0x2000' };
export const FL_NEW_DID = { from: 'fl:did=5,fsptptr=0x1000', to: 'fl:did=6,fsptptr=0x2000' };
/** Nested: second-stage pointer (and DID) in quantum 0, first-stage pointer in quantum 1. */
export const NESTED_NEW_DID = { from: 'nested:did=5,ssptptr=0x1000,fsptptr=0x3000', to: 'nested:did=6,ssptptr=0x2000,fsptptr=0x4000', requests: 1, dmas: 1 };

/** A check with a small workload (1 ATS request, 1 untranslated DMA) unless given. */
export function check(input: Partial<ScenarioInput> & { from: string; to: string; strategy: ScenarioInput['strategy'] }, options: CheckOptions = {}): CheckResult {
  return checkScenario({ requests: 1, dmas: 1, ...input }, options);
}

/** "safe", or "unsafe <property>", or "inconclusive". */
export function verdict(r: CheckResult): string {
  return r.verdict === 'unsafe' ? `unsafe ${r.violations[0].property}` : r.verdict;
}
