import { test } from 'node:test';
import assert from 'node:assert/strict';
import { main } from '../../src/cli/main';
import { runCli } from '../helpers/cli';
import { errorLine, quote } from '../../src/cli/oneLine';
import { SL } from '../helpers/process';

function assertOneLine(r: { code: number; out: string; err: string }, what: string): void {
  assert.equal(r.code, 2, `${what}: ${r.out}${r.err}`);
  assert.equal(r.out, '', what);
  assert.match(r.err, /^flushlab: [^\n]+\n$/, what);
  assert.ok(r.err.length < 500, `${what}: ${r.err.length} characters`);
}

// Issue 16 item 8: a 100 KB argument gave a 100 KB line, a two-line argument a two-line message.
test('input is quoted shortened and escaped: one short line whatever the argument', async () => {
  const big = 'x'.repeat(100_000);
  for (const argv of [
    ['check', ...SL, '--strategy', big],
    ['check', ...SL, '--strategy', 'jason', '--assume', big],
    ['check', ...SL, '--strategy', 'jason', '--max-states', big],
    ['check', '--from', big, '--to', 'off', '--strategy', 'jason'],
    [`--${big}`],
    ['help', big],
    ['writer', '--format', big, '--from', 'off', '--to', 'off'],
    ['run', '--format', big, 'x.yaml'],
  ]) assertOneLine(await runCli(argv), argv.map((a) => a.slice(0, 20)).join(' '));
  const twoLines = await runCli(['check', ...SL, '--strategy', 'a\nb\u001b[31m']);
  assertOneLine(twoLines, 'newline');
  assert.match(twoLines.err, /'a\\nb\\x1b\[31m'/);
});

test('quote and errorLine', () => {
  assert.equal(quote('a\tb\r\n'), 'a\\tb\\r\\n');
  assert.equal(quote('y'.repeat(61)), `${'y'.repeat(60)}…`);
  assert.equal(errorLine(`unknown strategy '${'z'.repeat(70)}' (strategies: a)`), `unknown strategy '${'z'.repeat(60)}…' (strategies: a)`);
  assert.ok(errorLine('w'.repeat(10_000)).length <= 401);
});

test('--version x, check --help --bogus, help bogus and no command are bad flags like any other', async () => {
  for (const [argv, pattern] of [
    [['--version', 'x'], /--version takes nothing else \(got 'x'\)/],
    [['-V', 'check'], /--version takes nothing else/],
    [['check', '--help', '--bogus'], /unknown option '--bogus'/],
    [['check', '--bogus', '-h'], /unknown option '--bogus'/],
    [['help', 'bogus'], /unknown command 'bogus'/],
    [['help', 'check', 'extra'], /help takes one command name/],
  ] as [string[], RegExp][]) {
    const r = await runCli(argv);
    assertOneLine(r, argv.join(' '));
    assert.match(r.err, pattern);
  }
  // Help and version alone still work.
  for (const argv of [['--version'], ['--help'], ['help'], ['help', 'check'], ['check', '--help'], ['check', '--from', 'x', '--help']]) {
    const r = await runCli(argv);
    assert.equal(r.code, 0, `${argv.join(' ')}: ${r.err}`);
    assert.ok(r.out.length > 0);
  }
});

test('an internal error is one line and exit 70, not the bad-input code', async () => {
  let err = '';
  const code = await main(['strategies'], {
    out: () => { throw new Error('boom\n    at somewhere (file.js:1:1)'); },
    err: (t) => { err += `${t}\n`; },
  });
  assert.equal(code, 70);
  assert.equal(err, 'flushlab: internal error: boom\n');
});
