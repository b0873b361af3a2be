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
 * of type `later` starts? (The flag is read only where it can matter.)
 */
function mustFollow(ctx: Pick<ModelSetup, 'hw'>, later: Type, earlier: Type): boolean {
  switch (later) {
    case 'pc_inv': return earlier === 'cc_inv'; // rule 1
    case 'iotlb_inv':
    case 'p_iotlb_inv': return earlier === 'cc_inv' || earlier === 'pc_inv'; // rule 2
    // rule 3 (dev_tlb after iotlb and iec) / rule 4 (p_dev_tlb after iotlb, p_iotlb, iec);
    // pc_inv is not in the list — `devtlb-after-pc-inv` adds it.
    case 'dev_tlb_inv': return earlier === 'iotlb_inv' || (earlier === 'pc_inv' && ctx.hw.devtlbAfterPcInv);
    case 'p_dev_tlb_inv': return earlier === 'iotlb_inv' || earlier === 'p_iotlb_inv' || (earlier === 'pc_inv' && ctx.hw.devtlbAfterPcInv);
    default: return false;
  }
}

/**
 * Does descriptor `earlier`, ahead of `later` in the queue and not complete, keep `later`
 * from starting? (Fixed per pair: the footprints use it to know which statuses a
 * descriptor's start depends on.)
 */
export function blocks(ctx: Pick<ModelSetup, 'hw'>, earlier: Descriptor, later: Descriptor): boolean {
  // rule 5: a wait completes only after every descriptor ahead of it.
  if (later.type === 'inv_wait') return true;
  // rule 6: nothing behind a wait with FN=1 starts before the wait completes.
  if (earlier.type === 'inv_wait' && earlier.fn) return true;
  return mustFollow(ctx, later.type, earlier.type);
}
