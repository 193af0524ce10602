export * from './v1alpha3.js';
export { compileRe2, re2FullMatch, type Re2Result } from './re2.js';
