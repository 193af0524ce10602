export { runMmc, erlangCMeanWait, type MmcParams, type MmcResult } from './mmc.js';
export { heapBaseline } from './heap-baseline.js';
export { runStackBench, type StackBenchParams, type StackBenchResult } from './stack.js';
export { runPropertyBench, type PropertyBenchParams, type PropertyBenchResult } from './property.js';
export { runControlPlaneBench, controlPlaneServices, type ControlPlaneBenchParams, type ControlPlaneBenchResult } from './control-plane.js';
export { runSetupBench, type SetupBenchParams, type SetupBenchResult } from './setup.js';
