// show() and progress() inside a real tslab kernel (the built package, imported by
// name): the SVG reaches the notebook inline in text/html (nbconvert's HTML export drops
// bare image/svg+xml), and the progress entry is one
// output rewritten in place (update_display_data), ending with the final line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { executeNotebook } from '../../scripts/run-notebooks.mjs';

const root = join(__dirname, '..', '..');
test('show() and progress() in a tslab kernel', (t) => {
  // npm test's set-up builds dist/ and registers the kernel; without them this must fail, not skip.
  assert.ok(existsSync(join(root, 'dist', 'notebook', 'notebook.js')), 'dist/ is built (npm run setup)');
  assert.ok(existsSync(join(root, '.jupyter-local', 'share', 'jupyter', 'kernels', 'tslab', 'kernel.json')), 'the tslab kernel is registered (npm run setup)');
  const dest = mkdtempSync(join(tmpdir(), 'flushlab-show-'));
  t.after(() => rmSync(dest, { recursive: true, force: true }));
  const result = executeNotebook(join(root, 'test', 'notebook', 'fixtures', 'show.ipynb'), dest);
  assert.equal(result.message, '');
  const nb = JSON.parse(readFileSync(join(dest, 'show.ipynb'), 'utf8')) as { cells: { outputs?: { output_type: string; data?: Record<string, string | string[]> }[] }[] };
  // nbformat stores multi-line text as a list of lines.
  const text = (v: string | string[] | undefined) => (Array.isArray(v) ? v.join('') : v ?? '');
  const shown = nb.cells[2].outputs ?? [];
  assert.equal(shown.length, 1);
  assert.equal(shown[0].output_type, 'display_data');
  assert.match(text(shown[0].data!['text/html']), /^<div class="flushlab-svg"><svg [\s\S]*<g class="message" data-id="ir"/);
  const progress = nb.cells[3].outputs ?? [];
  assert.equal(progress.length, 1, 'one entry, rewritten in place');
  assert.match(text(progress[0].data!['text/html']), /kernel sweep: 4 done/);
});
