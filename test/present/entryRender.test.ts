import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseEntry } from '../../src/formats/pasidEntry';
import { encodeDescriptor, pasidSelectiveIotlb } from '../../src/formats/descriptors';
import {
  descriptorRows, descriptorTableHtml, descriptorTableText, pasidEntryRows, pasidEntryTableHtml, pasidEntryTableText,
} from '../../src/present/entryTable';
import { pasidEntrySvg } from '../../src/present/entrySvg';
import { descriptor, entryWords } from '../formats/arbitraries';

/** A small XML well-formedness check: balanced tags, quoted attributes, no stray '<' or '&'. */
function assertWellFormedXml(xml: string): void {
  const stack: string[] = [];
  const re = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>|<|&(?!(?:amp|lt|gt|quot|apos);)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(xml)) !== null) {
    assert.ok(m[2] !== undefined, `stray '${m[0]}' at ${m.index}: ${xml.slice(m.index, m.index + 40)}`);
    if (m[4] === '/') continue;
    if (m[1] === '/') assert.equal(stack.pop(), m[2], `closing ${m[2]} at ${m.index}`);
    else stack.push(m[2]!);
  }
  assert.deepEqual(stack, []);
}

const NESTED = parseEntry('nested:did=5,ssptptr=0x2000,fsptptr=0x1000,sre,res3=0x10');

test('entry table: one row per field in bit order, the used ones marked as intel_pasid_get_used lists them', () => {
  const rows = pasidEntryRows(parseEntry('fl:did=5,fsptptr=0x1000,ssptptr=0x5000'));
  const use = Object.fromEntries(rows.map((r) => [`${r.field}@${r.bits}`, r.use]));
  assert.equal(use['P@0'], 'used');
  assert.equal(use['DID@79:64'], 'used');
  assert.equal(use['FSPTPTR@191:140'], 'used');
  assert.equal(use['SSPTPTR@63:12'], 'unused', 'set but FL does not use it');
  assert.equal(use['FPD@1'], '', 'zero and unused');
  const did = rows.find((r) => r.field === 'DID')!;
  assert.deepEqual(did, { field: 'DID', bits: '79:64', word: 'val[1] 15:0', value: '5', meaning: '', use: 'used', title: 'Domain ID' });
  const reserved = pasidEntryRows(NESTED).filter((r) => r.use === 'reserved');
  assert.deepEqual(reserved.map((r) => [r.bits, r.word, r.value]), [['196', 'val[3] 4', '0x10']]);
});

test('entry table text fits a 72-column mail for any entry', () => {
  fc.assert(fc.property(entryWords, (w) => {
    for (const line of pasidEntryTableText(w).split('\n')) assert.ok(line.length <= 72 && /^[\x20-\x7e]*$/.test(line), line);
  }), { numRuns: 200 });
});

test('entry table HTML: every field row, used rows highlighted, text escaped', () => {
  const html = pasidEntryTableHtml(parseEntry('fl:did=5,fsptptr=0x1000'));
  assertWellFormedXml(html);
  assert.equal((html.match(/<tr /g) ?? []).length, 24);
  assert.match(html, /<tr style="background:#ffe9a8" title="Domain ID"><td[^>]*>DID<\/td>/);
  assert.match(html, /<caption[^>]*>PASID-table entry: fl:did=5,fsptptr=0x1000<\/caption>/);
});

test('descriptor tables: fields with their kernel macro, text within 72 columns', () => {
  const words = encodeDescriptor(pasidSelectiveIotlb(5, 0x10));
  assert.deepEqual(descriptorRows(words).map((r) => [r.field, r.bits, r.value]), [
    ['Type', 'qw0 3:0 + 11:9', '6 (P_IOTLB)'], ['G', 'qw0 5:4', 'PASID-selective'], ['DID', 'qw0 31:16', '5'],
    ['PASID', 'qw0 51:32', '0x10'], ['AM', 'qw1 5:0', '0'], ['IH', 'qw1 6', '0'], ['ADDR', 'qw1 63:12', '0x0']]);
  assertWellFormedXml(descriptorTableHtml(words));
  fc.assert(fc.property(descriptor, (d) => {
    for (const line of descriptorTableText(encodeDescriptor(d)).split('\n')) assert.ok(line.length <= 72, line);
  }), { numRuns: 200 });
});

test('SVG: standalone, well-formed, one labelled box per field, used fields highlighted', () => {
  const svg = pasidEntrySvg(NESTED);
  assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" version="1.1" width="\d+" height="\d+" viewBox="0 0 \d+ \d+">/);
  assertWellFormedXml(svg);
  assert.ok(!/<script|<style|NaN|undefined/.test(svg));
  // DID is used by a nested entry, PAT is not; one reserved bit (196) is set.
  assert.match(svg, /<title>DID \(Domain ID\), bits 79:64, val\[1\]: 5, used for this PGTT<\/title><rect [^>]*fill="#ffd966"/);
  assert.match(svg, /<title>PAT \(Page Attribute Table\), bits 127:96, val\[1\]: 0x0, not used for this PGTT<\/title><rect [^>]*fill="#f4f4f4"/);
  assert.match(svg, /<title>Reserved, bit 196, val\[3\]: set<\/title><rect [^>]*fill="#f08080"/);
  assert.equal((svg.match(/<title>/g) ?? []).length, 24 + (svg.match(/<title>Reserved/g) ?? []).length);
});

test('SVG: the boxes of each 128-bit row tile it exactly (no gap, no overlap)', () => {
  fc.assert(fc.property(entryWords, (w) => {
    const svg = pasidEntrySvg(w);
    assertWellFormedXml(svg);
    const boxes = [...svg.matchAll(/<g><title>[^<]*<\/title><rect x="(\d+)" y="(\d+)" width="(\d+)"/g)].map((m) => [Number(m[1]), Number(m[2]), Number(m[3])]);
    const rows = new Map<number, number>();
    for (const [, y, width] of boxes) rows.set(y!, (rows.get(y!) ?? 0) + width!);
    assert.equal(rows.size, 4);
    for (const total of rows.values()) assert.equal(total, 128 * 8);
  }), { numRuns: 50 });
});

test('SVG and tables: same entry, same bytes', () => {
  assert.equal(pasidEntrySvg(NESTED), pasidEntrySvg([...NESTED]));
  assert.equal(pasidEntryTableText(NESTED), pasidEntryTableText([...NESTED]));
  assert.equal(pasidEntryTableHtml(NESTED), pasidEntryTableHtml([...NESTED]));
});
