// The IOTLB (src/model/parts/iotlb.ts): lookup tags, fills, what an invalidation removes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { domainSelectiveIotlb, iotlbInv, pasidCacheInv, pasidSelectiveIotlb } from '../../../src/formats/descriptors';
import type { Descriptor } from '../../../src/formats/descriptors';
import { iotlbFill, iotlbInvMatches, iotlbLookup } from '../../../src/model/parts/iotlb';
import { TRANSITIONS } from '../../../src/model/transitions';
import { at, model } from './kit';

test('iotlb: a lookup ignores the DID (VT-d 5.10 Table 17: lookup tags are Source-ID, PASID, address)', () => {
  const m = model();
  const s = at(m, { iotlb: [{ image: m.ctx.images.oldId }] }); // DID 5
  // With the current entry's DID (6) offered as if it were a lookup tag: spec ignores it.
  assert.equal(iotlbLookup(s, m.ctx, null)?.image, m.ctx.images.oldId);
});

test('iotlb: with iotlb-lookup-uses-did a lookup hits only its own DID (named assumption, VT-d 6.2.4.1)', () => {
  const m = model({ assume: 'spec,iotlb-lookup-uses-did=true' });
  const s = at(m, { iotlb: [{ image: m.ctx.images.oldId }] });
  const cases: [number, number | undefined][] = [[5, m.ctx.images.oldId], [6, undefined]];
  for (const [did, hit] of cases) assert.equal(iotlbLookup(s, m.ctx, did)?.image, hit, `DID ${did}`);
});

test('iotlb: a fill replaces the entry with the same lookup tags (VT-d 6.2.4; QEMU vtd_update_iotlb)', () => {
  const cases: [string, number[]][] = [['spec', [1]], ['spec,iotlb-lookup-uses-did=true', [0, 1]]];
  for (const [assume, kept] of cases) {
    const m = model({ assume });
    const s = iotlbFill(at(m, { iotlb: [{ image: m.ctx.images.oldId }] }), m.ctx, m.ctx.images.newId);
    assert.deepEqual(s.iotlb.map((e) => e.image), kept.map((k) => (k ? m.ctx.images.newId : m.ctx.images.oldId)), assume);
  }
});

test('iotlb: iotlb_inv and p_iotlb_inv remove by DID, PASID and PGTT (VT-d 6.5.2.3 Table 23, 6.5.2.4 Table 24)', () => {
  const sl = model(); // old entry: SL, DID 5, PASID 0x10
  const fl = model({ ...TRANSITIONS.flNewDid }); // old entry: FL, DID 5
  const psi = (did: number, pasid: number): Descriptor => ({ ...pasidSelectiveIotlb(did, pasid), granularity: 'page' });
  const cases: [string, ReturnType<typeof model>, Descriptor, boolean][] = [
    ['iotlb_inv global', sl, iotlbInv('global', 0), true],
    ['iotlb_inv domain, same DID', sl, domainSelectiveIotlb(5), true],
    ['iotlb_inv domain, other DID', sl, domainSelectiveIotlb(6), false],
    ['p_iotlb_inv PASID-selective, same DID and PASID', sl, pasidSelectiveIotlb(5, 0x10), true],
    ['p_iotlb_inv PASID-selective, other PASID', sl, pasidSelectiveIotlb(5, 0x11), false],
    ['p_iotlb_inv page-within-PASID leaves an SL entry', sl, psi(5, 0x10), false],
    ['p_iotlb_inv page-within-PASID removes an FL entry', fl, psi(5, 0x10), true],
    ['pc_inv, when the PASID cache is inclusive (pc-inv-drops-iotlb), covers its DID and PASID', sl, pasidCacheInv('pasid', 5, 0x10), true],
    ['... and not another DID', sl, pasidCacheInv('pasid', 6, 0x10), false],
  ];
  for (const [what, m, d, removes] of cases) assert.equal(iotlbInvMatches(m.ctx, { image: m.ctx.images.oldId }, d), removes, what);
});
