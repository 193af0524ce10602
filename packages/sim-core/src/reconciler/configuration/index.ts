export * from './revision.js';
export * from './latest-revision.js';
