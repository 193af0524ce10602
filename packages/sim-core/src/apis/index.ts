export * from './field-error.js';
export type * from './core/v1.js';
export type * from './networking/v1alpha1.js';
export * from './k8s-validation.js';
export * from './kmeta.js';
export * from './deep-copy.js';
export * from './manifest.js';
export * from './config/index.js';
export * from './serving/v1/index.js';
