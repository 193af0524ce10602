export * from './field-error.js';
export type * from './core/v1.js';
export type * from './networking/v1alpha1.js';
