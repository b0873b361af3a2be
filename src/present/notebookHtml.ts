/**
 * HTML pieces for notebook output, so that no notebook cell builds HTML by hand or keeps
 * its own escape function: a table (text escaped, code in monospace), a figure with its
 * 72-column text behind a fold, and the styles that keep words whole.
 *
 * Words never wrap in the middle: Jupyter's output area may set `word-break: break-all`
 * on preformatted text and narrow tables; every piece here sets `word-break: normal` and
 * `overflow-wrap: normal`, keeps preformatted text and code unwrapped (`white-space: pre`,
 * `nowrap`), and scrolls sideways (`overflow-x: auto`) instead of breaking a line.
 */
import { html } from './matrix';
import { toAscii } from './plainText';

export { html };

/** Styles, inline (an exported notebook keeps inline styles; no style sheet is fetched). */
const WHOLE_WORDS = 'word-break:normal;overflow-wrap:normal;hyphens:none';
export const PRE_STYLE = `font-size:12px;line-height:1.3;white-space:pre;overflow-x:auto;${WHOLE_WORDS}`;
const CELL_STYLE = `text-align:left;vertical-align:top;padding:2px 8px;${WHOLE_WORDS}`;
const SCROLL = 'overflow-x:auto;max-width:100%';

/**
 * A table cell: plain text (escaped), `{ code }` (monospace, never wrapped), or `{ html }`
 * (markup the caller built from flushlab's own renderers, e.g. an entity like `&rarr;`).
 */
export type Cell = string | number | boolean | { code: string } | { html: string };

function cellHtml(c: Cell): string {
  if (typeof c === 'object') return 'code' in c ? `<code style="white-space:nowrap">${html(c.code)}</code>` : c.html;
  return html(String(c));
}

function cellText(c: Cell): string {
  if (typeof c === 'object') return 'code' in c ? c.code : c.html.replace(/<[^>]*>/g, '').replace(/&rarr;/g, '->').replace(/&ndash;/g, '-').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>');
  return String(c);
}

/** An HTML table, left-aligned, that scrolls sideways rather than break a word. */
export function htmlTable(head: readonly Cell[], rows: readonly (readonly Cell[])[]): string {
  const th = head.map((h) => `<th style="${CELL_STYLE}">${cellHtml(h)}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((c) => `<td style="${CELL_STYLE}">${cellHtml(c)}</td>`).join('')}</tr>`).join('');
  return `<div class="flushlab-table" style="${SCROLL}"><table style="font-size:12px;border-collapse:collapse">`
    + `<thead><tr>${th}</tr></thead><tbody>${body}</tbody></table></div>`;
}

/** The same table as text (outside a kernel), columns padded, ASCII. */
export function textTable(head: readonly Cell[], rows: readonly (readonly Cell[])[]): string {
  const all = [head, ...rows].map((r) => r.map((c) => toAscii(cellText(c))));
  const widths = head.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  return `${all.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ').trimEnd()).join('\n')}\n`;
}

/**
 * A figure (SVG) drawn once, and each text behind its own fold: a counterexample's
 * 72-column text for a mail, or a chart's table.
 */
export function figureWithFolds(svg: string, folds: readonly { summary: string; text: string }[]): string {
  // The class alone: notebook tests and readers look for `<div class="flushlab-svg"><svg`.
  const parts = [`<div class="flushlab-svg">${svg}</div>`];
  for (const f of folds) parts.push(`<details><summary>${html(f.summary)}</summary><pre style="${PRE_STYLE}">${html(f.text)}</pre></details>`);
  return parts.join('\n');
}
