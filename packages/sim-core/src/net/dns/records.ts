/** DNS answers as knsim models them: enough for A/CNAME/SRV lookups and a readable trace. */
export type DnsRecord =
  | { type: 'A'; name: string; address: string; ttl: number }
  | { type: 'CNAME'; name: string; target: string; ttl: number }
  | { type: 'SRV'; name: string; target: string; port: number; ttl: number };

export type Rcode = 'NOERROR' | 'NXDOMAIN';

export interface DnsAnswer {
  /** The fully qualified name asked, without the trailing dot. */
  name: string;
  rcode: Rcode;
  /** CoreDNS is authoritative for cluster.local; forwarded answers are not. */
  authoritative: boolean;
  records: DnsRecord[];
  /** Who answered: CoreDNS's kubernetes plugin, or the upstream resolver it forwards to. */
  source: 'kubernetes' | 'upstream';
}

/** The A addresses of an answer, following its CNAME chain from `name`. */
export function addressesOf(answer: DnsAnswer): string[] {
  let name = answer.name;
  for (let hops = 0; hops < 8; hops++) {
    const cname = answer.records.find((r): r is Extract<DnsRecord, { type: 'CNAME' }> => r.type === 'CNAME' && r.name === name);
    if (cname === undefined) break;
    name = cname.target;
  }
  return answer.records.filter((r): r is Extract<DnsRecord, { type: 'A' }> => r.type === 'A' && r.name === name).map((r) => r.address);
}

/** One line per answer, dig-style: `name. 30 IN A 10.0.0.1`, or `name NXDOMAIN`. */
export function formatAnswer(answer: DnsAnswer): string[] {
  if (answer.rcode === 'NXDOMAIN') return [`${answer.name} NXDOMAIN`];
  if (answer.records.length === 0) return [`${answer.name} NOERROR (no records)`];
  return answer.records.map((r) =>
    r.type === 'A' ? `${r.name}. ${r.ttl} IN A ${r.address}` : r.type === 'CNAME' ? `${r.name}. ${r.ttl} IN CNAME ${r.target}.` : `${r.name}. ${r.ttl} IN SRV 0 100 ${r.port} ${r.target}.`,
  );
}

/** Lower-cased, without a trailing dot. */
export const normalizeName = (name: string) => name.replace(/\.$/, '').toLowerCase();
