// Strategies in words: every descriptor template and action spelled as the kernel names
// them, within 72 columns, for each thread strategy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { actionText, strategyToText, templateText } from '../../src/present/strategyText';
import { STRATEGIES } from '../../src/model/strategies';

test('descriptors and actions', () => {
  assert.equal(templateText({ type: 'pc_inv', granularity: 'pasid', did: 'old' }), 'PC_INV(pasid, old DID)');
  assert.equal(templateText({ type: 'iotlb_inv', granularity: 'domain', did: 'new' }), 'IOTLB(domain, new DID)');
  assert.equal(templateText({ type: 'inv_wait', fn: true }), 'WAIT(FN)');
  assert.equal(actionText({ do: 'clflush', when: 'not-coherent' }), 'clflush (if not coherent)');
  assert.equal(actionText({ do: 'submit', descriptors: [{ type: 'p_iotlb_inv', granularity: 'pasid', did: 'old' }, { type: 'devtlb' }], wait: 'poll' }),
    'submit [P_IOTLB(pasid, old DID), DEVTLB(all)] + wait');
  assert.equal(actionText({ do: 'submit', descriptors: [{ type: 'devtlb' }], wait: 'none', when: 'caching-mode' }),
    'submit [DEVTLB(all)], no wait (only under caching mode)');
});

test('the thread strategies in words', () => {
  const jason = strategyToText(STRATEGIES.jason);
  assert.match(jason, /^strategy jason: sync = clflush \+ PC inv \+ wait;/);
  assert.match(jason, /^  sync P1->P1: clflush \(if not coherent\);$/m);
  assert.match(jason, /^ {15}submit \[PC_INV\(pasid, previous DID\)\] \+ wait$/m, 'an action is never split across lines');
  assert.match(jason, /^  sync P0->P0: as P1->P1$/m);
  assert.match(strategyToText(STRATEGIES.table28), /^  source: VT-d 5\.10 6\.5\.3\.3 Table 28/m);
  assert.match(jason, /^  sync P1->P0: as P1->P1$/m);
  assert.match(jason, /^  after: +submit \[DEVTLB\(all\)\] \+ wait$/m);
  assert.match(strategyToText(STRATEGIES['posted-v1']), /^  after: +nothing$/m);
  for (const s of Object.values(STRATEGIES)) {
    for (const line of strategyToText(s).split('\n')) assert.ok(line.length <= 72 && /^[\x20-\x7e]*$/.test(line), `${s.name}: ${line}`);
  }
});
