// `flushlab run`: exit 0 when every scenario answers what its file expects, 1 on a
// mismatch, 2 on bad input (one line naming file and line); mail-mangled files still run.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli';

const dir = mkdtempSync(join(tmpdir(), 'flushlab-run-'));
after(() => rmSync(dir, { recursive: true, force: true }));
function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

// Negative controls answer in a few states, so these tests stay fast.
const NO_FLUSH = [
  '# No invalidation at all: the ATC keeps the old translation.',
  'name: no-flush-sl-sl',
  'from: sl:did=5,ssptptr=0x1000',
  'to: sl:did=6,ssptptr=0x2000',
  'strategy: no-flush',
  'result: unsafe stale-after-return',
  'why: nothing drops the old translation the device has cached.',
  '',
].join('\n');

function mailLines(text: string): void {
  for (const l of text.split('\n')) assert.ok(l.length <= 72 && /^[\x20-\x7e]*$/.test(l), `not mail text: '${l}'`);
}

test('a scenario that answers as expected: the result block, the counterexample, exit 0', async () => {
  const r = await runCli(['run', file('ok.yaml', NO_FLUSH)]);
  assert.equal(r.err, '');
  assert.equal(r.code, 0);
  assert.match(r.out, /^Test no-flush-sl-sl Allowed\nOk\n {2}stale-after-return at step \d+: /);
  assert.match(r.out, /^Explored \d+ states; stopped at the first violation$/m);
  assert.match(r.out, /^Expected unsafe stale-after-return \(ok\)$/m);
  assert.match(r.out, /^Hash=[0-9a-f]{32}$/m);
  assert.match(r.out, /^\*\*\* VIOLATION stale-after-return: /m);
  mailLines(r.out);
});

test('a mismatch with the expectation fails the run (exit 1) and says MISMATCH', async () => {
  const r = await runCli(['run', file('bad.yaml', NO_FLUSH.replace('result: unsafe stale-after-return', 'result: safe'))]);
  assert.equal(r.code, 1);
  assert.match(r.out, /^Expected safe \(MISMATCH\)$/m);
});

test('several files: every block, then a summary naming the mismatches', async () => {
  const a = file('a.yaml', NO_FLUSH);
  const b = file('b.yaml', NO_FLUSH.replace('no-flush-sl-sl', 'no-flush-wrong').replace('result: unsafe stale-after-return', 'result: unsafe hitless'));
  const r = await runCli(['run', a, b]);
  assert.equal(r.code, 1);
  assert.equal((r.out.match(/^Test /gm) ?? []).length, 2);
  assert.match(r.out, /\nSummary: 1 of 2 as expected; MISMATCH: no-flush-wrong\n$/);
  const ok = await runCli(['run', a, a]);
  assert.match(ok.out, /\nSummary: 2 of 2 as expected\n$/);
});

test('a file pasted through mail quoting or with CRLF line ends runs the same', async () => {
  const plain = await runCli(['run', file('plain.yaml', NO_FLUSH)]);
  const quoted = NO_FLUSH.split('\n').map((l) => (l ? `> ${l}` : '>')).join('\n');
  for (const [name, text] of [['quoted.yaml', quoted], ['twice.yaml', quoted.replace(/^>/gm, '> >')], ['crlf.yaml', NO_FLUSH.replace(/\n/g, '\r\n')],
    ['quoted-crlf.yaml', quoted.replace(/\n/g, '\r\n')]]) {
    const r = await runCli(['run', file(name, text)]);
    assert.equal(r.code, 0, `${name}: ${r.err}`);
    assert.equal(r.out, plain.out, name);
  }
});

test('a file quoted on some lines only fails clearly: which line, what is wrong, what to do', async () => {
  const partly = NO_FLUSH.split('\n').map((l, i) => (l && i < 5 ? `> ${l}` : l)).join('\n');
  const p = file('partly.yaml', partly);
  const r = await runCli(['run', p]);
  assert.equal(r.code, 2);
  assert.equal(r.err, `flushlab: ${p}:6: line is not mail-quoted but line 1 is quoted > (depth 1); quote every line the same way or remove the '> ' prefixes\n`);
  assert.equal(r.out, '');
});

test('bad input is one line naming the file and line, exit 2, before anything is checked', async () => {
  const cases: [string, string, RegExp][] = [
    ['strategy', NO_FLUSH.replace('strategy: no-flush', 'strategy: nope'), /:5: strategy: unknown strategy 'nope' \(strategies: /],
    ['assume', `${NO_FLUSH}assume: spec,coherent=maybe\n`, /:8: assume: assumption 'coherent' is true or false, not 'maybe'$/],
    ['entry', NO_FLUSH.replace('to: sl:did=6', 'to: sl:dd=6'), /:4: to: unknown field 'dd' /],
    ['key', `${NO_FLUSH}reslt: safe\n`, /:8: unknown key 'reslt' /],
    ['yaml', NO_FLUSH.replace('strategy: no-flush', 'strategy: [no-flush'), /:6: Flow sequence in block collection must be sufficiently indented and end with a \]$/],
  ];
  for (const [name, text, re] of cases) {
    const good = file('first.yaml', NO_FLUSH);
    const r = await runCli(['run', good, file(`${name}.yaml`, text)]);
    assert.equal(r.code, 2, name);
    assert.equal(r.out, '', `${name}: nothing checked`);
    assert.equal(r.err.split('\n').length, 2, `${name}: one line`);
    assert.match(r.err.trimEnd(), re, name);
  }
  const missing = await runCli(['run', join(dir, 'nope.yaml')]);
  assert.equal(missing.code, 2);
  assert.equal(missing.err, `flushlab: ${join(dir, 'nope.yaml')}: no such file\n`);
  assert.equal((await runCli(['run', file('f.yaml', NO_FLUSH), '--format', 'pdf'])).err, "flushlab: --format must be one of text, json, mermaid, svg (got 'pdf')\n");
  assert.equal((await runCli(['run'])).code, 2);
});

test('--format json: one object per scenario with the expectation, the outcome and the result', async () => {
  const r = await runCli(['run', file('j.yaml', NO_FLUSH), '--format', 'json']);
  assert.equal(r.code, 0);
  const [o] = JSON.parse(r.out) as Record<string, unknown>[];
  assert.equal(o.name, 'no-flush-sl-sl');
  assert.equal(o.expected, 'unsafe stale-after-return');
  assert.equal(o.outcome, 'unsafe stale-after-return');
  assert.equal(o.match, true);
  assert.match(String(o.hash), /^[0-9a-f]{32}$/);
  assert.equal((o.result as { verdict: string }).verdict, 'unsafe');
  assert.ok(!('millis' in (o.result as object)), 'no wall time');
  assert.equal((await runCli(['run', file('j.yaml', NO_FLUSH), '--format', 'json'])).out, r.out, 'same bytes twice');
});

test('--format mermaid and svg; two scenarios draw side by side, three are refused', async () => {
  const f = file('m.yaml', NO_FLUSH);
  const m = await runCli(['run', f, '--format', 'mermaid']);
  assert.match(m.out, /^sequenceDiagram\n {4}%% Test no-flush-sl-sl Allowed\n[\s\S]*\n {4}participant driver as CPU\/driver\n/);
  assert.equal((m.out.match(/^sequenceDiagram$/gm) ?? []).length, 1);
  const s = await runCli(['run', f, '--format', 'svg']);
  assert.match(s.out, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  assert.equal((s.out.match(/<g class="panel"/g) ?? []).length, 1);
  const two = await runCli(['run', f, f, '--format', 'svg']);
  assert.equal((two.out.match(/<g class="panel"/g) ?? []).length, 2);
  const three = await runCli(['run', f, f, f, '--format', 'svg']);
  assert.equal(three.code, 2);
  assert.equal(three.err, 'flushlab: --format svg draws one scenario, or two side by side (got 3)\n');
});

test('a strategy written in a cell, exported with scenarioToYaml, runs from the file (and from the quoted mail)', async () => {
  const { scenarioToYaml } = await import('../../src/scenarios/scenarioFile');
  const { STRATEGIES } = await import('../../src/model/strategies');
  const mine = { ...structuredClone(STRATEGIES['jason-ordered']), name: 'my-ordered', description: 'jason-ordered, copied in a cell' };
  const text = scenarioToYaml({ name: 'my-ordered-sl-sl', from: 'sl:did=5,ssptptr=0x1000', to: 'sl:did=6,ssptptr=0x2000', strategy: mine, requests: 1, dmas: 0 },
    'safe', 'one P_IOTLB ahead of the Device-TLB inv: a copy of jason-ordered');
  assert.ok(!/[&*]a\d/.test(text), 'no YAML anchors or aliases in a file meant for a mail');
  for (const l of text.split('\n')) assert.ok(l.length <= 68, l);
  const r = await runCli(['run', file('mine.yaml', text)]);
  assert.equal(r.err, '');
  assert.match(r.out, /^Strategy my-ordered$/m);
  assert.match(r.out, /^Expected safe \(ok\)$/m);
  const quoted = await runCli(['run', file('mine-quoted.yaml', text.replace(/^/gm, '> ').replace(/> $/, ''))]);
  assert.equal(quoted.out, r.out);
  // A bad strategy value is reported at the line of what is wrong (its writer: line).
  const bad = await runCli(['run', file('bad-strategy.yaml', text.replace('writer: entry_sync', 'writer: magic'))]);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /bad-strategy\.yaml:9: strategy: writer must be 'entry_sync'/);
});

test('strategy: takes a one-line strategy as --strategy does; the same verdicts as the built-in it spells; a bad line names its line', async () => {
  const { formatStrategyLine } = await import('../../src/model/strategyLine');
  const { STRATEGIES } = await import('../../src/model/strategies');
  const scenario = (name: string, strategy: string, result: string) => [
    `name: ${name}`, 'from: sl:did=5,ssptptr=0x1000', 'to: sl:did=6,ssptptr=0x2000',
    `strategy: ${strategy}`, 'requests: 1', 'dmas: 0', `result: ${result}`, ''].join('\n');
  // jason-ordered is safe and no-devtlb unsafe here: the line must carry the difference.
  const ordered = formatStrategyLine(STRATEGIES['jason-ordered']);
  const noDevtlb = formatStrategyLine(STRATEGIES['no-devtlb']);
  assert.ok(ordered.includes(';') && noDevtlb.includes(';'));
  const text = `${scenario('line-ordered', ordered, 'safe')}---\n${scenario('line-no-devtlb', noDevtlb, 'unsafe stale-after-return')}`;
  const r = await runCli(['run', file('line.yaml', text)]);
  assert.equal(r.err, '');
  assert.equal(r.code, 0, r.out);
  assert.match(r.out, /^Strategy jason-ordered$/m);
  assert.match(r.out, /^Expected safe \(ok\)$/m);
  assert.match(r.out, /^Expected unsafe stale-after-return \(ok\)$/m);
  // The built-ins give the same verdicts (negative control: swapping the lines' results fails).
  const byName = await runCli(['run', file('names.yaml', text.replace(ordered, 'jason-ordered').replace(noDevtlb, 'no-devtlb'))]);
  assert.equal(byName.code, 0, byName.out);
  const swapped = await runCli(['run', file('swapped.yaml', `${scenario('a', ordered, 'unsafe stale-after-return')}---\n${scenario('b', noDevtlb, 'safe')}`)]);
  assert.equal(swapped.code, 1);
  assert.equal((swapped.out.match(/^Expected .*\(MISMATCH\)$/gm) ?? []).length, 2);
  // A line that does not parse: one error line at the strategy's line, exit 2.
  const bad = await runCli(['run', file('bad-line.yaml', scenario('bad', 'sync=pc+bogus;after=devtlb', 'safe'))]);
  assert.equal(bad.code, 2);
  assert.equal(bad.out, '');
  assert.match(bad.err, /^flushlab: .*bad-line\.yaml:4: strategy: strategy line: 'bogus' is not a descriptor/);
  assert.equal(bad.err.trim().split('\n').length, 1);
});
