// Every property fails on an SMMUv3 negative control and holds on a positive one: the
// SMMUv3 model can see each bug (issue 17), as test/check/negative-controls.test.ts shows
// for VT-d.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkScenario } from '../../../src/check/check';
import type { CheckResult, ScenarioInput } from '../../../src/check/result';
import type { PropertyName } from '../../../src/model/properties';
import { SMMU_TRANSITIONS } from '../../../src/model/smmuv3/transitions';

function check(input: Omit<ScenarioInput, 'arch'>, properties?: PropertyName[]): CheckResult {
  return checkScenario({ arch: 'smmuv3', requests: 1, dmas: 0, ...input }, properties ? { properties } : {});
}
const verdict = (r: CheckResult) => (r.verdict === 'unsafe' ? `unsafe ${r.violations[0].property}` : r.verdict);

test('positive control: the driver\'s strategy on a CD change to a new ASID holds every property', () => {
  const r = check({ ...SMMU_TRANSITIONS.cdNewAsid, strategy: 'linux', dmas: 1 });
  assert.equal(verdict(r), 'safe');
  assert.deepEqual(r.properties, ['stale-after-return', 'torn-fill', 'termination']);
  assert.equal(r.arch, 'smmuv3');
});

test('stale-after-return fails on no-flush (old CD cached, old translation in the ATC)', () => {
  const r = check({ ...SMMU_TRANSITIONS.cdNewAsid, strategy: 'no-flush' }, ['stale-after-return']);
  assert.equal(verdict(r), 'unsafe stale-after-return');
  assert.match(r.violations[0].trace.violation!.reason, /old/);
});

test('hitless fails on the struct-copy writer (S1 -> S2: an STE with CFG=S2 and no S2 table yet)', () => {
  const ok = check({ ...SMMU_TRANSITIONS.bypassToS1, strategy: 'linux', requests: 0, dmas: 1 }, ['hitless']);
  assert.equal(verdict(ok), 'safe');
  assert.ok(ok.properties.includes('hitless'));
  const r = check({ ...SMMU_TRANSITIONS.steS1ToS2, strategy: 'struct-copy', requests: 0, dmas: 1 }, ['hitless']);
  assert.equal(verdict(r), 'unsafe hitless');
  assert.match(r.violations[0].trace.violation!.reason, /neither the old nor the new/);
});

test('torn-fill fails on the struct-copy writer (a translation from a torn STE is used)', () => {
  const r = check({ ...SMMU_TRANSITIONS.steS1ToS2, strategy: 'struct-copy', requests: 0, dmas: 1 }, ['torn-fill']);
  assert.equal(verdict(r), 'unsafe torn-fill');
  assert.match(r.violations[0].trace.violation!.reason, /torn/);
});

test('termination fails when the device never answers the ATC invalidation', () => {
  const r = check({ ...SMMU_TRANSITIONS.cdNewAsid, strategy: 'linux', assume: 'device-answers-invalidations=false' }, ['termination']);
  assert.equal(verdict(r), 'unsafe termination');
  assert.match(r.violations[0].trace.violation!.reason, /CMD_SYNC never completes/);
});

test('the link and device are shared: a device that keeps racing completions breaks the driver\'s strategy', () => {
  // device-discards-racing-completions is VT-d's row (PCIe 6.2 §10.3.6), read by the same device part.
  const r = check({ ...SMMU_TRANSITIONS.cdNewAsid, strategy: 'linux', assume: 'device-discards-racing-completions=false' });
  assert.equal(verdict(r), 'unsafe stale-after-return');
  assert.match(r.violations[0].trace.violation!.reason, /Translation Completion #1/);
});
