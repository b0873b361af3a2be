/**
 * The claims a notebook's prose makes about verdicts, checked by the run that shows them.
 * `claims([...])` shows a checklist and throws if any claim no longer holds, so a change
 * to the model that changes a verdict fails the notebook instead of leaving text that
 * contradicts its own cells.
 */
import { kernelDisplay } from './notebook';
import { html } from '../present/matrix';
import { toAscii, hanging } from '../present/plainText';

/** A sentence, and whether this run's results bear it out. */
export type Claim = readonly [text: string, holds: boolean];

export class ClaimError extends Error {
  override name = 'ClaimError';
}

/** The checklist as text: `[ok]` or `[NO LONGER HOLDS]` before each sentence. */
export function claimsToText(list: readonly Claim[], title = 'Checked by this run'): string {
  const out = [`${title}:`];
  for (const [text, holds] of list) out.push(...hanging(holds ? '  [ok] ' : '  [NO LONGER HOLDS] ', text.replace(/`/g, ''), 7));
  return `${out.map((l) => toAscii(l)).join('\n')}\n`;
}

/** The checklist as HTML; `code` in backticks is set as code. */
export function claimsToHtml(list: readonly Claim[], title = 'Checked by this run'): string {
  const item = ([text, holds]: Claim) => {
    const body = html(text).replace(/`([^`]+)`/g, '<code>$1</code>');
    const mark = holds
      ? '<span style="color:#0b3d0b;font-weight:bold">&#10003; holds</span>'
      : '<span style="color:#b00020;font-weight:bold">&#10007; NO LONGER HOLDS</span>';
    return `<li style="margin:2px 0">${mark} &mdash; ${body}</li>`;
  };
  return `<div class="flushlab-claims"><div style="font-weight:bold">${html(title)}</div>`
    + `<ul style="list-style:none;padding-left:0.5em;margin:4px 0">${list.map(item).join('')}</ul></div>`;
}

/**
 * Shows the claims as a checklist (rich in a tslab kernel, text elsewhere) and throws a
 * ClaimError naming every claim that does not hold.
 */
export function claims(list: readonly Claim[], title?: string): void {
  if (list.length === 0) throw new ClaimError('claims: nothing to check');
  const d = kernelDisplay();
  let shown = false;
  if (d) {
    try { d.display.html(claimsToHtml(list, title)); shown = true; } catch { /* not in a cell */ }
  }
  if (!shown) process.stdout.write(claimsToText(list, title));
  const failed = list.filter(([, holds]) => !holds).map(([text]) => text.replace(/`/g, ''));
  if (failed.length) throw new ClaimError(`${failed.length} claim(s) no longer hold: ${failed.join(' | ')}`);
}
