/**
 * What every trace renderer needs to know about a trace beyond its steps: which lanes
 * play a role, which send pairs with which receive, and which message overtook which.
 * Computed from the trace alone (the printer only sees a trace).
 */
import { LANES, LANE_TITLES, type Lane, type Trace } from '../model/trace';

/** Which lanes to draw: those with a role (default), all, or a list; minus `hide`. */
export interface LaneOptions {
  lanes?: 'used' | 'all' | readonly Lane[];
  hide?: readonly Lane[];
}

/** One message: a send paired with its receive (either may lie outside the trace). */
export interface Message {
  id: string;
  label: string;
  from: Lane;
  to: Lane;
  /** Step that sent it; undefined when it was sent before the trace starts. */
  sendStep?: number;
  /** Step that received it; undefined when it is still in flight at the end. */
  receiveStep?: number;
  /** Send steps of earlier messages to the same part that this one overtook. */
  overtakes: number[];
}

// How a violation sentence names a part ("the IOTLB entry DID=5 ... is still hit").
const LANE_WORDS: Record<Lane, RegExp> = {
  driver: /\b(CPU|driver)\b/i,
  memory: /\bmemory\b/i,
  queue: /\b(invalidation queue|inv\. queue)\b/i,
  'pasid-cache': /\bPASID[- ]cache\b/i,
  iotlb: /\bIOTLB\b/,
  walker: /\b(walker|page walk)\b/i,
  link: /\b(PCIe link|in flight)\b/i,
  device: /\b(ATC|device)\b/i,
};

/**
 * The parts the violation sentence names: where the reader should look even when no
 * step of the trace happens there (a stale IOTLB entry that nothing touched).
 */
export function violationLanes(trace: Trace): Lane[] {
  const reason = trace.violation?.reason ?? '';
  return LANES.filter((l) => LANE_WORDS[l].test(reason));
}

/**
 * Lanes with a role in the trace: a step on them, a message to them, or named by the
 * violation; in drawing order.
 */
export function usedLanes(trace: Trace): Lane[] {
  const used = new Set<Lane>(violationLanes(trace));
  for (const step of trace.steps) {
    used.add(step.lane);
    if (step.message) used.add(step.message.peer);
  }
  return LANES.filter((l) => used.has(l));
}

export function selectLanes(traces: readonly Trace[], options: LaneOptions = {}): Lane[] {
  let lanes: readonly Lane[];
  if (options.lanes === 'all') lanes = LANES;
  else if (Array.isArray(options.lanes)) {
    for (const l of options.lanes) if (!LANES.includes(l)) throw new Error(`unknown lane '${l}' (lanes: ${LANES.join(', ')})`);
    lanes = LANES.filter((l) => (options.lanes as readonly Lane[]).includes(l));
  } else {
    const used = new Set(traces.flatMap(usedLanes));
    lanes = LANES.filter((l) => used.has(l));
  }
  const hide = new Set(options.hide ?? []);
  return lanes.filter((l) => !hide.has(l));
}

export function laneTitle(lane: Lane, titles?: Partial<Record<Lane, string>>): string {
  return titles?.[lane] ?? LANE_TITLES[lane] ?? lane;
}

/** Pairs sends with receives by message id, in order of first appearance. */
export function messagesOf(trace: Trace): Message[] {
  const byId = new Map<string, Message>();
  const order: Message[] = [];
  for (const step of trace.steps) {
    const m = step.message;
    if (!m) continue;
    let msg = byId.get(m.id);
    if (m.kind === 'send') {
      if (msg?.sendStep !== undefined) throw new Error(`trace '${trace.title}': message ${m.id} sent twice (steps ${msg.sendStep} and ${step.index})`);
      if (!msg) {
        msg = { id: m.id, label: m.label, from: step.lane, to: m.peer, sendStep: step.index, overtakes: [] };
        byId.set(m.id, msg);
        order.push(msg);
      } else {
        msg.sendStep = step.index;
        msg.from = step.lane;
      }
    } else {
      if (msg?.receiveStep !== undefined) throw new Error(`trace '${trace.title}': message ${m.id} received twice (steps ${msg.receiveStep} and ${step.index})`);
      if (!msg) {
        msg = { id: m.id, label: m.label, from: m.peer, to: step.lane, receiveStep: step.index, overtakes: [] };
        byId.set(m.id, msg);
        order.push(msg);
      } else {
        msg.receiveStep = step.index;
        // The receiver is whoever took the receive step.
        msg.to = step.lane;
      }
    }
  }
  // B overtook A when both go to the same part, A was sent first and B arrived first.
  for (const b of order) {
    if (b.sendStep === undefined || b.receiveStep === undefined) continue;
    for (const a of order) {
      if (a === b || a.to !== b.to || a.sendStep === undefined || a.sendStep >= b.sendStep) continue;
      if (a.receiveStep === undefined || a.receiveStep > b.receiveStep) b.overtakes.push(a.sendStep);
    }
    b.overtakes.sort((x, y) => x - y);
  }
  return order;
}

/** The message a step sends or receives, if any. */
export function messageAt(messages: readonly Message[], step: number): Message | undefined {
  return messages.find((m) => m.sendStep === step || m.receiveStep === step);
}
