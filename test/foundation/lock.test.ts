import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root } from '../helpers/process';

// Issue 16 item 12: two `npm start` runs raced on npm ci, the build and out/.
const lock = join(root, 'scripts', 'lock.mjs');

function holder(file: string, log: string, name: string, ms: number) {
  const code = `import { takeLock } from ${JSON.stringify(lock)}; import { appendFileSync } from 'node:fs';
takeLock('test', ${JSON.stringify(file)});
appendFileSync(${JSON.stringify(log)}, '${name} in\\n');
setTimeout(() => appendFileSync(${JSON.stringify(log)}, '${name} out\\n'), ${ms});`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', code], { stdio: 'ignore' });
  return new Promise<number | null>((resolve) => child.on('exit', resolve));
}

test('two runs take the lock in turn; a stale lock is taken over', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'flushlab-lock-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'lock');
  const log = join(dir, 'log');
  writeFileSync(log, '');
  const a = holder(file, log, 'a', 600);
  await new Promise((r) => setTimeout(r, 300));
  const b = holder(file, log, 'b', 10);
  assert.deepEqual(await Promise.all([a, b]), [0, 0]);
  // Never both inside: each run is out before the other is in.
  assert.deepEqual(readFileSync(log, 'utf8').trim().split('\n'), ['a in', 'a out', 'b in', 'b out']);
  assert.equal(existsSync(file), false, 'released on exit');
  // A lock left by a process that is gone.
  const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
  writeFileSync(file, `${gone}\n`);
  writeFileSync(log, '');
  assert.equal(await holder(file, log, 'c', 10), 0);
  assert.deepEqual(readFileSync(log, 'utf8').trim().split('\n'), ['c in', 'c out']);
});
