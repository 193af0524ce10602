import { createRequire } from 'node:module';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { NotReadyError, UserInputError } from '@knsim/sim-core';
import { listBuiltins } from '@knsim/scenarios';
import { formatChecks, formatCurl, formatSummary, stableStringify } from '@knsim/report';
import { EXIT_FAILED, EXIT_USAGE, UserError } from './errors.js';
import { benchMmc, benchProperty, benchStack, formatMmc, formatProperty, formatStack } from './bench/measure.js';
import { runCurl } from './curl.js';
import { collect, durationOption } from './options.js';
import { runValidate } from './validate.js';
import { runCli } from './run.js';

const pkg = createRequire(import.meta.url)('../package.json') as { version: string };

/** Writes the one JSON document of `--json` mode to stdout. */
export function printJson(doc: unknown): void {
  process.stdout.write(JSON.stringify(doc, null, 2) + '\n');
}

export function parseNumberOption(name: string, opts: { integer?: boolean; min?: number } = {}) {
  return (value: string): number => {
    const x = Number(value);
    if (value.trim() === '' || !Number.isFinite(x)) throw new InvalidArgumentError(`${name} takes a number, got ${JSON.stringify(value)}`);
    if (opts.integer && !Number.isInteger(x)) throw new InvalidArgumentError(`${name} takes a whole number, got ${value}`);
    if (opts.min !== undefined && x < opts.min) throw new InvalidArgumentError(`${name} must be >= ${opts.min}, got ${value}`);
    return x;
  };
}

export function buildProgram(setExit: (code: number) => void): Command {
  const program = new Command('knsim')
    .description('knsim: a deterministic, in-memory simulator of the Knative Serving network stack')
    .version(pkg.version, '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => process.stdout.write(s),
      writeErr: (s) => process.stderr.write(s),
    });

  const bench = program.command('bench').description('benchmarks of the kernel and the simulated stack').exitOverride();
  bench
    .command('mmc')
    .description('an M/M/c queue on the kernel, checked against Erlang C (and SimPy with --rng mulberry32)')
    .option('--servers <n>', 'servers (c)', parseNumberOption('--servers', { integer: true, min: 1 }), 10)
    .option('--arrival-rate <λ>', 'arrivals per second', parseNumberOption('--arrival-rate'), 9)
    .option('--service-rate <μ>', 'services per second per server', parseNumberOption('--service-rate'), 1)
    .option('--customers <n>', 'customers to simulate', parseNumberOption('--customers', { integer: true, min: 1 }), 1_000_000)
    .option('--seed <n>', 'seed', parseNumberOption('--seed', { integer: true }), 1)
    .addOption(new Option('--rng <kind>', 'random source').choices(['alea', 'mulberry32']).default('alea'))
    .option('--json', 'print one JSON document on stdout')
    .exitOverride()
    .action((o) => {
      const r = benchMmc({ servers: o.servers, arrivalRate: o.arrivalRate, serviceRate: o.serviceRate, customers: o.customers, seed: o.seed, rng: o.rng });
      if (o.json) printJson(r);
      else process.stdout.write(formatMmc(r) + '\n');
      setExit(r.relativeError <= 0.05 || o.customers < 100_000 ? 0 : 1);
    });
  program
    .command('curl')
    .description('build a cluster from manifests, wait until Ready, and send requests like curl')
    .argument('<url>', 'http://host/path; the host `gateway` is the ingress gateway\'s external address')
    .option('-f, --file <file>', 'manifest to apply, in order (repeatable)', collect, [])
    .option('-H, --header <header>', "request header 'Name: value' (repeatable)", collect, [])
    .option('-X, --request <method>', 'HTTP method')
    .option('-d, --data <body>', 'request body (implies POST)')
    .option('-n, --count <n>', 'requests to send', parseNumberOption('--count', { integer: true, min: 1 }), 1)
    .option('--rps <r>', 'send at a constant rate (open loop) instead of one after another', parseNumberOption('--rps'))
    .option('--after <duration>', 'wait this long (Go duration) after the services are Ready', durationOption('--after'), 0)
    .option('--seed <n>', 'seed', parseNumberOption('--seed', { integer: true }), 1)
    .option('--set <cm.key=value>', 'ConfigMap override CONFIGMAP.KEY=VALUE (repeatable)', collect, [])
    .option('--from-pod <namespace>', 'send from a pod in this namespace (cluster DNS, local gateway)')
    .option('--ready-timeout <duration>', 'simulated time to wait for the applied Knative objects to be Ready', durationOption('--ready-timeout'), 600_000)
    .option('-v, --verbose', 'print every hop to stderr')
    .option('--json', 'print one JSON document on stdout')
    .exitOverride()
    .action((url: string, o) => {
      if (o.rps !== undefined && !(o.rps > 0)) throw new UserError(`--rps must be > 0, got ${o.rps}`);
      const { output, exitCode } = runCurl(url, {
        file: o.file,
        header: o.header,
        request: o.request,
        data: o.data,
        count: o.count,
        rps: o.rps,
        after: o.after,
        seed: o.seed,
        set: o.set,
        fromPod: o.fromPod,
        readyTimeout: o.readyTimeout,
      });
      if (o.json) printJson(output);
      else {
        const f = formatCurl(output, !!o.verbose);
        process.stdout.write(f.stdout);
        process.stderr.write(f.stderr);
      }
      setExit(exitCode);
    });

  program
    .command('validate')
    .description("check manifests as Knative's admission webhook would")
    .option('-f, --file <file>', 'manifest to check (repeatable)', collect, [])
    .option('--json', 'print one JSON document on stdout')
    .exitOverride()
    .action((o) => {
      if (o.file.length === 0) throw new UserError('validate needs at least one -f FILE');
      const { result, exitCode } = runValidate(o.file);
      for (const w of result.warnings) process.stderr.write(`${w.startsWith('Warning:') ? w : `Warning: ${w}`}\n`);
      if (o.json) printJson(result);
      else if (result.valid) process.stdout.write('valid\n');
      else process.stdout.write(result.errors.join('\n') + '\n');
      setExit(exitCode);
    });
  bench
    .command('stack')
    .description('one Knative Service behind the full path (DNS, gateway, activator or queue-proxy, app) at a steady rate')
    .option('--requests <n>', 'requests to simulate', parseNumberOption('--requests', { integer: true, min: 1 }), 1_000_000)
    .option('--rps <r>', 'arrival rate per simulated second (Poisson)', parseNumberOption('--rps'), 2000)
    .option('--seed <n>', 'seed', parseNumberOption('--seed', { integer: true }), 1)
    .option('--json', 'print one JSON document on stdout')
    .exitOverride()
    .action((o) => {
      const r = benchStack({ requests: o.requests, rps: o.rps, seed: o.seed });
      if (o.json) printJson(r);
      else process.stdout.write(formatStack(r) + '\n');
      setExit(Object.keys(r.byStatus).every((k) => k === '200') ? 0 : 1);
    });
  bench
    .command('property')
    .description('the canary-split property of docs/testing.md: many runs, each on a fresh cluster, as a property-based test suite runs them')
    .option('--runs <n>', 'runs of the property', parseNumberOption('--runs', { integer: true, min: 1 }), 200)
    .option('--requests <n>', 'requests per run', parseNumberOption('--requests', { integer: true, min: 1 }), 1000)
    .option('--seed <n>', 'fast-check seed', parseNumberOption('--seed', { integer: true }), 1)
    .option('--json', 'print one JSON document on stdout')
    .exitOverride()
    .action((o) => {
      const { report, failure } = benchProperty({ runs: o.runs, requests: o.requests, seed: o.seed });
      if (o.json) printJson(report);
      else process.stdout.write(formatProperty(report) + '\n');
      if (failure !== undefined) process.stderr.write(`${failure}\n`);
      setExit(report.held ? 0 : 1);
    });
  bench
    .command('control-plane')
    .description('N Knative Services applied to a fresh cluster and run until all are Ready: the controllers, Istio pushes and pod start-up')
    .option('--services <n>', 'Knative Services to apply', parseNumberOption('--services', { integer: true, min: 1 }), 1000)
    .option('--seed <n>', 'seed', parseNumberOption('--seed', { integer: true }), 1)
    .option('--json', 'print one JSON document on stdout')
    .exitOverride()
    .action(async (o) => {
      const { benchControlPlane, formatControlPlane } = await import('./bench/measure.js');
      const r = benchControlPlane({ services: o.services, seed: o.seed });
      if (o.json) printJson(r);
      else process.stdout.write(formatControlPlane(r) + '\n');
      setExit(0);
    });
  program
    .command('run')
    .description('run a scenario (a YAML file, a .js module, or a built-in name), write summary.json, and exit 1 when a check fails or a load got 5xx it did not expect')
    .argument('<scenario>', 'scenario.yaml, scenario.mjs, or a built-in name (see knsim scenarios)')
    .option('--seed <n>', 'seed (overrides the scenario\'s)', parseNumberOption('--seed', { integer: true }))
    .option('--out <dir>', 'where to write summary.json (default ./knsim-out/<name>)')
    .option('--json', 'print summary.json on stdout instead of writing it')
    .option('--quiet', 'no progress or summary')
    .exitOverride()
    .action(async (arg: string, o) => {
      const { summary, file, failures } = await runCli(arg, { seed: o.seed, out: o.out, json: o.json, quiet: o.quiet });
      if (o.json) process.stdout.write(stableStringify(summary));
      else if (!o.quiet) process.stdout.write(`${formatSummary(summary)}\nwrote ${file}\n`);
      // A CI log shows why the run failed even when stdout is JSON or silent.
      if ((o.json || o.quiet) && failures.failedChecks > 0) process.stderr.write(`${formatChecks(summary.checks!.filter((c) => !c.ok))}\n`);
      for (const m of failures.unaccounted) process.stderr.write(`knsim: ${m}\n`);
      if (failures.failedChecks > 0) process.stderr.write(`knsim: ${failures.failedChecks} of ${summary.checks!.length} check(s) failed\n`);
      setExit(failures.failedChecks > 0 || failures.unaccounted.length > 0 ? EXIT_FAILED : 0);
    });

  program
    .command('scenarios')
    .description('list the built-in scenarios')
    .option('--json', 'print one JSON document on stdout')
    .exitOverride()
    .action((o) => {
      const list = listBuiltins().map((b) => ({ name: b.name, description: b.description }));
      if (o.json) printJson(list);
      else process.stdout.write(list.map((b) => `${b.name.padEnd(26)} ${b.description}`).join('\n') + '\n');
    });
  return program;
}

/** Runs the CLI; resolves to the exit code. User mistakes print one line and give 2. */
export async function main(argv: readonly string[]): Promise<number> {
  let code = 0;
  const program = buildProgram((c) => {
    code = c;
  });
  try {
    await program.parseAsync(argv as string[], { from: 'user' });
    return code;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return 0;
      // commander has already printed its message to stderr
      return err.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    if (err instanceof UserError) {
      process.stderr.write(`knsim: ${err.message}\n`);
      return err.exitCode;
    }
    if (err instanceof NotReadyError) {
      process.stderr.write(`knsim: ${err.message}\n`);
      return EXIT_FAILED;
    }
    if (err instanceof UserInputError) {
      process.stderr.write(`knsim: ${err.message}\n`);
      return EXIT_USAGE;
    }
    throw err;
  }
}
