/**
 * Sweeps on worker threads. The rows of a sweep are independent checks, so many sweeps
 * (e.g. every strategy over the standard transitions) are cut into row ranges that worker
 * threads take one at a time as they come free. The answer is the same as running
 * `sweepScenario` on each input in turn, row for row and byte for byte (except `millis`):
 * every row is checked by the same deterministic code wherever it runs, and a row answered
 * from a memo gets exactly the answer its own check would give (sweep.ts RowMemo). Rows are
 * put back in counting order by index, never in the order they finish.
 *
 * The worker module is src/check/sweepWorker.ts: plain JavaScript from dist/ in the
 * published build; under tsx (tests, `npm run bench`) it is loaded through tsx's require
 * hook, since a worker thread's entry file does not go through the parent's loader.
 *
 * Worth it when there are many rows of real checks: starting a worker costs a few tens of
 * milliseconds from dist/ and several hundred under tsx (it compiles the model again).
 */
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { extname, join } from 'node:path';
import { assignmentOf, rowCount, sweepResult, sweepRows, sweepScenario, sweepVariables, toRow, type RowAnswer, type SweepOptions, type SweepResult, type SweepRow } from './sweep';
import type { ScenarioInput } from './result';
import type { FromWorker, ToWorker } from './sweepWorker';

export interface ParallelSweepOptions extends SweepOptions {
  /** Worker threads (default: the machine's available parallelism). 1 = in this thread. */
  workers?: number;
  /** Rows per task handed to a worker (default 32). */
  chunk?: number;
  /** Called as rows complete, over all the sweeps. */
  onRows?: (done: number, total: number) => void;
}

/** Least memory budget a worker thread is given; a smaller budget means fewer workers. */
export const MIN_WORKER_MB = 256;

/**
 * Workers share the memory budget: each gets an equal part (and a V8 heap of that size,
 * so a worker that would outgrow it ends its check as inconclusive, meter.ts), and there
 * are only as many workers as parts of at least MIN_WORKER_MB.
 */
export function workerShare(workers: number, memoryMB: number | undefined): { workers: number; memoryMB: number | undefined } {
  if (memoryMB === undefined) return { workers, memoryMB };
  const n = Math.max(1, Math.min(workers, Math.floor(memoryMB / MIN_WORKER_MB)));
  return { workers: n, memoryMB: n === 1 ? memoryMB : Math.floor(memoryMB / n) };
}

function startWorker(memoryMB: number | undefined): Worker {
  const file = join(__dirname, `sweepWorker${extname(__filename)}`);
  const resourceLimits = memoryMB === undefined ? undefined : { maxOldGenerationSizeMb: memoryMB };
  if (file.endsWith('.ts')) {
    // Under tsx: register its require hook in the worker, then load the module.
    const tsx = require.resolve('tsx/cjs');
    return new Worker(`require(${JSON.stringify(tsx)}); require(${JSON.stringify(file)});`, { eval: true, resourceLimits });
  }
  return new Worker(file, { resourceLimits });
}

/** Sweeps every input over the same variables, on worker threads; results in input order. */
export async function sweepMany(inputs: readonly ScenarioInput[], options: ParallelSweepOptions = {}): Promise<SweepResult[]> {
  // One set of variables for every input (default: the first input's arch's), each arch's own.
  const variables = sweepVariables(options, inputs[0]?.arch);
  for (const input of inputs.slice(1)) sweepVariables({ variables }, input.arch);
  const total = rowCount(variables);
  const chunk = Math.max(1, options.chunk ?? 32);
  const share = workerShare(Math.min(options.workers ?? availableParallelism(), Math.ceil((inputs.length * total) / chunk)), options.budget?.maxMemoryMB);
  if (share.workers <= 1) {
    let done = 0;
    return inputs.map((input) => sweepScenario(input, {
      ...options,
      onProgress: () => options.onRows?.(++done, inputs.length * total),
    }));
  }
  const millis = inputs.map(() => 0);
  const answers = await answerRows(inputs, variables, options, share, 0, total, millis);
  return inputs.map((input, i) => {
    const rows: SweepRow[] = answers[i].map((a, r) => toRow(assignmentOf(variables, r), a));
    return sweepResult(input, input.assume ?? 'spec', variables, rows, Math.round(millis[i]));
  });
}

/**
 * Rows from..to-1 of one input's sweep (a shard), on worker threads when `workers` > 1:
 * the same rows, row for row, as those of the whole sweep (sweep.ts sweepRows).
 */
export async function sweepRange(input: ScenarioInput, options: ParallelSweepOptions, from: number, to: number): Promise<SweepRow[]> {
  const variables = sweepVariables(options, input.arch);
  const chunk = Math.max(1, options.chunk ?? 32);
  const share = workerShare(Math.min(options.workers ?? availableParallelism(), Math.ceil((to - from) / chunk)), options.budget?.maxMemoryMB);
  if (share.workers <= 1) return sweepRows(input, input.assume ?? 'spec', variables, options, from, to);
  const [answers] = await answerRows([input], variables, options, share, from, to, [0]);
  const rows: SweepRow[] = [];
  for (let r = from; r < to; r++) rows.push(toRow(assignmentOf(variables, r), answers[r]));
  return rows;
}

/** Rows from..to-1 of every input's sweep, answered by a pool of worker threads; answers[input][row]. */
async function answerRows(inputs: readonly ScenarioInput[], variables: string[], options: ParallelSweepOptions,
  share: { workers: number; memoryMB: number | undefined }, from0: number, to0: number, millis: number[]): Promise<RowAnswer[][]> {
  const total = rowCount(variables);
  const chunk = Math.max(1, options.chunk ?? 32);
  const workers = share.workers;
  const { onProgress: _p, onRows: _r, workers: _w, chunk: _c, variables: _v, ...rest } = options;
  const checkOptions = { ...rest, budget: { ...rest.budget, maxMemoryMB: share.memoryMB } };
  const sweeps = inputs.map((input) => ({ input, base: input.assume ?? 'spec', variables }));
  const tasks: Extract<ToWorker, { kind: 'rows' }>[] = [];
  sweeps.forEach((_, sweep) => {
    for (let from = from0; from < to0; from += chunk) tasks.push({ kind: 'rows', task: tasks.length, sweep, from, to: Math.min(to0, from + chunk) });
  });
  const answers: RowAnswer[][] = sweeps.map(() => new Array<RowAnswer>(total));
  let next = 0;
  let done = 0;
  const pool = Array.from({ length: workers }, () => startWorker(share.memoryMB));
  try {
    await new Promise<void>((resolve, reject) => {
      let running = 0;
      const give = (w: Worker): void => {
        if (next >= tasks.length) {
          if (running === 0) resolve();
          return;
        }
        running++;
        w.postMessage(tasks[next++]);
      };
      for (const w of pool) {
        w.on('error', reject);
        w.on('message', (msg: FromWorker) => {
          running--;
          if (msg.kind === 'error') {
            reject(new Error(`sweep worker: ${msg.message}`));
            return;
          }
          const t = tasks[msg.task];
          msg.answers.forEach((a, i) => { answers[t.sweep][t.from + i] = a; });
          millis[t.sweep] += msg.millis;
          done += msg.answers.length;
          options.onRows?.(done, tasks.length === 0 ? 0 : inputs.length * total);
          give(w);
        });
        w.postMessage({ kind: 'sweeps', sweeps, options: checkOptions } satisfies ToWorker);
        give(w);
      }
    });
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
  return answers;
}
