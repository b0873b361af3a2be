// Sweeps on worker threads give exactly the sequential answer: same rows in the same
// order, same verdicts, states, properties and condition, whatever order rows finish in.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sweepScenario } from '../../src/check/sweep';
import { sweepMany } from '../../src/check/parallel';
import { TRANSITIONS } from '../../src/model/transitions';

const VARIABLES = ['iotlb-lookup-uses-did', 'pc-inv-waits-for-walks', 'drain-scope', 'device-discards-racing-completions'];

test('sweepMany on two workers equals sweepScenario row for row', async () => {
  const inputs = [
    { ...TRANSITIONS.slNewDid, strategy: 'jason', requests: 1, dmas: 0 },
    { ...TRANSITIONS.slNewDid, strategy: 'baolu', requests: 1, dmas: 0 },
    { ...TRANSITIONS.flSameDid, strategy: 'jason-ordered', requests: 1, dmas: 1, assume: 'jason' },
  ];
  // Small tasks, so rows of one sweep land on both workers and finish out of order.
  const parallel = await sweepMany(inputs, { variables: VARIABLES, workers: 2, chunk: 3, reduction: 'ample' });
  const strip = (r: { millis: number }) => ({ ...r, millis: 0 });
  for (const [i, input] of inputs.entries()) {
    const sequential = sweepScenario(input, { variables: VARIABLES, reduction: 'ample' });
    assert.deepEqual(strip(parallel[i]), strip(sequential));
  }
});
