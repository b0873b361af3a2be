import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ASSUMPTIONS, PRESETS, PRESET_NAMES, SPEC_DEFAULTS, resolveAssumptions, describeAssumptions, type AssumptionValues } from '../../src/model/assumptions';
import { readAssumptions } from '../../src/model/context';

const REQUIRED = ['iotlb-lookup-uses-did', 'pc-inv-drops-iotlb', 'pc-inv-blocks-late-fills', 'pc-inv-waits-for-walks',
  'iotlb-inv-blocks-late-fills', 'inv-blocks-fills-of-other-dids', 'drain-scope', 'device-discards-racing-completions',
  'inv-may-pass-completion', 'devtlb-ordered-after-p-iotlb', 'entry-fetch-bits', 'entry-fetch-in-order', 'coherent', 'caching-mode'];

test('every assumption the issue names exists with the spec default it gives', () => {
  const defaults: Record<string, boolean | number | string> = {
    'iotlb-lookup-uses-did': false, 'pc-inv-drops-iotlb': false, 'pc-inv-blocks-late-fills': true, 'pc-inv-waits-for-walks': false,
    'iotlb-inv-blocks-late-fills': true, 'inv-blocks-fills-of-other-dids': false, 'drain-scope': 'in-flight',
    'device-discards-racing-completions': true, 'inv-may-pass-completion': true, 'devtlb-ordered-after-p-iotlb': false,
    'entry-fetch-bits': 128, 'entry-fetch-in-order': false, coherent: true, 'caching-mode': false,
  };
  for (const name of REQUIRED) {
    const a = ASSUMPTIONS.find((x) => x.name === name);
    assert.ok(a, name);
    assert.equal(a.default, defaults[name], name);
  }
});

test('every assumption cites its section and says whose position relies on it', () => {
  for (const a of ASSUMPTIONS) {
    assert.match(a.section, /VT-d|PCIe|Linux/, a.name);
    assert.ok(a.reliedOnBy.length > 0 && a.meaning.length > 0, a.name);
  }
  assert.equal(new Set(ASSUMPTIONS.map((a) => a.name)).size, ASSUMPTIONS.length);
});

test('presets: spec is the defaults, jason and baolu set what the thread says', () => {
  assert.equal(describeAssumptions(resolveAssumptions('spec')), 'spec');
  assert.equal(describeAssumptions(resolveAssumptions('jason')), 'iotlb-lookup-uses-did=true,pc-inv-waits-for-walks=true');
  // Baolu's world (not inclusive; the IOTLB flush drains in-flight translation requests)
  // is the spec reading since drain-scope=in-flight became the default (VT-d §6.6).
  assert.equal(describeAssumptions(resolveAssumptions('baolu')), 'spec');
  assert.equal(resolveAssumptions('baolu')['drain-scope'], 'in-flight');
  assert.deepEqual(Object.keys(PRESETS), ['spec', 'jason', 'baolu']);
});

test('a preset can be refined, and a refinement alone refines spec', () => {
  assert.equal(resolveAssumptions('spec,coherent=false').coherent, false);
  assert.equal(resolveAssumptions('jason,coherent=false')['iotlb-lookup-uses-did'], true);
  assert.equal(resolveAssumptions('entry-fetch-bits=64')['entry-fetch-bits'], 64);
  assert.equal(resolveAssumptions('drain-scope=processed')['drain-scope'], 'processed');
});

test('bad assumption text names the problem', () => {
  assert.throws(() => resolveAssumptions('nonsense'), /unknown preset 'nonsense'/);
  assert.throws(() => resolveAssumptions('spec,no-such=true'), /unknown assumption 'no-such'/);
  assert.throws(() => resolveAssumptions('spec,coherent=maybe'), /true or false, not 'maybe'/);
  assert.throws(() => resolveAssumptions('spec,entry-fetch-bits=96'), /one of 64, 128, 512/);
  assert.throws(() => resolveAssumptions('spec,drain-scope=all'), /one of none, processed, in-flight/);
  assert.throws(() => resolveAssumptions('coherent=false,jason'), /must come first/);
});

test('names are typed: a misspelt field or preset key does not compile (npm run typecheck)', () => {
  const hw = readAssumptions(resolveAssumptions('spec'));
  // @ts-expect-error a misspelt field of the model's view is a compile error
  assert.equal(hw.iotlbLookupUsesDId, undefined);
  assert.equal(hw.iotlbLookupUsesDid, false);
  // @ts-expect-error a misspelt name in a preset is a compile error
  const bad = { 'iotlb-lookup-uses-dld': true } satisfies Partial<AssumptionValues>;
  assert.ok(bad);
  assert.deepEqual(PRESET_NAMES, Object.keys(PRESETS));
  assert.deepEqual(SPEC_DEFAULTS, Object.fromEntries(ASSUMPTIONS.map((a) => [a.name, a.default])));
});
