/**
 * A trace as an SVG time-space diagram: one lifeline per part, time running down, one
 * row per step with its text on the right, and every message drawn as a slanted arrow
 * from the row that sent it to the row that received it, so a message that overtakes
 * another shows as two crossing arrows (what Mermaid cannot draw). The violating step is
 * marked and carries its one-sentence reason. Nothing here needs colour to be read: the
 * violation is also spelled out and ringed, arrows are labelled.
 */
import { createHash } from 'node:crypto';
import type { Lane, Trace } from '../model/trace';
import { GLUE, toAscii, wrap } from './plainText';
import { laneTitle, messagesOf, selectLanes, violationLanes, type LaneOptions, type Message } from './traceFacts';

export interface SvgOptions extends LaneOptions {
  /** Width of the step-text column in characters; default 60 (48 side by side). */
  textColumns?: number;
  /** Prefix for element ids (markers); default derived from the content, so stable. */
  idPrefix?: string;
}

/** A panel without a trace, e.g. "baolu: safe, 18342 states, no counterexample". */
export interface NotePanel {
  title: string;
  note: string;
}

const FONT = "font-family=\"'DejaVu Sans Mono', Menlo, Consolas, monospace\"";
const CHAR = 7.23; // advance of a 12px DejaVu Sans Mono glyph (0.602 em)
const SMALL_CHAR = 6.02; // at 10px
const LINE = 15;
const PAD = 14;
const NUM_W = 30;
const DOT_R = 4;
const COLORS = { ink: '#111', grey: '#666', life: '#9a9a9a', band: '#f3f3f3', bad: '#b00020', badBand: '#fde7e9', msg: '#1d4f91', head: '#e8eef7' };

function n(x: number): string {
  return (Math.round(x * 10) / 10).toString();
}

function xml(s: string): string {
  return toAscii(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

interface Rendered { width: number; height: number; body: string }

/** One trace as a standalone SVG document. */
export function traceToSvg(trace: Trace, options: SvgOptions = {}): string {
  return tracesToSvg([trace], options);
}

/**
 * Traces side by side (the same scenario under two strategies), drawn on the same
 * lanes so the columns line up; a `NotePanel` stands for a run with nothing to draw.
 */
export function tracesToSvg(panels: readonly (Trace | NotePanel)[], options: SvgOptions = {}): string {
  if (panels.length === 0) throw new Error('tracesToSvg: nothing to draw');
  const traces = panels.filter(isTrace);
  const lanes = selectLanes(traces, options);
  const prefix = options.idPrefix ?? `fl${createHash('sha256').update(JSON.stringify(panels)).digest('hex').slice(0, 8)}`;
  const textColumns = options.textColumns ?? (panels.length > 1 ? 48 : 60);
  const rendered = panels.map((p) => (isTrace(p) ? tracePanel(p, lanes, textColumns, prefix) : notePanel(p, textColumns)));
  const gap = 24;
  const width = rendered.reduce((w, r) => w + r.width, 0) + gap * (rendered.length - 1);
  const height = Math.max(...rendered.map((r) => r.height));
  let x = 0;
  const groups = rendered.map((r, i) => {
    const divider = i === 0 ? '' : `<line class="divider" x1="${n(x - gap / 2)}" y1="${PAD}" x2="${n(x - gap / 2)}" y2="${n(height - PAD)}" stroke="${COLORS.life}" stroke-dasharray="2 3"/>\n`;
    const g = `${divider}<g class="panel" data-panel="${i}" transform="translate(${n(x)},0)">\n${r.body}</g>\n`;
    x += r.width + gap;
    return g;
  });
  const label = panels.map((p) => p.title).join(' | ');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${n(width)}" height="${n(height)}" viewBox="0 0 ${n(width)} ${n(height)}" role="img" aria-label="${xml(label)}" ${FONT} font-size="12">\n`,
    `<title>${xml(label)}</title>\n`,
    '<defs>',
    `<marker id="${prefix}-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse">`,
    `<path d="M0,0 L10,5 L0,10 z" fill="${COLORS.msg}"/></marker>`,
    '</defs>\n',
    `<rect width="100%" height="100%" fill="#fff"/>\n`,
    ...groups,
    '</svg>\n',
  ].join('');
}

function isTrace(p: Trace | NotePanel): p is Trace {
  return Array.isArray((p as Trace).steps);
}

function notePanel(p: NotePanel, textColumns: number): Rendered {
  const lines = wrap(p.note, textColumns);
  const width = PAD * 2 + textColumns * CHAR;
  let body = `<text x="${PAD}" y="${PAD + 14}" font-size="14" font-weight="bold" fill="${COLORS.ink}">${xml(p.title)}</text>\n`;
  lines.forEach((l, i) => { body += `<text class="note" x="${PAD}" y="${n(PAD + 40 + i * LINE)}" fill="${COLORS.ink}">${xml(l)}</text>\n`; });
  return { width, height: PAD * 2 + 40 + lines.length * LINE, body };
}

interface Row { top: number; height: number; dotY: number; lines: { text: string; kind: 'step' | 'change' | 'bad' | 'hidden' | 'overtake' }[] }

function tracePanel(trace: Trace, lanes: readonly Lane[], textColumns: number, prefix: string): Rendered {
  const messages = messagesOf(trace);
  const v = trace.violation;
  const laneW = Math.max(116, ...lanes.map((l) => laneTitle(l, trace.laneTitles).length * CHAR + 18));
  const lanesX0 = PAD + NUM_W;
  const laneX = new Map<Lane, number>(lanes.map((l, i) => [l, lanesX0 + laneW * (i + 0.5)]));
  const textX = lanesX0 + laneW * lanes.length + 16;
  const width = textX + textColumns * CHAR + PAD + 10;

  const titleY = PAD + 14;
  const headTop = PAD + 44;
  const headH = 26;
  let y = headTop + headH + 12;
  const rows = new Map<number, Row>();
  for (const step of trace.steps) {
    const lines: Row['lines'] = wrap(step.text, textColumns).map((text) => ({ text, kind: 'step' as const }));
    if (!laneX.has(step.lane)) lines.push({ text: `(on hidden lane ${laneTitle(step.lane, trace.laneTitles)})`, kind: 'hidden' });
    // Crossing arrows alone do not say who overtook whom (an upstream and a downstream
    // message cross too): the receiving step says it in words.
    const received = messages.find((m) => m.receiveStep === step.index && m.overtakes.length);
    if (received) {
      const passed = received.overtakes.map((s) => `the ${messages.find((m) => m.sendStep === s)?.label ?? 'message'} sent at step${GLUE}${s}`).join(' and ');
      for (const l of wrap(`overtakes ${passed}`, textColumns - 2)) lines.push({ text: l, kind: 'overtake' });
    }
    for (const c of step.changes) for (const l of wrap(c, textColumns - 2)) lines.push({ text: l, kind: 'change' });
    if (v && v.step === step.index) {
      for (const l of wrap(`VIOLATION ${v.property}: ${v.reason}`, textColumns)) lines.push({ text: l, kind: 'bad' });
    }
    const height = Math.max(26, 10 + lines.length * LINE);
    rows.set(step.index, { top: y, height, dotY: y + 13, lines });
    y += height;
  }
  // Room below the last step for messages still in flight, so their arrows visibly
  // leave the diagram instead of ending on a row.
  const lifeEnd = y + (messages.some((m) => m.receiveStep === undefined) ? 40 : 12);
  const footTop = lifeEnd;
  const legendY = footTop + headH + 18;
  const height = legendY + PAD;

  const out: string[] = [];
  // Title: the scenario and what went wrong.
  out.push(`<text class="title" x="${PAD}" y="${titleY}" font-size="14" font-weight="bold" fill="${COLORS.ink}">${xml(trace.title)}</text>\n`);
  const sub = v ? `counterexample: ${v.property} at step ${v.step}` : 'run: no violation';
  out.push(`<text x="${PAD}" y="${titleY + 18}" fill="${v ? COLORS.bad : COLORS.grey}">${xml(sub)}</text>\n`);

  // Row bands first so that everything else is drawn over them.
  let odd = false;
  for (const step of trace.steps) {
    const r = rows.get(step.index)!;
    const bad = v?.step === step.index;
    odd = !odd;
    if (bad || odd) out.push(`<rect class="${bad ? 'violation-band' : 'band'}" x="${PAD}" y="${n(r.top)}" width="${n(width - 2 * PAD)}" height="${n(r.height)}" fill="${bad ? COLORS.badBand : COLORS.band}"/>\n`);
  }

  // Lanes: a head at the top and at the bottom, a lifeline between.
  for (const lane of lanes) {
    const x = laneX.get(lane)!;
    const title = xml(laneTitle(lane, trace.laneTitles));
    const box = (top: number) => `<rect x="${n(x - laneW / 2 + 5)}" y="${n(top)}" width="${n(laneW - 10)}" height="${headH}" rx="3" fill="${COLORS.head}" stroke="${COLORS.msg}" stroke-width="1"/>`
      + `<text x="${n(x)}" y="${n(top + 17)}" text-anchor="middle" fill="${COLORS.ink}">${title}</text>`;
    out.push(`<g class="lane" data-lane="${lane}">`
      + `<line class="lifeline" x1="${n(x)}" y1="${n(headTop + headH)}" x2="${n(x)}" y2="${n(lifeEnd)}" stroke="${COLORS.life}" stroke-width="1.5"/>`
      + box(headTop) + box(footTop) + '</g>\n');
  }

  // Steps: number, dot on the lane, text on the right.
  for (const step of trace.steps) {
    const r = rows.get(step.index)!;
    const bad = v?.step === step.index;
    const x = laneX.get(step.lane);
    let g = `<g class="step${bad ? ' violation' : ''}" data-step="${step.index}" data-lane="${step.lane}">`;
    g += `<text x="${PAD + NUM_W - 8}" y="${n(r.top + 17)}" text-anchor="end" fill="${bad ? COLORS.bad : COLORS.grey}"${bad ? ' font-weight="bold"' : ''}>${step.index}</text>`;
    if (x !== undefined) {
      g += `<circle cx="${n(x)}" cy="${n(r.dotY)}" r="${DOT_R}" fill="${bad ? COLORS.bad : COLORS.ink}"/>`;
      if (bad) g += `<circle class="violation-ring" cx="${n(x)}" cy="${n(r.dotY)}" r="9" fill="none" stroke="${COLORS.bad}" stroke-width="2"/>`;
    }
    if (bad) {
      // The parts the violation names, when the step is elsewhere (a stale IOTLB entry
      // found when the CPU returns): a dashed ring on their lifeline.
      for (const lane of violationLanes(trace)) {
        const lx = laneX.get(lane);
        if (lx === undefined || lane === step.lane) continue;
        g += `<circle class="violation-ring named" data-lane="${lane}" cx="${n(lx)}" cy="${n(r.dotY)}" r="9" fill="#fff" stroke="${COLORS.bad}" stroke-width="2" stroke-dasharray="3 2"/>`
          + `<text x="${n(lx)}" y="${n(r.dotY + 4)}" text-anchor="middle" font-weight="bold" fill="${COLORS.bad}">!</text>`;
      }
    }
    r.lines.forEach((l, i) => {
      const ty = r.top + 17 + i * LINE;
      const tx = l.kind === 'change' || l.kind === 'overtake' ? textX + 2 * CHAR : textX;
      const fill = l.kind === 'bad' ? COLORS.bad : l.kind === 'step' ? COLORS.ink : l.kind === 'overtake' ? COLORS.msg : COLORS.grey;
      const weight = l.kind === 'bad' || l.kind === 'overtake' ? ' font-weight="bold"' : '';
      g += `<text class="${l.kind}" x="${n(tx)}" y="${n(ty)}" fill="${fill}"${weight} xml:space="preserve">${xml(l.text)}</text>`;
    });
    out.push(`${g}</g>\n`);
  }

  // Messages last, over the lifelines: one slanted arrow each.
  for (const m of messages) out.push(arrow(m, laneX, rows, headTop + headH, lifeEnd, prefix));

  const dashed = messages.some((m) => m.receiveStep === undefined) ? ' (dashed: still in flight at the end)' : '';
  out.push(`<text class="legend" x="${PAD}" y="${n(legendY)}" font-size="10" fill="${COLORS.grey}">${xml(`Time runs down. Arrows are messages${dashed}; a receiving step says when it overtook an earlier message.`)}</text>\n`);
  return { width, height, body: out.join('') };
}

function arrow(m: Message, laneX: Map<Lane, number>, rows: Map<number, Row>, top: number, bottom: number, prefix: string): string {
  const x1 = laneX.get(m.from);
  const x2 = laneX.get(m.to);
  if (x1 === undefined || x2 === undefined || x1 === x2) return '';
  const inFlight = m.receiveStep === undefined;
  // A message from before the trace starts comes in from the top, one still in
  // flight at the end runs off the bottom (dashed).
  const y1 = m.sendStep === undefined ? top + 4 : rows.get(m.sendStep)!.dotY;
  const y2 = inFlight ? bottom - 8 : rows.get(m.receiveStep!)!.dotY;
  const dx = x2 - x1;
  const dy = y2 - y1;
  const len = Math.hypot(dx, dy);
  // Stop at the receiving dot's edge so the arrowhead stays visible.
  const ex = inFlight ? x2 : x2 - (dx / len) * (DOT_R + 1);
  const ey = inFlight ? y2 : y2 - (dy / len) * (DOT_R + 1);
  const label = m.label;
  // Label along the arrow, upright, just above it; near the sending end for long
  // arrows so crossing arrows do not stack their labels at the crossing.
  const t = dy > 80 ? 0.3 : 0.5;
  let angle = (Math.atan2(dy, dx) * 180) / Math.PI;
  if (angle > 90) angle -= 180;
  if (angle < -90) angle += 180;
  const lx = x1 + dx * t;
  const ly = y1 + dy * t;
  // Too long for its arrow: drop the parenthesised details first (the tooltip and the
  // text keep them), then cut.
  const maxChars = Math.floor((len * 1.05) / SMALL_CHAR);
  let shown = label;
  if (shown.length > maxChars) shown = shown.replace(/\s*\([^)]*\)/g, '').trim() || shown;
  if (shown.length > maxChars && len > 40) shown = `${shown.slice(0, Math.max(4, maxChars - 3))}...`;
  return `<g class="message${inFlight ? ' in-flight' : ''}" data-id="${xml(m.id)}" data-from="${m.from}" data-to="${m.to}"`
    + ` data-send="${m.sendStep ?? ''}" data-receive="${m.receiveStep ?? ''}">`
    + `<title>${xml(`${m.label}: ${laneTitle(m.from)} -> ${laneTitle(m.to)}, sent at ${m.sendStep ?? 'start'}, received at ${m.receiveStep ?? '(in flight)'}`)}</title>`
    + `<line class="arrow" x1="${n(x1)}" y1="${n(y1)}" x2="${n(ex)}" y2="${n(ey)}" stroke="${COLORS.msg}" stroke-width="1.6"${inFlight ? ' stroke-dasharray="5 4"' : ''} marker-end="url(#${prefix}-arrow)"/>`
    + `<text class="message-label" transform="translate(${n(lx)},${n(ly)}) rotate(${n(angle)})" y="-4" text-anchor="middle" font-size="10" fill="${COLORS.msg}" stroke="#fff" stroke-width="3" paint-order="stroke">${xml(shown)}</text>`
    + '</g>\n';
}
