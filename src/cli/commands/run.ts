/**
 * `flushlab run <file>...`: checks every scenario in the files and prints each answer
 * as a result block; a scenario whose answer differs from its `result:` line fails the
 * run (exit 1), the way the kernel's litmus tests are checked against `Result:`. Bad
 * input of any kind is one line naming the file and line (exit 2), before anything
 * is checked.
 */
import type { Command } from 'commander';
import { EXIT, UsageError, type Io } from '../io';
import { checkScenario } from '../../check/check';
import { checkJson } from './check';
import { ScenarioFileError, formatExpectation, outcomeOf, parseScenarios, readScenarioFile, type Scenario } from '../../scenarios/scenarioFile';
import { readStdinCapped } from '../stdin';
import { MODEL_VALIDATORS, ScenarioRunError, runScenarios, validateScenarios, type ScenarioRun } from '../../scenarios/run';
import { resultBlock } from '../../present/resultBlock';
import { traceToText } from '../../present/traceText';
import { traceToMermaid } from '../../present/traceMermaid';
import { traceToSvg, tracesToSvg, type NotePanel } from '../../present/sequenceSvg';
import { MAIL_COLUMNS, hanging } from '../../present/plainText';
import type { Trace } from '../../model/trace';
import { budgetFromFlags, budgetOptions, type BudgetFlags } from '../limits';

const FORMATS = ['text', 'json', 'mermaid', 'svg'] as const;
type Format = (typeof FORMATS)[number];

export function runText(runs: readonly ScenarioRun[]): string {
  const parts = runs.map((r) => {
    const block = resultBlock(r.result, {
      expected: r.scenario.expect, hash: r.hash, assume: r.scenario.input.assume ?? 'spec',
    });
    const traces = r.result.violations.map((v) => `\n${traceToText(v.trace)}`);
    return block + traces.join('');
  });
  if (runs.length > 1) {
    const bad = runs.filter((r) => !r.match);
    const summary = bad.length === 0
      ? `${runs.length} of ${runs.length} as expected`
      : `${runs.length - bad.length} of ${runs.length} as expected; MISMATCH: ${bad.map((r) => r.scenario.input.name).join(' ')}`;
    parts.push(hanging('Summary: ', summary, 2, MAIL_COLUMNS).join('\n') + '\n');
  }
  return parts.join('\n');
}

export function runJson(runs: readonly ScenarioRun[]): string {
  return `${JSON.stringify(runs.map((r) => ({
    file: r.scenario.file,
    line: r.scenario.line,
    name: r.scenario.input.name,
    expected: formatExpectation(r.scenario.expect),
    outcome: outcomeOf(r.result),
    match: r.match,
    hash: r.hash,
    ...(r.scenario.why ? { why: r.scenario.why } : {}),
    // As `check --json`: no timing, so the same files give the same bytes.
    result: checkJson(r.result),
  })), null, 2)}\n`;
}

export function runMermaid(runs: readonly ScenarioRun[]): string {
  // One diagram per scenario; its result block rides along as Mermaid comments inside
  // the diagram (a comment before `sequenceDiagram` is not accepted everywhere).
  return runs.map((r) => {
    const block = resultBlock(r.result, { expected: r.scenario.expect, hash: r.hash, assume: r.scenario.input.assume ?? 'spec' });
    const comments = block.trimEnd().split('\n').map((l) => `    %% ${l}`).join('\n');
    const trace = r.result.violations[0]?.trace;
    const body = trace
      ? traceToMermaid(trace).replace(/^sequenceDiagram\n/, '')
      : `    Note over driver: ${r.scenario.input.name}: ${r.result.verdict}, no counterexample (${r.result.states} states)\n`;
    return `sequenceDiagram\n${comments}\n${body}`;
  }).join('\n');
}

function panelOf(r: ScenarioRun): Trace | NotePanel {
  const trace = r.result.violations[0]?.trace;
  if (trace) return { ...trace, title: r.scenario.input.name };
  const what = r.result.verdict === 'safe' ? `safe: no counterexample in ${r.result.states} states` : `inconclusive after ${r.result.states} states`;
  return { title: r.scenario.input.name, note: what };
}

export function runSvg(runs: readonly ScenarioRun[]): string {
  if (runs.length > 2) throw new UsageError(`--format svg draws one scenario, or two side by side (got ${runs.length})`);
  const panels = runs.map(panelOf);
  return panels.length === 1 && 'steps' in panels[0] ? traceToSvg(panels[0]) : tracesToSvg(panels);
}

const RUN_EXAMPLES = `
A file may be a whole mail: the scenario blocks in it are found among the prose,
signatures and quoting (any '>' depth) and run; line numbers are the mail's.

Examples:
  flushlab run scenarios/*.yaml
  flushlab run mail.txt                  # the scenario blocks of a saved mail
  flushlab run - < reply.eml             # a mail on standard input
  flushlab run --json scenarios/jason-sl-sl-new-did.yaml
  flushlab run --format svg scenarios/no-flush-sl-sl-new-did.yaml > cx.svg`;

export function registerRun(program: Command, io: Io, setExit: (code: number) => void): void {
  budgetOptions(program
    .command('run')
    .description('check scenario files against their result: line (exit 1 on a mismatch)')
    .argument('<file...>', "scenario files (YAML; several scenarios per file separated by ---), or whole mails with scenario blocks in them; '-' reads standard input")
    .option('--format <format>', `output: ${FORMATS.join(' | ')}`, 'text')
    .option('--json', 'print JSON (the same as --format json)'), 'budget: seconds for each check (default: none)')
    .addHelpText('after', RUN_EXAMPLES)
    .action(async (files: string[], opts: { format: string; json?: boolean } & BudgetFlags) => {
      if (!(FORMATS as readonly string[]).includes(opts.format)) {
        throw new UsageError(`--format must be one of ${FORMATS.join(', ')} (got '${opts.format}')`);
      }
      if (opts.json && opts.format !== 'text' && opts.format !== 'json') throw new UsageError(`--json and --format ${opts.format} ask for two outputs; give one`);
      const format = opts.json ? 'json' : opts.format as Format;
      if (files.filter((f) => f === '-').length > 1) throw new UsageError(`'-' (standard input) given twice`);
      const budget = budgetFromFlags(opts);
      // Every file is read and checked for errors before the first (slow) check runs.
      const scenarios: Scenario[] = [];
      for (const file of files) {
        try {
          scenarios.push(...(file === '-' ? parseScenarios(await readStdinCapped(), 'stdin', MODEL_VALIDATORS) : readScenarioFile(file, MODEL_VALIDATORS)));
        } catch (e) {
          if (e instanceof ScenarioFileError) throw new UsageError(e.line > 0 ? e.message : `${e.file}: ${e.problem}`);
          throw e;
        }
      }
      const bad = (e: unknown): never => {
        if (e instanceof ScenarioRunError) throw new UsageError(e.message);
        throw e;
      };
      try { validateScenarios(scenarios); } catch (e) { bad(e); }
      if (format === 'svg' && scenarios.length > 2) throw new UsageError(`--format svg draws one scenario, or two side by side (got ${scenarios.length})`);
      let runs: ScenarioRun[] = [];
      try { runs = runScenarios(scenarios, (s) => checkScenario(s.input, { budget })); } catch (e) { bad(e); }
      const render = { text: runText, json: runJson, mermaid: runMermaid, svg: runSvg }[format];
      const text = render(runs);
      setExit(runs.every((r) => r.match) ? EXIT.ok : EXIT.mismatch); // before writing (io.ts)
      io.out(text);
    });
}
