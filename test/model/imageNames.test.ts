// Traces name entry images by what they are, never by the search's internal number (#n),
// and the writer's intermediates stay told apart (a memory change is never hidden because
// two images got one name).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EntryImages } from '../../src/model/entryImages';
import { parseEntry, formatEntry } from '../../src/formats/pasidEntry';
import { checkScenario } from '../../src/check/check';

test('image names: old, new, P=0 by quanta, torn by DID and tables; no #n', () => {
  const oldE = parseEntry('fl:did=5,fsptptr=0x1000');
  const newE = parseEntry('fl:did=6,fsptptr=0x2000');
  const im = new EntryImages(oldE, newE);
  assert.equal(im.name(im.oldId), 'old');
  assert.equal(im.name(im.newId), 'new');
  const cleared = [...oldE];
  cleared[0] = cleared[0]! & ~1n;
  assert.equal(im.name(im.intern(cleared)), 'P=0: as old');
  const mixed = [...cleared];
  mixed[2] = newE[2]!;
  mixed[3] = newE[3]!;
  const n = im.name(im.intern(mixed));
  assert.notEqual(n, 'P=0: as old');
  assert.doesNotMatch(n, /#\d/);
  assert.doesNotMatch(formatEntry(oldE), /#/);
});

test('a counterexample through a torn read (the writer clears P, then writes): no image ids, every memory change shown', () => {
  const torn = checkScenario({ from: 'fl:did=5,fsptptr=0x1000', to: 'fl:did=6,fsptptr=0x2000', strategy: 'baolu', requests: 1, dmas: 0 });
  assert.equal(torn.verdict, 'unsafe');
  assert.match(torn.violations[0]!.trace.violation!.reason, /\(torn: DID=6, walks old\)/);
  for (const r of [torn]) {
    for (const v of r.violations) {
      const text = v.trace.steps.map((s) => [s.text, ...s.changes].join('\n')).join('\n') + v.trace.violation!.reason;
      assert.doesNotMatch(text, /(?<!(TC|TR|Completion|Request) )#\d+ \((torn|P=0|DID)/);
      // Each store that changes the entry shows a memory change (names distinct).
      const stores = v.trace.steps.filter((s) => /store to quantum/.test(s.text));
      assert.equal(stores.length, 3);
      for (const s of stores) assert.ok(s.changes.some((c) => c.startsWith('memory: ')), s.text);
    }
  }
});
