// A lock between concurrent `npm start` / `npm test` runs of one checkout: they share
// node_modules/ (npm ci), dist/ (the build) and out/ (the notebooks). The lock is a file
// created with O_EXCL holding the owner's pid; a lock whose pid is gone is stale and taken
// over. It is released when the process exits, however it exits.
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './jupyter-env.mjs';

export const lockFile = join(root, '.flushlab.lock');
const WAIT_MS = 15 * 60 * 1000;

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM'; // exists, someone else's
  }
}

function sleep(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Takes the lock (waiting for another run to finish), held until this process exits. */
export function takeLock(what, file = lockFile) {
  const started = Date.now();
  let told = false;
  for (;;) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      process.on('exit', () => {
        try { if (readFileSync(file, 'utf8').trim() === String(process.pid)) unlinkSync(file); } catch { /* gone */ }
      });
      for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
        if (process.listenerCount(signal) === 0) process.on(signal, () => process.exit(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGHUP' ? 1 : 15)));
      }
      return;
    } catch (err) {
      if (err.code !== 'EEXIST') throw new Error(`cannot create ${file} (${err.code})`);
    }
    let pid = NaN;
    try { pid = Number(readFileSync(file, 'utf8').trim()); } catch { continue; /* just released */ }
    if (!Number.isInteger(pid) || pid <= 0 || !alive(pid)) {
      // Stale: its owner is gone. Remove it only if it is still the one we read.
      try { if (readFileSync(file, 'utf8').trim() === String(pid)) unlinkSync(file); } catch { /* taken meanwhile */ }
      continue;
    }
    if (Date.now() - started > WAIT_MS) throw new Error(`another run (pid ${pid}) has held ${file} for ${WAIT_MS / 60000} minutes`);
    if (!told) { console.error(`flushlab ${what}: waiting for another run of this checkout (pid ${pid}) to finish`); told = true; }
    sleep(200);
  }
}
