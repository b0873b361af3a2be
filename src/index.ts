/**
 * flushlab: the public API that notebooks import by name (`import { … } from 'flushlab'`).
 */
export { version } from './version';
// The entry_sync hitless writer (every format is re-exported by the writer module).
export * from './driver/writer';
export {
  STRTAB, CTXDESC, steUsed, steUpdateSafe, cdUsed, KUNIT_SMMU, makeAbortSte, makeBypassSte, makeCdtableSte,
  makeS2DomainSte, makeS1Cd, makeSvaCd, kunitCdtableSte, kunitS2Ste, kunitS1Cd, kunitSvaCd, kunitSvaReleaseCd,
  KUNIT_FAKE_CDTAB_DMA, KUNIT_OTHER_CDTAB_DMA, SMMUV3_NAMED_STES, SMMUV3_NAMED_CDS,
} from './driver/smmuv3';
export type {
  SmmuFeatures, CdtableSteParams, S2SteParams, S2Vtcr, S1CdParams, S1Tcr, SvaCdParams, KunitMasterFeat,
} from './driver/smmuv3';
// Bit-accurate VT-d formats: PASID-table entry, invalidation descriptors, hex dumps.
export * from './spec/errors';
export { U64_MAX, hex, hex64 } from './spec/bits';
export * from './spec/hex';
export * from './spec/pasidEntry';
export * from './spec/descriptors';
export * from './spec/json';
export * from './present/entryTable';
export * from './present/entrySvg';
// Results people can read: sequence diagrams, mail text, result blocks, matrices, notebook display, scenario files.
export { traceToSvg, tracesToSvg } from './present/sequenceSvg';
export type { SvgOptions, NotePanel } from './present/sequenceSvg';
export type { LaneOptions } from './present/traceFacts';
export { traceToText } from './present/traceText';
export { traceToMermaid } from './present/traceMermaid';
export { resultBlock, costLine } from './present/resultBlock';
export type { ResultBlockOptions } from './present/resultBlock';
export {
  verdictMatrix, matrixToText, matrixToMarkdown, matrixToHtml, sweepToText, sweepsToText, sweepsToMarkdown, sweepsToHtml,
} from './present/matrix';
export type { VerdictMatrix, MatrixCell, SweepLike } from './present/matrix';
export { show, showSideBySide, render, progress, withProgress, useDisplay, checkMatrix, sweepWithProgress, LIVE_CELL_BUDGET } from './present/notebook';
export { Interrupted, requestInterrupt } from './present/interrupt';
export type { Showable, ShowOptions, Rendering, Progress, ProgressOptions, DisplayLike, DisplayModule, MatrixRequest } from './present/notebook';
export { costChart, costTable, costValue, COST_MEASURES, DEFAULT_COST_MEASURES } from './present/costChart';
export type { CostMeasure, CostRow, CostChartOptions } from './present/costChart';
export { claims, claimsToText, claimsToHtml, ClaimError } from './present/claims';
export { strategyToText, actionText, templateText } from './present/strategyText';
export type { Claim } from './present/claims';
export {
  parseScenarios, readScenarioFile, scenarioToYaml, scenarioHash, canonicalScenario, parseExpectation, formatExpectation,
  matchesExpectation, outcomeOf, unquoteMail, ScenarioFileError,
} from './explore/scenarioFile';
export type { Scenario, Expectation, ScenarioValidators } from './explore/scenarioFile';
// The generic search engine: breadth-first search, reduction, packed fast path, simulation, minimal conditions.
export * from './explore/engine';
// The hardware model, the strategies, and the checks (DESIGN.md §1).
export { ASSUMPTIONS, ASSUMPTION_NAMES, PRESETS, resolveAssumptions, describeAssumptions, AssumptionError } from './hw/assumptions';
export type { Assumption, AssumptionValue, Assumptions } from './hw/assumptions';
export { STRATEGIES, strategyNames, getStrategy, validateStrategy, StrategyError } from './driver/strategies';
export type { Strategy, Action, DescriptorTemplate, DidRef, Condition, PresenceChange } from './driver/strategies';
export { compileProgram } from './driver/program';
export type { DriverOp, DriverProgram, ProgramContext } from './driver/program';
export { buildModel, ScenarioError, SCENARIO_SID, SCENARIO_PASID, DEFAULT_REQUESTS, DEFAULT_DMAS } from './explore/model';
export type { Model, ModelOptions } from './explore/model';
export { checkScenario, checkModel, describeParts } from './explore/check';
export type { CheckOptions } from './explore/check';
export { sweepScenario, OPEN_ASSUMPTIONS } from './explore/sweep';
export type { SweepResult, SweepRow, SweepOptions } from './explore/sweep';
export { sweepMany } from './explore/parallel';
export type { ParallelSweepOptions } from './explore/parallel';
export { PROPERTY_NAMES } from './explore/properties';
export type { PropertyName } from './explore/properties';
export type { ScenarioInput, CheckResult, Cost, PropertyViolation, StrategyValue } from './explore/result';
export type { Trace, TraceStep, Lane } from './explore/trace';
export { LANES, LANE_TITLES } from './explore/trace';
export { stepper } from './explore/stepper';
export type { Stepper } from './explore/stepper';
