/**
 * Magic DNS: `sslip.io` and `nip.io` (and the retired `xip.io`) answer a name that ends in an
 * IPv4 address and their domain with that address (`autoscale-go.default.1.2.3.4.sslip.io` is
 * 1.2.3.4). Knative's "Magic DNS" install (serving-default-domain.yaml, the default-domain Job)
 * sets config-domain to `<the load balancer's IP>.sslip.io`, and the Knative docs' samples then
 * use URLs such as `http://autoscale-go.default.1.2.3.4.sslip.io`, 1.2.3.4 standing for the
 * reader's load balancer. knsim does what that Job does: a URL under such a domain makes it the
 * cluster's domain (unless `--set config-domain.…` chose one), so the external resolver leads it
 * to the ingress gateway, whose simulated address stands for the one in the name.
 */
const MAGIC = /(?:^|\.)((?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3}\.(?:sslip\.io|nip\.io|xip\.io))\.?$/i;

/** The magic domain a host is under (`1.2.3.4.sslip.io`), or undefined. */
export function magicDomain(host: string): string | undefined {
  return MAGIC.exec(host)?.[1]?.toLowerCase();
}

/**
 * The `--set` overrides with config-domain set to the URL's magic domain, when the URL has one
 * and the user set no domain; and the note to print about it.
 */
export function withMagicDomain(url: string, sets: readonly string[]): { sets: string[]; note?: string } {
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    return { sets: [...sets] };
  }
  const domain = magicDomain(host);
  if (domain === undefined || sets.some((s) => s.startsWith('config-domain.'))) return { sets: [...sets] };
  return {
    sets: [...sets, `config-domain.${domain}=`],
    note: `knsim: ${domain} is a Magic DNS (sslip.io) domain: config-domain set to it, as Knative's default-domain job does, and its address stands for the ingress gateway's\n`,
  };
}
