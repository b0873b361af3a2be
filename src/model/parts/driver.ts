/**
 * The CPU running the driver's program one operation per step: the writer's stores,
 * clflush, submissions (a tail-register write each), polling a wait's status, return.
 */
import { describeDescriptor } from '../../formats/descriptors';
import { move, type Move } from '../context';
import type { ModelContext } from '../modelContext';
import { cpuStore, flushLine } from './memory';
import { cloneState, type State } from '../state';

function atPc(s: State, pc: number): State {
  const next = cloneState(s);
  next.pc = pc;
  return next;
}

export function driverMoves(s: State, ctx: ModelContext, out: Move[]): void {
  if (s.returned) return;
  const op = ctx.program.ops[s.pc];
  const im = ctx.images;
  const pc = s.pc + 1;
  // Invisible except return: memory is read by a property only once the driver has returned,
  // and only the driver returns (footprints.ts).
  const fp = ctx.footprints.driver(s.pc, op.op === 'return');
  switch (op.op) {
    case 'store': {
      const next = cpuStore(s, ctx, op.store, s.pc);
      const shown = ctx.hw.coherent ? next.memory : next.line;
      const bits = op.store.words.length * 64;
      next.pc = pc; // cpuStore built a fresh state
      out.push(move(next, () => ({ lane: 'driver', text: `CPU: writer step ${op.stepIndex + 1} (${op.step}): ${bits}-bit store to quantum ${op.store.quantum}, entry now ${im.name(shown)}` }), fp));
      return;
    }
    case 'clflush': {
      const next = cloneState(flushLine(s));
      next.pc = pc;
      out.push(move(next, () => ({ lane: 'driver', text: `CPU: clflush the entry (${op.context})` }), fp));
      return;
    }
    case 'submit': {
      const next = cloneState(s);
      next.queue = s.queue.slice();
      // Submissions run in program order, so queue index = index in ctx.descriptors.
      for (let k = 0; k < op.descriptors.length; k++) next.queue.push(ctx.queueEntries[s.queue.length + k].pending);
      next.pc = pc;
      out.push(move(next, () => ({ lane: 'driver', text: `CPU: submit ${op.descriptors.map(describeDescriptor).join(' + ')} (${op.context})` }), fp));
      return;
    }
    case 'poll':
      // qi_submit_sync spins until the wait's status is written (docs/kernel.md#qi-submit-sync).
      if (s.queue[op.queueIndex].status !== 'done') return;
      out.push(move(atPc(s, pc), () => ({ lane: 'driver', text: `CPU: wait status seen (${op.context})` }), fp));
      return;
    case 'return':
      const next = atPc(s, pc);
      next.returned = true;
      out.push(move(next, () => ({ lane: 'driver', text: 'CPU: strategy returns; the old domain\'s pages are freed' }), fp));
      return;
  }
}
