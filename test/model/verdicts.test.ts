// The thread's cases under each preset, with why each verdict is right by the spec.
// Workload: one ATS Translation Request and no untranslated DMA unless said otherwise, so
// each case isolates the ATS path the thread argues about; untranslated DMA adds the
// drain question (last tests).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { check, verdict, SL_NEW_DID, FL_SAME_DID, FL_NEW_DID } from './helpers';

const ats = { requests: 1, dmas: 0 };

test('SL->SL new DID, jason, spec: unsafe — the old-DID IOTLB entry stays hittable', () => {
  // VT-d Table 17: IOTLB lookup tags are Source-ID, PASID, address; DID is only an
  // invalidation tag. A PASID-cache invalidation does not drop IOTLB entries (§6.5.2.2).
  const r = check({ ...SL_NEW_DID, strategy: 'jason', ...ats });
  assert.equal(verdict(r), 'unsafe stale-after-return');
  assert.match(r.violations[0].trace.violation!.reason, /IOTLB entry DID=5/);
});

test('SL->SL new DID, jason, jason preset: safe — with DID in the lookup the new DID misses the old entry', () => {
  // Jason's reading: "the IOTLB is cached by DID,PASID only"; plus pc_inv waits for walks
  // that read the old entry, so no walk still holds the old entry after the sync.
  assert.equal(verdict(check({ ...SL_NEW_DID, strategy: 'jason', assume: 'jason', ...ats })), 'safe');
});

test('SL->SL new DID, jason, baolu preset: unsafe — draining translations does not help without an IOTLB flush', () => {
  assert.equal(verdict(check({ ...SL_NEW_DID, strategy: 'jason', assume: 'baolu', ...ats })), 'unsafe stale-after-return');
});

for (const assume of ['spec', 'jason', 'baolu']) {
  test(`SL->SL new DID, baolu, ${assume}: safe — PC, P_IOTLB, Device-TLB each waited`, () => {
    // The IOTLB flush removes the old-DID entry; a completion racing the Invalidate
    // Request is discarded by a compliant device (PCIe §10.3.6).
    assert.equal(verdict(check({ ...SL_NEW_DID, strategy: 'baolu', assume, ...ats })), 'safe');
  });
  test(`SL->SL new DID, jason-ordered, ${assume}: safe — one P_IOTLB ahead of the Device-TLB inv suffices`, () => {
    // VT-d §6.5.2.12 rule 4: p_dev_tlb_inv executes only after an earlier p_iotlb_inv.
    assert.equal(verdict(check({ ...SL_NEW_DID, strategy: 'jason-ordered', assume, ...ats })), 'safe');
  });
}

test('FL->FL same DID, jason, every preset: unsafe — the DID did not change, so the old entry is hit even with DID in the lookup', () => {
  for (const assume of ['spec', 'jason', 'baolu']) {
    assert.equal(verdict(check({ ...FL_SAME_DID, strategy: 'jason', assume, ...ats })), 'unsafe stale-after-return', assume);
  }
});

test('FL->FL same DID, baolu and table28, spec: safe', () => {
  assert.equal(verdict(check({ ...FL_SAME_DID, strategy: 'baolu', ...ats })), 'safe');
  assert.equal(verdict(check({ ...FL_SAME_DID, strategy: 'table28', ...ats })), 'safe');
});

test('FL->FL new DID (V-cleared path): not hitless by design, and torn by an out-of-order fetch under spec', () => {
  // Two critical quanta (DID in quantum 0, FSPTPTR in quantum 1): the writer clears P.
  // Between "rest" and "set-v" no PASID-cache invalidation runs (P stayed 0), so a fetch
  // that read chunk 1 early and chunk 0 late assembles new DID + old FSPTPTR (§9.6 says
  // nothing about fetch order). The P0->P1 sync flushes nothing when CM=0 (kernel
  // pasid_flush_caches), so that entry is still cached, walking the old table, after the
  // strategy returns. (The model used to report the torn fill itself; a torn read during
  // the update is J3's "unavoidable and OK", what survives the return is not.)
  const r = check({ ...FL_NEW_DID, strategy: 'baolu', ...ats });
  assert.equal(r.notHitlessByDesign, true);
  assert.ok(!r.properties.includes('hitless'));
  assert.equal(verdict(r), 'unsafe stale-after-return');
  assert.match(r.violations[0].trace.violation!.reason, /torn: DID=6, walks old/);
  // With the P chunk read first, the same strategy is safe.
  assert.equal(verdict(check({ ...FL_NEW_DID, strategy: 'baolu', assume: 'spec,entry-fetch-in-order=true', ...ats })), 'safe');
});

test('untranslated DMA: jason has no IOTLB invalidation, so nothing drains a DMA translated before return', () => {
  // VT-d §6.5.4: draining applies to untranslated requests after IOTLB/P_IOTLB
  // invalidations (VER>=2); nothing is stated for pc_inv.
  const r = check({ ...SL_NEW_DID, strategy: 'jason', assume: 'jason', requests: 0, dmas: 1 });
  assert.equal(verdict(r), 'unsafe stale-after-return');
  assert.match(r.violations[0].trace.violation!.reason, /untranslated DMA/);
  assert.equal(verdict(check({ ...SL_NEW_DID, strategy: 'jason-ordered', assume: 'jason', requests: 0, dmas: 1 })), 'safe');
});

test('teardown-setup (today\'s upstream replace) on SL->SL: safe, and not hitless by design', () => {
  const r = check({ ...SL_NEW_DID, strategy: 'teardown-setup' });
  assert.equal(verdict(r), 'safe');
  assert.equal(r.notHitlessByDesign, true);
});

test('a non-compliant device that keeps racing completions breaks baolu too', () => {
  // PCIe §10.3.6 requires discarding; without it the IOMMU-side flushes cannot help a
  // completion already in flight.
  const r = check({ ...SL_NEW_DID, strategy: 'baolu', assume: 'spec,device-discards-racing-completions=false', ...ats });
  assert.equal(verdict(r), 'unsafe stale-after-return');
});
