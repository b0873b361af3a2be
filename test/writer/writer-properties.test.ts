/**
 * Properties of the writer over random valid entry pairs, for every format: the final entry
 * is the target, and every sync point (indeed every single-quantum store) leaves an entry
 * the hardware reads as the old one, the new one, or not at all (V cleared).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { planEntryWrite, runEntryWrite, storeStates } from '../../src/writer/writer';
import { vtdPasidFormat } from '../../src/writer/formats';
import type { EntryFormat, WriterStep } from '../../src/writer/writer';
import { smmuv3CdFormat, smmuv3SteFormat } from '../../src/writer/formats';
import { anyEntry, cdPair, stePair, vtdEntry } from './arbitraries';

const NUM_RUNS = 400;

function checkRun(format: EntryFormat, from: bigint[], to: bigint[]): void {
  const run = planEntryWrite(format, from, to);
  assert.deepEqual(run.final, to, 'final == target');
  assert.deepEqual(run.warnings, [], 'make helpers set only used bits');
  const synced = run.steps.filter((s) => s.synced);
  assert.equal(run.syncs, synced.length);
  assert.ok(run.syncs <= 3);
  // Every sync point is hitless (old or new under the used bits) or follows a V-cleared store.
  for (const s of synced) assert.ok(s.vCleared || s.hitless, `torn entry at the ${s.kind} sync`);
  for (const st of storeStates(format, from, to, run)) assert.ok(st.check.hitless, 'torn entry between two stores');
  assert.equal(run.hitless, !synced.some((s) => s.vCleared));
  // The V-cleared path always takes exactly three syncs: clear-v, rest, set-v.
  if (run.path === 'breaking') assert.deepEqual(synced.map((s) => s.kind), ['clear-v', 'rest', 'set-v']);
  if (run.path === 'hitless') assert.ok(run.syncs >= 1 && run.syncs <= 3);
  // Only quanta that differ are stored, each as one whole quantum.
  const wpq = format.quantumBits / 64;
  for (const s of run.steps) for (const st of s.stores) assert.equal(st.words.length, wpq);
}

test('property (vtd-pasid): final == target, every sync hitless or after a V-cleared store', () => {
  fc.assert(fc.property(vtdEntry, vtdEntry, (a, b) => checkRun(vtdPasidFormat, a, b)), { numRuns: NUM_RUNS });
});

test('property (smmuv3-ste): final == target, every sync hitless or after a V-cleared store', () => {
  fc.assert(fc.property(stePair, ([a, b]) => checkRun(smmuv3SteFormat, a, b)), { numRuns: NUM_RUNS });
});

test('property (smmuv3-cd): final == target, every sync hitless or after a V-cleared store', () => {
  fc.assert(fc.property(cdPair, ([a, b]) => checkRun(smmuv3CdFormat, a, b)), { numRuns: NUM_RUNS });
});

test('property: any 512-bit pair, valid or not, still ends at the target within 3 syncs', () => {
  for (const format of [vtdPasidFormat, smmuv3SteFormat, smmuv3CdFormat]) {
    fc.assert(fc.property(anyEntry, anyEntry, (a, b) => {
      const run = planEntryWrite(format, a, b);
      assert.deepEqual(run.final, b);
      assert.ok(run.syncs <= 3);
    }), { numRuns: 200 });
  }
});

test('property: runEntryWrite writes in place and calls sync exactly where the plan syncs', () => {
  fc.assert(fc.property(vtdEntry, vtdEntry, (a, b) => {
    const entry = [...a];
    const seen: bigint[][] = [];
    const steps: WriterStep[] = [];
    const run = runEntryWrite(vtdPasidFormat, entry, b, (e, step) => { seen.push([...e]); steps.push(step); });
    assert.deepEqual(entry, b);
    assert.equal(seen.length, run.syncs);
    assert.deepEqual(seen, run.steps.filter((s) => s.synced).map((s) => s.entry));
    assert.deepEqual(run, planEntryWrite(vtdPasidFormat, a, b), 'deterministic, and plan == run');
  }), { numRuns: 200 });
});

test('bad input is a RangeError naming the problem', () => {
  assert.throws(() => planEntryWrite(vtdPasidFormat, [0n], new Array<bigint>(8).fill(0n)), /8 64-bit words, got 1/);
  assert.throws(() => planEntryWrite(smmuv3SteFormat, new Array<bigint>(8).fill(0n), [...new Array<bigint>(7).fill(0n), -1n]),
    /word 7 is not a 64-bit unsigned bigint/);
});
