/**
 * Checks the footprints of src/model/footprints.ts against what the steps actually do, over
 * the reachable states of a scenario (the contract of src/engine/types.ts that the
 * `ample` reduction relies on). Nothing here trusts the declared footprints: it maps every
 * state to the footprint variables and watches the steps.
 *
 * ## State -> variables
 * Every variable named in footprints.ts gets a value computed from the state:
 *
 *   pc, returned, mem (s.memory), line, pcache (s.pasidCache), iotlb (the images),
 *   atc, issued:ats (s.requestsIssued), issued:dma (s.dmasIssued), answering, up, dmaUses
 *   q<i>        s.queue[i].status, or '-' before it is submitted
 *   out<k>      request k's entry in s.outstanding: absent, outstanding, tagged for discard
 *   tc<k>       request k's Translation Completion in s.down (its image), or absent
 *   ir<i>       descriptor i's Invalidate Request in s.down, or absent
 *   W           walk W (ats<k> / dma<k>) of s.walks: stage, fetch image, chunks read, image,
 *               result; or absent
 *   W.pcFences, W.iotlbFences, W.mustDrain   its fence sets (0 when absent) and drain flag
 *   W.alive     it exists;  W.fetching  stage 'fetch';  W.holds  holdsEntry (the queue's
 *               function);  W.started  it exists and has left its first stage
 *
 * A message's place on the link is a fact shared by two messages: `a<>b` (for two
 * Invalidate Requests, or a completion and an Invalidate Request) says which of the two is
 * ahead, or that one is absent. A step reads it when it reads both, and writes it when it
 * writes either (appending or removing a message). The order of two completions is not a
 * variable: canonicalDown keeps runs of completions sorted, so it follows from the others.
 *
 * ## What is checked, for every step taken from every state explored
 * - writes: every variable whose value differs between the state and its successor is in
 *   the step's writes. Exception (footprints.ts, point 2): the flags and `started` of a walk
 *   the step creates or removes are not compared — creating or removing a walk writes W and
 *   W.alive, and a flag of a walk that does not exist is nobody's state.
 * - reads: two states that agree on every variable a step kind reads have the same number
 *   of such steps enabled, and each does the same to every variable it writes: for each
 *   written variable, either every such state keeps its value or every one sets it to the
 *   same value. Step kinds are told apart by actor and declared footprint (the same
 *   footprint twice in one state, e.g. two chunk reads, by their order). A conflict names
 *   the variables the two states differ in: the step reads one of them undeclared. (This is
 *   the perturbation test with reachable states as the perturbations: it finds only real
 *   dependencies, as many as the states explored show.) Exception as above: a flag of a walk
 *   absent before or after the step is not compared (marking a walk that does not exist).
 * - visibility depends only on what the step reads and writes (point 4).
 * - actors: every step's actor is in actors(s) and its reads and writes are within the
 *   actor's footprint in s; along every step, actors only disappear and every actor's
 *   footprint only shrinks (so it covers every step it takes later); and when a step of
 *   another actor changes none of an actor's guards, that actor's enabled steps stay the
 *   same (ActorFootprint.guards).
 * - commutation (point 3, sampled): two steps of different actors that the declared
 *   footprints call independent are both still enabled after the other and reach the same
 *   state in either order.
 */
import type { Model } from '../../src/model/build';
import type { Footprint } from '../../src/engine/types';
import type { Move } from '../../src/model/context';
import type { State } from '../../src/model/state';
import { dmaUseKey, stateKey } from '../../src/model/state';
import { holdsEntry } from '../../src/model/parts/invalidationQueue';
import { initialStage } from '../../src/model/parts/walker';

export interface FootprintReport {
  states: number;
  transitions: number;
  kinds: number;
  commuted: number;
  /** One line per problem found (deduplicated, at most `maxProblems`). */
  problems: string[];
}

export interface CheckerOptions {
  /** States expanded (breadth-first, in successor order: deterministic). */
  maxStates?: number;
  /** Commutation is checked in every n-th state expanded. */
  commuteEvery?: number;
  maxProblems?: number;
}

interface VarDef {
  name: string;
  /** For a message-order fact: the two message variables it belongs to. */
  owners: number[];
  /** Walk slot whose creation or removal makes this variable not compared, or -1. */
  walkFlag: number;
}

interface Kind {
  key: string;
  actor: string;
  reads: number[];
  /** Variables and facts the step may write (facts: an owner written). */
  writes: Uint8Array;
  writeList: number[];
  /** Reads and writes, for visibility. */
  readsWrites: number[];
  footprint: Footprint;
}

/** What a step kind may do to one written variable, narrowed by every observation. */
interface Allowed {
  keep: boolean;
  /** undefined: any value; null: none; else the one value it may set. */
  set: string | undefined | null;
}

class Vars {
  readonly defs: VarDef[] = [];
  readonly index = new Map<string, number>();
  private readonly slots: { name: string; kind: 'ats' | 'dma'; id: number }[];
  private readonly msgVars: { v: number; kind: 'tc' | 'ir'; id: number }[] = [];
  private readonly pairs: { v: number; a: number; b: number }[] = [];
  private readonly walkVars: { W: number; pcFences: number; iotlbFences: number; mustDrain: number; alive: number; fetching: number; holds: number; started: number }[] = [];

  constructor(private readonly model: Model) {
    const ctx = model.ctx;
    const add = (name: string, walkFlag = -1, owners: number[] = []): number => {
      const i = this.defs.length;
      this.defs.push({ name, owners: owners.length ? owners : [i], walkFlag });
      this.index.set(name, i);
      return i;
    };
    for (const n of ['pc', 'returned', 'mem', 'line', 'pcache', 'iotlb', 'atc', 'issued:ats', 'issued:dma', 'answering', 'up', 'dmaUses']) add(n);
    ctx.descriptors.forEach((_, i) => add(`q${i}`));
    this.slots = ctx.footprints.walkSlots.map((w) => ({ name: w.name, kind: w.kind, id: w.id }));
    for (const w of this.slots) if (w.kind === 'ats') add(`out${w.id}`);
    for (const w of this.slots) if (w.kind === 'ats') this.msgVars.push({ v: add(`tc${w.id}`), kind: 'tc', id: w.id });
    ctx.descriptors.forEach((d, i) => {
      if (d.type === 'dev_tlb_inv' || d.type === 'p_dev_tlb_inv') this.msgVars.push({ v: add(`ir${i}`), kind: 'ir', id: i });
    });
    this.slots.forEach((w, slot) => {
      const W = w.name;
      this.walkVars.push({
        W: add(W), pcFences: add(`${W}.pcFences`, slot), iotlbFences: add(`${W}.iotlbFences`, slot), mustDrain: add(`${W}.mustDrain`, slot),
        alive: add(`${W}.alive`), fetching: add(`${W}.fetching`), holds: add(`${W}.holds`), started: add(`${W}.started`, slot),
      });
    });
    for (let x = 0; x < this.msgVars.length; x++) {
      for (let y = x + 1; y < this.msgVars.length; y++) {
        const a = this.msgVars[x];
        const b = this.msgVars[y];
        if (a.kind === 'tc' && b.kind === 'tc') continue;
        this.pairs.push({ v: add(`${this.defs[a.v].name}<>${this.defs[b.v].name}`, -1, [a.v, b.v]), a: x, b: y });
      }
    }
  }

  /** Every variable's value in `s`, and which walk slots exist. */
  values(s: State): { v: string[]; alive: boolean[] } {
    const ctx = this.model.ctx;
    const v: string[] = new Array<string>(this.defs.length);
    // The first 12 variables, in the order the constructor adds them; then q<i>, out<k>.
    v[0] = String(s.pc);
    v[1] = String(s.returned);
    v[2] = String(s.memory);
    v[3] = String(s.line);
    v[4] = s.pasidCache ? String(s.pasidCache.image) : '-';
    v[5] = s.iotlb.map((e) => e.image).join(',');
    v[6] = String(s.atc);
    v[7] = String(s.requestsIssued);
    v[8] = String(s.dmasIssued);
    v[9] = s.answering.join(',');
    v[10] = s.up.join(',');
    v[11] = s.dmaUses.map(dmaUseKey).join(',');
    let at = 12;
    for (let i = 0; i < ctx.descriptors.length; i++) v[at++] = i < s.queue.length ? s.queue[i].status : '-';
    for (const w of this.slots) {
      if (w.kind !== 'ats') continue;
      const o = s.outstanding.find((x) => x.request === w.id);
      v[at++] = o ? (o.discard ? 'tagged' : 'outstanding') : '-';
    }
    // Messages on the link: value, and position for the order facts.
    const pos: number[] = this.msgVars.map(() => -1);
    this.msgVars.forEach((m, x) => {
      const at = s.down.findIndex((d) => (m.kind === 'tc' ? d.kind === 'completion' && d.request === m.id : d.kind === 'invalidate' && d.descriptor === m.id));
      pos[x] = at;
      const d = at >= 0 ? s.down[at] : null;
      v[m.v] = d === null ? '-' : d.kind === 'completion' ? `image ${d.image}` : 'sent';
    });
    for (const p of this.pairs) v[p.v] = pos[p.a] < 0 || pos[p.b] < 0 ? '-' : pos[p.a] < pos[p.b] ? 'first ahead' : 'second ahead';
    const start = initialStage(ctx);
    const alive: boolean[] = [];
    this.slots.forEach((slot, k) => {
      const w = s.walks.find((x) => x.kind === slot.kind && x.id === slot.id);
      const wv = this.walkVars[k];
      alive.push(!!w);
      v[wv.W] = w ? `${w.stage} ${w.fetchImage} ${w.chunksRead} ${w.image} ${w.result}` : '-';
      v[wv.pcFences] = String(w ? w.pcFences : 0);
      v[wv.iotlbFences] = String(w ? w.iotlbFences : 0);
      v[wv.mustDrain] = String(!!w && w.mustDrain);
      v[wv.alive] = String(!!w);
      v[wv.fetching] = String(!!w && w.stage === 'fetch');
      v[wv.holds] = String(!!w && holdsEntry(w));
      v[wv.started] = String(!!w && w.stage !== start);
    });
    return { v, alive };
  }
}

interface Explored {
  key: string;
  state: State;
  v: string[];
  alive: boolean[];
  moves?: Move[];
  /** Per move: its kind and its order among moves of that kind. */
  kinds?: number[];
  ordinals?: number[];
  /** Move indexes by kind. */
  byKind?: Map<number, number[]>;
}

/** Runs every check on `model`'s reachable states (see the header). */
export function checkFootprints(model: Model, options: CheckerOptions = {}): FootprintReport {
  const maxStates = options.maxStates ?? 20_000;
  const commuteEvery = options.commuteEvery ?? 7;
  const maxProblems = options.maxProblems ?? 20;
  const sys = model.system;
  const vars = new Vars(model);
  const nVars = vars.defs.length;
  const problems = new Set<string>();
  const problem = (text: string) => { if (problems.size < maxProblems) problems.add(text); };
  const names = (idx: Iterable<number>) => [...idx].map((i) => vars.defs[i].name).join(', ');

  // ---- Step kinds -------------------------------------------------------------------------
  const kinds: Kind[] = [];
  const kindByKey = new Map<string, number>();
  const kindByFootprint = new WeakMap<Footprint, number>();
  const varOf = (name: string, where: string): number => {
    const i = vars.index.get(name);
    if (i === undefined) {
      problem(`${where} declares an unknown variable '${name}'`);
      return -1;
    }
    return i;
  };
  const kindOf = (f: Footprint | undefined, label: () => string): number => {
    if (!f) {
      problem(`${label()}: a step without a footprint`);
      return -1;
    }
    const known = kindByFootprint.get(f);
    if (known !== undefined) return known;
    const key = `${f.actor}|${f.reads.join(',')}|${f.writes.join(',')}`;
    let k = kindByKey.get(key);
    if (k === undefined) {
      const readSet = new Set(f.reads.map((n) => varOf(n, `${f.actor} step`)).filter((i) => i >= 0));
      const writeSet = new Set(f.writes.map((n) => varOf(n, `${f.actor} step`)).filter((i) => i >= 0));
      const reads: number[] = [];
      const writes = new Uint8Array(nVars);
      const writeList: number[] = [];
      const readsWrites: number[] = [];
      vars.defs.forEach((d, i) => {
        const r = d.owners.every((o) => readSet.has(o));
        const w = d.owners.some((o) => writeSet.has(o));
        if (r) reads.push(i);
        if (w) { writes[i] = 1; writeList.push(i); }
        if (r || w) readsWrites.push(i);
      });
      k = kinds.length;
      kinds.push({ key, actor: f.actor, reads, writes, writeList, readsWrites, footprint: f });
      kindByKey.set(key, k);
    }
    kindByFootprint.set(f, k);
    return k;
  };

  // ---- Exploration (breadth-first, every successor, capped) --------------------------------
  const seen = new Map<string, number>();
  const states: Explored[] = [];
  const intern = (s: State): number => {
    const key = stateKey(s);
    let i = seen.get(key);
    if (i === undefined) {
      const { v, alive } = vars.values(s);
      i = states.length;
      states.push({ key, state: s, v, alive });
      seen.set(key, i);
    }
    return i;
  };
  const expand = (i: number): void => {
    const e = states[i];
    if (e.moves) return;
    const moves = sys.successors(e.state) as Move[];
    const counts = new Map<number, number>();
    e.moves = moves;
    e.kinds = moves.map((m) => kindOf(m.footprint, () => m.label().text));
    e.byKind = new Map();
    e.ordinals = e.kinds.map((k, j) => {
      const n = counts.get(k) ?? 0;
      counts.set(k, n + 1);
      const list = e.byKind!.get(k);
      if (list) list.push(j);
      else e.byKind!.set(k, [j]);
      return n;
    });
  };
  intern(sys.initial());
  let transitions = 0;
  let expanded = 0;
  for (let i = 0; i < states.length && expanded < maxStates; i++, expanded++) {
    expand(i);
    for (const m of states[i].moves!) { intern(m.next); transitions++; }
  }

  // ---- Writes, actors and guards, per transition -------------------------------------------
  const changedOf = (a: Explored, b: Explored, skipFlags: boolean): number[] => {
    const out: number[] = [];
    for (let x = 0; x < nVars; x++) {
      if (a.v[x] === b.v[x]) continue;
      const slot = vars.defs[x].walkFlag;
      if (skipFlags && slot >= 0 && (!a.alive[slot] || !b.alive[slot])) continue;
      out.push(x);
    }
    return out;
  };
  const enabledKinds = (e: Explored, actor: string): string => e.kinds!.filter((k) => k >= 0 && kinds[k].actor === actor).sort((p, q) => p - q).join(',');
  const subset = (xs: readonly string[], ys: readonly string[]) => xs.filter((x) => !ys.includes(x));
  for (let i = 0; i < expanded; i++) {
    const s = states[i];
    const actors = sys.actors!(s.state);
    const af = new Map(actors.map((a) => [a, sys.actorFootprint!(s.state, a)]));
    s.moves!.forEach((m, j) => {
      const k = s.kinds![j];
      if (k < 0) return;
      const kind = kinds[k];
      const label = () => m.label().text;
      const t = states[seen.get(stateKey(m.next))!];
      const undeclared = changedOf(s, t, true).filter((x) => !kind.writes[x]);
      if (undeclared.length) problem(`${kind.actor}: '${label()}' writes undeclared ${names(undeclared)}`);
      const f = af.get(kind.actor);
      if (!f) {
        problem(`${kind.actor}: '${label()}' is taken, but its actor is not in actors(s)`);
        return;
      }
      const r = subset(kind.footprint.reads, f.reads);
      const w = subset(kind.footprint.writes, f.writes);
      if (r.length) problem(`${kind.actor}: '${label()}' reads ${r.join(', ')}, outside its actor footprint`);
      if (w.length) problem(`${kind.actor}: '${label()}' writes ${w.join(', ')}, outside its actor footprint`);
      // Along the step, actors only go and footprints only shrink.
      const tActors = sys.actors!(t.state);
      for (const a of tActors) {
        const before = af.get(a);
        if (!before) { problem(`actor ${a} appears after '${label()}'`); continue; }
        const after = sys.actorFootprint!(t.state, a);
        if (after === before) continue;
        const gr = subset(after.reads, before.reads);
        const gw = subset(after.writes, before.writes);
        if (gr.length || gw.length) problem(`actor ${a}: footprint grows after '${label()}': ${[...gr.map((x) => `reads ${x}`), ...gw.map((x) => `writes ${x}`)].join(', ')}`);
      }
      // Guards: another actor's step that changes none of an actor's guards leaves its steps as they were.
      if (t.moves === undefined) return;
      const changed = new Set(changedOf(s, t, false).map((x) => vars.defs[x].name));
      for (const [a, fa] of af) {
        if (a === kind.actor) continue;
        // As the search's C1: the actor's guards, and what its enabled steps read and write.
        const guards = [...(fa.guards ?? fa.reads)];
        s.kinds!.forEach((kk) => { if (kk >= 0 && kinds[kk].actor === a) guards.push(...kinds[kk].footprint.reads, ...kinds[kk].footprint.writes); });
        if (guards.some((g) => changed.has(g))) continue;
        // Message-order facts change with the messages they belong to; those are variables too.
        if ([...changed].some((c) => c.includes('<>') && guards.some((g) => c.split('<>').includes(g)))) continue;
        const before = enabledKinds(s, a);
        const after = enabledKinds(t, a);
        if (before !== after) problem(`actor ${a}: its enabled steps change after '${label()}' (${kind.actor}), which writes none of its guards (${(fa.guards ?? fa.reads).join(', ')}) nor what its enabled steps read or write; it changed ${[...changed].join(', ')}`);
      }
    });
  }

  // ---- Reads: behaviour as a function of the variables read --------------------------------
  const diff = (a: number, b: number) => vars.defs.map((_, x) => x).filter((x) => states[a].v[x] !== states[b].v[x]);
  /** The member of `members` closest to state i (fewest variables differ) for which `differs` holds. */
  const closest = (members: number[], i: number, differs: (m: number) => boolean): number[] => {
    let best: number[] | null = null;
    for (const m of members) {
      if (!differs(m)) continue;
      const d = diff(m, i);
      if (!best || d.length < best.length) best = d;
    }
    return best ?? [];
  };
  const moveOf = (i: number, k: number, ord: number) => states[i].byKind!.get(k)?.[ord];
  for (let k = 0; k < kinds.length; k++) {
    const kind = kinds[k];
    const groups = new Map<string, { members: number[]; count: number; allowed: Allowed[][] }>();
    const vis = new Map<string, { members: number[]; visible: string }>();
    for (let i = 0; i < expanded; i++) {
      const s = states[i];
      let key = '';
      for (const x of kind.reads) key += `${s.v[x]}\u0000`;
      const mine = s.byKind!.get(k) ?? [];
      let g = groups.get(key);
      if (!g) {
        g = { members: [], count: mine.length, allowed: mine.map(() => kind.writeList.map(() => ({ keep: true, set: undefined }))) };
        groups.set(key, g);
      } else if (g.count !== mine.length) {
        const where = g.count > mine.length ? g.members[0] : i;
        const m = states[where].moves![states[where].byKind!.get(k)![0]];
        const d = closest(g.members, i, (x) => (states[x].byKind!.get(k)?.length ?? 0) !== mine.length);
        problem(`${kind.actor}: '${m.label().text}' is enabled in one state and not in another that agrees on its reads; it reads one of ${names(d)}`);
        continue;
      }
      g.members.push(i);
      mine.forEach((j, ord) => {
        const m = s.moves![j];
        const t = states[seen.get(stateKey(m.next))!];
        kind.writeList.forEach((x, wi) => {
          const slot = vars.defs[x].walkFlag;
          if (slot >= 0 && (!s.alive[slot] || !t.alive[slot])) return;
          const a = g!.allowed[ord][wi];
          const pre = s.v[x];
          const post = t.v[x];
          if (post !== pre) a.keep = false;
          a.set = a.set === undefined || a.set === post ? post : null;
          if (!a.keep && a.set === null) {
            // Name the variables in which the closest state doing otherwise differs.
            const d = closest(g!.members, i, (y) => {
              const my = moveOf(y, k, ord);
              if (my === undefined) return false;
              const ty = states[seen.get(stateKey(states[y].moves![my].next))!];
              const slotY = slot >= 0 && (!states[y].alive[slot] || !ty.alive[slot]);
              if (slotY) return false;
              const keptBoth = states[y].v[x] === ty.v[x] && pre === post;
              return !keptBoth && ty.v[x] !== post;
            });
            problem(`${kind.actor}: '${m.label().text}' does different things to ${vars.defs[x].name} in two states that agree on its reads; it reads one of ${names(d)}`);
            a.keep = true; // report once per group
            a.set = undefined;
          }
        });
        // Visibility: a function of what the step reads and writes.
        let vkey = `${ord}\u0001`;
        for (const x of kind.readsWrites) vkey += `${s.v[x]}\u0000`;
        const visible = String(m.footprint!.visible);
        const seenVis = vis.get(vkey);
        if (!seenVis) vis.set(vkey, { members: [i], visible });
        else if (seenVis.visible !== visible) {
          problem(`${kind.actor}: '${m.label().text}' is visible in one state and not in another that agrees on what it reads and writes; it depends on one of ${names(closest(seenVis.members, i, () => true))}`);
        } else seenVis.members.push(i);
      });
    }
  }

  // ---- Commutation (sampled) ---------------------------------------------------------------
  let commuted = 0;
  const independent = (a: Kind, b: Kind): boolean => {
    if (a.actor === b.actor) return false;
    const touches = (x: Kind, y: Kind) => x.footprint.writes.some((n) => y.footprint.reads.includes(n) || y.footprint.writes.includes(n));
    return !touches(a, b) && !touches(b, a);
  };
  const after = (i: number, k: number, ord: number): number | null => {
    expand(i);
    const e = states[i];
    let n = 0;
    for (let j = 0; j < e.moves!.length; j++) {
      if (e.kinds![j] !== k) continue;
      if (n++ === ord) return intern(e.moves![j].next);
    }
    return null;
  };
  for (let i = 0; i < expanded; i += commuteEvery) {
    const s = states[i];
    const n = s.moves!.length;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const kp = s.kinds![p];
        const kq = s.kinds![q];
        if (kp < 0 || kq < 0 || !independent(kinds[kp], kinds[kq])) continue;
        const tp = seen.get(stateKey(s.moves![p].next))!;
        const tq = seen.get(stateKey(s.moves![q].next))!;
        const pq = after(tp, kq, s.ordinals![q]);
        const qp = after(tq, kp, s.ordinals![p]);
        const a = s.moves![p].label().text;
        const b = s.moves![q].label().text;
        if (pq === null || qp === null) problem(`'${a}' and '${b}' are declared independent, but one disables the other`);
        else if (states[pq].key !== states[qp].key) {
          problem(`'${a}' and '${b}' are declared independent, but the two orders differ in ${names(changedOf(states[pq], states[qp], false))}`);
        }
        commuted++;
      }
    }
  }
  return { states: expanded, transitions, kinds: kinds.length, commuted, problems: [...problems] };
}
