/**
 * A counterexample or a run, as the presentation layer sees it: no search internals, no
 * state numbers; every step named by its actor with what changed.
 */

/** One lifeline per hardware part, in the order they are drawn left to right. */
export const LANES = ['driver', 'memory', 'queue', 'pasid-cache', 'iotlb', 'walker', 'link', 'device'] as const;
export type Lane = (typeof LANES)[number];

export const LANE_TITLES: Record<Lane, string> = {
  driver: 'CPU/driver',
  memory: 'Memory',
  queue: 'Inv. queue',
  'pasid-cache': 'PASID cache',
  iotlb: 'IOTLB',
  walker: 'Walker',
  link: 'PCIe link',
  device: 'Device ATC',
};

export interface TraceStep {
  /** 1-based position in the trace. */
  index: number;
  /** The part that takes the step. */
  lane: Lane;
  /** Actor and parameters, e.g. "IOMMU: P_IOTLB PASID-selective DID=5 PASID=0x10 done". */
  text: string;
  /** Only what changed, one short phrase each, e.g. "IOTLB -= {PASID 0x10 page 0 -> old}". */
  changes: string[];
  /**
   * When the step sends or receives a message over the PCIe link (or between other
   * parts), the message id pairs the send with its receive so a diagram can draw one
   * slanted arrow; a message overtaking another is then visible as crossing arrows.
   */
  message?: { id: string; kind: 'send' | 'receive'; peer: Lane; label: string };
}

export interface Trace {
  /** Scenario name (stable, used in file names and result blocks). */
  title: string;
  /** Another architecture's names for some lanes (SMMUv3: the configuration cache, the TLB, the command queue). */
  laneTitles?: Partial<Record<Lane, string>>;
  steps: TraceStep[];
  /** Where and why the property failed, in one sentence. */
  violation?: { property: string; step: number; reason: string };
}
