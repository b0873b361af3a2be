/**
 * fast-check generators of valid entries for the writer tests: every entry is built by the
 * same make helpers the drivers use, so it never sets a bit its own used function does not
 * list (the kernel's WARN_ON_ONCE contract). Values come from small pools so that pairs
 * often share a DID, a pointer or a whole configuration and every writer path is exercised.
 */
import fc from 'fast-check';
import { makePasidEntry, parseEntry } from '../../src/formats/pasidEntry';
import { STRTAB, makeAbortSte, makeBypassSte, makeCdtableSte, makeS1Cd, makeS2DomainSte, makeSvaCd, fieldPrep } from '../../src/formats/smmuv3';
import { kunitCdtableSte } from '../../src/writer/kunit';
import type { SmmuFeatures } from '../../src/formats/smmuv3';

const pageAligned = fc.oneof(
  fc.constantFrom(0x1000n, 0x2000n, 0x3000n),
  fc.bigInt({ min: 1n, max: (1n << 52n) - 1n }).map((x) => x << 12n),
);
const did = fc.oneof(fc.constantFrom(1, 5, 6), fc.integer({ min: 0, max: 0xffff }));
const aw = fc.integer({ min: 1, max: 3 });
const fspm = fc.integer({ min: 0, max: 1 });

/** A valid VT-d PASID entry of any kind, fields limited to those its PGTT uses. */
export const vtdEntry: fc.Arbitrary<bigint[]> = fc.oneof(
  fc.constant(parseEntry('off')),
  fc.record({ did, fsptptr: pageAligned, aw, fspm, pwsnp: fc.boolean(), pgsnp: fc.boolean() })
    .map((f) => makePasidEntry('fl', f)),
  fc.record({ did, ssptptr: pageAligned, aw, fpd: fc.boolean(), ssade: fc.boolean(), pwsnp: fc.boolean() })
    .map((f) => makePasidEntry('sl', f)),
  fc.record({
    did, ssptptr: pageAligned, fsptptr: pageAligned, aw, fspm, fpd: fc.boolean(), ssade: fc.boolean(),
    pwsnp: fc.boolean(), pgsnp: fc.boolean(), wpe: fc.boolean(), eafe: fc.boolean(), sre: fc.boolean(),
  }).map((f) => makePasidEntry('nested', f)),
  fc.record({ did, aw, fpd: fc.boolean(), pwsnp: fc.boolean() }).map((f) => makePasidEntry('pt', f)),
);

const smmuFeatures: fc.Arbitrary<SmmuFeatures> = fc.record({
  stalls: fc.boolean(), stallForce: fc.boolean(), attrTypesOvr: fc.boolean(), e2h: fc.boolean(),
});
const dma = fc.oneof(fc.constantFrom(0xF0F0F0F0F0F0n, 0x4B4B4B4B4Bn), fc.bigInt({ min: 0n, max: (1n << 52n) - 1n }));
const small = (bits: number) => fc.bigInt({ min: 0n, max: (1n << BigInt(bits)) - 1n });
const u64 = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });

function steOf(smmu: SmmuFeatures): fc.Arbitrary<bigint[]> {
  const cdtableParams = fc.record({
    cdtabDma: dma, s1fmt: fc.constantFrom(0n, 2n), s1cdmax: small(5), s1dss: fc.constantFrom(0n, 1n, 2n),
    ats: fc.boolean(), stall: fc.boolean(),
  });
  const s2Params = fc.record({
    vttbr: fc.oneof(fc.constant(0xdaedbeefdeadbeefn), u64),
    vtcr: fc.record({ tsz: small(6), sl: small(2), irgn: small(2), orgn: small(2), sh: small(2), tg: small(2), ps: small(3) }),
    vmid: fc.oneof(fc.constantFrom(0n, 1n), small(16)), ats: fc.boolean(), stall: fc.boolean(), s2fwb: fc.boolean(),
  });
  return fc.oneof(
    fc.constant(makeAbortSte()),
    fc.constant(makeBypassSte(smmu)),
    cdtableParams.map((p) => makeCdtableSte({ ...p, smmu })),
    s2Params.map((p) => makeS2DomainSte({ ...p, smmu })),
    // The KUnit stand-in for a nested STE: CD table with CFG=nested, MEV, S2 qwords 2..7.
    fc.tuple(cdtableParams, s2Params).map(([c, s]) => {
      const e = makeCdtableSte({ ...c, smmu });
      const s2 = makeS2DomainSte({ ...s, ats: c.ats, stall: c.stall, smmu });
      e[0] |= fieldPrep(STRTAB.STE_0_CFG, STRTAB.STE_0_CFG_NESTED);
      e[1] |= STRTAB.STE_1_MEV;
      for (let i = 2; i < 8; i++) e[i] = s2[i]!;
      return e;
    }),
    fc.constant(kunitCdtableSte(STRTAB.STE_1_S1DSS_BYPASS, 0xF0F0F0F0F0F0n, { ats: true, nested: true })),
  );
}

/** Two valid STEs of the same SMMU. */
export const stePair: fc.Arbitrary<[bigint[], bigint[]]> = smmuFeatures.chain((smmu) => fc.tuple(steOf(smmu), steOf(smmu)));

function cdOf(smmu: SmmuFeatures): fc.Arbitrary<bigint[]> {
  const asid = fc.oneof(fc.constantFrom(778n, 1997n), small(16));
  const mair = fc.oneof(fc.constant(0xabcdef012345678n), u64);
  return fc.oneof(
    fc.constant(new Array<bigint>(8).fill(0n)),
    fc.record({
      asid, ttbr: fc.oneof(fc.constant(0xdaedbeefdeadbeefn), u64), mair, stall: fc.boolean(), hd: fc.boolean(),
      tcr: fc.record({ tsz: small(6), tg: small(2), irgn: small(2), orgn: small(2), sh: small(2), ips: small(3) }),
    }).map((p) => makeS1Cd(p)),
    fc.record({
      asid, mair, stall: fc.boolean(), pgdPhys: fc.option(fc.oneof(fc.constant(0xdaedbeefdeadbeefn), u64)),
      vaBits: fc.constantFrom(39, 48, 52), pageShift: fc.constantFrom(12 as const, 14 as const, 16 as const), parange: small(3),
    }).map((p) => makeSvaCd({ ...p, smmu })),
  );
}

/** Two valid CDs of the same SMMU. */
export const cdPair: fc.Arbitrary<[bigint[], bigint[]]> = smmuFeatures.chain((smmu) => fc.tuple(cdOf(smmu), cdOf(smmu)));

/** Any 8 x u64, valid or not. */
export const anyEntry: fc.Arbitrary<bigint[]> = fc.array(u64, { minLength: 8, maxLength: 8 });
