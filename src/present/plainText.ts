/**
 * Plain-text helpers shared by every text renderer: ASCII only and at most 72 columns,
 * because the output is pasted into plain-text kernel mail, which is read at 72 columns.
 */

/** The width of a plain-text mail line. */
export const MAIL_COLUMNS = 72;

// Characters the model's step texts may contain, spelled in ASCII.
const ASCII_SPELLING: Record<string, string> = {
  '\u2192': '->', '\u2190': '<-', '\u2194': '<->', '\u21d2': '=>',
  '\u2260': '!=', '\u2264': '<=', '\u2265': '>=', '\u00d7': 'x',
  '\u2013': '-', '\u2014': '--', '\u2018': "'", '\u2019': "'", '\u201c': '"', '\u201d': '"',
  '\u2026': '...', '\u00a0': ' ', '\u2227': '&&', '\u2228': '||', '\u00ac': '!',
  '\u2713': 'ok', '\u2717': 'x', '\u00b7': '.', '\u2022': '-',
};

/** Joins two words so that wrapping keeps them on one line ("step 3"). */
export const GLUE = '\u00a0';

/** The text in printable ASCII: known symbols spelled out, anything else as `?`. */
export function toAscii(text: string): string {
  return asciiKeepGlue(text).replace(/\u00a0/g, ' ');
}

function asciiKeepGlue(text: string): string {
  let out = '';
  for (const ch of text.replace(/\t/g, ' ')) {
    const code = ch.codePointAt(0) ?? 0;
    if (code >= 0x20 && code < 0x7f) out += ch;
    else if (ch === GLUE) out += ch;
    else if (ASCII_SPELLING[ch] !== undefined) out += ASCII_SPELLING[ch];
    else out += '?';
  }
  return out;
}

/**
 * Wraps `text` to lines of at most `width` columns (the first line `firstWidth`),
 * breaking at spaces; a word longer than a line is cut (a hex dump must not push a line
 * past the mail width).
 */
export function wrap(text: string, width: number, firstWidth = width): string[] {
  if (width < 1 || firstWidth < 1) throw new RangeError(`wrap width ${Math.min(width, firstWidth)} < 1`);
  const words = asciiKeepGlue(text).split(' ').filter((w) => w.length > 0);
  const lines: string[] = [];
  let line = '';
  const room = () => (lines.length === 0 ? firstWidth : width);
  for (let word of words) {
    if (line && line.length + 1 + word.length <= room()) { line += ` ${word}`; continue; }
    if (line) { lines.push(line); line = ''; }
    while (word.length > room()) {
      const cut = room();
      lines.push(word.slice(0, cut));
      word = word.slice(cut);
    }
    line = word;
  }
  if (line || lines.length === 0) lines.push(line);
  return lines.map((l) => l.replace(/\u00a0/g, ' '));
}

/**
 * `first` followed by `text`, wrapped so that continuation lines start at `indent`
 * spaces; every line at most `width` columns.
 */
export function hanging(first: string, text: string, indent: number, width = MAIL_COLUMNS): string[] {
  const head = toAscii(first).slice(0, width - 1);
  const pad = ' '.repeat(indent);
  const lines = wrap(text, width - indent, width - head.length);
  return lines.map((l, i) => (i === 0 ? head + l : pad + l).trimEnd());
}

/** Pads or keeps `s` to exactly `n` columns (left-aligned). */
export function padRight(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

/** Right-aligns `s` in `n` columns. */
export function padLeft(s: string, n: number): string {
  return s.length >= n ? s : ' '.repeat(n - s.length) + s;
}
