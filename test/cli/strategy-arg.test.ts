// --strategy takes a name, a file holding a strategy as data, or a one-line strategy;
// `strategies --format yaml NAME` prints a built-in as a file to start from.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli';
import { SL } from '../helpers/process';
import { STRATEGIES } from '../../src/model/strategies';
import { formatStrategyLine, parseStrategyLine } from '../../src/model/strategyLine';

const dir = mkdtempSync(join(tmpdir(), 'flushlab-strategy-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const SMALL = [...SL, '--requests', '1', '--dmas', '0'];

/** A check's JSON without what names the strategy's origin. */
function answer(out: string): unknown {
  const j = JSON.parse(out) as Record<string, unknown>;
  return { verdict: j.verdict, states: j.states, transitions: j.transitions, violations: j.violations, cost: j.cost };
}

test('round trip: strategies --format yaml NAME, fed back as --strategy FILE, gives the same check', async () => {
  for (const name of ['jason', 'baolu', 'teardown-setup']) {
    const yaml = await runCli(['strategies', '--format', 'yaml', name]);
    assert.equal(yaml.code, 0);
    assert.doesNotMatch(yaml.out, /[&*]a\d|<<:/, 'no YAML anchors or aliases');
    const file = join(dir, `${name}.yaml`);
    writeFileSync(file, yaml.out);
    const byName = await runCli(['check', ...SMALL, '--strategy', name, '--json']);
    const byFile = await runCli(['check', ...SMALL, '--strategy', file, '--json']);
    assert.equal(byFile.err, '');
    assert.equal(byFile.code, byName.code);
    assert.deepEqual(answer(byFile.out), answer(byName.out));
  }
});

test('a one-line strategy: the example of --help is jason-ordered on a live entry', async () => {
  const line = await runCli(['check', ...SMALL, '--strategy', 'sync=clflush,pc;after=p_iotlb+devtlb', '--json']);
  const named = await runCli(['check', ...SMALL, '--strategy', 'jason-ordered', '--json']);
  assert.equal(line.err, '');
  assert.deepEqual(answer(line.out), answer(named.out));
  // And it differs from jason (the `+` makes one submission): not a check that cannot fail.
  const jason = await runCli(['check', ...SMALL, '--strategy', 'sync=clflush,pc;after=devtlb', '--json']);
  assert.notDeepEqual(answer(jason.out), answer(line.out));
  const split = await runCli(['check', ...SMALL, '--strategy', 'sync=clflush,pc;after=p_iotlb,devtlb', '--json']);
  assert.notDeepEqual((JSON.parse(split.out) as { cost: unknown }).cost, (JSON.parse(line.out) as { cost: unknown }).cost);
});

test('every built-in strategy prints as a line that parses back to it', () => {
  for (const s of Object.values(STRATEGIES)) {
    const back = parseStrategyLine(formatStrategyLine(s));
    assert.equal(back.name, s.name);
    assert.equal(back.writer, s.writer);
    for (const c of ['P1->P1', 'P1->P0', 'P0->P1', 'P0->P0'] as const) assert.deepEqual(back.sync[c], s.sync[c], `${s.name} ${c}`);
    assert.deepEqual(back.after, s.after, s.name);
  }
});

test('sweep takes --strategy as a line too', async () => {
  const r = await runCli(['sweep', ...SMALL, '--strategy', 'sync=clflush,pc;after=devtlb', '--vary', 'pc-inv-drops-iotlb', '--json']);
  assert.equal(r.err, '');
  assert.equal((JSON.parse(r.out) as { strategy: string }).strategy, 'custom');
});

test('a bad strategy line, file or name is one line, exit 2', async () => {
  const bad = join(dir, 'bad.yaml');
  writeFileSync(bad, 'name: mine\nwriter: entry_sync\nsync: {}\nafter:\n  - do: submit\n    descriptors: [{type: pc_inv, granularity: page, did: old}]\n    wait: poll\n');
  for (const [arg, pattern] of [
    ['sync=clflush,pq', /strategy line: 'pq' is not a descriptor/],
    ['after=devtlb@sometimes', /'@sometimes' is not a condition/],
    ['sync[P2->P1]=pc', /'P2->P1' is not one of/],
    ['sync=pc;bogus=1', /unknown part 'bogus='/],
    [bad, /bad\.yaml:6: strategy: after\[0\] pc_inv: granularity must be one of pasid, domain, global/],
    [join(dir, 'none.yaml'), /none\.yaml: no such file/],
    ['jasn', /unknown strategy 'jasn' \(strategies: posted-v1, baolu/],
  ] as [string, RegExp][]) {
    const r = await runCli(['check', ...SMALL, '--strategy', arg]);
    assert.equal(r.code, 2, arg);
    assert.equal(r.out, '');
    assert.match(r.err, pattern);
    assert.equal(r.err.split('\n').filter(Boolean).length, 1);
  }
});
