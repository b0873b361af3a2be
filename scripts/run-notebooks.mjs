#!/usr/bin/env node
// Executes every notebook under notebooks/ (or the ones named) headless on the tslab
// kernel; writes executed copies and HTML to out/notebooks/: NAME.html (the notebook) and
// NAME.report.html (code hidden), each standing alone (scripts/export_html.py). Exits non-zero naming the
// notebook and cell of the first failure in each notebook.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { SYSTEM_PYTHON, jupyterEnv, outDir, root } from './jupyter-env.mjs';
import { takeLock } from './lock.mjs';

export function executeNotebook(path, dest = outDir) {
  const r = spawnSync(SYSTEM_PYTHON, [join(root, 'scripts', 'execute_notebook.py'), path, dest], {
    cwd: root, env: jupyterEnv(), encoding: 'utf8',
  });
  const lines = (r.stderr ?? '').trim().split('\n').filter(Boolean);
  const failure = lines.find((l) => l.includes(': cell ')) ?? lines.at(-1) ?? `exit ${r.status}`;
  return { ok: r.status === 0, message: r.status === 0 ? '' : failure };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  // Two runs at once would write the same out/ files (lock.mjs).
  try { takeLock('notebooks'); } catch (err) { console.error(`flushlab notebooks: ${err.message}`); process.exit(1); }
  const runStart = Date.now();
  const named = process.argv.slice(2);
  const dir = join(root, 'notebooks');
  const books = named.length ? named : readdirSync(dir).filter((f) => f.endsWith('.ipynb')).sort().map((f) => join(dir, f));
  let failed = 0;
  for (const book of books) {
    const t0 = Date.now();
    const { ok, message } = executeNotebook(book);
    const rel = relative(root, book);
    if (ok) console.log(`ok   ${rel} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    else { failed++; console.error(`FAIL ${message}`); }
  }
  // Only what this run wrote: a file left from an earlier run is not claimed.
  const wrote = books.flatMap((book) => {
    const base = book.replace(/^.*[\\/]/, '').replace(/\.ipynb$/, '');
    return [`${base}.ipynb`, `${base}.html`, `${base}.report.html`].filter((f) => {
      try { return statSync(join(outDir, f)).mtimeMs >= runStart - 1000; } catch { return false; }
    });
  });
  console.log(`wrote ${wrote.length} file(s) in ${relative(process.cwd(), outDir) || '.'}/${wrote.length ? `: ${wrote.join(', ')}` : ''}`);
  if (failed) { console.error(`${failed} of ${books.length} notebook(s) failed`); process.exit(1); }
}
