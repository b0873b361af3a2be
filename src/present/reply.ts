/**
 * `flushlab reply`: the answer to the thread as a plain-text mail (ASCII, 72 columns, at most
 * 80 lines). Every verdict it states is followed by the command that reproduces it and
 * what that command prints:
 *
 *     $ flushlab check -t slNewDid -s jason -r 1 -d 0
 *     -> unsafe stale-after-return
 *
 * Pure rendering: the answer is computed in check/answer.ts.
 */
import type { Answer, VerdictLine } from '../check/answer';
import type { ClaimResult } from '../check/claims';
import { MAIL_COLUMNS, hanging, toAscii } from './plainText';

/** Most lines a reply may have (a mail a reader reads to the end). */
export const REPLY_MAX_LINES = 80;

/** The question each open assumption puts to Intel, in one line (docs/model.md#the-named-assumptions). */
export const QUESTIONS: Readonly<Record<string, string>> = {
  'iotlb-lookup-uses-did': 'does an IOTLB hit need the entry\'s DID?',
  'pc-inv-drops-iotlb': 'does a PC inv drop IOTLB entries?',
  'pc-inv-waits-for-walks': 'does a PC inv wait for walks in flight?',
  'inv-blocks-fills-of-other-dids': 'does an inv fence other DIDs\' fills?',
  'drain-scope': 'what in flight does an IOTLB inv drain?',
  'device-discards-racing-completions': 'is a racing completion discarded?',
  'inv-may-pass-completion': 'may an Inv Request pass a completion?',
  'devtlb-ordered-after-p-iotlb': 'dev_tlb_inv after P_IOTLB?',
  'devtlb-after-pc-inv': 'Device-TLB inv after a PC inv?',
  'entry-fetch-bits': 'how wide is one atomic entry read?',
  'entry-fetch-in-order': 'is the chunk holding P read first?',
};

const FIRST: Record<string, string> = { 'Jason Gunthorpe': 'Jason', 'Baolu Lu': 'Baolu' };

function verdictLines(line: VerdictLine): string[] {
  return [`  $ ${line.command}`, `  -> ${line.verdict}`];
}

function claimLines(c: ClaimResult, width: number): string[] {
  return [...hanging(`${c.id} ${c.result}: `, c.quote, 4, width), ...verdictLines(c)];
}

function positionLines(who: string, date: string, claims: readonly ClaimResult[], width: number): string[] {
  const ids = (r: string) => claims.filter((c) => c.result === r).map((c) => c.id).join(', ') || 'none';
  const out = hanging('', `${FIRST[who] ?? who} (${date}): right ${ids('holds')}; wrong ${ids('fails')}; open ${ids('open')}.`, 0, width);
  for (const c of claims) out.push(...claimLines(c, width));
  return out;
}

export interface ReplyOptions {
  /** The tool's version, named so a reader can reproduce the same model. */
  version: string;
  width?: number;
}

export function replyText(a: Answer, options: ReplyOptions): string {
  const width = options.width ?? MAIL_COLUMNS;
  const out: string[] = [];
  const para = (text: string) => out.push(...hanging('', text, 0, width));
  para('Jason, Baolu,');
  out.push('');
  para(`I checked each position against an exhaustive model of the VT-d PASID cache, IOTLB, invalidation queue, ATS link and ATC (flushlab ${options.version}; VT-d 5.10, PCIe 6.2), under the spec reading. Each verdict comes with the command that reproduces it.`);
  out.push('');
  const groups: [string, string][] = [];
  for (const c of a.claims) if (!groups.some(([w, d]) => w === c.who && d === c.date)) groups.push([c.who, c.date]);
  for (const [who, date] of groups) {
    out.push(...positionLines(who, date, a.claims.filter((c) => c.who === who && c.date === date), width));
    out.push('');
  }
  if (a.cheapest) {
    const t = a.cheapest.total;
    para(`Cheapest built-in sequence safe on ${a.judged.join(', ')}, at PASID 0x10 and 0 (one ATS request, one DMA): ${a.cheapest.strategy}, ${a.cheapest.description} (${t.submissions} submissions, ${t.waits} waits in all).`);
    for (const l of a.cheapest.lines) out.push(...verdictLines(l));
  } else {
    para(`No built-in sequence is safe on ${a.judged.join(', ')} at PASID 0x10 and 0.`);
  }
  if (a.unfixable.length) {
    para(`No sequence fixes ${a.unfixable.map((u) => u.transition).join(' or ')}: the writer clears P there, and what the IOMMU reads meanwhile is the fetch questions below.`);
    for (const u of a.unfixable) out.push(...verdictLines(u.line));
  }
  out.push('');
  para('Questions for Intel (each decides a claim above; flushlab claims says which):');
  for (const q of a.questions) out.push(...hanging(`- ${q.assumption}: `, QUESTIONS[q.assumption] ?? '?', 4, width));
  return `${out.map((l) => toAscii(l).trimEnd()).join('\n')}\n`;
}
