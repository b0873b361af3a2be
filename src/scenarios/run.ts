/**
 * Checking scenario files: the model's validators (so a bad value is reported at its line
 * in the file, before any check runs) and the run of every scenario against its `result:`
 * line. The command line (`flushlab run`) only reads the files, calls these and prints.
 */
import { checkScenario } from '../check/check';
import type { CheckResult } from '../check/result';
import { resolveAssumptions } from '../model/assumptions';
import { getStrategy, validateStrategy } from '../model/strategies';
import { parseEntry, validatePasidEntry } from '../formats/pasidEntry';
import { matchesExpectation, scenarioHash, type Scenario, type ScenarioValidators } from './scenarioFile';

/** A scenario the model refuses when checked: bad input, named by file and line. */
export class ScenarioRunError extends Error {
  override name = 'ScenarioRunError';
}

/** The model's own checks, so a bad value is reported at its line in the file. */
export const MODEL_VALIDATORS: ScenarioValidators = {
  entry(text) {
    const broken = validatePasidEntry(parseEntry(text));
    if (broken.length) throw new Error(broken[0]);
  },
  assume(text) { resolveAssumptions(text); },
  strategy(value) {
    if (typeof value === 'string') getStrategy(value);
    else validateStrategy(value);
  },
};

export interface ScenarioRun {
  scenario: Scenario;
  result: CheckResult;
  hash: string;
  match: boolean;
}

/** Checks each scenario; a scenario the model refuses is bad input, named by file and line. */
export function runScenarios(scenarios: readonly Scenario[], check: (s: Scenario) => CheckResult = (s) => checkScenario(s.input)): ScenarioRun[] {
  return scenarios.map((scenario) => {
    let result: CheckResult;
    try {
      result = check(scenario);
    } catch (e) {
      throw new ScenarioRunError(`${scenario.file}:${scenario.line}: ${(e as Error).message.split('\n')[0]}`);
    }
    // The file's name for the scenario, not the model's.
    result = { ...result, name: scenario.input.name };
    return { scenario, result, hash: scenarioHash(scenario.input), match: matchesExpectation(result, scenario.expect) };
  });
}
