/**
 * The answer to the thread, computed: the claim ledger (claims.ts), the cheapest built-in
 * strategy that is safe on every standard transition some strategy can make safe, at the
 * thread's PASID and at PASID 0 (RID_PASID), and the open assumptions that decide a
 * verdict (the questions for Intel). `flushlab reply` renders it (present/reply.ts).
 */
import { STRATEGIES } from '../model/strategies';
import { TRANSITIONS, type TransitionName } from '../model/transitions';
import { compileProgram, type Cost } from '../model/program';
import { parseEntry } from '../formats/pasidEntry';
import { SCENARIO_PASID, SCENARIO_SID } from '../model/build';
import { OPEN_ASSUMPTIONS } from './sweep';
import { CheckCache, checkCommand, evaluateClaims, verdictText, type ClaimCheck, type ClaimResult } from './claims';
import { SPEC_DEFAULTS, type AssumptionValue } from '../model/assumptions';
import type { CheckOptions } from './check';

/** The workload the cheapest strategy is judged at: one ATS request and one DMA in flight. */
export const ANSWER_WORKLOAD = { requests: 1, dmas: 1 } as const;
/** The PASIDs: the thread's (any PASID but RID_PASID) and RID_PASID. */
export const ANSWER_PASIDS = [SCENARIO_PASID, 0] as const;

export interface VerdictLine {
  command: string;
  /** `safe` or `unsafe <property>`. */
  verdict: string;
}

export interface StrategyTotal {
  strategy: string;
  /** Summed over the judged transitions and both PASIDs. */
  submissions: number;
  waits: number;
  descriptors: number;
}

export interface Answer {
  claims: ClaimResult[];
  /** Transitions on which some built-in strategy is safe (at the workload, both PASIDs). */
  judged: TransitionName[];
  /** Transitions on which none is: what the writer does there, no invalidation repairs. */
  unfixable: { transition: TransitionName; line: VerdictLine }[];
  /** The cheapest strategy safe on every judged transition at both PASIDs, or null. */
  cheapest: { strategy: string; description: string; total: StrategyTotal; lines: VerdictLine[] } | null;
  /** Cheaper strategies, each with the check that rules it out. */
  ruledOut: { strategy: string; total: StrategyTotal; line: VerdictLine }[];
  /** Open assumptions that decide some claim, in table order, with the claims they decide. */
  questions: { assumption: string; specValue: AssumptionValue; claims: string[] }[];
  /** Checks run (after reuse). */
  runs: number;
}

const NEGATIVE = (name: string): boolean => STRATEGIES[name]!.source === 'negative control';

function costOf(strategy: string, transition: TransitionName, pasid: number): Cost {
  const t = TRANSITIONS[transition];
  return compileProgram(STRATEGIES[strategy]!, {
    oldEntry: parseEntry(t.from), newEntry: parseEntry(t.to), sid: SCENARIO_SID, pasid,
    coherent: SPEC_DEFAULTS.coherent, cachingMode: SPEC_DEFAULTS['caching-mode'],
  }).cost;
}

function totalOf(strategy: string, transitions: readonly TransitionName[]): StrategyTotal {
  const total: StrategyTotal = { strategy, submissions: 0, waits: 0, descriptors: 0 };
  for (const t of transitions) {
    for (const pasid of ANSWER_PASIDS) {
      const c = costOf(strategy, t, pasid);
      total.submissions += c.submissions;
      total.waits += c.waits;
      total.descriptors += Object.values(c.descriptors).reduce((a, b) => a + b, 0);
    }
  }
  return total;
}

/** Cheaper first: submissions, then waits, then descriptors, then name (deterministic). */
export function byCost(a: StrategyTotal, b: StrategyTotal): number {
  return a.submissions - b.submissions || a.waits - b.waits || a.descriptors - b.descriptors || a.strategy.localeCompare(b.strategy);
}

export function computeAnswer(options: CheckOptions = {}): Answer {
  const cache = new CheckCache(options);
  const claims = evaluateClaims(undefined, options, cache);
  const spec = SPEC_DEFAULTS as Record<string, AssumptionValue>;
  const candidates = Object.keys(STRATEGIES).filter((s) => !NEGATIVE(s));
  const check = (transition: TransitionName, strategy: string, pasid: number): ClaimCheck => ({
    transition, strategy, requests: ANSWER_WORKLOAD.requests, dmas: ANSWER_WORKLOAD.dmas, ...(pasid !== SCENARIO_PASID ? { pasid } : {}),
  });
  const run = (c: ClaimCheck): VerdictLine => ({ command: checkCommand(c), verdict: verdictText(cache.answer(c, 'spec', spec)) });
  const transitions = Object.keys(TRANSITIONS) as TransitionName[];

  // Cheapest first: the first candidate safe everywhere judged is the answer.
  const ordered = candidates.map((s) => totalOf(s, transitions)).sort(byCost).map((t) => t.strategy);
  const safeEverywhere = (strategy: string, on: readonly TransitionName[]): VerdictLine | null => {
    for (const t of on) {
      for (const pasid of ANSWER_PASIDS) {
        const line = run(check(t, strategy, pasid));
        if (line.verdict !== 'safe') return line;
      }
    }
    return null;
  };
  // A transition no candidate makes safe (at both PASIDs) is the writer's, not the sequence's.
  const judged = transitions.filter((t) => ordered.some((s) => safeEverywhere(s, [t]) === null));
  const unfixable = transitions.filter((t) => !judged.includes(t));

  const ruledOut: Answer['ruledOut'] = [];
  let cheapest: Answer['cheapest'] = null;
  for (const strategy of [...candidates].map((s) => totalOf(s, judged)).sort(byCost).map((t) => t.strategy)) {
    const bad = safeEverywhere(strategy, judged);
    const total = totalOf(strategy, judged);
    if (bad) { ruledOut.push({ strategy, total, line: bad }); continue; }
    const lines = judged.flatMap((t) => ANSWER_PASIDS.map((p) => run(check(t, strategy, p))));
    cheapest = { strategy, description: STRATEGIES[strategy]!.description, total, lines };
    break;
  }
  const winner = cheapest?.strategy ?? ordered[0]!;
  const questions = OPEN_ASSUMPTIONS
    .map((a) => ({ assumption: a, specValue: spec[a]!, claims: claims.filter((c) => c.decidedBy.includes(a)).map((c) => c.id) }))
    .filter((q) => q.claims.length > 0);
  return {
    claims, judged,
    unfixable: unfixable.map((t) => ({ transition: t, line: run(check(t, winner, SCENARIO_PASID)) })),
    cheapest, ruledOut, questions, runs: cache.runs,
  };
}
