export * from './route/index.js';
export * from './configuration/index.js';
export * from './domainmapping/index.js';
