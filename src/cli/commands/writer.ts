/**
 * `flushlab writer`: runs the entry_sync hitless writer on one transition and prints its
 * steps — which quanta are stored, where sync() is called, and what the KUnit oracle says
 * at each sync — for a VT-d PASID entry or an SMMUv3 STE/CD.
 */
import type { Command } from 'commander';
import { EXIT, UsageError } from '../io';
import type { Io } from '../io';
import { checkEntry, planEntryWrite, storeStates } from '../../writer/writer';
import type { EntryFormat, WriterRun, WriterStep, WriterVariant } from '../../writer/writer';
import { WRITER_FORMATS as FORMATS, smmuv3CdFormat, vtdPasidFormat } from '../../writer/formats';
import { SMMUV3_NAMED_CDS, SMMUV3_NAMED_STES } from '../../writer/kunit';
import { formatEntry, parseEntry, validatePasidEntry } from '../../formats/pasidEntry';
import { parseHexWords } from '../../formats/hex';
import { hex64 } from '../../formats/bits';
import { own } from '../../own';

const VARIANTS: readonly WriterVariant[] = ['upstream', 'critical-first', 'jason-ranges'];

/** A name (optionally followed by ':'), as opposed to a list of hex words. */
const NAMED = /^\s*[a-z][a-z0-9-]*\s*(?::|$)/i;

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function parseHexEntry(text: string, what: string): bigint[] {
  let words: bigint[];
  try {
    words = parseHexWords(text);
  } catch (err) {
    throw new UsageError(`${what}: ${message(err)}`);
  }
  if (words.length !== 8) throw new UsageError(`${what}: expected 8 hex qwords (val[0] first), got ${words.length}`);
  return words;
}

function parseNamedSmmu(text: string, what: string, cd: boolean): bigint[] {
  const [rawName, rawAsid, ...extra] = text.trim().split(':');
  const name = rawName!.trim().toLowerCase();
  if (cd) {
    const named = own(SMMUV3_NAMED_CDS, name);
    if (!named || extra.length > 0) {
      throw new UsageError(`${what}: unknown CD '${text.trim().slice(0, 32)}' (expected ${Object.keys(SMMUV3_NAMED_CDS).join(', ')}, `
        + 'name:asid, or 8 hex qwords)');
    }
    let asid = 1997n;
    if (rawAsid !== undefined) {
      const a = rawAsid.trim();
      if (!/^(?:0x[0-9a-f]+|[0-9]+)$/i.test(a) || BigInt(a) > 0xffffn) {
        throw new UsageError(`${what}: ASID '${a.slice(0, 24)}' must be 0..65535 (decimal or 0x-hex)`);
      }
      asid = BigInt(a);
    }
    return named.make(asid);
  }
  const named = own(SMMUV3_NAMED_STES, name);
  if (!named || rawAsid !== undefined) {
    throw new UsageError(`${what}: unknown STE '${text.trim().slice(0, 32)}' (expected ${Object.keys(SMMUV3_NAMED_STES).join(', ')}, `
      + 'or 8 hex qwords)');
  }
  return named.make();
}

/** One entry operand: compact syntax / named configuration, or 8 hex qwords. */
export function parseWriterEntry(format: EntryFormat, text: string, what: string): bigint[] {
  if (!NAMED.test(text)) return parseHexEntry(text, what);
  if (format === vtdPasidFormat) {
    try {
      return parseEntry(text);
    } catch (err) {
      throw new UsageError(`${what}: ${message(err)}`);
    }
  }
  return parseNamedSmmu(text, what, format === smmuv3CdFormat);
}

function verdict(step: WriterStep, format: EntryFormat, from: readonly bigint[], to: readonly bigint[]): string {
  if (step.vCleared) return 'V cleared (hardware ignores the entry)';
  const c = checkEntry(format, step.entry, from, to);
  if (c.matchesOld && c.matchesNew) return 'hitless (old = new under its used bits)';
  if (c.matchesNew) return 'hitless (new entry)';
  if (c.matchesOld) return 'hitless (old entry)';
  return 'TORN: neither old nor new under its used bits';
}

function describeEntry(format: EntryFormat, words: readonly bigint[]): string {
  return format === vtdPasidFormat ? formatEntry(words) : words.map(hex64).join(' ');
}

/** The non-zero words of an entry, two per line (72 columns): `[1] 0x00000000180000d6`. */
function wordLines(label: string, words: readonly bigint[]): string[] {
  const items = words.flatMap((w, i) => (w === 0n ? [] : [`[${i}] ${hex64(w)}`]));
  if (items.length === 0) return [`${label}all words zero`];
  const out: string[] = [];
  for (let i = 0; i < items.length; i += 2) out.push(`${i === 0 ? label : ' '.repeat(label.length)}${items.slice(i, i + 2).join('  ')}`);
  return out;
}

/** Rules of VT-d 5.10 §9.6 the operands break (the writer runs anyway). */
function entryProblems(format: EntryFormat, from: readonly bigint[], to: readonly bigint[]): string[] {
  if (format !== vtdPasidFormat) return [];
  return [...validatePasidEntry(from).map((p) => `--from: ${p}`), ...validatePasidEntry(to).map((p) => `--to: ${p}`)];
}

/** The run as plain text: one line per store and per sync, short enough for a mail. */
export function formatWriterRun(format: EntryFormat, from: readonly bigint[], to: readonly bigint[], run: WriterRun): string {
  const lines: string[] = [];
  lines.push(`${format.name} writer: ${format.numQuanta} x ${format.quantumBits}-bit quanta, V in quantum ${format.vbitQuantum}`);
  if (format === vtdPasidFormat) {
    lines.push(`from: ${formatEntry(from)}`, `to:   ${formatEntry(to)}`);
  } else {
    lines.push(...wordLines('from: ', from), ...wordLines('to:   ', to));
  }
  const crit = run.critical.length === 0 ? 'none' : run.critical.join(', ');
  const path = run.path === 'breaking' ? 'V-cleared path' : run.path === 'hitless' ? 'hitless path' : 'no used bit changes';
  lines.push(`critical quanta: ${crit} -> ${path}`, '');
  let sync = 0;
  run.steps.forEach((step, i) => {
    const head = `step ${i + 1}  ${step.kind.padEnd(8)}`;
    if (step.stores.length === 0) lines.push(`${head}  (nothing to store, no sync)`);
    step.stores.forEach((st, k) => {
      const words = st.words.map(hex64).join(' ');
      lines.push(`${k === 0 ? head : ' '.repeat(head.length)}  q${st.quantum} <- ${words}`);
    });
    if (step.synced) {
      sync++;
      lines.push(`        ${`sync ${sync}`.padEnd(10)}${verdict(step, format, from, to)}`);
      if (format === vtdPasidFormat) lines.push(`                  entry ${describeEntry(format, step.entry)}`);
    }
  });
  const torn = storeStates(format, from, to, run).filter((s) => !s.check.hitless);
  lines.push('');
  const vSyncs = run.steps.filter((s) => s.synced && s.vCleared).length;
  const result = run.hitless ? 'hitless' : vSyncs > 0 ? `not hitless (V cleared at ${vSyncs} sync${vSyncs === 1 ? '' : 's'})` : 'not hitless (torn sync)';
  lines.push(`result: ${result}, ${run.syncs} sync${run.syncs === 1 ? '' : 's'}`);
  lines.push(torn.length === 0
    ? 'between stores: every intermediate entry is old, new or V-cleared'
    : `between stores: TORN after storing q${torn[0]!.store.quantum} in step ${torn[0]!.step + 1}`
      + (torn.length > 1 ? ` (and ${torn.length - 1} more)` : ''));
  for (const w of run.warnings) lines.push(`warning: ${w}`);
  for (const w of entryProblems(format, from, to)) lines.push(`warning: ${w}`);
  return `${lines.join('\n')}\n`;
}

/** The run as JSON: bigints as 0x-hex strings of 16 digits. */
export function writerRunJson(format: EntryFormat, from: readonly bigint[], to: readonly bigint[], run: WriterRun): unknown {
  const words = (ws: readonly bigint[]): string[] => ws.map(hex64);
  const torn = storeStates(format, from, to, run).filter((s) => !s.check.hitless);
  return {
    format: run.format,
    from: words(from),
    to: words(to),
    hitless: run.hitless,
    syncs: run.syncs,
    path: run.path,
    critical: run.critical,
    storesHitless: torn.length === 0,
    steps: run.steps.map((s) => ({
      kind: s.kind,
      stores: s.stores.map((st) => ({ quantum: st.quantum, words: words(st.words) })),
      entry: words(s.entry),
      synced: s.synced,
      hitless: s.hitless,
      vCleared: s.vCleared,
    })),
    final: words(run.final),
    warnings: [...run.warnings, ...entryProblems(format, from, to)],
  };
}

const HELP = `
Entries:
  vtd         compact syntax, e.g. off, fl:did=5,fsptptr=0x1000,
              sl:did=5,ssptptr=0x2000, pt, nested:did=5,ssptptr=0x2000,fsptptr=0x1000
              (fields: p did ssptptr fsptptr aw fspm fpd pwsnp pgsnp ssade sre wpe eafe)
  smmuv3-ste  a configuration of the kernel's KUnit test: ${Object.keys(SMMUV3_NAMED_STES).join(', ')}
  smmuv3-cd   clear, s1[:asid], sva[:asid], sva-release[:asid] (default ASID 1997)
  any format  8 hex qwords, val[0] first, separated by commas or spaces
Variants (negative controls): critical-first writes the critical quantum before the
unused bits; jason-ranges uses the breaking-path ranges of Jason's entry_sync copy.

Examples:
  flushlab writer --from fl:did=5,fsptptr=0x1000 --to fl:did=6,fsptptr=0x4000
  flushlab writer --format smmuv3-ste --from cdtable --to s2 --json`;

export function registerWriter(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('writer')
    .description('run the entry_sync hitless writer on one entry transition: stores, syncs, hitless or not')
    .requiredOption('--from <entry>', 'the entry as it is now')
    .requiredOption('--to <entry>', 'the entry to write')
    .option('--format <format>', 'vtd | smmuv3-ste | smmuv3-cd', 'vtd')
    .option('--variant <variant>', 'upstream | critical-first | jason-ranges', 'upstream')
    .option('--json', 'print the run as JSON (bigints as 0x-hex strings)')
    .addHelpText('after', HELP)
    .action((opts: { from: string; to: string; format: string; variant: string; json?: boolean }) => {
      const format = own(FORMATS, opts.format);
      if (!format) throw new UsageError(`unknown --format '${opts.format.slice(0, 24)}' (expected ${Object.keys(FORMATS).join(', ')})`);
      const variant = opts.variant as WriterVariant;
      if (!VARIANTS.includes(variant)) {
        throw new UsageError(`unknown --variant '${opts.variant.slice(0, 24)}' (expected ${VARIANTS.join(', ')})`);
      }
      const from = parseWriterEntry(format, opts.from, '--from');
      const to = parseWriterEntry(format, opts.to, '--to');
      const run = planEntryWrite(format, from, to, { variant });
      io.out(opts.json ? `${JSON.stringify(writerRunJson(format, from, to, run), null, 2)}\n` : formatWriterRun(format, from, to, run));
      setExit(EXIT.ok);
    });
}
