/**
 * The budgets of `check`, `sweep` and `run`, read from their flags. Every search has a
 * budget (states by default, so the same input gives the same answer on every machine;
 * seconds and memory on request, memory always as a safety net), and every budget has a
 * ceiling so that a typo (`--max-states 1e12`) is an error, not a run that never ends.
 */
import { totalmem } from 'node:os';
import type { Command } from 'commander';
import { UsageError } from './io';
import { quote } from './oneLine';
import { DEFAULT_BUDGET } from '../engine/search';
import { defaultMemoryMB } from '../engine/meter';
import type { Budget } from '../engine/types';

export const MAX_STATES = 100_000_000;
export const MAX_SECONDS = 86_400;
export const MIN_MEMORY_MB = 16;

export interface BudgetFlags {
  maxStates?: string;
  maxSeconds?: string;
  maxMemory?: string;
}

function number(text: string | undefined, flag: string, min: number, max: number, integer: boolean): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text.trim());
  if (text.trim() === '' || !Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
    throw new UsageError(`${flag} must be ${integer ? 'a whole number' : 'a number'} from ${min} to ${max} (got '${quote(text)}')`);
  }
  return n;
}

/** The memory ceiling: the machine's memory. */
export function maxMemoryMB(): number {
  return Math.floor(totalmem() / 1024 / 1024);
}

/** The budget the flags ask for; the memory budget is always set (default: defaultMemoryMB). */
export function budgetFromFlags(o: BudgetFlags): Partial<Budget> & { maxMemoryMB: number } {
  const maxStates = number(o.maxStates, '--max-states', 1, MAX_STATES, true);
  const maxSeconds = number(o.maxSeconds, '--max-seconds', 0.001, MAX_SECONDS, false);
  const memory = number(o.maxMemory, '--max-memory', MIN_MEMORY_MB, maxMemoryMB(), true) ?? defaultMemoryMB();
  return {
    ...(maxStates !== undefined ? { maxStates } : {}),
    ...(maxSeconds !== undefined ? { maxMillis: maxSeconds * 1000 } : {}),
    maxMemoryMB: memory,
  };
}

/** The budget options, with their defaults in the help text. */
export function budgetOptions(cmd: Command, seconds = 'budget: seconds before answering inconclusive (default: none)'): Command {
  return cmd
    .option('--max-states <n>', `budget: distinct states before answering inconclusive (default ${DEFAULT_BUDGET.maxStates}, at most ${MAX_STATES})`)
    .option('--max-seconds <s>', `${seconds}; at most ${MAX_SECONDS}`)
    .option('--max-memory <MB>', `budget: memory in MB before answering inconclusive (default: half the machine's memory, at most 4096)`);
}

/** The exit codes, for every command's --help (main.ts). */
export const EXIT_HELP = `
Exit codes: 0 safe (run: every result as expected), 1 unsafe (run: a mismatch),
2 bad input, 3 inconclusive (a budget ran out), 70 internal error.`;
