/**
 * Scenario blocks inside a whole mail: prose, greetings, signatures and quoted replies
 * around them, each block at its own `>` depth and indentation. A block is a run of lines
 * at one quote depth and one indentation that starts with a scenario key (`from:`,
 * `strategy:`, ...) and goes on while its lines are YAML of a scenario: `key: value` lines
 * with a lower-case key, lines indented deeper (a written-out strategy, a folded `why:`),
 * `#` comments, `---` separators and blank lines followed by more of the block.
 *
 * A text whose every line with content belongs to a block (or is a comment) is a scenario
 * file, not a mail, and is read as before (unquoteMail), so that its errors stay as they
 * were. Otherwise the blocks are joined as YAML documents, with a map back to the mail's
 * line numbers for messages.
 */
export interface MailBlocks {
  /** The blocks, unquoted and unindented, joined by `---` lines. */
  source: string;
  /** 1-based line of `source` -> 1-based line of the mail. */
  lineOf(line: number): number;
  blocks: number;
}

function quoteDepth(line: string): { depth: number; rest: string } {
  let depth = 0;
  let i = 0;
  // As unquoteMail: each level is '>' and at most one space after it.
  while (line[i] === '>') {
    depth++;
    i++;
    if (line[i] === ' ') i++;
  }
  return { depth, rest: line.slice(i) };
}

// Any lower-case key: an unknown key inside a block is reported by the parser, not cut off.
const KEY = /^[a-z][a-z0-9_-]*:(\s|$)/;

/**
 * The scenario blocks of a mail, or null when the text is a plain scenario file (or has
 * no block). `keys`: the keys that start a block (scenarioFile.ts SCENARIO_KEYS).
 */
export function mailBlocks(text: string, keys: readonly string[]): MailBlocks | null {
  const START = new RegExp(`^(${keys.join('|')}):(\\s|$)`);
  const lines = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n').split('\n');
  const parsed = lines.map(quoteDepth);
  const inBlock = new Array<boolean>(lines.length).fill(false);
  const blocks: { from: number; to: number; depth: number; indent: number }[] = [];
  for (let i = 0; i < lines.length; i++) {
    const { depth, rest } = parsed[i]!;
    const indent = rest.length - rest.trimStart().length;
    if (!START.test(rest.slice(indent))) continue;
    const belongs = (k: number): 'yes' | 'blank' | 'no' => {
      const p = parsed[k]!;
      // Blank, or quote marks only (clients quote an empty line as '>' at any depth).
      if (/^[>\s]*$/.test(lines[k]!)) return 'blank';
      if (p.depth !== depth) return 'no';
      const ind = p.rest.length - p.rest.trimStart().length;
      const body = p.rest.slice(indent);
      if (ind > indent) return 'yes';
      if (ind < indent) return 'no';
      return KEY.test(body) || body.startsWith('#') || /^---\s*$/.test(body) ? 'yes' : 'no';
    };
    let last = i;
    for (let k = i + 1; k < lines.length; k++) {
      const b = belongs(k);
      if (b === 'no') break;
      if (b === 'yes') last = k;
    }
    // A trailing `---` or comment belongs to what follows, not to the block.
    while (last > i && /^(---\s*|#.*)$/.test(parsed[last]!.rest.slice(indent))) last--;
    for (let k = i; k <= last; k++) inBlock[k] = true;
    blocks.push({ from: i, to: last, depth, indent });
    i = last;
  }
  if (blocks.length === 0) return null;
  // Prose: a line with content outside every block. Not a line glued to a block (right
  // after a block line at its depth, no blank between): that is a block line the parser
  // must see (a line wrapped by mail, an unknown key) and complain about, not drop.
  let glued = false;
  let prose = false;
  for (let k = 0; k < lines.length; k++) {
    const blank = /^[>\s]*$/.test(lines[k]!);
    const depthBefore = k > 0 ? parsed[k - 1]!.depth : -1;
    glued = !blank && k > 0 && (inBlock[k - 1]! || glued) && parsed[k]!.depth === depthBefore;
    if (inBlock[k] || blank || glued) continue;
    const rest = parsed[k]!.rest.trim();
    if (/^(#|%|---$|\.\.\.$)/.test(rest)) continue;
    prose = true;
  }
  if (!prose) return null;
  const out: string[] = [];
  const map: number[] = [];
  blocks.forEach((b, n) => {
    if (n > 0) { out.push('---'); map.push(b.from + 1); }
    for (let k = b.from; k <= b.to; k++) {
      const p = parsed[k]!;
      out.push(p.depth === b.depth ? p.rest.slice(Math.min(b.indent, p.rest.length - p.rest.trimStart().length)) : '');
      map.push(k + 1);
    }
  });
  return { source: `${out.join('\n')}\n`, lineOf: (line) => map[line - 1] ?? map[map.length - 1] ?? 1, blocks: blocks.length };
}
