/**
 * A trace as plain text for a mail: ASCII, at most 72 columns, one block per step (its
 * number, its part, what it did), then only what changed, and the violation sentence at
 * the step where it happens. Crossing messages are spelled out ("overtakes ... sent at
 * step 3") since a text list cannot draw them.
 */
import type { Trace } from '../model/trace';
import { GLUE, MAIL_COLUMNS, hanging, padLeft, padRight, toAscii } from './plainText';
import { laneTitle, messagesOf, type Message } from './traceFacts';

export interface TraceTextOptions {
  /** Line width; default 72. */
  width?: number;
}

export function traceToText(trace: Trace, options: TraceTextOptions = {}): string {
  const width = options.width ?? MAIL_COLUMNS;
  const messages = messagesOf(trace);
  const numW = Math.max(3, String(trace.steps.length).length + 1);
  const titles = trace.laneTitles;
  const partW = Math.max(...trace.steps.map((s) => laneTitle(s.lane, titles).length), 4);
  const indent = numW + 1 + partW + 2;
  const lines: string[] = [];
  const v = trace.violation;
  lines.push(...hanging(v ? 'Counterexample: ' : 'Run: ', trace.title, 2, width));
  if (v) lines.push(...hanging('Violated: ', `${v.property} at step${GLUE}${v.step}`, 2, width));
  lines.push(...hanging('', '(step, part, what it did; -> sent, <- received; indented: what changed)', 1, width));
  lines.push('');
  for (const step of trace.steps) {
    const head = `${padLeft(String(step.index), numW)} ${padRight(laneTitle(step.lane, titles), partW)}  `;
    lines.push(...hanging(head, step.text, indent, width));
    const pad = ' '.repeat(indent);
    const msg = messages.find((m) => m.sendStep === step.index || m.receiveStep === step.index);
    if (msg) lines.push(...hanging(pad, messageLine(msg, step.index, messages, titles), indent + 3, width));
    for (const change of step.changes) lines.push(...hanging(`${pad}  `, change, indent + 4, width));
    if (v && v.step === step.index) {
      lines.push(...hanging(`${padLeft('***', numW)} `, `VIOLATION ${v.property}: ${v.reason}`, numW + 1, width));
    }
  }
  if (v && !trace.steps.some((s) => s.index === v.step)) {
    lines.push(...hanging(`${padLeft('***', numW)} `, `VIOLATION ${v.property} (after step ${v.step}): ${v.reason}`, numW + 1, width));
  }
  return `${lines.map((l) => toAscii(l).trimEnd()).join('\n')}\n`;
}

function messageLine(m: Message, step: number, all: readonly Message[], titles: Trace['laneTitles']): string {
  if (m.sendStep === step) {
    const fate = m.receiveStep === undefined ? ' (still in flight at the end)' : `, received at step${GLUE}${m.receiveStep}`;
    return `-> ${m.label} to ${laneTitle(m.to, titles)}${fate}`;
  }
  const sent = m.sendStep === undefined ? 'sent before the trace starts' : `sent at step${GLUE}${m.sendStep}`;
  let line = `<- ${m.label} from ${laneTitle(m.from, titles)}, ${sent}`;
  if (m.overtakes.length) {
    const passed = m.overtakes.map((s) => {
      const a = all.find((x) => x.sendStep === s);
      return `the ${a ? a.label : 'message'} sent at step${GLUE}${s}`;
    });
    line += `; overtakes ${passed.join(' and ')}`;
  }
  return line;
}
