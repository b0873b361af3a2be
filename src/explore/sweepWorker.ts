/**
 * A worker thread of `sweepMany` (parallel.ts): checks the sweep rows it is sent and sends
 * back their answers. One RowMemo per sweep for the worker's life: rows a worker has
 * already answered are reused exactly as in a sequential sweep (the answers do not depend
 * on which worker, or whether a memo, produced them).
 */
import { parentPort } from 'node:worker_threads';
import { RowMemo, assignmentOf, checkRow, type RowAnswer } from './sweep';
import type { CheckOptions } from './check';
import type { ScenarioInput } from './result';

/** What the coordinator sends: the sweeps once, then row ranges to check. */
export type ToWorker =
  | { kind: 'sweeps'; sweeps: { input: ScenarioInput; base: string; variables: string[] }[]; options: CheckOptions & { deadline?: number } }
  | { kind: 'rows'; task: number; sweep: number; from: number; to: number };

export type FromWorker =
  | { kind: 'rows'; task: number; answers: RowAnswer[]; millis: number }
  | { kind: 'error'; task: number; message: string };

let sweeps: Extract<ToWorker, { kind: 'sweeps' }>['sweeps'] = [];
let options: CheckOptions & { deadline?: number } = {};
const memos = new Map<number, RowMemo>();

function answer(msg: Extract<ToWorker, { kind: 'rows' }>): FromWorker {
  const started = performance.now();
  const { input, base, variables } = sweeps[msg.sweep];
  let memo = memos.get(msg.sweep);
  if (!memo) memos.set(msg.sweep, (memo = new RowMemo()));
  const answers: RowAnswer[] = [];
  for (let r = msg.from; r < msg.to; r++) {
    const assignment = assignmentOf(variables, r);
    const known = memo.answer(assignment);
    answers.push(known ?? memo.remember(assignment, checkRow(input, base, variables, assignment, options)));
  }
  return { kind: 'rows', task: msg.task, answers, millis: performance.now() - started };
}

parentPort!.on('message', (msg: ToWorker) => {
  if (msg.kind === 'sweeps') {
    sweeps = msg.sweeps;
    options = msg.options;
    memos.clear();
    return;
  }
  let reply: FromWorker;
  try {
    reply = answer(msg);
  } catch (e) {
    reply = { kind: 'error', task: msg.task, message: e instanceof Error ? e.stack ?? e.message : String(e) };
  }
  parentPort!.postMessage(reply);
});
