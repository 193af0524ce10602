export * from './records.js';
export * from './external.js';
export * from './coredns.js';
export * from './cache.js';
export * from './resolver.js';
export * from './cluster-dns.js';
