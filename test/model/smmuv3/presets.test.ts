// SMMUv3's presets: `jason` is VT-d's `jason` transposed, and on SMMUv3 it is the spec
// reading (docs/model-smmuv3.md#presets). Shown: its values are the rows' defaults and the
// row it sets is the one that quotes Jason; the same preset on VT-d is not the spec; a
// refinement on top of it still changes a verdict; docs' table says what the model says.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SMMU_ASSUMPTIONS, SMMU_PRESETS, resolveSmmuAssumptions } from '../../../src/model/smmuv3/assumptions';
import { resolveAssumptions } from '../../../src/model/assumptions';
import { SMMU_TRANSITIONS } from '../../../src/model/smmuv3/transitions';
import { checkScenario } from '../../../src/check/check';

/** The `name=value` pairs each row of a preset table names (as test/docs/presets.test.ts reads docs/thread.md). */
function presetTable(markdown: string): Record<string, string[]> {
  const rows: Record<string, string[]> = {};
  for (const line of markdown.split('\n')) {
    const m = /^\| `([a-z]+)` \| (.*?) \| .* \|$/.exec(line);
    if (m) rows[m[1]] = [...m[2].matchAll(/`([a-z0-9-]+=[^`]+)`/g)].map((x) => x[1]);
  }
  return rows;
}

test('SMMUv3 jason: the row it sets quotes Jason, and its value is the spec reading', () => {
  assert.deepEqual(Object.keys(SMMU_PRESETS), ['spec', 'jason']);
  for (const [name, value] of Object.entries(SMMU_PRESETS.jason)) {
    const row = SMMU_ASSUMPTIONS.find((a) => a.name === name)!;
    assert.equal(row.default, value, name);
    assert.match(row.reliedOnBy, /Jason \("flushing the PASID table should immediately change any ATC fetches"\)/);
  }
  assert.deepEqual(resolveSmmuAssumptions('jason'), resolveSmmuAssumptions('spec'));
  // Not trivially so: on VT-d the same preset departs from the spec.
  assert.notDeepEqual(resolveAssumptions('jason'), resolveAssumptions('spec'));
});

test('SMMUv3 jason checks the spec model; a refinement on it still reaches the model', () => {
  const input = { arch: 'smmuv3' as const, ...SMMU_TRANSITIONS.cdNewAsid, strategy: 'baolu', requests: 1, dmas: 0 };
  const spec = checkScenario({ ...input, assume: 'spec' });
  const jason = checkScenario({ ...input, assume: 'jason' });
  assert.deepEqual([jason.verdict, jason.states, jason.assume], [spec.verdict, spec.states, 'spec']);
  const refined = checkScenario({ ...input, assume: 'jason,cfgi-sync-completes-translations=false' });
  assert.equal(spec.verdict, 'safe');
  assert.equal(refined.verdict, 'unsafe');
  assert.throws(() => resolveSmmuAssumptions('baolu'), /unknown preset 'baolu' for --arch smmuv3/);
});

test('docs/model-smmuv3.md lists every SMMUv3 preset with the values the model gives it', () => {
  const md = readFileSync(join(__dirname, '..', '..', '..', 'docs/model-smmuv3.md'), 'utf8');
  const section = md.slice(md.indexOf('\n## Presets\n'), md.indexOf('\n## ', md.indexOf('\n## Presets\n') + 1));
  const table = presetTable(section);
  assert.deepEqual(Object.keys(table), Object.keys(SMMU_PRESETS));
  for (const [name, values] of Object.entries(SMMU_PRESETS)) {
    assert.deepEqual(table[name], Object.entries(values).map(([k, v]) => `${k}=${String(v)}`), name);
  }
  // Negative control: a table naming another value is told apart.
  assert.notDeepEqual(presetTable(section.replace('cfgi-sync-completes-translations=true', 'cfgi-sync-completes-translations=false')).jason, table.jason);
});
