import { dig, type DigResult, type DigType } from '@knsim/sim-core';
import { UserError } from '../errors.js';
import type { CommandOutput } from './get.js';
import type { InspectState } from './source.js';

const TYPES: readonly DigType[] = ['A', 'CNAME', 'SRV', 'ANY'];

export function digType(t: string | undefined): DigType {
  const u = (t ?? 'A').toUpperCase() as DigType;
  if (!TYPES.includes(u)) throw new UserError(`dig: unsupported query type ${JSON.stringify(t)} (knsim answers ${TYPES.join(', ')})`);
  return u;
}

/** BIND's owner-name column: tabs up to column 24, at least one. */
function owner(name: string): string {
  const fqdn = `${name}.`;
  const tabs = Math.max(1, Math.ceil((24 - fqdn.length) / 8));
  return fqdn + '\t'.repeat(fqdn.length >= 24 ? 1 : tabs);
}

type Rec = DigResult['queries'][number]['answer']['records'][number];

function recordLine(r: Rec): string {
  const rdata = r.type === 'A' ? r.address : r.type === 'CNAME' ? `${r.target}.` : `0 100 ${r.port} ${r.target}.`;
  return `${owner(r.name)}${r.ttl}\tIN\t${r.type}\t${rdata}`;
}

/**
 * dig's output for the last query (header, question and answer sections); with `--from-pod`,
 * the search-path names tried before it, as `dig +search +showsearch` shows them.
 */
export function formatDig(name: string, type: DigType, r: DigResult): string {
  const out: string[] = [`; <<>> knsim dig <<>> ${r.server === 'kube-dns' ? '+search ' : ''}${name}${type === 'A' ? '' : ` ${type}`}`];
  if (r.search) out.push(`;; resolv.conf: search ${r.search.search.join(' ')}; options ndots:${r.search.ndots}`);
  r.queries.forEach((q, i) => {
    const a = q.answer;
    const last = i === r.queries.length - 1;
    if (!last) {
      out.push(`;; search: ${q.name}. ${a.rcode}${a.rcode === 'NOERROR' ? ' (no records)' : ''}`);
      return;
    }
    out.push(
      ';; Got answer:',
      `;; ->>HEADER<<- opcode: QUERY, status: ${a.rcode}, id: ${1000 + i}`,
      `;; flags: qr${a.authoritative ? ' aa' : ''} rd ra; QUERY: 1, ANSWER: ${a.records.length}, AUTHORITY: 0, ADDITIONAL: 0`,
      '',
      ';; QUESTION SECTION:',
      `;${owner(q.name)}\tIN\t${type}`,
    );
    if (a.records.length > 0) out.push('', ';; ANSWER SECTION:', ...a.records.map(recordLine));
    out.push('', r.server === 'kube-dns' ? ';; SERVER: 10.96.0.10#53(kube-dns.kube-system.svc)' : ';; SERVER: external resolver (the Knative domains lead to the ingress gateway)');
  });
  return out.join('\n') + '\n';
}

/** `knsim dig NAME [TYPE] [--from-pod NAMESPACE]`: exit 0 with an answer, 1 without (NXDOMAIN or no records), as a script wants. */
export function runDig(state: InspectState, name: string, typeArg: string | undefined, fromPod: string | undefined, json: boolean): CommandOutput {
  const type = digType(typeArg);
  const r = dig(state.snapshot, name, { ...(fromPod !== undefined ? { fromNamespace: fromPod } : {}), type });
  const last = r.queries.at(-1)!;
  const answered = last.answer.rcode === 'NOERROR' && last.answer.records.length > 0;
  let stderr = '';
  if (!answered && fromPod === undefined && last.name.endsWith(`.${state.snapshot.clusterDomain}`)) {
    stderr = `knsim: ${last.name} is a cluster name: the external resolver does not know it; ask as a pod does with --from-pod NAMESPACE\n`;
  }
  return { stdout: json ? JSON.stringify({ name, type, ...r }, null, 2) + '\n' : formatDig(name, type, r), stderr, exitCode: answered ? 0 : 1 };
}
