export { main } from './cli/main.js';
export { EXIT_OK, EXIT_FAILED, EXIT_USAGE, UserError } from './cli/errors.js';
export * from './run/index.js';
