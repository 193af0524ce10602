export type * from './v1alpha1.js';
export { validateWasmPlugin, pluginNameOf, SIMULATED_PLUGINS } from './validation.js';
