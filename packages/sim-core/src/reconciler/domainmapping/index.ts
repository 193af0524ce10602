export * from './ingress.js';
