/**
 * `flushlab strategies`: each strategy's name and description, and under it the source it
 * rests on (for a position of the thread: who, when, and the words), wrapped to the mail
 * width. Pure rendering: strategies in, text out.
 */
import type { Strategy } from '../model/strategies';
import { MAIL_COLUMNS, hanging } from './plainText';

export function strategyList(strategies: readonly Pick<Strategy, 'name' | 'description' | 'source'>[], width = MAIL_COLUMNS): string {
  const nameWidth = Math.max(...strategies.map((s) => s.name.length));
  const indent = nameWidth + 2;
  const out: string[] = [];
  for (const s of strategies) {
    out.push(...hanging(`${s.name.padEnd(nameWidth)}  `, s.description.replace(/§\s*/g, ''), indent, width));
    if (s.source) out.push(...hanging(`${' '.repeat(indent)}source: `, s.source.replace(/§\s*/g, ''), indent + 2, width));
  }
  return out.join('\n');
}
