/**
 * A trace as Mermaid sequence-diagram text (an extra for JupyterLab and GitHub; the SVG
 * and the plain text are the pictures that always work). Mermaid draws a message at one
 * moment, not as a slanted arrow, so each arrow sits at its receive step and says when it
 * was sent, and an overtaking message says what it overtook.
 */
import type { Lane, Trace } from '../model/trace';
import { toAscii } from './plainText';
import { laneTitle, messagesOf, selectLanes, type LaneOptions } from './traceFacts';

/** Mermaid participant ids: plain identifiers. */
function pid(lane: Lane): string {
  return lane.replace(/[^A-Za-z0-9]/g, '_');
}

// Mermaid treats ';' and '#' specially in message text; its entity codes keep them.
function esc(text: string): string {
  return toAscii(text).replace(/#/g, '#35;').replace(/;/g, '#59;');
}

export function traceToMermaid(trace: Trace, options: LaneOptions = {}): string {
  const lanes = selectLanes([trace], options);
  const shown = new Set(lanes);
  const messages = messagesOf(trace);
  const out: string[] = ['sequenceDiagram'];
  const v = trace.violation;
  out.push(`    %% ${esc(trace.title)}${v ? `: ${esc(v.property)} at step ${v.step}` : ''}`);
  for (const lane of lanes) out.push(`    participant ${pid(lane)} as ${esc(laneTitle(lane, trace.laneTitles))}`);
  for (const step of trace.steps) {
    const m = messages.find((x) => x.receiveStep === step.index);
    if (m && shown.has(m.from) && shown.has(m.to)) {
      const when = m.sendStep === undefined ? 'sent earlier' : `sent at ${m.sendStep}`;
      const passed = m.overtakes.length ? `, overtakes the one sent at ${m.overtakes.join(' and ')}` : '';
      out.push(`    ${pid(m.from)}->>${pid(m.to)}: ${esc(`${m.label} (${when}${passed})`)}`);
    }
    if (!shown.has(step.lane)) continue;
    const body = [`${step.index}. ${step.text}`, ...step.changes].map(esc).join('<br/>');
    out.push(`    Note over ${pid(step.lane)}: ${body}`);
    if (v && v.step === step.index) {
      out.push(`    Note over ${pid(step.lane)}: ${esc(`VIOLATION ${v.property}: ${v.reason}`)}`);
    }
  }
  for (const m of messages) {
    if (m.receiveStep === undefined && shown.has(m.from) && shown.has(m.to)) {
      out.push(`    ${pid(m.from)}-)${pid(m.to)}: ${esc(`${m.label} (sent at ${m.sendStep}, still in flight)`)}`);
    }
  }
  return `${out.join('\n')}\n`;
}
