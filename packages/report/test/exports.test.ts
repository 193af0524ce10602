import { expect, it } from 'vitest';
import * as report from '../src/index.js';

// The public surface, listed: a name added or dropped is a decision this test makes visible.
it('@knsim/report exports statistics, the summary and its checks, the curl output and narration, the HTML report and its data preparation, the sweep report and its, the Chrome trace, and the report of hey', () => {
  expect(Object.keys(report).sort()).toEqual([
    'CHROME_TRACE_SCHEMA', 'CheckSubjectError', 'binomialInterval', 'countBy', 'downsample', 'esc', 'evaluateChecks', 'explainRequest', 'formatChecks', 'formatCurl', 'formatSummary', 'histogram', 'indexTrace',
    'latencyOverTime', 'latencySummary', 'makeCurlOutput', 'makeSummary', 'narrateCurl', 'quantiles', 'readyAtEnd', 'renderReport', 'round3', 'roundHops', 'sortedRecord', 'sparkline', 'spans', 'stableStringify',
    'stepSeries', 'toChromeTrace', 'unaccountedErrors',
    'renderSweepReport', 'sweepFigures', 'keyFigures', 'figureLabel', 'axisSeries', 'meanText', 'seedsText',
    'HeyStats', 'formatHey', 'heyCsvRow', 'heyJson', 'heyHistogram', 'heyLatencies', 'goFixed', 'goPrintfNoArgs', 'HEY_CSV_HEADER', 'HEY_MAX_RESULTS', 'HEY_PERCENTILES',
  ].sort());
});
