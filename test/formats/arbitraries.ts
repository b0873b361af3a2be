/** fast-check generators for the spec formats, shared by the test files in test/formats and test/present. */
import fc from 'fast-check';
import { Descriptor } from '../../src/formats/descriptors';
import { PASID_ENTRY_RESERVED, PGTT_NAME, PasidEntryFields } from '../../src/formats/pasidEntry';

export const U64_MAX = (1n << 64n) - 1n;

export const u64 = fc.bigInt({ min: 0n, max: U64_MAX });
/** A 4 KiB aligned 64-bit address. */
export const page = fc.bigInt({ min: 0n, max: (1n << 52n) - 1n }).map((n) => n << 12n);
const bits = (width: number) => fc.integer({ min: 0, max: 2 ** width - 1 });

/** Every field of an entry, any value in range, reserved bits included. */
export const entryFields: fc.Arbitrary<PasidEntryFields> = fc.record({
  present: fc.boolean(), fpd: fc.boolean(), aw: bits(3), pgttCode: bits(3), ssade: fc.boolean(), ssptptr: page,
  did: bits(16), pwsnp: fc.boolean(), pgsnp: fc.boolean(), cd: fc.boolean(), emte: fc.boolean(), emt: bits(3),
  pwt: fc.boolean(), pcd: fc.boolean(), pat: fc.nat({ max: 0xffffffff }), sre: fc.boolean(), fspm: bits(2),
  wpe: fc.boolean(), nxe: fc.boolean(), eafe: fc.boolean(), fsptptr: page, hptq4: u64, hptdid: bits(16),
  hptq5: u64.map((v) => v & ~0xffffn), reserved: fc.tuple(u64, u64, u64, u64, u64, u64, u64, u64).map((ws) =>
    ws.map((w, i) => w & PASID_ENTRY_RESERVED[i]!)),
}).map((r) => {
  const { pgttCode, ...rest } = r;
  return { ...rest, pgtt: PGTT_NAME[pgttCode] ?? null, pgttCode };
});

/** Eight arbitrary words, with the PGTT field often a known code so all paths are reached. */
export const entryWords: fc.Arbitrary<bigint[]> = fc.tuple(
  fc.tuple(u64, fc.integer({ min: 0, max: 7 }), fc.boolean()).map(([w, code, p]) =>
    (w & ~0x1c1n) | (BigInt(code) << 6n) | (p ? 1n : 0n)),
  u64, u64, fc.oneof(fc.constant(0n), u64), u64, u64, fc.oneof(fc.constant(0n), u64), fc.oneof(fc.constant(0n), u64),
);

// fc.record may build null-prototype objects; spread them into plain ones for deepStrictEqual.
export const descriptor: fc.Arbitrary<Descriptor> = fc.oneof(
  fc.record({ type: fc.constant('cc_inv' as const), granularity: fc.constantFrom('global' as const, 'domain' as const, 'device' as const),
    did: bits(16), sid: bits(16), fm: bits(2) }),
  fc.record({ type: fc.constant('iotlb_inv' as const), granularity: fc.constantFrom('global' as const, 'domain' as const, 'page' as const),
    did: bits(16), dr: fc.boolean(), dw: fc.boolean(), addr: page, am: bits(6), ih: fc.boolean() }),
  fc.record({ type: fc.constant('dev_tlb_inv' as const), sid: bits(16), pfsid: bits(16), mip: bits(5), addr: page, size: fc.boolean() }),
  fc.record({ type: fc.constant('inv_wait' as const), iflag: fc.boolean(), sw: fc.boolean(), fn: fc.boolean(), pd: fc.boolean(),
    statusData: fc.nat({ max: 0xffffffff }), statusAddr: fc.bigInt({ min: 0n, max: (1n << 62n) - 1n }).map((n) => n << 2n) }),
  fc.record({ type: fc.constant('p_iotlb_inv' as const), granularity: fc.constantFrom('pasid' as const, 'page' as const),
    did: bits(16), pasid: bits(20), addr: page, am: bits(6), ih: fc.boolean() }),
  fc.record({ type: fc.constant('pc_inv' as const), granularity: fc.constantFrom('domain' as const, 'pasid' as const, 'global' as const),
    did: bits(16), pasid: bits(20) }),
  fc.record({ type: fc.constant('p_dev_tlb_inv' as const), sid: bits(16), pfsid: bits(16), mip: bits(5), pasid: bits(20),
    addr: page, size: fc.boolean(), global: fc.boolean() }),
).map((d) => ({ ...d }) as Descriptor);

/** Descriptor-shaped words: a type code in qw0 3:0 most of the time, random bits elsewhere. */
export const descriptorWords: fc.Arbitrary<bigint[]> = fc.oneof(
  fc.tuple(u64, fc.integer({ min: 0, max: 15 }), u64).map(([w, t, q1]) => [(w & ~0xe0fn) | BigInt(t), q1]),
  fc.tuple(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 0, max: 3 }), bits(16), bits(20), page).map(([t, g, did, pasid, addr]) =>
    [BigInt(t) | (BigInt(g) << 4n) | (BigInt(did) << 16n) | (BigInt(pasid) << 32n), addr, 0n, 0n]),
  fc.array(u64, { minLength: 0, maxLength: 6 }),
);
