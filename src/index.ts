/**
 * flushlab: the public API that notebooks import by name (`import { … } from 'flushlab'`).
 */
export { version } from './version';
// The entry_sync hitless writer and its formats.
export * from './writer/writer';
export { vtdPasidFormat, smmuv3CdFormat, smmuv3SteFormat } from './writer/formats';
export { STRTAB, CTXDESC, KUNIT_SMMU, makeAbortSte, makeBypassSte, makeCdtableSte, makeS2DomainSte, makeS1Cd, makeSvaCd } from './formats/smmuv3';
export { steUsed, steUpdateSafe, cdUsed } from './writer/smmuv3';
export {
  kunitCdtableSte, kunitS2Ste, kunitS1Cd, kunitSvaCd, kunitSvaReleaseCd,
  KUNIT_FAKE_CDTAB_DMA, KUNIT_OTHER_CDTAB_DMA, SMMUV3_NAMED_STES, SMMUV3_NAMED_CDS,
} from './writer/kunit';
export type { SmmuFeatures, CdtableSteParams, S2SteParams, S2Vtcr, S1CdParams, S1Tcr, SvaCdParams } from './formats/smmuv3';
export type { KunitMasterFeat } from './writer/kunit';
// Bit-accurate VT-d formats: PASID-table entry, invalidation descriptors, hex dumps.
export * from './formats/errors';
export { U64_MAX, hex, hex64 } from './formats/bits';
export * from './formats/hex';
export * from './formats/pasidEntry';
export * from './formats/descriptors';
export * from './formats/json';
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
export { show, showSideBySide, render, progress, withProgress, useDisplay, checkMatrix, sweepWithProgress } from './notebook/notebook';
export type { Showable, ShowOptions, Rendering, Progress, ProgressOptions, DisplayLike, DisplayModule, MatrixRequest } from './notebook/notebook';
export { costChart, costTable, costValue, COST_MEASURES, DEFAULT_COST_MEASURES } from './present/costChart';
export type { CostMeasure, CostRow, CostChartOptions } from './present/costChart';
export { claims, claimsToText, claimsToHtml, ClaimError } from './notebook/claims';
export { strategyToText, actionText, templateText } from './present/strategyText';
export type { Claim } from './notebook/claims';
export {
  parseScenarios, readScenarioFile, scenarioToYaml, scenarioHash, canonicalScenario, parseExpectation, formatExpectation,
  matchesExpectation, outcomeOf, unquoteMail, ScenarioFileError,
} from './scenarios/scenarioFile';
export type { Scenario, Expectation, ScenarioValidators } from './scenarios/scenarioFile';
// The generic search engine: breadth-first search, reduction, packed fast path, simulation, minimal conditions.
export * from './engine';
// The hardware model, the strategies, and the checks (DESIGN.md §1).
export { ASSUMPTIONS, ASSUMPTION_NAMES, PRESETS, resolveAssumptions, describeAssumptions, AssumptionError } from './model/assumptions';
export type { Assumption, AssumptionValue, Assumptions } from './model/assumptions';
export { STRATEGIES, strategyNames, getStrategy, validateStrategy, StrategyError } from './model/strategies';
export type { Strategy, Action, DescriptorTemplate, DidRef, Condition, PresenceChange } from './model/strategies';
export { compileProgram } from './model/program';
export type { DriverOp, DriverProgram, ProgramContext } from './model/program';
export { buildModel, ScenarioError, SCENARIO_SID, SCENARIO_PASID, DEFAULT_REQUESTS, DEFAULT_DMAS } from './model/build';
export type { Model, ModelOptions } from './model/build';
export { checkScenario, checkModel, describeParts } from './check/check';
export type { CheckOptions } from './check/check';
export { sweepScenario, OPEN_ASSUMPTIONS } from './check/sweep';
export type { SweepResult, SweepRow, SweepOptions } from './check/sweep';
export { sweepMany } from './check/parallel';
export type { ParallelSweepOptions } from './check/parallel';
export { PROPERTY_NAMES } from './model/properties';
export type { PropertyName } from './model/properties';
export type { ScenarioInput, CheckResult, Cost, PropertyViolation, StrategyValue } from './check/result';
export type { Trace, TraceStep, Lane } from './model/trace';
export { LANES, LANE_TITLES } from './model/trace';
export { stepper } from './check/stepper';
export type { Stepper } from './check/stepper';
