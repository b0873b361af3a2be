import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../helpers/cli';
import { SL } from '../helpers/process';
import { parseScenarios } from '../../src/scenarios/scenarioFile';
import { MODEL_VALIDATORS } from '../../src/scenarios/run';

// Issue 16 item 5: names that every JavaScript object "has" through its prototype were
// taken for strategies, presets, formats and named entries ("internal error", or run as spec).
const NAMES = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'];

async function oneLine(argv: string[], pattern: RegExp): Promise<void> {
  const r = await runCli(argv);
  assert.equal(r.code, 2, `${argv.join(' ')}: ${r.out}${r.err}`);
  assert.equal(r.out, '');
  assert.match(r.err, /^flushlab: [^\n]*\n$/);
  assert.match(r.err, pattern);
  assert.doesNotMatch(r.err, /internal error/);
}

test('JavaScript object keys are unknown names on the command line', async () => {
  for (const n of NAMES) {
    await oneLine(['check', ...SL, '--strategy', n, '--max-states', '10'], /unknown strategy/);
    await oneLine(['check', ...SL, '--strategy', 'jason', '--assume', n, '--max-states', '10'], /unknown preset/);
    await oneLine(['check', ...SL, '--strategy', 'jason', '--assume', `spec,${n}=true`, '--max-states', '10'], /unknown assumption/);
    await oneLine(['sweep', ...SL, '--strategy', n, '--max-states', '10'], /unknown strategy/);
    await oneLine(['writer', '--format', n, '--from', 'off', '--to', 'off'], /unknown --format/);
    await oneLine(['writer', '--format', 'smmuv3-ste', '--from', n, '--to', 'abort'], /--from: (unknown STE|.*not a hex qword)/);
    await oneLine(['writer', '--format', 'smmuv3-cd', '--from', n, '--to', 'clear'], /--from: (unknown CD|.*not a hex qword)/);
    await oneLine(['writer', '--format', 'smmuv3-cd', '--from', `${n}:5`, '--to', 'clear'], /--from: (unknown CD|.*not a hex qword)/);
  }
});

const HEAD = 'from: sl:did=5,ssptptr=0x1000\nto: sl:did=6,ssptptr=0x2000\n';

test('JavaScript object keys are unknown names in scenario files, at their line', () => {
  for (const n of NAMES) {
    const cases: [string, RegExp][] = [
      [`${HEAD}strategy: ${n}\nresult: safe\n`, /^f\.yaml:3: strategy: unknown strategy/],
      [`${HEAD}strategy: jason\nassume: ${n}\nresult: safe\n`, /^f\.yaml:4: assume: unknown preset/],
      [`${HEAD}strategy: jason\n${n}: x\nresult: safe\n`, /^f\.yaml:4: unknown key/],
      [`${HEAD}strategy:\n  name: x\n  writer: entry_sync\n  sync:\n    ${n}: []\n  after: []\nresult: safe\n`, /^f\.yaml:\d+: strategy: sync key/],
    ];
    for (const [text, pattern] of cases) {
      assert.throws(() => parseScenarios(text, 'f.yaml', MODEL_VALIDATORS), (e: Error) => {
        assert.equal(e.name, 'ScenarioFileError', `${text}: ${e.message}`);
        assert.match(e.message, pattern);
        return true;
      });
    }
  }
});
