import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseHexWords } from '../../src/formats/hex';
import { SpecError } from '../../src/formats/errors';
import { u64 } from './arbitraries';

test('what people paste: 0x or not, commas, spaces, newlines, case, C suffixes, underscores', () => {
  const expected = [0x49n, 0x800005n, 0x1000n, 0n];
  for (const text of [
    '0x49 0x800005 0x1000 0x0',
    '0x0000000000000049, 0x0000000000800005, 0x0000000000001000, 0x0000000000000000',
    '49 800005 1000 0',
    '0X49\n0x800005\n\t0x1000;0',
    '{ 0x49ULL, 0x800005ull, 0x1000UL, 0u }',
    '[0x49, 0x80_0005, 0x0000_1000, 0x0]',
    'val[0] = 0x49 val[1] = 0x800005 val[2]: 0x1000 val[3]: 0',
  ]) assert.deepEqual(parseHexWords(text), expected, text);
});

test('dmar.c queue-error lines: qw0 = ..., qw1 = ...', () => {
  assert.deepEqual(parseHexWords('qw0 = 0x200000025, qw1 = 0x1003dc3c8'), [0x200000025n, 0x1003dc3c8n]);
  assert.deepEqual(parseHexWords('qw0=0x17 qw1=0 qw2=0 qw3=0'), [0x17n, 0n, 0n, 0n]);
});

test('every token is hex, even with decimal digits only', () => {
  assert.deepEqual(parseHexWords('10 100'), [0x10n, 0x100n]);
});

test('malformed input is one SpecError naming the token', () => {
  const cases: [string, string][] = [
    ['', 'no hex words given'],
    [' , ;\n', 'no hex words given'],
    ['0x49 0xzz', "'0xzz' (word 1) is not a hex qword"],
    ['0x', "'0x' (word 0) is not a hex qword"],
    ['-1', "'-1' (word 0) is not a hex qword"],
    ['0x1__2', "'0x1__2' (word 0) is not a hex qword"],
    ['0x' + '1'.repeat(17), "'0x11111111111111111' (word 0) has 17 hex digits; a qword has at most 16 (give the words separately: a long blob is ambiguous about which end is val[0])"],
    ['1'.repeat(128), "'111111111111111111111...' (word 0) has 128 hex digits; a qword has at most 16 (give the words separately: a long blob is ambiguous about which end is val[0])"],
  ];
  for (const [text, message] of cases) {
    assert.throws(() => parseHexWords(text), (e: unknown) => e instanceof SpecError && e.message === message, message);
  }
});

test('round trip: any words printed with any separator parse back', () => {
  const sep = fc.constantFrom(' ', ',', ', ', '\n', '\t', ';');
  fc.assert(fc.property(fc.array(u64, { minLength: 1, maxLength: 8 }), sep, fc.boolean(), fc.boolean(), (words, s, prefix, pad) => {
    const text = words.map((w) => `${prefix ? '0x' : ''}${pad ? w.toString(16).padStart(16, '0') : w.toString(16).toUpperCase()}`).join(s);
    assert.deepEqual(parseHexWords(text), words);
  }));
});

test('random text never throws anything but a one-line SpecError', () => {
  const unit = fc.constantFrom(...'0x1aF9 ,;\n[]{}=:qwval-_gULz'.split(''));
  fc.assert(fc.property(fc.oneof(fc.string({ unit, maxLength: 60 }), fc.string({ unit: 'binary', maxLength: 60 })), (text) => {
    try {
      for (const w of parseHexWords(text)) assert.ok(w >= 0n && w < 1n << 64n);
    } catch (e) {
      assert.ok(e instanceof SpecError, `${JSON.stringify(text)}: ${String(e)}`);
      assert.ok(!e.message.includes('\n'));
    }
  }), { numRuns: 2000 });
});
