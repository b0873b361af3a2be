// The queue's ordering rules (src/model/parts/queueOrder.ts `blocks`, VT-d 5.10 6.5.2.12).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { blocks } from '../../../src/model/parts/queueOrder';
import { readAssumptions } from '../../../src/model/context';
import { resolveAssumptions } from '../../../src/model/assumptions';
import {
  domainSelectiveIotlb, invWait, pasidCacheInv, pasidSelectiveIotlb, wholeRangeDevTlb, wholeRangePasidDevTlb, type Descriptor,
} from '../../../src/formats/descriptors';

const PC = pasidCacheInv('pasid', 5, 0x10);
const IOTLB = domainSelectiveIotlb(5);
const PIOTLB = pasidSelectiveIotlb(5, 0x10);
const DEV = wholeRangeDevTlb({ sid: 0x100, pfsid: 0x100, mip: 0 });
const PDEV = wholeRangePasidDevTlb({ sid: 0x100, pfsid: 0x100, mip: 0, pasid: 0x10 });
const WAIT = invWait();
const FENCE = invWait({ fn: true });
const CC: Descriptor = { type: 'cc_inv', granularity: 'global', did: 0, sid: 0, fm: 0 };

/** Must `earlier` (queue index 0) complete before `later` (index 1) starts, under `assume`? */
function waits(earlier: Descriptor, later: Descriptor, assume = 'spec'): boolean {
  return blocks({ hw: readAssumptions(resolveAssumptions(assume)), descriptors: [earlier, later] }, 0, 1);
}

test('queue: pc_inv waits for cc_inv, and nothing else (6.5.2.12 rule 1)', () => {
  for (const [earlier, expected] of [[CC, true], [IOTLB, false], [DEV, false]] as const) assert.equal(waits(earlier, PC), expected, earlier.type);
});

test('queue: iotlb_inv and p_iotlb_inv wait for cc_inv and pc_inv (6.5.2.12 rule 2)', () => {
  for (const later of [IOTLB, PIOTLB]) {
    for (const [earlier, expected] of [[CC, true], [PC, true], [DEV, false]] as const) assert.equal(waits(earlier, later), expected, `${earlier.type} before ${later.type}`);
  }
});

test('queue: dev_tlb_inv waits for iotlb_inv but not p_iotlb_inv nor pc_inv (6.5.2.12 rule 3)', () => {
  const cases: [Descriptor, string, boolean][] = [
    [IOTLB, 'spec', true],
    [PIOTLB, 'spec', false],
    [PIOTLB, 'spec,devtlb-ordered-after-p-iotlb=true', true],
    [PC, 'spec', false],
    [PC, 'spec,devtlb-after-pc-inv=true', true],
  ];
  for (const [earlier, assume, expected] of cases) assert.equal(waits(earlier, DEV, assume), expected, `${earlier.type} under ${assume}`);
});

test('queue: p_dev_tlb_inv waits for iotlb_inv and p_iotlb_inv (6.5.2.12 rule 4)', () => {
  for (const [earlier, expected] of [[IOTLB, true], [PIOTLB, true], [PC, false]] as const) assert.equal(waits(earlier, PDEV), expected, earlier.type);
});

test('queue: a wait completes after the descriptors since the previous wait, not before them (6.5.2.12 rule 5)', () => {
  const hw = readAssumptions(resolveAssumptions('spec'));
  const ctx = { hw, descriptors: [PC, WAIT, DEV, WAIT] };
  const cases: [number, boolean][] = [[0, false], [1, false], [2, true]];
  for (const [j, expected] of cases) assert.equal(blocks(ctx, j, 3), expected, `descriptor ${j} before the second wait`);
});

test('queue: nothing behind a wait with FN=1 starts before it completes (6.5.2.12 rule 6)', () => {
  for (const later of [PC, IOTLB, DEV]) {
    assert.equal(waits(FENCE, later), true, `${later.type} behind a fence`);
    assert.equal(waits(WAIT, later), false, `${later.type} behind a wait without fence`);
  }
});
