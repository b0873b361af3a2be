/**
 * Many answers at once: the verdict matrix (strategies x presets) and the minimal
 * conditions of sweeps, as 72-column text for a mail, Markdown, and HTML for notebooks.
 * Every cell says its verdict in words, so nothing depends on colour.
 */
import type { CheckResult } from '../check/result';
import type { Verdict } from '../engine/types';
import { MAIL_COLUMNS, hanging, padRight, toAscii, wrap } from './plainText';

export interface MatrixCell {
  verdict: Verdict;
  /** Violated properties (unsafe). */
  properties: string[];
  states: number;
  notHitlessByDesign: boolean;
}

export interface VerdictMatrix {
  title: string;
  /** Strategies, top to bottom. */
  rows: string[];
  /** Presets (assumption strings), left to right. */
  columns: string[];
  /** cells[row][column]; undefined where nothing was checked. */
  cells: (MatrixCell | undefined)[][];
}

/** The shape of a sweep's answer (src/check/check.ts, SweepResult). */
export interface SweepLike {
  strategy: string;
  condition: string;
  variables: string[];
  rows: { assumptions: Record<string, boolean | number | string>; verdict: Verdict; states: number }[];
}

/**
 * Arranges check results by strategy (rows, in order of first appearance) and
 * assumption string (columns). A second result for the same cell is refused: a matrix
 * holds one transition.
 */
export function verdictMatrix(results: readonly CheckResult[], title?: string): VerdictMatrix {
  const rows: string[] = [];
  const columns: string[] = [];
  for (const r of results) {
    if (!rows.includes(r.strategy)) rows.push(r.strategy);
    if (!columns.includes(r.assume)) columns.push(r.assume);
  }
  const cells: (MatrixCell | undefined)[][] = rows.map(() => columns.map(() => undefined));
  for (const r of results) {
    const i = rows.indexOf(r.strategy);
    const j = columns.indexOf(r.assume);
    if (cells[i][j]) throw new Error(`verdictMatrix: two results for ${r.strategy} under ${r.assume} (one transition per matrix)`);
    cells[i][j] = {
      verdict: r.verdict,
      properties: [...new Set(r.violations.map((v) => v.property))],
      states: r.states,
      notHitlessByDesign: r.notHitlessByDesign,
    };
  }
  const transitions = [...new Set(results.map((r) => `${r.from} -> ${r.to}`))];
  return { title: title ?? (transitions.length === 1 ? transitions[0] : 'verdicts'), rows, columns, cells };
}

/** A cell in words: `safe`, `safe*`, `unsafe: stale-after-return`, `inconclusive`. */
export function cellText(c: MatrixCell | undefined): string {
  if (!c) return '-';
  if (c.verdict === 'unsafe') return c.properties.length ? `unsafe: ${c.properties.join(', ')}` : 'unsafe';
  if (c.verdict === 'safe' && c.notHitlessByDesign) return 'safe*';
  return c.verdict;
}

const LEGEND_STAR = '* safe, but not hitless by design (the writer clears the present bit)';

// ---------------------------------------------------------------------------------------
// Text

/**
 * The matrix as fixed-width text. Columns that do not fit in one table go to a
 * second table below; a long column name is given a number and spelled out under
 * the table.
 */
export function matrixToText(m: VerdictMatrix, width = MAIL_COLUMNS): string {
  const out: string[] = [...hanging('Verdicts: ', m.title, 2, width), ''];
  const rowW = Math.min(20, Math.max(8, ...m.rows.map((r) => r.length))) + 2;
  const maxCell = 22;
  // Cells may wrap inside their column; a column is as wide as its widest word run.
  const colW = m.columns.map((c, j) => {
    const words = [c.length <= maxCell ? c : '[0]', ...m.rows.map((_, i) => cellText(m.cells[i][j]))];
    return Math.min(maxCell, Math.max(6, ...words.map((w) => w.length))) + 2;
  });
  const notes: string[] = [];
  const chunks: number[][] = [];
  let chunk: number[] = [];
  let used = rowW;
  m.columns.forEach((_, j) => {
    if (chunk.length && used + colW[j] > width) { chunks.push(chunk); chunk = []; used = rowW; }
    chunk.push(j);
    used += colW[j];
  });
  if (chunk.length) chunks.push(chunk);
  for (const cols of chunks) {
    const head = cols.map((j) => {
      const c = toAscii(m.columns[j]);
      if (c.length <= colW[j] - 2) return c;
      notes.push(`[${notes.length + 1}] ${c}`);
      return `[${notes.length}]`;
    });
    out.push(`${padRight('strategy', rowW)}${cols.map((j, k) => padRight(head[k], colW[j])).join('')}`.trimEnd());
    out.push(`${'-'.repeat(rowW - 2)}  ${cols.map((j) => `${'-'.repeat(colW[j] - 2)}  `).join('')}`.trimEnd());
    m.rows.forEach((row, i) => {
      const cellLines = cols.map((j) => wrap(cellText(m.cells[i][j]), colW[j] - 2));
      const rowLines = wrap(row, rowW - 2);
      const height = Math.max(rowLines.length, ...cellLines.map((l) => l.length));
      for (let k = 0; k < height; k++) {
        const line = padRight(rowLines[k] ?? '', rowW) + cols.map((j, c) => padRight(cellLines[c][k] ?? '', colW[j])).join('');
        out.push(line.trimEnd());
      }
    });
    out.push('');
  }
  for (const note of notes) out.push(...hanging('', note, 4, width));
  if (m.cells.some((r) => r.some((c) => c?.verdict === 'safe' && c.notHitlessByDesign))) out.push(...hanging('', LEGEND_STAR, 2, width));
  while (out[out.length - 1] === '') out.pop();
  return `${out.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------
// Markdown

function mdEscape(s: string): string {
  return toAscii(s).replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/([*_`])/g, '\\$1');
}

export function matrixToMarkdown(m: VerdictMatrix): string {
  const out = [`**Verdicts: ${mdEscape(m.title)}**`, ''];
  out.push(`| strategy | ${m.columns.map((c) => `\`${c.replace(/`/g, "'")}\``).join(' | ')} |`);
  out.push(`|---|${m.columns.map(() => '---').join('|')}|`);
  m.rows.forEach((row, i) => {
    const cells = m.columns.map((_, j) => {
      const c = m.cells[i][j];
      const t = mdEscape(cellText(c));
      return c?.verdict === 'unsafe' ? `**${t}**` : t;
    });
    out.push(`| ${mdEscape(row)} | ${cells.join(' | ')} |`);
  });
  if (m.cells.some((r) => r.some((c) => c?.verdict === 'safe' && c.notHitlessByDesign))) out.push('', mdEscape(LEGEND_STAR));
  return `${out.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------
// HTML

export function html(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const CELL_STYLE: Record<Verdict, string> = {
  safe: 'background:#e3f4e1;color:#0b3d0b',
  unsafe: 'background:#fde7e9;color:#7a0016;font-weight:bold',
  inconclusive: 'background:#eee;color:#333;font-style:italic',
};
const TABLE = 'border-collapse:collapse;font-family:monospace;font-size:13px';
const TD = 'border:1px solid #bbb;padding:3px 8px;text-align:left;vertical-align:top;word-break:normal;overflow-wrap:normal';

export function matrixToHtml(m: VerdictMatrix): string {
  const head = m.columns.map((c) => `<th style="${TD}"><code>${html(c)}</code></th>`).join('');
  const body = m.rows.map((row, i) => {
    const cells = m.columns.map((_, j) => {
      const c = m.cells[i][j];
      const style = c ? `${TD};${CELL_STYLE[c.verdict]}` : TD;
      const title = c ? ` title="${html(`${c.verdict}, ${c.states} states`)}"` : '';
      return `<td style="${style}"${title}>${html(cellText(c))}</td>`;
    }).join('');
    return `<tr><th style="${TD}">${html(row)}</th>${cells}</tr>`;
  }).join('\n');
  const star = m.cells.some((r) => r.some((c) => c?.verdict === 'safe' && c.notHitlessByDesign)) ? `\n<p style="font-size:12px">${html(LEGEND_STAR)}</p>` : '';
  return `<table class="flushlab-matrix" style="${TABLE}">\n<caption style="text-align:left;font-weight:bold;padding:4px 0">Verdicts: ${html(m.title)}</caption>\n`
    + `<tr><th style="${TD}">strategy</th>${head}</tr>\n${body}\n</table>${star}\n`;
}

// ---------------------------------------------------------------------------------------
// Sweeps: the minimal condition under which a strategy is safe.

export interface SweepTextOptions {
  /** Title line, e.g. the transition. */
  title?: string;
  /** Also list every combination (2^n rows); default false in text, true in HTML. */
  table?: boolean;
  width?: number;
}

function sweepCounts(s: SweepLike): string {
  const safe = s.rows.filter((r) => r.verdict === 'safe').length;
  const unknown = s.rows.filter((r) => r.verdict === 'inconclusive').length;
  return `safe in ${safe} of ${s.rows.length} combinations${unknown ? `, ${unknown} inconclusive` : ''}`;
}

/** One sweep as text: the condition on one (wrapped) line, then optionally the table. */
export function sweepToText(s: SweepLike, options: SweepTextOptions = {}): string {
  const width = options.width ?? MAIL_COLUMNS;
  const out: string[] = [];
  out.push(...hanging('Sweep: ', `${s.strategy}${options.title ? ` on ${options.title}` : ''}`, 2, width));
  out.push(...hanging('Safe when: ', s.condition, 11, width));
  out.push(...hanging('  ', `(${sweepCounts(s)}; assumptions swept: ${s.variables.join(', ')})`, 3, width));
  if (options.table) {
    // Variables become letters a, b, c ... so that a row fits in a mail line.
    const letters = s.variables.map((_, i) => letter(i));
    out.push('');
    s.variables.forEach((v, i) => out.push(...hanging(`  ${letters[i]}  `, v, 5, width)));
    out.push('');
    // Booleans as 1/0; an enum's value as it is, in a column as wide as its widest value.
    const cell = (x: boolean | number | string): string => (typeof x === 'boolean' ? (x ? '1' : '0') : String(x));
    const colW = letters.map((l, i) => Math.max(l.length, ...s.rows.map((r) => cell(r.assumptions[s.variables[i]]).length)) + 1);
    out.push(`  ${letters.map((l, i) => padRight(l, colW[i])).join('')} verdict        states`);
    for (const row of s.rows) {
      const bits = s.variables.map((v, i) => padRight(cell(row.assumptions[v]), colW[i])).join('');
      out.push(`  ${bits} ${padRight(row.verdict, 14)} ${row.states}`);
    }
  }
  return `${out.map((l) => l.trimEnd()).join('\n')}\n`;
}

function letter(i: number): string {
  const a = 'abcdefghijklmnopqrstuvwxyz';
  return i < 26 ? a[i] : `${a[Math.floor(i / 26) - 1]}${a[i % 26]}`;
}

/** Several sweeps (one per strategy) as a two-column table: strategy, safe when. */
export function sweepsToText(sweeps: readonly SweepLike[], options: SweepTextOptions = {}): string {
  const width = options.width ?? MAIL_COLUMNS;
  const out: string[] = [];
  if (options.title) out.push(...hanging('Minimal conditions: ', options.title, 2, width), '');
  const rowW = Math.min(18, Math.max(8, ...sweeps.map((s) => s.strategy.length))) + 2;
  out.push(`${padRight('strategy', rowW)}safe when`);
  out.push(`${'-'.repeat(rowW - 2)}  ${'-'.repeat(Math.min(40, width - rowW))}`);
  for (const s of sweeps) {
    const head = padRight(s.strategy, rowW);
    out.push(...hanging(head.length > rowW ? `${s.strategy} ` : head, s.condition, rowW + 2, width));
  }
  return `${out.map((l) => l.trimEnd()).join('\n')}\n`;
}

export function sweepsToMarkdown(sweeps: readonly SweepLike[], options: SweepTextOptions = {}): string {
  const out: string[] = [];
  if (options.title) out.push(`**Minimal conditions: ${mdEscape(options.title)}**`, '');
  out.push('| strategy | safe when | combinations |', '|---|---|---|');
  for (const s of sweeps) out.push(`| ${mdEscape(s.strategy)} | \`${s.condition.replace(/`/g, "'")}\` | ${mdEscape(sweepCounts(s))} |`);
  return `${out.join('\n')}\n`;
}

export function sweepsToHtml(sweeps: readonly SweepLike[], options: SweepTextOptions = {}): string {
  const rows = sweeps.map((s) => {
    const table = options.table === false ? '' : sweepTableHtml(s);
    return `<tr><th style="${TD}">${html(s.strategy)}</th><td style="${TD}"><code>${html(s.condition)}</code>`
      + `<div style="font-size:11px;color:#555">${html(sweepCounts(s))}</div>${table}</td></tr>`;
  }).join('\n');
  const caption = options.title ? `<caption style="text-align:left;font-weight:bold;padding:4px 0">Minimal conditions: ${html(options.title)}</caption>\n` : '';
  return `<table class="flushlab-sweep" style="${TABLE}">\n${caption}<tr><th style="${TD}">strategy</th><th style="${TD}">safe when</th></tr>\n${rows}\n</table>\n`;
}

/**
 * Above this many rows the fold does not list them: a full sweep has 4,608 rows, and
 * a notebook showing a few dozen sweeps would weigh hundreds of MB (an exported page
 * must stay under 2 MB). The condition says the same thing; the rows stay in the data.
 */
export const SWEEP_HTML_ROWS = 256;

function sweepTableHtml(s: SweepLike): string {
  if (s.rows.length > SWEEP_HTML_ROWS) {
    return `<div style="font-size:11px;color:#555">every combination (${s.rows.length}): too many to list here; `
      + 'the sweep\'s <code>rows</code> hold them, and <code>flushlab sweep ... --json</code> prints them</div>';
  }
  const head = s.variables.map((v) => `<th style="${TD}"><code>${html(v)}</code></th>`).join('');
  const body = s.rows.map((r) => {
    const bits = s.variables.map((v) => `<td style="${TD}">${html(String(r.assumptions[v]))}</td>`).join('');
    return `<tr>${bits}<td style="${TD};${CELL_STYLE[r.verdict]}">${r.verdict}</td><td style="${TD}">${r.states}</td></tr>`;
  }).join('');
  return `<details><summary style="font-size:11px">every combination (${s.rows.length})</summary>`
    + `<table style="${TABLE}"><tr>${head}<th style="${TD}">verdict</th><th style="${TD}">states</th></tr>${body}</table></details>`;
}
