/**
 * A strategy as a few lines a person reads (and pastes into a mail): what each writer sync
 * does, by how the present bit changed, and what runs after the writer returns. ASCII,
 * at most 72 columns; the value itself (JSON) stays the source of truth.
 */
import type { Action, DescriptorTemplate, PresenceChange, Strategy } from '../model/strategies';
import { GLUE, MAIL_COLUMNS, hanging, toAscii } from './plainText';

/** One descriptor as the kernel names it: `PC_INV(pasid, old DID)`. */
export function templateText(d: DescriptorTemplate): string {
  switch (d.type) {
    case 'pc_inv': return `PC_INV(${d.granularity}, ${d.did} DID)`;
    case 'p_iotlb_inv': return `P_IOTLB(${d.granularity}, ${d.did} DID)`;
    case 'iotlb_inv': return `IOTLB(${d.granularity}, ${d.did} DID)`;
    case 'iotlb_by_pgtt': return `IOTLB by old PGTT(${d.did} DID)`;
    case 'devtlb': return 'DEVTLB(all)';
    case 'inv_wait': return d.fn ? 'WAIT(FN)' : 'WAIT';
  }
}

const WHEN: Record<string, string> = { 'not-coherent': 'if not coherent', 'caching-mode': 'only under caching mode' };

/** One action: `clflush (if not coherent)`, `submit [PC_INV(pasid, old DID)] + wait`. */
export function actionText(a: Action): string {
  return actionWords(a, ' ');
}

/**
 * `space` inside an action: GLUE keeps `submit [PC_INV(pasid, old DID)] + wait` on one line
 * when wrapped (a list of descriptors may still break after a comma).
 */
function actionWords(a: Action, space: string): string {
  const glue = (t: string) => t.replace(/ /g, space);
  const when = a.when ? ` ${glue(`(${WHEN[a.when] ?? a.when})`)}` : '';
  if (a.do === 'clflush') return `${glue('clflush')}${when}`;
  const list = a.descriptors.map((d) => glue(templateText(d))).join(', ');
  return `${glue(`submit [${list}]${a.wait === 'poll' ? ' + wait' : ', no wait'}`)}${when}`;
}

function actionsText(actions: readonly Action[] | undefined): string {
  if (!actions || actions.length === 0) return 'nothing';
  return actions.map((a) => actionWords(a, GLUE)).join('; ');
}

/** Section signs spelled for ASCII mail ("VT-d 5.10 6.5.3.3"). */
function plain(s: string): string {
  return s.replace(/§\s*/g, '');
}

const CHANGES: readonly PresenceChange[] = ['P1->P1', 'P1->P0', 'P0->P1', 'P0->P0'];

/**
 * The strategy in lines: name and description, source, writer, each sync case (cases
 * doing the same as one already listed say so), and the after part.
 */
export function strategyToText(s: Strategy, width = MAIL_COLUMNS): string {
  const out: string[] = [];
  out.push(...hanging(`strategy ${s.name}: `, plain(s.description) || '(no description)', 2, width));
  if (s.source) out.push(...hanging('  source: ', plain(s.source), 10, width));
  out.push(`  writer: ${s.writer}`);
  if (s.before && s.before.length > 0) out.push(...hanging('  before:      ', actionsText(s.before), 15, width));
  const seen: [PresenceChange, string][] = [];
  for (const c of CHANGES) {
    if (!(c in s.sync)) continue;
    const text = actionsText(s.sync[c]);
    const same = seen.find(([, t]) => t === text);
    out.push(...hanging(`  sync ${c}: `, same ? `as ${same[0]}` : text, 15, width));
    seen.push([c, text]);
  }
  out.push(...hanging('  after:       ', actionsText(s.after), 15, width));
  return `${out.map((l) => toAscii(l).trimEnd()).join('\n')}\n`;
}
