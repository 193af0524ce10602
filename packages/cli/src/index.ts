export { main } from './main.js';
export { EXIT_OK, EXIT_FAILED, EXIT_USAGE, UserError } from './errors.js';
export {
  runMmc,
  erlangCMeanWait,
  heapBaseline,
  runStackBench,
  type MmcParams,
  type MmcResult,
  type StackBenchParams,
  type StackBenchResult,
} from './bench/index.js';
