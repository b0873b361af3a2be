/**
 * Notebook helpers: `show(x)` renders any flushlab answer richly in a tslab notebook
 * (SVG diagrams, HTML tables, the result block), and `progress()` keeps one output entry
 * up to date during a long sweep.
 *
 * tslab is a devDependency: this module must load, and `show` must work, outside a
 * kernel (a script, a test, the CLI). So tslab is never imported at load time. In a
 * kernel, tslab's own modules are already loaded; the one the kernel runs is found in
 * Node's module cache and used, which is the instance wired to the kernel's output
 * (a second copy of tslab would only answer "Not ready"). Elsewhere `show` prints the
 * plain-text rendering.
 */
import { dirname, join } from 'node:path';
import type { CheckResult, ScenarioInput } from '../check/result';
import { checkScenario, type CheckOptions } from '../check/check';
import { RowMemo, assignmentOf, checkRow, rowCount, sweepResult, sweepVariables, toRow, type SweepOptions, type SweepResult, type SweepRow } from '../check/sweep';
import { Interrupted, interruptMark, interruptedSince, listenForInterrupts } from './interrupt';
import { DEFAULT_BUDGET } from '../engine/search';
import { defaultMemoryMB } from '../engine/meter';
import type { Trace } from '../model/trace';
import { PRESET_NAMES } from '../model/assumptions';
import { traceToSvg, tracesToSvg, type NotePanel } from '../present/sequenceSvg';
import { traceToText } from '../present/traceText';
import { resultBlock, type ResultBlockOptions } from '../present/resultBlock';
import { PRE_STYLE, figureWithFolds, htmlTable, textTable, type Cell } from '../present/notebookHtml';
import { explainSafe } from '../check/replay';
import {
  html, matrixToHtml, matrixToText, sweepToText, sweepsToHtml, sweepsToText, verdictMatrix,
  type SweepLike, type VerdictMatrix,
} from '../present/matrix';

/** The part of tslab's `Display` that flushlab uses. */
export interface DisplayLike {
  html(s: string): void;
  svg(s: string): void;
  text(s: string): void;
}

/** tslab's module shape (`display`, `newDisplay`). */
export interface DisplayModule {
  display: DisplayLike;
  newDisplay(): DisplayLike;
}

let injected: DisplayModule | null | undefined;

/**
 * Use this display module instead of looking for tslab (tests, other kernels); `null`
 * forces plain text; `undefined` goes back to looking for tslab.
 */
export function useDisplay(module: DisplayModule | null | undefined): void {
  injected = module;
}

/** The kernel's tslab, if this process is a tslab kernel; never loads tslab itself. */
export function kernelDisplay(): DisplayModule | null {
  if (injected !== undefined) return injected;
  const cache = require.cache ?? {};
  // The kernel has loaded tslab/dist/jupyter.js; its sibling public.js shares that
  // instance (and its connection to the notebook).
  const jupyter = Object.keys(cache).find((k) => /[\\/]tslab[\\/]dist[\\/]jupyter\.js$/.test(k));
  if (!jupyter) return null;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(join(dirname(jupyter), 'public.js')) as DisplayModule;
  } catch {
    return null;
  }
}

/** Anything `show` can render. */
export type Showable =
  | CheckResult | readonly CheckResult[]
  | Trace | readonly Trace[]
  | SweepLike | readonly SweepLike[]
  | VerdictMatrix
  | string;

export interface ShowOptions extends ResultBlockOptions {
  /** Title for a matrix or a list of sweeps. */
  title?: string;
}

/** What `show` displays: rich HTML (or SVG) and the plain-text equivalent. */
export interface Rendering {
  kind: 'html' | 'svg' | 'text';
  rich: string;
  text: string;
}

function isCheckResult(x: unknown): x is CheckResult {
  return !!x && typeof x === 'object' && 'verdict' in x && 'violations' in x && 'cost' in x;
}
function isTrace(x: unknown): x is Trace {
  return !!x && typeof x === 'object' && Array.isArray((x as Trace).steps) && typeof (x as Trace).title === 'string';
}
function isSweep(x: unknown): x is SweepLike {
  return !!x && typeof x === 'object' && typeof (x as SweepLike).condition === 'string' && Array.isArray((x as SweepLike).rows);
}
function isMatrix(x: unknown): x is VerdictMatrix {
  return !!x && typeof x === 'object' && Array.isArray((x as VerdictMatrix).cells) && Array.isArray((x as VerdictMatrix).columns);
}

export function render(x: Showable, options: ShowOptions = {}): Rendering {
  if (typeof x === 'string') return { kind: 'text', rich: x, text: x };
  if (isCheckResult(x)) return renderResult(x, options);
  if (isTrace(x)) {
    // Drawn once; its text for a mail behind a fold.
    const text = traceToText(x);
    return { kind: 'html', rich: figureWithFolds(traceToSvg(x), [{ summary: TEXT_FOLD, text }]), text };
  }
  if (isSweep(x)) {
    const title = options.title ?? transitionOf(x);
    return { kind: 'html', rich: sweepsToHtml([x], { title }), text: sweepToText(x, { title }) };
  }
  if (isMatrix(x)) return { kind: 'html', rich: matrixToHtml(x), text: matrixToText(x) };
  if (Array.isArray(x)) {
    const list = x as readonly unknown[];
    if (list.length === 0) return { kind: 'text', rich: '(nothing to show)', text: '(nothing to show)\n' };
    if (list.every(isCheckResult)) {
      // Several checks: the matrix, one row per strategy, one column per preset.
      const m = verdictMatrix(list, options.title);
      return { kind: 'html', rich: matrixToHtml(m), text: matrixToText(m) };
    }
    if (list.every(isTrace)) {
      const texts = list.map((t) => traceToText(t));
      return { kind: 'html', rich: figureWithFolds(tracesToSvg(list), list.map((t, i) => ({ summary: `${t.title}: ${TEXT_FOLD}`, text: texts[i] }))), text: texts.join('\n') };
    }
    if (list.every(isSweep)) {
      const titles = [...new Set(list.map(transitionOf))];
      const title = options.title ?? (titles.length === 1 ? titles[0] : undefined);
      return { kind: 'html', rich: sweepsToHtml(list, { title }), text: sweepsToText(list, { title }) };
    }
  }
  const text = `${JSON.stringify(x, null, 2)}\n`;
  return { kind: 'text', rich: text, text };
}

/** What the fold under a drawn run holds. */
const TEXT_FOLD = 'the run as text (72 columns, for a mail)';

/** `from -> to` of a sweep that says which transition it swept. */
function transitionOf(x: SweepLike): string | undefined {
  const t = x as SweepLike & { from?: string; to?: string };
  return t.from && t.to ? `${t.from} -> ${t.to}` : undefined;
}

function renderResult(r: CheckResult, options: ShowOptions): Rendering {
  const block = resultBlock(r, options);
  const traces = r.violations.map((v) => v.trace);
  const text = [block, ...traces.map((t) => traceToText(t))].join('\n');
  const verdictStyle = r.verdict === 'safe' ? 'color:#0b3d0b' : r.verdict === 'unsafe' ? 'color:#b00020' : 'color:#555';
  const parts = [
    `<div class="flushlab-result"><div style="font-weight:bold;${verdictStyle}">${html(`${r.name}: ${r.verdict}`)}</div>`,
    ...traces.map((t) => `<div style="overflow-x:auto">${traceToSvg(t)}</div>`),
    `<pre style="${PRE_STYLE}">${html(block)}</pre>`,
    traces.length
      ? `<details><summary>counterexample as text (for a mail)</summary><pre style="${PRE_STYLE}">${html(traces.map((t) => traceToText(t)).join('\n'))}</pre></details>`
      : '',
    '</div>',
  ];
  return { kind: 'html', rich: parts.join('\n'), text };
}

/**
 * Shows `x` as rich output in a tslab notebook: a check result as its diagram and
 * result block, a trace (or two, side by side) as SVG, results of several checks as the
 * verdict matrix, sweeps as their minimal conditions. Outside a kernel, prints the
 * plain text.
 */
export function show(x: Showable, options: ShowOptions = {}): void {
  const r = render(x, options);
  const d = kernelDisplay();
  if (d) {
    try {
      // SVG goes out inside HTML: nbconvert's HTML export strips bare image/svg+xml
      // outputs (clean_html), while inline SVG in text/html shows in Jupyter and in HTML.
      if (r.kind === 'html' || r.kind === 'svg') d.display.html(r.kind === 'svg' ? `<div class="flushlab-svg">${r.rich}</div>` : r.rich);
      else d.display.text(r.rich);
      return;
    } catch {
      // tslab loaded but not executing a cell ("Not ready"): fall back to text.
    }
  }
  process.stdout.write(r.text.endsWith('\n') ? r.text : `${r.text}\n`);
}

/** Rich output to the kernel; outside one (or outside a cell), its text. */
export function showHtml(rich: string, text: string): void {
  const d = kernelDisplay();
  if (d) {
    try { d.display.html(rich); return; } catch { /* not in a cell: text below */ }
  }
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

/**
 * A picture (an entry's bit picture, a trace) inline in HTML: nbconvert's HTML export
 * drops bare image/svg+xml outputs, inline SVG survives. `text` is what a script prints.
 */
export function showSvg(svg: string, text = '(a picture: shown in a notebook)'): void {
  showHtml(`<div class="flushlab-svg">${svg}</div>`, text);
}

/** A table from a header and rows (cells: text, `{ code }` or `{ html }`). */
export function showTable(head: readonly Cell[], rows: readonly (readonly Cell[])[]): void {
  showHtml(htmlTable(head, rows), textTable(head, rows));
}

/** A chart drawn once, its table (text, 72 columns) behind a fold instead of beside it. */
export function showChart(svg: string, table: string): void {
  showHtml(figureWithFolds(svg, [{ summary: 'the same as a table (72 columns)', text: table }]), table);
}

/** One side of a side-by-side view: a run, a note, or a check (its counterexample). */
export type Side = Trace | NotePanel | CheckResult;

function panelOf(x: Side, other?: Side): Trace | NotePanel {
  if (!isCheckResult(x)) return x;
  const t = x.violations[0]?.trace;
  if (t) return t;
  const title = `${x.strategy}, ${x.from} -> ${x.to}${x.pasid === 0 ? ', PASID 0' : ''}`;
  // A safe check beside an unsafe one: that counterexample replayed against it (replay.ts),
  // so both runs are drawn and the step that blocks it shows.
  const cex = other && isCheckResult(other) ? other.violations[0] : undefined;
  if (x.verdict === 'safe' && cex && other && isCheckResult(other) && other.from === x.from && other.to === x.to) {
    const input: ScenarioInput = { from: x.from, to: x.to, strategy: x.strategy, assume: x.assume, requests: x.requests, dmas: x.dmas, pasid: x.pasid, cold: x.cold };
    const b = explainSafe(input, {}, { name: other.strategy, result: other });
    if (b?.trace) return b.trace;
  }
  return { title, note: `${x.verdict}: no counterexample in ${x.states} states` };
}

/**
 * Two runs side by side, e.g. one scenario, two strategies; each drawn once, its text
 * behind a fold. Given checks: each one's counterexample, and for a safe one beside an
 * unsafe one, the unsafe run replayed against it up to where it is blocked.
 */
export function showSideBySide(left: Side, right: Side): void {
  const panels = [panelOf(left, right), panelOf(right, left)];
  const folds = panels.map((p) => ('steps' in p ? { summary: `${p.title}: ${TEXT_FOLD}`, text: traceToText(p) } : { summary: p.title, text: `${p.title}: ${p.note}\n` }));
  showHtml(figureWithFolds(tracesToSvg(panels), folds), folds.map((f) => f.text).join('\n'));
}

// ---------------------------------------------------------------------------------------
// Progress

export interface Progress {
  /** `done` of `total` finished; `note` says what runs now. */
  update(done: number, total: number, note?: string): void;
  /** The final line; replaces the progress entry if one was shown. */
  finish(summary: string): void;
}

export interface ProgressOptions {
  /** Show nothing until this many milliseconds have passed (default 1000). */
  after?: number;
  /** Minimum milliseconds between updates (default 200). */
  every?: number;
  /** Clock, for tests. */
  now?: () => number;
}

/**
 * A progress entry for a long sweep: it appears only once the work has taken over a
 * second (short checks stay quiet) and is rewritten in place (tslab `newDisplay()`).
 * Outside a kernel it does nothing.
 */
export function progress(label: string, options: ProgressOptions = {}): Progress {
  const now = options.now ?? Date.now;
  const after = options.after ?? 1000;
  const every = options.every ?? 200;
  const start = now();
  let entry: DisplayLike | null = null;
  let last = -Infinity;
  const module = kernelDisplay();
  const draw = (body: string) => {
    if (!module) return;
    try {
      entry ??= module.newDisplay();
      entry.html(`<div class="flushlab-progress" style="font-family:monospace;font-size:12px">${body}</div>`);
    } catch {
      // not in a cell: nothing to update
    }
  };
  return {
    update(done, total, note) {
      const t = now();
      if (t - start < after || t - last < every) return;
      last = t;
      const secs = ((t - start) / 1000).toFixed(1);
      draw(`${html(label)} <progress value="${done}" max="${total}" style="vertical-align:middle"></progress> ${done}/${total} (${secs} s)${note ? ` ${html(note)}` : ''}`);
    },
    finish(summary) {
      if (entry) draw(`${html(label)}: ${html(summary)}`);
    },
  };
}

/**
 * The budget of one check run by a notebook helper unless the call gives its own: the
 * CLI's state budget, and at most 30 s and the default memory, so that a cell stays
 * live (an interrupt is seen between checks, see interrupt.ts). A check it ends says so.
 */
export const LIVE_CELL_BUDGET = { maxStates: DEFAULT_BUDGET.maxStates, maxMillis: 30_000 } as const;

function liveCellOptions<O extends CheckOptions>(options: O): O {
  return { ...options, budget: { ...LIVE_CELL_BUDGET, maxMemoryMB: defaultMemoryMB(), ...options.budget } };
}

/** A check that the live-cell time budget ended says which budget, and how to change it. */
export function liveCellNote(r: CheckResult, options: CheckOptions): CheckResult {
  if (r.exhausted !== 'time' || options.budget?.maxMillis !== undefined) return r;
  return { ...r, stopReason: `a live cell's time budget of ${LIVE_CELL_BUDGET.maxMillis / 1000} s ran out; pass { budget: { maxMillis } } to change it` };
}

/** Lets the kernel send output and see an interrupt; throws Interrupted after one. */
async function yieldOrStop(mark: number, p: Progress, done: number, total: number): Promise<void> {
  await new Promise<void>((resolve) => setImmediate(resolve));
  if (interruptedSince(mark)) {
    p.finish(`interrupted after ${done} of ${total}`);
    throw new Interrupted(`interrupted after ${done} of ${total}`);
  }
}

/**
 * Runs `work` over `items` one by one, yielding to the event loop between items so the
 * kernel can send the progress entry, and returns the results in order. An interrupt of
 * the kernel stops it after the item in progress (it throws Interrupted).
 */
export async function withProgress<T, R>(label: string, items: readonly T[], work: (item: T) => R,
  describe: (item: T) => string = () => '', options: ProgressOptions = {}): Promise<R[]> {
  listenForInterrupts(kernelDisplay() !== null);
  const mark = interruptMark();
  const p = progress(label, options);
  const out: R[] = [];
  for (let i = 0; i < items.length; i++) {
    p.update(i, items.length, describe(items[i]));
    out.push(work(items[i]));
    await yieldOrStop(mark, p, i + 1, items.length);
  }
  p.finish(`${items.length} done`);
  return out;
}

// ---------------------------------------------------------------------------------------
// Many checks at once

export interface MatrixRequest extends Omit<ScenarioInput, 'strategy' | 'assume'> {
  /** Strategy names or values, one row each. */
  strategies: readonly ScenarioInput['strategy'][];
  /** Assumption strings, one column each; default every preset (spec, jason, baolu). */
  presets?: readonly string[];
}

/**
 * Checks every strategy under every preset on one transition, showing progress when it
 * takes over a second, and returns the results (`show(results)` draws the matrix).
 * Each result carries the assumption string as given, so the columns read `jason`,
 * not the resolved values.
 */
export async function checkMatrix(request: MatrixRequest, options: CheckOptions = {}): Promise<CheckResult[]> {
  const { strategies, presets = PRESET_NAMES, ...rest } = request;
  const cells = strategies.flatMap((strategy) => presets.map((assume) => ({ ...rest, strategy, assume })));
  const name = (s: ScenarioInput['strategy']) => (typeof s === 'string' ? s : s.name);
  const live = liveCellOptions(options);
  return withProgress(`checking ${strategies.length} x ${presets.length}`, cells,
    (input) => ({ ...liveCellNote(checkScenario(input, live), options), assume: input.assume }),
    (input) => `${name(input.strategy)} under ${input.assume}`);
}

/**
 * A sweep (every combination of the open assumptions) with a progress entry that is
 * rewritten after each combination once the sweep has taken over a second. The same rows
 * as sweepScenario (same memo, same order), but it yields between rows so that an
 * interrupt stops it (it throws Interrupted); each row has the live-cell budget.
 */
export async function sweepWithProgress(input: ScenarioInput, options: SweepOptions = {}): Promise<SweepResult> {
  listenForInterrupts(kernelDisplay() !== null);
  const mark = interruptMark();
  const name = typeof input.strategy === 'string' ? input.strategy : input.strategy.name;
  const p = progress(`sweeping ${name}`);
  const variables = sweepVariables(options, input.arch);
  const base = input.assume ?? 'spec';
  const live = liveCellOptions(options);
  const t0 = Date.now();
  const total = rowCount(variables);
  const rows: SweepRow[] = [];
  const known = new RowMemo();
  for (let r = 0; r < total; r++) {
    const assignment = assignmentOf(variables, r);
    rows.push(toRow(assignment, known.answer(assignment) ?? known.remember(assignment, checkRow(input, base, variables, assignment, live))));
    p.update(r + 1, total);
    options.onProgress?.(r + 1, total);
    await yieldOrStop(mark, p, r + 1, total);
  }
  const result = sweepResult(input, base, variables, rows, Date.now() - t0);
  p.finish(`${result.rows.length} combinations; safe when ${result.condition}`);
  return result;
}
