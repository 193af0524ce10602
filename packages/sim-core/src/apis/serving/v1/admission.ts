import type { KObject } from '../../core/v1.js';
import type { FieldError } from '../../field-error.js';
import {
  setConfigurationDefaults,
  setDomainMappingDefaults,
  setRevisionDefaults,
  setRouteDefaults,
  setServiceDefaults,
  type DefaultsContext,
} from './defaults.js';
import type { Configuration, DomainMapping, Revision, Route, Service } from './types.js';
import {
  validateConfiguration,
  validateDomainMapping,
  validateRevision,
  validateRoute,
  validateService,
  type ValidationContext,
} from './validation.js';

export interface AdmissionResult<T extends KObject> {
  /** The defaulted object, as it would be stored. */
  object: T;
  /** Error-level diagnostics: the webhook denies the request with `String(error)`. */
  error?: FieldError;
  /** Warning-level diagnostics, surfaced like kubectl's `Warning:` lines. */
  warnings?: FieldError;
}

/**
 * The Serving webhook for one serving.knative.dev object: SetDefaults, then Validate
 * (knative.dev/pkg webhook/resourcesemantics defaulting + validation). Other kinds pass through.
 */
export function admitServingObject<T extends KObject>(obj: T, ctx: ValidationContext<T>): AdmissionResult<T> {
  const dctx: DefaultsContext = { config: ctx.config, ...(ctx.old !== undefined ? { old: ctx.old } : {}) };
  let object: KObject = obj;
  let result: FieldError | undefined;
  switch (obj.kind) {
    case 'Service':
      if (!obj.apiVersion.startsWith('serving.knative.dev/')) return { object: obj };
      object = setServiceDefaults(obj as unknown as Service, dctx);
      result = validateService(object as Service, ctx as unknown as ValidationContext<Service>);
      break;
    case 'Configuration':
      object = setConfigurationDefaults(obj as unknown as Configuration, dctx);
      result = validateConfiguration(object as Configuration, ctx as unknown as ValidationContext<Configuration>);
      break;
    case 'Route':
      object = setRouteDefaults(obj as unknown as Route, dctx);
      result = validateRoute(object as Route, ctx as unknown as ValidationContext<Route>);
      break;
    case 'Revision':
      object = setRevisionDefaults(obj as unknown as Revision, dctx);
      result = validateRevision(object as Revision, ctx as unknown as ValidationContext<Revision>);
      break;
    case 'DomainMapping':
      object = setDomainMappingDefaults(obj as unknown as DomainMapping, dctx);
      result = validateDomainMapping(object as DomainMapping, ctx as unknown as ValidationContext<DomainMapping>);
      break;
    default:
      return { object: obj };
  }
  const error = result?.filter('error');
  const warnings = result?.filter('warning');
  return { object: object as T, ...(error ? { error } : {}), ...(warnings ? { warnings } : {}) };
}
