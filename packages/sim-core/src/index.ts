export * from './engine/index.js';
export * from './trace/index.js';
export * from './bench/index.js';
export * from './apis/index.js';
export { Cluster, type ClusterOptions, type EndpointView } from './cluster/cluster.js';
export { UserInputError, ApplyError, NotFoundError, NotReadyError } from './cluster/errors.js';
export type { ClientRequest, ClientResponse, ObjectRef, ApplyResult, AppliedObject, RevisionSample, Hop } from './cluster/types.js';
export { DEFAULT_LATENCIES, makeLatencyModel, type LatencyModel, type LatencyOverrides } from './cluster/latencies.js';
export type { RevisionRuntime } from './cluster/revision-runtime.js';
export { APP_ANNOTATIONS, type UserHandler, type AppResult, type AppContext } from './app/index.js';
export { HttpHeaders, type HttpRequest, type HttpResponse } from './net/http.js';
export {
  Autoscaler,
  type AutoscalerSpec,
  type AutoscalerInit,
  type ScaleInput,
  type ScaleResult,
} from './autoscaler/autoscaler.js';
export { TimedFloat64Buckets, WeightedFloat64Buckets } from './autoscaler/buckets.js';
export * as autoscaling from './autoscaler/index.js';
export * as gateway from './gateway/index.js';
export * as net from './net/index.js';
export * as istio from './apis/istio/index.js';
