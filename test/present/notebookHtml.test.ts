// Notebook HTML pieces (src/present/notebookHtml.ts), and that no notebook cell builds
// HTML by hand or keeps its own escape function.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { figureWithFolds, htmlTable, textTable } from '../../src/present/notebookHtml';

test('a table escapes text, keeps code on one line, passes given markup, and never breaks a word', () => {
  const h = htmlTable(['field', { code: 'a<b' }], [['x & <y>', { html: '<b>no</b>' }], [3, true]]);
  assert.match(h, /^<div class="flushlab-table" style="overflow-x:auto;max-width:100%"><table /);
  assert.ok(h.includes('x &amp; &lt;y&gt;'));
  assert.ok(h.includes('<code style="white-space:nowrap">a&lt;b</code>'));
  assert.ok(h.includes('<b>no</b>'));
  const cells = h.match(/<t[dh] style="[^"]*"/g) ?? [];
  assert.equal(cells.length, 6);
  for (const c of cells) assert.match(c, /text-align:left;.*word-break:normal;overflow-wrap:normal/);
  assert.equal(textTable(['a', 'bb'], [['ccc', { html: '&rarr;' }]]), 'a    bb\nccc  ->\n');
});

test('a figure once, each text behind its own fold, unwrapped', () => {
  const f = figureWithFolds('<svg></svg>', [{ summary: 'as text', text: 'a <b>\n' }, { summary: 'two', text: 'c' }]);
  assert.equal((f.match(/<svg>/g) ?? []).length, 1);
  assert.equal((f.match(/<details>/g) ?? []).length, 2);
  assert.ok(f.includes('<pre style="font-size:12px;line-height:1.3;white-space:pre;overflow-x:auto;word-break:normal;overflow-wrap:normal;hyphens:none">a &lt;b&gt;\n</pre>'));
});

/** Code cells that build HTML by hand or define an escape function. */
export function handBuiltHtml(source: string): string[] {
  const found: string[] = [];
  if (/<(table|tr|td|th|div|style|details|pre|span|svg)\b/.test(source)) found.push('HTML tags');
  if (/&(amp|lt|gt|rarr|ndash);/.test(source) || /replace\(\/&\/g/.test(source)) found.push('an escape function or entities');
  if (/tslab\.display\.html\(`/.test(source)) found.push('HTML built in a template');
  return found;
}

test('no notebook code cell builds HTML by hand or defines an escape function', () => {
  // Negative control: the parts table notebook 02 used to build.
  assert.deepEqual(handBuiltHtml("const esc = (s: string) => s.replace(/&/g, '&amp;');\nreturn `<table style=\"font-size:12px\">${head}</table>`;"),
    ['HTML tags', 'an escape function or entities']);
  const dir = join(__dirname, '..', '..', 'notebooks');
  const bad: string[] = [];
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.ipynb'))) {
    const nb = JSON.parse(readFileSync(join(dir, f), 'utf8')) as { cells: { cell_type: string; source: string[] }[] };
    nb.cells.forEach((c, i) => {
      if (c.cell_type !== 'code') return;
      const found = handBuiltHtml(c.source.join(''));
      if (found.length) bad.push(`${f} cell ${i}: ${found.join(', ')}`);
    });
  }
  assert.deepEqual(bad, []);
});
