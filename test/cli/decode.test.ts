import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import fc from 'fast-check';
import { runCli } from '../helpers/cli';

const root = join(__dirname, '..', '..');
const FL = ['0x49', '0x800005', '0x1000', '0', '0', '0', '0', '0'];

test('decode: a PASID entry as a 72-column table with its compact form and the used fields', async () => {
  const r = await runCli(['decode', ...FL]);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.err, '');
  const lines = r.out.split('\n');
  assert.equal(lines[0], 'PASID-table entry: fl:did=5,fsptptr=0x1000');
  assert.ok(lines.includes('DID      79:64    val[1] 15:0   5                          used'));
  assert.ok(lines.includes('PGTT     8:6      val[0] 8:6    1 (FL, first-stage only)   used'));
  assert.ok(lines.includes('FPD      1        val[0] 1      0'), 'FL does not use FPD (intel_pasid_get_used)');
  assert.ok(lines.includes('Valid (VT-d 5.10 9.6).'));
  for (const line of lines) assert.ok(line.length <= 72, line);
});

test('decode: pasted forms (commas, no 0x, one argument with newlines) give the same output', async () => {
  const a = await runCli(['decode', ...FL]);
  const b = await runCli(['decode', '49,', '800005,', '1000,', '0,', '0,', '0,', '0,', '0']);
  const c = await runCli(['decode', '0x0000000000000049 0x0000000000800005\n0x0000000000001000 0x0\n0 0 0 0']);
  assert.equal(b.out, a.out);
  assert.equal(c.out, a.out);
});

test('decode: an invalid entry lists its problems and still exits 0 (decoding succeeded)', async () => {
  const r = await runCli(['decode', '0x89', '0x800005', '0', '0x10', '0', '0', '0', '0']);
  assert.equal(r.code, 0);
  assert.match(r.out, /\nProblems:\n {2}- reserved bit 196 set \(val\[3\] = 0x0000000000000010\)\n {2}- PGTT=SL needs SSPTPTR/);
});

test('decode --json: a PASID entry', async () => {
  const r = await runCli(['decode', '--json', ...FL]);
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  assert.equal(j.kind, 'pasid-entry');
  assert.equal(j.compact, 'fl:did=5,fsptptr=0x1000');
  assert.deepEqual(j.words.slice(0, 3), ['0x0000000000000049', '0x0000000000800005', '0x0000000000001000']);
  assert.equal(j.fields.present, true);
  assert.equal(j.fields.pgtt, 'fl');
  assert.equal(j.fields.pgtt_code, 1);
  assert.equal(j.fields.did, 5);
  assert.equal(j.fields.aw, 2);
  assert.equal(j.fields.pwsnp, true);
  assert.equal(j.fields.fsptptr, '0x1000');
  assert.equal(j.fields.ssptptr, '0x0');
  assert.deepEqual(Object.keys(j.fields).slice(0, 8), ['present', 'fpd', 'aw', 'pgtt', 'pgtt_code', 'ssade', 'ssptptr', 'did']);
  assert.deepEqual(j.used, ['present', 'aw', 'pgtt', 'did', 'pwsnp', 'pgsnp', 'fspm', 'fsptptr']);
  assert.deepEqual(j.problems, []);
});

test('decode --json: a descriptor, 2 or 4 qwords', async () => {
  const r = await runCli(['decode', '--json', '0x0000001000050026', '0']);
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(JSON.parse(r.out), {
    kind: 'descriptor', type: 'p_iotlb', code: 6, summary: 'P_IOTLB PASID-selective DID=5 PASID=0x10',
    words: ['0x0000001000050026', '0x0000000000000000'],
    granularity: 'pasid', did: 5, pasid: 16, am: 0, ih: false, addr: '0x0', problems: [],
  });
  const w = await runCli(['decode', '--json', '0x200000025', '0x1003dc3c8', '0', '0']);
  const j = JSON.parse(w.out);
  assert.equal(j.type, 'inv_wait');
  assert.equal(j.status_data, 2);
  assert.equal(j.status_addr, '0x1003dc3c8');
  assert.equal(j.sw, true);
});

test('decode: a descriptor as text', async () => {
  const r = await runCli(['decode', '0x0100001001000008', '0x7ffffffffffff800']);
  assert.equal(r.code, 0, r.err);
  const lines = r.out.split('\n');
  assert.equal(lines[0], 'P_DEV_TLB_INV SID=0x0100 PASID=0x10 all');
  assert.ok(lines.includes('S              qw1 11               1'));
  assert.ok(lines.includes('PFSID          qw0 15:12 + 63:52    0x0100'));
});

test('decode --svg: the bit-layout picture of an entry', async () => {
  const r = await runCli(['decode', '--svg', ...FL]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.match(r.out, /<\/svg>\n$/);
});

test('decode: malformed input is one line on stderr and exit code 2', async () => {
  const cases: [string[], string][] = [
    [['decode', 'zz'], "flushlab: 'zz' (word 0) is not a hex qword\n"],
    [['decode', '1', '2', '3'], 'flushlab: expected 8 qwords (a PASID-table entry) or 2 or 4 (a descriptor), got 3\n'],
    [['decode', '0x106', '0'], 'flushlab: P_IOTLB: reserved bit 8 of qw0 set (qw0 = 0x106)\n'],
    [['decode', '0x4', '0'], 'flushlab: descriptor type 4 is IEC (interrupt entry cache), which flushlab does not model\n'],
    [['decode', '--svg', '0x17', '0'], 'flushlab: --svg draws PASID-table entries (8 qwords) only\n'],
    [['decode'], "flushlab: missing required argument 'hex'\n"],
  ];
  for (const [argv, err] of cases) {
    const r = await runCli(argv);
    assert.equal(r.code, 2, argv.join(' '));
    assert.equal(r.err, err);
    assert.equal(r.out, '');
  }
});

test('decode: same input, same bytes', async () => {
  for (const argv of [['decode', ...FL], ['decode', '--json', ...FL], ['decode', '--svg', ...FL], ['decode', '0x17', '0']]) {
    const a = await runCli(argv);
    const b = await runCli(argv);
    assert.equal(a.out, b.out);
  }
});

test('decode: fuzzed arguments exit 0, or 2 with exactly one error line', async () => {
  const word = fc.oneof(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }).map((n) => `0x${n.toString(16)}`),
    fc.constantFrom('0x17', '0x26', '0x5', '0x8', '0x3', '0', ',', '--json', 'val[0]=', 'qw1:'), fc.string({ maxLength: 10 }));
  await fc.assert(fc.asyncProperty(fc.array(word, { minLength: 1, maxLength: 9 }), async (args) => {
    fc.pre(!(args.length === 1 && args[0] === '-')); // '-' reads stdin
    const r = await runCli(['decode', ...args]);
    if (r.code === 0) return;
    assert.equal(r.code, 2);
    assert.match(r.err, /^flushlab: [^\n]+\n$/);
    assert.ok(!r.err.includes('internal error'), r.err);
    assert.equal(r.out, '');
  }), { numRuns: 300 });
});

test('decode -: reads the words from standard input', () => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'src', 'cli', 'main.ts'), 'decode', '-'],
    { input: 'qw0 = 0x0000001000050017, qw1 = 0x0\n', encoding: 'utf8', cwd: root });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.split('\n')[0], 'PC_INV PASID-selective DID=5 PASID=0x10');
});
