export * from './istio-types.js';
export * from './routes.js';
export * from './netistio.js';
export * from './upstream.js';
export { validateVirtualService, validateGateway } from './validation.js';
