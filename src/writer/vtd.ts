/**
 * The VT-d scalable-mode PASID entry as the entry_sync writer of patch 2/8 sees it
 * (LuBaolu/intel-iommu pasid.c @ 12e5428dbeb7, `intel_pasid_write`): 512 bits written as
 * four 128-bit quanta (`entry_sync_writer128`, stores via cmpxchg128_local), P in quanta 0,
 * used bits from `intel_pasid_get_used`, no update-safe hook.
 *
 * Quanta 0 = val[0..1]: P, FPD, AW, PGTT, SSADE, SSPTPTR, DID, PWSNP, PGSNP.
 * Quanta 1 = val[2..3]: SRE, FSPM, WPE, EAFE, FSPTPTR. Quanta 2, 3 are never used.
 * So a change of DID together with SSPTPTR is one atomic store (hitless), while DID together
 * with FSPTPTR spans two quanta (the V-cleared path).
 */
import { PASID_ENTRY_QUANTA, PASID_ENTRY_WORDS, pasidEntryUsedBits } from '../formats/pasidEntry';
import type { EntryFormat } from './writer';

export const vtdPasidFormat: EntryFormat = {
  name: 'vtd-pasid',
  quantumBits: PASID_ENTRY_QUANTA.quantumBits,
  numQuanta: PASID_ENTRY_QUANTA.numQuanta,
  vbitQuantum: PASID_ENTRY_QUANTA.vbitQuantum,
  // P is val[0] bit 0 (pasid_set_present).
  vbitMask: [1n, ...new Array<bigint>(PASID_ENTRY_WORDS - 1).fill(0n)],
  getUsed: pasidEntryUsedBits,
};
