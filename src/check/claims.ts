/**
 * The claim ledger: each claim of the March 2026 thread (docs/thread.md, J1-J6, B1-B4) as
 * checks the model answers, evaluated under the spec reading, and the open assumptions that
 * decide it, found by flipping each one (every other value of an enum) and evaluating the
 * claim again. Nothing here is a verdict written by hand: the expectations are what the
 * claim asserts; whether they are met is computed.
 *
 * A check's answer is a function of the assumption values its search read
 * (model/context.ts TrackedAssumptions, as the sweep's RowMemo uses): a flip of an
 * assumption no check of the claim read cannot change it, so it is not run again.
 */
import { ASSUMPTIONS, resolveAssumptions, type AssumptionValue } from '../model/assumptions';
import { TRANSITIONS, type TransitionName } from '../model/transitions';
import { OPEN_ASSUMPTIONS, checkRow, sweepDomain } from './sweep';
import type { CheckOptions } from './check';
import type { Verdict } from '../engine/types';

/** One scenario a claim is judged on (a standard transition, a built-in strategy, a small workload). */
export interface ClaimCheck {
  transition: TransitionName;
  strategy: string;
  /** 0 is RID_PASID; default the scenario default (0x10). */
  pasid?: number;
  requests: number;
  dmas: number;
}

/**
 * What a claim asserts about its checks: a verdict (`safe`, `unsafe`, or `unsafe <property>`),
 * or that two checks answer alike (both safe or both unsafe: "X is not needed").
 */
export type Expectation =
  | { check: ClaimCheck; expect: 'safe' | 'unsafe' | `unsafe ${string}` }
  | { same: [ClaimCheck, ClaimCheck] };

export interface ClaimDefinition {
  id: string;
  who: 'Jason Gunthorpe' | 'Baolu Lu';
  date: string;
  /** Short, verbatim. */
  quote: string;
  /** What the claim asserts, as the checks read it, in one sentence. */
  asserts: string;
  /** The assumptions the claim is judged under (default: the spec reading). */
  assume?: string;
  /**
   * When the claim states the value of an open assumption (the spec does not settle it), the
   * model cannot decide it, only take it as input: the result is `open`, and the checks show
   * what follows from it.
   */
  states?: { assumption: string; value: AssumptionValue };
  expectations: Expectation[];
}

export type ClaimOutcome = 'holds' | 'fails' | 'open';

export interface CheckAnswer {
  check: ClaimCheck;
  verdict: Verdict;
  property?: string;
  /** `flushlab check ...` that reproduces it. */
  command: string;
}

export interface ClaimResult {
  id: string;
  who: string;
  date: string;
  quote: string;
  asserts: string;
  /** Under the claim's assumptions (spec unless it says otherwise). */
  result: ClaimOutcome;
  /** Whether the expectations are met under those assumptions (for `open` claims too). */
  met: boolean;
  /** Open assumptions one of whose other values changes `met`, in table order. */
  decidedBy: string[];
  /** The flips that change it: `name=value`. */
  flips: string[];
  /** The command that reproduces the result: the first expectation not met, else the first check. */
  command: string;
  /** What that command prints: `safe` or `unsafe <property>`. */
  verdict: string;
  answers: CheckAnswer[];
}

/** The check as a command line (short flags, so that it fits a mail line; check.ts). */
export function checkCommand(c: ClaimCheck, assume = 'spec'): string {
  const parts = ['flushlab check', `-t ${c.transition}`, `-s ${c.strategy}`];
  if (assume !== 'spec') parts.push(`-a ${assume}`);
  if (c.pasid !== undefined) parts.push(`-p ${c.pasid}`);
  parts.push(`-r ${c.requests}`, `-d ${c.dmas}`);
  return parts.join(' ');
}

/** `safe` or `unsafe <property>` (inconclusive as itself). */
export function verdictText(a: { verdict: Verdict; property?: string }): string {
  return a.verdict === 'unsafe' ? `unsafe ${a.property ?? ''}`.trim() : a.verdict;
}

const checkKey = (c: ClaimCheck): string => `${c.transition}|${c.strategy}|${c.pasid ?? ''}|${c.requests}|${c.dmas}`;

interface Answer { verdict: Verdict; property?: string; consulted: string[] | null }

/**
 * Runs checks under assumption values, remembering answers: a check's answer is reused for
 * any values that agree on every open assumption it read.
 */
export class CheckCache {
  private readonly entries = new Map<string, { values: Record<string, AssumptionValue>; answer: Answer }[]>();
  runs = 0;
  constructor(private readonly options: CheckOptions = {}) {}

  answer(c: ClaimCheck, base: string, values: Record<string, AssumptionValue>): Answer {
    const key = checkKey(c);
    const list = this.entries.get(key) ?? [];
    for (const e of list) {
      if (e.answer.consulted && e.answer.consulted.every((v) => e.values[v] === values[v])) return e.answer;
    }
    this.runs++;
    const t = TRANSITIONS[c.transition];
    const input = { ...t, strategy: c.strategy, requests: c.requests, dmas: c.dmas, ...(c.pasid !== undefined ? { pasid: c.pasid } : {}) };
    const row = checkRow(input, base, OPEN_ASSUMPTIONS, Object.fromEntries(OPEN_ASSUMPTIONS.map((v) => [v, values[v]])), this.options);
    const answer: Answer = { verdict: row.verdict, ...(row.property ? { property: row.property } : {}), consulted: row.consulted };
    list.push({ values, answer });
    this.entries.set(key, list);
    return answer;
  }
}

function expectationMet(e: Expectation, run: (c: ClaimCheck) => Answer): boolean {
  if ('same' in e) {
    const [a, b] = e.same.map(run);
    return a.verdict !== 'inconclusive' && a.verdict === b.verdict;
  }
  const a = run(e.check);
  if (e.expect === 'safe') return a.verdict === 'safe';
  if (e.expect === 'unsafe') return a.verdict === 'unsafe';
  return a.verdict === 'unsafe' && `unsafe ${a.property}` === e.expect;
}

const checksOf = (e: Expectation): ClaimCheck[] => ('same' in e ? e.same : [e.check]);

/** Evaluates one claim: under its assumptions, then with each open assumption flipped. */
export function evaluateClaim(def: ClaimDefinition, cache = new CheckCache()): ClaimResult {
  const base = def.assume ?? 'spec';
  const values = resolveAssumptions(base) as Record<string, AssumptionValue>;
  // What the claim is judged under is its premise, not a question it leaves open.
  const fixed = new Set(ASSUMPTIONS.filter((a) => values[a.name] !== a.default).map((a) => a.name));
  const metUnder = (v: Record<string, AssumptionValue>): boolean => def.expectations.every((e) => expectationMet(e, (c) => cache.answer(c, base, v)));
  const met = metUnder(values);
  const flips: string[] = [];
  const decidedBy: string[] = [];
  for (const name of OPEN_ASSUMPTIONS) {
    if (fixed.has(name)) continue;
    for (const value of sweepDomain(name)) {
      if (value === values[name]) continue;
      if (metUnder({ ...values, [name]: value }) !== met) {
        flips.push(`${name}=${String(value)}`);
        if (!decidedBy.includes(name)) decidedBy.push(name);
      }
    }
  }
  const answers: CheckAnswer[] = [];
  const seen = new Set<string>();
  for (const e of def.expectations) {
    for (const c of checksOf(e)) {
      if (seen.has(checkKey(c))) continue;
      seen.add(checkKey(c));
      const a = cache.answer(c, base, values);
      answers.push({ check: c, verdict: a.verdict, ...(a.property ? { property: a.property } : {}), command: checkCommand(c, base) });
    }
  }
  const failing = def.expectations.find((e) => !expectationMet(e, (c) => cache.answer(c, base, values)));
  const shown = failing ? checksOf(failing)[0] : checksOf(def.expectations[0])[0];
  const shownAnswer = answers.find((a) => checkKey(a.check) === checkKey(shown))!;
  return {
    id: def.id, who: def.who, date: def.date, quote: def.quote, asserts: def.asserts,
    result: def.states ? 'open' : met ? 'holds' : 'fails',
    met, decidedBy, flips,
    command: shownAnswer.command,
    verdict: verdictText(shownAnswer),
    answers,
  };
}

/** Evaluates every claim with one cache (checks shared between claims run once). */
export function evaluateClaims(defs: readonly ClaimDefinition[] = CLAIMS, options: CheckOptions = {}, cache = new CheckCache(options)): ClaimResult[] {
  return defs.map((d) => evaluateClaim(d, cache));
}

/** The JSON form `flushlab claims --json` prints. */
export function claimsJson(results: readonly ClaimResult[]): { id: string; who: string; date: string; quote: string; result: ClaimOutcome; decidedBy: string[]; command: string }[] {
  return results.map((r) => ({ id: r.id, who: r.who, date: r.date, quote: r.quote, result: r.result, decidedBy: r.decidedBy, command: r.command }));
}

// The workloads: one ATS Translation Request and no untranslated DMA isolates the ATS path
// the thread argues about, and keeps the ledger fast.
const ats = (transition: TransitionName, strategy: string, pasid?: number): ClaimCheck => ({ transition, strategy, requests: 1, dmas: 0, ...(pasid !== undefined ? { pasid } : {}) });

const JASON = 'Jason Gunthorpe' as const;
const BAOLU = 'Baolu Lu' as const;
const J_DATE = '2026-03-12';
const B_DATE = '2026-03-15';

/**
 * The claims, in the order they appear in Baolu's reply of 15 March 2026 (docs/thread.md).
 * Jason's words are those of 12 March, quoted in that reply.
 */
export const CLAIMS: readonly ClaimDefinition[] = [
  {
    id: 'J1', who: JASON, date: J_DATE,
    quote: '"Yes" (sync = clflush + PASID cache invalidation)',
    asserts: 'a sync of clflush and a PASID-cache inv (jason-ordered-waited) is safe on the transitions the writer makes hitless',
    expectations: [
      { check: ats('slNewDid', 'jason-ordered-waited'), expect: 'safe' },
      { check: ats('flSameDid', 'jason-ordered-waited'), expect: 'safe' },
      { check: ats('slToFl', 'jason-ordered-waited'), expect: 'safe' },
    ],
  },
  {
    id: 'J2', who: JASON, date: J_DATE,
    quote: '"only one ATS flush after the new entry is installed"',
    asserts: 'one Device-TLB inv after the writer is enough: baolu-every-sync safe on SL->SL and on SL->FL (two syncs)',
    expectations: [
      { check: ats('slNewDid', 'baolu-every-sync'), expect: 'safe' },
      { check: ats('slToFl', 'baolu-every-sync'), expect: 'safe' },
    ],
  },
  {
    id: 'J3', who: JASON, date: J_DATE,
    quote: '"both translations are unpredictably combined ... OK"',
    asserts: 'during a hitless update only whole old or new translations are used: jason-ordered-waited not unsafe on SL->FL with two requests',
    expectations: [
      { check: { transition: 'slToFl', strategy: 'jason-ordered-waited', requests: 2, dmas: 0 }, expect: 'safe' },
    ],
  },
  {
    id: 'B1', who: BAOLU, date: B_DATE,
    quote: '"IOTLB invalidation must precede the Device-TLB invalidation"',
    asserts: 'P_IOTLB before the Device-TLB inv is needed: jason unsafe and jason-ordered safe on SL->SL new DID',
    expectations: [
      { check: ats('slNewDid', 'jason'), expect: 'unsafe' },
      { check: ats('slNewDid', 'jason-ordered'), expect: 'safe' },
    ],
  },
  {
    id: 'J4', who: JASON, date: J_DATE,
    quote: '"it should not need any IOTLB flushing"',
    asserts: 'on every transition inside the premise (a new DID) the IOTLB inv changes no verdict: jason answers as jason-ordered-waited',
    expectations: (['slNewDid', 'flNewDid', 'slToFl', 'nestedNewDid'] as const).map((t) => ({ same: [ats(t, 'jason'), ats(t, 'jason-ordered-waited')] as [ClaimCheck, ClaimCheck] })),
  },
  {
    id: 'J5', who: JASON, date: J_DATE,
    quote: '"flushing the PASID table should immediately change..."',
    asserts: 'pc-inv-waits-for-walks=true; then the PASID-cache inv of each sync fences the fetch the writer races where it clears P: jason-ordered-waited safe on FL->FL new DID',
    states: { assumption: 'pc-inv-waits-for-walks', value: true },
    expectations: [{ check: ats('flNewDid', 'jason-ordered-waited'), expect: 'safe' }],
  },
  {
    id: 'J6', who: JASON, date: J_DATE,
    quote: '"you may need IOTLB invalidations ... to manage ordering"',
    asserts: 'granted Jason\'s reading (J4, J5: preset jason), jason is unsafe once a DMA is in flight, and a P_IOTLB ahead of the Device-TLB inv (jason-ordered) fixes it',
    assume: 'jason',
    // One untranslated DMA: with one ATS request alone jason is safe here (the device
    // discards a completion the Invalidate Request passed, PCIe 6.2 10.3.6).
    expectations: [
      { check: { ...ats('slNewDid', 'jason'), dmas: 1 }, expect: 'unsafe' },
      { check: { ...ats('slNewDid', 'jason-ordered'), dmas: 1 }, expect: 'safe' },
    ],
  },
  {
    id: 'B2', who: BAOLU, date: B_DATE,
    quote: '"the PASID-cache and IOTLB are not inclusive"',
    asserts: 'pc-inv-drops-iotlb=false; then a PASID-cache inv leaves the old IOTLB entry: jason unsafe stale-after-return on SL->SL',
    states: { assumption: 'pc-inv-drops-iotlb', value: false },
    expectations: [{ check: ats('slNewDid', 'jason'), expect: 'unsafe stale-after-return' }],
  },
  {
    id: 'B3', who: BAOLU, date: B_DATE,
    quote: '"in-flight translation requests are drained"',
    asserts: 'drain-scope=in-flight; then the IOTLB inv in each sync keeps SL->FL hitless: baolu-every-sync safe, baolu unsafe',
    states: { assumption: 'drain-scope', value: 'in-flight' },
    expectations: [
      { check: ats('slToFl', 'baolu-every-sync'), expect: 'safe' },
      { check: ats('slToFl', 'baolu'), expect: 'unsafe' },
    ],
  },
  {
    id: 'B4', who: BAOLU, date: B_DATE,
    quote: '"IOTLB -> Wait Descriptor -> ATC"',
    asserts: 'without it the ATC refills from a stale IOTLB entry: jason unsafe on SL->SL, and jason-ordered (no wait) unsafe at PASID 0',
    expectations: [
      { check: ats('slNewDid', 'jason'), expect: 'unsafe stale-after-return' },
      { check: ats('slNewDid', 'jason-ordered', 0), expect: 'unsafe stale-after-return' },
      { check: ats('slNewDid', 'baolu', 0), expect: 'safe' },
    ],
  },
];
