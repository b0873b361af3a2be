import { test } from 'node:test';
import assert from 'node:assert/strict';
import { traceToText } from '../../src/present/traceText';
import { traceToMermaid } from '../../src/present/traceMermaid';
import { messagesOf, selectLanes, usedLanes } from '../../src/present/traceFacts';
import { hanging, toAscii, wrap } from '../../src/present/plainText';
import type { Trace } from '../../src/model/trace';
import { jasonStale, noFlushStale } from './sample';

function assertMailText(text: string): void {
  for (const [i, line] of text.split('\n').entries()) {
    assert.ok(line.length <= 72, `line ${i + 1} has ${line.length} columns: ${line}`);
    assert.match(line, /^[\x20-\x7e]*$/, `line ${i + 1} is not printable ASCII: ${line}`);
    assert.equal(line, line.trimEnd(), `line ${i + 1} has trailing spaces`);
  }
}

test('the counterexample text fits a 72-column mail, ASCII only', () => {
  assertMailText(traceToText(jasonStale));
  assertMailText(traceToText(noFlushStale));
});

test('the violation sentence sits right after its step, with the property', () => {
  const lines = traceToText(jasonStale).split('\n');
  const step = lines.findIndex((l) => /^ 17 Device ATC {2}Device: DMA/.test(l));
  const bad = lines.findIndex((l) => l.startsWith('*** VIOLATION stale-after-return: the device used the old'));
  assert.ok(step > 0 && bad > step, 'VIOLATION after step 17');
  assert.ok(lines.slice(step + 1, bad).every((l) => l.startsWith('   ')), 'only the step\'s own lines between');
  // Non-ASCII in the model's text (a right arrow, a typographic apostrophe) is spelled out.
  assert.match(traceToText(jasonStale).replace(/\n\s+/g, ' '), /hit DID 5 -> 0x1000/);
  assert.match(traceToText(jasonStale).replace(/\n\s+/g, ' '), /domain's translation/);
});

test('only what changed is listed under a step, and a step with no change has no extra line', () => {
  const text = traceToText(jasonStale);
  assert.match(text, /^ {2}7 Inv\. queue {2}IOMMU: pc_inv PASID-selective DID=5 PASID=0x10 done\n {18}PASID cache -= \{PASID 0x10 -> old\}\n {2}8 /m);
  assert.match(text, /^ {2}8 Inv\. queue {2}IOMMU: inv_wait done \(status 1 written\)\n {2}9 /m);
});

test('an overtaking message says what it overtook; a message in flight says so', () => {
  const text = traceToText(jasonStale);
  assert.match(text.replace(/\n\s+/g, ' '), /<- Invalidate Request from Inv\. queue, sent at step 10; overtakes the Translation Completion \(old\) sent at step 3/);
  assert.match(traceToText(noFlushStale).replace(/\n\s+/g, ' '), /-> Translation Request to IOTLB \(still in flight at the end\)/);
});

test('messages pair sends with receives; overtaking is computed from the order', () => {
  const ms = messagesOf(jasonStale);
  assert.deepEqual(ms.map((m) => [m.id, m.from, m.to, m.sendStep, m.receiveStep, m.overtakes]), [
    ['tr1', 'device', 'iotlb', 1, 2, []],
    ['tc1', 'iotlb', 'device', 3, 16, []],
    ['ir1', 'queue', 'device', 10, 11, [3]],
    ['ic1', 'device', 'queue', 12, 13, []],
  ]);
  const twice: Trace = { title: 't', steps: [
    { index: 1, lane: 'device', text: 'a', changes: [], message: { id: 'x', kind: 'send', peer: 'iotlb', label: 'm' } },
    { index: 2, lane: 'device', text: 'b', changes: [], message: { id: 'x', kind: 'send', peer: 'iotlb', label: 'm' } },
  ] };
  assert.throws(() => messagesOf(twice), /message x sent twice \(steps 1 and 2\)/);
});

test('lanes: the ones with a role by default, all on request, minus hidden ones', () => {
  assert.deepEqual(usedLanes(jasonStale), ['driver', 'memory', 'queue', 'iotlb', 'device']);
  // The IOTLB has no step in the no-flush trace but a message goes to it.
  assert.deepEqual(usedLanes(noFlushStale), ['driver', 'iotlb', 'device']);
  assert.equal(selectLanes([jasonStale], { lanes: 'all' }).length, 8);
  assert.deepEqual(selectLanes([jasonStale], { hide: ['memory'] }), ['driver', 'queue', 'iotlb', 'device']);
  assert.deepEqual(selectLanes([jasonStale, noFlushStale]), ['driver', 'memory', 'queue', 'iotlb', 'device']);
  assert.throws(() => selectLanes([jasonStale], { lanes: ['cpu' as never] }), /unknown lane 'cpu'/);
});

test('Mermaid: one participant per lane with a role, an arrow per delivered message', () => {
  const m = traceToMermaid(jasonStale);
  assert.ok(m.startsWith('sequenceDiagram\n'));
  assert.equal((m.match(/^ {4}participant /gm) ?? []).length, 5);
  assert.equal((m.match(/^ {4}\w+->>\w+: /gm) ?? []).length, 4);
  assert.match(m, /queue->>device: Invalidate Request \(sent at 10, overtakes the one sent at 3\)/);
  assert.match(m, /Note over device: VIOLATION stale-after-return: /);
  // ';' ends a statement in Mermaid: it is written as an entity.
  assert.ok(!/;(?!)/.test(m.replace(/#\d+;/g, '')), 'no raw semicolon');
  assert.match(traceToMermaid(noFlushStale), /device-\)iotlb: Translation Request \(sent at 4, still in flight\)/);
  assert.match(traceToMermaid(jasonStale, { hide: ['memory'] }), /^(?![\s\S]*participant memory)/);
});

test('wrap and hanging never exceed the width, even for one long word', () => {
  const long = `${'0x'}${'f'.repeat(100)} end`;
  for (const w of [10, 40, 72]) for (const l of wrap(long, w)) assert.ok(l.length <= w);
  for (const l of hanging('Scenario ', long, 2)) assert.ok(l.length <= 72);
  assert.equal(toAscii('a\u2192b \u2260 c\u00e9'), 'a->b != c?');
});

test('rendering twice gives the same bytes', () => {
  assert.equal(traceToText(jasonStale), traceToText(structuredClone(jasonStale)));
  assert.equal(traceToMermaid(jasonStale), traceToMermaid(structuredClone(jasonStale)));
});
