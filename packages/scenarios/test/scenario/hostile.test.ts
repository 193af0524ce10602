import { describe, expect, it } from 'vitest';
import { parseScenario, runScenario, scenarioFiles, ScenarioError } from '../../src/core.js';

/** Issue 15: what a scenario file writes never reaches a prototype, and an alias bomb is a clear error. */
const HELLO = `apiVersion: serving.knative.dev/v1
kind: Service
metadata: {name: hello}
spec: {template: {spec: {containers: [{image: ghcr.io/knative/helloworld-go:latest}]}}}
`;
const scenario = (body: string) => `name: s\nmanifests: [{file: hello.yaml}]\n${body}`;
const files = scenarioFiles({ 'hello.yaml': HELLO });

const polluted = () => (({}) as Record<string, unknown>)['knsim.dev/response'] !== undefined;

describe('scenario keys never reach a prototype (issue 15, security)', () => {
  for (const key of ['__proto__', 'constructor', 'prototype']) {
    it(`cluster.config with a ConfigMap named ${key} is refused, naming it`, () => {
      const loaded = parseScenario(scenario(`cluster:\n  config:\n    ${key}: {knsim.dev/response: pwned}\nsteps: []\n`), 's.yaml', files);
      expect(() => runScenario(loaded)).toThrow(new RegExp(`unknown ConfigMap "${key}"`));
      expect(polluted()).toBe(false);
    });

    it(`cluster.latencies.${key} is an unknown latency`, () => {
      const loaded = parseScenario(scenario(`cluster:\n  latencies:\n    ${key}: "const(1ms)"\nsteps: []\n`), 's.yaml', files);
      expect(() => runScenario(loaded)).toThrow(new RegExp(`latencies\\.${key}: unknown latency`));
    });

    it(`a request header ${key} and a step named ${key} are ordinary`, () => {
      const loaded = parseScenario(scenario(`steps:\n  - request: {name: ${JSON.stringify(key)}, url: "http://hello.default.example.com/", headers: {${JSON.stringify(key)}: "v"}}\n`), 's.yaml', files);
      const r = runScenario(loaded);
      expect(r.requests.get(key)!.status).toBe(200);
      expect(polluted()).toBe(false);
      expect(() => parseScenario(scenario(`steps:\n  - ${key}: {}\n`), 's.yaml', files)).toThrow(new RegExp(`unknown step kind "${key}"`));
    });
  }

  it('an alias bomb is a ScenarioError naming the file', () => {
    const bomb = 'a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n';
    expect(() => parseScenario(`name: s\n${bomb}steps: []\n`, 's.yaml', files)).toThrow(ScenarioError);
    expect(() => parseScenario(`name: s\n${bomb}steps: []\n`, 's.yaml', files)).toThrow('s.yaml: invalid YAML: yaml: document contains excessive aliasing');
  });
});
