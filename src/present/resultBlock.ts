/**
 * A check's answer as a block in the shape litmus readers know from herd7, so it can be
 * read at a glance and compared by a script:
 *
 *     Test jason-sl-sl-new-did Allowed
 *     Ok
 *       stale-after-return at step 17: the device used ...
 *     Condition exists (stale-after-return \/ hitless \/ torn-fill \/
 *       termination)
 *     Verdict unsafe stale-after-return
 *     ...scenario, strategy, assumptions, workload, cost...
 *     Explored 4211 states; stopped at the first violation
 *     Hash=0123...
 *
 * Only the lines whose herd7 meaning holds keep herd7's label. As in a litmus test the
 * condition names the bad outcome: `exists` a reachable state violating one of the
 * properties, so `Ok` means it was validated (a violation is reachable: unsafe) and `No`
 * that it was not (safe), the way `Result: Never` reads in the kernel's litmus tests; an
 * inconclusive check claims neither: `Unknown`. herd7's `States n` (final states listed),
 * `Positive`/`Negative` and the counts of `Observation ... Sometimes p n` are counts over
 * every final state; the search here stops at the first violation, and exploring on to
 * count final states would cost many times the states (no-flush SL->SL: 5 -> 19,102;
 * jason on the nested change at the default workload: 18,828 -> 845,731; README, "How to
 * read the result block"), so those lines are not printed: `Explored n states` says what
 * the search did instead. No wall time is printed unless asked for (herd7's `Time` line), so
 * the block is the same on every run.
 */
import type { CheckResult } from '../check/result';
import type { Why } from '../check/why';
import type { Blocked } from '../check/replay';
import { formatExpectation, matchesExpectation, outcomeOf, scenarioHash, type Expectation } from '../scenarios/scenarioFile';
import { PRESETS, PRESET_NAMES, SPEC_DEFAULTS } from '../model/assumptions';
import { SMMU_SPEC_DEFAULTS } from '../model/smmuv3/assumptions';
import { MAIL_COLUMNS, hanging, toAscii } from './plainText';

/** The spec reading of every assumption (derived from the table in src/model/assumptions.ts). */
export { SPEC_DEFAULTS };

export interface ResultBlockOptions {
  /** The scenario's expected result; adds an `Expected ... (ok|MISMATCH)` line. */
  expected?: Expectation;
  /** Overrides the hash (e.g. when the strategy was a value, not a name). */
  hash?: string;
  /**
   * The spec default of every assumption: only assumptions that differ from it are
   * listed. Default: the assumption table's defaults.
   */
  defaults?: Readonly<Record<string, boolean | number | string>>;
  /**
   * The assumption string as the user gave it (`jason,coherent=false`): its preset is
   * named. Default: the result's own `assume`.
   */
  assume?: string;
  /** Adds herd7's `Time` line (wall time differs between runs). */
  time?: boolean;
  /** `check --why`: adds `Hinges on` (and for unsafe `Prevent`) after the verdict. */
  why?: Why;
  /** `check --trace uses-stale`: a `Trace` line saying which run follows the block. */
  trace?: string;
}

/** The `Hinges on` text: each flip that changes the verdict, and what it gives. */
export function hingesText(why: Why): string {
  if (why.hinges.length === 0) return `no single open assumption (${why.rechecks} flips checked, none changes it)`;
  return why.hinges.map((h) => `${h.assumption}=${String(h.value)} (${[h.verdict, ...h.properties].join(' ')})`).join(', ');
}

/**
 * The `Blocks` line of a safe verdict: the weaker strategy's counterexample, where the
 * replay here stops (a step that cannot happen, or the violation gone at its step), and
 * this strategy's step that does it, with its submission. Step numbers are the replay's.
 */
export function replayText(b: Blocked): string {
  const short = (t: string) => t.replace(/^(CPU|IOMMU|Device): /, '');
  const head = `${b.weaker}'s counterexample (${b.property}, ${b.weakerSteps} steps)`;
  if (!b.blocked || !b.at) return `${head} happens here too`;
  const where = b.at.violationGone
    ? `at its step ${b.at.step} (${/strategy returns/.test(b.at.text) ? 'the return' : short(b.at.text)}) the violation is gone`
    : `its step ${b.at.step} (${short(b.at.text)}) cannot happen`;
  const by = b.by ? `, after replay step ${b.by.step} (${short(b.by.text)})${b.by.submittedAt ? `, submitted at replay step ${b.by.submittedAt.step} (${short(b.by.submittedAt.text)})` : ''}` : '';
  return `${head}: ${where}${by}`;
}

/**
 * What `caching-mode=true` covers: VT-d §6.2.2/§6.2.3 (CM=1 may cache not-present entries,
 * PASID-cache entries that would fault tagged DID 0) and one trap per submission (cost).
 * Not the host side of a virtual IOMMU: its shadow tables learn of a change only from the
 * invalidations it traps, which the model does not follow.
 */
export const CACHING_MODE_NOTE = 'caching mode covers CM=1 caching of not-present entries (DID 0, VT-d 6.2.3) and a trap per submission; the host shadowing what trapped invalidations tell it is not modelled';

/** The preset a user named: the first element of the assumption string without '='. */
export function presetOf(assume: string): string {
  const first = assume.split(',').map((s) => s.trim()).find((s) => s && !s.includes('='));
  return first ?? 'spec';
}

/**
 * The preset to name in the block: the one the user typed if known, else the largest
 * preset whose every setting holds (a result carries only resolved values, and
 * `jason` reads better than `spec` followed by Jason's two settings).
 */
export function presetFor(assumptions: Readonly<Record<string, boolean | number | string>>, typed?: string): string {
  const named = typed?.split(',').map((s) => s.trim()).find((s) => s && !s.includes('='));
  if (named) return named;
  let best = 'spec';
  let size = 0;
  for (const name of PRESET_NAMES) {
    const settings: Readonly<Record<string, boolean | number | string>> = PRESETS[name];
    // A setting equal to the spec reading tells nothing (baolu's drain-scope is the default).
    const keys = Object.keys(settings).filter((k) => settings[k] !== SPEC_DEFAULTS[k as keyof typeof SPEC_DEFAULTS]);
    if (keys.length > size && keys.every((k) => assumptions[k] === settings[k])) { best = name; size = keys.length; }
  }
  return best;
}

/** The assumptions that differ from the spec defaults, as `name=value`, in table order. */
export function assumptionChanges(assumptions: Readonly<Record<string, boolean | number | string>>, defaults?: Readonly<Record<string, boolean | number | string>>): string[] {
  const names = defaults ? Object.keys(defaults) : Object.keys(assumptions);
  const extra = Object.keys(assumptions).filter((k) => !names.includes(k)).sort();
  return [...names, ...extra]
    .filter((k) => k in assumptions && (!defaults || assumptions[k] !== defaults[k]))
    .map((k) => `${k}=${String(assumptions[k])}`);
}

// Descriptor types in the order a strategy issues them (docs/kernel.md#teardown), then any other.
const DESCRIPTOR_ORDER = ['cc_inv', 'pc_inv', 'iotlb_inv', 'p_iotlb_inv', 'dev_tlb_inv', 'p_dev_tlb_inv', 'inv_wait'];

export function costLine(cost: CheckResult['cost']): string {
  return costParts(cost).join(', ');
}

/** The descriptors, then the rest (one line each in the result block). */
export function costParts(cost: CheckResult['cost'], arch?: CheckResult['arch']): [string, string] {
  // SMMUv3: commands in the queue, ATC invalidations (CMD_ATC_INV); no clflush.
  const smmu = arch === 'smmuv3';
  const types = Object.keys(cost.descriptors).filter((t) => cost.descriptors[t] > 0);
  types.sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
  const total = types.reduce((s, t) => s + cost.descriptors[t], 0);
  // name=count tokens so that wrapping never separates a type from its count.
  const list = types.map((t) => `${t}=${cost.descriptors[t]}`).join(' ');
  const plural = (k: number, one: string, many = `${one}s`) => `${k} ${k === 1 ? one : many}`;
  return [
    `${plural(total, smmu ? 'command' : 'descriptor')}${list ? ` (${list})` : ''}`,
    [plural(cost.submissions, 'submission'),
    plural(cost.waits, smmu ? 'CMD_SYNC wait' : 'wait'),
    smmu ? plural(cost.devtlbInvalidations, 'ATC inv', 'ATC invs') : plural(cost.devtlbInvalidations, 'Device-TLB inv', 'Device-TLB invs'),
    plural(cost.syncs, smmu ? 'writer sync' : 'sync'),
    ...(smmu ? [] : [plural(cost.clflushes, 'clflush', 'clflushes')])].join(', '),
  ];
}

function rank(t: string): number {
  const i = DESCRIPTOR_ORDER.indexOf(t);
  return i < 0 ? DESCRIPTOR_ORDER.length : i;
}

/** Said under a counterexample the search could not show to be the shortest. */
export const NOT_SHORTEST = 'a counterexample, maybe not the shortest: the search for the shortest (without the partial-order reduction) ran out of budget';

/** How far the search went: what the `Explored` count is a count of. */
function exploredHow(r: CheckResult): string {
  if (r.verdict === 'unsafe') return 'stopped at the first violation';
  if (r.verdict === 'safe') return 'every reachable state, no violation';
  return `stopped when ${r.stopReason ?? `the ${r.exhausted ?? 'search'} budget ran out`}`;
}

export function resultBlock(r: CheckResult, options: ResultBlockOptions = {}): string {
  const W = MAIL_COLUMNS;
  const name = toAscii(r.name).replace(/\s+/g, '-');
  const out: string[] = [];
  const add = (head: string, text: string) => out.push(...hanging(head, text, 2, W));
  const found = r.violations.length;
  out.push(...hanging('', `Test ${name} Allowed`, 2, W));
  const conclusive = r.verdict !== 'inconclusive';
  out.push(conclusive ? (found > 0 ? 'Ok' : 'No') : 'Unknown');
  for (const v of r.violations) {
    const step = v.trace.violation?.step ?? v.trace.steps.length;
    add('  ', `${v.property} at step ${step}: ${v.trace.violation?.reason ?? 'violated'}`);
  }
  if (found > 0 && r.shortest === false) add('  ', NOT_SHORTEST);
  add('', `Condition exists (${r.properties.join(' \\/ ')})`);
  const why = r.stopReason ?? `the ${r.exhausted ?? 'search'} budget ran out`;
  add('Verdict ', outcomeOf(r) + (r.verdict === 'inconclusive' ? ` (${why})` : ''));
  if (options.why) {
    add('Hinges on ', hingesText(options.why));
    const p = options.why.preventAt;
    if (p) add('Prevent ', `${p.isReturn ? 'before' : 'after'} step ${p.step} (${p.isReturn ? 'the return' : p.text.replace(/^CPU: /, '')}): ${p.remedy}`);
    if (options.why.replay) add('Blocks ', replayText(options.why.replay));
  }
  if (options.trace) add('Trace ', options.trace);
  if (r.notHitlessByDesign) add('Hitless ', r.arch === 'smmuv3' ? 'no, by design (the writer clears V first)' : 'no, by design (the writer clears the present bit first)');
  if (r.arch === 'smmuv3') add('Arch ', 'smmuv3 (Arm IHI 0070 G.b; STE and CD as the Linux arm-smmu-v3 driver builds them)');
  // The PASID only when it is not the default 0x10 (0: RID_PASID, requests without PASID).
  const pasid = r.pasid === undefined || r.pasid === 0x10 ? '' : r.pasid === 0 ? ', PASID 0 (RID_PASID)' : `, PASID 0x${r.pasid.toString(16)}`;
  add('Scenario ', `${r.from} -> ${r.to}${pasid}`);
  add('Strategy ', r.strategy);
  const changes = assumptionChanges(r.assumptions, options.defaults ?? (r.arch === 'smmuv3' ? SMMU_SPEC_DEFAULTS : SPEC_DEFAULTS));
  const preset = presetFor(r.assumptions, options.assume ?? r.assume);
  add('Assume ', `${preset}${changes.length ? `: ${changes.join(' ')}` : ' (all spec defaults)'}`);
  // Caching mode is half a model: say which half (issue: a virtual IOMMU shadows only what
  // the invalidations it traps tell it, and that shadowing is not modelled).
  if (r.assumptions['caching-mode'] === true) add('Note ', CACHING_MODE_NOTE);
  add('Workload ', `requests=${r.requests} dmas=${r.dmas} ${r.cold ? 'cold' : 'warm'}`);
  const [descriptors, rest] = costParts(r.cost, r.arch);
  add('Cost ', descriptors);
  add('  ', rest);
  if (options.expected) {
    const ok = matchesExpectation(r, options.expected);
    add('Expected ', `${formatExpectation(options.expected)} (${ok ? 'ok' : 'MISMATCH'})`);
  }
  add('Explored ', `${r.states} states; ${exploredHow(r)}`);
  if (options.time) out.push(`Time ${name} ${(r.millis / 1000).toFixed(2)}`);
  out.push(`Hash=${options.hash ?? scenarioHash(r)}`);
  return `${out.map((l) => toAscii(l).trimEnd()).join('\n')}\n`;
}
