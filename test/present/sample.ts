/**
 * Hand-made traces and results shaped like the checker's, for testing the renderers on
 * their own. `jasonStale` is the thread's case: Jason's strategy on SL->SL with a new DID
 * where the device's Invalidate Request overtakes a Translation Completion that carries
 * the old translation from a stale IOTLB entry (IOTLB lookup does not include DID).
 */
import type { Trace } from '../../src/model/trace';
import type { CheckResult } from '../../src/check/result';
import { TRANSITIONS } from '../../src/model/transitions';

export const FROM = TRANSITIONS.slNewDid.from;
export const TO = TRANSITIONS.slNewDid.to;

export const jasonStale: Trace = {
  title: 'jason-sl-sl-new-did',
  steps: [
    { index: 1, lane: 'device', text: 'Device: ATS Translation Request PASID 0x10 page 0x0 (req 1)', changes: ['device: req 1 outstanding'],
      message: { id: 'tr1', kind: 'send', peer: 'iotlb', label: 'Translation Request' } },
    { index: 2, lane: 'iotlb', text: 'IOMMU: IOTLB lookup SID 00:02.0 PASID 0x10 page 0x0: hit DID 5 \u2192 0x1000 (old)', changes: [],
      message: { id: 'tr1', kind: 'receive', peer: 'device', label: 'Translation Request' } },
    { index: 3, lane: 'iotlb', text: 'IOMMU: Translation Completion req 1: page 0x0 -> 0x1000 (old)', changes: ['link: completion in flight'],
      message: { id: 'tc1', kind: 'send', peer: 'device', label: 'Translation Completion (old)' } },
    { index: 4, lane: 'driver', text: 'Driver: writer stores qw0-1 (DID 5 -> 6, SSPTPTR 0x1000 -> 0x2000)', changes: ['cache line: qw0-1 = new'] },
    { index: 5, lane: 'memory', text: 'CPU: cache line written back to memory', changes: ['memory: PASID entry = new'] },
    { index: 6, lane: 'driver', text: 'Driver: submit pc_inv PASID-selective DID=5 PASID=0x10, inv_wait SW=1', changes: ['queue += pc_inv, inv_wait'] },
    { index: 7, lane: 'queue', text: 'IOMMU: pc_inv PASID-selective DID=5 PASID=0x10 done', changes: ['PASID cache -= {PASID 0x10 -> old}'] },
    { index: 8, lane: 'queue', text: 'IOMMU: inv_wait done (status 1 written)', changes: [] },
    { index: 9, lane: 'driver', text: 'Driver: submit dev_tlb_inv SID 00:02.0 PASID 0x10 page 0x0, inv_wait SW=2', changes: ['queue += dev_tlb_inv, inv_wait'] },
    { index: 10, lane: 'queue', text: 'IOMMU: dev_tlb_inv sends ATS Invalidate Request', changes: [],
      message: { id: 'ir1', kind: 'send', peer: 'device', label: 'Invalidate Request' } },
    { index: 11, lane: 'device', text: 'Device: Invalidate Request PASID 0x10 page 0x0: ATC drops old entry', changes: ['ATC -= {PASID 0x10 page 0x0 -> old}'],
      message: { id: 'ir1', kind: 'receive', peer: 'queue', label: 'Invalidate Request' } },
    { index: 12, lane: 'device', text: 'Device: Invalidate Completion', changes: [],
      message: { id: 'ic1', kind: 'send', peer: 'queue', label: 'Invalidate Completion' } },
    { index: 13, lane: 'queue', text: 'IOMMU: dev_tlb_inv done', changes: [],
      message: { id: 'ic1', kind: 'receive', peer: 'device', label: 'Invalidate Completion' } },
    { index: 14, lane: 'queue', text: 'IOMMU: inv_wait done (status 2 written)', changes: [] },
    { index: 15, lane: 'driver', text: 'Driver: strategy returns; old domain pages freed', changes: ['returned'] },
    { index: 16, lane: 'device', text: 'Device: Translation Completion req 1 accepted', changes: ['ATC += {PASID 0x10 page 0x0 -> 0x1000 old}'],
      message: { id: 'tc1', kind: 'receive', peer: 'iotlb', label: 'Translation Completion (old)' } },
    { index: 17, lane: 'device', text: 'Device: DMA PASID 0x10 page 0x0 through ATC -> 0x1000 (old)', changes: ['dma 1 used old'] },
  ],
  violation: {
    property: 'stale-after-return', step: 17,
    reason: 'the device used the old domain\u2019s translation (page 0x0 -> 0x1000) after the strategy returned.',
  },
};

/** A short second trace (no-flush) for side-by-side and for an in-flight message. */
export const noFlushStale: Trace = {
  title: 'no-flush-sl-sl-new-did',
  steps: [
    { index: 1, lane: 'driver', text: 'Driver: writer stores qw0-1 (DID 5 -> 6, SSPTPTR 0x1000 -> 0x2000)', changes: ['memory: PASID entry = new'] },
    { index: 2, lane: 'driver', text: 'Driver: strategy returns; old domain pages freed', changes: ['returned'] },
    { index: 3, lane: 'device', text: 'Device: DMA PASID 0x10 page 0x0 through ATC -> 0x1000 (old)', changes: ['dma 1 used old'] },
    { index: 4, lane: 'device', text: 'Device: ATS Translation Request PASID 0x10 page 0x4 (req 2)', changes: [],
      message: { id: 'tr2', kind: 'send', peer: 'iotlb', label: 'Translation Request' } },
  ],
  violation: { property: 'stale-after-return', step: 3, reason: 'the device used the old domain\'s translation after the strategy returned.' },
};

const cost = {
  descriptors: { pc_inv: 1, dev_tlb_inv: 1, inv_wait: 2 },
  submissions: 2, waits: 2, devtlbInvalidations: 1, syncs: 1, clflushes: 0,
};

export const SPEC_DEFAULTS: Record<string, boolean | number | string> = {
  'iotlb-lookup-uses-did': false, 'pc-inv-drops-iotlb': false, 'pc-inv-blocks-late-fills': true,
  'pc-inv-waits-for-walks': false, 'iotlb-inv-blocks-late-fills': true, 'inv-blocks-fills-of-other-dids': false, 'drain-scope': 'in-flight',
  'device-discards-racing-completions': true, 'inv-may-pass-completion': true, 'entry-fetch-bits': 128,
  coherent: true, 'caching-mode': false,
};

export const unsafeResult: CheckResult = {
  name: 'jason-sl-sl-new-did', from: FROM, to: TO, pasid: 0x10, strategy: 'jason',
  assume: 'spec,device-discards-racing-completions=false',
  assumptions: { ...SPEC_DEFAULTS, 'device-discards-racing-completions': false },
  requests: 2, dmas: 2, cold: false, verdict: 'unsafe', states: 4211, transitions: 10233, millis: 57,
  properties: ['stale-after-return', 'hitless', 'torn-fill', 'termination'],
  violations: [{ property: 'stale-after-return', trace: jasonStale }],
  notHitlessByDesign: false, cost,
};

export const safeResult: CheckResult = {
  ...unsafeResult, name: 'baolu-sl-sl-new-did', strategy: 'baolu', assume: 'jason',
  assumptions: { ...SPEC_DEFAULTS, 'iotlb-lookup-uses-did': true, 'pc-inv-waits-for-walks': true },
  verdict: 'safe', states: 18342, transitions: 51200, millis: 230, violations: [],
  cost: { descriptors: { pc_inv: 2, p_iotlb_inv: 2, dev_tlb_inv: 2, inv_wait: 6 }, submissions: 6, waits: 6, devtlbInvalidations: 2, syncs: 2, clflushes: 0 },
};

export const inconclusiveResult: CheckResult = {
  ...safeResult, name: 'table28-big', strategy: 'table28', assume: 'spec', verdict: 'inconclusive',
  assumptions: { ...SPEC_DEFAULTS }, states: 100000, exhausted: 'states',
};
