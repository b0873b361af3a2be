/**
 * Reading the hex dumps people paste into mail: a PASID-table entry as printed by a debug
 * patch (`val[0] = 0x...`), a descriptor as `dmar.c` prints a queue error
 * (`qw0 = 0x..., qw1 = 0x...`), or plain words from a C initialiser.
 *
 * Accepted, one 64-bit word per token, in order (val[0]/qw0 first):
 * - tokens separated by spaces, tabs, newlines, commas or semicolons;
 * - with or without `0x`/`0X`, upper or lower case, `_` between digits (`0x0000_1000`),
 *   and a C suffix `u`, `ul`, `ull`, `l`, `ll` (`0x1009ULL`);
 * - every token is hex, even when it has only decimal digits (`1000` is 0x1000);
 * - labels `qwN =`, `qwN:`, `val[N] =`, `val[N]:` before a word and surrounding `{}`, `[]`,
 *   `()` are ignored.
 * Rejected with a SpecError naming the token:
 * - anything else (`0xzz`, `-1`, `0x`);
 * - a token of more than 16 hex digits. A 128-digit blob is ambiguous (is val[0] the first
 *   16 digits, as in a list, or the last 16, as in one 512-bit number?) and a wrong guess
 *   silently swaps every field, so the words must be given separately.
 */
import { SpecError } from './errors';

const LABEL = /\b(?:qw\s*\d+|val\s*\[\s*\d+\s*\])\s*[=:]/gi;
const TOKEN = /^(?:0x)?([0-9a-f](?:_?[0-9a-f])*)(?:ull|ul|u|ll|l)?$/i;

function shown(token: string): string {
  return token.length > 24 ? `${token.slice(0, 21)}...` : token;
}

/** The 64-bit words in `text`, in order. Throws SpecError for anything malformed. */
export function parseHexWords(text: string): bigint[] {
  if (typeof text !== 'string') throw new SpecError('hex words: expected text');
  const tokens = text.replace(LABEL, ' ').replace(/[{}[\]()]/g, ' ').split(/[\s,;]+/).filter((t) => t !== '');
  if (tokens.length === 0) throw new SpecError('no hex words given');
  return tokens.map((token, i) => {
    const m = TOKEN.exec(token);
    if (!m) throw new SpecError(`'${shown(token)}' (word ${i}) is not a hex qword`);
    const digits = m[1]!.replace(/_/g, '');
    if (digits.length > 16) {
      throw new SpecError(`'${shown(token)}' (word ${i}) has ${digits.length} hex digits; a qword has at most 16 ` +
        '(give the words separately: a long blob is ambiguous about which end is val[0])');
    }
    return BigInt(`0x${digits}`);
  });
}
