import { defineScenario } from '@knsim/scenarios';

// A scenario written in TypeScript: the same structure as scenario.yaml, checked by the compiler.
const rps: number = 10;

export default defineScenario({
  name: 'typed',
  description: 'a TypeScript scenario module',
  manifests: [{ file: 'hello.yaml' }],
  steps: [
    { load: { name: 'steady', url: 'http://hello.default.example.com/', rps, duration: '10s' } },
    { request: { name: 'one', url: 'http://hello.default.example.com/' } },
  ],
});
