/**
 * `flushlab sweep … --shard I/N --json`: rows of one sweep, cut into N contiguous ranges
 * by row number, computed for range I only, so a large sweep can run as N independent jobs
 * on any batch system (a CI matrix, Slurm array jobs, `xargs -P` over ssh). `flushlab
 * merge` (merge.ts) puts the shards back together. A row's answer does not depend on
 * which other rows ran (check/sweep.ts sweepRows), so merged shards are the sweep.
 */
import { EXIT, UsageError, type Io } from '../io';
import { rowCount } from '../../check/sweep';
import { sweepRange, type ParallelSweepOptions } from '../../check/parallel';
import type { ScenarioInput } from '../../check/result';
import type { SweepRow } from '../../check/sweep';

/** Format tag of a shard file: merge refuses anything else. */
export const SHARD_FORMAT = 'flushlab-sweep-shard/1';

/** Most shards a sweep may be cut into. */
const MAX_SHARDS = 100_000;

export interface ShardFile {
  format: typeof SHARD_FORMAT;
  /** 1-based shard index and shard count. */
  shard: number;
  of: number;
  /** The sweep: the scenario as given, and the variables swept. */
  /** `arch` only for smmuv3 (a VT-d shard is as it was before SMMUv3). */
  scenario: { arch?: 'smmuv3'; from: string; to: string; strategy: string; assume: string; requests: number | null; dmas: number | null; pasid: number | null; cold: boolean };
  variables: string[];
  /** Rows in the whole sweep, and the row number of this shard's first row. */
  total: number;
  first: number;
  rows: SweepRow[];
}

/** `I/N` with 1 <= I <= N. */
export function parseShard(text: string): { index: number; of: number } {
  const m = /^([0-9]{1,6})\/([0-9]{1,6})$/.exec(text);
  const index = m ? Number(m[1]) : NaN;
  const of = m ? Number(m[2]) : NaN;
  if (!(of >= 1 && of <= MAX_SHARDS && index >= 1 && index <= of)) throw new UsageError(`--shard must be I/N with 1 <= I <= N <= ${MAX_SHARDS}, not '${text.slice(0, 40)}'`);
  return { index, of };
}

/** The rows of shard `index` of `of`: contiguous, as even as whole rows allow. */
export function shardRange(total: number, index: number, of: number): { from: number; to: number } {
  return { from: Math.floor((total * (index - 1)) / of), to: Math.floor((total * index) / of) };
}

export async function runShard(input: ScenarioInput, variables: string[], shard: { index: number; of: number }, options: ParallelSweepOptions, io: Io, setExit: (code: number) => void): Promise<void> {
  const total = rowCount(variables);
  const { from, to } = shardRange(total, shard.index, shard.of);
  const rows = await sweepRange(input, { ...options, variables }, from, to);
  setExit(rows.some((r) => r.verdict === 'inconclusive') ? EXIT.inconclusive : EXIT.ok);
  const out: ShardFile = {
    format: SHARD_FORMAT, shard: shard.index, of: shard.of,
    scenario: {
      ...(input.arch === 'smmuv3' ? { arch: 'smmuv3' as const } : {}),
      from: input.from, to: input.to, strategy: input.strategy as string, assume: input.assume ?? 'spec',
      requests: input.requests ?? null, dmas: input.dmas ?? null, pasid: input.pasid ?? null, cold: Boolean(input.cold),
    },
    variables, total, first: from, rows,
  };
  io.out(JSON.stringify(out, null, 2));
}
