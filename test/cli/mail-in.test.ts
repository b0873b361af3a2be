// Mail in: `flushlab run -` reads standard input (capped like a file), and a whole mail —
// prose, quoted replies at two depths, an indented block, a signature — runs the scenario
// blocks in it, with errors at the mail's line numbers.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { flushlab, root } from '../helpers/process';
import { MAX_FILE_BYTES } from '../../src/scenarios/scenarioFile';

const MAIL = readFileSync(join(root, 'test', 'fixtures', 'mail-two-blocks.txt'), 'utf8');
const dir = mkdtempSync(join(tmpdir(), 'flushlab-mail-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function twoResults(out: string): void {
  assert.match(out, /^Test no-flush-quoted Allowed$/m);
  assert.match(out, /^Test baolu-quoted Allowed$/m);
  assert.match(out, /^Expected unsafe stale-after-return \(ok\)$/m);
  assert.match(out, /^Expected safe \(ok\)$/m);
  assert.match(out, /^Summary: 2 of 2 as expected$/m);
}

test('a whole mail with two quoted scenario blocks, piped through run -', () => {
  const r = flushlab(['run', '-'], { input: MAIL });
  assert.equal(r.stderr, '');
  assert.equal(r.status, 0);
  twoResults(r.stdout);
});

test('the same mail as a file, with CRLF line ends; run --json names the mail lines', () => {
  const p = join(dir, 'mail.txt');
  writeFileSync(p, MAIL.replace(/\n/g, '\r\n'));
  const r = flushlab(['run', p]);
  assert.equal(r.stderr, '');
  assert.equal(r.status, 0);
  twoResults(r.stdout);
  const j = flushlab(['run', '--json', p]);
  assert.equal(j.status, 0);
  const runs = JSON.parse(j.stdout) as { name: string; line: number; match: boolean }[];
  assert.deepEqual(runs.map((x) => [x.name, x.line, x.match]), [['no-flush-quoted', 5, true], ['baolu-quoted', 20, true]]);
});

test('a bad value inside a mail is reported at the line of the mail', () => {
  const bad = MAIL.replace('>     strategy: baolu', '>     strategy: bogus');
  const r = flushlab(['run', '-'], { input: bad });
  assert.equal(r.status, 2);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /^flushlab: stdin:23: strategy: unknown strategy 'bogus'/);
  assert.equal(r.stderr.split('\n').filter(Boolean).length, 1);
});

test('standard input larger than a scenario file may be is one line, exit 2', () => {
  const r = flushlab(['run', '-'], { input: 'x'.repeat(MAX_FILE_BYTES + 10) });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /^flushlab: standard input is larger than \d+ bytes/);
  assert.equal(r.stderr.split('\n').filter(Boolean).length, 1);
});

test('prose with no scenario block is still one line, exit 2', () => {
  const r = flushlab(['run', '-'], { input: 'Hi,\n\nno scenario here.\n-- \nme\n' });
  assert.equal(r.status, 2);
  assert.equal(r.stderr.split('\n').filter(Boolean).length, 1);
});
