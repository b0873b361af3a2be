// The thread's cases under each preset, with why each verdict is right by the spec.
// Workload: one ATS Translation Request and no untranslated DMA unless said otherwise, so
// each case isolates the ATS path the thread argues about; untranslated DMA adds the
// drain question (last tests).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stepper } from '../../src/check/stepper';
import { check, verdict } from './helpers';
import { TRANSITIONS } from '../../src/model/transitions';

const ats = { requests: 1, dmas: 0 };

test('SL->SL new DID, jason, spec: unsafe — the old-DID IOTLB entry stays hittable', () => {
  // VT-d Table 17: IOTLB lookup tags are Source-ID, PASID, address; DID is only an
  // invalidation tag. A PASID-cache invalidation does not drop IOTLB entries (§6.5.2.2).
  const r = check({ ...TRANSITIONS.slNewDid, strategy: 'jason', ...ats });
  assert.equal(verdict(r), 'unsafe stale-after-return');
  assert.match(r.violations[0].trace.violation!.reason, /IOTLB entry DID=5/);
});

test('SL->SL new DID, jason, jason preset without DID reuse: safe — with DID in the lookup the new DID misses the old entry', () => {
  // Jason's reading: "the IOTLB is cached by DID,PASID only"; plus pc_inv waits for walks
  // that read the old entry, so no walk still holds the old entry after the sync. Safe only
  // while the old DID is not given to another domain (see the DID-reuse test below).
  assert.equal(verdict(check({ ...TRANSITIONS.slNewDid, strategy: 'jason', assume: 'jason,did-reused-after-return=false', ...ats })), 'safe');
});

test('SL->SL new DID, jason, baolu preset: unsafe — draining translations does not help without an IOTLB flush', () => {
  assert.equal(verdict(check({ ...TRANSITIONS.slNewDid, strategy: 'jason', assume: 'baolu', ...ats })), 'unsafe stale-after-return');
});

for (const assume of ['spec', 'jason', 'baolu']) {
  test(`SL->SL new DID, baolu, ${assume}: safe — PC, P_IOTLB, Device-TLB each waited`, () => {
    // The IOTLB flush removes the old-DID entry; a completion racing the Invalidate
    // Request is discarded by a compliant device (PCIe §10.3.6).
    assert.equal(verdict(check({ ...TRANSITIONS.slNewDid, strategy: 'baolu', assume, ...ats })), 'safe');
  });
  test(`SL->SL new DID, jason-ordered, ${assume}: safe — one P_IOTLB ahead of the Device-TLB inv suffices`, () => {
    // VT-d §6.5.2.12 rule 4: p_dev_tlb_inv executes only after an earlier p_iotlb_inv.
    assert.equal(verdict(check({ ...TRANSITIONS.slNewDid, strategy: 'jason-ordered', assume, ...ats })), 'safe');
  });
}

test('FL->FL same DID, jason, every preset: unsafe — the DID did not change, so the old entry is hit even with DID in the lookup', () => {
  for (const assume of ['spec', 'jason', 'baolu']) {
    assert.equal(verdict(check({ ...TRANSITIONS.flSameDid, strategy: 'jason', assume, ...ats })), 'unsafe stale-after-return', assume);
  }
});

test('FL->FL same DID, baolu and table28, spec: safe', () => {
  assert.equal(verdict(check({ ...TRANSITIONS.flSameDid, strategy: 'baolu', ...ats })), 'safe');
  assert.equal(verdict(check({ ...TRANSITIONS.flSameDid, strategy: 'table28', ...ats })), 'safe');
});

test('FL->FL new DID (V-cleared path): not hitless by design, and torn by an out-of-order fetch under spec', () => {
  // Two critical quanta (DID in quantum 0, FSPTPTR in quantum 1): the writer clears P.
  // Between "rest" and "set-v" no PASID-cache invalidation runs (P stayed 0), so a fetch
  // that read chunk 1 early and chunk 0 late assembles new DID + old FSPTPTR (§9.6 says
  // nothing about fetch order). The P0->P1 sync flushes nothing when CM=0 (kernel
  // pasid_flush_caches), so that entry is still cached, walking the old table, after the
  // strategy returns. (The model used to report the torn fill itself; a torn read during
  // the update is J3's "unavoidable and OK", what survives the return is not.)
  const r = check({ ...TRANSITIONS.flNewDid, strategy: 'baolu', ...ats });
  assert.equal(r.notHitlessByDesign, true);
  assert.ok(!r.properties.includes('hitless'));
  assert.equal(verdict(r), 'unsafe stale-after-return');
  assert.match(r.violations[0].trace.violation!.reason, /torn: DID=6, walks old/);
  // With the P chunk read first, the same strategy is safe.
  assert.equal(verdict(check({ ...TRANSITIONS.flNewDid, strategy: 'baolu', assume: 'spec,entry-fetch-in-order=true', ...ats })), 'safe');
});

test('untranslated DMA: jason has no IOTLB invalidation, so nothing drains a DMA translated before return', () => {
  // VT-d §6.5.4: draining applies to untranslated requests after IOTLB/P_IOTLB
  // invalidations (VER>=2); nothing is stated for pc_inv.
  const r = check({ ...TRANSITIONS.slNewDid, strategy: 'jason', assume: 'jason,did-reused-after-return=false', requests: 0, dmas: 1 });
  assert.equal(verdict(r), 'unsafe stale-after-return');
  assert.match(r.violations[0].trace.violation!.reason, /untranslated DMA/);
  assert.equal(verdict(check({ ...TRANSITIONS.slNewDid, strategy: 'jason-ordered', assume: 'jason', requests: 0, dmas: 1 })), 'safe');
});

test('teardown-setup (today\'s upstream replace) on SL->SL: safe, and not hitless by design', () => {
  const r = check({ ...TRANSITIONS.slNewDid, strategy: 'teardown-setup' });
  assert.equal(verdict(r), 'safe');
  assert.equal(r.notHitlessByDesign, true);
});

test('a non-compliant device that keeps racing completions breaks baolu too', () => {
  // PCIe §10.3.6 requires discarding; without it the IOMMU-side flushes cannot help a
  // completion already in flight.
  const r = check({ ...TRANSITIONS.slNewDid, strategy: 'baolu', assume: 'spec,device-discards-racing-completions=false', ...ats });
  assert.equal(verdict(r), 'unsafe stale-after-return');
});

test('PASID 0 (RID_PASID): dev_tlb_inv is not ordered after P_IOTLB, so jason-ordered needs that assumption', () => {
  // VT-d 5.10 §6.5.2.12 rule 3 names iotlb_inv and iec_inv for dev_tlb_inv; rule 4 names
  // p_iotlb_inv for p_dev_tlb_inv only. At PASID 0x10 the same strategy is safe (rule 4).
  const rid = { ...TRANSITIONS.slNewDid, strategy: 'jason-ordered', pasid: 0, requests: 1, dmas: 0 };
  const r = check(rid);
  assert.equal(verdict(r), 'unsafe stale-after-return');
  assert.ok(r.violations[0].trace.steps.some((s) => /DEV_TLB_INV SID=0x0100 all: sends Invalidate Request/.test(s.text)));
  assert.equal(r.pasid, 0);
  assert.equal(verdict(check({ ...rid, assume: 'spec,devtlb-ordered-after-p-iotlb=true' })), 'safe');
  assert.equal(verdict(check({ ...rid, pasid: undefined })), 'safe');
});

test('late-fill fences are scoped to what the invalidation names; the broad fence is an assumption', () => {
  // VT-d §6.2.3.1: PASID cache then IOTLB, serially, because a walk under way may tag new
  // IOTLB fills with stale PASID-cache data; the fence an invalidation sets covers fills
  // in its own scope (Table 17 invalidation tags: DID, PGTT, PASID). A walk that fetched
  // the new entry (DID 6) before the old-DID P_IOTLB completed fills DID 6 afterwards; only
  // `inv-blocks-fills-of-other-dids` drops it. (drain-scope=processed lets the P_IOTLB
  // complete while the walk is still under way; in-flight would wait for it.)
  const fill = (assume: string): [string, string] => {
    const m = stepper({ ...TRANSITIONS.slNewDid, strategy: 'table28', requests: 1, dmas: 0, assume });
    m.take('writer step').take('ATS Translation Request #1').take('IOTLB evicts').take('reads entry chunk 0').take('reads entry chunk 1');
    m.take('submit PC_INV').take('PC_INV PASID-selective DID=5 PASID=0x10 done').take('INV_WAIT').take('wait status seen');
    m.take('submit P_IOTLB').take('P_IOTLB PASID-selective DID=5 PASID=0x10 done').take('page walk');
    return [m.parts()['IOTLB'], m.trace().steps.at(-1)!.text];
  };
  const [scoped, scopedStep] = fill('spec,drain-scope=processed');
  assert.equal(scoped, 'DID=6 new');
  assert.match(scopedStep, /IOTLB fill DID=6$/);
  const [broad, broadStep] = fill('spec,drain-scope=processed,inv-blocks-fills-of-other-dids=true');
  assert.equal(broad, 'empty');
  assert.match(broadStep, /IOTLB fill dropped/);
});

test('the drain scope decides every verdict with an untranslated DMA in flight', () => {
  // §6.6 (in-flight, the default) versus §6.5.4 read alone (processed): with only DMA
  // already translated and queued drained, a DMA that read the old IOTLB entry before the
  // invalidation reaches memory after the strategy returns, whatever the strategy does.
  for (const strategy of ['baolu', 'table28', 'jason-ordered']) {
    const input = { ...TRANSITIONS.slNewDid, strategy, requests: 1, dmas: 1 };
    assert.equal(verdict(check(input)), 'safe', strategy);
    const narrow = check({ ...input, assume: 'spec,drain-scope=processed' });
    assert.equal(verdict(narrow), 'unsafe stale-after-return', strategy);
    assert.match(narrow.violations[0].trace.violation!.reason, /untranslated DMA/);
  }
});

test('a wait completes after the descriptors since the previous wait only (VT-d §6.5.2.12 rule 5)', () => {
  // One submission of [PC, P_IOTLB, Device-TLB, wait] that the driver does not poll, then a
  // second [PC, wait] that it polls. The polled wait names only the second PC: the driver
  // may return while the first batch is still running, so the ATC can still hold the old
  // translation. Polling the first batch's wait instead is safe.
  const batch = (wait: 'poll' | 'none') => ({
    name: `two-batches-${wait}`, description: '', source: 'test', writer: 'entry_sync' as const, sync: {},
    after: [
      { do: 'submit' as const, descriptors: [{ type: 'pc_inv' as const, granularity: 'pasid' as const, did: 'old' as const }, { type: 'p_iotlb_inv' as const, granularity: 'pasid' as const, did: 'old' as const }, { type: 'devtlb' as const }, ...(wait === 'none' ? [{ type: 'inv_wait' as const, fn: false }] : [])], wait },
      { do: 'submit' as const, descriptors: [{ type: 'pc_inv' as const, granularity: 'pasid' as const, did: 'old' as const }], wait: 'poll' as const },
    ],
  });
  const early = check({ ...TRANSITIONS.slNewDid, strategy: batch('none'), requests: 1, dmas: 0 });
  assert.equal(verdict(early), 'unsafe stale-after-return');
  assert.equal(verdict(check({ ...TRANSITIONS.slNewDid, strategy: batch('poll'), requests: 1, dmas: 0 })), 'safe');
});

test('DID reuse: under Jason\'s lookup reading the old-DID entry he leaves is safe only while the old DID is not reused', () => {
  // Linux domain_detach_iommu() frees the DID (ida_free) with no IOTLB flush and
  // domain_attach_iommu() may hand it out again; VT-d Table 28 "Re-use a Domain-ID".
  const input = { ...TRANSITIONS.slNewDid, strategy: 'jason', requests: 1, dmas: 0 };
  const reused = check({ ...input, assume: 'jason' });
  assert.equal(verdict(reused), 'unsafe stale-after-return');
  assert.match(reused.violations[0].trace.violation!.reason, /stale entry under DID=5 .*next domain/);
  assert.equal(verdict(check({ ...input, assume: 'jason,did-reused-after-return=false' })), 'safe');
  // jason-ordered removes the old-DID entry, so reuse does not matter to it.
  assert.equal(verdict(check({ ...input, strategy: 'jason-ordered', assume: 'jason' })), 'safe');
});

test('A->B->A: a leftover entry under the incoming DID needs Table 28\'s re-use row before the write', () => {
  const aba = { from: 'sl:did=6,ssptptr=0x2000', to: 'sl:did=5,ssptptr=0x1000', leftover: 'sl:did=5,ssptptr=0x3000', requests: 1, dmas: 0, assume: 'jason' };
  const late = check({ ...aba, strategy: 'table28' });
  assert.equal(verdict(late), 'unsafe hitless');
  assert.match(late.violations[0].trace.violation!.reason, /leftover/);
  assert.equal(verdict(check({ ...aba, strategy: 'table28-reuse-did' })), 'safe');
  // Without DID in the lookup the leftover cannot have survived B's time: it is not there.
  const spec = check({ ...aba, strategy: 'table28', assume: 'spec' });
  assert.equal(verdict(spec), 'safe');
  // A leftover must carry the incoming DID and walk other tables than the new entry.
  assert.throws(() => check({ ...aba, leftover: 'sl:did=7,ssptptr=0x3000', strategy: 'jason' }), /must be present and carry the new entry's DID \(5\)/);
  assert.throws(() => check({ ...aba, leftover: 'sl:did=5,ssptptr=0x1000', strategy: 'jason' }), /walks the same tables as the new entry/);
});
