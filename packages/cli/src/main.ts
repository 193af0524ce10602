import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { EXIT_FAILED, EXIT_USAGE, UserError } from './errors.js';
import { EXIT_INTERRUPTED } from './interrupt.js';
import { collect, durationOption } from './options.js';
import { KNSIM_VERSION } from './version.js';
import { normalizeHeyArgs } from './hey-args.js';

// Only commander and these small modules load at start: each subcommand imports what it needs
// (the simulator, the report layer, the scenarios) when it runs, so `knsim --version` and
// `knsim --help` cost little more than starting node.


/** Writes the one JSON document of `--json` mode to stdout. */
export function printJson(doc: unknown): void {
  process.stdout.write(JSON.stringify(doc, null, 2) + '\n');
}

/** The largest simulated span a command may ask for: the clock's exact range, 2^53 ns (about 104 days). */
const MAX_SPAN_MS = 2 ** 53 / 1e6;

/** Refuses work that would run past the clock's range, before it starts (docs/limits.md). */
function checkSpan(what: string, ms: number): void {
  if (ms > MAX_SPAN_MS) throw new UserError(`${what} spans ${Math.round(ms / 86_400_000)} simulated days, beyond knsim's limit of about 104 days (docs/limits.md)`);
}

export function parseNumberOption(name: string, opts: { integer?: boolean; min?: number; max?: number } = {}) {
  return (value: string): number => {
    const x = Number(value);
    if (value.trim() === '' || !Number.isFinite(x)) throw new InvalidArgumentError(`${name} takes a number, got ${JSON.stringify(value)}`);
    if (opts.integer && !Number.isInteger(x)) throw new InvalidArgumentError(`${name} takes a whole number, got ${value}`);
    // Above 2^53 neighbouring numbers collapse to one double: two seeds would give one run.
    if (opts.integer && !Number.isSafeInteger(x)) throw new InvalidArgumentError(`${name} takes a whole number of at most 2^53-1 (${Number.MAX_SAFE_INTEGER}) in size, got ${value}`);
    if (opts.min !== undefined && x < opts.min) throw new InvalidArgumentError(`${name} must be >= ${opts.min}, got ${value}`);
    if (opts.max !== undefined && x > opts.max) throw new InvalidArgumentError(`${name} must be <= ${opts.max} (knsim's limit, docs/limits.md), got ${value}`);
    return x;
  };
}

const EXIT_CODES = `
Exit codes:
  0  success
  1  the simulated system answered badly or a check failed
  2  a mistake in what was given (flags, files, manifests)`;

/** The Examples and Exit codes sections every subcommand's help ends with. */
function helpText(examples: readonly string[], exitCodes: string = EXIT_CODES): string {
  return `\nExamples:\n${examples.map((e) => `  $ ${e}`).join('\n')}\n${exitCodes}\n`;
}

/** The options `-f` clusters share: curl, get, describe and dig build them the same way. */
function clusterOptions(cmd: Command, opts: { from?: boolean } = {}): Command {
  cmd
    .option('-f, --file <file>', 'manifest to apply, in order (repeatable); - reads standard input, a folder applies its .yaml/.yml/.json files in name order', collect, [])
    .addOption(new Option('--after <duration>', 'simulated time to run after the objects are Ready (Go duration)').argParser(durationOption('--after')).default(0, '0s'))
    .option('--seed <n>', 'seed', parseNumberOption('--seed', { integer: true }), 1)
    .option('--set <cm.key=value>', 'ConfigMap override CONFIGMAP.KEY=VALUE (repeatable)', collect, [])
    .option('--latency <name=dist>', 'override one of the calibrated latencies, NAME=DISTRIBUTION (repeatable), e.g. clientToLoadBalancer=lognormal(60ms,0.1)', collect, [])
    .addOption(new Option('--ready-timeout <duration>', 'simulated time to wait for the applied Knative objects to be Ready').argParser(durationOption('--ready-timeout')).default(600_000, '10m'));
  if (opts.from) cmd.option('--from <dir>', 'read the final objects a knsim run saved in DIR (its --out folder) instead of building a cluster');
  return cmd;
}

/** kubectl's selection of objects: -n, -A and -l. */
function selectionOptions(cmd: Command): Command {
  return cmd
    .option('-n, --namespace <ns>', 'namespace', 'default')
    .option('-A, --all-namespaces', 'every namespace')
    .option('-l, --selector <selector>', 'label selector (key=value, key!=value, key, !key; comma-separated)');
}

type ClusterOpts = { file: string[]; after: number; seed: number; set: string[]; latency: string[]; readyTimeout: number; from?: string };

async function inspectState(o: ClusterOpts) {
  const { stateFromDir, stateFromFiles } = await import('./inspect/source.js');
  if (o.from !== undefined) {
    if (o.file.length > 0) throw new UserError('--from and -f cannot be used together: inspect a saved run, or build a cluster from files');
    return stateFromDir(o.from);
  }
  if (o.file.length === 0) throw new UserError('give -f FILE (manifests to build a cluster from) or --from DIR (the output folder of a knsim run)');
  return stateFromFiles({ file: o.file, after: o.after, seed: o.seed, set: o.set, latency: o.latency, readyTimeout: o.readyTimeout });
}

function emit(out: { stdout: string; stderr: string; exitCode: number }, setExit: (code: number) => void): void {
  process.stdout.write(out.stdout);
  process.stderr.write(out.stderr);
  setExit(out.exitCode);
}

export function buildProgram(setExit: (code: number) => void): Command {
  const program = new Command('knsim')
    .description('knsim: a deterministic, in-memory simulator of the Knative Serving network stack')
    .version(KNSIM_VERSION, '-V, --version')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => process.stdout.write(s),
      writeErr: (s) => process.stderr.write(s),
      // A usage error is one line on stderr (the hint on the same line).
      outputError: (s, write) => write(`${s.trimEnd()} (run with --help for usage)\n`),
    })
    .addHelpText('after', helpText(['knsim run life-of-a-request', "knsim curl -f hello.yaml http://hello.default.example.com/", 'knsim get ksvc -f hello.yaml', 'knsim dig hello.default.svc.cluster.local --from-pod default -f hello.yaml']));

  program
    .command('version')
    .description("print knsim's version")
    .option('--json', 'print one JSON document on stdout')
    .addHelpText('after', helpText(['knsim version', 'knsim --version'], '\nExit codes:\n  0  always'))
    .exitOverride()
    .action((o) => {
      if (o.json) printJson({ version: KNSIM_VERSION, node: process.version });
      else process.stdout.write(`${KNSIM_VERSION}\n`);
    });

  const bench = program
    .command('bench')
    .description('benchmarks of the kernel and the simulated stack')
    .addHelpText('after', helpText(['knsim bench mmc', 'knsim bench stack --requests 100000', 'knsim bench property --runs 50', 'knsim bench setup'], '\nExit codes:\n  0  the benchmark ran and its check held\n  1  its check failed\n  2  a bad flag'))
    .exitOverride();
  bench
    .command('mmc')
    .description('an M/M/c queue on the kernel, checked against Erlang C (and SimPy with --rng mulberry32)')
    .option('--servers <n>', 'servers (c)', parseNumberOption('--servers', { integer: true, min: 1 }), 10)
    .option('--arrival-rate <λ>', 'arrivals per second', parseNumberOption('--arrival-rate'), 9)
    .option('--service-rate <μ>', 'services per second per server', parseNumberOption('--service-rate'), 1)
    .option('--customers <n>', 'customers to simulate', parseNumberOption('--customers', { integer: true, min: 1, max: 100_000_000 }), 1_000_000)
    .option('--seed <n>', 'seed', parseNumberOption('--seed', { integer: true }), 1)
    .addOption(new Option('--rng <kind>', 'random source').choices(['alea', 'mulberry32']).default('alea'))
    .option('--json', 'print one JSON document on stdout')
    .addHelpText('after', helpText(['knsim bench mmc', 'knsim bench mmc --rng mulberry32 --seed 42 --json'], '\nExit codes:\n  0  the mean wait is within 5 % of Erlang C\n  1  it is not\n  2  a bad flag'))
    .exitOverride()
    .action(async (o) => {
      const [{ benchMmc, formatMmc }, { makeProgress, progressWanted }] = await Promise.all([import('./bench/measure.js'), import('./progress.js')]);
      if (!(o.arrivalRate > 0) || !(o.serviceRate > 0)) throw new UserError('--arrival-rate and --service-rate must be > 0');
      const progress = progressWanted(o) ? makeProgress((s) => process.stderr.write(s)) : undefined;
      const r = benchMmc({ servers: o.servers, arrivalRate: o.arrivalRate, serviceRate: o.serviceRate, customers: o.customers, seed: o.seed, rng: o.rng, ...(progress ? { onProgress: (n: number, of: number) => progress.update(n / of, `${n} of ${of} customers arrived`) } : {}) });
      progress?.done();
      if (o.json) printJson(r);
      else process.stdout.write(formatMmc(r) + '\n');
      setExit(r.relativeError <= 0.05 || o.customers < 100_000 ? 0 : 1);
    });

  const curl = program
    .command('curl')
    .description('build a cluster from manifests, wait until Ready, and send requests like curl')
    .argument('<url>', "http://host/path; the host `gateway` is the ingress gateway's external address");
  clusterOptions(curl)
    .option('-H, --header <header>', "request header 'Name: value' (repeatable)", collect, [])
    .option('-X, --request <method>', 'HTTP method')
    .option('-d, --data <body>', 'request body (implies POST)')
    .option('-i, --include', 'print the response status line and headers before the body')
    .option('-I, --head', 'send HEAD and print the status line and headers only')
    .option('-s, --silent', 'no warnings or error messages on stderr')
    .option('-o, --output <file>', 'write the body (with -i, the headers too) to FILE instead of stdout; with --json, the JSON document')
    .option('-w, --write-out <format>', 'print FORMAT after each response: %{http_code} %{time_total} %{time_starttransfer} %{time_namelookup} %{num_redirects} %{url_effective} %{size_download} %{content_type}, \\n')
    .option('--fail', 'HTTP errors (4xx) print no body and exit 22')
    .option('-L, --location', 'follow redirects (at most 50)')
    .option('--max-time <seconds>', 'give up on a request after this many simulated seconds (exit 28)', parseNumberOption('--max-time'))
    .option('--resolve <host:port:addr>', 'send requests for HOST:PORT to ADDR (the Host header stays HOST); ADDR may be gateway (repeatable)', collect, [])
    .option('-n, --count <n>', 'requests to send', parseNumberOption('--count', { integer: true, min: 1, max: 10_000_000 }), 1)
    .option('--rps <r>', 'send at a constant rate (open loop) instead of one after another', parseNumberOption('--rps', { max: 1_000_000 }))
    .option('--summary', 'print only the counts and latencies (with --json: no per-response list, in memory that does not grow with -n)')
    .option('--from-pod <namespace>', 'send from a pod in this namespace (cluster DNS, local gateway)')
    .option('-v, --verbose', 'print every hop to stderr, with why it went so, and the response headers')
    .option('--trace <file>', "write the requests' trace as Chrome trace-event JSON (open it in Perfetto)")
    .option('--json', 'print one JSON document on stdout')
    .addHelpText(
      'after',
      helpText(
        [
          "knsim curl -f sample.yaml -f routing.yaml -H 'Host: example.com' http://gateway/search",
          'knsim curl -f hello.yaml -i http://hello.default.example.com/',
          "knsim curl -f hello.yaml -s -o /dev/null -w '%{http_code} %{time_total}\\n' http://hello.default.example.com/",
          'knsim curl -f hello.yaml --resolve hello.default.example.com:80:gateway http://hello.default.example.com/',
          'cat hello.yaml | knsim curl -f - -n 10000 --rps 200 --json --summary http://hello.default.example.com/',
        ],
        `${EXIT_CODES.replace('  1  the simulated system answered badly or a check failed', '  1  a request got a 5xx or no HTTP answer, or a Knative object never became Ready')}
  6  a host could not be resolved (curl's code)
  22 with --fail, a request got a 4xx (curl's code)
  23 the output could not be written: its reader went away (curl's code)
  28 a request was not answered within --max-time (curl's code)`,
      ),
    )
    .exitOverride()
    .action(async (url: string, o) => {
      if (o.rps !== undefined && !(o.rps > 0)) throw new UserError(`--rps must be > 0, got ${o.rps}`);
      if (o.rps !== undefined) checkSpan(`-n ${o.count} at --rps ${o.rps}`, ((o.count - 1) / o.rps) * 1000);
      const { runCliCurl } = await import('./curl-command.js');
      setExit(runCliCurl(url, o));
    });

  const hey = program
    .command('hey')
    .description("hey's load test on a cluster built from your manifests: -c workers each sending when their last answer arrives, -n requests or for -z, and hey's report (simulated time)")
    .argument('<url>', 'the URL to load (a name under the configured domain, a Magic DNS name such as NAME.NS.1.2.3.4.sslip.io, or gateway)');
  clusterOptions(hey)
    .option('-n <requests>', 'Number of requests to run (each worker sends n/c of them)', parseNumberOption('-n', { integer: true }), 200)
    .option('-c <workers>', 'Number of workers to run concurrently', parseNumberOption('-c', { integer: true }), 50)
    .option('-q <qps>', 'Rate limit, in queries per second (QPS) per worker (0: none)', parseNumberOption('-q'), 0)
    .addOption(new Option('-z <duration>', 'Duration of application to send requests (a Go duration: 30s, 3m); -n is then ignored').argParser(durationOption('-z')))
    .option('-o <output>', 'Output type: csv (the response metrics in comma-separated values)')
    .option('-m <method>', 'HTTP method', 'GET')
    .option('-H <header>', "Custom HTTP header, 'Name: value' (repeatable)", collect, [])
    .option('-t <seconds>', 'Timeout for each request in seconds (0: infinite)', parseNumberOption('-t', { integer: true }), 20)
    .option('-A <accept>', 'HTTP Accept header')
    .option('-d <body>', 'HTTP request body')
    .option('-D <file>', 'HTTP request body from file')
    .option('-T <content-type>', 'Content-type', 'text/html')
    .option('-U <user-agent>', 'User-Agent (hey/0.0.1 is appended)')
    .option('-a <user:password>', 'Basic authentication')
    .option('--host <host>', 'HTTP Host header (hey: -host)')
    .option('--disable-compression', 'send no Accept-Encoding: gzip (hey: -disable-compression)')
    .option('--disable-redirects', 'do not follow HTTP redirects (hey: -disable-redirects)')
    .addOption(new Option('-x <proxy>', 'refused: knsim models no HTTP proxy').hideHelp())
    .addOption(new Option('--h2', "refused: knsim's client speaks HTTP/1.1").hideHelp())
    .addOption(new Option('--disable-keepalive', 'refused: knsim models no client connections').hideHelp())
    .addOption(new Option('--cpus <n>', "refused: the real hey's cores").hideHelp())
    .option('--json', 'print one JSON document on stdout: {summary, latencyDistribution, statusCodes, errors, revisions}')
    .addHelpText(
      'after',
      `\nhey's flags take one dash, as in hey (-host, -z 30s, -n=100); -h is this help (hey's deprecated -h is not taken).
-x, -h2, -disable-keepalive and -cpus are refused with the reason: they would have no effect here.
${helpText(
        [
          'knsim hey -f service.yaml -z 30s -c 50 "http://autoscale-go.default.1.2.3.4.sslip.io?sleep=100&prime=10000&bloat=5"',
          'knsim hey -f hello.yaml -n 1000 -c 10 http://hello.default.example.com/',
          'knsim hey -f hello.yaml -z 1m -c 5 -q 20 -host hello.default.example.com http://gateway/',
          'knsim hey -f hello.yaml -n 200 -o csv http://hello.default.example.com/ > latencies.csv',
          'knsim hey -f hello.yaml -z 30s --json http://hello.default.example.com/',
        ],
        EXIT_CODES.replace('the simulated system answered badly or a check failed', 'a request got a 5xx or no HTTP answer (a timeout, a refused connection), or a Knative object never became Ready'),
      ).replace(/^\n/, '')}`,
    )
    .exitOverride()
    .action(async (url: string, o) => {
      if (o.z !== undefined) checkSpan('-z', o.z);
      const { runHey } = await import('./hey-command.js');
      setExit(runHey(url, o));
    });

  const validate = program.command('validate').description("check manifests as Knative's admission webhook would");
  validate
    .option('-f, --file <file>', 'manifest to check (repeatable); - reads standard input, a folder checks its .yaml/.yml/.json files in name order', collect, [])
    .option('--json', 'print one JSON document on stdout')
    .addHelpText('after', helpText(['knsim validate -f revision-v1.yaml -f revision-v2.yaml', 'knsim validate -f manifests/', 'cat service.yaml | knsim validate -f -'], EXIT_CODES.replace('the simulated system answered badly or a check failed', 'a manifest is invalid (each error printed as Knative prints it)')))
    .exitOverride()
    .action(async (o) => {
      if (o.file.length === 0) throw new UserError('validate needs at least one -f FILE');
      const { runValidate } = await import('./validate.js');
      const { result, exitCode } = runValidate(o.file);
      for (const w of result.warnings) process.stderr.write(`${w.startsWith('Warning:') ? w : `Warning: ${w}`}\n`);
      if (o.json) printJson(result);
      else if (result.valid) process.stdout.write('valid\n');
      else process.stdout.write(result.errors.join('\n') + '\n');
      setExit(exitCode);
    });

  const get = program
    .command('get')
    .description("list objects with kubectl's columns: ksvc, route (rt), configuration (cfg), revision (rev), domainmapping (dm), kingress (king), virtualservice (vs), gateway (gw), service (svc), endpoints (ep), pods (po), configmap (cm), podautoscaler (kpa, pa), serverlessservice (sks)")
    .argument('<kind>', 'a kind, or several separated by commas (ksvc,rev)')
    .argument('[name...]', 'object names (default: all)');
  selectionOptions(clusterOptions(get, { from: true }))
    .option('-o, --output <format>', 'wide, yaml, json, name or jsonpath=TEMPLATE')
    .option('--json', 'the same as -o json')
    .addHelpText(
      'after',
      helpText([
        'knsim get ksvc -f hello.yaml',
        'knsim get pods -f hello.yaml --after 90s',
        'knsim get revision -l serving.knative.dev/service=stock-service-example -f revision-v1.yaml',
        'knsim get cm config-domain -n knative-serving -o yaml -f hello.yaml',
        'knsim get svc istio-ingressgateway -n istio-system -o jsonpath="{.status.loadBalancer.ingress[*][\'ip\']}" -f hello.yaml',
        'knsim run scale-to-zero --out out/ && knsim get pods,kpa --from out/',
      ], EXIT_CODES.replace('the simulated system answered badly or a check failed', 'a named object does not exist (Error from server (NotFound)), or a Knative object never became Ready')),
    )
    .exitOverride()
    .action(async (kind: string, names: string[], o) => {
      const state = await inspectState(o);
      const { runGet } = await import('./inspect/get.js');
      emit(runGet(state, kind, names, { namespace: o.namespace, ...(o.allNamespaces ? { allNamespaces: true } : {}), ...(o.selector !== undefined ? { selector: o.selector } : {}), ...(o.json || o.output !== undefined ? { output: o.json ? 'json' : o.output } : {}) }), setExit);
    });

  const describe = program
    .command('describe')
    .description("an object's spec, its conditions with reasons and messages, and its recent history (reconciles, scale decisions, probe results) as kubectl's Events")
    .argument('<kind>', 'ksvc, route, configuration, revision, domainmapping, kingress, virtualservice, gateway, service, endpoints, pods, configmap, podautoscaler, serverlessservice')
    .argument('[name]', 'the object (or a name prefix, as kubectl takes it); default: every object of the kind');
  selectionOptions(clusterOptions(describe, { from: true }))
    .option('--json', 'print [{object, events}] as one JSON document')
    .addHelpText(
      'after',
      helpText(
        ['knsim describe ksvc hello -f hello.yaml', 'knsim describe service hello -f hello.yaml', 'knsim describe revision hello-00001 -f hello.yaml --after 2m', 'knsim run scale-from-zero --out out/ && knsim describe kpa --from out/'],
        EXIT_CODES.replace('the simulated system answered badly or a check failed', 'the object does not exist, or a Knative object never became Ready'),
      ),
    )
    .exitOverride()
    .action(async (kind: string, name: string | undefined, o) => {
      const state = await inspectState(o);
      const { runDescribe } = await import('./inspect/describe.js');
      emit(runDescribe(state, kind, name, { namespace: o.namespace, ...(o.allNamespaces ? { allNamespaces: true } : {}), ...(o.selector !== undefined ? { selector: o.selector } : {}), ...(o.json ? { json: true } : {}) }), setExit);
    });

  const digCmd = program
    .command('dig')
    .description("ask the simulated resolvers as dig does: the external one (a laptop's), or with --from-pod a pod's CoreDNS with its search path (ndots 5)")
    .argument('<name>', 'the name to look up')
    .argument('[type]', 'A (default), CNAME, SRV or ANY');
  clusterOptions(digCmd, { from: true })
    .option('--from-pod <namespace>', "ask as a pod in this namespace does (its resolv.conf's search path, CoreDNS)")
    .option('--json', 'print one JSON document on stdout')
    .addHelpText(
      'after',
      helpText(
        ['knsim dig hello.default.svc.cluster.local --from-pod default -f hello.yaml', 'knsim dig hello --from-pod default -f hello.yaml', 'knsim dig hello.default.example.com -f hello.yaml', 'knsim dig _http._tcp.hello-00001.default.svc.cluster.local SRV --from-pod default -f hello.yaml'],
        EXIT_CODES.replace('the simulated system answered badly or a check failed', 'no answer (NXDOMAIN, or no record of the type)'),
      ),
    )
    .exitOverride()
    .action(async (name: string, type: string | undefined, o) => {
      const state = await inspectState(o);
      const { runDig } = await import('./inspect/dig.js');
      emit(runDig(state, name, type, o.fromPod, !!o.json), setExit);
    });

  bench
    .command('stack')
    .description('one Knative Service behind the full path (DNS, gateway, activator or queue-proxy, app) at a steady rate')
    .option('--requests <n>', 'requests to simulate', parseNumberOption('--requests', { integer: true, min: 1, max: 100_000_000 }), 1_000_000)
    .option('--rps <r>', 'arrival rate per simulated second (Poisson)', parseNumberOption('--rps', { max: 1_000_000 }), 2000)
    .option('--seed <n>', 'seed', parseNumberOption('--seed', { integer: true }), 1)
    .option('--pods <n>', 'hold the revision at N pods (min = max = initial scale, target-burst-capacity 0)', parseNumberOption('--pods', { integer: true, min: 1 }))
    .option('--json', 'print one JSON document on stdout')
    .addHelpText('after', helpText(['knsim bench stack', 'knsim bench stack --requests 100000 --json', 'knsim bench stack --pods 1000 --requests 200000'], '\nExit codes:\n  0  every request got a 200\n  1  some did not\n  2  a bad flag'))
    .exitOverride()
    .action(async (o) => {
      const [{ benchStack, formatStack }, { makeProgress, progressWanted }] = await Promise.all([import('./bench/measure.js'), import('./progress.js')]);
      if (!(o.rps > 0)) throw new UserError(`--rps must be > 0, got ${o.rps}`);
      checkSpan(`--requests ${o.requests} at --rps ${o.rps}`, (o.requests / o.rps) * 1000);
      const progress = progressWanted(o) ? makeProgress((s) => process.stderr.write(s)) : undefined;
      const r = benchStack({ requests: o.requests, rps: o.rps, seed: o.seed, ...(o.pods !== undefined ? { pods: o.pods } : {}), ...(progress ? { onProgress: (n: number, of: number) => progress.update(n / of, `${n} of ${of} requests answered`) } : {}) });
      progress?.done();
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
    .option('--warmup <n>', 'unmeasured runs first (seed + 1), to measure a suite whose code V8 has already optimized; 0 measures a fresh process', parseNumberOption('--warmup', { integer: true, min: 0 }), 0)
    .option('--json', 'print one JSON document on stdout')
    .addHelpText('after', helpText(['knsim bench property', 'knsim bench property --runs 50 --json', 'knsim bench property --warmup 400'], '\nExit codes:\n  0  the property held\n  1  it failed (the counterexample on stderr)\n  2  a bad flag'))
    .exitOverride()
    .action(async (o) => {
      const [{ benchProperty, formatProperty }, { makeProgress, progressWanted }] = await Promise.all([import('./bench/measure.js'), import('./progress.js')]);
      const progress = progressWanted(o) ? makeProgress((s) => process.stderr.write(s)) : undefined;
      const { report, failure } = benchProperty({ runs: o.runs, requests: o.requests, seed: o.seed, warmup: o.warmup, ...(progress ? { onProgress: (n: number, of: number) => progress.update(n / of, `${n} of ${of} runs, ${n * o.requests} requests answered`) } : {}) });
      progress?.done();
      if (o.json) printJson(report);
      else process.stdout.write(formatProperty(report) + '\n');
      if (failure !== undefined) process.stderr.write(`${failure}\n`);
      setExit(report.held ? 0 : 1);
    });
  bench
    .command('setup')
    .description("what a property's run pays before its first request: smallCluster() with one Knative Service, from nothing to Ready, many times")
    .option('--setups <n>', 'setups measured', parseNumberOption('--setups', { integer: true, min: 1 }), 1000)
    .option('--revisions <n>', "revisions of the Service, each applied and waited on until Ready", parseNumberOption('--revisions', { integer: true, min: 1 }), 1)
    .option('--warmup <n>', "unmeasured setups first (V8 optimizes the control plane's code for a few thousand)", parseNumberOption('--warmup', { integer: true, min: 0 }), 4000)
    .option('--seed <n>', 'seed of the first measured setup (each next one +1)', parseNumberOption('--seed', { integer: true }), 1)
    .option('--json', 'print one JSON document on stdout')
    .addHelpText('after', helpText(['knsim bench setup', 'knsim bench setup --setups 200 --revisions 2 --json'], '\nExit codes:\n  0  every setup was Ready\n  2  a bad flag'))
    .exitOverride()
    .action(async (o) => {
      const { benchSetup, formatSetup } = await import('./bench/measure.js');
      const r = benchSetup({ setups: o.setups, revisions: o.revisions, warmup: o.warmup, seed: o.seed });
      if (o.json) printJson(r);
      else process.stdout.write(formatSetup(r) + '\n');
      setExit(0);
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
    .description('run a scenario (a YAML file, a .js module, or a built-in name), write summary.json and objects.json, and exit 1 when a check fails or a load got 5xx it did not expect')
    .argument('<scenario>', 'scenario.yaml, scenario.mjs, scenario.ts (needs tsx), or a built-in name (see knsim scenarios)')
    .option('--seed <n>', "seed (overrides the scenario's)", parseNumberOption('--seed', { integer: true }))
    .option('--out <dir>', 'where to write summary.json, objects.json and report.html (default ./knsim-out/<name>)')
    .option('--no-report', 'write no report.html')
    .option('--trace <file>', "write the run's trace as Chrome trace-event JSON (open it in Perfetto)")
    .option('--json', 'print summary.json on stdout instead of writing it')
    .option('--quiet', 'no progress or summary')
    .addHelpText('after', helpText(['knsim run life-of-a-request', 'knsim run my-scenario.yaml --seed 7 --out out/', 'knsim run scale-from-zero --json > summary.json', 'knsim run gray-release --out out/ && knsim get rev --from out/'], EXIT_CODES.replace('the simulated system answered badly or a check failed', 'a check failed, or a load or request got a 5xx (or no answer) that no check covers and it does not expect5xx')))
    .exitOverride()
    .action(async (arg: string, o) => {
      const [{ runCli }, { formatChecks, formatSummary, stableStringify }] = await Promise.all([import('./run.js'), import('@knsim/report')]);
      const { summary, file, report, steps, failures, interrupted } = await runCli(arg, { seed: o.seed, out: o.out, json: o.json, quiet: o.quiet, report: o.report, trace: o.trace });
      if (interrupted) {
        if (o.json) process.stdout.write(stableStringify(summary));
        process.stderr.write(`knsim: interrupted (Ctrl-C) at ${(summary.simulatedMs / 1000).toFixed(1)} s simulated: ${file ? `wrote a partial ${file}` : 'the summary above is partial'} ("complete": false)\n`);
        return setExit(EXIT_INTERRUPTED);
      }
      if (o.json) process.stdout.write(stableStringify(summary));
      else if (!o.quiet) process.stdout.write(`${formatSummary(summary, steps)}\nwrote ${file}\n${report ? `wrote ${report}\n` : ''}`);
      // A CI log shows why the run failed even when stdout is JSON or silent.
      if ((o.json || o.quiet) && failures.failedChecks > 0) process.stderr.write(`${formatChecks(summary.checks!.filter((c) => !c.ok))}\n`);
      for (const m of failures.unaccounted) process.stderr.write(`knsim: ${m}\n`);
      if (failures.failedChecks > 0) process.stderr.write(`knsim: ${failures.failedChecks} of ${summary.checks!.length} check(s) failed\n`);
      setExit(failures.failedChecks > 0 || failures.unaccounted.length > 0 ? EXIT_FAILED : 0);
    });

  program
    .command('report')
    .description('render DIR/report.html again from what `knsim run --out DIR` saved there')
    .argument('<dir>', 'the directory a run wrote (summary.json, run.json, trace.jsonl.gz)')
    .addHelpText('after', helpText(['knsim run gray-release --out out/ && knsim report out/']))
    .exitOverride()
    .action(async (dir: string) => {
      const { runReport } = await import('./report.js');
      process.stdout.write(`wrote ${runReport(dir)}\n`);
    });

  program
    .command('sweep')
    .description('run a scenario for every combination of a matrix of settings and every seed; write sweep.json, sweep.csv and report.html (docs/sweeps.md)')
    .argument('<file>', 'sweep.yaml')
    .option('--workers <n>', 'threads (default: one per core)', parseNumberOption('--workers', { integer: true, min: 1 }))
    .option('--out <dir>', 'where to write sweep.json, sweep.csv, report.html and the finished runs (default ./knsim-out/<name>)')
    .option('--no-report', 'write no report.html')
    .option('--queue <redis-url>', 'put the runs on a BullMQ queue at redis://[:password@]host:port[/db] for `knsim worker`s instead of running them here')
    .option('--json', 'print sweep.json on stdout (the files are written too)')
    .option('--quiet', 'no progress or summary')
    .addHelpText('after', helpText(['knsim sweep window-vs-latency.yaml', 'knsim sweep sweep.yaml --workers 2 --out out/', 'knsim sweep sweep.yaml --queue redis://:PASSWORD@redis:6379/0'], EXIT_CODES.replace('the simulated system answered badly or a check failed', 'a run failed, or a run failed one of its checks')))
    .exitOverride()
    .action(async (file: string, o) => {
      if (o.queue !== undefined && o.workers !== undefined) throw new UserError('--workers is for local runs; with --queue, each knsim worker sets its own --concurrency');
      const [{ formatSweep, runSweepCli }, { stableStringify }] = await Promise.all([import('./sweep/command.js'), import('@knsim/report')]);
      const r = await runSweepCli(file, { workers: o.workers, out: o.out, json: o.json, quiet: o.quiet, queue: o.queue, report: o.report });
      if (o.json) process.stdout.write(stableStringify(r.json));
      else if (!o.quiet) process.stdout.write(`${formatSweep(r)}\n`);
      if (r.failed > 0) process.stderr.write(`knsim: ${r.failed} of ${r.total} run(s) failed; the first: ${r.json.runs.find((x) => x.error !== undefined)!.error}\n`);
      if (r.failedChecks > 0) process.stderr.write(`knsim: ${r.failedChecks} of ${r.total} run(s) failed a check\n`);
      setExit(r.failed > 0 || r.failedChecks > 0 ? EXIT_FAILED : 0);
    });
  program
    .command('worker')
    .description('take sweep runs from a Redis-backed BullMQ queue and run them on this machine\'s threads, until interrupted')
    .requiredOption('--queue <redis-url>', 'redis://[:password@]host:port[/db], as given to knsim sweep --queue')
    .option('--concurrency <n>', 'runs at a time, each on its own thread (default: one per core)', parseNumberOption('--concurrency', { integer: true, min: 1 }))
    .addHelpText('after', helpText(['knsim worker --queue redis://127.0.0.1:6379', 'knsim worker --queue redis://:PASSWORD@redis:6379/0 --concurrency 2']))
    .exitOverride()
    .action(async (o) => {
      const stop = new Promise<void>((res) => {
        process.once('SIGINT', () => res());
        process.once('SIGTERM', () => res());
      });
      const [{ defaultWorkers }, { serveQueue }] = await Promise.all([import('./sweep/pool.js'), import('./sweep/queue.js')]);
      await serveQueue(o.queue, { concurrency: o.concurrency ?? defaultWorkers(), version: KNSIM_VERSION, stop, log: (m) => process.stderr.write(`${m}\n`) });
    });
  bench
    .command('sweep')
    .description('sweep runs on one worker thread and on one per core: runs per second, the speedup and the pool\'s overhead per run')
    .option('--runs <n>', 'runs (seeds 1..n of the scenario)', parseNumberOption('--runs', { integer: true, min: 1 }), 64)
    .option('--workers <n>', 'threads of the parallel pass (default: one per core)', parseNumberOption('--workers', { integer: true, min: 1 }))
    .option('--scenario <name>', 'the built-in scenario to run', 'life-of-a-request')
    .option('--warmup <n>', 'runs each thread of a pool does before the clock starts', parseNumberOption('--warmup', { integer: true, min: 1 }), 2)
    .option('--json', 'print one JSON document on stdout')
    .addHelpText('after', helpText(['knsim bench sweep', 'knsim bench sweep --runs 32 --workers 2 --json', 'knsim bench sweep --runs 200 --warmup 200']))
    .exitOverride()
    .action(async (o) => {
      const [{ benchSweep, formatSweepBench }, { defaultWorkers }] = await Promise.all([import('./bench/sweep.js'), import('./sweep/pool.js')]);
      const r = await benchSweep({ runs: o.runs, workers: o.workers ?? defaultWorkers(), scenario: o.scenario, warmup: o.warmup });
      if (o.json) printJson(r);
      else process.stdout.write(formatSweepBench(r) + '\n');
    });

  program
    .command('scenarios')
    .description('list the built-in scenarios, or copy one to edit')
    .option('--copy <name_and_dir...>', 'copy built-in NAME (its scenario and manifests) into DIR: --copy NAME DIR')
    .option('--json', 'print one JSON document on stdout')
    .addHelpText('after', helpText(['knsim scenarios', 'knsim scenarios --copy gray-release my-release/ && knsim run my-release/scenario.yaml']))
    .exitOverride()
    .action(async (o) => {
      const { copyBuiltin, listScenarios } = await import('./scenarios-command.js');
      if (o.copy !== undefined) {
        if (o.copy.length !== 2) throw new UserError('--copy takes a built-in NAME and a DIR: knsim scenarios --copy gray-release my-release/');
        const files = copyBuiltin(o.copy[0], o.copy[1]);
        if (o.json) printJson({ copied: o.copy[0], dir: o.copy[1], files });
        else process.stdout.write(`copied ${o.copy[0]} to ${o.copy[1]} (${files.length} files); run it with: knsim run ${files.find((f) => f.endsWith('scenario.yaml')) ?? o.copy[1]}\n`);
        return;
      }
      const list = await listScenarios();
      if (o.json) printJson(list);
      else process.stdout.write(list.map((b) => `${b.name.padEnd(26)} ${b.description}`).join('\n') + '\n');
    });
  return program;
}

/**
 * The `{"error": …}` document `--json` prints for a mistake, so a script reading stdout always
 * gets JSON: the message, and the file, line and field when the message names them
 * (`gray.yaml: steps[2].load.rps: …`, `… at line 3, column 5`, `…: spec.traffic`).
 */
export function errorDocument(message: string, file?: string): { error: { message: string; file: string | null; line: number | null; field: string | null } } {
  const parts = message.split(': ');
  const looksLikeFile = (s: string | undefined) => s !== undefined && !/\s/.test(s) && /[./]/.test(s) && !/^[a-z]+(\.[a-zA-Z]+|\[\d+\])+$/.test(s);
  const f = file ?? (looksLikeFile(parts[0]) && parts.length > 1 ? parts[0]! : null);
  const rest = f !== null && parts[0] === f ? parts.slice(1) : parts;
  const fieldLike = (s: string | undefined) => s !== undefined && /^[a-zA-Z_$][\w$-]*(\.[\w$-]+|\[\d+\])+$|^(spec|metadata|steps|manifests|checks|cluster)\b[\w.[\]-]*$/.test(s);
  const field = fieldLike(rest[0]) ? rest[0]! : fieldLike(parts.at(-1)) ? parts.at(-1)! : null;
  const line = /\bline (\d+)/.exec(message);
  return { error: { message, file: f, line: line ? Number(line[1]) : null, field } };
}

/** Runs the CLI; resolves to the exit code. User mistakes print one line and give 2. */
export async function main(args: readonly string[]): Promise<number> {
  // hey's Go flags (-host, -z=30s) as commander reads them.
  const argv = args[0] === 'hey' ? ['hey', ...normalizeHeyArgs(args.slice(1))] : args;
  let code = 0;
  const program = buildProgram((c) => {
    code = c;
  });
  if (argv.length === 0) {
    program.outputHelp();
    return 0;
  }
  const dashdash = argv.indexOf('--');
  const json = (dashdash < 0 ? argv : argv.slice(0, dashdash)).includes('--json');
  const fail = (message: string, exit: number, file?: string): number => {
    if (json) printJson(errorDocument(message, file));
    return exit;
  };
  try {
    await program.parseAsync(argv as string[], { from: 'user' });
    return code;
  } catch (err) {
    // Thrown by our own parsing inside an action (-H, --set): commander has printed nothing.
    if (err instanceof InvalidArgumentError) {
      process.stderr.write(`knsim: ${err.message}\n`);
      return EXIT_USAGE;
    }
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return 0;
      // commander has already printed its message to stderr
      return err.exitCode === 0 ? 0 : fail(err.message.replace(/^error: /, ''), EXIT_USAGE);
    }
    if (err instanceof UserError) {
      process.stderr.write(`knsim: ${err.message}\n`);
      return fail(err.message, err.exitCode);
    }
    const { NotReadyError, UserInputError, ApplyError, LivelockError } = await import('@knsim/sim-core');
    if (err instanceof NotReadyError || err instanceof LivelockError) {
      process.stderr.write(`knsim: ${err.message}\n`);
      return fail(err.message, EXIT_FAILED);
    }
    if (err instanceof UserInputError) {
      process.stderr.write(`knsim: ${err.message}\n`);
      return fail(err.message, EXIT_USAGE, err instanceof ApplyError ? err.file : undefined);
    }
    throw err;
  }
}
