export * from './engine/index.js';
export * from './trace/index.js';
export * from './bench/index.js';
