/**
 * One SMMUv3 stream's configuration as the model sees it: the Stream Table Entry and the
 * Context Descriptor of the scenario's SubstreamID, 16 64-bit words (STE qwords 0-7, then
 * CD qwords 0-7), built with the driver's own make helpers (smmuv3.ts) and written in a
 * compact syntax like VT-d's PASID entries:
 *
 *   s1:asid=1,ttb=0x1000[,vmid=0]           S1 through a CD table (arm_smmu_make_cdtable_ste + arm_smmu_make_s1_cd)
 *   s2:vmid=1,s2ttb=0x1000                  S2 only (arm_smmu_make_s2_domain_ste)
 *   nested:vmid=1,s2ttb=0x1000,asid=1,ttb=0x3000
 *   bypass | abort | off                    arm_smmu_make_bypass_ste, arm_smmu_make_abort_ste, V=0
 *
 * `ats=0` turns EATS off (default on: the scenarios are about the ATC). Field names and
 * positions: IHI 0070 G.b §5.2 (STE) and §5.4 (CD), as the kernel's STRTAB_ and CTXDESC_
 * macros give them (arm-smmu-v3.h).
 */
import { CTXDESC, STRTAB, emptyEntry, fieldGet, fieldPrep, makeAbortSte, makeBypassSte, makeCdtableSte, makeS1Cd, makeS2DomainSte, type SmmuFeatures } from './smmuv3';
import { SpecError } from './errors';

/** Words of a configuration: the STE's 8, then the CD's 8. */
export const CONFIG_WORDS = 16;
export const CD_BASE = 8;

/** Where the scenario's CD table lives (S1ContextPtr); fixed: the transitions never move it. */
export const SCENARIO_CDTAB = 0x80000n;
/** The model's SMMU: coherent, no stall, attribute override, no E2H (arm_smmu_device features). */
const SMMU: SmmuFeatures = { stalls: false, stallForce: false, attrTypesOvr: true, e2h: false };
const TCR = { ips: 5n, tg: 0n, sh: 3n, orgn: 1n, irgn: 1n, tsz: 16n };
const VTCR = { ps: 5n, tg: 0n, sh: 3n, orgn: 1n, irgn: 1n, sl: 2n, tsz: 16n };
const MAIR = 0xf404ff00n;

export type ConfigKind = 'off' | 'abort' | 'bypass' | 's1' | 's2' | 'nested';
export const CONFIG_KINDS: readonly ConfigKind[] = ['off', 'abort', 'bypass', 's1', 's2', 'nested'];

const FIELDS: Readonly<Record<ConfigKind, readonly string[]>> = {
  off: [], abort: [], bypass: [],
  s1: ['asid', 'ttb', 'vmid', 'ats'],
  s2: ['vmid', 's2ttb', 'ats'],
  nested: ['vmid', 's2ttb', 'asid', 'ttb', 'ats'],
};
const REQUIRED: Readonly<Record<ConfigKind, readonly string[]>> = {
  off: [], abort: [], bypass: [], s1: ['asid', 'ttb'], s2: ['vmid', 's2ttb'], nested: ['vmid', 's2ttb', 'asid', 'ttb'],
};

function number(name: string, text: string, max: bigint): bigint {
  if (!/^(0x[0-9a-f]{1,16}|[0-9]{1,20})$/i.test(text)) throw new SpecError(`${name}=${text.slice(0, 30)}: not a number`);
  const v = BigInt(text);
  if (v > max) throw new SpecError(`${name}=${text}: at most 0x${max.toString(16)}`);
  return v;
}

/** A table pointer: TTB0 (CD qword 1) and S2TTB (STE qword 3) hold bits 51:4. */
function pointer(name: string, text: string): bigint {
  const v = number(name, text, (1n << 52n) - 1n);
  if (v & 0xfn) throw new SpecError(`${name}=${text}: must be 16-byte aligned (bits 51:4)`);
  if (v === 0n) throw new SpecError(`${name}=0: a table at 0 is no table`);
  return v;
}

/** Parses the compact syntax into the 16 words (STE then CD). */
export function parseSmmuConfig(text: string): bigint[] {
  const t = text.trim();
  const colon = t.indexOf(':');
  const kind = (colon < 0 ? t : t.slice(0, colon)) as ConfigKind;
  if (!CONFIG_KINDS.includes(kind)) throw new SpecError(`unknown configuration '${t.slice(0, 40)}' (one of ${CONFIG_KINDS.join(', ')}; e.g. s1:asid=1,ttb=0x1000)`);
  const values = new Map<string, string>();
  if (colon >= 0) {
    for (const part of t.slice(colon + 1).split(',')) {
      const eq = part.indexOf('=');
      if (eq < 0) throw new SpecError(`'${part.slice(0, 30)}': expected name=value`);
      const name = part.slice(0, eq).trim();
      if (!FIELDS[kind].includes(name)) throw new SpecError(`${kind} takes ${FIELDS[kind].length ? FIELDS[kind].join(', ') : 'no fields'}, not '${name.slice(0, 30)}'`);
      if (values.has(name)) throw new SpecError(`${name} given twice`);
      values.set(name, part.slice(eq + 1).trim());
    }
  }
  for (const r of REQUIRED[kind]) if (!values.has(r)) throw new SpecError(`${kind} needs ${r}=`);
  const ats = values.has('ats') ? number('ats', values.get('ats')!, 1n) === 1n : true;
  const cd = emptyEntry();
  let ste: bigint[];
  switch (kind) {
    case 'off': ste = emptyEntry(); break;
    case 'abort': ste = makeAbortSte(); break;
    case 'bypass': ste = makeBypassSte(SMMU); break;
    case 's1':
    case 'nested': {
      const asid = number('asid', values.get('asid')!, 0xffffn);
      const ttb = pointer('ttb', values.get('ttb')!);
      ste = makeCdtableSte({ cdtabDma: SCENARIO_CDTAB, s1fmt: STRTAB.STE_0_S1FMT_LINEAR, s1cdmax: 20n, s1dss: STRTAB.STE_1_S1DSS_SSID0, ats, stall: false, smmu: SMMU });
      const vmid = values.has('vmid') ? number('vmid', values.get('vmid')!, 0xffffn) : 0n;
      if (kind === 'nested') {
        // As the KUnit test's nested STE: CFG=nested, qwords 2-7 from the S2 STE.
        const s2 = makeS2DomainSte({ vttbr: pointer('s2ttb', values.get('s2ttb')!), vtcr: VTCR, vmid, ats, stall: false, smmu: SMMU });
        ste[0] = (ste[0] & ~STRTAB.STE_0_CFG) | fieldPrep(STRTAB.STE_0_CFG, STRTAB.STE_0_CFG_NESTED);
        for (let i = 2; i < 8; i++) ste[i] = s2[i];
      } else {
        ste[2] = (ste[2] & ~STRTAB.STE_2_S2VMID) | fieldPrep(STRTAB.STE_2_S2VMID, vmid);
      }
      const c = makeS1Cd({ asid, ttbr: ttb, tcr: TCR, mair: MAIR, stall: false });
      for (let i = 0; i < 8; i++) cd[i] = c[i];
      break;
    }
    case 's2':
      ste = makeS2DomainSte({ vttbr: pointer('s2ttb', values.get('s2ttb')!), vtcr: VTCR, vmid: number('vmid', values.get('vmid')!, 0xffffn), ats, stall: false, smmu: SMMU });
      break;
  }
  return [...ste, ...cd];
}

export function steOf(w: readonly bigint[]): bigint[] {
  return w.slice(0, CD_BASE) as bigint[];
}

export function cdOf(w: readonly bigint[]): bigint[] {
  return w.slice(CD_BASE, CONFIG_WORDS) as bigint[];
}

export function steValid(w: readonly bigint[]): boolean {
  return (w[0] & STRTAB.STE_0_V) !== 0n;
}

/** STE.Config (§5.2): 0b000 abort, 0b100 bypass, 0b101 S1, 0b110 S2, 0b111 nested. */
export function steCfg(w: readonly bigint[]): bigint {
  return fieldGet(STRTAB.STE_0_CFG, w[0]);
}

/** Does the STE's configuration translate through a CD (stage 1)? CFG bit 0 with bit 2 set. */
export function steUsesCd(w: readonly bigint[]): boolean {
  const cfg = steCfg(w);
  return steValid(w) && (cfg & 4n) !== 0n && (cfg & 1n) !== 0n;
}

export function steUsesS2(w: readonly bigint[]): boolean {
  const cfg = steCfg(w);
  return steValid(w) && (cfg & 4n) !== 0n && (cfg & 2n) !== 0n;
}

export function steVmid(w: readonly bigint[]): number {
  return Number(fieldGet(STRTAB.STE_2_S2VMID, w[2]));
}

export function steS2ttb(w: readonly bigint[]): bigint {
  return w[3] & STRTAB.STE_3_S2TTB_MASK;
}

export function cdValid(w: readonly bigint[]): boolean {
  return (w[CD_BASE] & CTXDESC.CD_0_V) !== 0n;
}

export function cdAsid(w: readonly bigint[]): number {
  return Number(fieldGet(CTXDESC.CD_0_ASID, w[CD_BASE]));
}

export function cdTtb0(w: readonly bigint[]): bigint {
  return w[CD_BASE + 1] & CTXDESC.CD_1_TTB0_MASK;
}

/** The stage a configuration translates with, or what it does instead. */
export function configKind(w: readonly bigint[]): ConfigKind {
  if (!steValid(w)) return 'off';
  switch (steCfg(w)) {
    case STRTAB.STE_0_CFG_BYPASS: return 'bypass';
    case STRTAB.STE_0_CFG_S1_TRANS: return 's1';
    case STRTAB.STE_0_CFG_S2_TRANS: return 's2';
    case STRTAB.STE_0_CFG_NESTED: return 'nested';
    default: return 'abort';
  }
}

/** The compact syntax of a configuration built by parseSmmuConfig (for names and traces). */
export function formatSmmuConfig(w: readonly bigint[]): string {
  const kind = configKind(w);
  const ats = fieldGet(STRTAB.STE_1_EATS, w[1]) === STRTAB.STE_1_EATS_TRANS ? '' : ',ats=0';
  const hex = (v: bigint) => `0x${v.toString(16)}`;
  switch (kind) {
    case 'off': case 'abort': case 'bypass': return kind;
    case 's1': return `s1:asid=${cdAsid(w)},ttb=${hex(cdTtb0(w))}${steVmid(w) ? `,vmid=${steVmid(w)}` : ''}${ats}`;
    case 's2': return `s2:vmid=${steVmid(w)},s2ttb=${hex(steS2ttb(w))}${ats}`;
    case 'nested': return `nested:vmid=${steVmid(w)},s2ttb=${hex(steS2ttb(w))},asid=${cdAsid(w)},ttb=${hex(cdTtb0(w))}${ats}`;
  }
}
