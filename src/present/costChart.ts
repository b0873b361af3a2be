/**
 * What an update costs, per strategy and transition, as a small SVG bar chart and as a
 * 72-column text table for a mail. One panel per measure (descriptors, waits,
 * submissions, ATS round trips, VM exits under caching mode), each bar labelled with its
 * number, so the chart reads without colour and every panel has its own scale.
 *
 * The figures come from the driver's compiled program (`Cost`), which is fixed before
 * any search: what a strategy costs does not depend on the interleaving.
 */
import type { Cost } from '../check/result';
import { MAIL_COLUMNS, hanging, padLeft, padRight, toAscii } from './plainText';

/** The measures a chart or table can show. */
export type CostMeasure = 'descriptors' | 'invalidations' | 'waits' | 'submissions' | 'atsRoundTrips' | 'traps' | 'syncs' | 'clflushes';

/** Titles: long for the chart panels, short for a text column, and what it counts. */
export const COST_MEASURES: Readonly<Record<CostMeasure, { title: string; short: string; meaning: string }>> = {
  descriptors: { title: 'descriptors', short: 'desc', meaning: 'descriptors submitted, wait descriptors included' },
  invalidations: { title: 'invalidations', short: 'inv', meaning: 'invalidation descriptors (waits not counted)' },
  waits: { title: 'waits', short: 'waits', meaning: 'wait descriptors the driver spins on' },
  submissions: { title: 'submissions', short: 'subm', meaning: 'tail-register writes (qi_submit_sync calls)' },
  atsRoundTrips: { title: 'ATS round trips', short: 'ATS', meaning: 'Device-TLB invalidations: one Invalidate Request/Completion each' },
  traps: { title: 'VM exits (CM=1)', short: 'exits', meaning: 'submissions under caching mode (a virtual IOMMU traps each tail write)' },
  syncs: { title: 'writer syncs', short: 'syncs', meaning: 'entry_sync sync() calls' },
  clflushes: { title: 'clflushes', short: 'clfl', meaning: 'cache-line flushes (IOMMU not coherent)' },
};

/** The default measures, in the order the thread argues about them. */
export const DEFAULT_COST_MEASURES: readonly CostMeasure[] = ['descriptors', 'waits', 'submissions', 'atsRoundTrips', 'traps'];

export interface CostRow {
  /** Row label, e.g. the strategy. */
  label: string;
  /** Rows with the same group are drawn under one heading (e.g. the transition). */
  group?: string;
  /** The cost of one update (CheckResult.cost, or compileProgram(...).cost). */
  cost: Cost;
  /** The same update under caching mode (assumption caching-mode=true); needed for `traps`. */
  cachingModeCost?: Cost;
}

export interface CostChartOptions {
  title?: string;
  measures?: readonly CostMeasure[];
}

/** One measure of one row. */
export function costValue(row: CostRow, measure: CostMeasure): number {
  const c = row.cost;
  switch (measure) {
    case 'descriptors': return Object.values(c.descriptors).reduce((s, k) => s + k, 0);
    case 'invalidations': return Object.entries(c.descriptors).reduce((s, [t, k]) => s + (t === 'inv_wait' ? 0 : k), 0);
    case 'waits': return c.waits;
    case 'submissions': return c.submissions;
    case 'atsRoundTrips': return c.devtlbInvalidations;
    case 'syncs': return c.syncs;
    case 'clflushes': return c.clflushes;
    case 'traps':
      if (!row.cachingModeCost) throw new Error(`cost row '${row.label}': 'traps' needs cachingModeCost (the cost with caching-mode=true)`);
      return row.cachingModeCost.submissions;
  }
}

function measuresOf(options: CostChartOptions, rows: readonly CostRow[]): CostMeasure[] {
  const measures = [...(options.measures ?? DEFAULT_COST_MEASURES)];
  for (const m of measures) if (!(m in COST_MEASURES)) throw new Error(`unknown cost measure '${m}' (one of ${Object.keys(COST_MEASURES).join(', ')})`);
  if (measures.length === 0) throw new Error('cost chart: no measures');
  if (rows.length === 0) throw new Error('cost chart: no rows');
  return measures;
}

/** Rows in order, a group heading before the first row of each group. */
function layout(rows: readonly CostRow[]): ({ heading: string } | { row: CostRow })[] {
  const out: ({ heading: string } | { row: CostRow })[] = [];
  let group: string | undefined;
  for (const row of rows) {
    if (row.group !== undefined && row.group !== group) out.push({ heading: row.group });
    group = row.group;
    out.push({ row });
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// SVG

const FONT = "font-family=\"'DejaVu Sans Mono', Menlo, Consolas, monospace\"";
const CHAR = 7.23; // 12px DejaVu Sans Mono advance
const PAD = 14;
const ROW = 18;
const BAR = 11;
const PANEL = 150; // bar area of one panel
const NUMBER_ROOM = 4 * CHAR;
const COLORS = { ink: '#111', grey: '#666', bar: '#1d4f91', zero: '#9a9a9a', band: '#f3f3f3', rule: '#ccc' };

function num(x: number): string {
  return (Math.round(x * 10) / 10).toString();
}

function xml(s: string): string {
  return toAscii(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * The rows as an SVG chart: one panel per measure (its own scale), one bar per row, the
 * number written at the end of every bar; group headings span the chart.
 */
export function costChart(rows: readonly CostRow[], options: CostChartOptions = {}): string {
  const measures = measuresOf(options, rows);
  const items = layout(rows);
  const indent = rows.some((r) => r.group !== undefined) ? 2 : 0;
  const labelW = (Math.max(...rows.map((r) => toAscii(r.label).length + indent), 8) + 1) * CHAR;
  const panelW = PANEL + NUMBER_ROOM + 16;
  const x0 = PAD + labelW;
  // At least as wide as the legend line under the panels.
  const width = Math.max(x0 + panelW * measures.length + PAD, 2 * PAD + 80 * 6.02);
  const title = options.title ?? 'Cost of one update';
  const titleY = PAD + 14;
  const headY = titleY + 26;
  const top = headY + 14;
  const height = top + items.length * ROW + 34;
  const max = measures.map((m) => Math.max(1, ...rows.map((r) => costValue(r, m))));
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="flushlab-cost-chart" width="${num(width)}" height="${num(height)}" viewBox="0 0 ${num(width)} ${num(height)}" role="img" aria-label="${xml(title)}" ${FONT} font-size="12">\n`,
    `<title>${xml(title)}</title>\n`,
    `<rect width="100%" height="100%" fill="#fff"/>\n`,
    `<text class="title" x="${PAD}" y="${titleY}" font-size="14" font-weight="bold" fill="${COLORS.ink}">${xml(title)}</text>\n`,
  ];
  measures.forEach((m, j) => {
    const px = x0 + j * panelW;
    out.push(`<text class="measure" x="${num(px)}" y="${headY}" font-weight="bold" fill="${COLORS.ink}">${xml(COST_MEASURES[m].title)}</text>\n`);
    out.push(`<line class="axis" x1="${num(px)}" y1="${top - 2}" x2="${num(px)}" y2="${num(top + items.length * ROW)}" stroke="${COLORS.rule}"/>\n`);
  });
  items.forEach((item, i) => {
    const y = top + i * ROW;
    if ('heading' in item) {
      out.push(`<rect class="group-band" x="${PAD}" y="${y}" width="${num(width - 2 * PAD)}" height="${ROW}" fill="${COLORS.band}"/>`
        + `<text class="group" x="${PAD + 2}" y="${y + 13}" font-weight="bold" fill="${COLORS.ink}">${xml(item.heading)}</text>\n`);
      return;
    }
    const row = item.row;
    let g = `<g class="row" data-label="${xml(row.label)}"${row.group !== undefined ? ` data-group="${xml(row.group)}"` : ''}>`;
    g += `<text class="label" x="${num(PAD + indent * CHAR)}" y="${y + 13}" fill="${COLORS.ink}">${xml(row.label)}</text>`;
    measures.forEach((m, j) => {
      const v = costValue(row, m);
      const px = x0 + j * panelW;
      const w = (v / max[j]) * PANEL;
      g += `<rect class="bar" data-measure="${m}" data-value="${v}" x="${num(px)}" y="${num(y + (ROW - BAR) / 2)}" width="${num(Math.max(w, v > 0 ? 2 : 0))}" height="${BAR}" fill="${COLORS.bar}"/>`;
      g += `<text class="value" x="${num(px + w + 4)}" y="${y + 13}" fill="${v > 0 ? COLORS.ink : COLORS.zero}">${v}</text>`;
    });
    out.push(`${g}</g>\n`);
  });
  out.push(`<text class="legend" x="${PAD}" y="${num(height - 14)}" font-size="10" fill="${COLORS.grey}">Per update. Each panel has its own scale; the number at each bar is the count.</text>\n`);
  out.push('</svg>\n');
  return out.join('');
}

// ---------------------------------------------------------------------------------------
// Text

/**
 * The rows as a fixed-width table for a mail (ASCII, at most 72 columns): one column per
 * measure, group headings on their own line, then what each column counts.
 */
export function costTable(rows: readonly CostRow[], options: CostChartOptions = {}): string {
  const measures = measuresOf(options, rows);
  const colW = measures.map((m) => Math.max(COST_MEASURES[m].short.length, ...rows.map((r) => String(costValue(r, m)).length)) + 2);
  const grouped = rows.some((r) => r.group !== undefined);
  const indent = grouped ? 2 : 0;
  const room = MAIL_COLUMNS - colW.reduce((s, w) => s + w, 0);
  if (room < 10) throw new Error(`cost table: ${measures.length} measures do not fit in ${MAIL_COLUMNS} columns`);
  const labelW = Math.min(room, Math.max(8, ...rows.map((r) => toAscii(r.label).length + indent)) + 1);
  const out: string[] = [];
  if (options.title) out.push(...hanging('', options.title, 2), '');
  out.push(padRight('strategy', labelW) + measures.map((m, j) => padLeft(COST_MEASURES[m].short, colW[j])).join(''));
  out.push(padRight('-'.repeat(labelW - 1), labelW) + measures.map((_, j) => padLeft('-'.repeat(colW[j] - 2), colW[j])).join(''));
  for (const item of layout(rows)) {
    if ('heading' in item) { out.push(...hanging('', toAscii(item.heading), 2)); continue; }
    const label = toAscii(`${' '.repeat(indent)}${item.row.label}`);
    const cut = label.length < labelW ? label : `${label.slice(0, labelW - 2)}~`;
    out.push(padRight(cut, labelW) + measures.map((m, j) => padLeft(String(costValue(item.row, m)), colW[j])).join(''));
  }
  out.push('');
  for (const m of measures) out.push(...hanging(`${padRight(COST_MEASURES[m].short, 6)}`, COST_MEASURES[m].meaning, 6));
  return `${out.map((l) => l.trimEnd()).join('\n')}\n`;
}
