export { main } from './main.js';
export { EXIT_OK, EXIT_FAILED, EXIT_USAGE, UserError } from './errors.js';
