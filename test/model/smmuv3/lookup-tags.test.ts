// The contrast issue 17 is about: the same strategy shape on both architectures. SMMUv3
// looks the TLB up with the tags of the current configuration (IHI 0070 G.b §3.17); VT-d
// looks the IOTLB up by Source-ID, PASID and address only (VT-d 5.10 Table 17).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkScenario } from '../../../src/check/check';
import type { CheckResult } from '../../../src/check/result';
import { TRANSITIONS } from '../../../src/model/transitions';
import { SMMU_TRANSITIONS } from '../../../src/model/smmuv3/transitions';
import { buildSmmuModel } from '../../../src/model/smmuv3/build';
import { tlbFill, tlbLookup, tlbiMatches } from '../../../src/model/smmuv3/tlb';
import { parseSmmuConfig } from '../../../src/formats/smmuv3Config';

const verdict = (r: CheckResult) => (r.verdict === 'unsafe' ? `unsafe ${r.violations[0].property}` : r.verdict);

test('jason\'s shape: unsafe on VT-d (new DID), safe on SMMUv3 (new ASID)', () => {
  const vtd = checkScenario({ ...TRANSITIONS.flNewDid, strategy: 'jason', requests: 1, dmas: 0 });
  assert.equal(verdict(vtd), 'unsafe stale-after-return');
  assert.match(vtd.violations[0].trace.violation!.reason, /IOTLB entry DID=5/);
  const smmu = checkScenario({ arch: 'smmuv3', ...SMMU_TRANSITIONS.cdNewAsid, strategy: 'jason', requests: 1, dmas: 0 });
  assert.equal(verdict(smmu), 'safe');
});

test('negative control: under the same tag (same ASID, new table) the SMMUv3 TLB entry is hit, as on VT-d', () => {
  const smmu = checkScenario({ arch: 'smmuv3', ...SMMU_TRANSITIONS.cdSameAsid, strategy: 'jason', requests: 1, dmas: 0 });
  assert.equal(verdict(smmu), 'unsafe stale-after-return');
  assert.match(smmu.violations[0].trace.violation!.reason, /TLB entry S1 ASID=1/);
});

test('a TLB lookup hits only an entry under its own tag: stage, VMID and ASID', () => {
  const m = buildSmmuModel({ arch: 'smmuv3', from: 's1:asid=1,ttb=0x1000', to: 's1:asid=2,ttb=0x2000', strategy: 'linux' });
  const im = m.ctx.images;
  const s2 = im.intern(parseSmmuConfig('s2:vmid=1,s2ttb=0x3000'));
  const otherVmid = im.intern(parseSmmuConfig('s1:asid=1,ttb=0x1000,vmid=3'));
  const tlb = [im.oldId, s2, otherVmid];
  assert.equal(tlbLookup(tlb, m.ctx, im.outcome(im.oldId).tag), im.oldId);
  assert.equal(tlbLookup(tlb, m.ctx, im.outcome(im.newId).tag), -1, 'ASID 2 misses the ASID 1 entry');
  assert.equal(tlbLookup([s2], m.ctx, im.outcome(im.oldId).tag), -1, 'an S1 lookup misses an S2 entry');
  assert.equal(tlbLookup([otherVmid], m.ctx, im.outcome(im.oldId).tag), -1, 'another VMID misses');
  // A fill replaces the entry of its own tag only.
  assert.deepEqual(tlbFill([im.oldId, s2], m.ctx, im.newId), [im.oldId, im.newId, s2].sort((a, b) => a - b));
  // Invalidation: TLBI_NH_ASID by (VMID, ASID); TLBI_S12_VMALL by VMID, every stage.
  assert.equal(tlbiMatches(m.ctx, im.oldId, { op: 'TLBI_NH_ASID', vmid: 0, asid: 1 }), true);
  assert.equal(tlbiMatches(m.ctx, im.oldId, { op: 'TLBI_NH_ASID', vmid: 0, asid: 2 }), false);
  assert.equal(tlbiMatches(m.ctx, s2, { op: 'TLBI_NH_ASID', vmid: 1, asid: 0 }), false);
  assert.equal(tlbiMatches(m.ctx, s2, { op: 'TLBI_S12_VMALL', vmid: 1 }), true);
  assert.equal(tlbiMatches(m.ctx, otherVmid, { op: 'TLBI_S12_VMALL', vmid: 3 }), true);
  assert.equal(tlbiMatches(m.ctx, im.oldId, { op: 'TLBI_S12_VMALL', vmid: 3 }), false);
});
