/**
 * `flushlab merge FILE…`: the shards of one sweep (`flushlab sweep … --shard I/N --json`,
 * shard.ts) put back together and printed exactly as the unsharded sweep prints, text or
 * `--json`, with its exit code. Every shard 1..N of the same sweep must be there, once.
 */
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { UsageError, type Io } from '../io';
import { rowCount, sweepResult, sweepVariables, type SweepRow } from '../../check/sweep';
import { SHARD_FORMAT, shardRange, type ShardFile } from './shard';
import { printSweep } from './sweepOutput';

function readShard(file: string): ShardFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read '${file}': ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new UsageError(`'${file}' is not JSON (expected the output of flushlab sweep --shard I/N --json)`);
  }
  const s = value as Partial<ShardFile> | null;
  if (!s || typeof s !== 'object' || s.format !== SHARD_FORMAT) throw new UsageError(`'${file}' is not a sweep shard (format ${SHARD_FORMAT})`);
  if (!Number.isInteger(s.shard) || !Number.isInteger(s.of) || !Number.isInteger(s.total) || !Number.isInteger(s.first)
    || !Array.isArray(s.rows) || !Array.isArray(s.variables) || !s.scenario || typeof s.scenario !== 'object') {
    throw new UsageError(`'${file}': a sweep shard with missing or mistyped fields`);
  }
  return s as ShardFile;
}

/** The whole sweep's rows from its shards, checked to be one sweep, complete, each shard once. */
export function mergeShards(shards: readonly { file: string; shard: ShardFile }[]): { shard: ShardFile; rows: SweepRow[] } {
  if (shards.length === 0) throw new UsageError('merge: no shard files given');
  const first = shards[0].shard;
  const same = JSON.stringify([first.scenario, first.variables, first.total, first.of]);
  const byIndex = new Map<number, { file: string; shard: ShardFile }>();
  for (const x of shards) {
    if (JSON.stringify([x.shard.scenario, x.shard.variables, x.shard.total, x.shard.of]) !== same) {
      throw new UsageError(`'${x.file}' is a shard of another sweep than '${shards[0].file}'`);
    }
    const seen = byIndex.get(x.shard.shard);
    if (seen) throw new UsageError(`shard ${x.shard.shard}/${x.shard.of} given twice ('${seen.file}', '${x.file}')`);
    byIndex.set(x.shard.shard, x);
  }
  let variables: string[];
  try {
    variables = sweepVariables({ variables: first.variables }, first.scenario.arch);
  } catch (err) {
    throw new UsageError(`'${shards[0].file}': ${(err as Error).message}`);
  }
  if (rowCount(variables) !== first.total) throw new UsageError(`the shards say ${first.total} rows, a sweep over ${variables.join(', ')} has ${rowCount(variables)}`);
  const missing: number[] = [];
  for (let i = 1; i <= first.of; i++) if (!byIndex.has(i)) missing.push(i);
  if (missing.length > 0) throw new UsageError(`missing shard${missing.length > 1 ? 's' : ''} ${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ', …' : ''} of ${first.of}`);
  const rows: SweepRow[] = [];
  for (let i = 1; i <= first.of; i++) {
    const x = byIndex.get(i)!;
    const { from, to } = shardRange(first.total, i, first.of);
    if (x.shard.first !== from || x.shard.rows.length !== to - from) throw new UsageError(`'${x.file}': shard ${i}/${first.of} should hold rows ${from}..${to - 1}`);
    rows.push(...x.shard.rows);
  }
  return { shard: first, rows };
}

export function registerMerge(program: Command, io: Io, setExit: (code: number) => void): void {
  program.command('merge')
    .description('combine the shards of a sweep (sweep … --shard I/N --json) into what the unsharded sweep prints')
    .argument('<file...>', 'shard files, in any order')
    .option('--json', 'print JSON')
    .addHelpText('after', `
Examples:
  flushlab sweep -t slNewDid -s jason --shard 1/2 --json > s1.json
  flushlab sweep -t slNewDid -s jason --shard 2/2 --json > s2.json
  flushlab merge s1.json s2.json`)
    .action((files: string[], o: { json?: boolean }) => {
      const { shard, rows } = mergeShards(files.map((file) => ({ file, shard: readShard(file) })));
      const c = shard.scenario;
      const input = { ...(c.arch === 'smmuv3' ? { arch: c.arch } : {}), from: c.from, to: c.to, strategy: c.strategy, assume: c.assume };
      printSweep(sweepResult(input, c.assume, shard.variables, rows, 0), Boolean(o.json), io, setExit);
    });
}
