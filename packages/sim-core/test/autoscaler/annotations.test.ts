import { describe, expect, it } from 'vitest';
import {
  ACTIVATION_SCALE_KEY as ACT,
  CLASS_ANNOTATION_KEY as CLASS,
  INITIAL_SCALE_ANNOTATION_KEY as INIT,
  MAX_SCALE_ANNOTATION_KEY as MAX,
  METRIC_AGGREGATION_ALGORITHM_KEY as ALGO,
  METRIC_ANNOTATION_KEY as METRIC,
  MIN_SCALE_ANNOTATION_KEY as MIN,
  PANIC_THRESHOLD_PERCENTAGE_ANNOTATION_KEY as PTP,
  PANIC_WINDOW_PERCENTAGE_ANNOTATION_KEY as PWP,
  SCALE_DOWN_DELAY_ANNOTATION_KEY as SDD,
  SCALE_TO_ZERO_POD_RETENTION_PERIOD_KEY as RET,
  TARGET_ANNOTATION_KEY as TARGET,
  TARGET_BURST_CAPACITY_KEY as TBC,
  TARGET_UTILIZATION_PERCENTAGE_KEY as TU,
  WINDOW_ANNOTATION_KEY as WINDOW,
  getMaxScale,
  getMetric,
  getMetricAggregationAlgorithm,
  getMinScale,
  getTargetUtilization,
  getWindowMs,
  validateAutoscalingAnnotations,
} from '../../src/autoscaler/annotations.js';
import { DEFAULT_AUTOSCALER_CONFIG, HPA_CLASS as HPA, KPA_CLASS as KPA, type AutoscalerConfig } from '../../src/autoscaler/config.js';

// knative/serving pkg/apis/autoscaling/annotation_validation_test.go TestValidateAnnotations.
// Its config: allow-zero-initial-scale false, max-scale-limit 0, class KPA (Knative's defaults).
type Case = { name: string; annotations?: Record<string, string>; expectErr?: string; config?: Partial<AutoscalerConfig> };
const cases: Case[] = [
  { name: 'nil annotations' },
  { name: 'empty annotations', annotations: {} },
  { name: 'invalid class', annotations: { [CLASS]: 'unsupported.knative.dev' }, expectErr: `invalid value: unsupported.knative.dev: ${CLASS}` },
  { name: 'non-knative.dev domain class', annotations: { [CLASS]: 'some.other.domain' } },
  { name: 'minScale is 0', annotations: { [MIN]: '0' } },
  { name: 'maxScale is 0', annotations: { [MAX]: '0' } },
  { name: 'minScale is -1', annotations: { [MIN]: '-1' }, expectErr: `expected 0 <= -1 <= 2147483647: ${MIN}` },
  { name: 'maxScale is huuuuuuuge', annotations: { [MAX]: '2147483648' }, expectErr: `expected 0 <= 2147483648 <= 2147483647: ${MAX}` },
  { name: 'maxScale is -1', annotations: { [MAX]: '-1' }, expectErr: `expected 0 <= -1 <= 2147483647: ${MAX}` },
  { name: 'minScale is foo', annotations: { [MIN]: 'foo' }, expectErr: `invalid value: foo: ${MIN}` },
  { name: 'maxScale is bar', annotations: { [MAX]: 'bar' }, expectErr: `invalid value: bar: ${MAX}` },
  { name: 'max/minScale is bar', annotations: { [MAX]: 'bar', [MIN]: 'bar' }, expectErr: `invalid value: bar: ${MAX}, ${MIN}` },
  { name: 'minScale is 5', annotations: { [MIN]: '5' } },
  { name: 'maxScale is 2', annotations: { [MAX]: '2' } },
  { name: 'minScale is 2, maxScale is 5', annotations: { [MIN]: '2', [MAX]: '5' } },
  { name: 'minScale is 5, maxScale is 2', annotations: { [MIN]: '5', [MAX]: '2' }, expectErr: `max-scale=2 is less than min-scale=5: ${MAX}, ${MIN}` },
  { name: 'minScale is 0, maxScale is 0', annotations: { [MIN]: '0', [MAX]: '0' } },
  {
    name: 'maxScale is greater than MaxScaleLimit when in create',
    config: { maxScaleLimit: 10 },
    annotations: { [MAX]: '11' },
    expectErr: `expected 1 <= 11 <= 10: ${MAX}`,
  },
  {
    name: 'maxScale is greater than MaxScaleLimit when in create and default MaxScale is set',
    config: { maxScaleLimit: 10, maxScale: 11 },
    annotations: { [MAX]: '20' },
    expectErr: `expected 1 <= 20 <= 10: ${MAX}`,
  },
  {
    name: 'maxScale is explicitly set to 0 when MaxScaleLimit and default MaxScale are set',
    config: { maxScaleLimit: 10, maxScale: 1 },
    annotations: { [MAX]: '0' },
    expectErr: `max-scale=0 (unlimited), must be less than 10: ${MAX}`,
  },
  { name: 'maxScale is not set when both MaxScaleLimit and default MaxScale are set', config: { maxScaleLimit: 10, maxScale: 11 } },
  { name: 'maxScale is less than MaxScaleLimit', config: { maxScaleLimit: 10 }, annotations: { [MAX]: '9' } },
  { name: 'min-scale, activation-scale, max-scale all set appropriately', annotations: { [MIN]: '1', [ACT]: '2', [MAX]: '3' } },
  { name: 'min-scale is greater than activation-scale', annotations: { [MIN]: '3', [ACT]: '2' }, expectErr: `min-scale=3 is greater than activation-scale=2: ${ACT}` },
  { name: 'max-scale is less than activation-scale', annotations: { [MAX]: '1', [ACT]: '2' }, expectErr: `max-scale=1 is less than activation-scale=2: ${ACT}` },
  { name: 'valid algorithm on KPA', annotations: { [ALGO]: 'linear', [CLASS]: KPA } },
  { name: 'empty algorithm', annotations: { [ALGO]: '', [CLASS]: KPA } },
  { name: 'random algorithm on KPA', annotations: { [ALGO]: 'random-selection', [CLASS]: KPA }, expectErr: `invalid value: random-selection: ${ALGO}` },
  { name: 'random algorithm on non KPA', annotations: { [ALGO]: 'random-selection', [CLASS]: 'of-keys' } },
  { name: 'panic window percentage bad', annotations: { [PWP]: '-1' }, expectErr: `expected 1 <= -1 <= 100: ${PWP}` },
  { name: 'panic window percentage bad2', annotations: { [PWP]: '202' }, expectErr: `expected 1 <= 202 <= 100: ${PWP}` },
  { name: 'panic window percentage bad3', annotations: { [PWP]: 'fifty' }, expectErr: `invalid value: fifty: ${PWP}` },
  { name: 'panic window percentage good', annotations: { [PTP]: '210' } },
  { name: 'panic threshold percentage bad2', annotations: { [PTP]: '109' }, expectErr: `expected 110 <= 109 <= 1000: ${PTP}` },
  { name: 'panic threshold percentage bad2.5', annotations: { [PTP]: '10009' }, expectErr: `expected 110 <= 10009 <= 1000: ${PTP}` },
  { name: 'panic threshold percentage bad3', annotations: { [PTP]: 'fifty' }, expectErr: `invalid value: fifty: ${PTP}` },
  { name: 'target negative', annotations: { [TARGET]: '-11' }, expectErr: `target -11 should be at least 0.01: ${TARGET}` },
  { name: 'target 0', annotations: { [TARGET]: '0' }, expectErr: `target 0 should be at least 0.01: ${TARGET}` },
  { name: '(unnamed empty case)' },
  { name: 'invalid target', annotations: { [TARGET]: '100}' }, expectErr: `invalid value: 100}: ${TARGET}` },
  { name: 'target okay', annotations: { [TARGET]: '11' } },
  { name: 'TBC negative', annotations: { [TBC]: '-11' }, expectErr: `invalid value: -11: ${TBC}` },
  { name: 'TBC 0', annotations: { [TBC]: '0' } },
  { name: 'TBC 19880709', annotations: { [TBC]: '19870709' } },
  { name: 'TBC -1', annotations: { [TBC]: '-1' } },
  { name: 'TBC invalid', annotations: { [TBC]: 'qarashen' }, expectErr: `invalid value: qarashen: ${TBC}` },
  { name: 'TU too small', annotations: { [TU]: '0' }, expectErr: `expected 1 <= 0 <= 100: ${TU}` },
  { name: 'TU too big', annotations: { [TU]: '101' }, expectErr: `expected 1 <= 101 <= 100: ${TU}` },
  { name: 'TU invalid', annotations: { [TU]: 'dghyak' }, expectErr: `invalid value: dghyak: ${TU}` },
  { name: 'window invalid', annotations: { [WINDOW]: 'jerry-was-a-racecar-driver' }, expectErr: `invalid value: jerry-was-a-racecar-driver: ${WINDOW}` },
  { name: 'window too short', annotations: { [WINDOW]: '1s' }, expectErr: `expected 6s <= 1s <= 1h0m0s: ${WINDOW}` },
  { name: 'window too long', annotations: { [WINDOW]: '365h' }, expectErr: `expected 6s <= 365h <= 1h0m0s: ${WINDOW}` },
  { name: 'window too precise', annotations: { [WINDOW]: '1m9s82ms' }, expectErr: `must be specified with at most second precision: ${WINDOW}` },
  { name: 'annotation /window is valid for class KPA', annotations: { [WINDOW]: '7s', [CLASS]: KPA } },
  { name: 'annotation /window is valid for other than HPA and KPA class', annotations: { [WINDOW]: '7s', [CLASS]: 'test' } },
  { name: 'value too long and valid class for /window annotation', annotations: { [WINDOW]: '365h', [CLASS]: KPA }, expectErr: `expected 6s <= 365h <= 1h0m0s: ${WINDOW}` },
  {
    name: 'invalid format and valid class for /window annotation',
    annotations: { [WINDOW]: 'jerry-was-a-racecar-driver', [CLASS]: KPA },
    expectErr: `invalid value: jerry-was-a-racecar-driver: ${WINDOW}`,
  },
  { name: 'valid 0 last pod scaledown timeout', annotations: { [RET]: '0' } },
  { name: 'valid positive last pod scaledown timeout', annotations: { [RET]: '21m31s' } },
  { name: 'invalid positive last pod scaledown timeout', annotations: { [RET]: '311m' }, expectErr: `expected 0s <= 311m <= 1h0m0s: ${RET}` },
  { name: 'invalid negative last pod scaledown timeout', annotations: { [RET]: '-42s' }, expectErr: `expected 0s <= -42s <= 1h0m0s: ${RET}` },
  {
    name: 'invalid last pod scaledown timeout',
    annotations: { [RET]: 'twenty-two-minutes-and-five-seconds' },
    expectErr: `invalid value: twenty-two-minutes-and-five-seconds: ${RET}`,
  },
  { name: 'valid 0 scale down delay', annotations: { [SDD]: '0' } },
  { name: 'valid positive scale down delay', annotations: { [SDD]: '21m31s' } },
  { name: 'invalid positive scale down delay', annotations: { [SDD]: '311m' }, expectErr: `expected 0s <= 311m <= 1h0m0s: ${SDD}` },
  { name: 'invalid positive scale down delay - too precise', annotations: { [SDD]: '42.5s' }, expectErr: `must be specified with at most second precision: ${SDD}` },
  { name: 'invalid negative scale down delay', annotations: { [SDD]: '-42s' }, expectErr: `expected 0s <= -42s <= 1h0m0s: ${SDD}` },
  {
    name: 'invalid scale down delay',
    annotations: { [SDD]: 'twenty-two-minutes-and-five-seconds' },
    expectErr: `invalid value: twenty-two-minutes-and-five-seconds: ${SDD}`,
  },
  {
    name: 'all together now fail',
    annotations: { [PTP]: 'fifty', [PWP]: '-11', [MIN]: '-4', [MAX]: 'never' },
    expectErr: `expected 0 <= -4 <= 2147483647: ${MIN}\nexpected 1 <= -11 <= 100: ${PWP}\ninvalid value: fifty: ${PTP}\ninvalid value: never: ${MAX}`,
  },
  { name: 'all together now, succeed', annotations: { [PTP]: '125', [PWP]: '75', [MIN]: '5', [MAX]: '8', [WINDOW]: '1984s' } },
  { name: 'invalid metric for default class(KPA)', annotations: { [METRIC]: 'cpu' }, expectErr: `invalid value: cpu: ${METRIC}` },
  { name: 'invalid metric for HPA class', annotations: { [METRIC]: '', [CLASS]: HPA }, expectErr: `invalid value: : ${METRIC}` },
  { name: 'valid class KPA with metric RPS', annotations: { [METRIC]: 'rps' } },
  { name: 'valid class KPA with metric Concurrency', annotations: { [METRIC]: 'concurrency' } },
  { name: 'valid class HPA with metric CPU', annotations: { [CLASS]: HPA, [METRIC]: 'cpu' } },
  { name: 'other than HPA and KPA class', annotations: { [CLASS]: 'other', [METRIC]: 'rps' } },
  { name: 'initial scale is zero but cluster doesn\'t allow', annotations: { [INIT]: '0' }, expectErr: `invalid value: 0: ${INIT}=0 not allowed by cluster` },
  { name: 'valid global class HPA with metric CPU', annotations: { [METRIC]: 'cpu' }, config: { podAutoscalerClass: HPA } },
  { name: 'initial scale is zero and cluster allows', config: { allowZeroInitialScale: true }, annotations: { [INIT]: '0' } },
  { name: 'initial scale is greater than 0', annotations: { [INIT]: '2' } },
  { name: 'initial scale is less than 0', annotations: { [INIT]: '-1' }, expectErr: `invalid value: -1: ${INIT} must be greater than 0` },
  { name: 'initial scale non-parseable', annotations: { [INIT]: 'invalid' }, expectErr: 'invalid value: invalid: autoscaling.knative.dev/initial-scale' },
];

describe('validateAutoscalingAnnotations (TestValidateAnnotations)', () => {
  for (const c of cases) {
    it(c.name, () => {
      const config = { ...DEFAULT_AUTOSCALER_CONFIG, ...c.config };
      expect(validateAutoscalingAnnotations(c.annotations, config)?.toString() ?? '').toBe(c.expectErr ?? '');
    });
  }

  it('legacy camelCase keys are validated under their own name, and the canonical key wins', () => {
    const legacy = 'autoscaling.knative.dev/minScale';
    expect(validateAutoscalingAnnotations({ [legacy]: '-2' }, DEFAULT_AUTOSCALER_CONFIG)?.toString()).toBe(`expected 0 <= -2 <= 2147483647: ${legacy}`);
    expect(validateAutoscalingAnnotations({ [MIN]: '1', [legacy]: 'junk' }, DEFAULT_AUTOSCALER_CONFIG)).toBeUndefined();
    expect(getMinScale({ [legacy]: '3' })).toBe(3);
    expect(getMinScale({ [MIN]: '1', [legacy]: '3' })).toBe(1);
  });

  it('prints under metadata.annotations once the caller adds the path', () => {
    const err = validateAutoscalingAnnotations({ [MIN]: 'x' }, DEFAULT_AUTOSCALER_CONFIG)!.viaField('metadata.annotations');
    expect(err.toString()).toBe(`invalid value: x: metadata.annotations.${MIN}`);
  });
});

describe('annotation getters (pa_lifecycle.go)', () => {
  it('read typed values, undefined when absent or unparsable', () => {
    expect(getMaxScale({ [MAX]: '7' })).toBe(7);
    expect(getMaxScale({ [MAX]: '2147483648' })).toBeUndefined();
    expect(getMaxScale({})).toBeUndefined();
    expect(getTargetUtilization({ [TU]: '85' })).toBe(0.85);
    expect(getWindowMs({ [WINDOW]: '2m' })).toBe(120_000);
    expect(getWindowMs({ [WINDOW]: 'x' })).toBeUndefined();
  });
  it('metric defaults by class, and the algorithm normalises its alternate casing', () => {
    expect(getMetric(undefined)).toBe('concurrency');
    expect(getMetric({ [CLASS]: HPA })).toBe('cpu');
    expect(getMetric({ [CLASS]: 'custom' })).toBe('');
    expect(getMetric({ [METRIC]: 'rps' })).toBe('rps');
    expect(getMetricAggregationAlgorithm({ [ALGO]: 'weightedExponential' })).toBe('weighted-exponential');
    expect(getMetricAggregationAlgorithm({ 'autoscaling.knative.dev/metricAggregationAlgorithm': 'weighted-exponential' })).toBe('weighted-exponential');
    expect(getMetricAggregationAlgorithm({})).toBe('linear');
  });
});
