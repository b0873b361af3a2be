// Every command's --help has examples and the exit codes; every command takes --json and
// prints one JSON document with it; bare `flushlab` prints the help (exit 2: nothing done).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../helpers/cli';
import { SL } from '../helpers/process';

const COMMANDS = ['writer', 'decode', 'run', 'check', 'sweep', 'strategies', 'assumptions', 'compare'];

test('bare flushlab prints the help with examples and exit codes, on stdout, exit 2', async () => {
  const r = await runCli([]);
  assert.equal(r.code, 2);
  assert.equal(r.err, '');
  assert.match(r.out, /^Usage: flushlab /);
  assert.match(r.out, /^Commands:$/m);
  assert.match(r.out, /^Examples:$/m);
  assert.match(r.out, /^Exit codes: 0 safe/m);
});

test('every command: --help has Examples: and Exit codes:, and every command is listed', async () => {
  const top = await runCli(['--help']);
  const commands = top.out.split('Commands:\n')[1]!.split('\n\n')[0]!;
  const listed = [...commands.matchAll(/^ {2}([a-z-]+) /gm)].map((m) => m[1]!).filter((c) => c !== 'help');
  for (const c of COMMANDS) assert.ok(listed.includes(c), `${c} is a command`);
  for (const c of listed) {
    const r = await runCli([c, '--help']);
    assert.equal(r.code, 0, c);
    assert.match(r.out, /^Examples:$/m, `${c} --help has examples`);
    assert.match(r.out, /^ {2}flushlab /m, `${c} --help has an example command line`);
    assert.match(r.out, /^Exit codes: /m, `${c} --help has the exit codes`);
    assert.match(r.out, /--json/, `${c} takes --json`);
  }
});

test('--json gives one JSON document on every command', async () => {
  const SMALL = [...SL, '--requests', '1', '--dmas', '0'];
  for (const argv of [
    ['writer', '--from', 'fl:did=5,fsptptr=0x1000', '--to', 'fl:did=6,fsptptr=0x2000', '--json'],
    ['decode', '--json', '0x0000001000050026', '0'],
    ['run', '--json', 'scenarios/no-flush-sl-sl-new-did.yaml'],
    ['check', ...SMALL, '--strategy', 'no-flush', '--json'],
    ['sweep', ...SMALL, '--strategy', 'no-flush', '--vary', 'pc-inv-drops-iotlb', '--json'],
    ['strategies', '--json'],
    ['strategies', '--json', 'jason'],
    ['assumptions', '--json'],
    ['compare', 'no-flush', 'jason', ...SMALL, '--json'],
  ]) {
    const r = await runCli(argv);
    assert.equal(r.err, '', argv.join(' '));
    assert.doesNotThrow(() => JSON.parse(r.out), `${argv.join(' ')}: JSON`);
  }
});
