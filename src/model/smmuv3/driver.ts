/**
 * The CPU running the SMMUv3 driver's program: the writer's 64-bit stores (WRITE_ONCE on
 * the coherent table; the command insertion's dma_wmb orders them before the commands,
 * arm_smmu_cmdq_issue_cmdlist), submissions, polls of CMD_SYNC, return.
 */
import { move, type Move } from '../context';
import { describeCommand } from './program';
import { cloneSmmuState, type SmmuContext, type SmmuState } from './state';
import { FP } from './footprint';

export function smmuDriverMoves(s: SmmuState, ctx: SmmuContext, out: Move<SmmuState>[]): void {
  if (s.returned) return;
  const op = ctx.program.ops[s.pc];
  const im = ctx.images;
  const next = cloneSmmuState(s);
  next.pc = s.pc + 1;
  switch (op.op) {
    case 'store': {
      next.memory = im.derive(s.memory, -1 - s.pc, (w) => { w[op.word] = op.value; });
      const q = op.structure === 'CD' ? op.word - 8 : op.word;
      out.push(move(next, () => ({ lane: 'driver', text: `CPU: writer step ${op.stepIndex + 1} (${op.structure} ${op.step}): 64-bit store to ${op.structure} qword ${q}, configuration now ${im.name(next.memory)}` }), FP));
      return;
    }
    case 'submit':
      next.queue = [...s.queue, ...op.commands.map(() => 'pending' as const)];
      out.push(move(next, () => ({ lane: 'driver', text: `CPU: submit ${op.commands.map(describeCommand).join(' + ')} (${op.context})` }), FP));
      return;
    case 'poll':
      if (s.queue[op.queueIndex] !== 'done') return;
      out.push(move(next, () => ({ lane: 'driver', text: `CPU: CMD_SYNC seen complete (${op.context})` }), FP));
      return;
    case 'return':
      next.returned = true;
      out.push(move(next, () => ({ lane: 'driver', text: 'CPU: strategy returns; the old domain\'s pages are freed' }), FP));
      return;
  }
}
