import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  DESCRIPTOR_TYPE_CODE, DEV_TLB_WHOLE_RANGE_ADDR, Descriptor, decodeDescriptor, describeDescriptor, devTlbAddress,
  devTlbRange, domainSelectiveIotlb, encodeDescriptor, invWait, isWholeRange, pasidCacheInv, pasidSelectiveIotlb,
  validateDescriptor, wholeRangeDevTlb, wholeRangePasidDevTlb,
} from '../../src/formats/descriptors';
import { SpecError } from '../../src/formats/errors';
import { descriptor, descriptorWords } from './arbitraries';

// The Linux QI_* macros of drivers/iommu/intel/iommu.h (docs/kernel.md#descriptors), transcribed so
// the expected words below are built the way the kernel builds them.
const QI_CC_TYPE = 0x1n, QI_IOTLB_TYPE = 0x2n, QI_DIOTLB_TYPE = 0x3n, QI_IWD_TYPE = 0x5n;
const QI_EIOTLB_TYPE = 0x6n, QI_PC_TYPE = 0x7n, QI_DEIOTLB_TYPE = 0x8n;
const DMA_CCMD_GLOBAL_INVL = 1n << 61n, DMA_CCMD_DEVICE_INVL = 3n << 61n, DMA_CCMD_INVL_GRANU_OFFSET = 61n;
const QI_CC_GRAN = (g: bigint) => g >> (DMA_CCMD_INVL_GRANU_OFFSET - 4n);
const QI_CC_DID = (d: bigint) => d << 16n, QI_CC_SID = (s: bigint) => s << 32n, QI_CC_FM = (fm: bigint) => fm << 48n;
const DMA_TLB_DSI_FLUSH = 2n << 60n, DMA_TLB_PSI_FLUSH = 3n << 60n, DMA_TLB_FLUSH_GRANU_OFFSET = 60n;
const QI_IOTLB_DID = (d: bigint) => d << 16n, QI_IOTLB_DR = (x: bigint) => x << 7n, QI_IOTLB_DW = (x: bigint) => x << 6n;
const QI_IOTLB_GRAN = (g: bigint) => g >> (DMA_TLB_FLUSH_GRANU_OFFSET - 4n);
const VTD_PAGE_MASK = ((1n << 64n) - 1n) & ~0xfffn;
const QI_IOTLB_ADDR = (a: bigint) => a & VTD_PAGE_MASK, QI_IOTLB_IH = (ih: bigint) => ih << 6n, QI_IOTLB_AM = (am: bigint) => am & 0x3fn;
const QI_DEV_IOTLB_SID = (s: bigint) => (s & 0xffffn) << 32n, QI_DEV_IOTLB_QDEP = (q: bigint) => (q & 0x1fn) << 16n;
const QI_DEV_IOTLB_PFSID = (p: bigint) => ((p & 0xfn) << 12n) | (((p >> 4n) & 0xfffn) << 52n);
const QI_DEV_IOTLB_SIZE = 1n;
const QI_IWD_STATUS_DATA = (d: bigint) => d << 32n, QI_IWD_STATUS_WRITE = 1n << 5n, QI_IWD_FENCE = 1n << 6n, QI_IWD_PRQ_DRAIN = 1n << 7n;
const VTD_IWD_IF = 1n << 4n; // VT-d 6.5.2.9 (no kernel macro)
const QI_DONE = 2n; // enum { QI_FREE, QI_IN_USE, QI_DONE, QI_ABORT }
const QI_EIOTLB_PASID = (p: bigint) => p << 32n, QI_EIOTLB_DID = (d: bigint) => d << 16n, QI_EIOTLB_GRAN = (g: bigint) => g << 4n;
const QI_GRAN_NONG_PASID = 2n, QI_GRAN_PSI_PASID = 3n;
const QI_PC_PASID = (p: bigint) => p << 32n, QI_PC_DID = (d: bigint) => d << 16n, QI_PC_GRAN = (g: bigint) => g << 4n;
const QI_PC_ALL_PASIDS = 0n, QI_PC_PASID_SEL = 1n, QI_PC_GLOBAL = 3n;
const QI_DEV_EIOTLB_SIZE = 1n << 11n, QI_DEV_EIOTLB_PASID = (p: bigint) => (p & 0xfffffn) << 32n;
const QI_DEV_EIOTLB_SID = (s: bigint) => (s & 0xffffn) << 16n, QI_DEV_EIOTLB_QDEP = (q: bigint) => (q & 0x1fn) << 4n;
const QI_DEV_EIOTLB_GLOB = (g: bigint) => g & 1n;

/** qi_desc_dev_iotlb_pasid's qw1 (docs/kernel.md#descriptors), written as the C code computes it. */
function kernelDevTlbPasidQw1(addr: bigint, sizeOrder: bigint): bigint {
  let qw1 = addr & VTD_PAGE_MASK;
  if (sizeOrder > 0n) {
    const mask = 1n << (12n + sizeOrder - 1n);
    qw1 |= ((1n << (sizeOrder + 12n)) - 1n) & ~0xfffn; // GENMASK_ULL(size_order + 11, 12)
    qw1 &= ~mask;
    qw1 |= QI_DEV_EIOTLB_SIZE;
  }
  return qw1;
}

const KNOWN: [string, Descriptor, bigint[], string][] = [
  ['pasid_cache_invalidation_with_pasid (PASID-selective-within-domain)', pasidCacheInv('pasid', 5, 0x10),
    [QI_PC_PASID(0x10n) | QI_PC_DID(5n) | QI_PC_GRAN(QI_PC_PASID_SEL) | QI_PC_TYPE, 0n], 'PC_INV PASID-selective DID=5 PASID=0x10'],
  ['PASID-cache domain-selective (QI_PC_ALL_PASIDS)', pasidCacheInv('domain', 7),
    [QI_PC_DID(7n) | QI_PC_GRAN(QI_PC_ALL_PASIDS) | QI_PC_TYPE, 0n], 'PC_INV domain-selective DID=7'],
  ['PASID-cache global', pasidCacheInv('global', 0), [QI_PC_GRAN(QI_PC_GLOBAL) | QI_PC_TYPE, 0n], 'PC_INV global'],
  ['qi_desc_piotlb_all (PASID-selective P_IOTLB)', pasidSelectiveIotlb(5, 0x10),
    [QI_EIOTLB_PASID(0x10n) | QI_EIOTLB_DID(5n) | QI_EIOTLB_GRAN(QI_GRAN_NONG_PASID) | QI_EIOTLB_TYPE, 0n], 'P_IOTLB PASID-selective DID=5 PASID=0x10'],
  ['qi_desc_piotlb (page-selective-within-PASID, 2 MiB, IH)',
    { type: 'p_iotlb_inv', granularity: 'page', did: 5, pasid: 0x10, addr: 0x200000n, am: 9, ih: true },
    [QI_EIOTLB_PASID(0x10n) | QI_EIOTLB_DID(5n) | QI_EIOTLB_GRAN(QI_GRAN_PSI_PASID) | QI_EIOTLB_TYPE,
      QI_IOTLB_ADDR(0x200000n) | QI_IOTLB_IH(1n) | QI_IOTLB_AM(9n)], 'P_IOTLB page-selective DID=5 PASID=0x10 ADDR=0x200000 AM=9 IH'],
  ['qi_desc_iotlb domain-selective with read/write drain', { ...domainSelectiveIotlb(5), dr: true, dw: true },
    [QI_IOTLB_DID(5n) | QI_IOTLB_DR(1n) | QI_IOTLB_DW(1n) | QI_IOTLB_GRAN(DMA_TLB_DSI_FLUSH) | QI_IOTLB_TYPE, 0n], 'IOTLB domain-selective DID=5 DR DW'],
  ['qi_desc_iotlb page-selective',
    { type: 'iotlb_inv', granularity: 'page', did: 3, dr: false, dw: false, addr: 0x7000n, am: 0, ih: true },
    [QI_IOTLB_DID(3n) | QI_IOTLB_GRAN(DMA_TLB_PSI_FLUSH) | QI_IOTLB_TYPE, QI_IOTLB_ADDR(0x7000n) | QI_IOTLB_IH(1n) | QI_IOTLB_AM(0n)],
    'IOTLB page-selective DID=3 ADDR=0x7000 AM=0 IH'],
  ['qi_desc_dev_iotlb whole range (MAX_AGAW_PFN_WIDTH)', wholeRangeDevTlb({ sid: 0x100 }),
    [QI_DEV_IOTLB_SID(0x100n) | QI_DEV_IOTLB_QDEP(0n) | QI_DIOTLB_TYPE | QI_DEV_IOTLB_PFSID(0x100n),
      // addr |= (1 << (12 + 52 - 1)) - 1, then QI_DEV_IOTLB_ADDR | QI_DEV_IOTLB_SIZE
      QI_IOTLB_ADDR((1n << 63n) - 1n) | QI_DEV_IOTLB_SIZE], 'DEV_TLB_INV SID=0x0100 all'],
  ['qi_desc_dev_iotlb for an SR-IOV VF, one page, QDEP 5',
    { type: 'dev_tlb_inv', sid: 0x0181, pfsid: 0x1234, mip: 5, addr: 0x5000n, size: false },
    [QI_DEV_IOTLB_SID(0x181n) | QI_DEV_IOTLB_QDEP(5n) | QI_DIOTLB_TYPE | QI_DEV_IOTLB_PFSID(0x1234n), 0x5000n],
    'DEV_TLB_INV SID=0x0181 PFSID=0x1234 MIP=5 ADDR=0x5000 SIZE=4KiB'],
  ['devtlb_invalidation_with_pasid (S=1, size order 52)', wholeRangePasidDevTlb({ sid: 0x100, pasid: 0x10 }),
    [QI_DEV_EIOTLB_PASID(0x10n) | QI_DEV_EIOTLB_SID(0x100n) | QI_DEV_EIOTLB_QDEP(0n) | QI_DEIOTLB_TYPE | QI_DEV_IOTLB_PFSID(0x100n),
      kernelDevTlbPasidQw1(0n, 52n)], 'P_DEV_TLB_INV SID=0x0100 PASID=0x10 all'],
  ['PASID Dev-TLB with global and a 64 KiB range',
    { type: 'p_dev_tlb_inv', sid: 0x200, pfsid: 0x200, mip: 3, pasid: 0xfffff, addr: kernelDevTlbPasidQw1(0x30000n, 4n) & VTD_PAGE_MASK, size: true, global: true },
    [QI_DEV_EIOTLB_PASID(0xfffffn) | QI_DEV_EIOTLB_SID(0x200n) | QI_DEV_EIOTLB_QDEP(3n) | QI_DEIOTLB_TYPE | QI_DEV_IOTLB_PFSID(0x200n),
      kernelDevTlbPasidQw1(0x30000n, 4n) | QI_DEV_EIOTLB_GLOB(1n)], 'P_DEV_TLB_INV SID=0x0200 MIP=3 PASID=0xfffff ADDR=0x30000 SIZE=64KiB G'],
  ['qi_submit_sync wait (status write of QI_DONE)', invWait({ statusData: 2, statusAddr: 0x1003dc3c8n }),
    [QI_IWD_STATUS_DATA(QI_DONE) | QI_IWD_STATUS_WRITE | QI_IWD_TYPE, 0x1003dc3c8n], 'INV_WAIT SW DATA=0x2 ADDR=0x1003dc3c8'],
  ['intel_iommu_drain_pasid_prq wait (fence) + PRQ drain', invWait({ sw: false, fn: true, pd: true, statusData: 2 }),
    [QI_IWD_STATUS_DATA(QI_DONE) | QI_IWD_FENCE | QI_IWD_PRQ_DRAIN | QI_IWD_TYPE, 0n], 'INV_WAIT FN PD DATA=0x2'],
  ['wait with IF and SW+FN', invWait({ iflag: true, fn: true }), [VTD_IWD_IF | QI_IWD_STATUS_WRITE | QI_IWD_FENCE | QI_IWD_TYPE, 0n], 'INV_WAIT IF SW FN'],
  ['context-cache device-selective (qi_flush_context)', { type: 'cc_inv', granularity: 'device', did: 5, sid: 0x100, fm: 0 },
    [QI_CC_FM(0n) | QI_CC_SID(0x100n) | QI_CC_DID(5n) | QI_CC_GRAN(DMA_CCMD_DEVICE_INVL) | QI_CC_TYPE, 0n], 'CC_INV device-selective DID=5 SID=0x0100'],
  ['context-cache global', { type: 'cc_inv', granularity: 'global', did: 0, sid: 0, fm: 0 },
    [QI_CC_GRAN(DMA_CCMD_GLOBAL_INVL) | QI_CC_TYPE, 0n], 'CC_INV global'],
];

for (const [name, d, qws, line] of KNOWN) {
  test(`known encoding: ${name}`, () => {
    const expected = [...qws, 0n, 0n];
    assert.deepEqual(encodeDescriptor(d), expected);
    assert.deepEqual(decodeDescriptor(expected), d);
    assert.deepEqual(decodeDescriptor(qws), d, '128-bit form');
    assert.equal(describeDescriptor(d), line);
  });
}

test('the one-line renderings the model and traces use', () => {
  assert.equal(describeDescriptor(invWait({ fn: true })), 'INV_WAIT SW FN');
  assert.equal(describeDescriptor(pasidSelectiveIotlb(5, 0x10)), 'P_IOTLB PASID-selective DID=5 PASID=0x10');
  assert.equal(describeDescriptor(pasidCacheInv('pasid', 5, 0x10)), 'PC_INV PASID-selective DID=5 PASID=0x10');
  assert.equal(describeDescriptor(wholeRangeDevTlb({ sid: 0x100 })), 'DEV_TLB_INV SID=0x0100 all');
  assert.equal(describeDescriptor(wholeRangePasidDevTlb({ sid: 0x100, pasid: 0x10 })), 'P_DEV_TLB_INV SID=0x0100 PASID=0x10 all');
});

test('type codes are the QI_*_TYPE values (docs/kernel.md#descriptors)', () => {
  assert.deepEqual(DESCRIPTOR_TYPE_CODE, { cc_inv: 1, iotlb_inv: 2, dev_tlb_inv: 3, inv_wait: 5, p_iotlb_inv: 6, pc_inv: 7, p_dev_tlb_inv: 8 });
  fc.assert(fc.property(descriptor, (d) => {
    assert.equal(encodeDescriptor(d)[0]! & 0xfn, BigInt(DESCRIPTOR_TYPE_CODE[d.type]));
  }));
});

test('decode(encode(d)) == d for every descriptor', () => {
  fc.assert(fc.property(descriptor, (d) => {
    const words = encodeDescriptor(d);
    assert.equal(words.length, 4);
    assert.equal(words[2], 0n);
    assert.equal(words[3], 0n);
    assert.deepStrictEqual(decodeDescriptor(words), d);
    assert.deepStrictEqual(decodeDescriptor(words.slice(0, 2)), d);
  }), { numRuns: 1000 });
});

test('decode drops no bit: whatever it accepts re-encodes to the same words', () => {
  fc.assert(fc.property(descriptorWords, (words) => {
    let d: Descriptor;
    try {
      d = decodeDescriptor(words);
    } catch (e) {
      assert.ok(e instanceof SpecError, String(e));
      assert.ok(!e.message.includes('\n'));
      return;
    }
    assert.deepStrictEqual(encodeDescriptor(d), words.length === 2 ? [...words, 0n, 0n] : words);
  }), { numRuns: 3000 });
});

test('decoding garbage of any shape throws only SpecError', () => {
  fc.assert(fc.property(fc.oneof(fc.anything(), fc.array(fc.bigInt(), { maxLength: 5 })), (x) => {
    try {
      decodeDescriptor(x as bigint[]);
    } catch (e) {
      assert.ok(e instanceof SpecError, String(e));
    }
  }), { numRuns: 1000 });
});

// Reserved bits per VT-d 5.10 §6.5.2.x, written from the spec's descriptor figures.
const RESERVED: [string, bigint, number, number[]][] = [
  ['cc_inv', 0x11n, 0, [6, 7, 8, 12, 13, 14, 15, 50, 63]],
  ['cc_inv', 0x11n, 1, [0, 12, 63]],
  ['iotlb_inv', 0x12n, 0, [8, 12, 15, 32, 63]],
  ['iotlb_inv', 0x12n, 1, [7, 8, 11]],
  ['dev_tlb_inv', 0x3n, 0, [4, 8, 21, 31, 48, 51]],
  ['dev_tlb_inv', 0x3n, 1, [1, 5, 11]],
  ['inv_wait', 0x5n, 0, [8, 12, 31]],
  ['inv_wait', 0x5n, 1, [0, 1]],
  ['p_iotlb_inv', 0x26n, 0, [6, 7, 8, 12, 15, 52, 63]],
  ['p_iotlb_inv', 0x26n, 1, [7, 11]],
  ['pc_inv', 0x17n, 0, [6, 8, 12, 15, 52, 63]],
  ['pc_inv', 0x17n, 1, [0, 63]],
  ['p_dev_tlb_inv', 0x8n, 1, [1, 10]],
];

for (const [type, qw0, qw, bits] of RESERVED) {
  test(`${type}: reserved bits of qw${qw} are rejected (${bits.join(', ')})`, () => {
    for (const bit of bits) {
      const words = [qw0, 0n, 0n, 0n];
      words[qw] = words[qw]! | (1n << BigInt(bit));
      assert.throws(() => decodeDescriptor(words), (e: unknown) => e instanceof SpecError && /reserved bit/.test(e.message), `bit ${bit}`);
    }
  });
}

test('qw2/qw3 are reserved in the 256-bit form', () => {
  assert.throws(() => decodeDescriptor([0x17n, 0n, 1n, 0n]), { message: 'PC_INV: qw2 is reserved but is 0x1' });
  assert.throws(() => decodeDescriptor([0x17n, 0n, 0n, 1n << 63n]), { message: 'PC_INV: qw3 is reserved but is 0x8000000000000000' });
});

test('unknown, unmodelled and reserved-granularity descriptors are one clear SpecError', () => {
  const cases: [bigint[], string][] = [
    [[0x0n, 0n], 'unknown descriptor type 0 (qw0 bits 3:0 and 11:9)'],
    [[0xbn, 0n], 'unknown descriptor type 11 (qw0 bits 3:0 and 11:9)'],
    [[0x206n, 0n], 'unknown descriptor type 22 (qw0 bits 3:0 and 11:9)'],
    [[0x4n, 0n], 'descriptor type 4 is IEC (interrupt entry cache), which flushlab does not model'],
    [[0x9n, 0n, 0n, 0n], 'descriptor type 9 is page-group response, which flushlab does not model'],
    [[0x6n, 0n], 'P_IOTLB granularity 0 is reserved (VT-d 6.5.2.4: 2 PASID-selective, 3 page-selective)'],
    [[0x16n, 0n], 'P_IOTLB granularity 1 is reserved (VT-d 6.5.2.4: 2 PASID-selective, 3 page-selective)'],
    [[0x27n, 0n], 'PC_INV granularity 2 is reserved (VT-d 6.5.2.2: 0 domain-selective, 1 PASID-selective, 3 global)'],
    [[0x2n, 0n], 'IOTLB granularity 0 is reserved (VT-d 6.5.2.3: 1 global, 2 domain-selective, 3 page-selective)'],
    [[0x1n, 0n], 'CC_INV granularity 0 is reserved (VT-d 6.5.2.1: 1 global, 2 domain-selective, 3 device-selective)'],
    [[0x17n], 'descriptor: expected 2 or 4 64-bit words, got 1'],
    [[0x17n, 0n, 0n], 'descriptor: expected 2 or 4 64-bit words, got 3'],
  ];
  for (const [words, message] of cases) assert.throws(() => decodeDescriptor(words), (e: unknown) => e instanceof SpecError && e.message === message, message);
});

test('encode rejects values out of range with a SpecError naming the field', () => {
  const cases: [Descriptor, string][] = [
    [pasidCacheInv('pasid', 0x10000, 1), 'PC_INV did 65536 is out of range (16 bits: 0..65535)'],
    [pasidSelectiveIotlb(1, 0x100000), 'P_IOTLB pasid 1048576 is out of range (20 bits: 0..1048575)'],
    [{ ...pasidSelectiveIotlb(1, 1), granularity: 'domain' as never }, "P_IOTLB granularity 'domain' is not one of pasid, page"],
    [{ ...pasidSelectiveIotlb(1, 1), addr: 0x1001n }, 'P_IOTLB addr 0x1001 is not 4 KiB aligned'],
    [{ ...pasidSelectiveIotlb(1, 1), am: 64 }, 'P_IOTLB am 64 is out of range (6 bits: 0..63)'],
    [invWait({ statusAddr: 0x1002n }), 'INV_WAIT statusAddr 0x1002 is not 4-byte aligned'],
    [invWait({ statusData: 2 ** 32 }), 'INV_WAIT statusData 4294967296 is out of range (32 bits: 0..4294967295)'],
    [{ ...wholeRangeDevTlb({ sid: 1 }), mip: 32 }, 'DEV_TLB_INV mip 32 is out of range (5 bits: 0..31)'],
    [{ ...wholeRangeDevTlb({ sid: 1 }), size: 1 as never }, 'DEV_TLB_INV size must be true or false'],
    [{ type: 'iec_inv' } as never, "unknown descriptor type 'iec_inv'"],
  ];
  for (const [d, message] of cases) assert.throws(() => encodeDescriptor(d), (e: unknown) => e instanceof SpecError && e.message === message, message);
});

test('Device-TLB ranges: devTlbAddress encodes as qi_desc_dev_iotlb_pasid does, devTlbRange inverts it', () => {
  fc.assert(fc.property(fc.integer({ min: 0, max: 52 }), fc.bigInt({ min: 0n, max: (1n << 52n) - 1n }), (order, page) => {
    const bytes = 4096n << BigInt(order);
    const start = (page << 12n) & ~(bytes - 1n) & ((1n << 64n) - 1n);
    const { addr, size } = devTlbAddress(start, bytes);
    const qw1 = kernelDevTlbPasidQw1(start, BigInt(order));
    assert.equal(addr, qw1 & VTD_PAGE_MASK);
    assert.equal(size, (qw1 & QI_DEV_EIOTLB_SIZE) !== 0n);
    assert.deepEqual(devTlbRange(addr, size), { start, bytes });
  }), { numRuns: 500 });
  assert.deepEqual(devTlbAddress(0n, 1n << 64n), { addr: DEV_TLB_WHOLE_RANGE_ADDR, size: true });
  assert.equal(devTlbRange(VTD_PAGE_MASK, true), null);
  assert.ok(isWholeRange(wholeRangePasidDevTlb({ sid: 1, pasid: 2 })));
  assert.ok(!isWholeRange({ ...wholeRangeDevTlb({ sid: 1 }), addr: 0x1000n }));
  assert.throws(() => devTlbAddress(0x1000n, 0x2000n), SpecError);
  assert.throws(() => devTlbAddress(0n, 0x3000n), SpecError);
});

test('validateDescriptor names what a well-formed descriptor still gets wrong', () => {
  assert.deepEqual(validateDescriptor(pasidSelectiveIotlb(5, 0x10)), []);
  assert.deepEqual(validateDescriptor({ type: 'p_iotlb_inv', granularity: 'page', did: 5, pasid: 1, addr: 0x3000n, am: 1, ih: false }),
    ['P_IOTLB ADDR 0x3000 is not aligned to AM=1 (8KiB)']);
  assert.deepEqual(validateDescriptor({ ...wholeRangeDevTlb({ sid: 1 }), addr: VTD_PAGE_MASK }),
    ['DEV_TLB_INV S=1 but no address bit is 0: invalidation size undefined']);
  assert.deepEqual(validateDescriptor(pasidCacheInv('pasid', -1, 0)), ['PC_INV did -1 is out of range (16 bits: 0..65535)']);
});
