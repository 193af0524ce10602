import { forwardedFor, HttpRequestMessage, REVISION_HEADERS, type HttpRequest } from '../net/http.js';

/** `for=` node of a Forwarded element: an IPv6 address in quotes and brackets (pkg/queue/forwarded_shim.go writeNode). */
function node(n: string): string {
  return n.indexOf(':') < 0 ? n : `"[${n}]"`;
}

/**
 * The Forwarded header queue-proxy's ForwardedShimHandler builds from X-Forwarded-* when a request
 * has none (pkg/queue/forwarded_shim.go generateForwarded): `for=<first>;host=<xfh>;proto=<xfp>`,
 * then `, for=<next>` for each further X-Forwarded-For node; undefined when there is nothing to shim.
 */
export function forwardedShim(xff: string | undefined, xfp: string | undefined, xfh: string | undefined): string | undefined {
  if (!xff && !xfp && !xfh) return undefined;
  // One scan of X-Forwarded-For, no intermediate arrays: this runs on every request.
  let out = '';
  let start = 0;
  let first = true;
  const list = xff ?? '';
  while (xff) {
    const comma = list.indexOf(',', start);
    const n = list.slice(start, comma < 0 ? list.length : comma).trim();
    if (first) {
      out = `for=${node(n)}`;
      if (xfh) out += `;host=${xfh}`;
      if (xfp) out += `;proto=${xfp}`;
      first = false;
    } else out += `, for=${node(n)}`;
    if (comma < 0) break;
    start = comma + 1;
  }
  if (first) out = xfh ? (xfp ? `host=${xfh};proto=${xfp}` : `host=${xfh}`) : `proto=${xfp}`;
  return out;
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
  if (req.remoteAddr) lines.push('X-Forwarded-For', 'x-forwarded-for', forwardedFor(h, req.remoteAddr)!);
  const headers = h.cloneEditing(lines, REVISION_HEADERS);
  return new HttpRequestMessage(req.method, req.scheme, req.authority, req.path, headers, req.body, '127.0.0.1');
}
