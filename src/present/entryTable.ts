/**
 * Field tables of a PASID-table entry and of an invalidation descriptor, as plain text
 * (ASCII, at most 72 columns: it goes into mail) and as HTML (notebook `display.html`).
 * Rows come from the layouts in src/formats, so a table can never disagree with the decoder.
 */
import { describeBits, hex, hex64 } from '../formats/bits';
import {
  DESCRIPTOR_LAYOUT, DESCRIPTOR_MNEMONIC, DESCRIPTOR_TYPE_CODE, Descriptor, DescriptorFieldLayout,
  decodeDescriptor, describeDescriptor, granularityTitle,
} from '../formats/descriptors';
import {
  PASID_ENTRY_LAYOUT, PASID_ENTRY_RESERVED, decodePasidEntry, formatEntry, pasidEntryUsedFields,
  pasidFieldMeaning,
} from '../formats/pasidEntry';

/** One row of an entry table. */
export interface EntryTableRow {
  /** Spec name (P, DID, ...) or `Rsvd`. */
  field: string;
  /** Absolute bit range within the 512-bit entry, e.g. `79:64`. */
  bits: string;
  /** The same range within its word, e.g. `val[1] 15:0`. */
  word: string;
  /** The value as written in the compact syntax (flags 0/1, DID decimal, pointers hex). */
  value: string;
  /** A short reading of the value (`48-bit, 4-level`), or ''. */
  meaning: string;
  /** `used` (hardware reads it for this entry, per intel_pasid_get_used), `unused` (set but
   *  ignored), `reserved` (a reserved bit is set), or ''. */
  use: 'used' | 'unused' | 'reserved' | '';
  title: string;
}

/** The width of a plain-text mail line: 72 columns, as kernel mail is read (plainText.ts). */
const MAIL_WIDTH = 72;

/** `text` broken after `sep` into lines of at most `width` columns (continuations indented by 4). */
function wrapAt(text: string, sep: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const piece of text.split(sep).map((p, i, all) => (i < all.length - 1 ? p + sep : p))) {
    if (line.trim() !== '' && line.length + piece.trimEnd().length > width) {
      lines.push(line.trimEnd());
      line = `    ${piece}`;
    } else {
      line += piece;
    }
  }
  lines.push(line.trimEnd());
  return lines;
}

function range(lo: number, width: number): string {
  return width === 1 ? `${lo}` : `${lo + width - 1}:${lo}`;
}

/** Every field of the entry (reserved bits only where set), in bit order. */
export function pasidEntryRows(words: readonly bigint[]): EntryTableRow[] {
  const e = decodePasidEntry(words) as unknown as Record<string, unknown>;
  const used = new Set<string>(pasidEntryUsedFields(words));
  const rows: EntryTableRow[] = [];
  for (const l of PASID_ENTRY_LAYOUT) {
    const v = l.key === 'pgtt' ? e['pgttCode'] : e[l.key];
    let value: string;
    if (typeof v === 'boolean') value = v ? '1' : '0';
    else if (typeof v === 'bigint') value = hex(v);
    else value = l.key === 'pat' ? hex(v as number) : String(v);
    const nonzero = value !== '0' && value !== '0x0';
    rows.push({
      field: l.label,
      bits: range(l.word * 64 + l.lo, l.width),
      word: `val[${l.word}] ${range(l.lo, l.width)}`,
      value,
      meaning: typeof v === 'number' ? pasidFieldMeaning(l.key, v) : '',
      use: used.has(l.key) ? 'used' : nonzero ? 'unused' : '',
      title: l.title,
    });
  }
  const reserved = e['reserved'] as bigint[];
  reserved.forEach((r, i) => {
    if (r === 0n) return;
    rows.push({
      field: 'Rsvd', bits: describeBits(r, i * 64).replace(/^bits? /, ''),
      word: `val[${i}] ${describeBits(r, 0).replace(/^bits? /, '')}`, value: hex(r), meaning: '',
      use: 'reserved', title: 'Reserved bits that are set',
    });
  });
  return rows;
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

function fit(s: string, n: number): string {
  return s.length <= n ? pad(s, n) : `${s.slice(0, n - 3)}...`;
}

function textTable(header: string[], rows: string[][], widths: number[]): string {
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : fit(c, widths[i]!))).join(' ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

/**
 * The entry as lines of plain text, at most 72 columns:
 * compact form, the 8 words, then Field / Bits / Word / Value / Use.
 */
export function pasidEntryTableText(words: readonly bigint[]): string {
  const rows = pasidEntryRows(words);
  const out = wrapAt(`PASID-table entry: ${formatEntry(words)}`, ',', MAIL_WIDTH);
  for (let i = 0; i < 8; i += 2) out.push(`  val[${i}] ${hex64(words[i]!)}  val[${i + 1}] ${hex64(words[i + 1]!)}`);
  out.push('');
  const cells = rows.map((r) => {
    const value = r.meaning ? `${r.value} (${r.meaning})` : r.value;
    return [r.field, r.bits, r.word, value.length > 26 ? `${value.slice(0, 23)}...` : value, r.use];
  });
  out.push(textTable(['Field', 'Bits', 'Word', 'Value', 'Use'], cells, [8, 8, 13, 26, 8]));
  return out.join('\n');
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const USE_STYLE: { readonly [k: string]: string } = {
  used: 'background:#ffe9a8', unused: 'color:#777', reserved: 'background:#f6c0c0', '': 'color:#777',
};

function htmlTable(caption: string, header: string[], rows: { cells: string[]; style: string; title: string }[]): string {
  const th = header.map((h) => `<th style="text-align:left;padding:2px 8px">${esc(h)}</th>`).join('');
  const body = rows.map((r) =>
    `<tr style="${r.style}" title="${esc(r.title)}">${r.cells.map((c) => `<td style="text-align:left;padding:1px 8px;word-break:normal;overflow-wrap:normal">${esc(c)}</td>`).join('')}</tr>`).join('\n');
  return `<table style="border-collapse:collapse;font-family:monospace;font-size:12px">\n` +
    `<caption style="text-align:left;font-weight:bold;padding:2px 8px">${esc(caption)}</caption>\n` +
    `<thead><tr>${th}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
}

/** The entry as an HTML table; rows the entry's PGTT uses are highlighted. */
export function pasidEntryTableHtml(words: readonly bigint[]): string {
  const rows = pasidEntryRows(words).map((r) => ({
    cells: [r.field, r.bits, r.word, r.value, r.meaning, r.use], style: USE_STYLE[r.use]!, title: r.title,
  }));
  return htmlTable(`PASID-table entry: ${formatEntry(words)}`, ['Field', 'Bits', 'Word', 'Value', 'Meaning', 'Use'], rows);
}

// ---------------------------------------------------------------------------------------
// Descriptors

/** One row of a descriptor table. */
export interface DescriptorTableRow {
  field: string;
  /** Where it sits, e.g. `qw0 31:16` or `qw0 15:12 + 63:52`. */
  bits: string;
  value: string;
  source: string;
}

function valueText(d: Descriptor, field: DescriptorFieldLayout): string {
  if (field.kind === 'type') return `${DESCRIPTOR_TYPE_CODE[d.type]} (${DESCRIPTOR_MNEMONIC[d.type]})`;
  const v = (d as unknown as Record<string, unknown>)[field.key];
  if (field.kind === 'granularity') return granularityTitle(String(v));
  if (typeof v === 'boolean') return v ? '1' : '0';
  if (typeof v === 'bigint') return hex(v);
  if (field.key === 'sid' || field.key === 'pfsid') return `0x${(v as number).toString(16).padStart(4, '0')}`;
  if (field.key === 'pasid' || field.key === 'statusData') return hex(v as number);
  return String(v);
}

/** Every field of the descriptor in `words` (2 or 4 u64), in bit order. Throws SpecError like decodeDescriptor. */
export function descriptorRows(words: readonly bigint[]): DescriptorTableRow[] {
  const d = decodeDescriptor(words);
  return DESCRIPTOR_LAYOUT[d.type].map((field) => ({
    field: field.label,
    bits: field.parts.map((p) => `qw${p.qw} ${range(p.lo, p.width)}`).join(' + ').replace(/ \+ qw0 /, ' + '),
    value: valueText(d, field),
    source: field.source,
  }));
}

/** The descriptor as plain text (72 columns): its one-line rendering, then Field / Bits / Value. */
export function descriptorTableText(words: readonly bigint[]): string {
  const d = decodeDescriptor(words);
  const rows = descriptorRows(words);
  const out = wrapAt(describeDescriptor(d), ' ', MAIL_WIDTH);
  for (let i = 0; i < words.length; i += 2) out.push(`  qw${i} ${hex64(words[i]!)}  qw${i + 1} ${hex64(words[i + 1]!)}`);
  out.push('');
  out.push(textTable(['Field', 'Bits', 'Value'], rows.map((r) => [r.field, r.bits, r.value]), [14, 20]));
  return out.join('\n');
}

/** The descriptor as an HTML table with the kernel macro each position comes from. */
export function descriptorTableHtml(words: readonly bigint[]): string {
  const d = decodeDescriptor(words);
  const rows = descriptorRows(words).map((r) => ({ cells: [r.field, r.bits, r.value, r.source], style: '', title: r.source }));
  return htmlTable(describeDescriptor(d), ['Field', 'Bits', 'Value', 'Source'], rows);
}
