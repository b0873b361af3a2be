/**
 * The premise of Jason's claim J4 (docs/thread.md#j4), as data: "if the new PASID entry has
 * a DID,PASID which is already coherent in the IOTLB it should not need any IOTLB flushing".
 * A (DID, PASID) is coherent in the IOTLB when no entry tagged with it holds a translation
 * other than the new entry's. In a standard transition (transitions.ts) the device has been
 * using the old entry, so the IOTLB holds old translations tagged with the old DID: a new
 * DID that was never used is coherent (nothing is tagged with it); the old DID with a new
 * table is not (its entries hold the old table's translations). DID reuse, a new entry with
 * a DID that was used before and still has entries cached, fails it the same way.
 */
import { entryDid, parseEntry } from '../formats/pasidEntry';
import { TRANSITIONS, type TransitionName } from './transitions';

export interface PremiseCase {
  /** The premise holds for this transition. */
  holds: boolean;
  why: string;
}

/** Computed from the entries: the premise holds when the new DID differs from the old one. */
function premiseOf(name: TransitionName): PremiseCase {
  const t = TRANSITIONS[name];
  const [from, to] = [entryDid(parseEntry(t.from)), entryDid(parseEntry(t.to))];
  return from === to
    ? { holds: false, why: `same DID ${to} with a new table: the IOTLB holds DID ${to} entries of the old table` }
    : { holds: true, why: `new DID ${to}, never used before: no IOTLB entry carries it` };
}

/** Which standard transitions satisfy J4's premise, and why. */
export const JASON_PREMISE: Readonly<Record<TransitionName, PremiseCase>> = Object.fromEntries(
  (Object.keys(TRANSITIONS) as TransitionName[]).map((n) => [n, premiseOf(n)]),
) as Record<TransitionName, PremiseCase>;

/** The standard transitions inside J4's premise, in declaration order. */
export const PREMISE_TRANSITIONS: readonly TransitionName[] = (Object.keys(JASON_PREMISE) as TransitionName[]).filter((n) => JASON_PREMISE[n].holds);
