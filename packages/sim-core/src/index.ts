// The public API of @knsim/sim-core: one explicit list, checked by test/api/exports.test.ts
// against docs/api.md, so widening it is a deliberate act. Narrower audiences import the
// subpaths: `@knsim/sim-core/engine` (the kernel's internals too), `/autoscaler` (the KPA's
// pure decisions), `/apis` (Knative, Istio and Kubernetes objects, validation, ConfigMaps).

// The simulated cluster.
export { Cluster, type ClusterOptions, type ControlPlaneStats, type LoseNodeResult, type RestartResult, type RevisionView } from './cluster/cluster.js';
export type { ClientRequest, ClientResponse, ApplyResult, AppliedObject, ObjectRef, RevisionSample, Hop } from './cluster/types.js';
export type { ClientResolution } from './net/dns/cluster-dns.js';
export { startClosedLoop, timedOutResponse, ZERO_TIME_RESEND_MS, type StartClosedLoopOptions, type ClosedLoopHost } from './cluster/closed-loop.js';
export type { ClusterSnapshot } from './cluster/inspect.js';
export { dig, type DigResult, type DigQuery, type DigType, type DigSource } from './net/dns/dig.js';
export type { KObject } from './apis/core/v1.js';
export { UserInputError, ApplyError, NotFoundError, NotReadyError } from './apis/errors.js';
export { DEFAULT_LATENCIES, type LatencyOverrides } from './apis/config/latencies.js';
export { PER_REQUEST_CPU_MS, GATEWAY_CPU_LIMIT_CORES, ACTIVATOR_CPU_LIMIT_CORES } from './k8s/cpu.js';
export { APP_ANNOTATIONS, type UserHandler, type AppResult, type AppContext } from './app/behavior.js';
export type { HttpRequest, HttpResponse } from './net/http.js';

// The engine's public classes.
export { Environment, type EnvironmentOptions, type RunOptions } from './engine/environment.js';
export { Event } from './engine/event.js';
export { Process, type ProcessGenerator } from './engine/process.js';
export { Resource, type ResourceOptions } from './engine/resource.js';
export { Store } from './engine/store.js';
export { SimError, LivelockError, Interrupt } from './engine/errors.js';
export { RngStreams, type Rng } from './engine/rng.js';
export { parseDuration, formatDuration, DurationError } from './engine/duration.js';
export { parseDistribution, type Distribution } from './engine/distributions.js';

// The trace.
export { TraceBus, TraceRecorder, hashStrings } from './trace/bus.js';
export type { KnsimTraceEvent, KnsimTraceType } from './trace/events.js';

// The KPA's decision, for property tests of autoscaler settings.
export { Autoscaler, type AutoscalerSpec, type AutoscalerInit, type ScaleInput, type ScaleResult } from './autoscaler/autoscaler.js';
