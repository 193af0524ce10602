import type { HTTPRedirect } from '../../apis/istio/v1alpha3.js';
import { hostWithoutPort, portOf, splitPath, type HttpRequest, type HttpResponse } from '../http.js';
import { localReply } from './local-reply.js';

/**
 * A route's redirect, answered by Envoy itself (envoy source/common/router/config_impl.cc
 * RouteEntryImplBase::newUri, for the redirect action istio/istio
 * pilot/pkg/networking/core/route/route.go translateRedirect emits): the Location is the
 * request's URL with the redirect's scheme, authority, port and path put in.
 */
export function redirectResponse(rd: HTTPRedirect, req: HttpRequest): HttpResponse {
  const { path, query } = splitPath(req.path);
  const scheme = rd.scheme ?? req.scheme;
  const host = rd.authority ?? hostWithoutPort(req.authority);
  const reqPort = portOf(req.authority);
  let port: number | undefined;
  if (rd.port !== undefined) port = rd.port;
  else if (rd.derivePort === 'FROM_REQUEST_PORT') port = reqPort;
  else if (rd.derivePort === 'FROM_PROTOCOL_DEFAULT') port = undefined;
  else if (rd.authority === undefined) port = reqPort;
  // Default ports are not written: :80 for http, :443 for https.
  if ((scheme === 'http' && port === 80) || (scheme === 'https' && port === 443)) port = undefined;
  if (scheme !== req.scheme && port === (req.scheme === 'http' ? 80 : 443)) port = undefined;
  let newPath = path;
  let newQuery = query;
  if (rd.uri !== undefined) {
    const q = rd.uri.indexOf('?');
    newPath = q < 0 ? rd.uri : rd.uri.slice(0, q);
    if (q >= 0) newQuery = rd.uri.slice(q + 1);
  }
  const location = `${scheme}://${host}${port !== undefined ? `:${port}` : ''}${newPath}${newQuery !== '' ? `?${newQuery}` : ''}`;
  return localReply(rd.redirectCode ?? 301, undefined, '', { location });
}
