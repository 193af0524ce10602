export { type PodTracker, type LBPolicy, randomChoice2Policy, firstAvailableLBPolicy, roundRobinPolicy, policyFor } from './lb-policy.js';
export { RevisionThrottler, assignSlice } from './throttler.js';
export { ConcurrencyReporter, type ActivatorStat, type StatSink } from './concurrency-reporter.js';
export { ActivatorPod, ACTIVATOR_PORT, ACTIVATOR_PROBE_PERIOD_MS, type RevisionInfo, type ActivatorEnvironment } from './activator.js';
