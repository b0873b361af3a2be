/**
 * Footprints for the search's partial-order reduction (`ample`, see the comment at the top
 * of src/engine/search.ts for the conditions C0-C3 it checks). The model says, for every
 * step, which actor takes it, which state variables it reads and writes, and whether it is
 * visible; and, for every actor, what it could still read and write from a state on. The
 * search postpones other actors' steps only when that cannot be told apart by any property.
 *
 * Each part declares its own steps' footprints beside its steps (parts/walkerFootprints.ts,
 * deviceFootprints.ts, invalidationQueueFootprints.ts, driverFootprints.ts,
 * memoryFootprints.ts, in the vocabulary of footprintVars.ts); this file assembles them per
 * scenario, caches them, and derives the actors' future footprints.
 *
 * ## Variables
 * The state is cut into these variables (names as used below):
 *
 *   pc, returned      the driver's program counter; whether it has returned
 *   mem, line         memory's copy of the entry; the CPU's dirty line
 *   pcache, iotlb, atc  the caches
 *   q<i>              the status of descriptor i in the queue (0 = not submitted yet)
 *   issued:ats, issued:dma  how many requests / DMAs the device has issued
 *   out<k>            request k outstanding at the device, and whether tagged for discard
 *   tc<k>, ir<i>      the Translation Completion of request k / the Invalidate Request of
 *                     descriptor i on the downstream link, with its place in the order
 *   answering, up     the device's queue of Invalidate Requests to answer; the upstream
 *                     Invalidate Completions (both FIFOs)
 *   dmaUses           the record of DMA uses (only properties read it)
 *   W                 walk W (`ats1`, `dma1`, ...): everything of it — stage, fetch in
 *                     progress, image, result — and whether it exists
 *   W.pcFences, W.iotlbFences, W.mustDrain   its fence sets (scopes of the invalidations
 *                     completed since it began) and its drain flag
 *   W.alive, W.fetching, W.holds, W.started   facts about W that other actors read:
 *                     exists; is in the `fetch` stage; holds the entry (holdsEntry); has
 *                     left its first stage (an untranslated DMA then counts as processed)
 *
 * A step that changes W in a way that changes one of W's facts also writes that fact. The
 * facts let a queue step read "which walks are fetching" without depending on every move
 * of every walk: a walk's chunk read in the middle of a fetch changes W but not W.fetching,
 * so it commutes with a PASID-cache invalidation, which marks fetching walks stale.
 *
 * ## Actors
 * `driver` (the CPU's program), `desc<i>` (descriptor i: its execution; for a Device-TLB
 * invalidation also its Invalidate Request's delivery, the device's answer and the
 * Invalidate Completion's receipt), `ats<k>` (request k: its issue, its walk, the delivery
 * of its completion), `dma<k>` (DMA k: its issue and walk), `memory` (spontaneous write-back).
 *
 * ## Why the footprints are sound (the contract of engine/types.ts)
 * 1. Reads cover enabledness and effect. Each step function's code was read against its
 *    footprint beside it (parts/<part>Footprints.ts): every state field it looks at is in its reads (e.g. a lookup reads
 *    iotlb and W; a completion's delivery reads its out<k> to see the discard tag; a
 *    PASID-cache invalidation under `pc-inv-waits-for-walks` reads every W.holds, under
 *    `pc-inv-drops-iotlb` reads iotlb; an IOTLB invalidation under
 *    `drain-scope` in-flight reads every ATS walk's W.started and W.alive (with processed,
 *    every DMA walk's W); a wait reads every W.mustDrain; a descriptor reads the status
 *    of each descriptor ahead of it that the §6.5.2.12 rules make it wait for (`blocks`,
 *    the same function mayStart uses); the delivery of a message reads the messages that
 *    may be ahead of it (ir<j>, and tc<k> unless it may pass them); an Invalidate
 *    Request's delivery reads every tc<k> anyway, as its visibility depends on them).
 *    Assumption flags are constants of a scenario, so a flag only selects which reads
 *    apply. The driver's
 *    return writes `returned`, its other steps only `pc`: a DMA's use records whether the
 *    driver had returned, not where its program is.
 * 2. Writes cover every change, including "blind" ones (a fill sets the IOTLB without
 *    looking at it; an Invalidate Request empties the ATC). Two steps that write the same
 *    variable are always dependent. Two exceptions are argued, not listed:
 *    - An invalidation marks walks' flags without reading whether the walk exists: marking
 *      a walk that is then removed, or removing it first, gives the same state. Creating a
 *      walk writes its W.iotlbFences (= none), so creation and an IOTLB invalidation are
 *      dependent, as they must be (the order decides the flag).
 *    - Appending a message to the link reads the messages it lands behind (tc<k> reads
 *      every ir<j>, ir<i> every tc<k> and ir<j>), so two appends whose order matters are
 *      dependent; two completions' order does not matter (canonicalDown keeps runs of
 *      completions sorted), so their appends commute and are independent.
 * 3. Independent steps reach the same state in either order. Besides the variables being
 *    disjoint this needs the representation to be canonical where order carries no
 *    meaning: walks are kept in ATS-then-DMA id order, completion runs sorted, the IOTLB
 *    and the DMA uses sorted (state.ts).
 * 4. Visible = may change the truth of a property (model/properties.ts): stale-after-
 *    return reads returned, dmaUses, atc, tc<k> with out<k>, pcache, iotlb, and mem
 *    (only with `iotlb-lookup-uses-did`); hitless reads dmaUses, atc, returned; torn-fill reads
 *    pcache, iotlb, atc. A step is marked visible when it may change one of these in a way
 *    a property can see. The step functions decide it per step with facts the step itself
 *    reads or writes, which other actors cannot change before it moves (they would be
 *    dependent), so the same step taken later is just as (in)visible:
 *    - a cache change (pcache, iotlb, atc, including dropping an entry) is visible unless
 *      every translation it holds before and after is harmless (the new entry's own,
 *      untorn: no property objects to it; `harmless`) — except that under
 *      `iotlb-lookup-uses-did` any PASID-cache change is visible (its DID picks the IOTLB
 *      entry stale-after-return looks at);
 *    - return is visible; the driver's stores and clflush are not: memory is read only
 *      once the driver has returned, and only the driver itself can return;
 *    - a completion sent is visible unless harmless or granting no access; delivered, it
 *      is visible when it fills the ATC (as above; a completion that is not harmless
 *      makes that fill visible, which also covers taking it off the link); dropped
 *      (tagged, or no access) it is invisible;
 *    - an Invalidate Request delivered is visible when it drops an ATC entry that is not
 *      harmless, or tags the request of an in-flight completion that is not harmless;
 *    - a DMA use recorded is visible unless harmless (a fault is never harmless);
 *    - issuing a request is invisible (its outstanding entry matters only once its
 *      completion exists); issuing a DMA is visible when it evicts an ATC entry that is
 *      not harmless;
 *    - write-back changes mem: visible under `iotlb-lookup-uses-did`.
 *    Walks' own progress, flags, queue statuses, submissions, polls, link bookkeeping and
 *    the device's answers are invisible. Termination (a state with no step) needs no
 *    visibility: the reduction keeps every reachable deadlock.
 * 5. actorFootprint over-approximates everything an actor could still touch: the union of
 *    the footprints of every step it can take from its current phase on (a walk's stages
 *    only go forward; a descriptor's phases too; the driver's program only forward). Its
 *    guards are the variables that decide which of its steps are enabled while it stands
 *    still: its own variables plus what its current stage waits on (a lookup: iotlb; the
 *    entry stage: pcache; a poll: its wait's status; a descriptor: the statuses ahead of
 *    it and its drain conditions; a message: the messages ahead of it). A descriptor that
 *    cannot start (not submitted, or held back by an earlier one, §6.5.2.12) takes no step
 *    until that status changes, so that status alone is its guard (a necessary enabling
 *    set, as engine/types.ts allows for an actor with no enabled step).
 *
 * Points 1-3 and 5 are checked, not only argued: test/model/footprints.test.ts runs every
 * step of the standard scenarios' reachable states against these footprints (what each
 * step actually reads and writes, by test/model/footprintChecker.ts) and fails on anything
 * undeclared. The differential tests (test/check/differential.test.ts) check on many scenarios that
 * `none` and `ample` give the same verdicts and violated properties, and, property by
 * property, that the reduced graph reaches a violation exactly when the full one does.
 *
 * If a property is added or changed in model/properties.ts, revisit point 4: a step
 * marked invisible must not be able to change what the new property looks at.
 *
 * What it buys: the caches (PASID cache, IOTLB, ATC) are shared by every walk and written
 * by the queue, so most steps are dependent or visible; the reduction removes about a
 * third of the states of a large check (baolu, SL->SL new DID, 2 requests and a DMA:
 * 341,479 -> 220,129), mostly interleavings of walks' chunk reads and the queue's
 * bookkeeping steps with everything else.
 */
import type { ActorFootprint, Footprint } from '../engine/types';
import type { ModelSetup } from './context';
import type { State, Walk } from './state';
import {
  CHUNK_EVICT, CHUNK_FIRST, CHUNK_LAST, DESC_KINDS, DescriptorStep, VarSet, WALK_KINDS, WalkStep,
  cacheChangeVisible, harmless, noAccess, type FootprintScope, type StepVars, type WalkSlot,
} from './footprintVars';
import { firstStage, laterStages, stageGuards, stepsAt, walkerStepVars } from './parts/walkerFootprints';
import {
  answerStepVars, deliveringGuards, deliveryStep, downGuards, issueStepVars, receiveStepVars, unissuedGuards,
} from './parts/deviceFootprints';
import { blocker, completeStepVars, executeStepVars, pendingGuards } from './parts/invalidationQueueFootprints';
import { driverGuards, opVars } from './parts/driverFootprints';
import { MEMORY_ACTOR, WRITEBACK } from './parts/memoryFootprints';

// The step kinds and visibility helpers, where the parts and tests have always found them.
export { CHUNK_EVICT, CHUNK_FIRST, CHUNK_LAST, DescriptorStep, WalkStep, cacheChangeVisible, harmless, noAccess };

/**
 * Phases of a walk actor for its future footprint: before its issue, at a walk stage, and
 * (ATS only) with its completion on the link.
 */
type WalkPhase = 'unissued' | Walk['stage'] | 'delivering';
const WALK_PHASES: readonly (WalkPhase | 'end')[] = ['unissued', 'lookup', 'entry', 'fetch', 'fill', 'answer', 'commit', 'delivering', 'end'];

type DescPhase = 'unsubmitted' | 'pending' | 'down' | 'answering' | 'up' | 'done';
const DESC_PHASES: readonly DescPhase[] = ['unsubmitted', 'pending', 'down', 'answering', 'up', 'done'];

/**
 * Every step's and every actor's footprint for one scenario, assembled from the parts'
 * declarations (parts/*Footprints.ts) and cached: the search asks for them in every state.
 */
export class Footprints implements FootprintScope {
  /** ats1..atsR then dma1..dmaD: one actor and one set of W variables each. */
  readonly walkSlots: WalkSlot[];
  private readonly descCount: number;
  private readonly devtlbs: number[];
  private readonly stepCache: (Footprint | undefined)[] = [];
  /** Actor footprints by (actor, phase) number: see actorKey. */
  private readonly actorCache: (ActorFootprint | undefined)[] = [];
  private readonly descNames: string[] = [];
  /** Every actor name, for fast lookup of its kind. */
  private readonly actorIndex = new Map<string, { type: 'driver' | 'memory' | 'desc' | 'walk'; index: number }>();

  constructor(readonly ctx: ModelSetup) {
    this.walkSlots = [];
    for (let k = 1; k <= ctx.requests; k++) this.walkSlots.push({ name: `ats${k}`, kind: 'ats', id: k });
    for (let k = 1; k <= ctx.dmas; k++) this.walkSlots.push({ name: `dma${k}`, kind: 'dma', id: k });
    this.descCount = ctx.descriptors.length;
    this.devtlbs = [];
    ctx.descriptors.forEach((d, i) => { if (d.type === 'dev_tlb_inv' || d.type === 'p_dev_tlb_inv') this.devtlbs.push(i); });
    this.actorIndex.set('driver', { type: 'driver', index: 0 });
    this.actorIndex.set('memory', { type: 'memory', index: 0 });
    for (let i = 0; i < this.descCount; i++) {
      this.descNames.push(`desc${i}`);
      this.actorIndex.set(`desc${i}`, { type: 'desc', index: i });
    }
    this.walkSlots.forEach((w, i) => this.actorIndex.set(w.name, { type: 'walk', index: i }));
  }

  /** The walk slot (actor and variable prefix) of a walk. */
  slotOf(kind: Walk['kind'], id: number): number {
    return kind === 'ats' ? id - 1 : this.ctx.requests + id - 1;
  }

  // ---- Variable groups (FootprintScope) ---------------------------------------------------

  allWalks(fact: string): string[] {
    return this.walkSlots.map((w) => `${w.name}.${fact}`);
  }

  allTc(): string[] {
    return this.walkSlots.filter((w) => w.kind === 'ats').map((w) => `tc${w.id}`);
  }

  allIr(): string[] {
    return this.devtlbs.map((i) => `ir${i}`);
  }

  allOut(): string[] {
    return this.walkSlots.filter((w) => w.kind === 'ats').map((w) => `out${w.id}`);
  }

  // ---- Step footprints ------------------------------------------------------------------

  /**
   * The step cache's footprint at `index` and visibility, or undefined before it is built.
   * Callers look here first and build only on a miss: a build closure passed in would be
   * allocated for every step of every state, for a footprint built once.
   */
  private cachedStep(index: number, visible: boolean): Footprint | undefined {
    return this.stepCache[index * 2 + (visible ? 1 : 0)];
  }

  private storeStep(index: number, visible: boolean, b: StepVars): Footprint {
    const f: Footprint = { actor: b.actor, reads: b.reads, writes: b.writes, visible };
    this.stepCache[index * 2 + (visible ? 1 : 0)] = f;
    return f;
  }

  /** Index space of the step cache: walk steps, then descriptor steps, then driver ops, then write-back. */
  private walkBase(): number {
    return 0;
  }
  private descBase(): number {
    return this.walkSlots.length * WALK_KINDS;
  }
  private driverBase(): number {
    return this.descBase() + this.descCount * DESC_KINDS;
  }

  /** A step of walk (or request/DMA) `slot`. `chunk` flags (CHUNK_*) apply to WalkStep.Chunk. */
  walk(slot: number, step: WalkStep, visible: boolean, chunk = 0): Footprint {
    const index = this.walkBase() + slot * WALK_KINDS + step + chunk;
    return this.cachedStep(index, visible) ?? this.storeStep(index, visible, this.buildWalk(slot, step, chunk));
  }

  /** Issue and delivery are the device's steps (parts/deviceFootprints.ts), the rest the walker's. */
  private buildWalk(slot: number, step: WalkStep, chunk: number): StepVars {
    if (step === WalkStep.Deliver || step === WalkStep.DeliverDrop) return deliveryStep(this, slot, step);
    const W = this.walkSlots[slot].name;
    const r = new VarSet().add(W);
    const wr = new VarSet().add(W);
    if (step === WalkStep.Issue) issueStepVars(this, slot, r, wr);
    else walkerStepVars(this, slot, step, chunk, r, wr);
    return { actor: W, reads: r.list(), writes: wr.list() };
  }

  /** A step of descriptor i. */
  descriptor(i: number, step: DescriptorStep, visible: boolean): Footprint {
    const index = this.descBase() + i * DESC_KINDS + step;
    return this.cachedStep(index, visible) ?? this.storeStep(index, visible, this.buildDescriptor(i, step));
  }

  /** Execution and completion are the queue's (parts/invalidationQueueFootprints.ts); receipt and answer the device's. */
  private buildDescriptor(i: number, step: DescriptorStep): StepVars {
    const r = new VarSet();
    const wr = new VarSet();
    switch (step) {
      case DescriptorStep.Execute: executeStepVars(this, i, r, wr); break;
      case DescriptorStep.Receive: receiveStepVars(this, i, r, wr); break;
      case DescriptorStep.Answer: answerStepVars(r, wr); break;
      case DescriptorStep.Complete: completeStepVars(i, r, wr); break;
    }
    return { actor: this.descNames[i], reads: r.list(), writes: wr.list() };
  }

  /** The driver's operation at `pc` (parts/driverFootprints.ts). */
  driver(pc: number, visible: boolean): Footprint {
    const index = this.driverBase() + pc;
    return this.cachedStep(index, visible) ?? this.storeStep(index, visible, this.buildDriver(pc));
  }

  private buildDriver(pc: number): StepVars {
    const r = new VarSet();
    const wr = new VarSet();
    opVars(this.ctx, pc, r, wr);
    return { actor: 'driver', reads: r.list(), writes: wr.list() };
  }

  /** The CPU cache writing the dirty line back (parts/memoryFootprints.ts). */
  writeback(visible: boolean): Footprint {
    const index = this.driverBase() + this.ctx.program.ops.length;
    return this.cachedStep(index, visible) ?? this.storeStep(index, visible, WRITEBACK);
  }

  // ---- Actors ----------------------------------------------------------------------------

  /** Every actor that may still take a step from `s` on (see actorFootprint). */
  actors(s: State): string[] {
    const out: string[] = [];
    if (!s.returned) out.push('driver');
    for (let i = 0; i < this.descCount; i++) if (i >= s.queue.length || s.queue[i].status !== 'done') out.push(this.descNames[i]);
    for (let k = 0; k < this.walkSlots.length; k++) if (this.walkPhase(s, k) !== null) out.push(this.walkSlots[k].name);
    if (!this.ctx.hw.coherent) out.push('memory');
    return out;
  }

  private walkPhase(s: State, slot: number): WalkPhase | null {
    const w = this.walkSlots[slot];
    const issued = w.kind === 'ats' ? s.requestsIssued : s.dmasIssued;
    if (issued < w.id) return 'unissued';
    for (const x of s.walks) if (x.kind === w.kind && x.id === w.id) return x.stage;
    if (w.kind === 'ats') for (const m of s.down) if (m.kind === 'completion' && m.request === w.id) return 'delivering';
    return null;
  }

  /** What the actor could still read and write from `s` on, and what its next steps wait on. */
  actorFootprint(s: State, actor: string): ActorFootprint {
    const a = this.actorIndex.get(actor);
    if (!a) throw new Error(`unknown actor '${actor}'`);
    switch (a.type) {
      case 'driver': return this.driverFootprint(s);
      case 'memory': return this.actorCache[0] ?? this.storeActor(0, MEMORY_ACTOR);
      case 'desc': return this.descFootprint(s, a.index);
      case 'walk': return this.walkFootprint(s, a.index);
    }
  }

  /**
   * Memoised by a number (this runs for every actor in every state the reduction looks at):
   * 0 memory, then the driver by pc (ops.length = returned), then descriptors by (phase,
   * blocker), then walks by phase. Callers look in actorCache first and build only on a
   * miss (no build closure: it would be allocated on every call).
   */
  private storeActor(key: number, f: ActorFootprint): ActorFootprint {
    this.actorCache[key] = f;
    return f;
  }

  private driverKey(pc: number): number {
    return 1 + pc;
  }

  private descKey(i: number, phase: number, blocker: number): number {
    const n = this.descCount;
    return 2 + this.ctx.program.ops.length + (i * DESC_PHASES.length + phase) * (n + 1) + blocker + 1;
  }

  private walkKey(slot: number, phase: number): number {
    const n = this.descCount;
    return 2 + this.ctx.program.ops.length + n * DESC_PHASES.length * (n + 1) + slot * WALK_PHASES.length + phase;
  }

  private driverFootprint(s: State): ActorFootprint {
    const key = this.driverKey(s.returned ? this.ctx.program.ops.length : s.pc);
    return this.actorCache[key] ?? this.storeActor(key, this.buildDriverActor(s));
  }

  private buildDriverActor(s: State): ActorFootprint {
    if (s.returned) return { reads: [], writes: [], guards: [] };
    const r = new VarSet();
    const wr = new VarSet();
    const ops = this.ctx.program.ops;
    for (let pc = s.pc; pc < ops.length; pc++) opVars(this.ctx, pc, r, wr);
    return { reads: r.list(), writes: wr.list(), guards: driverGuards(this.ctx, s.pc) };
  }

  private descPhase(s: State, i: number): DescPhase {
    if (i >= s.queue.length) return 'unsubmitted';
    if (s.queue[i].status === 'pending') return 'pending';
    if (s.queue[i].status === 'done') return 'done';
    for (const m of s.down) if (m.kind === 'invalidate' && m.descriptor === i) return 'down';
    if (s.answering.includes(i)) return 'answering';
    return 'up';
  }

  private descFootprint(s: State, i: number): ActorFootprint {
    const phase = this.descPhase(s, i);
    // Submitted but held back by an earlier descriptor: nothing happens to it before that
    // one completes, so its status alone is a necessary enabling set (guards, engine/types.ts).
    const held = phase === 'pending' ? blocker(this.ctx, s, i) : -1;
    const key = this.descKey(i, DESC_PHASES.indexOf(phase), held);
    return this.actorCache[key] ?? this.storeActor(key, this.buildDescActor(i, phase, held));
  }

  private buildDescActor(i: number, phase: DescPhase, held: number): ActorFootprint {
    const steps: DescriptorStep[] = phase === 'pending' || phase === 'unsubmitted' ? [DescriptorStep.Execute, DescriptorStep.Receive, DescriptorStep.Answer, DescriptorStep.Complete]
      : phase === 'down' ? [DescriptorStep.Receive, DescriptorStep.Answer, DescriptorStep.Complete]
        : phase === 'answering' ? [DescriptorStep.Answer, DescriptorStep.Complete]
          : phase === 'up' ? [DescriptorStep.Complete] : [];
    const d = this.ctx.descriptors[i];
    const devtlb = d.type === 'dev_tlb_inv' || d.type === 'p_dev_tlb_inv';
    const r = new VarSet();
    const wr = new VarSet();
    for (const st of steps) {
      if (st !== DescriptorStep.Execute && !devtlb) continue;
      const f = this.descriptor(i, st, false);
      r.addAll(f.reads);
      wr.addAll(f.writes);
    }
    // Guards: what decides whether its next step is enabled while it stands still.
    const g = new VarSet();
    // Not submitted yet: nothing happens to it before the driver submits it.
    if (phase === 'unsubmitted') g.add(`q${i}`);
    else if (held >= 0) g.add(`q${held}`);
    else if (phase === 'pending') pendingGuards(this, i, g);
    else if (phase === 'down') downGuards(this, i, g);
    else if (phase === 'answering') g.add('answering');
    else if (phase === 'up') g.add('up');
    return { reads: r.list(), writes: wr.list(), guards: g.list() };
  }

  private walkFootprint(s: State, slot: number): ActorFootprint {
    const phase = this.walkPhase(s, slot);
    const key = this.walkKey(slot, WALK_PHASES.indexOf(phase ?? 'end'));
    return this.actorCache[key] ?? this.storeActor(key, this.buildWalkActor(slot, phase));
  }

  private buildWalkActor(slot: number, phase: WalkPhase | null): ActorFootprint {
    const w = this.walkSlots[slot];
    if (phase === null) return { reads: [], writes: [], guards: [] };
    const steps: [WalkStep, number][] = [];
    if (phase === 'unissued') steps.push([WalkStep.Issue, 0]);
    if (phase !== 'delivering') {
      const first: Walk['stage'] = phase === 'unissued' ? firstStage(this) : phase;
      for (const st of laterStages(this, first, w.kind)) steps.push(...stepsAt(st));
    }
    if (w.kind === 'ats') steps.push([WalkStep.Deliver, 0], [WalkStep.DeliverDrop, 0]);
    const r = new VarSet();
    const wr = new VarSet();
    for (const [st, chunk] of steps) {
      const f = this.walk(slot, st, false, chunk);
      r.addAll(f.reads);
      wr.addAll(f.writes);
    }
    const g = new VarSet();
    if (phase === 'unissued') unissuedGuards(this, slot, g);
    else if (phase === 'delivering') deliveringGuards(this, slot, g);
    else stageGuards(w.name, phase, g);
    return { reads: r.list(), writes: wr.list(), guards: g.list() };
  }
}
