import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isBuiltin } from 'node:module';
import { isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32 } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cacheCommand, compileCacheDir, loadBundle, MAX_CACHE_FILES } from '../../src/compile-cache.js';

// Issue 16, "Fast start": a one-request `knsim curl` within 2.5x a bare `node -e 0`. Time is not
// tested (docs/cli.md, "Start-up", has the measured figures); what makes it is: the bundle runs
// from a V8 code cache that is only ever used for the script it was made from, and a start loads
// none of Node's modules it does not use.

const bin = fileURLToPath(new URL('../../bin/knsim.js', import.meta.url));
const loader = fileURLToPath(new URL('../../dist/bundle/load.cjs', import.meta.url));
const bundleScript = fileURLToPath(new URL('../../dist/bundle/knsim.cjs', import.meta.url));
const hello = fileURLToPath(new URL('../../../scenarios/builtin/life-of-a-request/hello.yaml', import.meta.url));
const URL_ = 'http://hello.default.example.com/';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'knsim-startup-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const noImport = (s: string): Promise<unknown> => Promise.reject(new Error(`unexpected import of ${s}`));

/**
 * A bundle folder as scripts/bundle.mjs lays it out: the script (CommonJS code in the function
 * Node wraps a module in) and bundle.json naming it and its hash.
 */
function writeBundle(at: string, source: string): string {
  mkdirSync(at, { recursive: true });
  const wrapped = `(function (exports, require, module, __filename, __dirname, __knsimImport) {${source}\n})`;
  writeFileSync(join(at, 'b.cjs'), wrapped);
  writeFileSync(join(at, 'bundle.json'), JSON.stringify({ script: 'b.cjs', sha256: createHash('sha256').update(wrapped).digest('hex') }));
  return at;
}

// A script with enough functions that V8's cache for it is worth having, run on load.
const script = (answer: number) => `${Array.from({ length: 50 }, (_, i) => `function f${i}(x) { return x + ${i}; }`).join('\n')}
exports.answer = () => f0(${answer});
exports.run = () => [${Array.from({ length: 50 }, (_, i) => `f${i}(1)`).join(', ')}].length;
exports.importer = __knsimImport;`;

/**
 * Loads a bundle in a Node process of its own, with the loader bin/knsim.js uses
 * (dist/bundle/load.cjs): a second load in the same process would find the script in V8's own
 * in-memory cache.
 */
function loadApart(bundleDir: string, command: string, cacheDir: string): { cache: string; cacheFile: string; answer: number } {
  const child = `const { loadBundle } = require(${JSON.stringify(loader)});
const l = loadBundle(${JSON.stringify(bundleDir)}, { command: ${JSON.stringify(command)}, cacheDir: ${JSON.stringify(cacheDir)}, importModule: (s) => import(s) });
const answer = l.exports.answer();
l.exports.run();
l.saveCache();
console.log(JSON.stringify({ cache: l.cache, cacheFile: l.cacheFile, answer }));`;
  const r = spawnSync(process.execPath, ['-e', child], { encoding: 'utf8', timeout: 60_000 });
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout) as { cache: string; cacheFile: string; answer: number };
}

describe('the code cache of the bundle (src/compile-cache.ts)', () => {
  it('is written after the first run of a command and taken by the next', () => {
    const b = writeBundle(join(dir, 'bundle'), script(41));
    const cacheDir = join(dir, 'cache');
    const first = loadApart(b, 'curl', cacheDir);
    expect(first).toMatchObject({ cache: 'miss', answer: 41 });
    expect(readdirSync(cacheDir)).toEqual([expect.stringMatching(/-curl\.bin$/)]);
    expect(loadApart(b, 'curl', cacheDir)).toEqual({ ...first, cache: 'hit' });
    // Another command has a cache of its own: it runs other code.
    expect(loadApart(b, 'run', cacheDir).cache).toBe('miss');
  });

  it('is never used for another script, even one of the same length', () => {
    const cacheDir = join(dir, 'cache');
    const b = writeBundle(join(dir, 'bundle'), script(41));
    const a = loadApart(b, 'curl', cacheDir);
    // A rebuilt bundle: same length, other code, other hash (and modification time).
    writeBundle(b, script(42));
    utimesSync(join(b, 'b.cjs'), new Date(0), new Date(0));
    const rebuilt = loadApart(b, 'curl', cacheDir);
    expect(rebuilt.cache).toBe('miss');
    expect(rebuilt.cacheFile).not.toBe(a.cacheFile);
    expect(rebuilt.answer).toBe(42);
  });

  it('a damaged cache is never given to V8 (which aborts on one): the bundle runs as without one, and the cache is written again', () => {
    const cacheDir = join(dir, 'cache');
    const b = writeBundle(join(dir, 'bundle'), script(41));
    const first = loadApart(b, 'curl', cacheDir);
    const good = readFileSync(first.cacheFile);
    // Bytes changed in the middle of V8's data, whose own header still matches.
    const damaged = Buffer.from(good);
    for (let i = 0; i < 64; i++) damaged[(damaged.length >> 1) + i] ^= 0x5a;
    writeFileSync(first.cacheFile, damaged);
    expect(loadApart(b, 'curl', cacheDir)).toMatchObject({ cache: 'damaged', answer: 41 });
    // Written again, and taken.
    expect(loadApart(b, 'curl', cacheDir).cache).toBe('hit');
    // Cut short, or not a cache at all.
    for (const bytes of [good.subarray(0, good.length - 100), good.subarray(0, 10), Buffer.alloc(good.length, 7)]) {
      writeFileSync(first.cacheFile, bytes);
      expect(loadApart(b, 'curl', cacheDir)).toMatchObject({ cache: 'damaged', answer: 41 });
    }
  });

  it('a cache V8 refuses (made by another V8) is rewritten', () => {
    const cacheDir = join(dir, 'cache');
    const b = writeBundle(join(dir, 'bundle'), script(41));
    const first = loadApart(b, 'curl', cacheDir);
    // The file is a 16-byte header (magic, length, CRC-32) and V8's data, whose second word is
    // the hash of the V8 version that made it.
    const file = readFileSync(first.cacheFile);
    const data = file.subarray(16);
    data.writeUInt32LE(data.readUInt32LE(4) ^ 1, 4);
    file.writeUInt32LE(crc32(data), 12);
    writeFileSync(first.cacheFile, file);
    expect(loadApart(b, 'curl', cacheDir)).toMatchObject({ cache: 'rejected', answer: 41 });
    expect(loadApart(b, 'curl', cacheDir).cache).toBe('hit');
  });

  it('a cache folder that cannot be written costs nothing but the cache', () => {
    writeFileSync(join(dir, 'file'), '');
    const b = writeBundle(join(dir, 'bundle'), script(41));
    const loaded = loadBundle<{ answer(): number }>(b, { command: 'curl', cacheDir: join(dir, 'file', 'cache'), importModule: noImport });
    expect(loaded.cache).toBe('miss');
    expect(() => loaded.saveCache()).not.toThrow();
    expect(loaded.exports.answer()).toBe(41);
  });

  it('without a command (a sweep thread) or a folder, no cache is read or written', () => {
    const b = writeBundle(join(dir, 'bundle'), script(41));
    const loaded = loadBundle(b, { cacheDir: join(dir, 'cache'), importModule: noImport });
    expect(loaded.cache).toBe('off');
    loaded.saveCache();
    expect(readdirSync(dir)).toEqual(['bundle']);
  });

  it('keeps the newest files only', () => {
    const cacheDir = join(dir, 'cache');
    mkdirSync(cacheDir);
    for (let i = 0; i < MAX_CACHE_FILES + 3; i++) {
      writeFileSync(join(cacheDir, `old-${i}.bin`), '');
      utimesSync(join(cacheDir, `old-${i}.bin`), new Date(i * 1000), new Date(i * 1000));
    }
    const loaded = loadBundle(writeBundle(join(dir, 'bundle'), script(41)), { command: 'curl', cacheDir, importModule: noImport });
    loaded.saveCache();
    const left = readdirSync(cacheDir);
    expect(left).toHaveLength(MAX_CACHE_FILES);
    expect(left).toContain(loaded.cacheFile!.split(/[\\/]/).pop());
    // The new file and the newest MAX_CACHE_FILES - 1 of the old ones: old-4 .. old-34.
    expect(left.filter((f) => f.startsWith('old-')).sort()).toEqual(Array.from({ length: MAX_CACHE_FILES - 1 }, (_, i) => `old-${i + 4}.bin`).sort());
  });

  it("gives the bundle the loader's import()", async () => {
    const loaded = loadBundle<{ importer: (s: string) => Promise<unknown> }>(writeBundle(join(dir, 'bundle'), script(41)), { importModule: (s) => import(s) });
    expect(((await loaded.exports.importer('node:path')) as { sep: string }).sep).toBe(join('a', 'b')[1]);
  });

  it('lives in the user cache folder unless KNSIM_CACHE_DIR says, and KNSIM_DISABLE_COMPILE_CACHE turns it off', () => {
    expect(compileCacheDir({ KNSIM_CACHE_DIR: '/x' })).toBe('/x');
    expect(compileCacheDir({ KNSIM_CACHE_DIR: '/x', KNSIM_DISABLE_COMPILE_CACHE: '1' })).toBeUndefined();
    expect(compileCacheDir({ KNSIM_CACHE_DIR: '/x', KNSIM_DISABLE_COMPILE_CACHE: '0' })).toBe('/x');
    if (process.platform !== 'win32') expect(compileCacheDir({ XDG_CACHE_HOME: '/c' })).toBe(join('/c', 'knsim', 'compile'));
  });

  it('is kept per command: the first argument that is not an option', () => {
    expect(cacheCommand(['curl', '-f', 'x.yaml', 'http://a/'])).toBe('curl');
    expect(cacheCommand(['--json', 'run', 'x'])).toBe('run');
    expect(cacheCommand([])).toBe('none');
    expect(cacheCommand(['/tmp/x.yaml'])).toBe('other');
  });
});

describe('knsim curl from the bundle', () => {
  const curl = (env: Record<string, string>, preload: string[] = []) =>
    spawnSync(process.execPath, [...preload, bin, 'curl', '-f', hello, URL_], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 120_000 });

  it('writes its cache once, and answers the same with it, without it, and with a damaged one', () => {
    const env = { KNSIM_CACHE_DIR: join(dir, 'cache') };
    const first = curl(env);
    expect([first.status, first.stdout, first.stderr]).toEqual([0, 'Hello World!\n', '']);
    const files = readdirSync(env.KNSIM_CACHE_DIR);
    expect(files).toEqual([expect.stringMatching(/-curl\.bin$/)]);
    expect(curl(env)).toMatchObject({ status: 0, stdout: first.stdout, stderr: '' });
    // Damaged in the middle: V8 would abort the process if it were given this.
    const cacheFile = join(env.KNSIM_CACHE_DIR, files[0]!);
    const damaged = readFileSync(cacheFile);
    for (let i = 0; i < 256; i++) damaged[(damaged.length >> 1) + i] ^= 0x5a;
    writeFileSync(cacheFile, damaged);
    expect(curl(env)).toMatchObject({ status: 0, stdout: first.stdout, stderr: '' });
    writeFileSync(cacheFile, 'not a cache');
    expect(curl(env)).toMatchObject({ status: 0, stdout: first.stdout, stderr: '' });
    expect(curl({ ...env, KNSIM_DISABLE_COMPILE_CACHE: '1', KNSIM_CACHE_DIR: join(dir, 'unused') })).toMatchObject({ status: 0, stdout: first.stdout, stderr: '' });
    expect(readdirSync(dir)).toEqual(['cache']);
  });

  it('does not load what it does not use: crypto (a random seed), child_process (commander), the ES module loader, a package lookup', () => {
    const hook = join(dir, 'modules.cjs');
    const out = join(dir, 'modules.txt');
    const resolved = join(dir, 'resolved.txt');
    writeFileSync(
      hook,
      `const Module = require('node:module'); const resolve = Module._resolveFilename; const asked = [];
Module._resolveFilename = function (request, ...rest) { asked.push(request); return resolve.call(this, request, ...rest); };
process.on('exit', () => { require('node:fs').writeFileSync(${JSON.stringify(out)}, process.moduleLoadList.join('\\n')); require('node:fs').writeFileSync(${JSON.stringify(resolved)}, asked.join('\\n')); });`,
    );
    expect(curl({ KNSIM_CACHE_DIR: join(dir, 'cache') }, ['--require', hook]).status).toBe(0);
    const loaded = readFileSync(out, 'utf8').split('\n');
    // No package is looked up in node_modules (the built-in scenarios' folder is found on first use).
    expect(readFileSync(resolved, 'utf8').split('\n').filter((r) => r !== '' && !isBuiltin(r) && !r.startsWith('.') && !isAbsolute(r))).toEqual([]);
    expect(loaded).toContain('NativeModule vm');
    expect(loaded).not.toContain('NativeModule crypto');
    expect(loaded).not.toContain('NativeModule child_process');
    // Started as CommonJS (bin/package.json), without Node's ES module loader.
    expect(loaded).not.toContain('NativeModule internal/modules/esm/module_job');
  });

  it('initialises re2js (the RE2 patterns of Istio regex fields) only when one is used', () => {
    // Its module is wrapped in a function run on the first require, which sim-core's import of it
    // (a stand-in whose exports are getters) makes on first use; without the stand-in it is part of
    // the script's top level.
    const script = readFileSync(bundleScript, 'utf8');
    expect(script).toMatch(/__commonJS\(\{"[^"]*re2js\/build\/index\.cjs"/);
    expect(script).toMatch(/__commonJS\(\{"lazy-re2js:re2js"/);
  });

  it('runs the bundle as strict code, as the ES modules it is made of', () => {
    // A directive only counts first in the function's body.
    expect(readFileSync(bundleScript, 'utf8')).toMatch(/^\(function \(exports, require, module, __filename, __dirname, __knsimImport\) \{"use strict";/);
  });
});
