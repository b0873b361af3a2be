// `flushlab reply`: the stored copy (docs/reply.txt) is what the command prints, byte for
// byte; every `$ flushlab check` line in it prints the verdict stated under it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli';
import { REPLY_MAX_LINES, QUESTIONS } from '../../src/present/reply';
import { OPEN_ASSUMPTIONS } from '../../src/check/sweep';

const STORED = join(__dirname, '..', '..', 'docs', 'reply.txt');

/** The reply's verdict lines: each command and the verdict stated under it. */
export function verdictPairs(text: string): { argv: string[]; verdict: string }[] {
  const lines = text.split('\n');
  const pairs: { argv: string[]; verdict: string }[] = [];
  lines.forEach((l, i) => {
    const m = /^ {2}\$ flushlab (check .*)$/.exec(l);
    if (!m) return;
    const v = /^ {2}-> (safe|unsafe [a-z-]+)$/.exec(lines[i + 1] ?? '');
    assert.ok(v, `line ${i + 2} must state the verdict of: ${l}`);
    pairs.push({ argv: m[1]!.split(' '), verdict: v[1]! });
  });
  return pairs;
}

test('the reply is the stored copy, byte for byte; mail-ready: ASCII, 72 columns, at most 80 lines', async () => {
  const r = await runCli(['reply']);
  assert.equal(r.code, 0);
  assert.equal(r.out, readFileSync(STORED, 'utf8'), 'docs/reply.txt is stale: node bin/flushlab.js reply > docs/reply.txt, and review the change');
  const lines = r.out.replace(/\n$/, '').split('\n');
  assert.ok(lines.length <= REPLY_MAX_LINES, `${lines.length} lines`);
  for (const l of lines) assert.ok(l.length <= 72 && /^[\x20-\x7e]*$/.test(l), l);
  assert.match(r.out, /^Cheapest built-in sequence safe on /m);
  assert.match(r.out, /^Questions for Intel/m);
});

test('every `$ flushlab check` line of the reply exits with the verdict printed under it', async () => {
  const pairs = verdictPairs(readFileSync(STORED, 'utf8'));
  assert.ok(pairs.length >= 10);
  for (const { argv, verdict } of pairs) {
    const r = await runCli(argv);
    assert.equal(r.code, verdict === 'safe' ? 0 : 1, argv.join(' '));
    const printed = /^Verdict (.*)$/m.exec(r.out)?.[1];
    assert.equal(printed, verdict, argv.join(' '));
  }
});

test('negative control: a verdict line that does not match its command is caught', async () => {
  const wrong = verdictPairs('  $ flushlab check -t slNewDid -s jason -r 1 -d 0\n  -> safe\n')[0]!;
  const r = await runCli(wrong.argv);
  assert.notEqual(/^Verdict (.*)$/m.exec(r.out)?.[1], wrong.verdict);
  assert.throws(() => verdictPairs('  $ flushlab check -t slNewDid -s jason -r 1 -d 0\n'), /must state the verdict/);
});

test('every open assumption has its question for Intel', () => {
  assert.deepEqual(Object.keys(QUESTIONS).sort(), [...OPEN_ASSUMPTIONS].sort());
});
