/**
 * Deterministic address allocation: pod IPs from 10.244.0.0/16 (the usual pod CIDR), Service
 * ClusterIPs from 10.96.0.0/12 (kubeadm's default), and the ingress gateway's external address
 * from TEST-NET-3 (203.0.113.0/24, reserved for documentation), in allocation order.
 */
export class AddressAllocator {
  private pod = 1;
  private svc = 20; // 10.96.0.1 (kubernetes) and 10.96.0.10 (kube-dns) are fixed below
  private ext = 10;

  static readonly KUBERNETES = '10.96.0.1';
  static readonly KUBE_DNS = '10.96.0.10';

  podIp(): string {
    const n = this.pod++;
    return `10.244.${Math.floor(n / 250)}.${(n % 250) + 2}`;
  }

  clusterIp(): string {
    const n = this.svc++;
    return `10.96.${Math.floor(n / 250)}.${(n % 250) + 1}`;
  }

  externalIp(): string {
    return `203.0.113.${this.ext++}`;
  }
}

const POD_NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789'; // k8s.io/apimachinery rand.String

/** Kubernetes-style generated name suffixes, drawn from a seeded stream. */
export function randomSuffix(next: () => number, length: number): string {
  let s = '';
  for (let i = 0; i < length; i++) s += POD_NAME_ALPHABET[Math.floor(next() * POD_NAME_ALPHABET.length)];
  return s;
}

/** A stable pod-template-hash-like string for a revision (10 chars, same alphabet). */
export function templateHash(name: string): string {
  let h = 0x811c9dc5;
  let s = '';
  for (let i = 0; i < 10; i++) {
    for (let j = 0; j < name.length; j++) h = Math.imul(h ^ name.charCodeAt(j), 0x01000193);
    h = Math.imul(h ^ i, 0x01000193);
    s += POD_NAME_ALPHABET[(h >>> 0) % POD_NAME_ALPHABET.length];
  }
  return s;
}
