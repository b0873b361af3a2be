/**
 * A strategy written as data in its own file (`--strategy FILE.yaml`): YAML (or JSON, which
 * YAML reads too) of the value src/model/strategies.ts describes, as `flushlab strategies
 * --format yaml NAME` prints it. Read under the same rules as a scenario file: a regular
 * file, size-capped, nesting capped, warnings are errors, a problem named at its line.
 */
import { LineCounter, parseDocument, isMap, type Node } from 'yaml';
import { ScenarioFileError, readCapped, tooDeep, MAX_DEPTH, unquoteMail } from './scenarioFile';
import { validateStrategy, type Strategy } from '../model/strategies';

/** A strategy of the largest size allowed (STRATEGY_LIMITS) takes a few KB of YAML. */
export const MAX_STRATEGY_FILE_BYTES = 64 * 1024;

/** `validate`: VT-d's strategy (default) or another arch's (model/smmuv3/strategies.ts validateSmmuStrategy). */
export function readStrategyFile(path: string): Strategy;
export function readStrategyFile<T>(path: string, validate: (value: unknown) => T): T;
export function readStrategyFile(path: string, validate: (value: unknown) => unknown = validateStrategy): unknown {
  let text: string;
  try {
    text = readCapped(path, MAX_STRATEGY_FILE_BYTES, 'a strategy file holds one strategy');
  } catch (err) {
    if (err instanceof ScenarioFileError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new ScenarioFileError(path, 0, code === 'ENOENT' ? 'no such file (--strategy takes a name, a file or a one-line strategy)' : `cannot read (${code ?? 'error'})`);
  }
  return parseStrategyText(text, path, validate);
}

export function parseStrategyText(text: string, file?: string): Strategy;
export function parseStrategyText<T>(text: string, file: string, validate: (value: unknown) => T): T;
export function parseStrategyText(text: string, file = '<input>', validate: (value: unknown) => unknown = validateStrategy): unknown {
  const source = unquoteMail(text, file);
  const deep = tooDeep(source.split('\n'));
  if (deep > 0) throw new ScenarioFileError(file, deep, `nested more than ${MAX_DEPTH} levels deep`);
  const lc = new LineCounter();
  const doc = parseDocument(source, { lineCounter: lc, prettyErrors: false });
  const lineOf = (offset: number) => lc.linePos(offset).line;
  const err = doc.errors[0] ?? doc.warnings[0];
  if (err) throw new ScenarioFileError(file, lineOf(err.pos[0]), err.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, ''));
  if (!isMap(doc.contents)) throw new ScenarioFileError(file, 1, 'a strategy file is a mapping with name:, writer:, sync:, after: (flushlab strategies --format yaml jason)');
  try {
    return validate(doc.toJS({ maxAliasCount: 1000 }));
  } catch (e) {
    const path = (e as { path?: (string | number)[] }).path;
    let line = 1;
    // The line of the deepest part of the path that exists.
    for (let k = path?.length ?? 0; k > 0; k--) {
      const node = doc.getIn(path!.slice(0, k), true) as Node | undefined;
      const range = node?.range;
      if (range) { line = lineOf(range[0]); break; }
    }
    throw new ScenarioFileError(file, line, (e as Error).message.split('\n')[0]!);
  }
}
