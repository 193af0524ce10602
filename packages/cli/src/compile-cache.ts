import { closeSync, fstatSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, renameSync, rmSync, statSync, writeFileSync, type Stats } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { Script } from 'node:vm';
import * as zlib from 'node:zlib';

/**
 * Runs the CLI's bundle (dist/bundle/knsim.cjs, scripts/bundle.mjs) with a V8 code cache, as
 * Node 22's `module.enableCompileCache()` does for modules (Node 20 has no such API). Compiling
 * the bundle's code is most of what `knsim` costs before it does anything; the cache holds V8's
 * bytecode for the functions a command ran, written once after the first successful run of that
 * command, and read by the next ones. A cache is only ever used for the script it was made from:
 * its name carries the bundle's SHA-256 (from the build), size and modification time, the V8
 * version, the architecture and Node's and V8's options, and V8 itself rejects data made by
 * another version or with other flags. V8 does not check the rest of the data, and aborts the
 * process on a damaged one: the file carries its length and CRC-32, checked before V8 sees it.
 * A rejected, damaged or unreadable cache is rewritten; any failure to read or write the cache
 * leaves knsim running as it would without one.
 */

/** The file: MAGIC, the data's length and CRC-32 (unsigned 32-bit little-endian), the data. */
const MAGIC = Buffer.from('knsimcc1', 'latin1');
const HEADER_BYTES = MAGIC.length + 8;

/** The CRC-32 the cache is checked with: zlib.crc32 (Node 20.15+, 22.2+), or no cache without it. */
const crc32: ((data: Uint8Array | string) => number) | undefined = typeof zlib.crc32 === 'function' ? zlib.crc32 : undefined;

/** What scripts/bundle.mjs writes beside the bundle. */
interface BundleManifest {
  script: string;
  sha256: string;
}

/**
 * `hit`: V8 took the cached code; `miss`: none yet; `damaged`: the file's length or checksum is
 * wrong, and V8 was not given it; `rejected`: V8 refused it; `off`: no cache.
 */
export type CacheState = 'hit' | 'miss' | 'damaged' | 'rejected' | 'off';

export interface LoadedBundle<T> {
  exports: T;
  cache: CacheState;
  /** The cache file this run reads and writes, when there is one. */
  cacheFile?: string;
  /** Writes the code cache when there was none to use (not `hit` or `off`); never throws. */
  saveCache(): void;
}

/** Files kept in the cache folder; the oldest beyond this are removed when one is written. */
export const MAX_CACHE_FILES = 32;

/**
 * The folder for code caches: KNSIM_CACHE_DIR, else the user's cache folder (XDG_CACHE_HOME or
 * ~/.cache on Linux and macOS, LOCALAPPDATA on Windows) + knsim/compile. None when
 * KNSIM_DISABLE_COMPILE_CACHE is set (to anything but empty or 0).
 */
export function compileCacheDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const off = env.KNSIM_DISABLE_COMPILE_CACHE;
  if (off !== undefined && off !== '' && off !== '0') return undefined;
  if (env.KNSIM_CACHE_DIR) return env.KNSIM_CACHE_DIR;
  const base = process.platform === 'win32' ? env.LOCALAPPDATA : env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return base ? join(base, 'knsim', 'compile') : undefined;
}

/** The command a cache is kept for: the first argument that is not an option, or `none`. */
export function cacheCommand(args: readonly string[]): string {
  const first = args.find((a) => !a.startsWith('-'));
  if (first === undefined) return 'none';
  return /^[a-z][a-z-]{0,30}$/.test(first) ? first : 'other';
}

/**
 * Loads the bundle in `bundleDir` and runs its top level. `command` names the cache to use (see
 * cacheCommand); without it (a sweep's worker threads) the bundle runs without a cache.
 * `importModule` is the bundle's `import()` (a vm script has none in Node 20): the CLI passes
 * one that resolves from its own package, where the bundle's dependencies are installed.
 */
export function loadBundle<T>(
  bundleDir: string,
  opts: { command?: string; cacheDir?: string; importModule: (specifier: string) => Promise<unknown> },
): LoadedBundle<T> {
  const manifest = JSON.parse(readFileSync(join(bundleDir, 'bundle.json'), 'utf8')) as BundleManifest;
  const file = join(bundleDir, manifest.script);
  const read = readWhole(file);
  const source = read.bytes.toString('utf8');
  let cacheFile: string | undefined;
  let cachedData: Buffer | undefined;
  let damaged = false;
  if (opts.command !== undefined && opts.cacheDir !== undefined && crc32 !== undefined) {
    const st = read.stats;
    // V8 refuses a cache made with other flags: a name per set keeps each one's cache.
    const options = crc32(`${process.execArgv.join(' ')}\0${process.env.NODE_OPTIONS ?? ''}`).toString(16);
    cacheFile = join(opts.cacheDir, `${manifest.sha256.slice(0, 16)}-${st.size}-${Math.trunc(st.mtimeMs)}-v8-${process.versions.v8}-${process.arch}-${options}-${opts.command}.bin`);
    let raw: Buffer | undefined;
    try {
      // Into the memory the script was read into, which is free again: memory a process touches
      // for the first time is a good part of what a start costs (docs/cli.md, "Start-up").
      raw = readWhole(cacheFile, read.buffer).bytes;
    } catch {
      // none yet, or unreadable: made after this run
    }
    if (raw !== undefined) {
      cachedData = checkedData(raw, crc32);
      damaged = cachedData === undefined;
    }
  }
  // The script is a function (scripts/bundle.mjs): the one Node wraps a CommonJS module in, and the
  // bundle's import().
  const script = new Script(source, { filename: file, cachedData });
  const module = { exports: {} as T };
  (script.runInThisContext() as (...a: unknown[]) => void).call(module.exports, module.exports, createRequire(file), module, file, dirname(file), opts.importModule);
  const cache: CacheState = cacheFile === undefined ? 'off' : damaged ? 'damaged' : cachedData === undefined ? 'miss' : script.cachedDataRejected === true ? 'rejected' : 'hit';
  return {
    exports: module.exports,
    cache,
    cacheFile,
    saveCache: () => {
      if (cacheFile === undefined || crc32 === undefined || cache === 'hit') return;
      try {
        writeCache(cacheFile, script.createCachedData(), crc32);
      } catch {
        // a read-only or full disk: the next run compiles again
      }
    },
  };
}

/** A whole file, read into `into` when it is large enough; `buffer` is the memory it is in. */
function readWhole(path: string, into?: Buffer): { bytes: Buffer; buffer: Buffer; stats: Stats } {
  const fd = openSync(path, 'r');
  try {
    const stats = fstatSync(fd);
    const buffer = into !== undefined && into.length >= stats.size ? into : Buffer.allocUnsafeSlow(stats.size);
    let n = 0;
    for (let r = 1; n < stats.size && r > 0; n += r) r = readSync(fd, buffer, n, stats.size - n, n);
    return { bytes: buffer.subarray(0, n), buffer, stats };
  } finally {
    closeSync(fd);
  }
}

/** The V8 data in a cache file, or none when the file's magic, length or CRC-32 is wrong. */
function checkedData(raw: Buffer, crc: (data: Uint8Array) => number): Buffer | undefined {
  if (raw.length < HEADER_BYTES || !raw.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
  const data = raw.subarray(HEADER_BYTES);
  if (raw.readUInt32LE(MAGIC.length) !== data.length || raw.readUInt32LE(MAGIC.length + 4) !== crc(data)) return undefined;
  return data;
}

// Written under a temporary name and renamed, so a concurrent knsim reads a whole cache or none.
function writeCache(file: string, data: Buffer, crc: (data: Uint8Array) => number): void {
  const dir = dirname(file);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const header = Buffer.alloc(HEADER_BYTES);
  MAGIC.copy(header);
  header.writeUInt32LE(data.length, MAGIC.length);
  header.writeUInt32LE(crc(data), MAGIC.length + 4);
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, Buffer.concat([header, data]), { mode: 0o600 });
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.bin'))
    .map((f) => ({ f, t: statSync(join(dir, f)).mtimeMs }))
    .sort((a, b) => b.t - a.t);
  for (const { f } of files.slice(MAX_CACHE_FILES)) rmSync(join(dir, f), { force: true });
}
