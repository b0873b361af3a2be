// `arch:` in a scenario file: the other values are judged by that architecture's model,
// at their line; an SMMUv3 strategy may be written out as data, in VT-d's shape.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseScenarios } from '../../src/scenarios/scenarioFile';
import { MODEL_VALIDATORS, runScenarios } from '../../src/scenarios/run';

const FILE = `name: written-out
arch: smmuv3
from: s1:asid=1,ttb=0x1000
to: s1:asid=1,ttb=0x2000
strategy:
  name: tlbi-then-atc
  writer: entry_sync
  sync:
    P1->P1:
      - do: submit
        descriptors: [{type: cfgi}]
        wait: poll
  after:
    - do: submit
      descriptors: [{type: tlbi, tag: old}]
      wait: poll
    - do: submit
      descriptors: [{type: atc_inv}]
      wait: poll
requests: 1
dmas: 0
result: safe
why: the baolu shape written out as data.
`;

test('an SMMUv3 strategy written out in a scenario file is checked like a built-in one', () => {
  const scenarios = parseScenarios(FILE, 'f.yaml', MODEL_VALIDATORS);
  assert.equal(scenarios[0].input.arch, 'smmuv3');
  const [run] = runScenarios(scenarios);
  assert.equal(run.result.verdict, 'safe');
  assert.equal(run.match, true);
  // Without the TLBI it is the driver's strategy, unsafe on the same ASID (negative control).
  const without = FILE.replace(/    - do: submit\n      descriptors: \[\{type: tlbi, tag: old\}\]\n      wait: poll\n/, '').replace('result: safe', 'result: unsafe stale-after-return');
  const [bad] = runScenarios(parseScenarios(without, 'f.yaml', MODEL_VALIDATORS));
  assert.equal(bad.result.verdict, 'unsafe');
  assert.equal(bad.match, true);
});

test('arch: picks the validators: VT-d values are refused in an SMMUv3 scenario at their line, and an unknown arch too', () => {
  const err = (text: string) => { try { parseScenarios(text, 'f.yaml', MODEL_VALIDATORS); return ''; } catch (e) { return (e as Error).message; } };
  assert.equal(err(FILE.replace('{type: atc_inv}', '{type: devtlb}')), 'f.yaml:18: strategy: after[1]: a command is one of cfgi, cfgi_ste, cfgi_cd, tlbi, tlbi_all, atc_inv');
  assert.match(err(FILE.replace('from: s1:asid=1,ttb=0x1000', 'from: sl:did=5,ssptptr=0x1000')), /^f\.yaml:3: from: unknown configuration 'sl:did=5,ssptptr=0x1000'/);
  assert.match(err(FILE.replace('arch: smmuv3', 'arch: amd')), /^f\.yaml:2: arch: one of vtd, smmuv3 \(got 'amd'\)/);
  // The same file without arch: is VT-d's, whose validators refuse the SMMUv3 entry.
  assert.match(err(FILE.replace('arch: smmuv3\n', '')), /^f\.yaml:2: from: /);
});
