/**
 * The ordering rules of the invalidation queue (VT-d 5.10 §6.5.2.12): which descriptor must
 * wait for which. Read by the queue (invalidationQueue.ts, when a descriptor may start) and
 * by the footprints (footprints.ts, which statuses a start depends on); its own file so
 * neither imports the other.
 */
import type { Descriptor } from '../../formats/descriptors';
import type { ModelSetup } from '../context';

type Type = Descriptor['type'];

/**
 * §6.5.2.12 rules 1-4: must an earlier descriptor of type `earlier` be complete before one
 * of type `later` starts? (The flags are read only where they can matter.)
 */
function mustFollow(ctx: Pick<ModelSetup, 'hw'>, later: Type, earlier: Type): boolean {
  switch (later) {
    case 'pc_inv': return earlier === 'cc_inv'; // rule 1
    case 'iotlb_inv':
    case 'p_iotlb_inv': return earlier === 'cc_inv' || earlier === 'pc_inv'; // rule 2
    // rule 3: dev_tlb_inv after iotlb_inv and iec_inv only — P_IOTLB is not in the list
    // (`devtlb-ordered-after-p-iotlb` adds it); nor is pc_inv (`devtlb-after-pc-inv`).
    case 'dev_tlb_inv': return earlier === 'iotlb_inv'
      || (earlier === 'p_iotlb_inv' && ctx.hw.devtlbOrderedAfterPIotlb)
      || (earlier === 'pc_inv' && ctx.hw.devtlbAfterPcInv);
    // rule 4: p_dev_tlb_inv after iotlb_inv, p_iotlb_inv and iec_inv.
    case 'p_dev_tlb_inv': return earlier === 'iotlb_inv' || earlier === 'p_iotlb_inv' || (earlier === 'pc_inv' && ctx.hw.devtlbAfterPcInv);
    default: return false;
  }
}

/**
 * Does descriptor `j`, ahead of descriptor `i` in the queue and not complete, keep `i`
 * from starting? Fixed per pair of queue indexes (the program's descriptors are known
 * before the search): the footprints use it to know which statuses a start depends on.
 */
export function blocks(ctx: Pick<ModelSetup, 'hw' | 'descriptors'>, j: number, i: number): boolean {
  const earlier = ctx.descriptors[j];
  const later = ctx.descriptors[i];
  if (later.type === 'inv_wait') {
    // rule 5: a wait completes once the descriptors submitted since the previous wait
    // have (the previous wait itself, and what came before it, are not named).
    for (let k = j; k < i; k++) if (ctx.descriptors[k].type === 'inv_wait') return false;
    return true;
  }
  // rule 6: nothing behind a wait with FN=1 starts before the wait completes.
  if (earlier.type === 'inv_wait' && earlier.fn) return true;
  return mustFollow(ctx, later.type, earlier.type);
}
