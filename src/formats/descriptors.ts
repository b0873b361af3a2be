/**
 * Queued-invalidation descriptors in the 256-bit scalable-mode form (`struct qi_desc
 * { u64 qw0, qw1, qw2, qw3; }`; IQA_REG.DW=1, VT-d 5.10 §6.5.2).
 *
 * Positions are the Linux QI_* macros of drivers/iommu/intel/iommu.h (docs/kernel.md#descriptors),
 * checked against VT-d 5.10 §6.5.2.1-§6.5.2.9:
 * - Type: qw0 bits 3:0 (QI_CC_TYPE 1 ... QI_DEIOTLB_TYPE 8) and bits 11:9 (Type[6:4] since
 *   VT-d 3.0; zero for every type here, so a set bit there means an unknown type).
 * - Bits 255:128 (qw2, qw3) are reserved for every type modelled here.
 * - Every bit a layout below does not name is reserved; decoding rejects a set one.
 */
import { U64_MAX, bitMask, checkWords, describeBits, getBits, hex } from './bits';
import { SpecError } from './errors';

export type Descriptor =
  | { type: 'cc_inv'; granularity: 'global' | 'domain' | 'device'; did: number; sid: number; fm: number }
  | { type: 'iotlb_inv'; granularity: 'global' | 'domain' | 'page'; did: number; dr: boolean; dw: boolean; addr: bigint; am: number; ih: boolean }
  | { type: 'dev_tlb_inv'; sid: number; pfsid: number; mip: number; addr: bigint; size: boolean }
  | { type: 'inv_wait'; iflag: boolean; sw: boolean; fn: boolean; pd: boolean; statusData: number; statusAddr: bigint }
  | { type: 'p_iotlb_inv'; granularity: 'pasid' | 'page'; did: number; pasid: number; addr: bigint; am: number; ih: boolean }
  | { type: 'pc_inv'; granularity: 'domain' | 'pasid' | 'global'; did: number; pasid: number }
  | { type: 'p_dev_tlb_inv'; sid: number; pfsid: number; mip: number; pasid: number; addr: bigint; size: boolean; global: boolean };

export type DescriptorType = Descriptor['type'];

/** The descriptor of one type, e.g. `DescriptorOf<'p_iotlb_inv'>`. */
export type DescriptorOf<T extends DescriptorType> = Extract<Descriptor, { type: T }>;

/** Type codes (docs/kernel.md#descriptors; QI_CC_TYPE, QI_IOTLB_TYPE, QI_DIOTLB_TYPE, QI_IWD_TYPE,
 *  QI_EIOTLB_TYPE, QI_PC_TYPE, QI_DEIOTLB_TYPE). */
export const DESCRIPTOR_TYPE_CODE: { readonly [T in DescriptorType]: number } = {
  cc_inv: 1, iotlb_inv: 2, dev_tlb_inv: 3, inv_wait: 5, p_iotlb_inv: 6, pc_inv: 7, p_dev_tlb_inv: 8,
};

/** The name a one-line rendering starts with. */
export const DESCRIPTOR_MNEMONIC: { readonly [T in DescriptorType]: string } = {
  cc_inv: 'CC_INV', iotlb_inv: 'IOTLB', dev_tlb_inv: 'DEV_TLB_INV', inv_wait: 'INV_WAIT',
  p_iotlb_inv: 'P_IOTLB', pc_inv: 'PC_INV', p_dev_tlb_inv: 'P_DEV_TLB_INV',
};

/** The spec section that defines each descriptor (VT-d 5.10 numbering). */
export const DESCRIPTOR_SECTION: { readonly [T in DescriptorType]: string } = {
  cc_inv: '6.5.2.1', pc_inv: '6.5.2.2', iotlb_inv: '6.5.2.3', p_iotlb_inv: '6.5.2.4',
  dev_tlb_inv: '6.5.2.5', p_dev_tlb_inv: '6.5.2.6', inv_wait: '6.5.2.9',
};

/** Codes the kernel knows but the model does not use (docs/kernel.md#descriptors). */
const UNMODELLED: { readonly [code: number]: string } = {
  4: 'IEC (interrupt entry cache)', 9: 'page-group response', 10: 'page-stream response',
};

// ---------------------------------------------------------------------------------------
// Layouts

/** One piece of a field: `width` bits at qw`qw` bit `lo` hold value bits starting at `at`. */
export interface DescriptorFieldPart {
  qw: 0 | 1;
  lo: number;
  width: number;
  /** Bit of the field value that the part's lowest bit holds (PFSID[15:4] -> 4, ADDR -> 12). */
  at: number;
}

export interface DescriptorFieldLayout {
  /** Property of the Descriptor (or 'type'). */
  key: string;
  /** As the spec/kernel name it. */
  label: string;
  kind: 'type' | 'flag' | 'number' | 'address' | 'granularity';
  parts: readonly DescriptorFieldPart[];
  /** The kernel macro (or spec name) the position comes from. */
  source: string;
}

function p(qw: 0 | 1, lo: number, width: number, at = 0): DescriptorFieldPart {
  return { qw, lo, width, at };
}
function fl(key: string, label: string, kind: DescriptorFieldLayout['kind'], parts: DescriptorFieldPart[], source: string): DescriptorFieldLayout {
  return { key, label, kind, parts, source };
}

const TYPE_FIELD = fl('type', 'Type', 'type', [p(0, 0, 4), p(0, 9, 3, 4)], 'qw0 3:0 (QI_*_TYPE), 11:9 Type[6:4]');
const ADDR = (source: string): DescriptorFieldLayout => fl('addr', 'ADDR', 'address', [p(1, 12, 52, 12)], source);
const PFSID = (source: string): DescriptorFieldLayout =>
  fl('pfsid', 'PFSID', 'number', [p(0, 12, 4, 0), p(0, 52, 12, 4)], source);

/** Field positions per type, in bit order (qw0 first). */
export const DESCRIPTOR_LAYOUT: { readonly [T in DescriptorType]: readonly DescriptorFieldLayout[] } = {
  // VT-d 6.5.2.1; QI_CC_GRAN/QI_CC_DID/QI_CC_SID/QI_CC_FM.
  cc_inv: [TYPE_FIELD,
    fl('granularity', 'G', 'granularity', [p(0, 4, 2)], 'QI_CC_GRAN (qw0 5:4)'),
    fl('did', 'DID', 'number', [p(0, 16, 16)], 'QI_CC_DID (qw0 31:16)'),
    fl('sid', 'SID', 'number', [p(0, 32, 16)], 'QI_CC_SID (qw0 47:32)'),
    fl('fm', 'FM', 'number', [p(0, 48, 2)], 'QI_CC_FM (qw0 49:48)')],
  // VT-d 6.5.2.3; QI_IOTLB_GRAN/DW/DR/DID, QI_IOTLB_AM/IH/ADDR.
  iotlb_inv: [TYPE_FIELD,
    fl('granularity', 'G', 'granularity', [p(0, 4, 2)], 'QI_IOTLB_GRAN (qw0 5:4)'),
    fl('dw', 'DW', 'flag', [p(0, 6, 1)], 'QI_IOTLB_DW (qw0 6)'),
    fl('dr', 'DR', 'flag', [p(0, 7, 1)], 'QI_IOTLB_DR (qw0 7)'),
    fl('did', 'DID', 'number', [p(0, 16, 16)], 'QI_IOTLB_DID (qw0 31:16)'),
    fl('am', 'AM', 'number', [p(1, 0, 6)], 'QI_IOTLB_AM (qw1 5:0)'),
    fl('ih', 'IH', 'flag', [p(1, 6, 1)], 'QI_IOTLB_IH (qw1 6)'),
    ADDR('QI_IOTLB_ADDR (qw1 63:12)')],
  // VT-d 6.5.2.5; QI_DEV_IOTLB_PFSID/QDEP/SID, QI_DEV_IOTLB_SIZE/ADDR.
  dev_tlb_inv: [TYPE_FIELD,
    PFSID('QI_DEV_IOTLB_PFSID (qw0 15:12 = PFSID[3:0], 63:52 = PFSID[15:4])'),
    fl('mip', 'MIP', 'number', [p(0, 16, 5)], 'QI_DEV_IOTLB_QDEP (qw0 20:16)'),
    fl('sid', 'SID', 'number', [p(0, 32, 16)], 'QI_DEV_IOTLB_SID (qw0 47:32)'),
    fl('size', 'S', 'flag', [p(1, 0, 1)], 'QI_DEV_IOTLB_SIZE (qw1 0)'),
    ADDR('QI_DEV_IOTLB_ADDR (qw1 63:12)')],
  // VT-d 6.5.2.9; IF bit 4 (not used by Linux), QI_IWD_STATUS_WRITE/FENCE/PRQ_DRAIN/STATUS_DATA.
  inv_wait: [TYPE_FIELD,
    fl('iflag', 'IF', 'flag', [p(0, 4, 1)], 'VT-d 6.5.2.9 IF (qw0 4)'),
    fl('sw', 'SW', 'flag', [p(0, 5, 1)], 'QI_IWD_STATUS_WRITE (qw0 5)'),
    fl('fn', 'FN', 'flag', [p(0, 6, 1)], 'QI_IWD_FENCE (qw0 6)'),
    fl('pd', 'PD', 'flag', [p(0, 7, 1)], 'QI_IWD_PRQ_DRAIN (qw0 7)'),
    fl('statusData', 'Status Data', 'number', [p(0, 32, 32)], 'QI_IWD_STATUS_DATA (qw0 63:32)'),
    fl('statusAddr', 'Status Address', 'address', [p(1, 2, 62, 2)], 'VT-d 6.5.2.9 (qw1 63:2, DWORD aligned)')],
  // VT-d 6.5.2.4; QI_EIOTLB_GRAN/DID/PASID, QI_EIOTLB_AM/IH/ADDR.
  p_iotlb_inv: [TYPE_FIELD,
    fl('granularity', 'G', 'granularity', [p(0, 4, 2)], 'QI_EIOTLB_GRAN (qw0 5:4)'),
    fl('did', 'DID', 'number', [p(0, 16, 16)], 'QI_EIOTLB_DID (qw0 31:16)'),
    fl('pasid', 'PASID', 'number', [p(0, 32, 20)], 'QI_EIOTLB_PASID (qw0 51:32)'),
    fl('am', 'AM', 'number', [p(1, 0, 6)], 'QI_EIOTLB_AM (qw1 5:0)'),
    fl('ih', 'IH', 'flag', [p(1, 6, 1)], 'QI_EIOTLB_IH (qw1 6)'),
    ADDR('QI_EIOTLB_ADDR (qw1 63:12)')],
  // VT-d 6.5.2.2; QI_PC_GRAN/DID/PASID.
  pc_inv: [TYPE_FIELD,
    fl('granularity', 'G', 'granularity', [p(0, 4, 2)], 'QI_PC_GRAN (qw0 5:4)'),
    fl('did', 'DID', 'number', [p(0, 16, 16)], 'QI_PC_DID (qw0 31:16)'),
    fl('pasid', 'PASID', 'number', [p(0, 32, 20)], 'QI_PC_PASID (qw0 51:32)')],
  // VT-d 6.5.2.6; QI_DEV_EIOTLB_QDEP/SID/PASID, QI_DEV_IOTLB_PFSID; qw1 G (old
  // QI_DEV_EIOTLB_GLOB, bit 0), QI_DEV_EIOTLB_SIZE (bit 11), QI_DEV_EIOTLB_ADDR.
  p_dev_tlb_inv: [TYPE_FIELD,
    fl('mip', 'MIP', 'number', [p(0, 4, 5)], 'QI_DEV_EIOTLB_QDEP (qw0 8:4)'),
    PFSID('QI_DEV_IOTLB_PFSID (qw0 15:12 = PFSID[3:0], 63:52 = PFSID[15:4])'),
    fl('sid', 'SID', 'number', [p(0, 16, 16)], 'QI_DEV_EIOTLB_SID (qw0 31:16)'),
    fl('pasid', 'PASID', 'number', [p(0, 32, 20)], 'QI_DEV_EIOTLB_PASID (qw0 51:32)'),
    fl('global', 'G', 'flag', [p(1, 0, 1)], 'QI_DEV_EIOTLB_GLOB (qw1 0)'),
    fl('size', 'S', 'flag', [p(1, 11, 1)], 'QI_DEV_EIOTLB_SIZE (qw1 11)'),
    ADDR('QI_DEV_EIOTLB_ADDR (qw1 63:12)')],
};

/** Granularity codes of the G field (qw0 5:4), by name; the codes not listed are reserved. */
export const DESCRIPTOR_GRANULARITY: {
  readonly cc_inv: { readonly [K in DescriptorOf<'cc_inv'>['granularity']]: number };
  readonly iotlb_inv: { readonly [K in DescriptorOf<'iotlb_inv'>['granularity']]: number };
  readonly p_iotlb_inv: { readonly [K in DescriptorOf<'p_iotlb_inv'>['granularity']]: number };
  readonly pc_inv: { readonly [K in DescriptorOf<'pc_inv'>['granularity']]: number };
} = {
  // DMA_CCMD_{GLOBAL,DOMAIN,DEVICE}_INVL >> 57 via QI_CC_GRAN.
  cc_inv: { global: 1, domain: 2, device: 3 },
  // DMA_TLB_{GLOBAL,DSI,PSI}_FLUSH >> 56 via QI_IOTLB_GRAN.
  iotlb_inv: { global: 1, domain: 2, page: 3 },
  // QI_GRAN_NONG_PASID 2 (PASID-selective, non-global pages), QI_GRAN_PSI_PASID 3.
  p_iotlb_inv: { pasid: 2, page: 3 },
  // QI_PC_ALL_PASIDS 0 (domain-selective), QI_PC_PASID_SEL 1, QI_PC_GLOBAL 3.
  pc_inv: { domain: 0, pasid: 1, global: 3 },
};

/** How describeDescriptor and tables name each granularity. */
const GRANULARITY_TITLE: { readonly [name: string]: string } = {
  global: 'global', domain: 'domain-selective', device: 'device-selective', page: 'page-selective',
  pasid: 'PASID-selective',
};

/** Per type and qword, the bits that no field of the layout covers (reserved). */
export const DESCRIPTOR_RESERVED: { readonly [T in DescriptorType]: readonly [bigint, bigint] } = (() => {
  const out: Record<string, [bigint, bigint]> = {};
  for (const [t, layout] of Object.entries(DESCRIPTOR_LAYOUT)) {
    const r: [bigint, bigint] = [U64_MAX, U64_MAX];
    for (const field of layout) for (const part of field.parts) r[part.qw] &= ~bitMask(part.lo, part.width);
    out[t] = r;
  }
  return out as unknown as { [T in DescriptorType]: readonly [bigint, bigint] };
})();

const TYPE_BY_CODE = new Map<number, DescriptorType>(
  (Object.entries(DESCRIPTOR_TYPE_CODE) as [DescriptorType, number][]).map(([t, c]) => [c, t]));

function fieldWidth(field: DescriptorFieldLayout): number {
  return field.parts.reduce((m, part) => Math.max(m, part.at + part.width), 0);
}

function granularityCode(type: DescriptorType, name: unknown): number {
  const table = (DESCRIPTOR_GRANULARITY as Record<string, Record<string, number>>)[type]!;
  const code = typeof name === 'string' && Object.prototype.hasOwnProperty.call(table, name) ? table[name] : undefined;
  if (code === undefined) {
    throw new SpecError(`${DESCRIPTOR_MNEMONIC[type]} granularity '${String(name)}' is not one of ${Object.keys(table).join(', ')}`);
  }
  return code;
}

function granularityName(type: DescriptorType, code: number): string {
  const table = (DESCRIPTOR_GRANULARITY as Record<string, Record<string, number>>)[type]!;
  const name = Object.keys(table).find((k) => table[k] === code);
  if (name === undefined) {
    const known = Object.entries(table).map(([k, c]) => `${c} ${GRANULARITY_TITLE[k]}`).join(', ');
    throw new SpecError(`${DESCRIPTOR_MNEMONIC[type]} granularity ${code} is reserved (VT-d ${DESCRIPTOR_SECTION[type]}: ${known})`);
  }
  return name;
}

// ---------------------------------------------------------------------------------------
// Encode / decode

/** The 4 words of a descriptor. Throws SpecError for an unknown type or a value out of range. */
export function encodeDescriptor(d: Descriptor): bigint[] {
  if (typeof d !== 'object' || d === null) throw new SpecError('descriptor: expected an object');
  const type = d.type;
  const layout = (DESCRIPTOR_LAYOUT as Record<string, readonly DescriptorFieldLayout[] | undefined>)[type];
  if (!layout) throw new SpecError(`unknown descriptor type '${String(type)}'`);
  const rec = d as unknown as Record<string, unknown>;
  const words: [bigint, bigint, bigint, bigint] = [0n, 0n, 0n, 0n];
  const name = DESCRIPTOR_MNEMONIC[type];
  for (const field of layout) {
    let value: bigint;
    const v = rec[field.key];
    const width = fieldWidth(field);
    if (field.kind === 'type') {
      value = BigInt(DESCRIPTOR_TYPE_CODE[type]);
    } else if (field.kind === 'granularity') {
      value = BigInt(granularityCode(type, v));
    } else if (field.kind === 'flag') {
      if (typeof v !== 'boolean') throw new SpecError(`${name} ${field.key} must be true or false`);
      value = v ? 1n : 0n;
    } else if (field.kind === 'number') {
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v >= 2 ** width) {
        throw new SpecError(`${name} ${field.key} ${String(v)} is out of range (${width} bits: 0..${2 ** width - 1})`);
      }
      value = BigInt(v);
    } else {
      if (typeof v !== 'bigint' || v < 0n || v > U64_MAX) throw new SpecError(`${name} ${field.key} must be a 64-bit address (bigint)`);
      const lowBits = field.parts[0]!.at;
      if ((v & ((1n << BigInt(lowBits)) - 1n)) !== 0n) {
        throw new SpecError(`${name} ${field.key} ${hex(v)} is not ${lowBits === 12 ? '4 KiB' : `${2 ** lowBits}-byte`} aligned`);
      }
      value = v;
    }
    for (const part of field.parts) {
      words[part.qw] |= getBits(value, part.at, part.width) << BigInt(part.lo);
    }
  }
  return words;
}

/**
 * The descriptor in `words`: 4 words (256-bit scalable-mode form) or 2 (the first 128 bits;
 * qw2/qw3 taken as zero). Throws SpecError for an unknown or unmodelled type, a reserved
 * granularity, or any reserved bit set (naming the bits).
 */
export function decodeDescriptor(words: readonly bigint[]): Descriptor {
  const w = checkWords(words, [2, 4], 'descriptor');
  const [qw0, qw1] = [w[0]!, w[1]!];
  const code = Number(getBits(qw0, 0, 4) | (getBits(qw0, 9, 3) << 4n));
  const type = TYPE_BY_CODE.get(code);
  if (type === undefined) {
    const what = UNMODELLED[code];
    throw new SpecError(what ? `descriptor type ${code} is ${what}, which flushlab does not model`
      : `unknown descriptor type ${code} (qw0 bits 3:0 and 11:9)`);
  }
  const name = DESCRIPTOR_MNEMONIC[type];
  const reserved = DESCRIPTOR_RESERVED[type];
  for (const [i, qw] of [qw0, qw1].entries()) {
    const bad = qw & reserved[i]!;
    if (bad !== 0n) throw new SpecError(`${name}: reserved ${describeBits(bad, 0)} of qw${i} set (qw${i} = ${hex(qw)})`);
  }
  for (const i of [2, 3]) {
    const qw = w[i];
    if (qw !== undefined && qw !== 0n) throw new SpecError(`${name}: qw${i} is reserved but is ${hex(qw)}`);
  }
  const out: Record<string, unknown> = { type };
  for (const field of DESCRIPTOR_LAYOUT[type]) {
    if (field.kind === 'type') continue;
    let value = 0n;
    for (const part of field.parts) value |= getBits(part.qw === 0 ? qw0 : qw1, part.lo, part.width) << BigInt(part.at);
    if (field.kind === 'flag') out[field.key] = value === 1n;
    else if (field.kind === 'number') out[field.key] = Number(value);
    else if (field.kind === 'granularity') out[field.key] = granularityName(type, Number(value));
    else out[field.key] = value;
  }
  return out as unknown as Descriptor;
}

// ---------------------------------------------------------------------------------------
// Address ranges

/** A naturally aligned range of bytes; `bytes` may be 2^64 (the whole space). */
export interface AddressRange {
  start: bigint;
  bytes: bigint;
}

/** The address the kernel puts in a Device-TLB descriptor for a whole-range flush:
 *  Addr[63:12] all ones except bit 63 with S=1 (VT-d 6.5.3.3 Table 28 note; docs/kernel.md#teardown). */
export const DEV_TLB_WHOLE_RANGE_ADDR = 0x7ffffffffffff000n;

/**
 * The range a Device-TLB (ATS) invalidation covers: S=0 one 4 KiB page at `addr`; S=1 the
 * lowest 0 bit of Addr[63:12] at position k gives 2^(k+1) bytes (VT-d 6.5.2.5/6.5.2.6, PCIe
 * ATS §10.3.1). Null when S=1 and no address bit is 0 (size undefined).
 */
export function devTlbRange(addr: bigint, size: boolean): AddressRange | null {
  if (!size) return { start: addr & ~0xfffn, bytes: 4096n };
  for (let k = 12n; k < 64n; k++) {
    if (((addr >> k) & 1n) === 0n) {
      const bytes = 1n << (k + 1n);
      return { start: addr & ~(bytes - 1n) & U64_MAX, bytes };
    }
  }
  return null;
}

/**
 * Addr and S that encode `bytes` (a power of two >= 4 KiB, up to 2^64) at `start` (aligned
 * to it), as `qi_desc_dev_iotlb_pasid` does: bits below the size bit set, the size bit 0.
 */
export function devTlbAddress(start: bigint, bytes: bigint): { addr: bigint; size: boolean } {
  if (bytes < 4096n || bytes > 1n << 64n || (bytes & (bytes - 1n)) !== 0n) {
    throw new SpecError(`Device-TLB range of ${bytes} bytes is not a power of two from 4 KiB to 2^64`);
  }
  if (start < 0n || (start & (bytes - 1n)) !== 0n || start > U64_MAX) {
    throw new SpecError(`Device-TLB range start ${hex(start)} is not aligned to its size ${hex(bytes)}`);
  }
  if (bytes === 4096n) return { addr: start, size: false };
  return { addr: (start | ((bytes >> 1n) - 1n)) & ~0xfffn, size: true };
}

/** The range a page-selective IOTLB / P_IOTLB invalidation covers: 2^AM pages at ADDR (low AM bits ignored). */
export function iotlbRange(addr: bigint, am: number): AddressRange {
  const bytes = 1n << BigInt(12 + am);
  return { start: addr & ~(bytes - 1n), bytes };
}

// ---------------------------------------------------------------------------------------
// Builders used by strategies

export interface DevTlbTarget {
  /** Source-ID of the function (bus << 8 | devfn). */
  sid: number;
  /** Source-ID of its physical function (the function itself unless an SR-IOV VF). */
  pfsid?: number;
  /** Max Invalidations Pending; the kernel passes 0 (QDEP >= 32 encodes as 0). */
  mip?: number;
}

/** Device-TLB invalidation of the whole address space for requests without PASID
 *  (the kernel's RID2PASID case: global dev_tlb_inv, S=1, all-ones address). */
export function wholeRangeDevTlb(target: DevTlbTarget): DescriptorOf<'dev_tlb_inv'> {
  return { type: 'dev_tlb_inv', sid: target.sid, pfsid: target.pfsid ?? target.sid, mip: target.mip ?? 0,
    addr: DEV_TLB_WHOLE_RANGE_ADDR, size: true };
}

/** PASID-based Device-TLB invalidation of the whole address space of `pasid`, as
 *  `devtlb_invalidation_with_pasid` builds it (S=1, Addr[63:12] all ones but bit 63). */
export function wholeRangePasidDevTlb(target: DevTlbTarget & { pasid: number; global?: boolean }): DescriptorOf<'p_dev_tlb_inv'> {
  return { type: 'p_dev_tlb_inv', sid: target.sid, pfsid: target.pfsid ?? target.sid, mip: target.mip ?? 0,
    pasid: target.pasid, addr: DEV_TLB_WHOLE_RANGE_ADDR, size: true, global: target.global ?? false };
}

/** True when a (P_)DEV_TLB descriptor covers the whole address space. */
export function isWholeRange(d: DescriptorOf<'dev_tlb_inv'> | DescriptorOf<'p_dev_tlb_inv'>): boolean {
  const r = devTlbRange(d.addr, d.size);
  return r !== null && r.bytes === 1n << 64n;
}

/** PASID-selective P_IOTLB (`qi_desc_piotlb_all`): every non-global page of (DID, PASID). */
export function pasidSelectiveIotlb(did: number, pasid: number): DescriptorOf<'p_iotlb_inv'> {
  return { type: 'p_iotlb_inv', granularity: 'pasid', did, pasid, addr: 0n, am: 0, ih: false };
}

/** IOTLB invalidation of a whole domain or of everything; no drain flags (ignored by VER>=2 hardware, VT-d 6.5.2.3). */
export function iotlbInv(granularity: 'domain' | 'global', did: number): DescriptorOf<'iotlb_inv'> {
  return { type: 'iotlb_inv', granularity, did, dr: false, dw: false, addr: 0n, am: 0, ih: false };
}

/** Domain-selective IOTLB (`DMA_TLB_DSI_FLUSH`). */
export function domainSelectiveIotlb(did: number): DescriptorOf<'iotlb_inv'> {
  return iotlbInv('domain', did);
}

/** PASID-cache invalidation (`qi_flush_pasid_cache`). */
export function pasidCacheInv(granularity: DescriptorOf<'pc_inv'>['granularity'], did: number, pasid = 0): DescriptorOf<'pc_inv'> {
  return { type: 'pc_inv', granularity, did, pasid };
}

/** A wait descriptor; by default a status write (SW) without fence, as `qi_submit_sync` queues it. */
export function invWait(flags: Partial<Omit<DescriptorOf<'inv_wait'>, 'type'>> = {}): DescriptorOf<'inv_wait'> {
  return { type: 'inv_wait', iflag: false, sw: true, fn: false, pd: false, statusData: 0, statusAddr: 0n, ...flags };
}

// ---------------------------------------------------------------------------------------
// One-line rendering

function sid4(sid: number): string {
  return `0x${sid.toString(16).padStart(4, '0')}`;
}

function rangeText(r: AddressRange | null): string {
  if (r === null) return 'range undefined (S=1, no 0 address bit)';
  if (r.bytes === 1n << 64n) return 'all';
  return `ADDR=${hex(r.start)} SIZE=${sizeText(r.bytes)}`;
}

function sizeText(bytes: bigint): string {
  const units: [bigint, string][] = [[1n << 60n, 'EiB'], [1n << 50n, 'PiB'], [1n << 40n, 'TiB'], [1n << 30n, 'GiB'], [1n << 20n, 'MiB'], [1n << 10n, 'KiB']];
  for (const [u, name] of units) if (bytes >= u && bytes % u === 0n) return `${bytes / u}${name}`;
  return `${bytes}B`;
}

/**
 * One line naming the descriptor the way a list reader would:
 * `P_IOTLB PASID-selective DID=5 PASID=0x10`, `PC_INV PASID-selective DID=5 PASID=0x10`,
 * `DEV_TLB_INV SID=0x0100 all`, `P_DEV_TLB_INV SID=0x0100 PASID=0x10 all`, `INV_WAIT SW FN`.
 * DID decimal, SID 4-digit hex, PASID hex; fields a granularity ignores are left out; PFSID
 * only when it differs from SID, MIP/status only when non-zero.
 */
export function describeDescriptor(d: Descriptor): string {
  const parts: string[] = [DESCRIPTOR_MNEMONIC[d.type]];
  switch (d.type) {
    case 'cc_inv':
      parts.push(GRANULARITY_TITLE[d.granularity]!);
      if (d.granularity !== 'global') parts.push(`DID=${d.did}`);
      if (d.granularity === 'device') {
        parts.push(`SID=${sid4(d.sid)}`);
        if (d.fm !== 0) parts.push(`FM=${d.fm}`);
      }
      break;
    case 'iotlb_inv':
      parts.push(GRANULARITY_TITLE[d.granularity]!);
      if (d.granularity !== 'global') parts.push(`DID=${d.did}`);
      if (d.granularity === 'page') {
        parts.push(`ADDR=${hex(d.addr)}`, `AM=${d.am}`);
        if (d.ih) parts.push('IH');
      }
      if (d.dr) parts.push('DR');
      if (d.dw) parts.push('DW');
      break;
    case 'p_iotlb_inv':
      parts.push(GRANULARITY_TITLE[d.granularity]!, `DID=${d.did}`, `PASID=${hex(d.pasid)}`);
      if (d.granularity === 'page') {
        parts.push(`ADDR=${hex(d.addr)}`, `AM=${d.am}`);
        if (d.ih) parts.push('IH');
      }
      break;
    case 'pc_inv':
      parts.push(GRANULARITY_TITLE[d.granularity]!);
      if (d.granularity !== 'global') parts.push(`DID=${d.did}`);
      if (d.granularity === 'pasid') parts.push(`PASID=${hex(d.pasid)}`);
      break;
    case 'dev_tlb_inv':
      parts.push(`SID=${sid4(d.sid)}`);
      if (d.pfsid !== d.sid) parts.push(`PFSID=${sid4(d.pfsid)}`);
      if (d.mip !== 0) parts.push(`MIP=${d.mip}`);
      parts.push(rangeText(devTlbRange(d.addr, d.size)));
      break;
    case 'p_dev_tlb_inv':
      parts.push(`SID=${sid4(d.sid)}`);
      if (d.pfsid !== d.sid) parts.push(`PFSID=${sid4(d.pfsid)}`);
      if (d.mip !== 0) parts.push(`MIP=${d.mip}`);
      parts.push(`PASID=${hex(d.pasid)}`, rangeText(devTlbRange(d.addr, d.size)));
      if (d.global) parts.push('G');
      break;
    case 'inv_wait':
      if (d.iflag) parts.push('IF');
      if (d.sw) parts.push('SW');
      if (d.fn) parts.push('FN');
      if (d.pd) parts.push('PD');
      if (d.statusData !== 0) parts.push(`DATA=${hex(d.statusData)}`);
      if (d.statusAddr !== 0n) parts.push(`ADDR=${hex(d.statusAddr)}`);
      break;
    default: {
      const never: never = d;
      throw new SpecError(`unknown descriptor type '${String((never as { type: unknown }).type)}'`);
    }
  }
  return parts.join(' ');
}

/** Readable name of a granularity for tables ("PASID-selective"). */
export function granularityTitle(name: string): string {
  return GRANULARITY_TITLE[name] ?? name;
}

/**
 * Rules a well-formed descriptor may still break, one line each (empty = none):
 * - page-selective IOTLB/P_IOTLB: ADDR aligned to 2^AM pages (VT-d 6.5.2.3/6.5.2.4; the
 *   kernel aligns with `calculate_psi_aligned_address`, hardware ignores the low AM bits);
 * - Device-TLB with S=1: some address bit is 0, else the size is undefined (6.5.2.5/6.5.2.6).
 */
export function validateDescriptor(d: Descriptor): string[] {
  const problems: string[] = [];
  try {
    encodeDescriptor(d);
  } catch (e) {
    if (e instanceof SpecError) return [e.message];
    throw e;
  }
  if ((d.type === 'iotlb_inv' || d.type === 'p_iotlb_inv') && d.granularity === 'page') {
    const r = iotlbRange(d.addr, d.am);
    if (r.start !== d.addr) problems.push(`${DESCRIPTOR_MNEMONIC[d.type]} ADDR ${hex(d.addr)} is not aligned to AM=${d.am} (${sizeText(r.bytes)})`);
  }
  if ((d.type === 'dev_tlb_inv' || d.type === 'p_dev_tlb_inv') && devTlbRange(d.addr, d.size) === null) {
    problems.push(`${DESCRIPTOR_MNEMONIC[d.type]} S=1 but no address bit is 0: invalidation size undefined`);
  }
  return problems;
}
