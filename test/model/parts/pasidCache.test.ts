// The PASID cache (src/model/parts/pasidCache.ts): what may be cached, what an invalidation removes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pasidCacheInv } from '../../../src/formats/descriptors';
import { pasidCacheTag, pasidCacheable, pcInvMatches } from '../../../src/model/parts/pasidCache';
import { TRANSITIONS } from '../../../src/model/transitions';
import { model } from './kit';

test('pasidCache: pc_inv removes by granularity: global, DID, or DID+PASID (VT-d 6.5.2.2, Table 17)', () => {
  const m = model(); // the cached entry: DID 5, PASID 0x10
  const old = m.ctx.images.oldId;
  const cases: [string, ReturnType<typeof pasidCacheInv>, boolean][] = [
    ['global', pasidCacheInv('global', 0), true],
    ['domain, same DID', pasidCacheInv('domain', 5), true],
    ['domain, other DID', pasidCacheInv('domain', 6), false],
    ['PASID-selective, same DID and PASID', pasidCacheInv('pasid', 5, 0x10), true],
    ['PASID-selective, other PASID', pasidCacheInv('pasid', 5, 0x11), false],
    ['PASID-selective, other DID', pasidCacheInv('pasid', 6, 0x10), false],
  ];
  for (const [what, d, removes] of cases) assert.equal(pcInvMatches(m.ctx, old, d), removes, what);
});

test('pasidCache: CM=0 caches only entries that translate, CM=1 also not-present ones (VT-d 6.2.2, 6.2.3)', () => {
  const cases: [string, boolean, boolean][] = [
    ['spec,caching-mode=false', true, false],
    ['spec,caching-mode=true', true, true],
  ];
  for (const [assume, present, notPresent] of cases) {
    const m = model({ from: TRANSITIONS.slNewDid.from, to: 'off', strategy: 'teardown-setup', assume });
    assert.equal(pasidCacheable(m.ctx, m.ctx.images.oldId), present, `${assume}: present entry`);
    assert.equal(pasidCacheable(m.ctx, m.ctx.images.newId), notPresent, `${assume}: not-present entry`);
  }
});

test('pasidCache: a not-present entry cached under CM=1 is tagged with DID 0 (VT-d 6.2.3)', () => {
  const m = model({ from: TRANSITIONS.slNewDid.from, to: 'off', strategy: 'teardown-setup', assume: 'spec,caching-mode=true' });
  assert.equal(pasidCacheTag(m.ctx, m.ctx.images.oldId), 5);
  assert.equal(pasidCacheTag(m.ctx, m.ctx.images.newId), 0);
});
