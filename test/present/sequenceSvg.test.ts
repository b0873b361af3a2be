import { test } from 'node:test';
import assert from 'node:assert/strict';
import { traceToSvg, tracesToSvg } from '../../src/present/sequenceSvg';
import { jasonStale, noFlushStale } from './sample';

function count(svg: string, re: RegExp): number {
  return (svg.match(re) ?? []).length;
}

test('one lane group per lane with a role, one arrow per message, the violating step marked', () => {
  const svg = traceToSvg(jasonStale);
  assert.ok(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" '));
  assert.equal(count(svg, /<g class="lane" /g), 5);
  assert.equal(count(svg, /<g class="message/g), 4);
  assert.equal(count(svg, /<g class="step/g), 17);
  assert.equal(count(svg, /<g class="step violation" data-step="17"/g), 1);
  assert.equal(count(svg, /class="violation-ring"/g), 1);
  assert.match(svg, /<text class="bad" [^>]*>VIOLATION stale-after-return: the device used the/);
  // The Invalidate Request (10 -> 11) and the Translation Completion (3 -> 16) it overtook.
  assert.match(svg, /data-id="ir1" data-from="queue" data-to="device" data-send="10" data-receive="11"/);
  assert.match(svg, /data-id="tc1" data-from="iotlb" data-to="device" data-send="3" data-receive="16"/);
});

test('a part the violation names is drawn and ringed even when no step happens there', () => {
  const t = structuredClone(noFlushStale);
  t.steps = t.steps.slice(0, 2);
  t.violation = { property: 'stale-after-return', step: 2, reason: 'the IOTLB entry DID=5 with the old translation is still hit by lookups after the strategy returned' };
  const svg = traceToSvg(t);
  assert.match(svg, /<g class="lane" data-lane="iotlb">/);
  assert.match(svg, /<circle class="violation-ring named" data-lane="iotlb" /);
  assert.equal(count(svg, /<g class="lane" /g), 2);
});

test('lanes can be hidden or all shown; a step on a hidden lane keeps its text', () => {
  assert.equal(count(traceToSvg(jasonStale, { lanes: 'all' }), /<g class="lane" /g), 8);
  const hidden = traceToSvg(jasonStale, { hide: ['memory'] });
  assert.equal(count(hidden, /<g class="lane" /g), 4);
  assert.match(hidden, /\(on hidden lane Memory\)/);
  // A message to a hidden part is not drawn (no arrow into nothing).
  assert.equal(count(traceToSvg(jasonStale, { hide: ['iotlb'] }), /<g class="message/g), 2);
});

test('a message still in flight is dashed and runs off the bottom', () => {
  const svg = traceToSvg(noFlushStale);
  assert.equal(count(svg, /<g class="message in-flight"/g), 1);
  assert.match(svg, /stroke-dasharray="5 4"/);
  assert.match(svg, /dashed: still in flight at the end/);
});

test('side by side: one panel per trace on the same lanes; a note panel for a safe run', () => {
  const svg = tracesToSvg([jasonStale, noFlushStale]);
  assert.equal(count(svg, /<g class="panel" /g), 2);
  assert.equal(count(svg, /<g class="lane" /g), 10);
  const note = tracesToSvg([jasonStale, { title: 'baolu-sl-sl-new-did', note: 'safe: no counterexample in 18342 states' }]);
  assert.match(note, /<text class="note" [^>]*>safe: no counterexample in 18342 states<\/text>/);
});

test('text is escaped, ids are stable, and the same trace gives the same bytes', () => {
  const t = structuredClone(jasonStale);
  t.title = 'a<b & "c"';
  const svg = traceToSvg(t);
  assert.match(svg, /aria-label="a&lt;b &amp; &quot;c&quot;"/);
  assert.ok(!/<b /.test(svg));
  assert.equal(traceToSvg(jasonStale), traceToSvg(structuredClone(jasonStale)));
  const ids = [...traceToSvg(jasonStale).matchAll(/ id="([^"]+)"/g)].map((m) => m[1]);
  assert.deepEqual(ids, [ids[0]]);
  assert.match(ids[0], /^fl[0-9a-f]{8}-arrow$/);
  assert.notEqual(traceToSvg(noFlushStale).match(/ id="([^"]+)"/)![1], ids[0], 'different diagrams on one page do not share marker ids');
});

test('the receiving step says in words which message it overtook', () => {
  const svg = traceToSvg(jasonStale);
  const said = [...svg.matchAll(/<text class="overtake" [^>]*>([^<]*)<\/text>/g)].map((m) => m[1]).join(' ');
  assert.equal(said, 'overtakes the Translation Completion (old) sent at step 3');
});
