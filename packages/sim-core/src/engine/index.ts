export { Environment, type EnvironmentOptions, type RunOptions } from './environment.js';
export { Event, URGENT, NORMAL, type Callback } from './event.js';
export { Process, type ProcessGenerator } from './process.js';
export { Resource, Request, type ResourceOptions } from './resource.js';
export { Store } from './store.js';
export { Deque } from './deque.js';
export { FifoDeadlines, type DeadlineEntry } from './fifo-deadlines.js';
export { EventQueue } from './queue.js';
export { SimError, LivelockError, Interrupt, QueueFullError, EmptySchedule } from './errors.js';
export { type Rng, type RngKind, RngStreams, mulberry32, alea, hashLabel } from './rng.js';
export { parseDuration, parseDurationNs, formatDuration, DurationError } from './duration.js';
export {
  type Distribution,
  constant,
  uniform,
  exponential,
  exponentialRate,
  normal,
  lognormal,
  empirical,
  standardNormal,
  parseDistribution,
  DistributionSpecError,
} from './distributions.js';
