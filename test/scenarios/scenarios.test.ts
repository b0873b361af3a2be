// Every scenario file under scenarios/ answers what it expects (the way the kernel's
// litmus tests are checked against their Result: line), its output fits a 72-column
// mail and is the same bytes on a second run, and the file itself survives being
// quoted in a reply.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { runCli } from '../helpers/cli';
import { parseScenarios } from '../../src/scenarios/scenarioFile';

const root = join(__dirname, '..', '..');
const dir = join(root, 'scenarios');
const files = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort().map((f) => join(dir, f));

test('there are scenario files, each scenario named once and saying why', () => {
  assert.ok(files.length > 0);
  const names = new Map<string, string>();
  for (const f of files) {
    for (const s of parseScenarios(readFileSync(f, 'utf8'), relative(root, f))) {
      assert.ok(!names.has(s.input.name), `${s.input.name} in ${f} and ${names.get(s.input.name)}`);
      names.set(s.input.name, f);
      assert.ok(s.why && s.why.length > 10, `${s.input.name}: a one-line why`);
    }
  }
});

test('a scenario file quoted twice in a reply still fits 72 columns and reads the same', () => {
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    const quoted = text.split('\n').map((l) => (l ? `> > ${l}` : l)).join('\n');
    for (const l of quoted.split('\n')) assert.ok(l.length <= 72, `${relative(root, f)}: '${l}'`);
    assert.deepEqual(parseScenarios(quoted, f), parseScenarios(text, f));
  }
});

for (const f of files) {
  const name = relative(root, f);
  test(`${name}: every scenario answers as expected; the text fits a mail and is stable`, async () => {
    const first = await runCli(['run', f]);
    assert.equal(first.err, '');
    assert.equal(first.code, 0, `${name}:\n${first.out.split('\n').filter((l) => /^(Test|Verdict|Expected|Summary)/.test(l)).join('\n')}`);
    for (const l of first.out.split('\n')) assert.ok(l.length <= 72 && /^[\x20-\x7e]*$/.test(l), `${name}: '${l}'`);
    const second = await runCli(['run', f]);
    assert.equal(second.out, first.out, `${name}: output differs between two runs`);
  });
}
