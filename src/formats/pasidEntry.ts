/**
 * The scalable-mode PASID-table entry: 512 bits, held as the kernel holds it
 * (`struct pasid_entry { u64 val[8]; }`), every field at its VT-d 5.10 §9.6 position.
 *
 * Sources for each position: VT-d 5.10 §9.6 (docs/model.md#entry-layout) and the kernel helpers
 * in drivers/iommu/intel/pasid.h (docs/kernel.md#pasid-entry-fields). The "used bits" follow the
 * posted entry_sync patch's `intel_pasid_get_used` (docs/kernel.md#used-bits) exactly.
 *
 * Also here: the compact entry syntax (`off`, `fl:did=5,fsptptr=0x1000`) that the CLI,
 * scenario files and notebooks share, and validation that names each broken rule.
 */
import { U64_MAX, bitMask, checkWords, describeBits, getBits, hex, hex64 } from './bits';
import { SpecError } from './errors';

// ---------------------------------------------------------------------------------------
// PGTT

/** PASID Granular Translation Type: first-stage, second-stage, nested, pass-through. */
export type Pgtt = 'fl' | 'sl' | 'nested' | 'pt';

/** VT-d 5.10 §9.6: PGTT 001b FS-only, 010b SS-only, 011b nested, 100b pass-through
 *  (kernel PASID_ENTRY_PGTT_FL_ONLY/SL_ONLY/NESTED/PT). */
export const PGTT_CODE: { readonly [K in Pgtt]: number } = { fl: 1, sl: 2, nested: 3, pt: 4 };

/** The reverse of PGTT_CODE; codes 0, 5, 6, 7 are reserved and have no name. */
export const PGTT_NAME: { readonly [code: number]: Pgtt | undefined } = { 1: 'fl', 2: 'sl', 3: 'nested', 4: 'pt' };

/** What each PGTT means, for tables and pictures. */
export const PGTT_TITLE: { readonly [K in Pgtt]: string } = {
  fl: 'first-stage only',
  sl: 'second-stage only',
  nested: 'nested',
  pt: 'pass-through',
};

// ---------------------------------------------------------------------------------------
// Fields

/**
 * Every field of the entry. Pointers are full byte addresses (bits 11:0 zero). Optional
 * members are fields the kernel never programs today (memory-type fields of a 2020 nested
 * patch, the legacy NXE bit, the Rev 5 HPT words) and the raw PGTT code / reserved bits;
 * `decodePasidEntry` always fills every member, `encodePasidEntry` takes them as 0 when
 * absent.
 */
export interface PasidEntryFields {
  /** P, bit 0. */
  present: boolean;
  /** FPD, bit 1: fault processing disable. */
  fpd: boolean;
  /** AW, bits 4:2: 1 = 39-bit (3-level), 2 = 48-bit (4-level), 3 = 57-bit (5-level). */
  aw: number;
  /** PGTT, bits 8:6; null when the code is 0 or reserved (5-7), see `pgttCode`. */
  pgtt: Pgtt | null;
  /** The raw PGTT code. Decode always sets it; encode uses it only when `pgtt` is null. */
  pgttCode?: number;
  /** SSADE, bit 9: second-stage accessed/dirty enable (kernel comments also say SLADE). */
  ssade: boolean;
  /** SSPTPTR, bits 63:12: second-stage page-table pointer. */
  ssptptr: bigint;
  /** DID, bits 79:64 (val[1] 15:0). */
  did: number;
  /** PWSNP, bit 87 (val[1] 23): page-walk snoop. */
  pwsnp: boolean;
  /** PGSNP, bit 88 (val[1] 24): page snoop. */
  pgsnp: boolean;
  /** CD, bit 89 (val[1] 25): cache disable. */
  cd?: boolean;
  /** EMTE, bit 90 (val[1] 26): extended memory type enable. */
  emte?: boolean;
  /** EMT, bits 93:91 (val[1] 29:27): extended memory type. */
  emt?: number;
  /** PWT, bit 94 (val[1] 30). */
  pwt?: boolean;
  /** PCD, bit 95 (val[1] 31). */
  pcd?: boolean;
  /** PAT, bits 127:96 (val[1] 63:32). */
  pat?: number;
  /** SRE, bit 128 (val[2] 0): supervisor requests enable. */
  sre: boolean;
  /** FSPM, bits 131:130 (val[2] 3:2): 0 = 4-level, 1 = 5-level first-stage paging. */
  fspm: number;
  /** WPE, bit 132 (val[2] 4): write protect enable. */
  wpe: boolean;
  /** NXE, bit 133 (val[2] 5): VT-d 3.x and older kernels only (`pasid_set_nxe`). */
  nxe?: boolean;
  /** EAFE, bit 135 (val[2] 7): extended accessed flag enable. */
  eafe: boolean;
  /** FSPTPTR, bits 191:140 (val[2] 63:12): first-stage page-table pointer. */
  fsptptr: bigint;
  /** val[4] as stored: HPTSZ, HPTPFD, HPTPTR (Rev 5 HPT; sub-field positions not in the references). */
  hptq4?: bigint;
  /** HPTDID, bits 335:320 (val[5] 15:0). */
  hptdid?: number;
  /** val[5] bits 63:16 as stored (bits 15:0 zero): rest of the HPT fields. */
  hptq5?: bigint;
  /** Reserved bits as stored, 8 words (zero where a field lives). Decode always sets it. */
  reserved?: readonly bigint[];
}

type FieldKey = Exclude<keyof PasidEntryFields, 'pgttCode' | 'reserved'>;

/** One field's place in the entry. */
export interface EntryFieldLayout {
  /** Property name in PasidEntryFields and in the compact syntax. */
  key: FieldKey;
  /** Name as the spec and the kernel print it. */
  label: string;
  /** val[] index. */
  word: number;
  /** Lowest bit within the word. */
  lo: number;
  width: number;
  /** flag: boolean; number: shifted down; pointer/raw: bigint kept at its position. */
  kind: 'flag' | 'number' | 'pointer' | 'raw';
  title: string;
  source: string;
}

function f(key: FieldKey, label: string, word: number, lo: number, width: number,
  kind: EntryFieldLayout['kind'], title: string, source: string): EntryFieldLayout {
  return { key, label, word, lo, width, kind, title, source };
}

/** Every field, in bit order. */
export const PASID_ENTRY_LAYOUT: readonly EntryFieldLayout[] = [
  f('present', 'P', 0, 0, 1, 'flag', 'Present', 'VT-d 9.6; pasid_set_present'),
  f('fpd', 'FPD', 0, 1, 1, 'flag', 'Fault Processing Disable', 'VT-d 9.6; PASID_PTE_FPD'),
  f('aw', 'AW', 0, 2, 3, 'number', 'Address Width', 'VT-d 9.6; pasid_set_address_width'),
  f('pgtt', 'PGTT', 0, 6, 3, 'number', 'PASID Granular Translation Type', 'VT-d 9.6; pasid_set_translation_type'),
  f('ssade', 'SSADE', 0, 9, 1, 'flag', 'Second-Stage Accessed/Dirty Enable', 'VT-d 9.6; pasid_set_ssade'),
  f('ssptptr', 'SSPTPTR', 0, 12, 52, 'pointer', 'Second-Stage Page-Table Pointer', 'VT-d 9.6; pasid_set_slptr'),
  f('did', 'DID', 1, 0, 16, 'number', 'Domain ID', 'VT-d 9.6; pasid_set_domain_id'),
  f('pwsnp', 'PWSNP', 1, 23, 1, 'flag', 'Page-Walk Snoop', 'VT-d 9.6; pasid_set_page_snoop'),
  f('pgsnp', 'PGSNP', 1, 24, 1, 'flag', 'Page Snoop', 'VT-d 9.6; pasid_set_pgsnp'),
  f('cd', 'CD', 1, 25, 1, 'flag', 'Cache Disable', 'VT-d 9.6; pasid_set_cd (2020 nested patch)'),
  f('emte', 'EMTE', 1, 26, 1, 'flag', 'Extended Memory Type Enable', 'VT-d 9.6; pasid_set_emte (2020 nested patch)'),
  f('emt', 'EMT', 1, 27, 3, 'number', 'Extended Memory Type', 'VT-d 9.6; 2020 nested patch'),
  f('pwt', 'PWT', 1, 30, 1, 'flag', 'Page-level Write-Through', 'VT-d 9.6; 2020 nested patch'),
  f('pcd', 'PCD', 1, 31, 1, 'flag', 'Page-level Cache Disable', 'VT-d 9.6; 2020 nested patch'),
  f('pat', 'PAT', 1, 32, 32, 'number', 'Page Attribute Table', 'VT-d 9.6; 2020 nested patch'),
  f('sre', 'SRE', 2, 0, 1, 'flag', 'Supervisor Requests Enable', 'VT-d 9.6; pasid_set_sre'),
  f('fspm', 'FSPM', 2, 2, 2, 'number', 'First-Stage Paging Mode', 'VT-d 9.6; pasid_set_flpm'),
  f('wpe', 'WPE', 2, 4, 1, 'flag', 'Write Protect Enable', 'VT-d 9.6; pasid_set_wpe'),
  f('nxe', 'NXE', 2, 5, 1, 'flag', 'No-Execute Enable (VT-d 3.x only)', 'old pasid.c pasid_set_nxe'),
  f('eafe', 'EAFE', 2, 7, 1, 'flag', 'Extended Accessed Flag Enable', 'VT-d 9.6; pasid_set_eafe'),
  f('fsptptr', 'FSPTPTR', 2, 12, 52, 'pointer', 'First-Stage Page-Table Pointer', 'VT-d 9.6; pasid_set_flptr'),
  f('hptq4', 'HPT', 4, 0, 64, 'raw', 'HPTSZ/HPTPFD/HPTPTR (Rev 5 HPT)', 'VT-d 5.10 9.6'),
  f('hptdid', 'HPTDID', 5, 0, 16, 'number', 'HPT Domain ID', 'VT-d 5.10 9.6'),
  f('hptq5', 'HPT', 5, 16, 48, 'raw', 'HPT fields (Rev 5)', 'VT-d 5.10 9.6'),
];

const LAYOUT_BY_KEY = new Map(PASID_ENTRY_LAYOUT.map((l) => [l.key, l]));

/** Layout of one field by key. */
export function pasidEntryField(key: FieldKey): EntryFieldLayout {
  return LAYOUT_BY_KEY.get(key)!;
}

function fieldMask(l: EntryFieldLayout): bigint {
  return bitMask(l.lo, l.width);
}

/** Per word, the bits no field of VT-d 5.10 §9.6 (or of the references) defines. */
export const PASID_ENTRY_RESERVED: readonly bigint[] = [0, 1, 2, 3, 4, 5, 6, 7].map((w) =>
  PASID_ENTRY_LAYOUT.filter((l) => l.word === w).reduce((m, l) => m & ~fieldMask(l), U64_MAX));

/**
 * The geometry the VT-d entry_sync writer uses (docs/kernel.md#used-bits): four 128-bit quanta, the
 * Present bit in quanta 0. Quanta 0 = val[0..1] (P, PGTT, SSPTPTR, DID, snoop bits),
 * quanta 1 = val[2..3] (FSPTPTR, FSPM, SRE, WPE, EAFE). HW may fetch the entry as several
 * 128-bit reads (upstream c3b1edea3791), so one 16-byte store is the atomic unit.
 */
export const PASID_ENTRY_QUANTA = { quantumBits: 128, numQuanta: 4, vbitQuantum: 0 } as const;

/** Number of u64 words in an entry. */
export const PASID_ENTRY_WORDS = 8;

// ---------------------------------------------------------------------------------------
// Encode / decode

const AW_TITLE: { readonly [aw: number]: string } = { 1: '39-bit, 3-level', 2: '48-bit, 4-level', 3: '57-bit, 5-level' };
const FSPM_TITLE: { readonly [m: number]: string } = { 0: '4-level', 1: '5-level' };

/** A short reading of a field's value ("48-bit, 4-level"), or '' when there is none. */
export function pasidFieldMeaning(key: FieldKey, value: number): string {
  if (key === 'aw') return AW_TITLE[value] ?? 'reserved';
  if (key === 'fspm') return FSPM_TITLE[value] ?? 'reserved';
  if (key === 'pgtt') {
    const name = PGTT_NAME[value];
    return name ? `${name.toUpperCase()}, ${PGTT_TITLE[name]}` : 'reserved';
  }
  return '';
}

function checkNumber(name: string, v: unknown, width: number): bigint {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v >= 2 ** width) {
    throw new SpecError(`${name} ${String(v)} is out of range (${width} bits: 0..${2 ** width - 1})`);
  }
  return BigInt(v);
}

function checkAligned(name: string, v: unknown, l: EntryFieldLayout): bigint {
  if (typeof v !== 'bigint' || v < 0n || v > U64_MAX) throw new SpecError(`${name} must be a 64-bit address (bigint)`);
  const m = fieldMask(l);
  if ((v & ~m) !== 0n) {
    if (l.kind === 'pointer') throw new SpecError(`${name} ${hex(v)} is not 4 KiB aligned`);
    throw new SpecError(`${name} ${hex(v)} has bits outside ${describeBits(m, l.word * 64)}`);
  }
  return v;
}

/** The 8 words of an entry. Throws SpecError for a value out of range or a misaligned pointer. */
export function encodePasidEntry(fields: PasidEntryFields): bigint[] {
  if (typeof fields !== 'object' || fields === null) throw new SpecError('PASID entry: expected a fields object');
  const words = [0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n];
  for (const l of PASID_ENTRY_LAYOUT) {
    let bits: bigint;
    if (l.key === 'pgtt') {
      bits = BigInt(pgttCodeOf(fields));
    } else {
      const v: unknown = fields[l.key];
      if (v === undefined) {
        if (!isOptional(l.key)) throw new SpecError(`PASID entry: field ${l.key} is missing`);
        continue;
      }
      if (l.kind === 'flag') {
        if (typeof v !== 'boolean') throw new SpecError(`${l.key} must be true or false`);
        bits = v ? 1n : 0n;
      } else if (l.kind === 'number') {
        bits = checkNumber(l.key, v, l.width);
      } else {
        words[l.word]! |= checkAligned(l.key, v, l);
        continue;
      }
    }
    words[l.word]! |= bits << BigInt(l.lo);
  }
  if (fields.reserved !== undefined) {
    const r = checkWords(fields.reserved, [8], 'reserved');
    r.forEach((w, i) => {
      if ((w & ~PASID_ENTRY_RESERVED[i]!) !== 0n) {
        throw new SpecError(`reserved[${i}] ${hex(w)} has non-reserved ${describeBits(w & ~PASID_ENTRY_RESERVED[i]!, i * 64)}`);
      }
      words[i]! |= w;
    });
  }
  return words;
}

const OPTIONAL_KEYS: ReadonlySet<string> = new Set(['cd', 'emte', 'emt', 'pwt', 'pcd', 'pat', 'nxe', 'hptq4', 'hptdid', 'hptq5']);
function isOptional(key: string): boolean {
  return OPTIONAL_KEYS.has(key);
}

function pgttCodeOf(fields: PasidEntryFields): number {
  const { pgtt, pgttCode } = fields;
  if (pgtt !== null) {
    const code = PGTT_CODE[pgtt];
    if (code === undefined) throw new SpecError(`unknown PGTT '${String(pgtt)}' (expected fl, sl, nested, pt or null)`);
    if (pgttCode !== undefined && pgttCode !== code) {
      throw new SpecError(`pgtt '${pgtt}' is code ${code} but pgttCode says ${String(pgttCode)}`);
    }
    return code;
  }
  const code = pgttCode ?? 0;
  checkNumber('pgttCode', code, 3);
  if (PGTT_NAME[code]) throw new SpecError(`pgtt is null but pgttCode ${code} is ${PGTT_NAME[code]}`);
  return code;
}

/** Every field of the entry in `words` (8 × u64). Throws SpecError unless given 8 u64 words. */
export function decodePasidEntry(words: readonly bigint[]): PasidEntryFields {
  const w = checkWords(words, [8], 'PASID entry');
  const out: Record<string, unknown> = {};
  for (const l of PASID_ENTRY_LAYOUT) {
    const word = w[l.word]!;
    if (l.kind === 'flag') out[l.key] = getBits(word, l.lo, 1) === 1n;
    else if (l.kind === 'number') out[l.key] = Number(getBits(word, l.lo, l.width));
    else out[l.key] = word & fieldMask(l);
  }
  const code = out['pgtt'] as number;
  out['pgtt'] = PGTT_NAME[code] ?? null;
  out['pgttCode'] = code;
  out['reserved'] = w.map((word, i) => word & PASID_ENTRY_RESERVED[i]!);
  return out as unknown as PasidEntryFields;
}

// ---------------------------------------------------------------------------------------
// Accessors (cheap: the model calls them on every step)

function word(words: readonly bigint[], i: number): bigint {
  const v = words[i];
  if (typeof v !== 'bigint') throw new SpecError(`PASID entry: word ${i} missing`);
  return v;
}

/** P (val[0] bit 0). */
export function entryPresent(words: readonly bigint[]): boolean {
  return (word(words, 0) & 1n) === 1n;
}

/** DID (val[1] bits 15:0). */
export function entryDid(words: readonly bigint[]): number {
  return Number(word(words, 1) & 0xffffn);
}

/** PGTT (val[0] bits 8:6), null for a reserved code or 0. */
export function entryPgtt(words: readonly bigint[]): Pgtt | null {
  return PGTT_NAME[Number((word(words, 0) >> 6n) & 7n)] ?? null;
}

/** SSPTPTR as a byte address (val[0] bits 63:12). */
export function entrySsptptr(words: readonly bigint[]): bigint {
  return word(words, 0) & ~0xfffn;
}

/** FSPTPTR as a byte address (val[2] bits 63:12). */
export function entryFsptptr(words: readonly bigint[]): bigint {
  return word(words, 2) & ~0xfffn;
}

// ---------------------------------------------------------------------------------------
// Used bits (entry_sync)

/**
 * Which fields hardware reads for each PGTT, as the posted patch's `intel_pasid_get_used`
 * lists them (docs/kernel.md#used-bits), besides P which is always used. Note FL does
 * not list FPD, and only val[0..2] are ever used.
 */
export const PASID_USED_FIELDS: { readonly [K in Pgtt]: readonly FieldKey[] } = {
  fl: ['aw', 'pgtt', 'did', 'pwsnp', 'pgsnp', 'fsptptr', 'fspm'],
  sl: ['fpd', 'aw', 'pgtt', 'ssade', 'ssptptr', 'did', 'pwsnp'],
  nested: ['fpd', 'aw', 'pgtt', 'ssade', 'ssptptr', 'did', 'pwsnp', 'pgsnp', 'fsptptr', 'fspm', 'wpe', 'eafe', 'sre'],
  pt: ['fpd', 'aw', 'pgtt', 'did', 'pwsnp'],
};

/** The fields used by an entry (P first), in layout order. */
export function pasidEntryUsedFields(words: readonly bigint[]): FieldKey[] {
  checkWords(words, [8], 'PASID entry');
  // intel_pasid_get_used: "P always; nothing else when P=0".
  if (!entryPresent(words)) return ['present'];
  const pgtt = entryPgtt(words);
  // A reserved PGTT matches no case of the patch's switch: only P is used. (The reference
  // is silent on this case; the entry is invalid anyway, see validatePasidEntry.)
  if (pgtt === null) return ['present'];
  const used = new Set<FieldKey>(['present', ...PASID_USED_FIELDS[pgtt]]);
  return PASID_ENTRY_LAYOUT.filter((l) => used.has(l.key)).map((l) => l.key);
}

/** 8-word mask of the bits hardware uses given the entry (`intel_pasid_get_used`). */
export function pasidEntryUsedBits(words: readonly bigint[]): bigint[] {
  const used = [0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n];
  for (const key of pasidEntryUsedFields(words)) {
    const l = LAYOUT_BY_KEY.get(key)!;
    used[l.word]! |= fieldMask(l);
  }
  return used;
}

// ---------------------------------------------------------------------------------------
// Validation

/**
 * Every rule the entry breaks, one line each; empty when valid. Accepts the 8 words, or a
 * fields object (then also: value ranges and pointer alignment, which words cannot show).
 *
 * Rules (VT-d 5.10 §9.6 unless noted), checked only for P=1: when P=0 hardware ignores the
 * other fields (§9.6), which is also why the kernel's teardown and the writer's V=0 step
 * may leave them set.
 * - no reserved bit set; NXE (bit 133) exists only in VT-d 3.x;
 * - PGTT is 1..4;
 * - AW is 1..3 when a second-stage table is walked (SL, nested);
 * - FSPM is 0 or 1 when a first-stage table is walked (FL, nested);
 * - FL and nested need FSPTPTR, SL and nested need SSPTPTR (non-zero).
 */
export function validatePasidEntry(entry: readonly bigint[] | PasidEntryFields): string[] {
  let words: readonly bigint[];
  if (Array.isArray(entry)) {
    try {
      words = checkWords(entry, [8], 'PASID entry');
    } catch (e) {
      return [(e as Error).message];
    }
  } else {
    try {
      words = encodePasidEntry(entry as PasidEntryFields);
    } catch (e) {
      if (e instanceof SpecError) return [e.message];
      throw e;
    }
  }
  if (!entryPresent(words)) return [];
  const problems: string[] = [];
  words.forEach((w, i) => {
    const r = w & PASID_ENTRY_RESERVED[i]!;
    if (r !== 0n) problems.push(`reserved ${describeBits(r, i * 64)} set (val[${i}] = ${hex64(w)})`);
  });
  const e = decodePasidEntry(words);
  if (e.nxe) problems.push('NXE (bit 133) is set: defined only by VT-d 3.x, reserved in 5.10 §9.6');
  if (e.pgtt === null) {
    problems.push(`PGTT ${e.pgttCode} is reserved (1 first-stage, 2 second-stage, 3 nested, 4 pass-through)`);
    return problems;
  }
  const name = e.pgtt.toUpperCase();
  if ((e.pgtt === 'sl' || e.pgtt === 'nested') && !AW_TITLE[e.aw]) {
    problems.push(`AW ${e.aw} is reserved (1 = 39-bit, 2 = 48-bit, 3 = 57-bit); PGTT=${name} walks a second-stage table`);
  }
  if ((e.pgtt === 'fl' || e.pgtt === 'nested') && !FSPM_TITLE[e.fspm]) {
    problems.push(`FSPM ${e.fspm} is reserved (0 = 4-level, 1 = 5-level); PGTT=${name} walks a first-stage table`);
  }
  if ((e.pgtt === 'fl' || e.pgtt === 'nested') && e.fsptptr === 0n) {
    problems.push(`PGTT=${name} needs FSPTPTR (first-stage page-table pointer) but it is 0`);
  }
  if ((e.pgtt === 'sl' || e.pgtt === 'nested') && e.ssptptr === 0n) {
    problems.push(`PGTT=${name} needs SSPTPTR (second-stage page-table pointer) but it is 0`);
  }
  return problems;
}

// ---------------------------------------------------------------------------------------
// Builders

/** What `parseEntry` starts from for each kind: an entry set up the way the kernel does it. */
export type EntryKind = Pgtt | 'off';

/**
 * The fields of an entry of `kind` as the kernel's `intel_pasid_setup_*` leave them before
 * the caller's values: all zero (the kernel zeroes all 8 words first), then P=1, AW=2
 * (48-bit, 4-level: `pasid_set_address_width(pte, iommu->agaw)` on 4-level hardware),
 * PWSNP=1 (set for every PGTT when page walks are coherent), FPD=0 (`pasid_set_fault_enable`),
 * and for pass-through DID=1 (FLPT_DEFAULT_DID). `off` is all zero.
 */
export function defaultPasidEntryFields(kind: EntryKind): PasidEntryFields {
  const zero: PasidEntryFields = {
    present: false, fpd: false, aw: 0, pgtt: null, pgttCode: 0, ssade: false, ssptptr: 0n,
    did: 0, pwsnp: false, pgsnp: false, cd: false, emte: false, emt: 0, pwt: false, pcd: false, pat: 0,
    sre: false, fspm: 0, wpe: false, nxe: false, eafe: false, fsptptr: 0n,
    hptq4: 0n, hptdid: 0, hptq5: 0n, reserved: [0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n],
  };
  if (kind === 'off') return zero;
  if (PGTT_CODE[kind] === undefined) throw new SpecError(`unknown entry kind '${String(kind)}'`);
  return { ...zero, present: true, pgtt: kind, pgttCode: PGTT_CODE[kind], aw: 2, pwsnp: true, did: kind === 'pt' ? 1 : 0 };
}

/** An entry of `kind` with kernel defaults, overridden by `fields`: `makePasidEntry('fl', { did: 5, fsptptr: 0x1000n })`. */
export function makePasidEntry(kind: EntryKind, fields: Partial<PasidEntryFields> = {}): bigint[] {
  const base = defaultPasidEntryFields(kind);
  const merged: PasidEntryFields = { ...base, ...fields };
  if (fields.pgtt !== undefined && fields.pgttCode === undefined) delete merged.pgttCode;
  return encodePasidEntry(merged);
}

// ---------------------------------------------------------------------------------------
// Compact syntax

/**
 * Field names of the compact syntax, in the order `formatEntry` writes them: `p` and the
 * fields of the issue first, then the rarely set ones, then reserved bits per word
 * (`res0`..`res7`, raw bits at their position) so that every 512-bit value has a form.
 */
export const ENTRY_SYNTAX_FIELDS: readonly string[] = [
  'p', 'did', 'ssptptr', 'fsptptr', 'aw', 'fspm', 'fpd', 'pwsnp', 'pgsnp', 'ssade', 'sre', 'wpe', 'eafe',
  'cd', 'emte', 'emt', 'pwt', 'pcd', 'pat', 'nxe', 'hptq4', 'hptdid', 'hptq5',
  'res0', 'res1', 'res2', 'res3', 'res4', 'res5', 'res6', 'res7',
];
const SYNTAX_SET: ReadonlySet<string> = new Set(ENTRY_SYNTAX_FIELDS);
/** Kinds: the four PGTTs, `off` (PGTT 0, P=0 by default) and the reserved codes 5-7. */
const KINDS: readonly string[] = ['fl', 'sl', 'nested', 'pt', 'off', 'pgtt5', 'pgtt6', 'pgtt7'];

function kindDefaults(kind: string): PasidEntryFields {
  if (kind.startsWith('pgtt')) {
    return { ...defaultPasidEntryFields('off'), present: true, pgttCode: Number(kind.slice(4)) };
  }
  return defaultPasidEntryFields(kind as EntryKind);
}

function parseValue(name: string, raw: string): bigint {
  if (!/^(?:0x[0-9a-f]+|[0-9]+)$/i.test(raw)) {
    throw new SpecError(`${name}=${raw}: value must be decimal or 0x-hex`);
  }
  return BigInt(raw.toLowerCase());
}

/**
 * The 8 words of an entry written in the compact syntax:
 * `off`, or `<kind>[:<field>=<value>,...]` with kind `fl`, `sl`, `nested`, `pt` (P=1 and the
 * kernel defaults of `defaultPasidEntryFields`), `off` (all zero, P=0) or `pgtt5`..`pgtt7`
 * (reserved codes, P=1). Fields: `p did ssptptr fsptptr aw fspm fpd pwsnp pgsnp ssade sre
 * wpe eafe` and `cd emte emt pwt pcd pat nxe hptq4 hptdid hptq5 res0..res7`; values decimal
 * or 0x-hex; a flag alone (`fpd`) means 1. Names are case-insensitive; spaces around
 * tokens are ignored. Syntax only: an entry that parses may still break a rule of
 * `validatePasidEntry` (e.g. `sl:did=5` has no SSPTPTR). Throws SpecError naming the problem.
 */
export function parseEntry(text: string): bigint[] {
  if (typeof text !== 'string') throw new SpecError('entry: expected text');
  const src = text.trim();
  if (src === '') throw new SpecError("empty entry (write 'off' or e.g. 'fl:did=5,fsptptr=0x1000')");
  const colon = src.indexOf(':');
  const kind = (colon < 0 ? src : src.slice(0, colon)).trim().toLowerCase();
  if (!KINDS.includes(kind)) {
    throw new SpecError(`unknown entry kind '${kind.slice(0, 24)}' (expected off, fl, sl, nested or pt)`);
  }
  const fields = kindDefaults(kind);
  const rec = fields as unknown as Record<string, unknown>;
  const reserved = [0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n];
  const seen = new Set<string>();
  const body = colon < 0 ? '' : src.slice(colon + 1).trim();
  for (const part of body === '' ? [] : body.split(',')) {
    const item = part.trim();
    if (item === '') throw new SpecError(`empty field in '${src.slice(0, 60)}'`);
    const eq = item.indexOf('=');
    const name = (eq < 0 ? item : item.slice(0, eq)).trim().toLowerCase();
    const raw = eq < 0 ? undefined : item.slice(eq + 1).trim();
    if (!SYNTAX_SET.has(name)) {
      throw new SpecError(`unknown field '${name.slice(0, 24)}' (fields: ${ENTRY_SYNTAX_FIELDS.slice(0, 13).join(', ')})`);
    }
    if (seen.has(name)) throw new SpecError(`field '${name}' given twice`);
    seen.add(name);
    if (name.startsWith('res')) {
      const i = Number(name.slice(3));
      if (raw === undefined) throw new SpecError(`${name} needs a value`);
      const v = parseValue(name, raw);
      if (v > U64_MAX || (v & ~PASID_ENTRY_RESERVED[i]!) !== 0n) {
        throw new SpecError(`${name}=${raw} sets bits that are not reserved in val[${i}] (reserved: ${hex(PASID_ENTRY_RESERVED[i]!)})`);
      }
      reserved[i] = v;
      continue;
    }
    const l = LAYOUT_BY_KEY.get(name === 'p' ? 'present' : (name as FieldKey))!;
    if (l.kind === 'flag') {
      const v = raw === undefined ? 1n : parseValue(name, raw);
      if (v > 1n) throw new SpecError(`${name}=${raw} must be 0 or 1`);
      rec[l.key] = v === 1n;
    } else {
      if (raw === undefined) throw new SpecError(`${name} needs a value`);
      const v = parseValue(name, raw);
      if (l.kind === 'number') {
        if (v >= 1n << BigInt(l.width)) throw new SpecError(`${name}=${raw} is out of range (${l.width} bits)`);
        rec[l.key] = Number(v);
      } else {
        if (v > U64_MAX) throw new SpecError(`${name}=${raw} is not a 64-bit value`);
        if ((v & ~fieldMask(l)) !== 0n) {
          throw new SpecError(l.kind === 'pointer' ? `${name}=${raw} is not 4 KiB aligned`
            : `${name}=${raw} must have bits ${l.lo - 1}:0 zero`);
        }
        rec[l.key] = v;
      }
    }
  }
  fields.reserved = reserved;
  return encodePasidEntry(fields);
}

function kindOf(code: number): string {
  return code === 0 ? 'off' : (PGTT_NAME[code] ?? `pgtt${code}`);
}

/**
 * The canonical compact form of an entry: kind from the PGTT code, then only the fields
 * that differ from that kind's defaults, in ENTRY_SYNTAX_FIELDS order; flags as `=1`/`=0`,
 * DID/AW/FSPM/EMT/HPTDID decimal, pointers and raw bits 0x-hex. Total: every 8 × u64 value
 * has one form, and `parseEntry(formatEntry(w))` equals `w`.
 */
export function formatEntry(words: readonly bigint[]): string {
  const w = checkWords(words, [8], 'PASID entry');
  const e = decodePasidEntry(w);
  const kind = kindOf(e.pgttCode!);
  const d = kindDefaults(kind);
  const parts: string[] = [];
  const er = e as unknown as Record<string, unknown>;
  const dr = d as unknown as Record<string, unknown>;
  for (const name of ENTRY_SYNTAX_FIELDS) {
    if (name.startsWith('res')) {
      const v = e.reserved![Number(name.slice(3))]!;
      if (v !== 0n) parts.push(`${name}=${hex(v)}`);
      continue;
    }
    const key = name === 'p' ? 'present' : name;
    const v = er[key];
    if (v === dr[key]) continue;
    if (typeof v === 'boolean') parts.push(`${name}=${v ? 1 : 0}`);
    else if (typeof v === 'bigint') parts.push(`${name}=${hex(v)}`);
    else parts.push(name === 'pat' ? `${name}=${hex(v as number)}` : `${name}=${String(v)}`);
  }
  return parts.length === 0 ? kind : `${kind}:${parts.join(',')}`;
}
