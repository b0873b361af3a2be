/**
 * Checking scenario files: the model's validators (so a bad value is reported at its line
 * in the file, before any check runs) and the run of every scenario against its `result:`
 * line. The command line (`flushlab run`) only reads the files, calls these and prints.
 */
import { checkScenario } from '../check/check';
import { MAX_COUNT, buildModel } from '../model/build';
import type { CheckResult } from '../check/result';
import { resolveAssumptions } from '../model/assumptions';
import { getStrategy, validateStrategy } from '../model/strategies';
import { parseEntry, validatePasidEntry } from '../formats/pasidEntry';
import { matchesExpectation, scenarioHash, type Scenario, type ScenarioValidators } from './scenarioFile';
import { ARCHES } from '../model/build';
import { parseSmmuConfig } from '../formats/smmuv3Config';
import { resolveSmmuAssumptions } from '../model/smmuv3/assumptions';
import { getSmmuStrategy, validateSmmuStrategy } from '../model/smmuv3/strategies';
import { buildSmmuModel } from '../model/smmuv3/build';

/** A scenario the model refuses when checked: bad input, named by file and line. */
export class ScenarioRunError extends Error {
  override name = 'ScenarioRunError';
}

/** The model's own checks, so a bad value is reported at its line in the file. */
export const MODEL_VALIDATORS: ScenarioValidators = {
  forArch(arch) {
    if (arch === 'smmuv3') return SMMU_VALIDATORS;
    if (arch === 'vtd') return MODEL_VALIDATORS;
    throw new Error(`one of ${ARCHES.join(', ')} (got '${arch.slice(0, 40)}')`);
  },
  entry(text) {
    const broken = validatePasidEntry(parseEntry(text));
    if (broken.length) throw new Error(broken[0]);
  },
  assume(text) { resolveAssumptions(text); },
  strategy(value) {
    if (typeof value === 'string') getStrategy(value);
    else validateStrategy(value);
  },
  count(key, value) {
    if (value > MAX_COUNT) throw new Error(`must be a whole number from 0 to ${MAX_COUNT} (got ${value})`);
  },
};

/** The SMMUv3 model's checks of a scenario with `arch: smmuv3`. */
const SMMU_VALIDATORS: ScenarioValidators = {
  entry(text) { parseSmmuConfig(text); },
  assume(text) { resolveSmmuAssumptions(text); },
  strategy(value) {
    if (typeof value === 'string') getSmmuStrategy(value);
    else validateSmmuStrategy(value);
  },
  count: MODEL_VALIDATORS.count,
};

export interface ScenarioRun {
  scenario: Scenario;
  result: CheckResult;
  hash: string;
  match: boolean;
}

/** `file:line: problem`, the prefix once (an error may already carry it). */
function atLine(scenario: Scenario, e: unknown): string {
  const message = (e instanceof Error ? e.message : String(e)).split('\n')[0]!;
  const prefix = `${scenario.file}:`;
  return message.startsWith(prefix) ? message : `${prefix}${scenario.line}: ${message}`;
}

/**
 * Builds every scenario's model without checking it, so that whatever the model refuses
 * is reported before the first (slow) check runs.
 */
export function validateScenarios(scenarios: readonly Scenario[]): void {
  for (const scenario of scenarios) {
    try {
      if (scenario.input.arch === 'smmuv3') buildSmmuModel(scenario.input);
      else buildModel(scenario.input);
    } catch (e) {
      throw new ScenarioRunError(atLine(scenario, e));
    }
  }
}

/** Checks each scenario; a scenario the model refuses is bad input, named by file and line. */
export function runScenarios(scenarios: readonly Scenario[], check: (s: Scenario) => CheckResult = (s) => checkScenario(s.input)): ScenarioRun[] {
  return scenarios.map((scenario) => {
    let result: CheckResult;
    try {
      result = check(scenario);
    } catch (e) {
      throw new ScenarioRunError(atLine(scenario, e));
    }
    // The file's name for the scenario, not the model's.
    result = { ...result, name: scenario.input.name };
    return { scenario, result, hash: scenarioHash(scenario.input), match: matchesExpectation(result, scenario.expect) };
  });
}
