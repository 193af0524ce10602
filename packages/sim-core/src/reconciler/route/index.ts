export * from './domains.js';
export * from './traffic.js';
export * from './ingress.js';
