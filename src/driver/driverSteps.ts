/**
 * The CPU running the driver's program one operation per step: the writer's stores,
 * clflush, submissions (a tail-register write each), polling a wait's status, return.
 */
import { describeDescriptor } from '../spec/descriptors';
import type { ModelContext, Move } from '../hw/context';
import { cpuStore, flushLine } from '../hw/memory';
import type { State } from '../hw/state';

export function driverMoves(s: State, ctx: ModelContext): Move[] {
  if (s.returned) return [];
  const op = ctx.program.ops[s.pc];
  const im = ctx.images;
  const pc = s.pc + 1;
  switch (op.op) {
    case 'store': {
      const next = cpuStore(s, ctx, op.store);
      const shown = ctx.hw.coherent ? next.memory : next.line;
      const bits = op.store.words.length * 64;
      return [{
        label: () => ({ lane: 'driver', text: `CPU: writer step ${op.stepIndex + 1} (${op.step}): ${bits}-bit store to quantum ${op.store.quantum}, entry now ${im.name(shown)}` }),
        next: { ...next, pc },
      }];
    }
    case 'clflush':
      return [{ label: () => ({ lane: 'driver', text: `CPU: clflush the entry (${op.context})` }), next: { ...flushLine(s), pc } }];
    case 'submit': {
      const queue = [...s.queue, ...op.descriptors.map((descriptor) => ({ descriptor, status: 'pending' as const }))];
      return [{
        label: () => ({ lane: 'driver', text: `CPU: submit ${op.descriptors.map(describeDescriptor).join(' + ')} (${op.context})` }),
        next: { ...s, queue, pc },
      }];
    }
    case 'poll':
      // qi_submit_sync spins until the wait's status is written (kernel.md §3.1).
      if (s.queue[op.queueIndex].status !== 'done') return [];
      return [{ label: () => ({ lane: 'driver', text: `CPU: wait status seen (${op.context})` }), next: { ...s, pc } }];
    case 'return':
      return [{ label: () => ({ lane: 'driver', text: 'CPU: strategy returns; the old domain\'s pages are freed' }), next: { ...s, pc, returned: true } }];
  }
}
