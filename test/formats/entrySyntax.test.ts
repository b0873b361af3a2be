import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ENTRY_SYNTAX_FIELDS, encodePasidEntry, formatEntry, makePasidEntry, parseEntry } from '../../src/formats/pasidEntry';
import { SpecError } from '../../src/formats/errors';
import { entryFields, entryWords } from './arbitraries';

const w = (...pairs: [number, bigint][]): bigint[] => {
  const out = [0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n];
  for (const [i, v] of pairs) out[i] = v;
  return out;
};

test('off is the all-zero entry', () => {
  assert.deepEqual(parseEntry('off'), w());
  assert.equal(formatEntry(w()), 'off');
});

test('the issue example: fl:did=5,fsptptr=0x1000 with kernel defaults (AW 4-level, PWSNP)', () => {
  // P | AW=2 (48-bit) | PGTT=1; DID=5 | PWSNP; FSPTPTR.
  assert.deepEqual(parseEntry('fl:did=5,fsptptr=0x1000'), w([0, 0x49n], [1, 0x800005n], [2, 0x1000n]));
});

test('defaults per kind match makePasidEntry (intel_pasid_setup_* without caller values)', () => {
  assert.deepEqual(parseEntry('pt'), w([0, 0x109n], [1, 0x800001n]));
  assert.deepEqual(parseEntry('sl:did=5,ssptptr=0x1000'), makePasidEntry('sl', { did: 5, ssptptr: 0x1000n }));
  assert.deepEqual(parseEntry('nested:did=5,ssptptr=0x1000,fsptptr=0x2000,sre,wpe,eafe'),
    makePasidEntry('nested', { did: 5, ssptptr: 0x1000n, fsptptr: 0x2000n, sre: true, wpe: true, eafe: true }));
});

test('every field of the issue by name, decimal and hex values, bare flags, case and spaces', () => {
  const e = parseEntry(' NESTED : did=0x10 , ssptptr=4096, fsptptr=0x2000, aw=3, fspm=1, fpd=1, pwsnp=0, pgsnp, ssade=1, sre=1, wpe=1, eafe=1 ');
  assert.deepEqual(e, w([0, 0x1000n | 0x200n | (3n << 6n) | (3n << 2n) | 0x2n | 0x1n], [1, 0x10n | (1n << 24n)], [2, 0x2000n | 0x80n | 0x10n | 0x4n | 0x1n]));
  assert.equal(formatEntry(e), 'nested:did=16,ssptptr=0x1000,fsptptr=0x2000,aw=3,fspm=1,fpd=1,pwsnp=0,pgsnp=1,ssade=1,sre=1,wpe=1,eafe=1');
});

test('not-present and torn intermediate states have a form (the writer and traces need them)', () => {
  // The breaking path's first step: qword 0 zeroed, the rest still the old entry.
  const torn = w([1, 0x800005n], [2, 0x1000n]);
  assert.equal(formatEntry(torn), 'off:did=5,fsptptr=0x1000,pwsnp=1');
  assert.deepEqual(parseEntry('off:did=5,fsptptr=0x1000,pwsnp=1'), torn);
  const staged = makePasidEntry('sl', { did: 5, ssptptr: 0x1000n, present: false });
  assert.equal(formatEntry(staged), 'sl:p=0,did=5,ssptptr=0x1000');
  assert.equal(formatEntry(w([0, 0x141n])), 'pgtt5');
  assert.equal(formatEntry(w([0, 0x1n])), 'off:p=1');
  assert.equal(formatEntry(w([3, 0x10n], [7, 1n << 63n])), 'off:res3=0x10,res7=0x8000000000000000');
});

test('formatEntry is canonical: field order fixed, defaults omitted', () => {
  assert.equal(formatEntry(parseEntry('fl:fsptptr=0x1000,did=5')), 'fl:did=5,fsptptr=0x1000');
  assert.equal(formatEntry(parseEntry('fl:did=5,fsptptr=0x1000,aw=2,pwsnp=1,fpd=0')), 'fl:did=5,fsptptr=0x1000');
  assert.equal(formatEntry(parseEntry('pt:did=1')), 'pt');
  assert.equal(formatEntry(parseEntry('pt:did=0')), 'pt:did=0');
  assert.equal(formatEntry(parseEntry('sl:ssptptr=0x1000,did=5,pat=0x70406,hptdid=3')), 'sl:did=5,ssptptr=0x1000,pat=0x70406,hptdid=3');
});

test('parseEntry(formatEntry(w)) == w for every 512-bit value', () => {
  fc.assert(fc.property(entryWords, (words) => {
    assert.deepStrictEqual(parseEntry(formatEntry(words)), words);
  }), { numRuns: 500 });
  fc.assert(fc.property(entryFields, (f) => {
    const words = encodePasidEntry(f);
    assert.deepStrictEqual(parseEntry(formatEntry(words)), words);
  }), { numRuns: 500 });
});

test('formatEntry(parseEntry(s)) is a fixed point for generated compact strings', () => {
  const flag = fc.constantFrom('0', '1', '0x0', '0x1');
  const item = fc.oneof(
    fc.tuple(fc.constantFrom('fpd', 'pwsnp', 'pgsnp', 'ssade', 'sre', 'wpe', 'eafe', 'p'), flag),
    fc.tuple(fc.constant('did'), fc.nat({ max: 0xffff }).map(String)),
    fc.tuple(fc.constant('aw'), fc.nat({ max: 7 }).map(String)),
    fc.tuple(fc.constant('fspm'), fc.nat({ max: 3 }).map((n) => `0x${n}`)));
  const text = fc.tuple(fc.constantFrom('fl', 'sl', 'nested', 'pt', 'off'), fc.uniqueArray(item, { selector: ([k]) => k, maxLength: 6 }),
    fc.nat({ max: 0xfffff }), fc.nat({ max: 0xfffff }))
    .map(([kind, items, s, f]) => `${kind}:${[...items.map(([k, v]) => `${k}=${v}`), `ssptptr=${s * 4096}`, `fsptptr=0x${(f * 4096).toString(16)}`].join(',')}`);
  fc.assert(fc.property(text, (t) => {
    const words = parseEntry(t);
    const canon = formatEntry(words);
    assert.equal(formatEntry(parseEntry(canon)), canon);
    assert.deepStrictEqual(parseEntry(canon), words);
  }), { numRuns: 300 });
});

test('syntax errors are one SpecError line naming the problem', () => {
  const cases: [string, string][] = [
    ['', "empty entry (write 'off' or e.g. 'fl:did=5,fsptptr=0x1000')"],
    ['fs:did=5', "unknown entry kind 'fs' (expected off, fl, sl, nested or pt)"],
    ['fl:dod=5', "unknown field 'dod' (fields: p, did, ssptptr, fsptptr, aw, fspm, fpd, pwsnp, pgsnp, ssade, sre, wpe, eafe)"],
    ['fl:did=5,did=6', "field 'did' given twice"],
    ['fl:did=70000', 'did=70000 is out of range (16 bits)'],
    ['fl:did=five', 'did=five: value must be decimal or 0x-hex'],
    ['fl:did=-1', 'did=-1: value must be decimal or 0x-hex'],
    ['fl:did', 'did needs a value'],
    ['fl:fsptptr=0x1234', 'fsptptr=0x1234 is not 4 KiB aligned'],
    ['fl:fsptptr=0x10000000000000000', 'fsptptr=0x10000000000000000 is not a 64-bit value'],
    ['fl:fpd=2', 'fpd=2 must be 0 or 1'],
    ['fl:did=5,,aw=2', "empty field in 'fl:did=5,,aw=2'"],
    ['fl:res1=0x1', 'res1=0x1 sets bits that are not reserved in val[1] (reserved: 0x7f0000)'],
    ['fl:hptq5=0x1', 'hptq5=0x1 must have bits 15:0 zero'],
  ];
  for (const [text, message] of cases) {
    assert.throws(() => parseEntry(text), (e: unknown) => e instanceof SpecError && e.message === message, `${text} -> ${message}`);
  }
});

test('random text never throws anything but a one-line SpecError', () => {
  const alphabet = fc.constantFrom(...'flsnestedpto:=,0x123456789abcdefABCDEF gwhxr_-\n\t'.split(''));
  const noise = fc.oneof(fc.string({ unit: alphabet, maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 40 }),
    fc.tuple(fc.constantFrom(...ENTRY_SYNTAX_FIELDS), fc.string({ maxLength: 12 })).map(([k, v]) => `fl:${k}=${v}`));
  fc.assert(fc.property(noise, (text) => {
    try {
      const words = parseEntry(text);
      assert.equal(words.length, 8);
    } catch (e) {
      assert.ok(e instanceof SpecError, `${JSON.stringify(text)}: ${String(e)}`);
      assert.ok(!e.message.includes('\n'));
    }
  }), { numRuns: 1000 });
});
