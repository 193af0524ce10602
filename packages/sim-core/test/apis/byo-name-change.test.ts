import { describe, expect, it } from 'vitest';
import { Cluster } from '../../src/index.js';

/**
 * A template changed without changing its bring-your-own revision name is rejected
 * (revision_validation.go VerifyNameChange, with knative.dev/pkg kmp.ShortDiff's
 * ShortDiffReporter format), and the message lists what differs from the stored template.
 */
const service = (image: string, extra = '') => `apiVersion: serving.knative.dev/v1
kind: Service
metadata: {name: app}
spec:
  template:
    metadata: {name: app-v1}
    spec:
      containers:
        - image: ${image}
${extra}`;

function rejection(first: string, second: string): string {
  const c = new Cluster({ seed: 1 });
  c.apply(first);
  c.waitForReady();
  try {
    c.apply(second);
  } catch (e) {
    return (e as Error).message.replace(/^.*validation failed: /s, '');
  }
  throw new Error('the change was accepted');
}

describe('a template changed without a new BYO revision name', () => {
  // What `kubectl get ksvc -o yaml`, edited and applied, sends (knative/client#994): the
  // server's defaults are in the file, so the message shows only the user's change, exactly as
  // TestServiceValidation's "bad byo name change" case in service_validation_test.go.
  it("a manifest that carries the server's defaults: only the user's change", () => {
    const defaulted = (image: string) =>
      service(image, `          name: user-container\n          readinessProbe:\n            successThreshold: 1\n            tcpSocket: {port: 0}\n          resources: {}\n`);
    expect(rejection(defaulted('example.com/app:v1'), defaulted('example.com/app:v2'))).toBe(
      'Saw the following changes without a name change (-old +new): spec.template.metadata.name\n' +
        '{*v1.RevisionTemplateSpec}.Spec.PodSpec.Containers[0].Image:\n\t-: "example.com/app:v1"\n\t+: "example.com/app:v2"\n',
    );
  });

  // configuration_defaults.go skips defaulting a template whose BYO name is unchanged, and
  // `kubectl apply` of a custom resource replaces the containers list (a JSON merge patch), so
  // the fields the server defaulted are missing from the new template: Go sees their zero values
  // (ShortDiffReporter prints both sides of a struct field), and the readiness probe's
  // successThreshold 0 fails validateReadinessProbe (k8s_validation.go). Empty maps, which Go
  // never stores (omitempty), are not a difference.
  it('a plain manifest: the image, and the defaults the skipped defaulting leaves out, as Go zero values', () => {
    const probe = '          readinessProbe: {httpGet: {path: /}}\n';
    const msg = rejection(service('example.com/app:v1', probe), service('example.com/app:v2', probe));
    expect(msg).toContain('{*v1.RevisionTemplateSpec}.Spec.PodSpec.Containers[0].Name:\n\t-: "user-container"\n\t+: ""\n');
    expect(msg).toContain('{*v1.RevisionTemplateSpec}.Spec.PodSpec.Containers[0].ReadinessProbe.SuccessThreshold:\n\t-: "1"\n\t+: "0"\n');
    expect(msg).not.toContain('Resources');
    expect(msg).toContain('expected 1 <= 0 <= 2147483647: spec.template.spec.containers[0].readinessProbe.successThreshold');
  });
});
