// The command line needs neither apt nor Jupyter: in a fresh copy of the project, `npm ci`
// alone (its `prepare` script builds dist/) makes `npx flushlab …` answer, and nothing of
// Jupyter is set up on the way.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { root } from '../helpers/process';

const dir = mkdtempSync(join(tmpdir(), 'flushlab-cli-only-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('after npm ci in a copy without dist/ and .jupyter-local/, npx flushlab check answers', { timeout: 240_000 }, () => {
  for (const f of ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'src', 'bin']) {
    cpSync(join(root, f), join(dir, f), { recursive: true });
  }
  assert.ok(!existsSync(join(dir, 'dist')) && !existsSync(join(dir, '.jupyter-local')));
  // --offline: the packages come from npm's cache, which the set-up of this checkout filled.
  const ci = spawnSync('npm', ['ci', '--offline', '--no-audit', '--no-fund'], { cwd: dir, encoding: 'utf8', timeout: 200_000 });
  assert.equal(ci.status, 0, `npm ci failed: ${ci.stderr.slice(-500)}`);
  const r = spawnSync('npx', ['--no-install', 'flushlab', 'check', '--from', 'sl:did=5,ssptptr=0x1000', '--to', 'sl:did=6,ssptptr=0x2000',
    '--strategy', 'no-flush', '--requests', '1', '--dmas', '0'], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.stderr, '');
  assert.equal(r.status, 1, 'no-flush is unsafe: exit 1');
  assert.match(r.stdout, /^Verdict unsafe stale-after-return$/m);
  assert.ok(!existsSync(join(dir, '.jupyter-local')), 'the CLI path set up no Jupyter');
});
