/**
 * A bit-layout picture of a PASID-table entry: four rows, one per 128-bit quantum of the
 * entry_sync writer (docs/kernel.md#used-bits: quanta 0 = val[1]:val[0] holds P, so a row is what one
 * 16-byte store changes atomically), bit 127 of the row on the left. Every field is a box
 * at its VT-d 5.10 §9.6 position with its name and value; the fields hardware uses for the
 * entry's PGTT (intel_pasid_get_used) are highlighted, set-but-unused fields are grey with
 * a dark outline, reserved bits are hatched, and set reserved bits are red.
 *
 * Standalone SVG 1.1 (xmlns, no CSS, no scripts, integer coordinates): the same entry
 * gives the same bytes.
 */
import { hex } from '../formats/bits';
import {
  PASID_ENTRY_LAYOUT, PASID_ENTRY_QUANTA, PASID_ENTRY_RESERVED, decodePasidEntry, formatEntry,
  pasidEntryUsedFields,
} from '../formats/pasidEntry';

const BIT_W = 8;
const ROW_H = 60;
const ROW_GAP = 28;
const LEFT = 96;
const TOP = 62;
const ROW_BITS = PASID_ENTRY_QUANTA.quantumBits;
const WIDTH = LEFT + ROW_BITS * BIT_W + 16;

const COLOURS = {
  used: { fill: '#ffd966', stroke: '#7a5c00', text: '#000000' },
  unusedSet: { fill: '#e6e6e6', stroke: '#333333', text: '#222222' },
  unused: { fill: '#f4f4f4', stroke: '#9a9a9a', text: '#777777' },
  reserved: { fill: 'url(#rsvd)', stroke: '#bbbbbb', text: '#999999' },
  reservedSet: { fill: '#f08080', stroke: '#a00000', text: '#000000' },
} as const;
type Style = keyof typeof COLOURS;

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** x of the left edge of absolute bit `bit` within its row (MSB on the left). */
function bitX(bit: number): number {
  return LEFT + (ROW_BITS - 1 - (bit % ROW_BITS)) * BIT_W;
}

function rowY(row: number): number {
  return TOP + row * (ROW_H + ROW_GAP);
}

interface Box {
  lo: number; // absolute bit
  width: number;
  label: string;
  value: string;
  style: Style;
  title: string;
}

function box(b: Box): string {
  const row = Math.floor(b.lo / ROW_BITS);
  const x = bitX(b.lo + b.width - 1);
  const w = b.width * BIT_W;
  const y = rowY(row);
  const c = COLOURS[b.style];
  const out: string[] = [];
  out.push(`<g><title>${esc(b.title)}</title>`);
  out.push(`<rect x="${x}" y="${y}" width="${w}" height="${ROW_H}" fill="${c.fill}" stroke="${c.stroke}" stroke-width="1"/>`);
  const text = b.value === '' ? b.label : `${b.label}=${b.value}`;
  const cx = x + Math.floor(w / 2);
  if (b.label !== '' && w >= 6 * text.length + 6) {
    out.push(`<text x="${cx}" y="${y + 34}" font-family="monospace" font-size="10" text-anchor="middle" fill="${c.text}">${esc(text)}</text>`);
  } else if (b.label !== '' && w >= 6 * Math.max(b.label.length, b.value.length) + 6) {
    out.push(`<text x="${cx}" y="${y + 26}" font-family="monospace" font-size="10" text-anchor="middle" fill="${c.text}">${esc(b.label)}</text>`);
    out.push(`<text x="${cx}" y="${y + 40}" font-family="monospace" font-size="10" text-anchor="middle" fill="${c.text}">${esc(b.value)}</text>`);
  } else if (b.label !== '') {
    // Too narrow for horizontal text: write it along the box, bottom to top.
    const cy = y + Math.floor(ROW_H / 2);
    const small = text.length > 9 ? b.label : text;
    out.push(`<text x="${cx + 3}" y="${cy}" font-family="monospace" font-size="8" text-anchor="middle" fill="${c.text}" transform="rotate(-90 ${cx + 3} ${cy})">${esc(small)}</text>`);
  }
  out.push('</g>');
  return out.join('');
}

/** Runs of set bits in `mask` (within one 64-bit word) as [lo, width] pairs. */
function runs(mask: bigint): [number, number][] {
  const out: [number, number][] = [];
  let bit = 0;
  while (bit < 64) {
    if (((mask >> BigInt(bit)) & 1n) === 0n) { bit++; continue; }
    const start = bit;
    while (bit < 64 && ((mask >> BigInt(bit)) & 1n) === 1n) bit++;
    out.push([start, bit - start]);
  }
  return out;
}

/** The picture of the entry in `words` (8 × u64) as a standalone SVG document. */
export function pasidEntrySvg(words: readonly bigint[]): string {
  const e = decodePasidEntry(words) as unknown as Record<string, unknown>;
  const used = new Set<string>(pasidEntryUsedFields(words));
  const boxes: Box[] = [];
  for (const l of PASID_ENTRY_LAYOUT) {
    const v = l.key === 'pgtt' ? e['pgttCode'] : e[l.key];
    const value = typeof v === 'boolean' ? (v ? '1' : '0') : typeof v === 'bigint' ? hex(v) : l.key === 'pat' ? hex(v as number) : String(v);
    const set = value !== '0' && value !== '0x0';
    const style: Style = used.has(l.key) ? 'used' : set ? 'unusedSet' : 'unused';
    const hi = l.word * 64 + l.lo + l.width - 1;
    const lo = l.word * 64 + l.lo;
    const bits = l.width === 1 ? `bit ${lo}` : `bits ${hi}:${lo}`;
    const state = used.has(l.key) ? 'used for this PGTT' : 'not used for this PGTT';
    boxes.push({ lo, width: l.width, label: l.label, value, style, title: `${l.label} (${l.title}), ${bits}, val[${l.word}]: ${value}, ${state}` });
  }
  const reserved = e['reserved'] as bigint[];
  PASID_ENTRY_RESERVED.forEach((mask, i) => {
    // Reserved bits as stored: set ones drawn red, clear ones hatched (disjoint runs).
    for (const [setBits, isSet] of [[reserved[i]!, true], [mask & ~reserved[i]!, false]] as const) {
      for (const [lo, n] of runs(setBits)) {
        const abs = i * 64 + lo;
        const bits = n === 1 ? `bit ${abs}` : `bits ${abs + n - 1}:${abs}`;
        boxes.push({ lo: abs, width: n, label: isSet ? 'R=1' : n >= 4 ? 'Rsvd' : '', value: '',
          style: isSet ? 'reservedSet' : 'reserved', title: `Reserved, ${bits}, val[${i}]${isSet ? ': set' : ''}` });
      }
    }
  });
  boxes.sort((a, b) => a.lo - b.lo);

  const height = rowY(PASID_ENTRY_QUANTA.numQuanta) + 30;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}">`);
  out.push('<defs><pattern id="rsvd" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">' +
    '<rect width="6" height="6" fill="#ffffff"/><line x1="0" y1="0" x2="0" y2="6" stroke="#d0d0d0" stroke-width="2"/></pattern></defs>');
  out.push(`<rect x="0" y="0" width="${WIDTH}" height="${height}" fill="#ffffff"/>`);
  const pgtt = e['pgtt'] === null ? `code ${String(e['pgttCode'])}` : String(e['pgtt']).toUpperCase();
  // Monospace 13px is about 8px a character: cut a long compact form rather than overflow.
  const title = `PASID-table entry ${formatEntry(words)}`;
  const room = Math.floor((WIDTH - 16) / 8);
  out.push(`<text x="8" y="18" font-family="monospace" font-size="13" font-weight="bold">${esc(
    title.length > room ? `${title.slice(0, room - 3)}...` : title)}</text>`);
  out.push(`<text x="8" y="34" font-family="monospace" font-size="10" fill="#444444">${esc(
    `P=${e['present'] ? 1 : 0} PGTT=${pgtt}. One row per 128-bit quantum (one atomic 16-byte store); highlighted = used (intel_pasid_get_used).`)}</text>`);
  for (let row = 0; row < PASID_ENTRY_QUANTA.numQuanta; row++) {
    const y = rowY(row);
    const hiWord = row * 2 + 1;
    const loWord = row * 2;
    out.push(`<text x="8" y="${y + 26}" font-family="monospace" font-size="11" font-weight="bold">quantum ${row}</text>`);
    out.push(`<text x="8" y="${y + 42}" font-family="monospace" font-size="10" fill="#444444">val[${hiWord}]:val[${loWord}]</text>`);
    // Bit numbers at the row's ends and at the word boundary (absolute, as in VT-d 9.6).
    const base = row * ROW_BITS;
    const labels: [number, string, string][] = [
      [bitX(base + 127), `${base + 127}`, 'start'], [bitX(base + 63) - 3, `${base + 64}`, 'end'],
      [bitX(base + 63) + 3, `${base + 63}`, 'start'], [bitX(base) + BIT_W, `${base}`, 'end'],
    ];
    for (const [x, t, anchor] of labels) {
      out.push(`<text x="${x}" y="${y - 4}" font-family="monospace" font-size="9" fill="#666666" text-anchor="${anchor}">${t}</text>`);
    }
  }
  for (const b of boxes) out.push(box(b));
  for (let row = 0; row < PASID_ENTRY_QUANTA.numQuanta; row++) {
    const y = rowY(row);
    const mid = bitX(row * ROW_BITS + 63);
    // The 64-bit word boundary inside the quantum.
    out.push(`<line x1="${mid}" y1="${y - 2}" x2="${mid}" y2="${y + ROW_H + 2}" stroke="#000000" stroke-width="2"/>`);
  }
  const ly = rowY(PASID_ENTRY_QUANTA.numQuanta) + 2;
  const legend: [Style, string][] = [['used', 'used for this PGTT'], ['unusedSet', 'set, not used'], ['unused', 'zero, not used'],
    ['reserved', 'reserved'], ['reservedSet', 'reserved bit set']];
  let lx = LEFT;
  for (const [style, text] of legend) {
    const c = COLOURS[style];
    out.push(`<rect x="${lx}" y="${ly}" width="14" height="12" fill="${c.fill}" stroke="${c.stroke}" stroke-width="1"/>`);
    out.push(`<text x="${lx + 18}" y="${ly + 10}" font-family="monospace" font-size="10">${esc(text)}</text>`);
    lx += 24 + 6 * text.length + 16;
  }
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
