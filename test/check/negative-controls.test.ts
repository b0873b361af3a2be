// Every property the checker verifies fails on a negative control, and holds on the
// matching positive control: the check can see each bug, and does not see bugs that
// are not there.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { check, verdict } from './helpers';
import { TRANSITIONS } from '../../src/model/transitions';

test('stale-after-return: no-flush leaves the old translation everywhere', () => {
  const r = check({ ...TRANSITIONS.slNewDid, strategy: 'no-flush' });
  assert.equal(verdict(r), 'unsafe stale-after-return');
  assert.match(r.violations[0].trace.violation!.reason, /old/);
});

test('stale-after-return: no-devtlb leaves the old translation in the device ATC', () => {
  const r = check({ ...TRANSITIONS.slNewDid, strategy: 'no-devtlb' });
  assert.equal(verdict(r), 'unsafe stale-after-return');
  assert.match(r.violations[0].trace.violation!.reason, /ATC still holds the old translation/);
});

test('stale-after-return: removing the IOTLB invalidation where it matters (same DID) leaves a hittable IOTLB entry', () => {
  // jason-ordered minus its P_IOTLB is jason; with the DID unchanged the old IOTLB entry
  // is hit by lookups even if lookups used the DID (VT-d Table 17).
  const without = check({ ...TRANSITIONS.flSameDid, strategy: 'jason', assume: 'jason', dmas: 0 });
  assert.equal(verdict(without), 'unsafe stale-after-return');
  assert.match(without.violations[0].trace.violation!.reason, /IOTLB entry DID=5/);
  const withIt = check({ ...TRANSITIONS.flSameDid, strategy: 'jason-ordered', assume: 'jason', dmas: 0 });
  assert.equal(verdict(withIt), 'safe');
});

test('hitless: the removed struct-copy replace is seen using a mixed translation; the entry_sync writer is not', () => {
  // *pte = new_pte stores quanta 0 then 1: in between a nested entry has the new second
  // stage and the old first stage (Linux c3b1edea3791), a translation that is neither the
  // old nor the new one. (A torn FL entry that still walks one of the two tables is J3's
  // "unavoidable and OK", so FL->FL is no longer the negative control.)
  const torn = check({ ...TRANSITIONS.nestedNewDid, requests: 1, dmas: 1, strategy: 'copy-flush-present' }, { properties: ['hitless'] });
  assert.equal(verdict(torn), 'unsafe hitless');
  assert.match(torn.violations[0].trace.violation!.reason, /neither the old nor the new/);
  const writer = check({ ...TRANSITIONS.slNewDid, strategy: 'baolu' }, { properties: ['hitless'] });
  assert.equal(verdict(writer), 'safe');
});

test('torn-fill: a 64-bit entry fetch tears the one 128-bit store of DID and SSPTPTR', () => {
  // DID is val[1], SSPTPTR val[0]: atomic for a 128-bit read, two reads at 64 bits.
  const r = check({ ...TRANSITIONS.slNewDid, strategy: 'baolu', assume: 'spec,entry-fetch-bits=64' }, { properties: ['torn-fill'] });
  assert.equal(verdict(r), 'unsafe torn-fill');
  const same = check({ ...TRANSITIONS.slNewDid, strategy: 'baolu', assume: 'spec' }, { properties: ['torn-fill'] });
  assert.equal(verdict(same), 'safe');
});

test('termination: a device that never answers Invalidate Requests leaves the driver waiting', () => {
  const r = check({ ...TRANSITIONS.slNewDid, strategy: 'jason', assume: 'spec,device-answers-invalidations=false' }, { properties: ['termination'] });
  assert.equal(verdict(r), 'unsafe termination');
  assert.match(r.violations[0].trace.violation!.reason, /waits forever/);
  const answered = check({ ...TRANSITIONS.slNewDid, strategy: 'jason' }, { properties: ['termination'] });
  assert.equal(verdict(answered), 'safe');
});
