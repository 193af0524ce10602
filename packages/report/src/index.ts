export { latencySummary, countBy, sortedRecord, round3, roundHops, readyAtEnd, type LatencySummary } from './stats.js';
export {
  makeSummary,
  stableStringify,
  formatSummary,
  sparkline,
  type SummaryJson,
  type SummaryStep,
  type RunRecord,
  type LoadRecord,
  type ResponseRecord,
  type RevisionRecord,
  type PodWatchLine,
} from './summary.js';
export { makeCurlOutput, formatCurl, type CurlOutput, type CurlResponse } from './curl.js';
export { evaluateChecks, unaccountedErrors, formatChecks, CheckSubjectError, type CheckInput, type CheckResult } from './checks.js';
export { renderReport, type ReportInput, type ReportRun, type ReportStep } from './html/report.js';
export { stepSeries, downsample, quantiles, histogram, binomialInterval, latencyOverTime, spans, type Point, type Bin } from './html/prepare.js';
export { esc } from './html/escape.js';
export { renderSweepReport, sweepFigures, keyFigures, figureLabel, axisSeries, meanText, seedsText, type SweepReportInput, type AxisSeries } from './html/sweep.js';
export type { SweepJson, SweepParameters, Aggregate } from './sweep.js';
export { toChromeTrace, CHROME_TRACE_SCHEMA, type ChromeTrace, type ChromeTraceEvent } from './chrome-trace.js';
export { narrateCurl } from './narrate.js';
export { explainRequest, indexTrace, type ExplainedRequest, type ExplainedHop, type TraceIndex } from './explain.js';
export { HeyStats, formatHey, heyCsvRow, heyJson, heyHistogram, heyLatencies, goFixed, goPrintfNoArgs, HEY_CSV_HEADER, HEY_MAX_RESULTS, HEY_PERCENTILES, type HeyResult, type HeyReport, type HeyJson } from './hey.js';
