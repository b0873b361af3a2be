/**
 * Shared set-up for the per-part unit tests: a small scenario built with the model's own
 * builder (src/model/build.ts), states crafted from its initial state, and the texts of
 * the steps a part offers. Each test then calls one part's step function on a crafted
 * state and asserts one rule.
 */
import { buildModel, type Model, type ScenarioInput } from '../../../src/model/build';
import { TRANSITIONS } from '../../../src/model/transitions';
import { cloneState, type State, type Walk } from '../../../src/model/state';
import type { Move } from '../../../src/model/context';
import type { ModelContext } from '../../../src/model/modelContext';

/** Baolu's SL->SL new-DID change, one ATS request, no DMA, spec assumptions, unless overridden. */
export function model(over: Partial<ScenarioInput> = {}): Model {
  return buildModel({ ...TRANSITIONS.slNewDid, strategy: 'baolu', requests: 1, dmas: 0, ...over });
}

/** The model's initial state with some fields replaced. */
export function at(m: Model, patch: Partial<State>): State {
  return Object.assign(cloneState(m.system.initial()), patch);
}

/** A walk with defaults: request 1, ATS, at the lookup, nothing read yet. */
export function walk(patch: Partial<Walk> = {}): Walk {
  return { id: 1, kind: 'ats', stage: 'lookup', fetchImage: -1, chunksRead: 0, image: -1, result: -1, pcFences: 0, iotlbFences: 0, mustDrain: false, ...patch };
}

/** The moves one part's step function offers in `s`. */
export function movesOf(part: (s: State, ctx: ModelContext, out: Move[]) => void, m: Model, s: State): Move[] {
  const out: Move[] = [];
  part(s, m.ctx, out);
  return out;
}

export function texts(moves: readonly Move[]): string[] {
  return moves.map((x) => x.label().text);
}

/** The only move whose text contains `piece` (fails loudly otherwise). */
export function only(moves: readonly Move[], piece: string): Move {
  const found = moves.filter((x) => x.label().text.includes(piece));
  if (found.length !== 1) throw new Error(`${found.length} moves match '${piece}': ${texts(moves).join(' | ')}`);
  return found[0];
}

/** Queue entries for the model's first `n` descriptors, each with the status given. */
export function queued(m: Model, statuses: ('pending' | 'sent' | 'done')[]): State['queue'] {
  return statuses.map((status, i) => ({ descriptor: m.ctx.descriptors[i], status }));
}
