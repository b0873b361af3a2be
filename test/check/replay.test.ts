// A safe verdict explained (check --why): the nearest weaker strategy's counterexample
// replayed against it, and the descriptor and step that block it (src/check/replay.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildModel } from '../../src/model/build';
import { checkModel } from '../../src/check/check';
import { explainSafe, programAtoms, replayAgainst, weakerCandidates } from '../../src/check/replay';

const SL = { from: 'sl:did=5,ssptptr=0x1000', to: 'sl:did=6,ssptptr=0x2000', requests: 1, dmas: 0 };

function counterexampleOf(input: Parameters<typeof buildModel>[0]) {
  const r = checkModel(buildModel(input));
  const v = r.violations[0];
  assert.ok(v, `${JSON.stringify(input)} is unsafe`);
  return { property: v.property, reason: v.trace.violation!.reason, steps: v.trace.steps };
}

test('weaker strategies: programs whose invalidations are a part of this one\'s, nearest first', () => {
  const ordered = buildModel({ ...SL, strategy: 'jason-ordered' });
  assert.deepEqual(weakerCandidates(ordered), ['jason', 'no-devtlb', 'no-flush']);
  // baolu adds a wait between its P_IOTLB and Device-TLB inv but no descriptor: not weaker
  // than jason-ordered by descriptors alone, it has the same ones, so it is not listed.
  const baolu = programAtoms(buildModel({ ...SL, strategy: 'baolu' }).ctx.program);
  assert.deepEqual(baolu, programAtoms(ordered.ctx.program));
  // A strategy with more is never weaker (negative control).
  assert.ok(!weakerCandidates(buildModel({ ...SL, strategy: 'jason' })).includes('jason-ordered'));
});

test('jason-ordered: jason\'s counterexample replays up to the return, where the P_IOTLB it adds has removed the stale IOTLB entry', () => {
  const b = explainSafe({ ...SL, strategy: 'jason-ordered' });
  assert.ok(b);
  assert.equal(b.weaker, 'jason');
  assert.equal(b.blocked, true);
  assert.deepEqual(b.at, { step: 13, text: "CPU: strategy returns; the old domain's pages are freed", violationGone: true });
  assert.match(b.by!.text, /^IOMMU: P_IOTLB PASID-selective DID=5 PASID=0x10 done$/);
  assert.match(b.by!.submittedAt!.text, /^CPU: submit P_IOTLB PASID-selective DID=5 PASID=0x10 \+ P_DEV_TLB_INV .*\(after the writer\)$/);
  // The replay follows jason's steps, numbered on its own.
  assert.deepEqual(b.replay.map((r) => r.step), b.replay.map((_, i) => i + 1));
  assert.equal(b.replay.filter((r) => r.weakerStep !== undefined).length, 13);
});

test('negative control: a counterexample replayed against its own strategy is not blocked', () => {
  for (const name of ['jason', 'no-devtlb', 'no-flush']) {
    const input = { ...SL, strategy: name };
    const b = replayAgainst(buildModel(input), name, counterexampleOf(input));
    assert.equal(b.blocked, false, name);
    assert.equal(b.at, undefined);
  }
  // The same counterexample against the stronger jason-ordered is blocked.
  const cex = counterexampleOf({ ...SL, strategy: 'jason' });
  assert.equal(replayAgainst(buildModel({ ...SL, strategy: 'jason-ordered' }), 'jason', cex).blocked, true);
});

test('a step that cannot happen: A->B->A, table28-reuse-did blocks the hit on the leftover entry with its IOTLB inv of the new DID before the writer', () => {
  const b = explainSafe({ from: 'sl:did=6,ssptptr=0x2000', to: 'sl:did=5,ssptptr=0x1000', leftover: 'sl:did=5,ssptptr=0x3000', strategy: 'table28-reuse-did', assume: 'jason', requests: 1, dmas: 0 });
  assert.ok(b?.at);
  assert.equal(b.at.violationGone, false);
  assert.match(b.at.text, /IOTLB lookup DID=5 for Translation Request #1: hit \(leftover/);
  assert.match(b.by!.text, /^IOMMU: IOTLB domain-selective DID=5 done$/);
  assert.match(b.by!.submittedAt!.text, /\(before the writer\)$/);
});
