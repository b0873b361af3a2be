import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseScenarios, readScenarioFile, MAX_FILE_BYTES } from '../../src/scenarios/scenarioFile';
import { MODEL_VALIDATORS } from '../../src/scenarios/run';
import { runCli } from '../helpers/cli';

const HEAD = 'from: sl:did=5,ssptptr=0x1000\nto: sl:did=6,ssptptr=0x2000\n';

function errorOf(text: string): string {
  try {
    parseScenarios(text, 'f.yaml', MODEL_VALIDATORS);
  } catch (e) {
    assert.equal((e as Error).name, 'ScenarioFileError', (e as Error).stack);
    return (e as Error).message;
  }
  return 'no error';
}

test('scenario files: no size without a cap, no blocking on a named pipe or device', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'flushlab-limits-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  // The probe's cases: `run /dev/zero` grew to 8.4 GB; a named pipe blocked forever.
  assert.throws(() => readScenarioFile('/dev/zero'), /^ScenarioFileError: \/dev\/zero:0: not a regular file \(a device or socket\)/);
  const fifo = join(dir, 'pipe.yaml');
  execFileSync('mkfifo', [fifo]);
  assert.throws(() => readScenarioFile(fifo), /not a regular file \(a named pipe\)/);
  assert.throws(() => readScenarioFile(dir), /not a regular file \(a directory\)/);
  const big = join(dir, 'big.yaml');
  writeFileSync(big, `${HEAD}strategy: jason\nresult: safe\nwhy: ${'x'.repeat(MAX_FILE_BYTES)}\n`);
  assert.throws(() => readScenarioFile(big), /larger than 1048576 bytes/);
  const r = await runCli(['run', '/dev/zero']);
  assert.equal(r.code, 2);
  assert.equal(r.err, 'flushlab: /dev/zero: not a regular file (a device or socket)\n');
});

test('scenario files: parsing is linear in the number of keys', () => {
  // 80,000 keys (just under the size cap): with the YAML library's own unique-key check
  // (each key compared with every earlier one) this took over a minute.
  const keys = Array.from({ length: 80_000 }, (_, i) => `  k${i}: v`).join('\n');
  const text = `${HEAD}result: safe\nstrategy:\n  name: x\n  writer: entry_sync\n  sync: {}\n  after: []\n${keys}\n`;
  assert.ok(text.length < MAX_FILE_BYTES);
  const started = performance.now();
  assert.equal(errorOf(text), "f.yaml:9: strategy: unknown key 'k0' (keys: name, description, source, writer, sync, before, after)");
  const ms = performance.now() - started;
  assert.ok(ms < 20_000, `${ms} ms`); // loose; quadratic took > 60 s
  // Duplicate keys are still found, at any depth, at the second one's line.
  assert.equal(errorOf(`${HEAD}strategy:\n  name: x\n  name: y\nresult: safe\n`), "f.yaml:5: 'name' given twice (first at line 4)");
});

test('scenario files: YAML warnings are errors, aliases resolve, deep nesting is one line', () => {
  assert.equal(errorOf(`${HEAD}strategy: !foo jason\nresult: safe\n`), 'f.yaml:3: Unresolved tag: !foo');
  assert.equal(errorOf(`%YAML 1.1\n---\n${HEAD}strategy: jason\nresult: safe\n`), "f.yaml:1: a %-directive is not allowed in a scenario file (got '%YAML 1.1')");
  assert.equal(errorOf(`%TAG !e! tag:e.com,2000:\n---\n${HEAD}strategy: jason\nresult: safe\n`), "f.yaml:1: a %-directive is not allowed in a scenario file (got '%TAG !e! tag:e.com,2000:')");
  // The probe's alias: refused as "got a list".
  const [s] = parseScenarios('from: &e sl:did=5,ssptptr=0x1000\nto: *e\nstrategy: jason\nresult: safe\n', 'f.yaml', MODEL_VALIDATORS);
  assert.equal(s.input.to, 'sl:did=5,ssptptr=0x1000');
  // "Maximum call stack size exceeded" before; now one line naming where.
  assert.equal(errorOf(`${HEAD}strategy: ${'['.repeat(100_000)}${']'.repeat(100_000)}\nresult: safe\n`), 'f.yaml:3: nested more than 32 levels deep');
  const block = Array.from({ length: 40 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n');
  assert.equal(errorOf(`${HEAD}strategy: jason\nresult: safe\nwhy:\n${block.replace(/^/gm, ' ')} x\n`), 'f.yaml:37: nested more than 32 levels deep');
  assert.equal(errorOf(`${HEAD}strategy: jason\nresult: safe\nwhy:\n${'- '.repeat(40)}x\n`), 'f.yaml:6: nested more than 32 levels deep');
});

test('scenario files: no JavaScript messages, errors at the line of what is wrong, no doubled prefix', async (t) => {
  const strategy = (after: string) => `${HEAD}strategy:\n  name: x\n  writer: entry_sync\n  sync: {}\n  after:${after}\nresult: safe\n`;
  // The probe's `after: [null]` leaked "Cannot read properties of null".
  assert.equal(errorOf(strategy(' [null]')), 'f.yaml:7: strategy: after[0] must be an action (do: clflush or do: submit)');
  assert.equal(errorOf(strategy('\n    - do: submit\n      wait: poll\n      descriptors:\n        - type: pc_inv\n          granularity: bogus\n          did: old')),
    'f.yaml:12: strategy: after[0] pc_inv: granularity must be one of pasid, domain, global');
  assert.equal(errorOf(strategy('\n    - do: submit\n      wait: poll\n      descriptors: [null]')), 'f.yaml:10: strategy: after[0]: a descriptor must be a mapping with type: (one of pc_inv, p_iotlb_inv, iotlb_inv, iotlb_by_pgtt, devtlb, inv_wait)');
  // Through the CLI: the file and line once.
  const dir = mkdtempSync(join(tmpdir(), 'flushlab-limits-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const f = join(dir, 'f.yaml');
  writeFileSync(f, strategy(' [null]'));
  const r = await runCli(['run', f]);
  assert.equal(r.code, 2);
  assert.equal(r.err, `flushlab: ${f}:7: strategy: after[0] must be an action (do: clflush or do: submit)\n`);
});

// Issue 16 item 7: a range error in the second document was found only after the first
// was checked, and named the document's first line.
test('run validates every document of every file before checking any, at the offending line', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'flushlab-limits-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const good = join(dir, 'good.yaml');
  writeFileSync(good, `${HEAD}strategy: jason\nresult: unsafe\n`);
  const late = join(dir, 'late.yaml');
  writeFileSync(late, `${HEAD}strategy: jason\nresult: unsafe\n---\n${HEAD}strategy: jason\nresult: unsafe\ndmas: 9\n`);
  const r = await runCli(['run', good, late]);
  assert.equal(r.code, 2);
  assert.equal(r.out, ''); // nothing checked
  assert.equal(r.err, `flushlab: ${late}:10: dmas: must be a whole number from 0 to 4 (got 9)\n`);
  const name = join(dir, 'name.yaml');
  writeFileSync(name, `${HEAD}strategy: jason\nresult: unsafe\n---\n${HEAD}\nstrategy: nope\nresult: unsafe\n`);
  const n = await runCli(['run', good, name]);
  assert.equal(n.out, '');
  assert.match(n.err, new RegExp(`^flushlab: ${name.replace(/[.]/g, '\\.')}:9: strategy: unknown strategy 'nope'`));
});
