/**
 * flushlab: the public API that notebooks and users import by name (`import { … } from 'flushlab'`).
 * The rest sits behind subpaths: `flushlab/formats` (every bit layout), `flushlab/writer`
 * (per-format ops, KUnit fixtures), `flushlab/engine` (the generic search), `flushlab/model`
 * (the model's pieces). package.json `exports` and `typesVersions` name them.
 */
export { version } from './version';
// The standard transitions.
export { TRANSITIONS } from './model/transitions';
export type { Transition, TransitionName } from './model/transitions';
// The entry_sync hitless writer and its formats (ops and KUnit fixtures: flushlab/writer).
export { planEntryWrite, runEntryWrite, storeStates, checkEntry, diffQuanta } from './writer/writer';
export type {
  EntryFormat, QuantumStore, WriterStepKind, WriterStep, WriterRun, WriterVariant, WriterOptions, EntryCheck, QuantumDiff, StoreState,
} from './writer/writer';
export { vtdPasidFormat, smmuv3CdFormat, smmuv3SteFormat, WRITER_FORMATS } from './writer/formats';
// Bit-accurate formats, what a reader decodes and writes (every layout: flushlab/formats).
export { SpecError } from './formats/errors';
export { U64_MAX, hex, hex64 } from './formats/bits';
export { parseHexWords } from './formats/hex';
export {
  parseEntry, formatEntry, makePasidEntry, encodePasidEntry, decodePasidEntry, validatePasidEntry, pasidEntryUsedFields,
  PASID_ENTRY_LAYOUT,
} from './formats/pasidEntry';
export type { Pgtt, PasidEntryFields, EntryKind, EntryFieldLayout } from './formats/pasidEntry';
export { encodeDescriptor, decodeDescriptor, describeDescriptor, validateDescriptor } from './formats/descriptors';
export type { Descriptor, DescriptorType, DescriptorOf } from './formats/descriptors';
export { pasidEntryJson, descriptorJson } from './formats/json';
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
export { htmlTable, textTable, figureWithFolds, type Cell } from './present/notebookHtml';
export { explainSafe, replayAgainst, nearestWeaker, type Blocked } from './check/replay';
export { show, showSideBySide, showHtml, showSvg, showTable, showChart, render, progress, withProgress, useDisplay, checkMatrix, sweepWithProgress, LIVE_CELL_BUDGET } from './notebook/notebook';
export { Interrupted, requestInterrupt } from './notebook/interrupt';
export type { Side, Showable, ShowOptions, Rendering, Progress, ProgressOptions, DisplayLike, DisplayModule, MatrixRequest } from './notebook/notebook';
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
// The hardware model, the strategies, and the checks (engine: flushlab/engine; model internals: flushlab/model).
export { ASSUMPTIONS, ASSUMPTION_NAMES, PRESETS, resolveAssumptions, describeAssumptions, AssumptionError } from './model/assumptions';
export type { Assumption, AssumptionValue, Assumptions } from './model/assumptions';
export { STRATEGIES, strategyNames, getStrategy, validateStrategy, StrategyError } from './model/strategies';
export type { Strategy, Action, DescriptorTemplate, DidRef, Condition, PresenceChange } from './model/strategies';
export { buildModel, ScenarioError, DEFAULT_REQUESTS, DEFAULT_DMAS } from './model/build';
export type { Model, ModelOptions } from './model/build';
export { checkScenario, checkModel, describeParts } from './check/check';
export { usesStaleRun, usesStaleScenario, TRACE_KINDS, type TraceKind, type UsesStaleRun } from './check/usesStale';
// The second architecture (docs/model-smmuv3.md): checkScenario takes `arch: 'smmuv3'`.
export { SMMU_TRANSITIONS } from './model/smmuv3/transitions';
export type { SmmuTransitionName } from './model/smmuv3/transitions';
export { SMMU_STRATEGIES, getSmmuStrategy } from './model/smmuv3/strategies';
export type { SmmuStrategy, SmmuAction, CommandTemplate } from './model/smmuv3/strategies';
export { SMMU_ASSUMPTIONS, SHARED_LINK_ASSUMPTIONS } from './model/smmuv3/assumptions';
export { parseSmmuConfig, formatSmmuConfig } from './formats/smmuv3Config';
export type { Arch } from './model/build';
export type { CheckOptions } from './check/check';
export { sweepScenario, OPEN_ASSUMPTIONS } from './check/sweep';
export type { SweepResult, SweepRow, SweepOptions } from './check/sweep';
export { sweepMany } from './check/parallel';
export type { ParallelSweepOptions } from './check/parallel';
export { PROPERTY_NAMES } from './model/properties';
export type { PropertyName } from './model/properties';
export type { Verdict } from './engine/types';
export type { ScenarioInput, CheckResult, Cost, PropertyViolation, StrategyValue } from './check/result';
export type { Trace, TraceStep, Lane } from './model/trace';
export { LANES, LANE_TITLES } from './model/trace';
export { stepper } from './check/stepper';
export type { Stepper } from './check/stepper';
// The answer to the thread: the claim ledger and the reply (flushlab claims, flushlab reply).
export { CLAIMS, evaluateClaims, evaluateClaim, claimsJson, checkCommand, CheckCache } from './check/claims';
export type { ClaimDefinition, ClaimResult, ClaimCheck, Expectation as ClaimExpectation, ClaimOutcome, CheckAnswer } from './check/claims';
export { computeAnswer, ANSWER_WORKLOAD, ANSWER_PASIDS } from './check/answer';
export type { Answer, VerdictLine, StrategyTotal } from './check/answer';
export { claimLedgerText, claimLedgerHtml } from './present/claimLedger';
export { replyText, QUESTIONS, REPLY_MAX_LINES } from './present/reply';
export { strategyList } from './present/strategyList';
export { JASON_PREMISE, PREMISE_TRANSITIONS } from './model/premise';
export type { PremiseCase } from './model/premise';
