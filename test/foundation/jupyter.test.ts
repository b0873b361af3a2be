import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root } from '../helpers/process';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const c = connect(port, '127.0.0.1');
    c.on('connect', () => { c.destroy(); resolve(true); });
    c.on('error', () => resolve(false));
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// Issue 16 item 10: SIGTERM to the launcher left the server listening.
test('npm run jupyter: SIGTERM to the launcher stops the server; the port is free; a token is set', async () => {
  const port = await freePort();
  const child = spawn(process.execPath, [join(root, 'scripts', 'jupyter.mjs')], {
    env: { ...process.env, FLUSHLAB_JUPYTER_PORT: String(port), FLUSHLAB_JUPYTER_TOKEN: 'probe-token-16' }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout.on('data', (d: Buffer) => { log += d.toString(); });
  child.stderr.on('data', (d: Buffer) => { log += d.toString(); });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    let up = false;
    for (let i = 0; i < 120 && !up; i++) { await sleep(250); up = await listening(port); }
    assert.ok(up, `the server did not start:\n${log}`);
    // Authentication on with the token given (a user's config cannot turn it off).
    const api = await fetch(`http://127.0.0.1:${port}/api/contents`);
    assert.equal(api.status, 403);
    const ok = await fetch(`http://127.0.0.1:${port}/api/contents?token=probe-token-16`);
    assert.equal(ok.status, 200);
  } finally {
    child.kill('SIGTERM');
  }
  await exited;
  let free = false;
  for (let i = 0; i < 40 && !free; i++) { free = !(await listening(port)); if (!free) await sleep(250); }
  assert.ok(free, 'the server still listens after the launcher was killed');
});

// Issue 16 item 11: with a home that is not writable, the runner printed a Node stack and
// a Python traceback: Jupyter wrote its runtime and data folders under $HOME. They are
// project-local now: the runner works with HOME=/dev/null, and writes nothing to a HOME
// that is a folder.
test('the notebook runner leaves HOME alone, and works with HOME=/dev/null', () => {
  assert.ok(existsSync(join(root, '.jupyter-local', 'share', 'jupyter', 'kernels', 'tslab', 'kernel.json')), 'the tslab kernel is registered (npm run setup)');
  const dest = mkdtempSync(join(tmpdir(), 'flushlab-out-'));
  const home = mkdtempSync(join(tmpdir(), 'flushlab-home-'));
  try {
    for (const HOME of [home, '/dev/null']) {
      const r = spawnSync(process.execPath, [join(root, 'scripts', 'run-notebooks.mjs'), join(root, 'test', 'notebook', 'fixtures', 'show.ipynb')], {
        env: { ...process.env, HOME, FLUSHLAB_NOTEBOOK_OUT: dest }, encoding: 'utf8', timeout: 180_000,
      });
      assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
      assert.doesNotMatch(r.stderr, /Traceback|\n\s+at /);
      assert.ok(readFileSync(join(dest, 'show.ipynb'), 'utf8').includes('kernel sweep'));
    }
    assert.deepEqual(readdirSync(home), []);
  } finally {
    rmSync(dest, { recursive: true, force: true });
    rmSync(home, { recursive: true, force: true });
  }
});
