import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SL, flushlabClosedStdout } from '../helpers/process';

// Issue 16 item 1: `flushlab check … --strategy jason | grep -q '^Test'` exited 0.
test('a closed stdout keeps the verdict: unsafe exits 1, inconclusive 3', async () => {
  const unsafe = await flushlabClosedStdout(['check', ...SL, '--strategy', 'jason', '--requests', '1', '--dmas', '0']);
  assert.equal(unsafe.code, 1, unsafe.err);
  assert.equal(unsafe.err, '');
  const json = await flushlabClosedStdout(['check', ...SL, '--strategy', 'jason', '--requests', '1', '--dmas', '0', '--json']);
  assert.equal(json.code, 1, json.err);
  const inconclusive = await flushlabClosedStdout(['check', ...SL, '--strategy', 'baolu', '--max-states', '50']);
  assert.equal(inconclusive.code, 3, inconclusive.err);
});
