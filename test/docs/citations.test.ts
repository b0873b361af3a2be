// The dead-citation test: every citation of a repository file in code, tests, notebooks,
// scenarios, scripts, README and docs/ names a file that exists, and every #anchor a heading
// of that markdown file. The fixture tree shows the check finds dead files and dead anchors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  REPO_ROOT, checkRepository, deadCitations, diskTree, findCitations, formatDead, headingAnchors, scannedFiles,
} from './citations';

const FIXTURE = join(__dirname, 'fixtures', 'tree');
/**
 * Left out of the real-tree run: the fixture tree, which holds dead citations on purpose, and
 * this file, whose expected lists name them.
 */
const SKIP = ['test/docs/fixtures', 'test/docs/citations.test.ts'];

test('GitHub heading anchors: slugs, repeats numbered, explicit anchors, not inside code fences', () => {
  const anchors = headingAnchors(diskTree(FIXTURE).read('docs/rules.md')!);
  assert.deepEqual([...anchors].sort(), [
    'a-heading-with-code-and-a-link', 'explicit-anchor', 'iotlb-lookup', 'rules-of-a-fixture-model', 'same', 'same-1',
  ]);
});

test('citations found: markdown files with anchors, top-level paths, shared files; not URLs, globs or imports', () => {
  const text = diskTree(FIXTURE).read('src/cites.ts')!;
  const found = findCitations('src/cites.ts', text).map((c) => `${c.line}:${c.path}${c.anchor ? `#${c.anchor}` : ''}`);
  assert.deepEqual(found, [
    '3:docs/rules.md#iotlb-lookup', '3:docs/other.md', '3:src/cites.ts',
    '4:kernel.md', '4:hardware.md', '4:DESIGN.md', '4:../shared/thread/mail.txt',
    '5:docs/rules.md#no-such-rule', '5:docs/missing.md#anything', '5:src/gone.ts',
    '7:src/sub/', '7:src/gone/',
  ]);
  const readme = findCitations('README.md', diskTree(FIXTURE).read('README.md')!);
  assert.ok(!readme.some((c) => c.path.includes('example.org') || c.path === 'DESIGN.md'), 'a URL is not a citation');
  assert.ok(!readme.some((c) => c.path.startsWith('scenarios')), 'a glob is not a citation');
});

test('negative control: the fixture tree\'s dead files and dead anchors are all reported, and nothing else', () => {
  const dead = checkRepository(FIXTURE).map((d) => `${d.file}:${d.line} ${d.path}${d.anchor ? `#${d.anchor}` : ''}`);
  assert.deepEqual(dead, [
    'README.md:6 docs/rules.md#not-a-heading',
    'README.md:6 docs/rules.md#same-2',
    'docs/rules.md:6 rules.md#iotlb-fill',
    'src/cites.ts:4 kernel.md',
    'src/cites.ts:4 hardware.md',
    'src/cites.ts:4 DESIGN.md',
    'src/cites.ts:4 ../shared/thread/mail.txt',
    'src/cites.ts:5 docs/rules.md#no-such-rule',
    'src/cites.ts:5 docs/missing.md#anything',
    'src/cites.ts:5 src/gone.ts',
    'src/cites.ts:7 src/gone/',
  ]);
});

test('negative control on the real tree: a citation of a rule that docs/model.md does not have is reported', () => {
  const tree = diskTree(REPO_ROOT);
  const live = deadCitations([{ file: 'x.ts', line: 1, text: '', path: 'docs/model.md', anchor: 'iotlb-lookup' }], tree);
  assert.deepEqual(live, []);
  const dead = deadCitations([{ file: 'x.ts', line: 1, text: '', path: 'docs/model.md', anchor: 'no-such-rule' }], tree);
  assert.equal(dead.length, 1);
  assert.match(dead[0].reason, /has no heading #no-such-rule/);
});

test('no dead citation in the repository', () => {
  const files = scannedFiles(REPO_ROOT, SKIP);
  // The scan reaches every folder it is meant to (a wrong root would pass vacuously).
  for (const top of ['src/', 'test/', 'bench/', 'scripts/', 'notebooks/', 'scenarios/', 'docs/']) {
    assert.ok(files.some((f) => f.startsWith(top)), `nothing scanned under ${top}`);
  }
  assert.ok(files.includes('README.md'));
  const dead = checkRepository(REPO_ROOT, SKIP);
  assert.equal(dead.length, 0, `dead citations:\n${formatDead(dead)}`);
});
