import type { AppResult, BehaviorDefaults, ImageBehavior } from './behavior.js';
import { autoscaleImageFor } from './autoscale-image.js';

/** Frozen, so every response can share one set of headers built from it. */
export const TEXT_PLAIN_HEADERS: Readonly<Record<string, string>> = Object.freeze({ 'content-type': 'text/plain; charset=utf-8' });

const text = (body: string, status = 200): AppResult => ({ status, body, headers: TEXT_PLAIN_HEADERS });

/** A request target without its query. */
export function pathOnly(target: string): string {
  const q = target.indexOf('?');
  return q < 0 ? target : target.slice(0, q);
}

/**
 * The well-known sample images, answering as the real programs do:
 * - helloworld-go (knative/docs code-samples/serving/hello-world/helloworld-go):
 *   `Hello ${TARGET}!` with TARGET defaulting to "World".
 * - knative-routing-go (code-samples/serving/knative-routing-go): every path answers
 *   `${SERVICE_NAME} is called !`, SERVICE_NAME defaulting to "NOT SPECIFIED".
 * - rest-api-go (the gray-release seed's knative-sample/rest-api-go): Go 1.12's ServeMux with
 *   handlers for "/", "/${RESOURCE}" and the literal "/${RESOURCE}/{stockId}" (that ServeMux has
 *   no wildcards, so only that exact path reaches StockPrice, whose upstream call cannot succeed
 *   in a closed cluster); every other path falls to "/" (Index).
 */
export function sampleAppFor(repo: string, d: BehaviorDefaults): ImageBehavior | undefined {
  switch (repo) {
    case 'helloworld-go':
      return {
        name: repo,
        ...d,
        errorRate: 0,
        respond: (_req, ctx) => text(`Hello ${ctx.env.TARGET || 'World'}!\n`),
      };
    case 'knative-routing-go':
      return {
        name: repo,
        ...d,
        errorRate: 0,
        respond: (_req, ctx) => text(`${ctx.env.SERVICE_NAME || 'NOT SPECIFIED'} is called !\n`),
      };
    case 'rest-api-go':
      return {
        name: repo,
        ...d,
        errorRate: 0,
        respond: (req, ctx) => {
          const resource = ctx.env.RESOURCE || 'NOT SPECIFIED';
          const p = pathOnly(req.path);
          if (p === `/${resource}`) return text(`${resource} ticker not found!, require /${resource}/{ticker}\n`);
          if (p === `/${resource}/{stockId}`) {
            const m = /[?&]stockId=([^&]*)/.exec(req.path);
            return text(`${resource} not found for ticker : ${m ? decodeURIComponent(m[1]!) : ''}\n`);
          }
          return text(`Welcome to the ${resource} app!\n`);
        },
      };
    default:
      return autoscaleImageFor(repo, d);
  }
}
