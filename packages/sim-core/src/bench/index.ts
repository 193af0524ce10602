export { runMmc, erlangCMeanWait, type MmcParams, type MmcResult } from './mmc.js';
export { heapBaseline } from './heap-baseline.js';
