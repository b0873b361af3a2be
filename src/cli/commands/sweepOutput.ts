/**
 * How `flushlab sweep` prints a finished sweep, text or JSON, and its exit code: one place,
 * so `flushlab merge` prints the merged shards exactly as the unsharded sweep would.
 */
import { EXIT, type Io } from '../io';
import type { SweepResult } from '../../check/sweep';
import { sweepToText } from '../../present/matrix';
import type { SweepRow } from '../../check/sweep';
import { MAIL_COLUMNS, hanging } from '../../present/plainText';

const SHOWN_ROWS = 16;

/**
 * Which rows of a sweep a budget left open: each as its bits in the order of the variables
 * (1/0), or, when an enum is swept, as its values joined by '/' (booleans still 1/0).
 */
export function inconclusiveRows(variables: readonly string[], rows: readonly SweepRow[]): string {
  const allBoolean = rows.every((row) => variables.every((v) => typeof row.assumptions[v] === 'boolean'));
  const cell = (x: unknown): string => (typeof x === 'boolean' ? (x ? '1' : '0') : String(x));
  const shown = rows.map((row) => variables.map((v) => cell(row.assumptions[v])).join(allBoolean ? '' : '/'));
  const more = shown.length > SHOWN_ROWS ? ` (and ${shown.length - SHOWN_ROWS} more)` : '';
  const as = allBoolean ? 'as bits of' : 'as values of';
  return hanging('Inconclusive: ', `${rows.length} row${rows.length === 1 ? '' : 's'} (a budget ran out), ${as} ${variables.join(', ')}: ${shown.slice(0, SHOWN_ROWS).join(' ')}${more}`, 2, MAIL_COLUMNS).join('\n');
}

export function printSweep(r: SweepResult, json: boolean, io: Io, setExit: (code: number) => void): void {
  // The code first (io.ts): a sweep with an inconclusive row answers nothing for sure.
  const open = r.rows.filter((row) => row.verdict === 'inconclusive');
  setExit(open.length > 0 ? EXIT.inconclusive : EXIT.ok);
  if (json) {
    io.out(JSON.stringify({ strategy: r.strategy, from: r.from, to: r.to, base: r.base, variables: r.variables, condition: r.condition, states: r.states, rows: r.rows }, null, 2));
  } else {
    io.out(sweepToText(r));
    if (open.length > 0) io.out(inconclusiveRows(r.variables, open));
  }
}
