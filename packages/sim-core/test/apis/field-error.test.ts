import { describe, expect, it } from 'vitest';
import { FieldError, errInvalidArrayValue, errMissingField } from '../../src/apis/field-error.js';

// Cases from knative.dev/pkg apis/field_error_test.go.
describe('FieldError', () => {
  it('flattens indexes onto the field before them', () => {
    expect(errMissingField('bar').viaIndex(0).viaField('foo').toString()).toBe('missing field(s): foo[0].bar');
    expect(errMissingField('bar').viaIndex(0).viaIndex(1).viaField('foo').toString()).toBe('missing field(s): foo[1][0].bar');
    expect(errInvalidArrayValue('x', 'tag', 2).viaField('spec.traffic').toString()).toBe('invalid value: x: spec.traffic.tag[2]');
  });

  it('merges equal messages, de-duplicating and sorting their paths', () => {
    const e = FieldError.all(errMissingField('b'), errMissingField('a'), errMissingField('b'), FieldError.of('another', ['z']));
    expect(e!.toString()).toBe('another: z\nmissing field(s): a, b');
  });

  it('orders by message, then details, then level (errors before warnings)', () => {
    const e = FieldError.all(FieldError.of('m', ['w'], '', 'warning'), FieldError.of('m', ['e'], ''), FieldError.of('m', ['d'], 'x'));
    expect(e!.merged().map((x) => `${x.level}:${x.paths.join(',')}`)).toEqual(['error:e', 'warning:w', 'error:d']);
  });

  it('filters by level and re-levels with at()', () => {
    const e = FieldError.all(errMissingField('a'), errMissingField('b').at('warning'))!;
    expect(e.filter('error')!.toString()).toBe('missing field(s): a');
    expect(e.filter('warning')!.toString()).toBe('missing field(s): b');
    expect(FieldError.all(undefined, null)).toBeUndefined();
  });

  it('prints details on the line after', () => {
    expect(FieldError.of('msg', ['p'], 'more').toString()).toBe('msg: p\nmore');
  });
});
