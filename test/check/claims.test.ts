// The claim ledger: each claim's result and the assumptions that decide it are computed, not
// written down. Negative controls: a claim whose expectation is flipped is reported as
// failing; an open claim's own assumption shows up among those that decide it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CLAIMS, CheckCache, claimsJson, evaluateClaim, evaluateClaims, type ClaimDefinition, type Expectation } from '../../src/check/claims';
import { OPEN_ASSUMPTIONS } from '../../src/check/sweep';
import { runCli } from '../helpers/cli';

const cache = new CheckCache();
const byId = (id: string) => CLAIMS.find((c) => c.id === id)!;

test('the ledger has J1-J6 and B1-B4, in the order of the mail, and computes in seconds', () => {
  assert.deepEqual(CLAIMS.map((c) => c.id).sort(), ['B1', 'B2', 'B3', 'B4', 'J1', 'J2', 'J3', 'J4', 'J5', 'J6']);
  const t0 = Date.now();
  const results = evaluateClaims(CLAIMS, {}, cache);
  assert.ok(Date.now() - t0 < 60_000, `took ${Date.now() - t0} ms`);
  for (const r of results) {
    assert.ok(['holds', 'fails', 'open'].includes(r.result));
    for (const d of r.decidedBy) assert.ok(OPEN_ASSUMPTIONS.includes(d), d);
    assert.match(r.command, /^flushlab check -t \w+ -s [a-z0-9-]+( -a [\w=,-]+)?( -p \d+)? -r \d -d \d$/);
  }
});

test('flipping an expectation flips the result (each claim can fail)', () => {
  const flip = (e: Expectation): Expectation => ('same' in e ? e : { ...e, expect: e.expect === 'safe' ? 'unsafe' : 'safe' });
  for (const def of CLAIMS) {
    const r = evaluateClaim(def, cache);
    if (def.expectations.every((e) => 'same' in e)) continue;
    const flipped: ClaimDefinition = { ...def, expectations: def.expectations.map(flip) };
    const f = evaluateClaim(flipped, cache);
    if (r.met) assert.equal(f.met, false, `${def.id} flipped still met`);
    if (!def.states) assert.equal(f.result, r.met ? 'fails' : f.met ? 'holds' : 'fails', def.id);
  }
  // J4's "same verdict" relation holds for two safe strategies and fails against no-flush.
  const same: ClaimDefinition = { ...byId('J4'), expectations: [{ same: [{ transition: 'slNewDid', strategy: 'jason-ordered-waited', requests: 1, dmas: 0 }, { transition: 'slNewDid', strategy: 'jason-ordered', requests: 1, dmas: 0 }] }] };
  assert.equal(evaluateClaim(same, cache).result, 'holds');
  const differ: ClaimDefinition = { ...same, expectations: [{ same: [{ transition: 'slNewDid', strategy: 'jason-ordered-waited', requests: 1, dmas: 0 }, { transition: 'slNewDid', strategy: 'no-flush', requests: 1, dmas: 0 }] }] };
  assert.equal(evaluateClaim(differ, cache).result, 'fails');
});

test('a property in the expectation must match: unsafe hitless is not unsafe stale-after-return', () => {
  const def: ClaimDefinition = { ...byId('B2'), states: undefined, expectations: [{ check: { transition: 'slNewDid', strategy: 'jason', requests: 1, dmas: 0 }, expect: 'unsafe hitless' }] };
  assert.equal(evaluateClaim(def, cache).result, 'fails');
});

test('decidedBy is computed by flipping: an open claim is decided by the assumption it states', () => {
  for (const def of CLAIMS.filter((c) => c.states)) {
    assert.ok(evaluateClaim(def, cache).decidedBy.includes(def.states!.assumption), `${def.id}: ${def.states!.assumption}`);
  }
  // J4 fails under the spec reading. The DID in the lookup alone no longer rescues it: the
  // old-DID entry it leaves is hit once the kernel reuses that DID (did-reused-after-return,
  // domain_detach_iommu frees DIDs without a flush); an inclusive PASID cache does.
  const j4 = evaluateClaim(byId('J4'), cache);
  assert.equal(j4.result, 'fails');
  assert.ok(j4.flips.includes('pc-inv-drops-iotlb=true'), j4.flips.join(' '));
  assert.ok(!j4.flips.includes('iotlb-lookup-uses-did=true'), j4.flips.join(' '));
  // Negative control: a claim about a check no open assumption can change is decided by none.
  const fixed: ClaimDefinition = { ...byId('B1'), expectations: [{ check: { transition: 'slNewDid', strategy: 'no-flush', requests: 1, dmas: 0 }, expect: 'unsafe' }] };
  assert.deepEqual(evaluateClaim(fixed, cache).decidedBy, []);
});

test('the premise of a claim is not flipped: J6 is judged under the jason preset', () => {
  const j6 = evaluateClaim(byId('J6'), cache);
  assert.ok(!j6.decidedBy.includes('iotlb-lookup-uses-did') && !j6.decidedBy.includes('pc-inv-waits-for-walks'));
  assert.match(j6.command, / -a jason /);
});

test('flushlab claims --json: every id, the documented keys; the table fits 72 columns', async () => {
  const json = await runCli(['claims', '--json']);
  assert.equal(json.code, 0);
  const rows = JSON.parse(json.out) as Record<string, unknown>[];
  assert.deepEqual(rows.map((r) => r.id), CLAIMS.map((c) => c.id));
  for (const r of rows) assert.deepEqual(Object.keys(r), ['id', 'who', 'date', 'quote', 'result', 'decidedBy', 'command']);
  assert.deepEqual(rows, claimsJson(evaluateClaims(CLAIMS, {}, cache)));
  const text = await runCli(['claims']);
  for (const line of text.out.split('\n')) assert.ok(line.length <= 72 && /^[\x20-\x7e]*$/.test(line), line);
  assert.match(text.out, /^J4  Jason  2026-03-12  fails   pc-inv-drops-iotlb/m);
});
