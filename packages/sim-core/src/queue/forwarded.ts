import { HttpRequestMessage, type HttpRequest } from '../net/http.js';

/** The headers the ingress sets to name the revision; queue-proxy prunes them (activator.RevisionHeaders). */
const REVISION_HEADERS = ['knative-serving-revision', 'knative-serving-namespace'];

/** `for=` node of a Forwarded element: an IPv6 address in quotes and brackets (pkg/queue/forwarded_shim.go writeNode). */
function node(n: string): string {
  return n.includes(':') ? `"[${n}]"` : n;
}

/**
 * The Forwarded header queue-proxy's ForwardedShimHandler builds from X-Forwarded-* when a request
 * has none (pkg/queue/forwarded_shim.go generateForwarded): `for=<first>;host=<xfh>;proto=<xfp>`,
 * then `, for=<next>` for each further X-Forwarded-For node; undefined when there is nothing to shim.
 */
export function forwardedShim(xff: string | undefined, xfp: string | undefined, xfh: string | undefined): string | undefined {
  if (!xff && !xfp && !xfh) return undefined;
  const nodes = (xff ?? '').split(',').map((s) => s.trim());
  const first: string[] = [];
  if (xff) first.push(`for=${node(nodes[0]!)}`);
  if (xfh) first.push(`host=${xfh}`);
  if (xfp) first.push(`proto=${xfp}`);
  return [first.join(';'), ...(xff ? nodes.slice(1).map((n) => `for=${node(n)}`) : [])].join(', ');
}

/**
 * The request the user container receives from queue-proxy's reverse proxy
 * (pkg/queue/sharedmain/handlers.go): the Forwarded shim applied, the revision headers pruned
 * (NewHeaderPruningReverseProxy), and queue-proxy's peer appended to X-Forwarded-For
 * (httputil.ReverseProxy); queue-proxy itself, on localhost, is the container's peer.
 */
export function toUserContainer(req: HttpRequest): HttpRequest {
  const h = req.headers;
  const lines: string[] = [];
  if (h.getLower('forwarded') === undefined) {
    const fwd = forwardedShim(h.getLower('x-forwarded-for'), h.getLower('x-forwarded-proto'), h.getLower('x-forwarded-host'));
    if (fwd !== undefined) lines.push('Forwarded', 'forwarded', fwd);
  }
  if (req.remoteAddr) {
    const prior = h.getLower('x-forwarded-for');
    lines.push('X-Forwarded-For', 'x-forwarded-for', prior === undefined ? req.remoteAddr : `${prior}, ${req.remoteAddr}`);
  }
  const headers = h.cloneSetting(lines);
  for (const r of REVISION_HEADERS) headers.removeLower(r);
  return new HttpRequestMessage(req.method, req.scheme, req.authority, req.path, headers, req.body, '127.0.0.1');
}
