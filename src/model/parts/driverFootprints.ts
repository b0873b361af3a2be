/**
 * Footprints of the driver's operations (driver.ts), for the partial-order reduction, and
 * what the driver waits on at each. Variables and the soundness argument: ../footprints.ts.
 */
import type { VarSet } from '../footprintVars';
import type { ModelSetup } from '../context';
import type { DriverOp } from '../program';

/**
 * The variables of the operation at `pc`. Every operation moves pc; only return writes
 * `returned` (a DMA's use records whether the driver had returned, not where it is).
 */
export function opVars(ctx: ModelSetup, pc: number, r: VarSet, wr: VarSet): void {
  const op = ctx.program.ops[pc];
  r.add('pc');
  wr.add('pc');
  switch (op.op) {
    case 'store':
      // Coherent: the store reaches memory; else the dirty line (built on memory when clean).
      if (ctx.hw.coherent) {
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
      for (const i of submitted(ctx, pc)) wr.add(`q${i}`);
      break;
    case 'poll':
      r.add(`q${op.queueIndex}`);
      break;
    case 'return':
      wr.add('returned');
      break;
  }
}

/** Queue indexes of the descriptors the submit at `pc` appends. */
function submitted(ctx: ModelSetup, pc: number): number[] {
  let first = 0;
  const ops = ctx.program.ops;
  for (let k = 0; k < pc; k++) {
    const op = ops[k];
    if (op.op === 'submit') first += op.descriptors.length;
  }
  const op = ops[pc] as Extract<DriverOp, { op: 'submit' }>;
  return op.descriptors.map((_, j) => first + j);
}

/** What the driver at `pc` waits on: its pc, and a poll's wait status. */
export function driverGuards(ctx: ModelSetup, pc: number): string[] {
  const op = ctx.program.ops[pc];
  return op.op === 'poll' ? ['pc', `q${op.queueIndex}`] : ['pc'];
}
