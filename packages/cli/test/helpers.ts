import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../bin/knsim.js', import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real `knsim` binary (the built CLI), as a user would. */
export function knsim(args: string[], opts: { cwd?: string; input?: string } = {}): CliResult {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', cwd: opts.cwd, input: opts.input, timeout: 120_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** The hello Service behind a VirtualService on the public gateway that redirects /old to / (of hello.default.example.com). */
export const REDIRECT_VS = `apiVersion: networking.istio.io/v1alpha3
kind: VirtualService
metadata:
  name: moved
spec:
  gateways: [knative-serving/knative-ingress-gateway]
  hosts: [moved.example.com]
  http:
  - match: [{uri: {prefix: /old}}]
    redirect: {uri: /, authority: hello.default.example.com}
`;
