import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stepper } from '../../src/check/stepper';
import { TRANSITIONS } from '../../src/model/transitions';

test('stepping by hand reproduces Baolu\'s scenario: a stale IOTLB hit refills the ATC after jason returns', () => {
  const m = stepper({ ...TRANSITIONS.slNewDid, strategy: 'jason', requests: 1, dmas: 0 });
  assert.equal(m.parts()['IOTLB'], 'DID=5 old');
  m.take('writer step').take('submit PC_INV').take('PC_INV PASID-selective DID=5 PASID=0x10 done');
  assert.equal(m.parts()['PASID cache'], 'empty');
  assert.equal(m.parts()['IOTLB'], 'DID=5 old', 'a PASID-cache invalidation leaves the IOTLB alone (VT-d 6.5.2.2)');
  m.take('INV_WAIT').take('wait status seen').take('submit P_DEV_TLB_INV').take('sends Invalidate Request')
    .take('Invalidate Request received').take('sends Invalidate Completion').take('Invalidate Completion received')
    .take('INV_WAIT').take('wait status seen').take('strategy returns');
  assert.deepEqual(m.violations().map((v) => v.property), ['stale-after-return']);
  m.take('ATS Translation Request #1').take('hit (old');
  assert.equal(m.trace().steps.length, 15);
  assert.throws(() => m.take('no such step'), /no enabled step matches/);
});
