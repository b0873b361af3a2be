import { test } from 'node:test';
import assert from 'node:assert/strict';
import { configKind, formatSmmuConfig, parseSmmuConfig, steVmid, cdAsid, cdTtb0, steS2ttb } from '../../src/formats/smmuv3Config';
import { makeBypassSte } from '../../src/formats/smmuv3';

test('the compact SMMUv3 syntax round-trips and builds what the driver builds', () => {
  for (const text of ['s1:asid=1,ttb=0x1000', 's1:asid=7,ttb=0x2000,vmid=3', 's2:vmid=2,s2ttb=0x2000', 'nested:vmid=1,s2ttb=0x1000,asid=4,ttb=0x3000', 'bypass', 'abort', 'off', 's2:vmid=2,s2ttb=0x2000,ats=0']) {
    assert.equal(formatSmmuConfig(parseSmmuConfig(text)), text);
  }
  const w = parseSmmuConfig('nested:vmid=1,s2ttb=0x1000,asid=4,ttb=0x3000');
  assert.equal(configKind(w), 'nested');
  assert.equal(steVmid(w), 1);
  assert.equal(cdAsid(w), 4);
  assert.equal(cdTtb0(w), 0x3000n);
  assert.equal(steS2ttb(w), 0x1000n);
  assert.deepEqual(parseSmmuConfig('bypass').slice(0, 8), makeBypassSte({ stalls: false, stallForce: false, attrTypesOvr: true, e2h: false }));
});

test('bad SMMUv3 configurations are one clear line', () => {
  const bad: [string, RegExp][] = [
    ['s3:asid=1', /unknown configuration 's3:asid=1'/],
    ['s1:asid=1', /s1 needs ttb=/],
    ['s1:asid=1,ttb=0x1001', /16-byte aligned/],
    ['s1:asid=0x10000,ttb=0x1000', /at most 0xffff/],
    ['s2:vmid=1,s2ttb=0x1000,asid=2', /s2 takes vmid, s2ttb, ats, not 'asid'/],
    ['s1:asid=1,asid=2,ttb=0x1000', /asid given twice/],
  ];
  for (const [text, re] of bad) assert.throws(() => parseSmmuConfig(text), (e: Error) => e.name === 'SpecError' && re.test(e.message) && !e.message.includes('\n'), text);
});
