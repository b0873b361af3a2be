// Every notebook under notebooks/ executes headless on the tslab kernel without a failing
// cell; a broken notebook is reported with its name and cell number.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, mkdtempSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
// scripts/ is plain ESM JavaScript shared with `npm start`.
import { spawnSync } from 'node:child_process';
import { executeNotebook } from '../../scripts/run-notebooks.mjs';

const root = join(__dirname, '..', '..');
const notebooks = readdirSync(join(root, 'notebooks')).filter((f) => f.endsWith('.ipynb')).sort();

test('there are notebooks, stored without outputs', () => {
  assert.ok(notebooks.length > 0);
  for (const name of notebooks) {
    const nb = JSON.parse(readFileSync(join(root, 'notebooks', name), 'utf8')) as { cells: { cell_type: string; outputs?: unknown[] }[] };
    for (const cell of nb.cells) {
      if (cell.cell_type === 'code') assert.deepEqual(cell.outputs, [], `${name} is stored with outputs`);
    }
  }
});

for (const name of notebooks) {
  test(`notebook ${name} executes without a failing cell`, () => {
    const result = executeNotebook(join(root, 'notebooks', name));
    assert.equal(result.message, '');
    assert.ok(result.ok);
  });
}

test('a notebook with a throwing cell fails, naming the notebook and the cell', (t) => {
  const dest = mkdtempSync(join(tmpdir(), 'flushlab-nb-'));
  t.after(() => rmSync(dest, { recursive: true, force: true }));
  const result = executeNotebook(join(root, 'test', 'fixtures', 'broken.ipynb'), dest);
  assert.equal(result.ok, false);
  assert.match(result.message, /^test\/fixtures\/broken\.ipynb: cell 3 \(throw new Error.*\) failed: Error: this cell is broken on purpose$/);
  
  // What ran is still written, for inspection.
  assert.ok(existsSync(join(dest, 'broken.html')));
});

test('a notebook with a type error fails, naming the notebook and the cell', (t) => {
  const dest = mkdtempSync(join(tmpdir(), 'flushlab-nb-'));
  t.after(() => rmSync(dest, { recursive: true, force: true }));
  const result = executeNotebook(join(root, 'test', 'fixtures', 'type-error.ipynb'), dest);
  assert.equal(result.ok, false);
  assert.match(result.message, /^test\/fixtures\/type-error\.ipynb: cell 2 \(.*\) failed: 1:7 - Type 'string' is not assignable to type 'number'\.$/);
});

test('npm start\'s runner exits non-zero and names the notebook and cell', (t) => {
  const dest = mkdtempSync(join(tmpdir(), 'flushlab-nb-'));
  t.after(() => rmSync(dest, { recursive: true, force: true }));
  const r = spawnSync(process.execPath, [join(root, 'scripts', 'run-notebooks.mjs'), join(root, 'notebooks', notebooks[0]), join(root, 'test', 'fixtures', 'broken.ipynb')],
    { cwd: root, encoding: 'utf8', env: { ...process.env, FLUSHLAB_NOTEBOOK_OUT: dest } });
  assert.equal(r.status, 1);
  assert.match(r.stdout, new RegExp(`^ok   notebooks/${notebooks[0].replace('.', '\\.')} `, 'm'));
  assert.match(r.stderr, /^FAIL test\/fixtures\/broken\.ipynb: cell 3 .* failed: Error: this cell is broken on purpose$/m);
  assert.match(r.stderr, /1 of 2 notebook\(s\) failed/);
});
