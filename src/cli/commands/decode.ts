/**
 * `flushlab decode <hex ...>`: decodes what people paste into mail. Eight qwords are a
 * PASID-table entry (val[0] first), two or four a queued-invalidation descriptor (qw0
 * first). Prints the fields as a 72-column table, `--json` as one JSON document,
 * `--svg` (entry only) the bit-layout picture. `-` reads the words from standard input.
 * Malformed input is one line on stderr and exit code 2.
 */
import { readStdinCapped } from '../stdin';
import type { Command } from 'commander';
import { EXIT, UsageError } from '../io';
import type { Io } from '../io';
import { SpecError } from '../../formats/errors';
import { parseHexWords } from '../../formats/hex';
import { descriptorJson, pasidEntryJson } from '../../formats/json';
import { validateDescriptor, decodeDescriptor } from '../../formats/descriptors';
import { validatePasidEntry } from '../../formats/pasidEntry';
import { descriptorTableText, pasidEntryTableText } from '../../present/entryTable';
import { pasidEntrySvg } from '../../present/entrySvg';

interface DecodeOptions {
  json?: boolean;
  svg?: boolean;
}

/** The text, table or JSON for `hex` (the arguments joined); throws SpecError/UsageError. */
export function decodeText(hex: string, options: DecodeOptions = {}): string {
  const words = parseHexWords(hex);
  if (words.length === 8) {
    if (options.svg) return pasidEntrySvg(words).trimEnd();
    if (options.json) return JSON.stringify(pasidEntryJson(words), null, 2);
    const problems = validatePasidEntry(words);
    const tail = problems.length === 0 ? ['', 'Valid (VT-d 5.10 9.6).'] : ['', 'Problems:', ...problems.map((p) => `  - ${p}`)];
    return [pasidEntryTableText(words), ...tail].join('\n');
  }
  if (words.length === 2 || words.length === 4) {
    if (options.svg) throw new UsageError('--svg draws PASID-table entries (8 qwords) only');
    if (options.json) return JSON.stringify(descriptorJson(words), null, 2);
    const problems = validateDescriptor(decodeDescriptor(words));
    const tail = problems.length === 0 ? [] : ['', 'Problems:', ...problems.map((p) => `  - ${p}`)];
    return [descriptorTableText(words), ...tail].join('\n');
  }
  throw new UsageError(`expected 8 qwords (a PASID-table entry) or 2 or 4 (a descriptor), got ${words.length}`);
}

export const registerDecode = (program: Command, io: Io, setExit: (code: number) => void): void => {
  program
    .command('decode')
    .description('decode a PASID-table entry (8 qwords) or an invalidation descriptor (2 or 4 qwords) from hex')
    .argument('<hex...>', "the words, val[0]/qw0 first, with or without 0x, commas or spaces ('-' reads stdin)")
    .option('--json', 'print JSON: {"kind":"pasid-entry","fields":{...}} or {"kind":"descriptor","type":...}')
    .option('--svg', 'print the bit-layout picture of a PASID-table entry (SVG)')
    .addHelpText('after', `
Examples:
  flushlab decode 0x0000000000001089 0x5 0 0 0 0 0 0   # a PASID-table entry
  flushlab decode --json 0x0000001000050026 0          # a descriptor
  echo 0x1089,0x5,0,0,0,0,0,0 | flushlab decode -`)
    .action(async (hex: string[], options: DecodeOptions) => {
      // Standard input under the scenario-file cap (stdin.ts).
      const text = hex.length === 1 && hex[0] === '-' ? await readStdinCapped() : hex.join(' ');
      try {
        io.out(`${decodeText(text, options)}\n`);
      } catch (err) {
        if (err instanceof SpecError) throw new UsageError(err.message);
        throw err;
      }
      setExit(EXIT.ok);
    });
};
