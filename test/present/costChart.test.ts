// The cost chart and table: every measure read from the Cost the driver's program
// reports, bars proportional within a panel, numbers written out, the text table
// within a mail's 72 columns; and the figures of two thread strategies end to end.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { COST_MEASURES, costChart, costTable, costValue, type CostRow } from '../../src/present/costChart';
import { checkScenario } from '../../src/check/check';
import type { Cost } from '../../src/check/result';
import { TRANSITIONS } from '../../src/model/transitions';

const cost = (descriptors: Record<string, number>, rest: Partial<Cost> = {}): Cost => ({
  descriptors, submissions: 0, waits: 0, devtlbInvalidations: 0, syncs: 0, clflushes: 0, ...rest,
});
// Shapes of the posted sync (three waited submissions) and of Jason's (two).
const baolu = cost({ pc_inv: 1, p_iotlb_inv: 1, p_dev_tlb_inv: 1, inv_wait: 3 }, { submissions: 3, waits: 3, devtlbInvalidations: 1, syncs: 1 });
const jason = cost({ pc_inv: 1, p_dev_tlb_inv: 1, inv_wait: 2 }, { submissions: 2, waits: 2, devtlbInvalidations: 1, syncs: 1 });
const rows: CostRow[] = [
  { label: 'baolu', group: 'SL -> SL new DID', cost: baolu, cachingModeCost: baolu },
  { label: 'jason', group: 'SL -> SL new DID', cost: jason, cachingModeCost: jason },
  { label: 'no-flush', group: 'FL -> FL same DID', cost: cost({}, { syncs: 1 }), cachingModeCost: cost({}) },
];

test('each measure is read from the cost', () => {
  assert.equal(costValue(rows[0], 'descriptors'), 6);
  assert.equal(costValue(rows[0], 'invalidations'), 3);
  assert.equal(costValue(rows[0], 'waits'), 3);
  assert.equal(costValue(rows[0], 'submissions'), 3);
  assert.equal(costValue(rows[0], 'atsRoundTrips'), 1);
  assert.equal(costValue(rows[1], 'traps'), 2);
  assert.equal(costValue(rows[2], 'syncs'), 1);
  assert.throws(() => costValue({ label: 'x', cost: jason }, 'traps'), /'x': 'traps' needs cachingModeCost/);
});

test('the chart: one panel per measure, one bar per row, proportional, numbers written', () => {
  const svg = costChart(rows, { title: 'Cost per update' });
  assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" class="flushlab-cost-chart" /);
  assert.equal((svg.match(/<text class="measure"/g) ?? []).length, 5);
  assert.equal((svg.match(/<g class="row"/g) ?? []).length, 3);
  assert.equal((svg.match(/<text class="group"/g) ?? []).length, 2, 'one heading per group');
  assert.equal((svg.match(/<rect class="bar"/g) ?? []).length, 15);
  const bar = (label: string, measure: string) => {
    const row = svg.split('<g class="row"').find((g) => g.startsWith(` data-label="${label}"`))!;
    const m = row.match(new RegExp(`<rect class="bar" data-measure="${measure}" data-value="(\\d+)" x="[\\d.]+" y="[\\d.]+" width="([\\d.]+)"`))!;
    return { value: Number(m[1]), width: Number(m[2]) };
  };
  // Within a panel, bars scale with the value: 4 descriptors draw 4/6 of 6.
  assert.equal(bar('baolu', 'descriptors').value, 6);
  assert.ok(Math.abs(bar('jason', 'descriptors').width / bar('baolu', 'descriptors').width - 4 / 6) < 0.01);
  assert.equal(bar('no-flush', 'waits').width, 0);
  assert.match(svg, /<text class="value" x="[\d.]+" y="\d+" fill="#111">6<\/text>/);
  // Same input, same output.
  assert.equal(costChart(rows, { title: 'Cost per update' }), svg);
  assert.throws(() => costChart([]), /no rows/);
  assert.throws(() => costChart(rows, { measures: ['bogus' as never] }), /unknown cost measure 'bogus'/);
});

test('the table fits a mail and spells out its columns', () => {
  const text = costTable(rows, { title: 'Cost per update' });
  for (const line of text.split('\n')) assert.ok(line.length <= 72 && /^[\x20-\x7e]*$/.test(line), line);
  assert.match(text, /^strategy +desc +waits +subm +ATS +exits$/m);
  assert.match(text, /^SL -> SL new DID$/m);
  assert.match(text, /^  baolu +6 +3 +3 +1 +3$/m);
  assert.match(text, /^  jason +4 +2 +2 +1 +2$/m);
  assert.match(text, /^exits +submissions under caching mode/m);
  assert.match(costTable(rows, { measures: ['syncs', 'clflushes'] }), /^  no-flush +1 +0$/m);
  for (const m of Object.keys(COST_MEASURES)) assert.ok(COST_MEASURES[m as keyof typeof COST_MEASURES].short.length <= 6);
});

test('rows built from real checks: the posted sync costs more than Jason\'s', () => {
  const input = { ...TRANSITIONS.slNewDid, requests: 0, dmas: 0 } as const;
  const real = ['baolu', 'jason'].map((strategy) => {
    const r = checkScenario({ ...input, strategy });
    const cm = checkScenario({ ...input, strategy, assume: 'spec,caching-mode=true' });
    return { label: strategy, cost: r.cost, cachingModeCost: cm.cost };
  });
  assert.ok(costValue(real[0], 'submissions') > costValue(real[1], 'submissions'));
  assert.ok(costValue(real[0], 'traps') >= costValue(real[0], 'submissions'));
  assert.match(costChart(real), /data-label="baolu"/);
});
