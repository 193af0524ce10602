export { main } from './main.js';
export { EXIT_OK, EXIT_FAILED, EXIT_USAGE, UserError } from './errors.js';
export {
  runMmc,
  erlangCMeanWait,
  heapBaseline,
  runStackBench,
  runPropertyBench,
  type MmcParams,
  type MmcResult,
  type StackBenchParams,
  type StackBenchResult,
  type PropertyBenchParams,
  type PropertyBenchResult,
} from './bench/index.js';
