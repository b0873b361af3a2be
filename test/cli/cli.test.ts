import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { runCli } from '../helpers/cli';

const root = join(__dirname, '..', '..');

test('--version prints the package version', async () => {
  const r = await runCli(['--version']);
  assert.equal(r.code, 0);
  assert.equal(r.out.trim(), (require('../../package.json') as { version: string }).version);
});

test('an unknown option is one error line and exit code 2', async () => {
  const r = await runCli(['--no-such-option']);
  assert.equal(r.code, 2);
  assert.equal(r.err, "flushlab: unknown option '--no-such-option'\n");
  assert.equal(r.out, '');
});

test('the built bin/flushlab.js runs (npm test builds dist/ first)', () => {
  const r = spawnSync(process.execPath, [join(root, 'bin', 'flushlab.js'), '--version'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^\d+\.\d+\.\d+\n$/);
});
