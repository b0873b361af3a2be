/**
 * The folders of src/ are layers, ground floor first (README, Layout): a file imports only
 * its own layer and those below, and no file imports itself back through others. Imports
 * are read with the TypeScript parser (test/helpers/imports.ts); `import type` counts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { importCycles, importGraph, importsOf, layerViolations, type ImportEdge, type LayerRules } from './helpers/imports';

/**
 * Ground floor first. `ground` is the bottom: version.ts and own.ts (name lookup by own key),
 * which import nothing; the package entry files (index.ts, subpath indexes at the root) are the top.
 */
export const LAYERS = ['ground', 'formats', 'writer', 'engine', 'model', 'check', 'scenarios', 'present', 'notebook', 'cli', 'api'] as const;

const RULES: LayerRules = {
  order: LAYERS,
  layerOf(file) {
    if (file === 'version.ts' || file === 'own.ts') return 'ground';
    const dir = file.split('/')[0];
    if (!file.includes('/')) return 'api';
    return (LAYERS as readonly string[]).includes(dir) ? dir : undefined;
  },
  // The search knows no hardware: it sees opaque states, keys and labelled steps.
  isolated: ['engine'],
  // Renderers take results as data: they may name the result types, never run a check.
  typesOnlyFrom: { present: ['check'] },
};

test('src/: no import from a lower layer to a higher one, every file in a layer', () => {
  const { files, edges } = importGraph(join(__dirname, '..', 'src'));
  assert.ok(files.length > 50 && edges.length > 100, `read ${files.length} files, ${edges.length} imports`);
  assert.deepEqual(layerViolations(edges, files, RULES), []);
});

test('src/: no import cycle between files (type imports included)', () => {
  const { edges } = importGraph(join(__dirname, '..', 'src'));
  assert.deepEqual(importCycles(edges), []);
});

test('negative control: a fixture tree with an upward import and a cycle is reported', () => {
  // test/fixtures/layers/: formats/a.ts imports cli/b.ts (upward), cli/b.ts and cli/c.ts import
  // each other, engine/e.ts imports formats, present/p.ts imports a value of check/r.ts.
  const { files, edges } = importGraph(join(__dirname, 'fixtures', 'layers'));
  assert.deepEqual(files, ['check/r.ts', 'cli/b.ts', 'cli/c.ts', 'engine/e.ts', 'formats/a.ts', 'present/p.ts']);
  assert.deepEqual(layerViolations(edges, files, RULES), [
    'engine/e.ts:2: engine may import nothing outside itself, imports formats/a.ts',
    'formats/a.ts:2: formats imports cli/b.ts from the higher layer cli',
    'present/p.ts:3: present may import only types from check, imports values of check/r.ts',
  ]);
  assert.deepEqual(importCycles(edges), ['cycle: cli/b.ts -> cli/c.ts -> cli/b.ts']);
});

test('negative control, in memory: type-only upward imports, values from a types-only layer, a longer cycle', () => {
  const e = (from: string, to: string, typeOnly = false): ImportEdge => ({ from, to, typeOnly, line: 1 });
  const edges = [
    e('model/x.ts', 'check/y.ts', true),
    e('present/p.ts', 'check/y.ts'),
    e('present/q.ts', 'check/y.ts', true),
    e('model/a.ts', 'model/b.ts', true), e('model/b.ts', 'model/parts/c.ts'), e('model/parts/c.ts', 'model/a.ts', true),
  ];
  const files = [...new Set(edges.flatMap((x) => [x.from, x.to]))].sort();
  assert.deepEqual(layerViolations(edges, [...files, 'stray/z.ts'], RULES), [
    'stray/z.ts: in no layer',
    'model/x.ts:1: model imports check/y.ts from the higher layer check',
    'present/p.ts:1: present may import only types from check, imports values of check/y.ts',
  ]);
  assert.deepEqual(importCycles(edges), ['cycle: model/a.ts -> model/b.ts -> model/parts/c.ts -> model/a.ts']);
});

test('the parser sees every import form, and which are type-only', () => {
  const text = [
    "import { a } from './a';",
    "import type { B } from './b';",
    "import { type C, type D } from './c';",
    "import { type E, f } from './e';",
    "export { g } from './g';",
    "export type { H } from './h';",
    "export * from './i';",
    "const j = require('./j');",
    "async function k() { return import('./k'); }",
    "let l: import('./l').L;",
    "import m = require('./m');",
    "import 'node:fs'; import n from 'yaml';",
  ].join('\n');
  assert.deepEqual(importsOf('x.ts', text).map((i) => `${i.spec}${i.typeOnly ? ' type' : ''}`),
    ['./a', './b type', './c type', './e', './g', './h type', './i', './j', './k', './l type', './m']);
});
