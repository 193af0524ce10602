/** DomainMapping: knative/serving pkg/apis/serving/v1beta1/domainmapping_validation.go. */
import { FieldError, errDisallowedFields, errGeneric, errMissingField } from '../../../field-error.js';
import { fullyQualifiedDomainNameError } from '../../../k8s-validation.js';
import type { DomainMapping } from '../types.js';
import type { ValidationContext } from './context.js';
import { type Meta, validateCreatorAndModifier } from './metadata.js';

/** The name is an FQDN outside the cluster domain; ref is a same-namespace KReference. */
export function validateDomainMapping(dm: DomainMapping, ctx: ValidationContext<DomainMapping>): FieldError | undefined {
  const meta = dm.metadata as Meta;
  let metaErrs: FieldError | undefined;
  if ((meta.generateName ?? '') !== '') metaErrs = errDisallowedFields('generateName');
  const name = meta.name ?? '';
  const fqdnErr = fullyQualifiedDomainNameError('name', name);
  if (fqdnErr) metaErrs = FieldError.all(metaErrs, errGeneric(`invalid name ${JSON.stringify(name)}: ${fqdnErr}`, 'name'));
  const clusterDomain = ctx.config.domain.clusterDomain;
  if (name.endsWith(`.${clusterDomain}`)) {
    metaErrs = FieldError.all(
      metaErrs,
      errGeneric(`invalid name ${JSON.stringify(name)}: must not be a subdomain of cluster local domain ${JSON.stringify(clusterDomain)}`, 'name'),
    );
  }
  if (ctx.old) {
    metaErrs = FieldError.all(metaErrs, validateCreatorAndModifier(ctx.old.spec, dm.spec, ctx.old.metadata.annotations, meta.annotations)?.viaField('annotations'));
  }
  const ref = dm.spec?.ref;
  let refErrs: FieldError | undefined;
  if (!ref) refErrs = FieldError.all(errMissingField('name'), errMissingField('apiVersion'), errMissingField('kind'));
  else {
    if (!ref.name) refErrs = FieldError.all(refErrs, errMissingField('name'));
    if (ref.group) refErrs = FieldError.all(refErrs, errDisallowedFields('group'));
    if (!ref.apiVersion) refErrs = FieldError.all(refErrs, errMissingField('apiVersion'));
    if (!ref.kind) refErrs = FieldError.all(refErrs, errMissingField('kind'));
    const parentNS = meta.namespace ?? '';
    if (ref.namespace && parentNS !== '' && ref.namespace !== parentNS) {
      refErrs = FieldError.all(
        refErrs,
        FieldError.of('mismatched namespaces', ['namespace'], `parent namespace: ${JSON.stringify(parentNS)} does not match ref: ${JSON.stringify(ref.namespace)}`),
      );
    }
  }
  return FieldError.all(metaErrs?.viaField('metadata'), refErrs?.viaField('spec.ref'));
}
