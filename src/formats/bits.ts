/**
 * Bit helpers shared by the entry and descriptor formats. Words are unsigned 64-bit values
 * held in bigints (bit 0 = least significant), the way the kernel's `u64 val[8]` and
 * `struct qi_desc { u64 qw0..qw3; }` hold them.
 */
import { SpecError } from './errors';

export const U64_MAX = (1n << 64n) - 1n;

/** A mask of `width` ones starting at bit `lo` (the kernel's GENMASK_ULL(lo+width-1, lo)). */
export function bitMask(lo: number, width: number): bigint {
  return ((1n << BigInt(width)) - 1n) << BigInt(lo);
}

/** `width` bits of `word` starting at `lo`, shifted down. */
export function getBits(word: bigint, lo: number, width: number): bigint {
  return (word >> BigInt(lo)) & ((1n << BigInt(width)) - 1n);
}

/** `0x` and 16 lower-case hex digits: how a qword is printed everywhere (dumps, JSON, tables). */
export function hex64(word: bigint): string {
  return `0x${word.toString(16).padStart(16, '0')}`;
}

/** `0x` and the shortest lower-case hex (for addresses and field values). */
export function hex(value: bigint | number): string {
  return `0x${value.toString(16)}`;
}

/** "bit 5", "bits 10-11", "bits 0-63" — absolute bit numbers of a mask within a word. */
export function describeBits(mask: bigint, bitOffset: number): string {
  const runs: string[] = [];
  let bit = 0;
  while (bit < 64) {
    if (((mask >> BigInt(bit)) & 1n) === 0n) { bit++; continue; }
    const start = bit;
    while (bit < 64 && ((mask >> BigInt(bit)) & 1n) === 1n) bit++;
    const a = start + bitOffset;
    const b = bit - 1 + bitOffset;
    runs.push(a === b ? `${a}` : `${b}:${a}`);
  }
  const single = runs.length === 1 && !runs[0]!.includes(':');
  return `${single ? 'bit' : 'bits'} ${runs.join(', ')}`;
}

/**
 * Checks that `words` is an array of `counts` unsigned 64-bit bigints; throws SpecError
 * naming what is wrong otherwise. Decoders call this first so that anything a caller (or a
 * fuzzer) passes in turns into one clear error, never a TypeError.
 */
export function checkWords(words: unknown, counts: readonly number[], what: string): readonly bigint[] {
  if (!Array.isArray(words)) throw new SpecError(`${what}: expected an array of 64-bit words`);
  if (!counts.includes(words.length)) {
    const want = counts.length === 1 ? `${counts[0]}` : `${counts.slice(0, -1).join(', ')} or ${counts[counts.length - 1]}`;
    throw new SpecError(`${what}: expected ${want} 64-bit words, got ${words.length}`);
  }
  words.forEach((w: unknown, i: number) => {
    if (typeof w !== 'bigint') throw new SpecError(`${what}: word ${i} is not a bigint (${typeof w})`);
    if (w < 0n || w > U64_MAX) throw new SpecError(`${what}: word ${i} is not an unsigned 64-bit value`);
  });
  return words as readonly bigint[];
}
