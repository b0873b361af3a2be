import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  PASID_ENTRY_LAYOUT, PASID_ENTRY_QUANTA, PASID_ENTRY_WORDS, PGTT_CODE, PGTT_NAME, PasidEntryFields,
  decodePasidEntry, defaultPasidEntryFields, encodePasidEntry, entryDid, entryFsptptr, entryPgtt, entryPresent,
  entrySsptptr, makePasidEntry, pasidEntryUsedBits, pasidEntryUsedFields, validatePasidEntry,
} from '../../src/formats/pasidEntry';
import { SpecError } from '../../src/formats/errors';
import { U64_MAX, entryFields, entryWords } from './arbitraries';

const zero = (): PasidEntryFields => defaultPasidEntryFields('off');
const words = (...pairs: [number, bigint][]): bigint[] => {
  const w = [0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n];
  for (const [i, v] of pairs) w[i] = v;
  return w;
};

// Each field at its largest value, alone, against the position written down from the
// references (VT-d 5.10 §9.6; the pasid.h helpers, docs/kernel.md#pasid-entry-fields), not from
// the layout table under test.
const POSITIONS: [string, Partial<PasidEntryFields>, bigint[]][] = [
  ['P val[0] bit 0 (pasid_set_present)', { present: true }, words([0, 0x1n])],
  ['FPD val[0] bit 1 (PASID_PTE_FPD)', { fpd: true }, words([0, 0x2n])],
  ['AW val[0] bits 4:2', { aw: 7 }, words([0, 0x1cn])],
  ['PGTT val[0] bits 8:6 (pasid_pte_get_pgtt: >> 6 & 7)', { pgtt: null, pgttCode: 7 }, words([0, 0x1c0n])],
  ['SSADE val[0] bit 9', { ssade: true }, words([0, 0x200n])],
  ['SSPTPTR val[0] bits 63:12 (VTD_PAGE_MASK)', { ssptptr: 0xfffffffffffff000n }, words([0, 0xfffffffffffff000n])],
  ['DID val[1] bits 15:0 (abs 79:64)', { did: 0xffff }, words([1, 0xffffn])],
  ['PWSNP val[1] bit 23 (abs 87)', { pwsnp: true }, words([1, 1n << 23n])],
  ['PGSNP val[1] bit 24 (abs 88)', { pgsnp: true }, words([1, 1n << 24n])],
  ['CD val[1] bit 25 (abs 89)', { cd: true }, words([1, 1n << 25n])],
  ['EMTE val[1] bit 26 (abs 90)', { emte: true }, words([1, 1n << 26n])],
  ['EMT val[1] bits 29:27 (abs 93:91)', { emt: 7 }, words([1, 7n << 27n])],
  ['PWT val[1] bit 30 (abs 94)', { pwt: true }, words([1, 1n << 30n])],
  ['PCD val[1] bit 31 (abs 95)', { pcd: true }, words([1, 1n << 31n])],
  ['PAT val[1] bits 63:32 (abs 127:96)', { pat: 0xffffffff }, words([1, 0xffffffff00000000n])],
  ['SRE val[2] bit 0 (abs 128)', { sre: true }, words([2, 1n])],
  ['FSPM val[2] bits 3:2 (abs 131:130)', { fspm: 3 }, words([2, 0xcn])],
  ['WPE val[2] bit 4 (abs 132)', { wpe: true }, words([2, 0x10n])],
  ['NXE val[2] bit 5 (abs 133)', { nxe: true }, words([2, 0x20n])],
  ['EAFE val[2] bit 7 (abs 135)', { eafe: true }, words([2, 0x80n])],
  ['FSPTPTR val[2] bits 63:12 (abs 191:140)', { fsptptr: 0xfffffffffffff000n }, words([2, 0xfffffffffffff000n])],
  ['HPT val[4]', { hptq4: U64_MAX }, words([4, U64_MAX])],
  ['HPTDID val[5] bits 15:0 (abs 335:320)', { hptdid: 0xffff }, words([5, 0xffffn])],
  ['HPT val[5] bits 63:16', { hptq5: 0xffffffffffff0000n }, words([5, 0xffffffffffff0000n])],
];

for (const [name, field, expected] of POSITIONS) {
  test(`field position: ${name}`, () => {
    const w = encodePasidEntry({ ...zero(), ...field });
    assert.deepEqual(w, expected);
    const back = decodePasidEntry(w);
    for (const [k, v] of Object.entries(field)) assert.deepEqual((back as unknown as Record<string, unknown>)[k], v, k);
  });
}

test('every layout field is covered by a position test above', () => {
  const keys = new Set(POSITIONS.flatMap(([, f]) => Object.keys(f)));
  for (const l of PASID_ENTRY_LAYOUT) assert.ok(keys.has(l.key), l.key);
});

test('PGTT codes are 1 FL, 2 SL, 3 nested, 4 PT (PASID_ENTRY_PGTT_*)', () => {
  assert.deepEqual(PGTT_CODE, { fl: 1, sl: 2, nested: 3, pt: 4 });
  for (const [name, code] of Object.entries(PGTT_CODE)) {
    assert.equal(PGTT_NAME[code], name);
    assert.equal(entryPgtt(words([0, BigInt(code) << 6n])), name);
  }
  for (const code of [0, 5, 6, 7]) assert.equal(entryPgtt(words([0, BigInt(code) << 6n])), null);
});

// Entries as intel_pasid_setup_* build them (docs/kernel.md#setup), with the words worked out by hand.
test('known encoding: second-stage entry as intel_pasid_setup_second_level builds it', () => {
  const w = makePasidEntry('sl', { did: 5, ssptptr: 0x12345000n });
  // SSPTPTR 0x12345000 | PGTT 2<<6 | AW 2<<2 | P; DID 5 | PWSNP (bit 23).
  assert.deepEqual(w, words([0, 0x12345089n], [1, 0x800005n]));
});

test('known encoding: 5-level first-stage entry with page snoop', () => {
  const w = makePasidEntry('fl', { did: 7, aw: 3, fsptptr: 0xabc000n, fspm: 1, pgsnp: true });
  assert.deepEqual(w, words([0, 0x4dn], [1, 0x1800007n], [2, 0xabc004n]));
});

test('known encoding: pass-through entry uses FLPT_DEFAULT_DID 1', () => {
  assert.deepEqual(makePasidEntry('pt'), words([0, 0x109n], [1, 0x800001n]));
});

test('known encoding: nested entry with SRE, WPE, EAFE and SSADE', () => {
  const w = makePasidEntry('nested', { did: 9, ssptptr: 0x2000n, fsptptr: 0x3000n, sre: true, wpe: true, eafe: true, ssade: true });
  assert.deepEqual(w, words([0, 0x22c9n], [1, 0x800009n], [2, 0x3091n]));
});

test('decode(encode(x)) == x for every field value in range', () => {
  fc.assert(fc.property(entryFields, (f) => {
    assert.deepStrictEqual(decodePasidEntry(encodePasidEntry(f)), f);
  }), { numRuns: 500 });
});

test('encode(decode(w)) == w for every 512-bit value', () => {
  fc.assert(fc.property(entryWords, (w) => {
    assert.deepStrictEqual(encodePasidEntry(decodePasidEntry(w)), w);
  }), { numRuns: 500 });
});

test('accessors agree with the decoder', () => {
  fc.assert(fc.property(entryWords, (w) => {
    const e = decodePasidEntry(w);
    assert.equal(entryPresent(w), e.present);
    assert.equal(entryDid(w), e.did);
    assert.equal(entryPgtt(w), e.pgtt);
    assert.equal(entrySsptptr(w), e.ssptptr);
    assert.equal(entryFsptptr(w), e.fsptptr);
  }), { numRuns: 300 });
});

test('encode rejects out-of-range values and misaligned pointers with a SpecError naming the field', () => {
  const cases: [Partial<PasidEntryFields>, RegExp][] = [
    [{ did: 0x10000 }, /^did 65536 is out of range \(16 bits/],
    [{ aw: 8 }, /^aw 8 is out of range/],
    [{ ssptptr: 0x1001n }, /^ssptptr 0x1001 is not 4 KiB aligned$/],
    [{ fsptptr: 1n << 64n }, /^fsptptr must be a 64-bit address/],
    [{ pgtt: 'xx' as never }, /^unknown PGTT 'xx'/],
    [{ pgtt: 'sl', pgttCode: 1 }, /^pgtt 'sl' is code 2 but pgttCode says 1$/],
    [{ pgtt: null, pgttCode: 2 }, /^pgtt is null but pgttCode 2 is sl$/],
    [{ hptq5: 1n }, /^hptq5 0x1 has bits outside bits 383:336$/],
    [{ reserved: [0n, 1n, 0n, 0n, 0n, 0n, 0n, 0n] }, /^reserved\[1\] 0x1 has non-reserved bit 64$/],
    [{ fpd: 1 as never }, /^fpd must be true or false$/],
  ];
  for (const [field, re] of cases) {
    assert.throws(() => encodePasidEntry({ ...zero(), ...field }), (e: unknown) => e instanceof SpecError && re.test(e.message), String(re));
  }
});

test('decode rejects anything but 8 unsigned 64-bit words with a SpecError', () => {
  for (const bad of [[], [0n], Array(9).fill(0n), [...Array(7).fill(0n), -1n], [...Array(7).fill(0n), 1n << 64n], [...Array(7).fill(0n), 1]]) {
    assert.throws(() => decodePasidEntry(bad as bigint[]), SpecError);
  }
  fc.assert(fc.property(fc.anything(), (x) => {
    try {
      decodePasidEntry(x as bigint[]);
    } catch (e) {
      assert.ok(e instanceof SpecError, String(e));
    }
  }));
});

// ---- used bits (docs/kernel.md#used-bits: intel_pasid_get_used) ---------------------------

const P = 0x1n, FPD = 0x2n, AW = 0x1cn, PGTT = 0x1c0n, SSADE = 0x200n, PTR = 0xfffffffffffff000n;
const DID = 0xffffn, PWSNP = 1n << 23n, PGSNP = 1n << 24n;
const SRE = 0x1n, FSPM = 0xcn, WPE = 0x10n, EAFE = 0x80n;

const USED: [string, bigint[], bigint[]][] = [
  ['FL: AW, PGTT / DID, PWSNP, PGSNP / FSPTPTR, FSPM (no FPD)', makePasidEntry('fl', { did: 1, fsptptr: 0x1000n }),
    words([0, P | AW | PGTT], [1, DID | PWSNP | PGSNP], [2, PTR | FSPM])],
  ['SL: FPD, AW, PGTT, SSADE, SSPTPTR / DID, PWSNP', makePasidEntry('sl', { did: 1, ssptptr: 0x1000n }),
    words([0, P | FPD | AW | PGTT | SSADE | PTR], [1, DID | PWSNP])],
  ['nested: FPD, AW, PGTT, SSADE, SSPTPTR / DID, PWSNP, PGSNP / FSPTPTR, FSPM, WPE, EAFE, SRE',
    makePasidEntry('nested', { did: 1, ssptptr: 0x1000n, fsptptr: 0x2000n }),
    words([0, P | FPD | AW | PGTT | SSADE | PTR], [1, DID | PWSNP | PGSNP], [2, PTR | FSPM | WPE | EAFE | SRE])],
  ['PT: FPD, AW, PGTT / DID, PWSNP', makePasidEntry('pt'), words([0, P | FPD | AW | PGTT], [1, DID | PWSNP])],
  ['P=0: only P, whatever else is set', words([0, 0xfffffffffffffffen], [1, U64_MAX], [2, U64_MAX]), words([0, P])],
  ['P=1 with reserved PGTT 5: only P', words([0, P | (5n << 6n)], [1, 5n]), words([0, P])],
];

for (const [name, entry, expected] of USED) {
  test(`used bits ${name}`, () => {
    assert.deepEqual(pasidEntryUsedBits(entry), expected);
  });
}

test('used bits depend only on P and PGTT, always include P, and never leave val[0..2]', () => {
  fc.assert(fc.property(entryWords, (w) => {
    const used = pasidEntryUsedBits(w);
    assert.equal(used.length, PASID_ENTRY_WORDS);
    assert.equal(used[0]! & 1n, 1n);
    for (let i = 3; i < 8; i++) assert.equal(used[i], 0n);
    const same = words([0, w[0]! & (P | PGTT)]);
    assert.deepEqual(pasidEntryUsedBits(same), used);
    assert.equal(pasidEntryUsedFields(w)[0], 'present');
  }), { numRuns: 300 });
});

test('128-bit quanta geometry: 4 quanta, P in quanta 0, DID/PGTT/SSPTPTR in 0, FSPTPTR/FSPM in 1', () => {
  assert.deepEqual({ ...PASID_ENTRY_QUANTA }, { quantumBits: 128, numQuanta: 4, vbitQuantum: 0 });
  const quantum = (key: string) => Math.floor(PASID_ENTRY_LAYOUT.find((l) => l.key === key)!.word * 64 / PASID_ENTRY_QUANTA.quantumBits);
  for (const k of ['present', 'pgtt', 'ssptptr', 'did', 'pwsnp', 'pgsnp', 'fpd', 'aw', 'ssade']) assert.equal(quantum(k), 0, k);
  for (const k of ['fsptptr', 'fspm', 'sre', 'wpe', 'eafe']) assert.equal(quantum(k), 1, k);
});

// ---- validation --------------------------------------------------------------------------

test('entries as the kernel builds them are valid', () => {
  for (const w of [makePasidEntry('fl', { did: 5, fsptptr: 0x1000n }), makePasidEntry('sl', { did: 5, ssptptr: 0x1000n }),
    makePasidEntry('nested', { did: 5, ssptptr: 0x1000n, fsptptr: 0x2000n, sre: true }), makePasidEntry('pt'), makePasidEntry('off')]) {
    assert.deepEqual(validatePasidEntry(w), []);
  }
});

test('validation names each broken rule', () => {
  const cases: [string, bigint[] | PasidEntryFields, string[]][] = [
    ['reserved bits', words([0, 0x109n | (1n << 5n)], [1, 0x800001n], [3, 0x10n]),
      ['reserved bit 5 set (val[0] = 0x0000000000000129)', 'reserved bit 196 set (val[3] = 0x0000000000000010)']],
    ['reserved PGTT', words([0, 0x1n]), ['PGTT 0 is reserved (1 first-stage, 2 second-stage, 3 nested, 4 pass-through)']],
    ['PGTT 6', words([0, 0x181n]), ['PGTT 6 is reserved (1 first-stage, 2 second-stage, 3 nested, 4 pass-through)']],
    ['SL without SSPTPTR', makePasidEntry('sl', { did: 5 }), ['PGTT=SL needs SSPTPTR (second-stage page-table pointer) but it is 0']],
    ['FL without FSPTPTR', makePasidEntry('fl', { did: 5 }), ['PGTT=FL needs FSPTPTR (first-stage page-table pointer) but it is 0']],
    ['nested without either', makePasidEntry('nested', { did: 5 }), [
      'PGTT=NESTED needs FSPTPTR (first-stage page-table pointer) but it is 0',
      'PGTT=NESTED needs SSPTPTR (second-stage page-table pointer) but it is 0']],
    ['AW reserved for SL', makePasidEntry('sl', { did: 5, ssptptr: 0x1000n, aw: 0 }),
      ['AW 0 is reserved (1 = 39-bit, 2 = 48-bit, 3 = 57-bit); PGTT=SL walks a second-stage table']],
    ['FSPM reserved for FL', makePasidEntry('fl', { did: 5, fsptptr: 0x1000n, fspm: 2 }),
      ['FSPM 2 is reserved (0 = 4-level, 1 = 5-level); PGTT=FL walks a first-stage table']],
    ['NXE', makePasidEntry('fl', { did: 5, fsptptr: 0x1000n, nxe: true }),
      ['NXE (bit 133) is set: defined only by VT-d 3.x, reserved in 5.10 §9.6']],
    ['misaligned pointer (fields)', { ...defaultPasidEntryFields('sl'), ssptptr: 0x1234n }, ['ssptptr 0x1234 is not 4 KiB aligned']],
    ['wrong length', [0n, 0n], ['PASID entry: expected 8 64-bit words, got 2']],
    ['not present: hardware ignores the rest', words([0, 0xfffffffffffffffen], [3, U64_MAX]), []],
  ];
  for (const [name, entry, expected] of cases) assert.deepEqual(validatePasidEntry(entry), expected, name);
});

test('validation never throws and reports one line per problem', () => {
  fc.assert(fc.property(entryWords, (w) => {
    for (const p of validatePasidEntry(w)) assert.ok(!p.includes('\n') && p.length > 0);
  }), { numRuns: 300 });
});
