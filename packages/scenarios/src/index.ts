export * from './run/index.js';
