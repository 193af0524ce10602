export { Breaker, queueProxyBreakerParams, type BreakerParams } from './breaker.js';
export { RequestStats, type RequestStatsReport } from './stats.js';
export { QueueProxy, QUEUE_SERVING_PORT, textResponse, type QueueProxyConfig, type UserContainerPort, type UserWork } from './queue-proxy.js';
