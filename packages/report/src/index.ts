export { latencySummary, countBy, sortedRecord, round3, roundHops, type LatencySummary } from './stats.js';
