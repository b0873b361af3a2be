/**
 * Footprints for the search's partial-order reduction (`ample`, see the comment at the top
 * of src/engine/search.ts for the conditions C0-C3 it checks). The model says, for every
 * step, which actor takes it, which state variables it reads and writes, and whether it is
 * visible; and, for every actor, what it could still read and write from a state on. The
 * search postpones other actors' steps only when that cannot be told apart by any property.
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
 *    footprint below: every state field it looks at is in its reads (e.g. a lookup reads
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
import type { DriverOp } from './program';
import type { State, Walk } from './state';
import { blocks } from './parts/queueOrder';

/** The kinds of walk (and per-request device) steps, each with a fixed footprint shape. */
export enum WalkStep {
  Issue,
  Lookup,
  LookupEvict,
  PasidCacheHit,
  Fill,
  FillBlocked,
  Fault,
  Answer,
  Commit,
  Deliver,
  DeliverDrop,
  /** Chunk reads: + ChunkFirst (first chunk, from the entry stage), + ChunkLast, + ChunkEvict. */
  Chunk,
}
const CHUNK_FIRST = 1;
const CHUNK_LAST = 2;
const CHUNK_EVICT = 4;
const WALK_KINDS = WalkStep.Chunk + 8;

export enum DescriptorStep {
  Execute,
  /** The device receives descriptor i's Invalidate Request. */
  Receive,
  /** The device sends the Invalidate Completion (head of `answering`). */
  Answer,
  /** The queue receives the Invalidate Completion (head of `up`). */
  Complete,
}
const DESC_KINDS = 4;

/** A set of variable names under construction (insertion order kept, no duplicates). */
class VarSet {
  private readonly set = new Set<string>();
  add(...names: string[]): this {
    for (const n of names) this.set.add(n);
    return this;
  }
  addAll(names: Iterable<string>): this {
    for (const n of names) this.set.add(n);
    return this;
  }
  list(): readonly string[] {
    return [...this.set];
  }
}

interface WalkSlot {
  name: string;
  kind: Walk['kind'];
  id: number;
}

/**
 * Phases of a walk actor for its future footprint: before its issue, at a walk stage, and
 * (ATS only) with its completion on the link.
 */
type WalkPhase = 'unissued' | Walk['stage'] | 'delivering';
const WALK_PHASES: readonly (WalkPhase | 'end')[] = ['unissued', 'lookup', 'entry', 'fetch', 'fill', 'answer', 'commit', 'delivering', 'end'];

type DescPhase = 'unsubmitted' | 'pending' | 'down' | 'answering' | 'up' | 'done';
const DESC_PHASES: readonly DescPhase[] = ['unsubmitted', 'pending', 'down', 'answering', 'up', 'done'];

export class Footprints {
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

  constructor(private readonly ctx: ModelSetup) {
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

  // ---- Variable groups ------------------------------------------------------------------

  private allWalks(fact: string): string[] {
    return this.walkSlots.map((w) => `${w.name}.${fact}`);
  }

  private allTc(): string[] {
    return this.walkSlots.filter((w) => w.kind === 'ats').map((w) => `tc${w.id}`);
  }

  private allIr(): string[] {
    return this.devtlbs.map((i) => `ir${i}`);
  }

  private allOut(): string[] {
    return this.walkSlots.filter((w) => w.kind === 'ats').map((w) => `out${w.id}`);
  }

  /**
   * Statuses a descriptor's start reads: its own, and those of the descriptors ahead of it
   * that the §6.5.2.12 rules make it wait for (parts/queueOrder.ts `blocks`).
   */
  private queueAhead(i: number): string[] {
    const d = this.ctx.descriptors;
    const q: string[] = [];
    for (let j = 0; j < i; j++) if (blocks(this.ctx, j, i)) q.push(`q${j}`);
    q.push(`q${i}`);
    return q;
  }

  // ---- Step footprints ------------------------------------------------------------------

  private cached(index: number, visible: boolean, build: () => { actor: string; reads: readonly string[]; writes: readonly string[] }): Footprint {
    const at = index * 2 + (visible ? 1 : 0);
    let f = this.stepCache[at];
    if (!f) {
      const b = build();
      f = { actor: b.actor, reads: b.reads, writes: b.writes, visible };
      this.stepCache[at] = f;
    }
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
    return this.cached(this.walkBase() + slot * WALK_KINDS + step + chunk, visible, () => this.buildWalk(slot, step, chunk));
  }

  private buildWalk(slot: number, step: WalkStep, chunk: number): { actor: string; reads: readonly string[]; writes: readonly string[] } {
    const hw = this.ctx.hw;
    const w = this.walkSlots[slot];
    const W = w.name;
    const r = new VarSet().add(W);
    const wr = new VarSet().add(W);
    const initial = hw.iotlbLookupUsesDid ? 'entry' : 'lookup';
    // Leaving the first stage makes an untranslated DMA count as processed (W.started).
    const leavesFirst = (stage: Walk['stage']) => { if (stage === initial) wr.add(`${W}.started`); };
    switch (step) {
      case WalkStep.Issue:
        r.add(`issued:${w.kind}`);
        wr.add(`issued:${w.kind}`, `${W}.alive`, `${W}.pcFences`, `${W}.iotlbFences`);
        if (w.kind === 'ats') wr.add(`out${w.id}`);
        else wr.add('atc'); // the DMA's ATC miss drops the entry
        break;
      case WalkStep.Lookup:
      case WalkStep.LookupEvict:
        // Hit → answer or miss → next stage: W.holds does not change (the image is set in
        // both stages or in neither).
        r.add('iotlb');
        if (step === WalkStep.LookupEvict) wr.add('iotlb');
        leavesFirst('lookup');
        break;
      case WalkStep.PasidCacheHit:
        r.add('pcache');
        wr.add(`${W}.holds`);
        leavesFirst('entry');
        break;
      case WalkStep.Fill:
      case WalkStep.FillBlocked:
        r.add(`${W}.iotlbFences`);
        if (step === WalkStep.Fill) {
          wr.add('iotlb');
          // With DID in the lookup a fill keeps the entries of other DIDs.
          if (hw.iotlbLookupUsesDid) r.add('iotlb');
        }
        break;
      case WalkStep.Fault:
        if (w.kind === 'dma') {
          r.add('returned');
          wr.add(`${W}.alive`, `${W}.holds`, `${W}.mustDrain`, 'dmaUses');
        }
        break;
      case WalkStep.Answer:
        if (w.kind === 'ats') {
          r.addAll(this.allIr()); // lands behind the Invalidate Requests on the link
          wr.add(`${W}.alive`, `${W}.holds`, `tc${w.id}`);
        } else {
          wr.add(`${W}.holds`);
        }
        break;
      case WalkStep.Commit:
        r.add('returned');
        wr.add(`${W}.alive`, `${W}.mustDrain`, 'dmaUses');
        break;
      case WalkStep.Deliver:
      case WalkStep.DeliverDrop:
        // Request k's completion reaches the device: the walk is gone, W is not touched.
        return {
          actor: W,
          reads: new VarSet().add(`tc${w.id}`, `out${w.id}`).addAll(hw.completionMayPassInv ? [] : this.allIr()).list(),
          writes: new VarSet().add(`tc${w.id}`, `out${w.id}`).addAll(step === WalkStep.Deliver ? ['atc'] : []).list(),
        };
      default: {
        // A chunk read of the entry.
        r.add('mem');
        if (chunk & CHUNK_FIRST) {
          // From the entry stage: taken when the PASID cache missed (or evicts here).
          r.add('pcache');
          wr.add(`${W}.holds`, `${W}.pcFences`);
          if (!(chunk & CHUNK_LAST)) wr.add(`${W}.fetching`);
          leavesFirst('entry');
        }
        if (chunk & CHUNK_EVICT) wr.add('pcache');
        if (chunk & CHUNK_LAST) {
          r.add(`${W}.pcFences`);
          wr.add('pcache', `${W}.pcFences`);
          if (!(chunk & CHUNK_FIRST)) wr.add(`${W}.fetching`);
        }
      }
    }
    return { actor: W, reads: r.list(), writes: wr.list() };
  }

  /** A step of descriptor i. */
  descriptor(i: number, step: DescriptorStep, visible: boolean): Footprint {
    return this.cached(this.descBase() + i * DESC_KINDS + step, visible, () => this.buildDescriptor(i, step));
  }

  private buildDescriptor(i: number, step: DescriptorStep): { actor: string; reads: readonly string[]; writes: readonly string[] } {
    const hw = this.ctx.hw;
    const d = this.ctx.descriptors[i];
    const actor = `desc${i}`;
    const r = new VarSet();
    const wr = new VarSet();
    switch (step) {
      case DescriptorStep.Execute:
        r.addAll(this.queueAhead(i));
        wr.add(`q${i}`);
        switch (d.type) {
          case 'pc_inv':
            r.add('pcache').addAll(this.allWalks('fetching'));
            if (hw.pcInvWaitsForWalks) r.addAll(this.allWalks('holds'));
            // Adding a fence to a walk's set reads the set (the result is old | bit).
            r.addAll(this.allWalks('pcFences'));
            wr.add('pcache').addAll(this.allWalks('pcFences'));
            if (hw.pcInvDropsIotlb) {
              // Inclusive: drops IOTLB entries and fences every walk's IOTLB fill.
              r.add('iotlb').addAll(this.allWalks('iotlbFences'));
              wr.add('iotlb').addAll(this.allWalks('iotlbFences'));
            }
            break;
          case 'iotlb_inv':
          case 'p_iotlb_inv':
            r.add('iotlb');
            // drain-scope in-flight: waits for ATS walks that have begun (W.started) and not
            // answered (W.alive).
            if (hw.drainScope === 'in-flight') for (const w of this.walkSlots) if (w.kind === 'ats') r.add(`${w.name}.started`, `${w.name}.alive`);
            for (const w of this.walkSlots) {
              if (w.kind !== 'dma') continue;
              // processed: which DMAs are already translated depends on the walk's stage itself.
              r.add(hw.drainScope === 'processed' ? w.name : `${w.name}.started`, `${w.name}.mustDrain`);
            }
            r.addAll(this.allWalks('iotlbFences'));
            wr.add('iotlb').addAll(this.allWalks('iotlbFences'));
            for (const w of this.walkSlots) if (w.kind === 'dma') wr.add(`${w.name}.mustDrain`);
            break;
          case 'dev_tlb_inv':
          case 'p_dev_tlb_inv':
            // Sends the Invalidate Request: it lands behind everything on the link.
            r.addAll(this.allTc()).addAll(this.allIr());
            wr.add(`ir${i}`);
            break;
          case 'inv_wait':
            r.addAll(this.allWalks('mustDrain'));
            break;
          default:
            break;
        }
        break;
      case DescriptorStep.Receive:
        // Delivered when nothing ahead of it blocks it; drops the ATC, tags outstanding
        // requests (reads and writes every out<k>), queues the answer.
        // Every tc<k> too: whether tagging is visible depends on the completions in flight
        // (device.ts taggingMatters), even when the request may pass them.
        r.add(`ir${i}`, 'answering').addAll(this.allIr()).addAll(this.allOut()).addAll(this.allTc());
        wr.add(`ir${i}`, 'atc', 'answering').addAll(this.allOut());
        break;
      case DescriptorStep.Answer:
        r.add('answering', 'up');
        wr.add('answering', 'up');
        break;
      case DescriptorStep.Complete:
        r.add('up');
        wr.add('up', `q${i}`);
        break;
    }
    return { actor, reads: r.list(), writes: wr.list() };
  }

  /** The driver's operation at `pc`. */
  driver(pc: number, visible: boolean): Footprint {
    return this.cached(this.driverBase() + pc, visible, () => this.buildDriver(pc));
  }

  private opVars(pc: number, r: VarSet, wr: VarSet): void {
    const op = this.ctx.program.ops[pc];
    r.add('pc');
    wr.add('pc');
    switch (op.op) {
      case 'store':
        // Coherent: the store reaches memory; else the dirty line (built on memory when clean).
        if (this.ctx.hw.coherent) {
          r.add('mem');
          wr.add('mem');
        } else {
          r.add('line', 'mem');
          wr.add('line');
        }
        break;
      case 'clflush':
        r.add('line');
        wr.add('line', 'mem');
        break;
      case 'submit':
        for (const i of this.submitted(pc)) wr.add(`q${i}`);
        break;
      case 'poll':
        r.add(`q${op.queueIndex}`);
        break;
      case 'return':
        wr.add('returned');
        break;
    }
  }

  private buildDriver(pc: number): { actor: string; reads: readonly string[]; writes: readonly string[] } {
    const r = new VarSet();
    const wr = new VarSet();
    this.opVars(pc, r, wr);
    return { actor: 'driver', reads: r.list(), writes: wr.list() };
  }

  /** Queue indexes of the descriptors the submit at `pc` appends. */
  private submitted(pc: number): number[] {
    let first = 0;
    const ops = this.ctx.program.ops;
    for (let k = 0; k < pc; k++) {
      const op = ops[k];
      if (op.op === 'submit') first += op.descriptors.length;
    }
    const op = ops[pc] as Extract<DriverOp, { op: 'submit' }>;
    return op.descriptors.map((_, j) => first + j);
  }

  /** The CPU cache writing the dirty line back. */
  writeback(visible: boolean): Footprint {
    return this.cached(this.driverBase() + this.ctx.program.ops.length, visible, () => ({ actor: 'memory', reads: ['line'], writes: ['line', 'mem'] }));
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

  /** Walk stages reachable from a stage, itself included (stages only go forward). */
  private laterStages(stage: Walk['stage'], kind: Walk['kind']): Walk['stage'][] {
    const did = this.ctx.hw.iotlbLookupUsesDid;
    const order: Walk['stage'][] = did ? ['entry', 'fetch', 'lookup', 'fill', 'answer', 'commit'] : ['lookup', 'entry', 'fetch', 'fill', 'answer', 'commit'];
    const from = order.indexOf(stage);
    return order.slice(from).filter((x) => kind === 'dma' || x !== 'commit');
  }

  /** Every step kind a walk can take at a stage (over-approximated). */
  private stepsAt(stage: Walk['stage']): [WalkStep, number][] {
    switch (stage) {
      case 'lookup': return [[WalkStep.Lookup, 0], [WalkStep.LookupEvict, 0]];
      case 'entry': {
        const steps: [WalkStep, number][] = [[WalkStep.PasidCacheHit, 0]];
        for (const evict of [0, CHUNK_EVICT]) for (const last of [0, CHUNK_LAST]) steps.push([WalkStep.Chunk, CHUNK_FIRST | evict | last]);
        return steps;
      }
      case 'fetch': return [[WalkStep.Chunk, 0], [WalkStep.Chunk, CHUNK_LAST]];
      case 'fill': return [[WalkStep.Fill, 0], [WalkStep.FillBlocked, 0], [WalkStep.Fault, 0]];
      case 'answer': return [[WalkStep.Answer, 0]];
      case 'commit': return [[WalkStep.Commit, 0]];
    }
  }

  /** What the actor could still read and write from `s` on, and what its next steps wait on. */
  actorFootprint(s: State, actor: string): ActorFootprint {
    const a = this.actorIndex.get(actor);
    if (!a) throw new Error(`unknown actor '${actor}'`);
    switch (a.type) {
      case 'driver': return this.driverFootprint(s);
      case 'memory': return this.memo(0, () => ({ reads: ['line'], writes: ['line', 'mem'], guards: ['line'] }));
      case 'desc': return this.descFootprint(s, a.index);
      case 'walk': return this.walkFootprint(s, a.index);
    }
  }

  /**
   * Memoised by a number (this runs for every actor in every state the reduction looks at):
   * 0 memory, then the driver by pc (ops.length = returned), then descriptors by (phase,
   * blocker), then walks by phase.
   */
  private memo(key: number, build: () => ActorFootprint): ActorFootprint {
    let f = this.actorCache[key];
    if (!f) this.actorCache[key] = f = build();
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
    if (s.returned) return this.memo(this.driverKey(this.ctx.program.ops.length), () => ({ reads: [], writes: [], guards: [] }));
    return this.memo(this.driverKey(s.pc), () => {
      const r = new VarSet();
      const wr = new VarSet();
      const ops = this.ctx.program.ops;
      for (let pc = s.pc; pc < ops.length; pc++) this.opVars(pc, r, wr);
      const op = ops[s.pc];
      const guards = op.op === 'poll' ? ['pc', `q${op.queueIndex}`] : ['pc'];
      return { reads: r.list(), writes: wr.list(), guards };
    });
  }

  private descPhase(s: State, i: number): DescPhase {
    if (i >= s.queue.length) return 'unsubmitted';
    if (s.queue[i].status === 'pending') return 'pending';
    if (s.queue[i].status === 'done') return 'done';
    if (s.down.some((m) => m.kind === 'invalidate' && m.descriptor === i)) return 'down';
    if (s.answering.includes(i)) return 'answering';
    return 'up';
  }

  /** The first descriptor ahead of i, not complete, that keeps i from starting; or -1. */
  private blocker(s: State, i: number): number {
    const d = this.ctx.descriptors;
    for (let j = 0; j < i; j++) if (s.queue[j].status !== 'done' && blocks(this.ctx, j, i)) return j;
    return -1;
  }

  private descFootprint(s: State, i: number): ActorFootprint {
    const phase = this.descPhase(s, i);
    // Submitted but held back by an earlier descriptor: nothing happens to it before that
    // one completes, so its status alone is a necessary enabling set (guards, engine/types.ts).
    const blocker = phase === 'pending' ? this.blocker(s, i) : -1;
    return this.memo(this.descKey(i, DESC_PHASES.indexOf(phase), blocker), () => {
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
      const hw = this.ctx.hw;
      const g = new VarSet();
      // Not submitted yet: nothing happens to it before the driver submits it.
      if (phase === 'unsubmitted') g.add(`q${i}`);
      else if (blocker >= 0) g.add(`q${blocker}`);
      else if (phase === 'pending') {
        g.addAll(this.queueAhead(i));
        if (d.type === 'pc_inv' && hw.pcInvWaitsForWalks) g.addAll(this.allWalks('holds'));
        if ((d.type === 'iotlb_inv' || d.type === 'p_iotlb_inv') && hw.drainScope === 'in-flight') {
          for (const w of this.walkSlots) if (w.kind === 'ats') g.add(`${w.name}.started`, `${w.name}.alive`);
        }
        if (d.type === 'inv_wait') g.addAll(this.allWalks('mustDrain'));
      } else if (phase === 'down') {
        g.add(`ir${i}`).addAll(this.allIr());
        if (!hw.invMayPassCompletion) g.addAll(this.allTc());
      } else if (phase === 'answering') g.add('answering');
      else if (phase === 'up') g.add('up');
      return { reads: r.list(), writes: wr.list(), guards: g.list() };
    });
  }

  private walkFootprint(s: State, slot: number): ActorFootprint {
    const phase = this.walkPhase(s, slot);
    return this.memo(this.walkKey(slot, WALK_PHASES.indexOf(phase ?? 'end')), () => {
      const w = this.walkSlots[slot];
      if (phase === null) return { reads: [], writes: [], guards: [] };
      const steps: [WalkStep, number][] = [];
      if (phase === 'unissued') steps.push([WalkStep.Issue, 0]);
      if (phase !== 'delivering') {
        const first: Walk['stage'] = phase === 'unissued' ? (this.ctx.hw.iotlbLookupUsesDid ? 'entry' : 'lookup') : phase;
        for (const st of this.laterStages(first, w.kind)) steps.push(...this.stepsAt(st));
      }
      if (w.kind === 'ats') steps.push([WalkStep.Deliver, 0], [WalkStep.DeliverDrop, 0]);
      const r = new VarSet();
      const wr = new VarSet();
      for (const [st, chunk] of steps) {
        const f = this.walk(slot, st, false, chunk);
        r.addAll(f.reads);
        wr.addAll(f.writes);
      }
      const W = w.name;
      const g = new VarSet();
      switch (phase) {
        case 'unissued': g.add(`issued:${w.kind}`); break;
        case 'lookup': g.add(W, 'iotlb'); break;
        case 'entry': g.add(W, 'pcache'); break;
        case 'delivering':
          g.add(`tc${w.id}`);
          if (!this.ctx.hw.completionMayPassInv) g.addAll(this.allIr());
          break;
        default: g.add(W);
      }
      return { reads: r.list(), writes: wr.list(), guards: g.list() };
    });
  }
}

export { CHUNK_EVICT, CHUNK_FIRST, CHUNK_LAST };

/**
 * A translation no property can object to wherever it turns up: the new entry's own
 * translation, untorn. Visibility of DMA uses and completions is decided with this rather
 * than with each property's exact test, so it stays sound if a property gets stricter
 * about old, mixed, torn or faulting translations.
 */
export function harmless(ctx: Pick<ModelSetup, 'images'>, image: number): boolean {
  const o = ctx.images.outcome(image);
  return o.via === 'new' && !o.torn;
}

/**
 * Does a cache going from holding `before` to holding `after` (images) matter to a
 * property? Not when every translation on both sides is harmless: no property objects to
 * a harmless translation being cached, dropped or replaced by another harmless one. (The
 * PASID cache under `iotlb-lookup-uses-did` is the exception the callers handle: its
 * entry's DID selects which IOTLB entry a lookup hits.)
 */
export function cacheChangeVisible(ctx: Pick<ModelSetup, 'images'>, before: readonly number[], after: readonly number[]): boolean {
  for (const x of before) if (x >= 0 && !harmless(ctx, x)) return true;
  for (const x of after) if (x >= 0 && !harmless(ctx, x)) return true;
  return false;
}

/** A completion granting no access (the device caches nothing from it). */
export function noAccess(ctx: Pick<ModelSetup, 'images'>, image: number): boolean {
  return ctx.images.outcome(image).via === 'fault';
}
