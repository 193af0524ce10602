import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  DEFAULT_AUTOSCALER_CONFIG,
  goFloat,
  parseAutoscalerConfig,
  type AutoscalerConfig,
} from '../../src/autoscaler/config.js';

// knative/serving pkg/autoscaler/config/config_test.go TestNewConfig, plus the exact messages of validate().
const S = 1_000;
const MIN = 60 * S;
const withDefaults = (over: Partial<AutoscalerConfig>): AutoscalerConfig => ({ ...DEFAULT_AUTOSCALER_CONFIG, ...over });

// The `_example` block of config/core/configmaps/autoscaler.yaml: every key at its default.
const EXAMPLE = {
  'container-concurrency-target-percentage': '70',
  'container-concurrency-target-default': '100',
  'requests-per-second-target-default': '200',
  'target-burst-capacity': '211',
  'stable-window': '60s',
  'panic-window-percentage': '10.0',
  'panic-threshold-percentage': '200.0',
  'max-scale-up-rate': '1000.0',
  'max-scale-down-rate': '2.0',
  'enable-scale-to-zero': 'true',
  'scale-to-zero-grace-period': '30s',
  'scale-to-zero-pod-retention-period': '0s',
  'pod-autoscaler-class': 'kpa.autoscaling.knative.dev',
  'activator-capacity': '100.0',
  'initial-scale': '1',
  'allow-zero-initial-scale': 'false',
  'min-scale': '0',
  'max-scale': '0',
  'scale-down-delay': '0s',
  'max-scale-limit': '0',
};

describe('parseAutoscalerConfig (config_test.go TestNewConfig)', () => {
  const ok: Array<{ name: string; input: Record<string, string>; want: AutoscalerConfig }> = [
    { name: 'default', input: {}, want: withDefaults({}) },
    { name: 'actual', input: { _example: '# documentation only' }, want: withDefaults({}) },
    { name: 'example', input: EXAMPLE, want: withDefaults({}) },
    {
      name: 'overridden',
      input: {
        'enable-scale-to-zero': 'true',
        'max-scale-down-rate': '3.0',
        'max-scale-up-rate': '1.01',
        'container-concurrency-target-percentage': '0.71',
        'container-concurrency-target-default': '10.5',
        'requests-per-second-target-default': '10.11',
        'target-burst-capacity': '12345',
        'scale-down-delay': '15m',
        'stable-window': '5m',
        'tick-interval': '2s',
        'panic-window-percentage': '10',
        'panic-threshold-percentage': '200',
        'pod-autoscaler-class': 'some.class',
        'activator-capacity': '905',
        'scale-to-zero-pod-retention-period': '2m3s',
      },
      want: withDefaults({
        targetBurstCapacity: 12345,
        containerConcurrencyTargetDefault: 10.5,
        containerConcurrencyTargetFraction: 0.71,
        rpsTargetDefault: 10.11,
        maxScaleDownRate: 3,
        maxScaleUpRate: 1.01,
        scaleDownDelayMs: 15 * MIN,
        stableWindowMs: 5 * MIN,
        activatorCapacity: 905,
        podAutoscalerClass: 'some.class',
        scaleToZeroPodRetentionPeriodMs: 2 * MIN + 3 * S,
      }),
    },
    {
      name: 'minimum',
      input: {
        'max-scale-up-rate': '1.001',
        'container-concurrency-target-percentage': '0.5',
        'container-concurrency-target-default': '10.0',
        'target-burst-capacity': '0',
        'stable-window': '5m',
        'tick-interval': '2s',
        'panic-window-percentage': '10',
        'panic-threshold-percentage': '200',
        'activator-capacity': '1',
      },
      want: withDefaults({
        containerConcurrencyTargetFraction: 0.5,
        containerConcurrencyTargetDefault: 10,
        maxScaleUpRate: 1.001,
        targetBurstCapacity: 0,
        stableWindowMs: 5 * MIN,
        activatorCapacity: 1,
      }),
    },
    { name: 'concurrency target percentage as percent', input: { 'container-concurrency-target-percentage': '55' }, want: withDefaults({ containerConcurrencyTargetFraction: 0.55 }) },
    { name: 'with -1 tbc', input: { 'target-burst-capacity': '-1' }, want: withDefaults({ targetBurstCapacity: -1 }) },
    { name: 'with toggles on strange casing', input: { 'enable-scale-to-zero': 'TRUE' }, want: withDefaults({}) },
    {
      name: 'with toggles explicitly flipped',
      input: { 'enable-scale-to-zero': 'false', 'min-scale': '1', 'max-scale': '2' },
      want: withDefaults({ enableScaleToZero: false, minScale: 1, maxScale: 2 }),
    },
    {
      name: 'with explicit grace period',
      input: { 'enable-scale-to-zero': 'false', 'scale-to-zero-grace-period': '33s', 'min-scale': '1', 'max-scale': '2' },
      want: withDefaults({ enableScaleToZero: false, scaleToZeroGracePeriodMs: 33 * S, minScale: 1, maxScale: 2 }),
    },
    {
      name: 'with valid default initial scale',
      input: { 'allow-zero-initial-scale': 'true', 'initial-scale': '0' },
      want: withDefaults({ allowZeroInitialScale: true, initialScale: 0 }),
    },
    { name: 'with valid default max scale', input: { 'max-scale': '10' }, want: withDefaults({ maxScale: 10 }) },
    { name: 'with min scale set but max-scale not set', input: { 'min-scale': '4' }, want: withDefaults({ minScale: 4 }) },
    {
      name: 'with valid default max scale and max scale limit',
      input: { 'max-scale': '10', 'max-scale-limit': '11' },
      want: withDefaults({ maxScale: 10, maxScaleLimit: 11 }),
    },
  ];
  for (const c of ok) it(c.name, () => expect(parseAutoscalerConfig(c.input)).toEqual(c.want));

  // Every wantErr case, with the message Knative returns and the key it names.
  const bad: Array<{ name: string; input: Record<string, string>; key: string; message: string }> = [
    {
      name: 'malformed float',
      input: { 'max-scale-up-rate': 'not a float' },
      key: 'max-scale-up-rate',
      message: 'failed to parse data: failed to parse "max-scale-up-rate": strconv.ParseFloat: parsing "not a float": invalid syntax',
    },
    { name: 'invalid scale-down-delay', input: { 'scale-down-delay': '-1m23s' }, key: 'scale-down-delay', message: 'scale-down-delay cannot be negative, was: -1m23s' },
    {
      name: 'invalid pod retention period',
      input: { 'scale-to-zero-pod-retention-period': '-4m11s' },
      key: 'scale-to-zero-pod-retention-period',
      message: 'scale-to-zero-pod-retention-period cannot be negative, was: -4m11s',
    },
    {
      name: 'malformed duration',
      input: { 'stable-window': 'not a duration' },
      key: 'stable-window',
      message: 'failed to parse data: failed to parse "stable-window": time: invalid duration "not a duration"',
    },
    {
      name: 'invalid target burst capacity',
      input: { 'target-burst-capacity': '-11' },
      key: 'target-burst-capacity',
      message: 'target-burst-capacity must be either non-negative or -1 (for unlimited), was: -11.000000',
    },
    {
      name: 'invalid target %, too small',
      input: { 'container-concurrency-target-percentage': '-42' },
      key: 'container-concurrency-target-percentage',
      message: 'container-concurrency-target-percentage = -42.000000 is outside of valid range of (0, 100]',
    },
    {
      name: 'invalid target %, too big',
      input: { 'container-concurrency-target-percentage': '142.4' },
      key: 'container-concurrency-target-percentage',
      message: 'container-concurrency-target-percentage = 1.424000 is outside of valid range of (0, 100]',
    },
    {
      name: 'invalid RPS target, too small',
      input: { 'requests-per-second-target-default': '-5.25' },
      key: 'requests-per-second-target-default',
      message: 'requests-per-second-target-default must be at least 0.01, was: -5.25',
    },
    { name: 'max scale up rate 1.0', input: { 'max-scale-up-rate': '1' }, key: 'max-scale-up-rate', message: 'max-scale-up-rate = 1, must be greater than 1.0' },
    { name: 'max down down rate negative', input: { 'max-scale-down-rate': '-55' }, key: 'max-scale-down-rate', message: 'max-scale-down-rate = -55, must be greater than 1.0' },
    { name: 'max down down rate 1.0', input: { 'max-scale-down-rate': '1' }, key: 'max-scale-down-rate', message: 'max-scale-down-rate = 1, must be greater than 1.0' },
    { name: 'stable window too big', input: { 'stable-window': '1h1s' }, key: 'stable-window', message: 'stable-window = 1h0m1s, must be in [6s; 1h0m0s] range' },
    { name: 'stable window too small', input: { 'stable-window': '1s' }, key: 'stable-window', message: 'stable-window = 1s, must be in [6s; 1h0m0s] range' },
    {
      name: 'stable not seconds',
      input: { 'stable-window': '61984ms' },
      key: 'stable-window',
      message: 'stable-window = 1m1.984s, must be specified with at most second precision',
    },
    {
      name: 'scale-down-delay not seconds',
      input: { 'scale-down-delay': '61984ms' },
      key: 'scale-down-delay',
      message: 'scale-down-delay = 1m1.984s, must be specified with at most second precision',
    },
    { name: 'activator-capacity invalid', input: { 'activator-capacity': '0.95' }, key: 'activator-capacity', message: 'activator-capacity = 0.95, must be at least 1' },
    {
      name: 'panic window percentage too small',
      input: { 'panic-window-percentage': '0.1' },
      key: 'panic-window-percentage',
      message: 'panic-window-percentage = 0.1, must be in [1, 100] interval',
    },
    {
      name: 'panic window percentage too big',
      input: { 'stable-window': '12s', 'panic-window': '3s', 'panic-window-percentage': '110' },
      key: 'panic-window-percentage',
      message: 'panic-window-percentage = 110, must be in [1, 100] interval',
    },
    {
      name: 'TU*CC < 0.01',
      input: { 'container-concurrency-target-percentage': '1', 'container-concurrency-target-default': '0.001' },
      key: 'container-concurrency-target-default',
      message: "container-concurrency-target-percentage and container-concurrency-target-default yield target concurrency of 0.001, can't be less than 0.01",
    },
    {
      name: 'grace window too small',
      input: { 'stable-window': '12s', 'scale-to-zero-grace-period': '0s' },
      key: 'scale-to-zero-grace-period',
      message: 'scale-to-zero-grace-period must be positive, was: 0s',
    },
    {
      name: 'with prohibited default initial scale',
      input: { 'allow-zero-initial-scale': 'false', 'initial-scale': '0' },
      key: 'initial-scale',
      message: 'initial-scale = 0, must be at least 0 (or at least 1 when allow-zero-initial-scale is false)',
    },
    {
      name: 'with negative default initial scale',
      input: { 'allow-zero-initial-scale': 'false', 'initial-scale': '-1' },
      key: 'initial-scale',
      message: 'initial-scale = -1, must be at least 0 (or at least 1 when allow-zero-initial-scale is false)',
    },
    {
      name: 'with non-parseable default initial scale',
      input: { 'allow-zero-initial-scale': 'false', 'initial-scale': 'invalid' },
      key: 'initial-scale',
      message: 'failed to parse data: failed to parse "initial-scale": strconv.ParseInt: parsing "invalid": invalid syntax',
    },
    {
      name: 'with non-parseable allow-zero-initial-scale',
      input: { 'allow-zero-initial-scale': 'invalid' },
      key: 'allow-zero-initial-scale',
      message: 'failed to parse data: failed to parse "allow-zero-initial-scale": strconv.ParseBool: parsing "invalid": invalid syntax',
    },
    { name: 'with negative default max scale', input: { 'max-scale': '-1' }, key: 'max-scale', message: 'max-scale = -1, must be in [0, max-scale-limit(0)] range' },
    {
      name: 'max scale exceeding max scale limit',
      input: { 'max-scale': '10', 'max-scale-limit': '9' },
      key: 'max-scale',
      message: 'max-scale = 10, must be in [1, max-scale-limit(9)] range',
    },
    { name: 'with negative max scale limit', input: { 'max-scale-limit': '-9' }, key: 'max-scale-limit', message: 'max-scale-limit = -9, must be at least 0' },
    {
      name: 'with max scale limit and zero default max scale',
      input: { 'max-scale': '0', 'max-scale-limit': '11' },
      key: 'max-scale',
      message: 'max-scale = 0, must be in [1, max-scale-limit(11)] range',
    },
    { name: 'with max scale less than min-scale', input: { 'min-scale': '4', 'max-scale': '3' }, key: 'min-scale', message: 'min-scale (4) must be less than max-scale (3)' },
    {
      name: 'int32 overflow',
      input: { 'min-scale': '2147483648' },
      key: 'min-scale',
      message: 'failed to parse data: failed to parse "min-scale": strconv.ParseInt: parsing "2147483648": value out of range',
    },
  ];
  for (const c of bad) {
    it(c.name, () => {
      let err: unknown;
      try {
        parseAutoscalerConfig(c.input);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).key).toBe(c.key);
      expect((err as ConfigError).message).toBe(c.message);
    });
  }
});

describe("goFloat (fmt's %v)", () => {
  it('prints like Go', () => {
    expect([0.01, 1, 1.01, 100000, 1e6, 1234567, 0.0001, 0.00001, -55, Number.POSITIVE_INFINITY].map(goFloat)).toEqual([
      '0.01', '1', '1.01', '100000', '1e+06', '1.234567e+06', '0.0001', '1e-05', '-55', '+Inf',
    ]);
  });
});
