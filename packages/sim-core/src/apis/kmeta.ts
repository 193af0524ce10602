import { md5 } from '@noble/hashes/legacy';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils';

/**
 * knative.dev/pkg kmeta/names.go ChildName: `parent + suffix`, unless that exceeds 63 characters;
 * then the parent is cut and an md5 of the parent is inserted so the name stays unique and valid
 * (`parent[:31-len(suffix)] + md5hex(parent) + suffix`). For suffixes so long that no parent
 * prefix fits, the hash covers parent+suffix and the result is truncated to 63 characters.
 */
const LONGEST = 63;
const MD5_LEN = 32;
const HEAD = LONGEST - MD5_LEN;

const md5hex = (s: string) => bytesToHex(md5(utf8ToBytes(s)));

export function childName(parent: string, suffix: string): string {
  let n = parent;
  if (parent.length > LONGEST - suffix.length) {
    if (HEAD - suffix.length <= 0) {
      const h = md5hex(parent + suffix);
      let ret = (HEAD < parent.length ? parent.slice(0, HEAD) : parent) + h;
      const d = LONGEST - ret.length;
      if (d > 0) ret += suffix.slice(0, d);
      return makeValidName(ret);
    }
    n = parent.slice(0, HEAD - suffix.length) + md5hex(parent);
  }
  return n + suffix;
}

// Trailing non-alphanumerics are trimmed so the name still ends like a DNS label.
function makeValidName(n: string): string {
  let out = n;
  while (out.length > 0 && !/[a-zA-Z0-9]/.test(out[out.length - 1]!)) out = out.slice(0, -1);
  return out;
}
