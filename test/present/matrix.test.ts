import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  cellText, matrixToHtml, matrixToMarkdown, matrixToText, sweepToText, sweepsToHtml, SWEEP_HTML_ROWS, sweepsToMarkdown, sweepsToText,
  verdictMatrix, type SweepLike,
} from '../../src/present/matrix';
import type { CheckResult } from '../../src/check/result';
import { inconclusiveResult, safeResult, unsafeResult } from './sample';

const results: CheckResult[] = [
  { ...unsafeResult, assume: 'spec' }, { ...unsafeResult, assume: 'jason', verdict: 'safe', violations: [] }, { ...unsafeResult, assume: 'baolu' },
  { ...safeResult, assume: 'spec' }, { ...safeResult, assume: 'jason' }, { ...safeResult, assume: 'baolu' },
  { ...inconclusiveResult, assume: 'spec' },
  { ...safeResult, strategy: 'teardown-setup', assume: 'spec', notHitlessByDesign: true },
  { ...unsafeResult, strategy: 'no-flush', assume: 'spec,coherent=false,entry-fetch-bits=64' },
];

function mailLines(text: string): string[] {
  const ls = text.slice(0, -1).split('\n');
  for (const l of ls) assert.ok(l.length <= 72 && /^[\x20-\x7e]*$/.test(l) && l === l.trimEnd(), `not mail text: '${l}'`);
  return ls;
}

test('the matrix: strategies down, presets across, in the order checked', () => {
  const m = verdictMatrix(results);
  assert.deepEqual(m.rows, ['jason', 'baolu', 'table28', 'teardown-setup', 'no-flush']);
  assert.deepEqual(m.columns, ['spec', 'jason', 'baolu', 'spec,coherent=false,entry-fetch-bits=64']);
  assert.equal(m.title, 'sl:did=5,ssptptr=0x1000 -> sl:did=6,ssptptr=0x2000');
  assert.deepEqual(m.rows.map((_, i) => m.columns.map((__, j) => cellText(m.cells[i][j]))), [
    ['unsafe: stale-after-return', 'safe', 'unsafe: stale-after-return', '-'],
    ['safe', 'safe', 'safe', '-'],
    ['inconclusive', '-', '-', '-'],
    ['safe*', '-', '-', '-'],
    ['-', '-', '-', 'unsafe: stale-after-return'],
  ]);
  assert.throws(() => verdictMatrix([unsafeResult, unsafeResult]), /two results for jason under/);
});

test('as text: within 72 columns, a long preset becomes a numbered note, the legend explains *', () => {
  const ls = mailLines(matrixToText(verdictMatrix(results)));
  assert.equal(ls[0], 'Verdicts: sl:did=5,ssptptr=0x1000 -> sl:did=6,ssptptr=0x2000');
  assert.match(ls[2], /^strategy +spec +jason +baolu$/);
  assert.ok(ls.includes('[1] spec,coherent=false,entry-fetch-bits=64'));
  assert.ok(ls.some((l) => l.startsWith('* safe, but not hitless by design')));
  assert.ok(ls.some((l) => /^jason +unsafe: +safe +unsafe:$/.test(l)));
});

test('as Markdown and HTML: a row per strategy, escaped, verdicts in words', () => {
  const md = matrixToMarkdown(verdictMatrix(results));
  assert.match(md, /^\| strategy \| `spec` \| `jason` \| `baolu` \| `spec,coherent=false,entry-fetch-bits=64` \|$/m);
  assert.match(md, /^\| jason \| \*\*unsafe: stale-after-return\*\* \| safe \| \*\*unsafe: stale-after-return\*\* \| - \|$/m);
  assert.match(md, /^\| teardown-setup \| safe\\\* \|/m);
  const h = matrixToHtml(verdictMatrix([{ ...safeResult, strategy: '<b>&' }]));
  assert.match(h, /<th [^>]*>&lt;b&gt;&amp;<\/th>/);
  assert.match(h, /title="safe, 18342 states">safe<\/td>/);
  assert.equal((matrixToHtml(verdictMatrix(results)).match(/<tr>/g) ?? []).length, 6);
});

const sweep: SweepLike = {
  strategy: 'jason',
  condition: 'iotlb-lookup-uses-did && pc-inv-waits-for-walks || iotlb-inv-drains-translations && !inv-may-pass-completion',
  variables: ['iotlb-lookup-uses-did', 'pc-inv-waits-for-walks', 'iotlb-inv-drains-translations'],
  rows: [0, 1, 2, 3, 4, 5, 6, 7].map((k) => ({
    assumptions: { 'iotlb-lookup-uses-did': !!(k & 4), 'pc-inv-waits-for-walks': !!(k & 2), 'iotlb-inv-drains-translations': !!(k & 1) },
    verdict: k >= 6 ? 'safe' as const : 'unsafe' as const, states: 1000 + k,
  })),
};

test('a sweep: the condition on its own line(s), counts, and on request every combination', () => {
  const ls = mailLines(sweepToText(sweep, { title: 'sl:did=5 -> sl:did=6', table: true }));
  assert.equal(ls[0], 'Sweep: jason on sl:did=5 -> sl:did=6');
  assert.equal(ls[1], 'Safe when: iotlb-lookup-uses-did && pc-inv-waits-for-walks ||');
  assert.equal(ls[2], '           iotlb-inv-drains-translations && !inv-may-pass-completion');
  assert.match(ls[3], /^ {2}\(safe in 2 of 8 combinations; assumptions swept:/);
  assert.ok(ls.includes('  a  iotlb-lookup-uses-did'));
  assert.ok(ls.includes('  1 1 0  safe           1006'));
  assert.ok(!sweepToText(sweep).includes('1006'), 'no table unless asked');
});

test('several sweeps: one row per strategy, as text, Markdown and HTML', () => {
  const all = [sweep, { ...sweep, strategy: 'baolu', condition: 'always' }, { ...sweep, strategy: 'no-flush', condition: 'never' }];
  const ls = mailLines(sweepsToText(all, { title: 'SL -> SL, new DID' }));
  assert.deepEqual(ls.slice(2, 4), ['strategy  safe when', '--------  ----------------------------------------']);
  assert.ok(ls.includes('baolu     always') && ls.includes('no-flush  never'));
  assert.match(sweepsToMarkdown(all), /^\| baolu \| `always` \| safe in 2 of 8 combinations \|$/m);
  const h = sweepsToHtml(all);
  assert.equal((h.match(/<details>/g) ?? []).length, 3);
  assert.match(h, /<code>iotlb-lookup-uses-did &amp;&amp; pc-inv-waits-for-walks/);
});

test('a sweep with more rows than a page can carry is not listed in HTML, and says where the rows are', () => {
  const big = { ...sweep, rows: Array.from({ length: SWEEP_HTML_ROWS + 1 }, (_, k) => ({ ...sweep.rows[k % 8], states: k })) };
  const h = sweepsToHtml([big]);
  assert.ok(!h.includes('<details>'));
  assert.match(h, new RegExp(`every combination \\(${SWEEP_HTML_ROWS + 1}\\): too many to list here`));
  const atLimit = { ...big, rows: big.rows.slice(0, SWEEP_HTML_ROWS) };
  assert.equal((sweepsToHtml([atLimit]).match(/<details>/g) ?? []).length, 1);
});

test('the same input gives the same bytes', () => {
  const again = structuredClone(results);
  assert.equal(matrixToText(verdictMatrix(results)), matrixToText(verdictMatrix(again)));
  assert.equal(matrixToHtml(verdictMatrix(results)), matrixToHtml(verdictMatrix(again)));
  assert.equal(sweepsToHtml([sweep]), sweepsToHtml([structuredClone(sweep)]));
});
