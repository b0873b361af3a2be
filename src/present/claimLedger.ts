/**
 * The claim ledger as text (`flushlab claims`) and HTML (notebook 01): per claim who, when,
 * the quote, what it asserts as checks, the result under the spec reading, the open
 * assumptions that decide it, and the command that reproduces it. Pure rendering: the
 * results are computed in check/claims.ts.
 */
import type { ClaimResult } from '../check/claims';
import { MAIL_COLUMNS, hanging, toAscii } from './plainText';
import { html } from './matrix';

const SURNAME: Record<string, string> = { 'Jason Gunthorpe': 'Jason', 'Baolu Lu': 'Baolu' };

/** One block per claim; the first line is a row of a table (id, who, date, result, decided by). */
export function claimLedgerText(results: readonly ClaimResult[], width = MAIL_COLUMNS): string {
  const out: string[] = [];
  out.push('id  who    date        result  decided by (open assumptions)');
  for (const r of results) {
    const head = `${r.id.padEnd(4)}${(SURNAME[r.who] ?? r.who).padEnd(7)}${r.date.padEnd(12)}${r.result.padEnd(8)}`;
    out.push(...hanging(head, r.decidedBy.length ? r.decidedBy.join(', ') : '-', head.length, width));
    out.push(...hanging('    ', r.quote, 4, width));
    out.push(...hanging('    asserts: ', r.asserts, 6, width));
    out.push(...hanging('    $ ', r.command, 6, width));
    out.push(`    -> ${r.verdict}`);
  }
  out.push('');
  out.push(...hanging('', 'Result under the spec reading: holds or fails by the checks; open when the claim states an open assumption (its checks show what follows). Decided by: the open assumptions one of whose other values changes whether the checks are met.', 0, width));
  return `${out.map((l) => toAscii(l).trimEnd()).join('\n')}\n`;
}

/** The ledger as an HTML table (notebook 01). */
export function claimLedgerHtml(results: readonly ClaimResult[]): string {
  const color: Record<string, string> = { holds: '#0b3d0b', fails: '#b00020', open: '#7a5a00' };
  const rows = results.map((r) => `<tr><td><b>${html(r.id)}</b></td><td>${html(SURNAME[r.who] ?? r.who)}<br><small>${html(r.date)}</small></td>`
    + `<td>${html(r.quote)}<br><small>${html(r.asserts)}</small></td>`
    + `<td style="color:${color[r.result] ?? 'black'};font-weight:bold">${html(r.result)}</td>`
    + `<td>${r.decidedBy.map((d) => `<code>${html(d)}</code>`).join('<br>') || '&ndash;'}</td>`
    + `<td><code>${html(r.command)}</code><br>&rarr; ${html(r.verdict)}</td></tr>`);
  return '<table class="flushlab-claims-ledger" style="border-collapse:collapse;font-size:90%">'
    + '<tr><th>id</th><th>who</th><th>quote / asserts</th><th>result (spec)</th><th>decided by</th><th>reproduce</th></tr>'
    + `${rows.join('')}</table>`;
}
