// @knsim/sim-core/testing: the property-testing kit. One explicit list, snapshotted by
// test/testing/exports.test.ts and documented in docs/testing.md. Only this entry imports
// fast-check (a peer dependency); the package root never loads it.

// Plain data.
export type { RevisionTemplate, ServiceOptions, ConfigurationOptions, LoadPattern, Invalid, TrafficTarget } from './types.js';

// Arbitraries: valid by construction, shrinkable, the same value for the same seed.
export { percents, type PercentsOptions } from './arbitrary/percents.js';
export { trafficBlock, type TrafficBlockOptions } from './arbitrary/traffic-block.js';
export { serviceSpec, type ServiceSpecOptions } from './arbitrary/service-spec.js';
export { configurationSpec } from './arbitrary/configuration-spec.js';
export { autoscalingAnnotations, AUTOSCALING_ANNOTATION_KEYS, type AutoscalingAnnotationsOptions } from './arbitrary/autoscaling-annotations.js';
export { autoscalerConfig, type AutoscalerConfigOptions } from './arbitrary/autoscaler-config.js';
export { virtualService, type VirtualServiceOptions } from './arbitrary/virtual-service.js';
export { loadPattern, type LoadPatternOptions } from './arbitrary/load-pattern.js';
// Invalid ones, each paired with Knative's message.
export { invalidTraffic, type InvalidTrafficOptions } from './arbitrary/invalid-traffic.js';
export { invalidAutoscalingAnnotations } from './arbitrary/invalid-autoscaling-annotations.js';
export { invalidService } from './arbitrary/invalid-service.js';

// Builders.
export { service } from './builders/service.js';
export { configuration } from './builders/configuration.js';
export { toYaml } from './builders/to-yaml.js';
export { smallCluster, type SmallClusterOptions, type SmallCluster } from './builders/small-cluster.js';

// Drivers: each runs until its requests are answered and returns the responses as plain data;
// they move the clock with a livelock guard (a stuck clock fails, it does not hang).
export { sendN } from './drivers/send-n.js';
export { burst } from './drivers/burst.js';
export { openLoop, type OpenLoopOptions } from './drivers/open-loop.js';
export { closedLoop, type ClosedLoopOptions } from './drivers/closed-loop.js';
export { drive } from './drivers/drive.js';
export { advance } from './drivers/advance.js';
export { runUntilQuiet, type QuietOptions } from './drivers/run-until-quiet.js';

// Laws: each throws a LawViolation or returns what it measured.
export { LawViolation } from './laws/law-violation.js';
export { sameSeedSameTrace } from './laws/same-seed-same-trace.js';
export { conservation, type ConservationReport } from './laws/conservation.js';
export { splitConverges, type SplitTarget, type SplitReport } from './laws/split-converges.js';
export { scaleWithinBounds, type ScaleBoundsOptions } from './laws/scale-within-bounds.js';
export { servedByRoutable } from './laws/served-by-routable.js';
export { tieOrderIndependent } from './laws/tie-order-independent.js';

// Model-based testing.
export { clusterCommands, type ClusterCommandsOptions, type ClusterCommandKind } from './model/cluster-commands.js';
export { runClusterModel, type ClusterModelOptions } from './model/run-cluster-model.js';
export type { ClusterModel, ClusterUnderTest, ModelTarget } from './model/model.js';
