import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  matchesExpectation, outcomeOf, parseExpectation, parseScenarios, scenarioToYaml, unquoteMail,
  ScenarioFileError, type Scenario,
} from '../../src/scenarios/scenarioFile';
import type { ScenarioInput } from '../../src/check/result';

const FILE = [
  '# Jason\'s sync on the thread\'s SL->SL change with a new DID.',
  'name: jason-sl-sl-new-did',
  'from: sl:did=5,ssptptr=0x1000',
  'to: sl:did=6,ssptptr=0x2000',
  'strategy: jason',
  'assume: spec',
  'requests: 2',
  'result: unsafe stale-after-return',
  'why: the IOTLB lookup ignores DID (Table 17), so a stale entry answers.',
  '',
].join('\n');

function errorOf(text: string, validators = {}): string {
  try {
    parseScenarios(text, 'x.yaml', validators);
  } catch (e) {
    assert.ok(e instanceof ScenarioFileError, String(e));
    return e.message;
  }
  assert.fail('no error');
}

function only(text: string): Scenario {
  const all = parseScenarios(text, 'x.yaml');
  assert.equal(all.length, 1);
  return all[0];
}

test('a scenario file: its keys, defaults left out, the expectation and the reason', () => {
  const s = only(FILE);
  assert.deepEqual(s.input, { name: 'jason-sl-sl-new-did', from: 'sl:did=5,ssptptr=0x1000', to: 'sl:did=6,ssptptr=0x2000', strategy: 'jason', assume: 'spec', requests: 2 });
  assert.deepEqual(s.expect, { verdict: 'unsafe', properties: ['stale-after-return'] });
  assert.equal(s.why, 'the IOTLB lookup ignores DID (Table 17), so a stale entry answers.');
  assert.equal(s.line, 2);
});

test('pasted through mail: "> " and "> > " quoting and CRLF give the same scenario', () => {
  const want = only(FILE);
  const quote = (t: string, p: string) => t.split('\n').map((l) => (l ? p + l : l)).join('\n');
  for (const text of [quote(FILE, '> '), quote(FILE, '> > '), quote(FILE, '>> '), FILE.replace(/\n/g, '\r\n'),
    quote(FILE, '> ').replace(/\n/g, '\r\n'), `\uFEFF${FILE}`,
    // Blank lines quoted as a bare '>' (what most clients write).
    quote(FILE, '> ').replace(/\n\n/g, '\n>\n')]) {
    assert.deepEqual(only(text), want);
  }
});

test('quoting that is not the same on every line is refused, saying which line and what to do', () => {
  const mixed = FILE.split('\n').map((l, i) => (l && i < 4 ? `> ${l}` : l)).join('\n');
  assert.equal(errorOf(mixed), "x.yaml:5: line is not mail-quoted but line 1 is quoted > (depth 1); quote every line the same way or remove the '> ' prefixes");
  const deeper = FILE.split('\n').map((l, i) => (l ? (i === 6 ? `> > ${l}` : `> ${l}`) : l)).join('\n');
  assert.match(errorOf(deeper), /^x\.yaml:7: line is quoted >> \(depth 2\) but line 1 is quoted > \(depth 1\)/);
  assert.equal(unquoteMail('> a: 1\n>\n>   b: 2\n'), 'a: 1\n\n  b: 2\n');
});

test('errors name the line and the problem', () => {
  assert.equal(errorOf(FILE.replace('strategy:', 'strategey:')), 'x.yaml:5: unknown key \'strategey\' (keys: name, arch, from, to, strategy, assume, requests, dmas, pasid, leftover, cold, result, why)');
  assert.equal(errorOf(FILE.replace('strategy: jason\n', '')), 'x.yaml:2: missing \'strategy:\' (which strategy runs, e.g. jason or baolu)');
  assert.equal(errorOf(FILE.replace('unsafe stale-after-return', 'unsafe stale')), "x.yaml:8: unknown property 'stale' (properties: stale-after-return, hitless, torn-fill, termination)");
  assert.equal(errorOf(FILE.replace('unsafe stale-after-return', 'Never')), "x.yaml:8: result must be 'safe', 'unsafe', 'unsafe <property>' or 'inconclusive' (got 'Never')");
  assert.equal(errorOf(FILE.replace('requests: 2', 'requests: two')), "x.yaml:7: 'requests' must be a whole number >= 0 (got 'two')");
  assert.equal(errorOf(`${FILE}cold: yes\n`), "x.yaml:10: 'cold' must be true or false (got 'yes')");
  assert.equal(errorOf(`${FILE}strategy: baolu\n`), "x.yaml:10: 'strategy' given twice (first at line 5)");
  assert.equal(errorOf(`${FILE}comment: again\n`), "x.yaml:10: 'comment' is another name for 'why', already given at line 9");
  assert.equal(errorOf(FILE.replace('name: jason-sl-sl-new-did', 'name: jason sl')), "x.yaml:2: 'name' must be one word of letters, digits and . _ + - (got 'jason sl')");
  assert.match(errorOf(FILE.replace('from: sl:', 'from:\tsl:').replace('to: sl', '\tto: sl')), /^x\.yaml:4: /);
  assert.equal(errorOf('just some words\n'), 'x.yaml:1: a scenario is a list of "key: value" lines');
  assert.equal(errorOf(''), 'x.yaml:1: no scenario in the file (expected from:, to:, strategy:, result:)');
  assert.equal(errorOf(FILE.replace('to: sl', '\u00a0to: sl')), 'x.yaml:4: indented with a non-breaking space (U+00A0), as some mail clients do; use plain spaces');
});

test('a line wrapped by a mail client is pointed at', () => {
  const wrapped = FILE.replace('why: the IOTLB lookup ignores DID (Table 17), so a stale entry answers.',
    'why: the IOTLB lookup ignores DID (Table 17), so a stale entry answers, as in\nthe thread: yes');
  assert.match(errorOf(wrapped), /^x\.yaml:10: .*\(a mail client may have wrapped a long line\)$/);
});

test('validators from the model report at the line of the key', () => {
  const validators = {
    entry: (t: string) => { if (!t.startsWith('sl:') && !t.startsWith('fl:')) throw new Error(`bad entry '${t}'`); },
    assume: (t: string) => { if (t !== 'spec') throw new Error(`unknown preset '${t}'`); },
    strategy: (t: string) => { if (t !== 'jason') throw new Error(`unknown strategy '${t}'`); },
  };
  assert.equal(errorOf(FILE.replace('to: sl:', 'to: xx:'), validators), "x.yaml:4: to: bad entry 'xx:did=6,ssptptr=0x2000'");
  assert.equal(errorOf(FILE.replace('assume: spec', 'assume: jasn'), validators), "x.yaml:6: assume: unknown preset 'jasn'");
  assert.equal(errorOf(FILE.replace('strategy: jason', 'strategy: jsaon'), validators), "x.yaml:5: strategy: unknown strategy 'jsaon'");
});

test('several scenarios in one file, separated by ---; names default to the file name', () => {
  const two = parseScenarios(`${FILE}---\n${FILE.replace('name: jason-sl-sl-new-did\n', '').replace('strategy: jason', 'strategy: baolu')}`, 'dir/thread.yaml');
  assert.deepEqual(two.map((s) => [s.input.name, s.line]), [['jason-sl-sl-new-did', 2], ['thread-2', 12]]);
  assert.match(errorOf(`${FILE}---\n${FILE}`), /^x\.yaml:12: name 'jason-sl-sl-new-did' used twice in the file$/);
});

test('expectations: safe, unsafe, unsafe <property>..., inconclusive', () => {
  const unsafe = { verdict: 'unsafe' as const, violations: [{ property: 'stale-after-return' }] as never };
  assert.ok(matchesExpectation(unsafe, parseExpectation('unsafe')));
  assert.ok(matchesExpectation(unsafe, parseExpectation('unsafe stale-after-return')));
  assert.ok(!matchesExpectation(unsafe, parseExpectation('unsafe stale-after-return hitless')));
  assert.ok(!matchesExpectation(unsafe, parseExpectation('safe')));
  assert.equal(outcomeOf(unsafe), 'unsafe stale-after-return');
  assert.throws(() => parseExpectation('safe stale-after-return'), /'safe' takes no property/);
});

const word = fc.stringMatching(/^[a-z][a-z0-9]{0,8}$/);
const entry = fc.tuple(fc.constantFrom('sl', 'fl', 'nested', 'pt'), fc.integer({ min: 0, max: 65535 }), fc.integer({ min: 0, max: 2 ** 20 }))
  .map(([t, did, p]) => `${t}:did=${did},ptr=0x${(p * 4096).toString(16)}`);
const input: fc.Arbitrary<ScenarioInput> = fc.record({
  name: fc.tuple(word, word).map(([a, b]) => `${a}-${b}`),
  from: fc.oneof(entry, fc.constant('off')),
  to: entry,
  strategy: fc.constantFrom('jason', 'baolu', 'jason-ordered', 'table28', 'teardown-setup', 'no-devtlb', 'no-flush'),
  assume: fc.constantFrom('spec', 'jason', 'baolu', 'spec,coherent=false', 'jason,entry-fetch-bits=64,caching-mode=true'),
  requests: fc.integer({ min: 0, max: 3 }),
  dmas: fc.integer({ min: 0, max: 3 }),
  cold: fc.boolean(),
}, { requiredKeys: ['name', 'from', 'to', 'strategy'] });
const expectation = fc.constantFrom('safe', 'unsafe', 'unsafe stale-after-return', 'unsafe hitless torn-fill', 'inconclusive');
const why = fc.option(fc.array(fc.constantFrom('the', 'IOTLB', 'lookup', 'ignores', 'DID', '(Table', '17);', 'a', 'stale', 'entry', 'answers:', 'yes', '#3', '-', 'x'), { minLength: 1, maxLength: 40 }).map((ws) => ws.join(' ')), { nil: undefined });

test('a written scenario reads back the same, quoted or not, and fits a quoted mail', () => {
  fc.assert(fc.property(input, expectation, why, (inp, exp, reason) => {
    const text = scenarioToYaml(inp, exp, reason);
    for (const l of text.split('\n')) assert.ok(l.length <= 68, `too long for "> > " quoting: ${l}`);
    const want = { ...inp, ...(inp.assume === 'spec' ? { assume: undefined } : {}), ...(inp.cold === false ? { cold: undefined } : {}) };
    for (const t of [text, text.replace(/^/gm, '> ').replace(/\n> $/, '\n'), text.replace(/\n/g, '\r\n')]) {
      const [s] = parseScenarios(t, 'x.yaml');
      assert.deepEqual(JSON.parse(JSON.stringify(s.input)), JSON.parse(JSON.stringify(want)));
      assert.equal([s.expect.verdict, ...s.expect.properties].join(' '), exp);
      assert.equal(s.why, reason);
    }
  }), { seed: 6, numRuns: 200 });
});

test('strategy: a one-line strategy becomes a strategy value; a name stays a name; a bad line is reported at its line', () => {
  const line = only(FILE.replace('strategy: jason', 'strategy: sync=clflush,pc;after=p_iotlb+devtlb'));
  assert.equal(typeof line.input.strategy, 'object');
  const value = line.input.strategy as Exclude<ScenarioInput['strategy'], string>;
  assert.equal(value.name, 'custom');
  assert.equal(value.source, 'scenario file');
  assert.deepEqual(value.after.map((a) => a.do === 'submit' ? a.descriptors.map((d) => d.type) : a.do), [['p_iotlb_inv', 'devtlb']]);
  assert.equal(only(FILE).input.strategy, 'jason');
  assert.equal(errorOf(FILE.replace('strategy: jason', 'strategy: sync=pc;after=nonsense')),
    "x.yaml:5: strategy: strategy line: 'nonsense' is not a descriptor (pc, p_iotlb, iotlb.domain, iotlb_by_pgtt, devtlb, wait) (e.g. 'sync=clflush,pc;after=p_iotlb+devtlb'; flushlab check --help)");
});
