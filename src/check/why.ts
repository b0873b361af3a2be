/**
 * Why a verdict is what it is (`check --why`):
 *
 * - Hinges on: the open assumptions whose flip changes the verdict, computed by checking
 *   the scenario again with one open assumption changed at a time (a boolean to the other
 *   value, an enum to each other value), everything else as it was.
 * - For `unsafe`, where the strategy could have prevented it: the last driver step up to
 *   the violating step (when that is the return: just before it). Nothing the driver does
 *   later comes before the violation, so that is the strategy's last chance; the cache the violation names (ATC,
 *   IOTLB, PASID cache, a completion in flight) says which invalidation, issued and waited
 *   for there, would remove the stale translation.
 * - For `safe`, what blocks the nearest weaker strategy's counterexample here (replay.ts).
 */
import { ASSUMPTIONS, SPEC_DEFAULTS } from '../model/assumptions';
import type { Verdict } from '../engine/types';
import { checkScenario, type CheckOptions } from './check';
import type { CheckResult, ScenarioInput } from './result';
import { openAssumptionsOf } from './sweep';
import { SMMU_ASSUMPTIONS, SMMU_SPEC_DEFAULTS } from '../model/smmuv3/assumptions';
import { explainSafe, type Blocked } from './replay';

export interface Hinge {
  assumption: string;
  /** The flipped value, and what the check answers with it. */
  value: boolean | number | string;
  verdict: Verdict;
  properties: string[];
}

export interface PreventAt {
  /** 1-based trace step of the last driver step before the violation. */
  step: number;
  text: string;
  /** Whether that step is the return (then: before it). */
  isReturn: boolean;
  /** The invalidation that removes what the violation names. */
  remedy: string;
}

export interface Why {
  hinges: Hinge[];
  /** How many re-checks that took. */
  rechecks: number;
  preventAt?: PreventAt;
  /** For `safe`: the nearest weaker strategy's counterexample replayed here (replay.ts). */
  replay?: Blocked;
}

function assumeText(values: Readonly<Record<string, boolean | number | string>>, defaults: Readonly<Record<string, unknown>> = SPEC_DEFAULTS): string {
  const changes = Object.keys(values).filter((k) => values[k] !== defaults[k]).map((k) => `${k}=${String(values[k])}`);
  return ['spec', ...changes].join(',');
}

/** Which invalidation removes what a violation's reason names (VT-d 6.5.2.4-6.5.2.6). */
export function remedyFor(reason: string): string {
  if (/ATC|Translation Completion/.test(reason)) return 'a Device-TLB invalidation (dev_tlb_inv / p_dev_tlb_inv), waited for';
  if (/IOTLB/.test(reason)) return 'an IOTLB invalidation of the old DID (p_iotlb_inv / iotlb_inv), waited for';
  if (/PASID cache/.test(reason)) return 'a PASID-cache invalidation (pc_inv), waited for';
  if (/untranslated DMA/.test(reason)) return 'invalidations of every cache holding the old translation, waited for, before the pages are freed';
  return 'an invalidation of the cache that holds the old translation, waited for';
}

/**
 * The same for SMMUv3's parts (IHI 0070 G.b §4.3-§4.5 commands, §4.7.3 CMD_SYNC): the
 * reasons are model/smmuv3/properties.ts's.
 */
export function smmuRemedyFor(reason: string): string {
  if (/ATC|Translation Completion/.test(reason)) return 'a CMD_ATC_INV, then a CMD_SYNC waited for';
  if (/TLB/.test(reason)) return 'a CMD_TLBI_NH_ASID / CMD_TLBI_S12_VMALL of the old ASID/VMID, then a CMD_SYNC waited for';
  if (/configuration cache/.test(reason)) return 'a CMD_CFGI_STE / CMD_CFGI_CD, then a CMD_SYNC waited for';
  if (/untranslated DMA/.test(reason)) return 'invalidations of every cache holding the old translation, each completed by a CMD_SYNC, before the pages are freed';
  return 'an invalidation of the cache that holds the old translation, then a CMD_SYNC waited for';
}

export function explain(input: ScenarioInput, result: CheckResult, options: CheckOptions = {}): Why {
  const hinges: Hinge[] = [];
  let rechecks = 0;
  const smmu = input.arch === 'smmuv3';
  for (const name of openAssumptionsOf(input.arch)) {
    const a = (smmu ? SMMU_ASSUMPTIONS : ASSUMPTIONS).find((x) => x.name === name)!;
    const current = result.assumptions[name];
    const others = a.type === 'enum' ? a.values!.filter((v) => v !== current) : [!current];
    for (const value of others) {
      const r = checkScenario({ ...input, assume: assumeText({ ...result.assumptions, [name]: value }, smmu ? SMMU_SPEC_DEFAULTS : SPEC_DEFAULTS) }, options);
      rechecks++;
      if (r.verdict !== result.verdict) hinges.push({ assumption: name, value, verdict: r.verdict, properties: [...new Set(r.violations.map((v) => v.property))] });
    }
  }
  const why: Why = { hinges, rechecks };
  const trace = result.violations[0]?.trace;
  if (trace?.violation) {
    const before = trace.steps.slice(0, trace.violation.step).filter((s) => s.lane === 'driver');
    const last = before[before.length - 1];
    if (last) why.preventAt = { step: last.index, text: last.text, isReturn: /strategy returns/.test(last.text), remedy: (smmu ? smmuRemedyFor : remedyFor)(trace.violation.reason) };
  }
  if (result.verdict === 'safe') {
    const replay = explainSafe(input, options);
    // The run itself is for drawing (notebooks); the CLI says where it stops.
    if (replay) { const { trace: _run, ...rest } = replay; why.replay = rest; }
  }
  return why;
}
