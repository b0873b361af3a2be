/**
 * Scenario files: a scenario and its expected answer in a few lines of YAML that can be
 * pasted into a mail and run by the reader (`flushlab run file.yaml`), the way litmus
 * tests carry a `Result:` line that a script checks. A file may hold several scenarios
 * as YAML documents separated by `---`.
 *
 *     name: jason-sl-sl-new-did-spec
 *     from: sl:did=5,ssptptr=0x1000
 *     to: sl:did=6,ssptptr=0x2000
 *     strategy: jason
 *     assume: spec
 *     result: unsafe stale-after-return
 *     why: the IOTLB lookup ignores DID, so ...
 *
 * Text that went through a mail client still parses: CRLF line ends, a byte-order mark,
 * and "> " quoting (any depth, as long as every line carries the same) are undone; what
 * cannot be undone is reported with its line number and what to do about it.
 */
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { basename } from 'node:path';
import { LineCounter, Scalar, isAlias, isMap, isScalar, isSeq, parseAllDocuments, stringify, type Document, type Node } from 'yaml';
import { formatEntry, parseEntry } from '../formats/pasidEntry';
import { own } from '../own';
import { DEFAULT_DMAS, DEFAULT_REQUESTS, SCENARIO_PASID } from '../model/build';
import type { CheckResult, ScenarioInput, StrategyValue } from '../check/result';
import type { Verdict } from '../engine/types';
import { PROPERTY_NAMES } from '../model/properties';
import { mailBlocks } from './mail';
import { isStrategyLine, parseStrategyLine } from '../model/strategyLine';


/** Keys a scenario file may use, in the order a file is written. */
export const SCENARIO_KEYS = ['name', 'arch', 'from', 'to', 'strategy', 'assume', 'requests', 'dmas', 'pasid', 'leftover', 'cold', 'result', 'why'] as const;
type Key = (typeof SCENARIO_KEYS)[number];
const REQUIRED: readonly Key[] = ['from', 'to', 'strategy', 'result'];
// `comment` is accepted as another spelling of `why`.
const ALIASES: Record<string, Key> = { comment: 'why' };

/** What a scenario is expected to answer: `safe`, `unsafe [property...]`, `inconclusive`. */
export interface Expectation {
  verdict: Verdict;
  /** For `unsafe`: properties that must be among those violated (empty: any). */
  properties: string[];
}

export interface Scenario {
  /** Always set: from the file, or the file name. */
  input: ScenarioInput & { name: string };
  expect: Expectation;
  /** The one-line reason given for the expectation. */
  why?: string;
  /** File and 1-based line of the scenario, for messages. */
  file: string;
  line: number;
}

/** Bad scenario text; `message` is already `file:line: problem`. */
export class ScenarioFileError extends Error {
  override name = 'ScenarioFileError';
  constructor(readonly file: string, readonly line: number, readonly problem: string) {
    super(`${file}:${line}: ${problem}`);
  }
}

/**
 * Checks of values that only the model can judge (an entry's syntax, an assumption
 * name, a strategy name); each throws an Error whose message says what is wrong, and
 * the parser reports it at the line of the key.
 */
export interface ScenarioValidators {
  /**
   * The validators for a scenario with `arch:` (e.g. smmuv3); throws for an unknown arch.
   * Absent: the `arch:` value is taken as it is and these validators apply.
   */
  forArch?(arch: string): ScenarioValidators;
  entry?(text: string): void;
  assume?(text: string): void;
  /**
   * A strategy name, or a strategy written out as a mapping. An error may carry `path`
   * (keys and indexes into the mapping) to be reported at that line.
   */
  strategy?(value: string | Record<string, unknown>): void;
  /** `requests` or `dmas`: the model's range. */
  count?(key: 'requests' | 'dmas', value: number): void;
}

/** The largest scenario file read (a scenario is a few hundred bytes). */
export const MAX_FILE_BYTES = 1 << 20;
/** The deepest nesting of mappings and lists (a written-out strategy needs 5). */
export const MAX_DEPTH = 32;

export function parseExpectation(text: string): Expectation {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const [verdict, ...properties] = words;
  if (verdict === 'safe' || verdict === 'inconclusive') {
    if (properties.length) throw new Error(`'${verdict}' takes no property (got '${text.trim()}')`);
    return { verdict, properties: [] };
  }
  if (verdict === 'unsafe') {
    for (const p of properties) {
      if (!(PROPERTY_NAMES as readonly string[]).includes(p)) {
        throw new Error(`unknown property '${p}' (properties: ${PROPERTY_NAMES.join(', ')})`);
      }
    }
    return { verdict, properties: [...new Set(properties)] };
  }
  throw new Error(`result must be 'safe', 'unsafe', 'unsafe <property>' or 'inconclusive' (got '${text.trim()}')`);
}

export function formatExpectation(e: Expectation): string {
  return [e.verdict, ...e.properties].join(' ');
}

/** What a check answered, in the words of an expectation: `unsafe stale-after-return`. */
export function outcomeOf(result: Pick<CheckResult, 'verdict' | 'violations'>): string {
  if (result.verdict !== 'unsafe') return result.verdict;
  return ['unsafe', ...new Set(result.violations.map((v) => v.property))].join(' ');
}

export function matchesExpectation(result: Pick<CheckResult, 'verdict' | 'violations'>, e: Expectation): boolean {
  if (result.verdict !== e.verdict) return false;
  const violated = new Set(result.violations.map((v) => v.property));
  return e.properties.every((p) => violated.has(p));
}

// ---------------------------------------------------------------------------------------
// Undoing what mail did to the text.

/** Quote depth of a line: each level is '>' and at most one space after it. */
function quoteDepth(line: string): { depth: number; rest: string } {
  let depth = 0;
  let i = 0;
  while (line[i] === '>') {
    depth++;
    i++;
    if (line[i] === ' ') i++;
  }
  return { depth, rest: line.slice(i) };
}

/**
 * Normalises line ends and removes mail quoting. Every line with content must carry
 * the same quoting: a file with some lines quoted and some not is refused, since
 * guessing would silently change the indentation YAML depends on.
 */
export function unquoteMail(text: string, file = '<input>'): string {
  const lines = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n').split('\n');
  const depths = lines.map(quoteDepth);
  let first: { line: number; depth: number } | undefined;
  for (let i = 0; i < lines.length; i++) {
    const d = depths[i];
    if (d.rest.trim() === '') continue; // blank, or quote marks only
    if (!first) { first = { line: i + 1, depth: d.depth }; continue; }
    if (d.depth !== first.depth) {
      const what = (k: number) => (k === 0 ? 'not mail-quoted' : `quoted ${'>'.repeat(k)} (depth ${k})`);
      throw new ScenarioFileError(file, i + 1,
        `line is ${what(d.depth)} but line ${first.line} is ${what(first.depth)}; quote every line the same way or remove the '> ' prefixes`);
    }
  }
  if (!first || first.depth === 0) return lines.join('\n');
  return depths.map((d) => (d.rest.trim() === '' ? '' : d.rest)).join('\n');
}

// ---------------------------------------------------------------------------------------
// Parsing.

const NAME = /^[A-Za-z0-9][A-Za-z0-9._+-]*$/;

/**
 * The file's text, at most MAX_FILE_BYTES. Only regular files: a named pipe would block
 * until a writer comes (forever), and /dev/zero never ends.
 */
export function readCapped(path: string, max = MAX_FILE_BYTES, what = 'a scenario file holds a few scenarios of a few lines'): string {
  // By its type before opening it: opening a named pipe blocks until a writer comes.
  const kind = (st: Stats): void => {
    if (!st.isFile()) throw new ScenarioFileError(path, 0, `not a regular file (${st.isDirectory() ? 'a directory' : st.isFIFO() ? 'a named pipe' : 'a device or socket'})`);
  };
  kind(statSync(path));
  const fd = openSync(path, 'r');
  try {
    const st = fstatSync(fd);
    kind(st);
    if (st.size > max) throw new ScenarioFileError(path, 0, `larger than ${max} bytes (${what})`);
    // Read one byte past the cap, in case the file grew after the stat.
    const buf = Buffer.alloc(max + 1);
    let n = 0;
    for (let r; n < buf.length && (r = readSync(fd, buf, n, buf.length - n, null)) > 0;) n += r;
    if (n > max) throw new ScenarioFileError(path, 0, `larger than ${max} bytes (${what})`);
    return buf.subarray(0, n).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

export function readScenarioFile(path: string, validators: ScenarioValidators = {}): Scenario[] {
  let text: string;
  try {
    text = readCapped(path);
  } catch (err) {
    if (err instanceof ScenarioFileError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new ScenarioFileError(path, 0, code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'not a regular file (a directory)' : `cannot read (${code ?? 'error'})`);
  }
  return parseScenarios(text, path, validators);
}

/**
 * Parses every scenario in `text`; throws ScenarioFileError naming the line. The text may
 * be a scenario file (quoted or not) or a whole mail with scenario blocks in it (mail.ts):
 * then each block is read at its own quote depth, and lines are the mail's.
 */
export function parseScenarios(text: string, file = '<input>', validators: ScenarioValidators = {}): Scenario[] {
  const mail = mailBlocks(text, [...SCENARIO_KEYS, ...Object.keys(ALIASES)]);
  if (!mail) return parseSource(unquoteMail(text, file), file, validators);
  let scenarios: Scenario[];
  try {
    scenarios = parseSource(mail.source, file, validators);
  } catch (e) {
    if (e instanceof ScenarioFileError && e.line > 0) throw new ScenarioFileError(e.file, mail.lineOf(e.line), e.problem);
    throw e;
  }
  return scenarios.map((s) => ({ ...s, line: mail.lineOf(s.line) }));
}

function parseSource(source: string, file: string, validators: ScenarioValidators): Scenario[] {
  const lines = source.split('\n');
  const nbsp = lines.findIndex((l) => /^[ \u00a0]*\u00a0/.test(l));
  if (nbsp >= 0) {
    throw new ScenarioFileError(file, nbsp + 1, 'indented with a non-breaking space (U+00A0), as some mail clients do; use plain spaces');
  }
  // The YAML parser recurses once per level: too deep a text is refused before it runs.
  const deep = tooDeep(lines);
  if (deep > 0) throw new ScenarioFileError(file, deep, `nested more than ${MAX_DEPTH} levels deep`);
  const lc = new LineCounter();
  // uniqueKeys: false — the library compares each key with every earlier one (quadratic:
  // 200,000 keys took minutes); duplicates are found here, with a Set per mapping.
  const docs = parseAllDocuments(source, { lineCounter: lc, prettyErrors: false, uniqueKeys: false });
  if (!Array.isArray(docs)) throw new ScenarioFileError(file, 1, 'no scenario in the file (expected from:, to:, strategy:, result:)');
  const lineOf = (offset: number) => lc.linePos(offset).line;
  const scenarios: Scenario[] = [];
  for (const doc of docs) {
    // Warnings (an unknown tag, a %-directive) are errors: the text does not mean what it says.
    const err = doc.errors[0] ?? doc.warnings[0];
    if (err) {
      const line = lineOf(err.pos[0]);
      const first = err.message.split('\n')[0]!;
      const problem = /call stack/i.test(first) ? `nested too deeply (at most ${MAX_DEPTH} levels)` : first.replace(/ at line \d+, column \d+:?$/, '');
      throw new ScenarioFileError(file, line, `${problem}${wrappedHint(lines, line)}`);
    }
    // A %YAML or %TAG directive changes how the text reads; a scenario has no use for one.
    const d = doc.directives;
    if (d && (d.yaml.explicit || Object.keys(d.tags).some((handle) => handle !== '!!' && handle !== '!'))) {
      const line = lines.findIndex((l) => l.startsWith('%')) + 1;
      throw new ScenarioFileError(file, Math.max(1, line), `a %-directive is not allowed in a scenario file (got '${lines[line - 1] ?? '%'}')`);
    }
    const contents = doc.contents;
    if (contents === null || (isScalar(contents) && (contents.value === null || contents.value === ''))) continue; // empty document
    const docLine = lineOf(contents.range?.[0] ?? 0);
    if (!isMap(contents)) throw new ScenarioFileError(file, docLine, 'a scenario is a list of "key: value" lines');
    const problem = treeProblem(contents, lineOf, 0);
    if (problem) throw new ScenarioFileError(file, problem.line, problem.message);
    const found = new Map<Key, { node: Node | null; line: number }>();
    for (const pair of contents.items) {
      const keyNode = pair.key as Node | null;
      const line = lineOf(keyNode?.range?.[0] ?? contents.range?.[0] ?? 0);
      const raw = isScalar(keyNode) ? String(keyNode.value) : '';
      const key = (SCENARIO_KEYS as readonly string[]).includes(raw) ? (raw as Key) : own(ALIASES, raw);
      if (!key) throw new ScenarioFileError(file, line, `unknown key '${raw}' (keys: ${SCENARIO_KEYS.join(', ')})${wrappedHint(lines, line)}`);
      if (found.has(key)) {
        const first = found.get(key)!.line;
        throw new ScenarioFileError(file, line, raw === key ? `'${raw}' given twice (first at line ${first})` : `'${raw}' is another name for '${key}', already given at line ${first}`);
      }
      // An alias (`to: *a`) stands for the node it names.
      const value = isAlias(pair.value) ? (pair.value.resolve(doc as Document) ?? null) : (pair.value as Node | null);
      found.set(key, { node: value, line });
    }
    for (const key of REQUIRED) {
      if (!found.has(key)) throw new ScenarioFileError(file, docLine, `missing '${key}:' (${REQUIRED_HELP[key]})`);
    }
    const at = (key: Key) => found.get(key)!.line;
    const fail = (key: Key, problem: string): never => { throw new ScenarioFileError(file, at(key), problem); };
    const str = (key: Key): string | undefined => {
      const f = found.get(key);
      if (!f) return undefined;
      if (!isScalar(f.node) || typeof f.node.value !== 'string' || f.node.value.trim() === '') {
        return fail(key, `'${key}' must be text (got ${describe(f.node)})`);
      }
      return f.node.value.trim();
    };
    const int = (key: Key): number | undefined => {
      const f = found.get(key);
      if (!f) return undefined;
      const v = isScalar(f.node) ? f.node.value : undefined;
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) return fail(key, `'${key}' must be a whole number >= 0 (got ${describe(f.node)})`);
      return v;
    };
    const check = <V>(key: Key, value: V, validate?: (v: V) => void) => {
      if (!validate) return;
      try { validate(value); } catch (e) { fail(key, `${key}: ${(e as Error).message.split('\n')[0]}`); }
    };

    // `arch:` first: the other values are judged by that architecture's model.
    const arch = str('arch');
    let val = validators;
    if (arch !== undefined && validators.forArch) {
      try { val = validators.forArch(arch); } catch (e) { fail('arch', `arch: ${(e as Error).message.split('\n')[0]}`); }
    }
    const from = str('from')!;
    const to = str('to')!;
    check('from', from, val.entry);
    check('to', to, val.entry);

    let strategy: string | StrategyValue;
    const sNode = found.get('strategy')!.node;
    if (isMap(sNode)) {
      // Through the document, so that YAML aliases (&a / *a) resolve.
      const value = (doc.toJS({ maxAliasCount: 1000 }) as Record<string, unknown>).strategy as Record<string, unknown>;
      if (typeof value.name !== 'string') fail('strategy', 'a strategy written out needs at least name:');
      try {
        val.strategy?.(value);
      } catch (e) {
        // At the line of what is wrong, when the error says where (StrategyError.path).
        const line = pathLine(doc as Document, sNode, (e as { path?: unknown }).path, lineOf) ?? at('strategy');
        throw new ScenarioFileError(file, line, (e as Error).message.split('\n')[0]!);
      }
      // Its shape is the model's business (val.strategy, or the check itself).
      strategy = value as unknown as StrategyValue;
    } else {
      const text = str('strategy')!;
      if (isStrategyLine(text)) {
        // A one-line strategy (src/model/strategyLine.ts), as --strategy takes it: read
        // into a value here, so the file's line is named when it is wrong.
        try {
          strategy = { ...parseStrategyLine(text), source: 'scenario file' };
        } catch (e) {
          return fail('strategy', `strategy: ${(e as Error).message.split('\n')[0]}`);
        }
      } else {
        strategy = text;
        check('strategy', strategy, val.strategy);
      }
    }

    const assume = str('assume');
    if (assume !== undefined) check('assume', assume, val.assume);
    const requests = int('requests');
    const dmas = int('dmas');
    if (requests !== undefined) check('requests', requests, (n) => val.count?.('requests', n));
    if (dmas !== undefined) check('dmas', dmas, (n) => val.count?.('dmas', n));
    const leftover = str('leftover');
    if (leftover !== undefined) check('leftover', leftover, val.entry);
    const pasid = int('pasid');
    if (pasid !== undefined && pasid > 0xfffff) fail('pasid', `'pasid' is a 20-bit PASID, 0 (RID_PASID) to 0xfffff (got ${pasid})`);
    let cold: boolean | undefined;
    if (found.has('cold')) {
      const node = found.get('cold')!.node;
      if (!isScalar(node) || typeof node.value !== 'boolean') fail('cold', `'cold' must be true or false (got ${describe(node)})`);
      cold = (node as Scalar).value as boolean;
    }
    let expect: Expectation;
    try { expect = parseExpectation(str('result')!); } catch (e) { return fail('result', (e as Error).message); }
    const why = found.has('why') ? str('why') : undefined;

    let name = str('name');
    if (name === undefined) {
      name = basename(file).replace(/\.(ya?ml|txt|scenario)$/i, '').replace(/[^A-Za-z0-9._+-]/g, '-').replace(/^[^A-Za-z0-9]+/, '') || 'scenario';
      if (docs.length > 1) name += `-${scenarios.length + 1}`;
    } else if (!NAME.test(name)) {
      fail('name', `'name' must be one word of letters, digits and . _ + - (got '${name}')`);
    }
    if (scenarios.some((s) => s.input.name === name)) fail('name', `name '${name}' used twice in the file`);

    const input: ScenarioInput & { name: string } = { name, ...(arch !== undefined ? { arch: arch as ScenarioInput['arch'] } : {}), from, to, strategy };
    if (assume !== undefined) input.assume = assume;
    if (requests !== undefined) input.requests = requests;
    if (dmas !== undefined) input.dmas = dmas;
    if (pasid !== undefined) input.pasid = pasid;
    if (leftover !== undefined) input.leftover = leftover;
    if (cold !== undefined) input.cold = cold;
    scenarios.push({ input, expect, ...(why !== undefined ? { why } : {}), file, line: docLine });
  }
  if (scenarios.length === 0) throw new ScenarioFileError(file, 1, 'no scenario in the file (expected from:, to:, strategy:, result:)');
  return scenarios;
}

/**
 * The first line (1-based) at which the text nests more than MAX_DEPTH mappings, lists
 * and flow brackets, or 0. Linear, and before any parsing: block levels by indentation
 * (a stack of indents) and `- ` markers, flow levels by brackets outside quotes and
 * comments (in block context only a bracket that starts a value opens a collection).
 */
export function tooDeep(lines: readonly string[]): number {
  const indents: number[] = [];
  let flow = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const indent = line.length - line.trimStart().length;
    const body = line.slice(indent);
    if (body === '' || body.startsWith('#')) continue;
    let block = 0;
    if (flow === 0) {
      while (indents.length > 0 && indents[indents.length - 1]! >= indent) indents.pop();
      indents.push(indent);
      block = indents.length;
      for (let k = 0; body.startsWith('- ', k) || body === '-' ; k += 2) { block++; if (body === '-') break; }
    }
    let quote = '';
    let prev = ' ';
    for (let k = 0; k < body.length; k++) {
      const c = body[k]!;
      if (quote) {
        if (c === '\\' && quote === '"') k++;
        else if (c === quote) quote = '';
      } else if (c === '#' && /\s/.test(prev)) break;
      else if ((c === '"' || c === "'") && (flow > 0 || /[\s:\-\[{,]/.test(prev))) quote = c;
      else if ((c === '[' || c === '{') && (flow > 0 || /[\s:\-]/.test(prev))) flow++;
      else if ((c === ']' || c === '}') && flow > 0) flow--;
      if (block + flow > MAX_DEPTH) return i + 1;
      if (!/\s/.test(c) || quote) prev = c;
    }
    if (block + flow > MAX_DEPTH) return i + 1;
  }
  return 0;
}

/**
 * What the parser lets through and a scenario must not have, at its line: a key given
 * twice in any mapping (found with a Set, not by comparing every pair), nesting deeper
 * than MAX_DEPTH (the walk stops there, so it cannot overflow the stack).
 */
function treeProblem(node: unknown, lineOf: (offset: number) => number, depth: number): { line: number; message: string } | null {
  const lineAt = (n: unknown) => lineOf((n as Node | null)?.range?.[0] ?? 0);
  if (depth > MAX_DEPTH) return { line: lineAt(node), message: `nested more than ${MAX_DEPTH} levels deep` };
  if (isMap(node)) {
    const seen = new Map<string, number>();
    for (const pair of node.items) {
      const k = isScalar(pair.key) ? String(pair.key.value) : null;
      if (k !== null) {
        const first = seen.get(k);
        if (first !== undefined) return { line: lineAt(pair.key), message: `'${k}' given twice (first at line ${first})` };
        seen.set(k, lineAt(pair.key));
      }
      const p = treeProblem(pair.value, lineOf, depth + 1);
      if (p) return p;
    }
  } else if (isSeq(node)) {
    for (const item of node.items) {
      const p = treeProblem(item, lineOf, depth + 1);
      if (p) return p;
    }
  }
  return null;
}

/** The line of the node at `path` (keys and indexes) under `node`, or of the deepest part of it found. */
function pathLine(doc: Document, node: unknown, path: unknown, lineOf: (offset: number) => number): number | undefined {
  if (!Array.isArray(path)) return undefined;
  let line: number | undefined;
  let at: unknown = node;
  for (const step of path) {
    if (isAlias(at)) at = at.resolve(doc);
    if (isMap(at)) {
      const pair = at.items.find((p) => isScalar(p.key) && String(p.key.value) === String(step));
      if (!pair) break;
      line = lineOf((pair.key as Node).range?.[0] ?? 0);
      at = pair.value;
    } else if (isSeq(at) && typeof step === 'number' && step < at.items.length) {
      at = at.items[step];
      const r = (at as Node | null)?.range;
      if (r) line = lineOf(r[0]);
    } else break;
  }
  return line;
}

/** A line after a long one that does not start a key was probably wrapped by mail. */
function wrappedHint(lines: readonly string[], line: number): string {
  const prev = lines[line - 2] ?? '';
  const here = lines[line - 1] ?? '';
  const startsKey = new RegExp(`^(${[...SCENARIO_KEYS, ...Object.keys(ALIASES)].join('|')}):`).test(here);
  return prev.length >= 60 && !startsKey && !/^\s/.test(here) ? ' (a mail client may have wrapped a long line)' : '';
}

const REQUIRED_HELP: Record<string, string> = {
  from: 'the old PASID entry, e.g. sl:did=5,ssptptr=0x1000',
  to: 'the new PASID entry',
  strategy: 'which strategy runs, e.g. jason or baolu',
  result: "what the check must answer: safe, unsafe, 'unsafe <property>' or inconclusive",
};

function describe(node: unknown): string {
  if (node === null || node === undefined) return 'nothing';
  if (isScalar(node)) {
    const v = node.value;
    if (v === null) return 'nothing';
    return typeof v === 'string' ? `'${v}'` : `${typeof v} ${String(v)}`;
  }
  return isMap(node) ? 'a mapping' : 'a list';
}

// ---------------------------------------------------------------------------------------
// Writing, canonical text and hash.

/**
 * A scenario as a file to paste into a mail: keys in a fixed order, defaults left out,
 * every line at most 72 columns (and 68 once quoted with "> > ").
 */
export function scenarioToYaml(input: ScenarioInput, expect?: Expectation | string, why?: string): string {
  const doc: Record<string, unknown> = {};
  if (input.name) doc.name = input.name;
  if (input.arch !== undefined && input.arch !== 'vtd') doc.arch = input.arch;
  doc.from = input.from;
  doc.to = input.to;
  doc.strategy = input.strategy;
  if (input.assume !== undefined && input.assume !== 'spec') doc.assume = input.assume;
  if (input.requests !== undefined) doc.requests = input.requests;
  if (input.dmas !== undefined) doc.dmas = input.dmas;
  if (input.pasid !== undefined) doc.pasid = input.pasid;
  if (input.leftover !== undefined) doc.leftover = input.leftover;
  if (input.cold) doc.cold = true;
  if (expect !== undefined) doc.result = typeof expect === 'string' ? formatExpectation(parseExpectation(expect)) : formatExpectation(expect);
  // No anchors and aliases: a reader of the mail should not have to resolve them.
  let text = stringify(doc, { lineWidth: 66, minContentWidth: 20, aliasDuplicateObjects: false });
  if (why) {
    const one = `why: ${why.trim().replace(/\s+/g, ' ')}`;
    // A plain one-liner when YAML reads it back unchanged, else a folded block whose
    // lines stay short enough to survive two levels of mail quoting.
    const plain = one.length <= 66 && stringify({ why: one.slice(5) }).trim() === one;
    text += plain ? `${one}\n` : `why: >-\n${foldWords(one.slice(5), 62).map((l) => `  ${l}`).join('\n')}\n`;
  }
  return text;
}

function foldWords(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const w of text.split(' ')) {
    if (line && line.length + 1 + w.length > width) { lines.push(line); line = w; } else line = line ? `${line} ${w}` : w;
  }
  if (line) lines.push(line);
  return lines;
}

function squeeze(s: string): string {
  return s.replace(/\s+/g, '');
}

/** An entry in its canonical compact form (field order, spelling); as written if it does not parse. */
function canonicalEntry(text: string): string {
  try {
    return formatEntry(parseEntry(text));
  } catch {
    return squeeze(text);
  }
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * The scenario as canonical text: what determines the answer, defaults filled in,
 * entries in their canonical compact form, whitespace removed. The name, the expectation and the comment are not part of it, so
 * renaming a test keeps its hash and changing what it checks changes the hash.
 */
export function canonicalScenario(input: Pick<ScenarioInput, 'arch' | 'from' | 'to' | 'strategy' | 'assume' | 'requests' | 'dmas' | 'pasid' | 'leftover' | 'cold'>): string {
  const strategy = typeof input.strategy === 'string' ? squeeze(input.strategy) : canonicalJson(input.strategy);
  return [
    `from=${canonicalEntry(input.from)}`,
    `to=${canonicalEntry(input.to)}`,
    `strategy=${strategy}`,
    `assume=${squeeze(input.assume ?? '') || 'spec'}`,
    // The model's own defaults, so that writing a default out does not change the hash.
    `requests=${input.requests ?? DEFAULT_REQUESTS}`,
    `dmas=${input.dmas ?? DEFAULT_DMAS}`,
    `cold=${input.cold ?? false}`,
    // Only another PASID than the default is written, so older hashes stay as they were.
    ...(input.pasid !== undefined && input.pasid !== SCENARIO_PASID ? [`pasid=${input.pasid}`] : []),
    ...(input.leftover !== undefined ? [`leftover=${canonicalEntry(input.leftover)}`] : []),
    // Only another architecture than VT-d is written, so VT-d hashes stay as they were.
    ...(input.arch !== undefined && input.arch !== 'vtd' ? [`arch=${input.arch}`] : []),
  ].join('\n') + '\n';
}

/** `Hash=` of a result block: sha256 of the canonical text, first 32 hex digits. */
export function scenarioHash(input: Parameters<typeof canonicalScenario>[0]): string {
  return createHash('sha256').update(canonicalScenario(input)).digest('hex').slice(0, 32);
}
