/**
 * The standard PASID-entry transitions, named once for the tests, the bench and the
 * notebooks (`import { TRANSITIONS } from 'flushlab'`). Scenario files keep their literal
 * text: a file is read by people who do not see this module.
 */
export interface Transition {
  readonly from: string;
  readonly to: string;
}

export const TRANSITIONS = {
  /** Second-stage to second-stage, new domain ID and page table (Baolu's SL->SL case). */
  slNewDid: { from: 'sl:did=5,ssptptr=0x1000', to: 'sl:did=6,ssptptr=0x2000' },
  /** First-stage to first-stage, same domain ID, new page table. */
  flSameDid: { from: 'fl:did=5,fsptptr=0x1000', to: 'fl:did=5,fsptptr=0x2000' },
  /** First-stage to first-stage, new domain ID and page table. */
  flNewDid: { from: 'fl:did=5,fsptptr=0x1000', to: 'fl:did=6,fsptptr=0x2000' },
  /** Second-stage to first-stage, new domain ID (a PGTT change). */
  slToFl: { from: 'sl:did=5,ssptptr=0x1000', to: 'fl:did=6,fsptptr=0x2000' },
  /** Nested to nested, new domain ID and both tables: SSPTPTR and DID in quantum 0, FSPTPTR in 1. */
  nestedNewDid: { from: 'nested:did=5,ssptptr=0x1000,fsptptr=0x3000', to: 'nested:did=6,ssptptr=0x2000,fsptptr=0x4000' },
} as const satisfies Record<string, Transition>;

export type TransitionName = keyof typeof TRANSITIONS;
