import { describe, expect, it } from 'vitest';
import { parseScenario, runScenario, scenarioFiles, ScenarioError } from '../src/core.js';

// That nothing the core loads is a node: module is one of the architecture test's rules.
describe('@knsim/scenarios/core', () => {
  it('parses and runs a scenario given as text, its files given by name', () => {
    const hello = 'apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata: {name: hello}\nspec:\n  template:\n    spec:\n      containers: [{image: ghcr.io/knative/helloworld-go:latest}]\n';
    const text = 'name: t\nmanifests: [{file: hello.yaml}]\nsteps:\n  - request: { name: r, url: "http://hello.default.example.com/" }\n';
    const r = runScenario(parseScenario(text, 'in-browser.yaml', scenarioFiles({ 'hello.yaml': hello })));
    expect(r.requests.get('r')!.status).toBe(200);
  });

  it('names a file it was not given as a mistake, like a missing file on disk', () => {
    expect(() => parseScenario('name: t\nmanifests: [{file: hello.yaml}]\n', 'in-browser.yaml')).toThrow(
      new ScenarioError('in-browser.yaml: manifests[0].file: file "hello.yaml" does not exist (looked for hello.yaml among the files given)'),
    );
  });
});
