import { join } from 'node:path';
import { BUILTIN_DIR } from '@knsim/scenarios';

/**
 * The behaviour that a refactor must not change (issue 9): every built-in scenario's
 * summary.json and `knsim curl --json` on the README's examples. Each case's output is kept
 * byte for byte in this folder; `npm run golden -w @knsim/cli` rewrites them, which is
 * only right when a change of behaviour is intended and said in the commit.
 */
const f = (scenario: string, file: string) => join(BUILTIN_DIR, scenario, file);

export const SCENARIOS = ['routing-across-services', 'life-of-a-request', 'gray-release', 'scale-from-zero', 'scale-to-zero', 'higress-plugins'];

export const CURLS: Record<string, string[]> = {
  'curl-routing-search': ['curl', '-f', f('routing-across-services', 'sample.yaml'), '-f', f('routing-across-services', 'routing.yaml'), '-H', 'Host: example.com', '--json', 'http://gateway/search'],
  'curl-gray-release-100': ['curl', '-f', f('gray-release', 'revision-v1.yaml'), '-f', f('gray-release', 'revision-v2.yaml'), '-n', '100', '--rps', '50', '--json', 'http://stock-service-example.default.example.com/'],
  'curl-from-pod': ['curl', '--from-pod', 'default', '-v', '-f', f('life-of-a-request', 'hello.yaml'), '--json', 'http://hello.default.svc.cluster.local/'],
  'curl-set-domain': ['curl', '--set', 'config-domain.foo.dev=', '--set', 'config-autoscaler.stable-window=30s', '-f', f('life-of-a-request', 'hello.yaml'), '--json', 'http://hello.default.foo.dev/'],
};
