import { expect, it } from 'vitest';
import * as report from '../src/index.js';

// The public surface, listed: a name added or dropped is a decision this test makes visible.
it('@knsim/report exports statistics, the summary and its checks, and the curl output', () => {
  expect(Object.keys(report).sort()).toEqual(['CheckSubjectError', 'countBy', 'evaluateChecks', 'formatChecks', 'formatCurl', 'formatSummary', 'latencySummary', 'makeCurlOutput', 'makeSummary', 'round3', 'roundHops', 'sortedRecord', 'stableStringify', 'unaccountedErrors']);
});
