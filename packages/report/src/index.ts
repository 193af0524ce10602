export { latencySummary, countBy, sortedRecord, round3, roundHops, type LatencySummary } from './stats.js';
export {
  makeSummary,
  stableStringify,
  formatSummary,
  type SummaryJson,
  type RunRecord,
  type LoadRecord,
  type ResponseRecord,
  type RevisionRecord,
  type PodWatchLine,
} from './summary.js';
export { makeCurlOutput, formatCurl, type CurlOutput, type CurlResponse } from './curl.js';
export { evaluateChecks, unaccountedErrors, formatChecks, CheckSubjectError, type CheckInput, type CheckResult } from './checks.js';
