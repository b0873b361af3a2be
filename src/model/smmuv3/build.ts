/**
 * Assembles one SMMUv3 scenario into a transition system for the same search, with the
 * same properties and the same shared link and device part as VT-d (../build.ts).
 */
import { CD_BASE, CONFIG_WORDS, cdValid, formatSmmuConfig, parseSmmuConfig, steUsesCd, steValid } from '../../formats/smmuv3Config';
import type { AssumptionValue } from '../assumptions';
import { DEFAULT_DMAS, DEFAULT_REQUESTS, MAX_COUNT, SCENARIO_PASID, SCENARIO_SID, ScenarioError, type ScenarioInput } from '../build';
import type { Move, StepLabel } from '../context';
import { deviceMoves } from '../parts/device';
import { PROPERTY_NAMES, type PropertyName } from '../properties';
import type { TransitionSystem } from '../../engine/types';
import { readSmmuAssumptions, resolveSmmuAssumptions } from './assumptions';
import { ConfigImages, tagText } from './images';
import { compileSmmuProgram, describeCommand, type SmmuCommand } from './program';
import { getSmmuStrategy, validateSmmuStrategy, type SmmuStrategy } from './strategies';
import { cloneSmmuState, smmuStateKey, type SmmuContext, type SmmuState } from './state';
import { STUB_FOOTPRINTS } from './footprint';
import { smmuDriverMoves } from './driver';
import { smmuQueueMoves } from './commandQueue';
import { smmuWalkMoves } from './walker';
import { isCfgi, isTlbi } from './tlb';
import { smmuHitless, smmuStaleAfterReturn, smmuTerminationReason, smmuTornFill, type SmmuPropertyCheck } from './properties';

export interface SmmuModel {
  arch: 'smmuv3';
  name: string;
  input: ScenarioInput;
  strategy: SmmuStrategy;
  ctx: SmmuContext;
  assume: string;
  assumptions: Record<string, AssumptionValue>;
  requests: number;
  dmas: number;
  cold: boolean;
  properties: SmmuPropertyCheck[];
  checkTermination: boolean;
  system: TransitionSystem<SmmuState, () => StepLabel>;
  /** What each part holds, in words (for the trace's changes). */
  describe(s: SmmuState): Record<string, string>;
}

export interface SmmuModelOptions {
  properties?: readonly PropertyName[];
  assumptions?: Readonly<Record<string, AssumptionValue>>;
  /** DMA uses no property can object to are not recorded (as VT-d's ModelOptions.deadValues). Default true. */
  deadValues?: boolean;
}

function config(text: string, which: string): bigint[] {
  try {
    return parseSmmuConfig(text);
  } catch (e) {
    throw new ScenarioError(`${which} configuration: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function bound(value: number | undefined, fallback: number, what: string): number {
  const n = value ?? fallback;
  if (!Number.isInteger(n) || n < 0 || n > MAX_COUNT) throw new ScenarioError(`${what} must be an integer from 0 to ${MAX_COUNT}, not ${String(value)}`);
  return n;
}

/** `S1:1-to-S1:2` (stage and ASID, or VMID for S2), a prime when only the tables differ. */
export function smmuTransitionName(images: ConfigImages): string {
  const short = (id: number): string => {
    const o = images.outcome(id);
    if (!o.present || o.bypass) return formatSmmuConfig(images.words(id)).split(':')[0];
    return o.stage === 's2' ? `S2:${o.vmid}` : `${o.stage === 's1' ? 'S1' : 'N'}:${o.asid}`;
  };
  const a = short(images.oldId);
  const b = short(images.newId);
  return `${a}-to-${b}${a === b && images.oldId !== images.newId ? "'" : ''}`;
}

export function buildSmmuModel(input: ScenarioInput, options: SmmuModelOptions = {}): SmmuModel {
  const oldConfig = config(input.from, 'from');
  const newConfig = config(input.to, 'to');
  // A CD the new STE does not use is left as it was (the writer never touches it).
  if (!steUsesCd(newConfig)) for (let i = CD_BASE; i < CONFIG_WORDS; i++) newConfig[i] = oldConfig[i];
  if (input.leftover !== undefined) throw new ScenarioError('leftover: is a VT-d scenario key (DID reuse); not for arch smmuv3');
  const strategy = typeof input.strategy === 'string' ? getSmmuStrategy(input.strategy) : validateSmmuStrategy(input.strategy);
  const assumptions = options.assumptions ? { ...options.assumptions } : resolveSmmuAssumptions(input.assume ?? 'spec');
  const hw = readSmmuAssumptions(assumptions);
  const requests = bound(input.requests, DEFAULT_REQUESTS, 'requests');
  const dmas = bound(input.dmas, DEFAULT_DMAS, 'dmas');
  const cold = input.cold ?? false;
  const pasid = input.pasid ?? SCENARIO_PASID;
  if (!Number.isInteger(pasid) || pasid < 0 || pasid > 0xfffff) throw new ScenarioError(`pasid must be an integer from 0 to 0xfffff, not ${String(input.pasid)}`);
  const images = new ConfigImages(oldConfig, newConfig);
  const program = compileSmmuProgram(strategy, { images, sid: SCENARIO_SID, pasid });
  const commands: SmmuCommand[] = program.ops.flatMap((op) => (op.op === 'submit' ? op.commands : []));
  const chunks = [...new Set(program.ops.flatMap((op) => (op.op === 'store' ? [op.word] : [])))].sort((a, b) => a - b);
  const fences: SmmuCommand[] = [];
  const keys: string[] = [];
  const fenceBit = commands.map((c) => {
    if (!isCfgi(c) && !isTlbi(c)) return -1;
    const k = JSON.stringify(c);
    let b = keys.indexOf(k);
    if (b < 0) {
      b = keys.length;
      keys.push(k);
      fences.push(c);
    }
    return b;
  });
  if (fences.length > 16) throw new ScenarioError(`the strategy names ${fences.length} distinct invalidation scopes; the model tracks at most 16`);
  const ctx: SmmuContext = {
    images, hw, program, commands, sid: SCENARIO_SID, pasid, requests, dmas, chunks, fences, fenceBit,
    footprints: STUB_FOOTPRINTS, cloneState: cloneSmmuState, deadValues: options.deadValues ?? true,
  };

  // Warm: the old configuration cached, its translation in the TLB and the ATC.
  const old = images.outcome(images.oldId);
  const warm = !cold && old.present;
  const initial: SmmuState = {
    pc: 0, returned: false, memory: images.oldId,
    steCache: warm && steValid(oldConfig) ? images.oldId : -1,
    cdCache: warm && steUsesCd(oldConfig) && cdValid(oldConfig) ? images.oldId : -1,
    tlb: warm && old.tag >= 0 ? [images.oldId] : [],
    queue: [], walks: [], down: [], up: [], atc: warm ? images.oldId : -1, answering: [], outstanding: [],
    requestsIssued: 0, dmasIssued: 0, dmaUses: [],
  };

  const bothPresent = old.present && images.outcome(images.newId).present;
  const all = [smmuStaleAfterReturn(ctx), ...(bothPresent && !program.vCleared ? [smmuHitless(ctx)] : []), smmuTornFill(ctx)];
  const only = options.properties;
  if (only) for (const p of only) if (!(PROPERTY_NAMES as readonly string[]).includes(p)) throw new ScenarioError(`unknown property '${p}' (${PROPERTY_NAMES.join(', ')})`);
  const properties = only ? all.filter((p) => only.includes(p.name)) : all;
  const checkTermination = !only || only.includes('termination');

  const system: TransitionSystem<SmmuState, () => StepLabel> = {
    initial: () => initial,
    successors(s) {
      // Driver first, then the SMMU's queue and walks, then the link and device (deterministic).
      const moves: Move<SmmuState>[] = [];
      smmuDriverMoves(s, ctx, moves);
      smmuQueueMoves(s, ctx, moves);
      smmuWalkMoves(s, ctx, moves);
      deviceMoves(s, ctx, moves);
      return moves;
    },
    key: smmuStateKey,
    invariants: properties.map((p) => ({ name: p.name, check: (s: SmmuState) => p.check(s) })),
    deadlock(s) {
      if (!checkTermination) return null;
      const reason = smmuTerminationReason(s, ctx);
      return reason ? { property: 'termination', reason } : null;
    },
  };
  const describe = (s: SmmuState): Record<string, string> => {
    const list = (xs: string[]): string => (xs.length ? xs.join(', ') : 'empty');
    return {
      memory: `configuration ${images.name(s.memory)}`,
      'config cache': list([s.steCache >= 0 ? `STE of ${images.name(s.steCache)}` : '', s.cdCache >= 0 ? `CD of ${images.name(s.cdCache)}` : ''].filter(Boolean)),
      TLB: list(s.tlb.map((e) => `${tagText(images.outcome(e))} ${images.name(e)}`)),
      queue: list(s.queue.map((q, i) => `${i}:${describeCommand(commands[i])}=${q}`)),
      link: list([
        ...s.down.map((m) => (m.kind === 'completion' ? `TC #${m.request} ${images.name(m.image)} down` : 'Inv Req down')),
        ...s.up.map(() => 'Inv Cpl up'),
      ]),
      ATC: s.atc >= 0 ? images.name(s.atc) : 'empty',
    };
  };
  const where = pasid === SCENARIO_PASID ? '' : `/ssid${pasid.toString(16)}`;
  const name = input.name ?? `${smmuTransitionName(images)}${where}+${strategy.name}+${(input.assume ?? 'spec').replace(/\s+/g, '')}`;
  return {
    arch: 'smmuv3', name, input, strategy, ctx, assume: input.assume ?? 'spec', assumptions, requests, dmas, cold,
    properties, checkTermination, system, describe,
  };
}
