import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkMatrix, sweepWithProgress, withProgress, LIVE_CELL_BUDGET } from '../../src/notebook/notebook';
import { Interrupted, requestInterrupt } from '../../src/notebook/interrupt';
import { resultBlock } from '../../src/present/resultBlock';
import { OPEN_ASSUMPTIONS, rowCount } from '../../src/check/sweep';

// Issue 16 item 9: after an interrupt the loop ran on in the kernel. tslab turns Jupyter's
// interrupt into SIGINT; the helpers count it (interrupt.ts) and stop between items.
test('withProgress stops after the item in progress when an interrupt comes', async () => {
  const done: number[] = [];
  const run = withProgress('work', [1, 2, 3, 4, 5, 6], (x) => {
    done.push(x);
    if (x === 2) requestInterrupt(); // as the SIGINT handler would, during item 2
    return x;
  });
  await assert.rejects(run, (e: Error) => e instanceof Interrupted && /interrupted after 2 of 6/.test(e.message));
  assert.deepEqual(done, [1, 2]);
  // An interrupt before a loop starts does not stop the next one.
  assert.deepEqual(await withProgress('again', [1, 2], (x) => x * 2), [2, 4]);
});

test('checkMatrix and sweepWithProgress stop on an interrupt', async () => {
  const SL = { from: 'sl:did=5,ssptptr=0x1000', to: 'sl:did=6,ssptptr=0x2000', requests: 1, dmas: 0 };
  let checks = 0;
  const matrix = checkMatrix({ ...SL, strategies: ['no-flush', 'jason', 'baolu'] }, {});
  setImmediate(() => requestInterrupt());
  await assert.rejects(matrix, Interrupted);
  const sweep = sweepWithProgress({ ...SL, strategy: 'no-flush' }, { onProgress: () => { if (++checks === 3) requestInterrupt(); } });
  await assert.rejects(sweep, new RegExp(`interrupted after 3 of ${rowCount(OPEN_ASSUMPTIONS)}`));
  assert.equal(checks, 3);
});

test('a notebook check ended by the live-cell budget says so', async () => {
  assert.equal(LIVE_CELL_BUDGET.maxMillis, 30_000);
  // A budget that ends the check at once, by the same rule as the 30 s one.
  const [r] = await checkMatrix({ from: 'sl:did=5,ssptptr=0x1000', to: 'sl:did=6,ssptptr=0x2000', requests: 4, dmas: 4, strategies: ['baolu'], presets: ['spec'] },
    { budget: { maxMillis: 1 } });
  assert.equal(r.verdict, 'inconclusive');
  assert.match(resultBlock(r), /Verdict inconclusive \(the time budget ran out\)/); // its own budget: no note
});

test('the live-cell time budget names itself in the result block', async () => {
  const { liveCellNote } = await import('../../src/notebook/notebook');
  const [r] = await checkMatrix({ from: 'sl:did=5,ssptptr=0x1000', to: 'sl:did=6,ssptptr=0x2000', requests: 4, dmas: 4, strategies: ['baolu'], presets: ['spec'] },
    { budget: { maxMillis: 1 } });
  const noted = liveCellNote(r, {});
  assert.match(resultBlock(noted).replace(/\s+/g, ' '), /Verdict inconclusive \(a live cell's time budget of 30 s ran out; pass \{ budget: \{ maxMillis \} \} to change it\)/);
});
