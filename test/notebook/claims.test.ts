// Claims a notebook makes: shown as a checklist, and a claim that no longer holds fails
// the cell with an error naming it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { claims, claimsToHtml, claimsToText, ClaimError } from '../../src/notebook/claims';
import { useDisplay, type DisplayLike } from '../../src/notebook/notebook';

test('all claims hold: a checklist, no error', () => {
  const shown: string[] = [];
  const d: DisplayLike = { html: (s) => shown.push(s), svg: () => undefined, text: () => undefined };
  useDisplay({ display: d, newDisplay: () => d });
  try {
    claims([['`jason` is unsafe under spec', true], ['baolu is safe', true]]);
  } finally {
    useDisplay(undefined);
  }
  assert.equal(shown.length, 1);
  assert.match(shown[0], /<code>jason<\/code> is unsafe under spec/);
  assert.equal((shown[0].match(/holds<\/span>/g) ?? []).length, 2);
});

test('a claim that no longer holds throws, naming it', () => {
  useDisplay(null);
  try {
    assert.throws(() => claims([['a', true], ['`b` is safe', false]]), (e: unknown) =>
      e instanceof ClaimError && e.message === '1 claim(s) no longer hold: b is safe');
  } finally {
    useDisplay(undefined);
  }
  assert.throws(() => claims([]), /nothing to check/);
});

test('text and HTML renderings', () => {
  assert.equal(claimsToText([['x <y>', true], ['z', false]], 'T'), 'T:\n  [ok] x <y>\n  [NO LONGER HOLDS] z\n');
  assert.match(claimsToHtml([['x <y>', false]]), /x &lt;y&gt;/);
  assert.match(claimsToHtml([['x', false]]), /NO LONGER HOLDS/);
});
