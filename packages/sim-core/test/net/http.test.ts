import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { HttpHeaders } from '../../src/net/http.js';

describe('HttpHeaders', () => {
  it('looks names up case-insensitively and keeps the spelling and order they were written in', () => {
    const h = new HttpHeaders({ 'Content-Type': 'text/plain', 'X-B': '1' });
    h.add('x-b', '2');
    h.set('User-Agent', 'curl/8.5.0');
    expect(h.get('content-type')).toBe('text/plain');
    expect(h.getAll('X-b')).toEqual(['1', '2']);
    expect(h.entries()).toEqual([
      ['Content-Type', 'text/plain'],
      ['X-B', '1'],
      ['x-b', '2'],
      ['User-Agent', 'curl/8.5.0'],
    ]);
    expect(h.size).toBe(4);
  });

  it('set replaces the first line of a name and drops the later ones; remove drops them all', () => {
    const h = new HttpHeaders([
      ['a', '1'],
      ['B', '2'],
      ['b', '3'],
      ['c', '4'],
      ['b', '5'],
    ]);
    h.set('b', 'x');
    expect(h.entries()).toEqual([
      ['a', '1'],
      ['b', 'x'],
      ['c', '4'],
    ]);
    h.add('C', '5');
    h.remove('c');
    expect(h.entries()).toEqual([
      ['a', '1'],
      ['b', 'x'],
    ]);
  });

  it('a copy is independent of its original', () => {
    const a = new HttpHeaders({ x: '1' });
    const b = a.clone();
    b.set('x', '2');
    b.add('y', '3');
    expect(a.entries()).toEqual([['x', '1']]);
    expect(b.entries()).toEqual([
      ['x', '2'],
      ['y', '3'],
    ]);
  });

  it('toRecord: lower-case names in sorted order, repeated values joined, any name allowed', () => {
    const h = new HttpHeaders([
      ['Z-Last', 'z'],
      ['constructor', 'c'],
      ['__proto__', 'p'],
      ['Set-Cookie', 'a=1'],
      ['set-cookie', 'b=2'],
      ['Accept', '*/*'],
    ]);
    const r = h.toRecord();
    expect(Object.keys(r)).toEqual(['__proto__', 'accept', 'constructor', 'set-cookie', 'z-last']);
    expect(r['set-cookie']).toBe('a=1, b=2');
    expect(r.constructor).toBe('c');
    expect(Object.getPrototypeOf(r)).toBe(Object.prototype);
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });

  it('toRecord agrees with a plain map-and-sort on any headers', () => {
    const name = fc.constantFrom('a', 'A', 'b', 'B-x', 'b-x', 'c', 'host', 'Host', 'x-y');
    fc.assert(
      fc.property(fc.array(fc.tuple(name, fc.string({ maxLength: 3 })), { maxLength: 12 }), (lines) => {
        const expected = new Map<string, string[]>();
        for (const [k, v] of lines) {
          const l = k.toLowerCase();
          expected.set(l, [...(expected.get(l) ?? []), v]);
        }
        const want = Object.fromEntries([...expected.keys()].sort().map((k) => [k, expected.get(k)!.join(', ')]));
        const got = new HttpHeaders(lines).toRecord();
        expect(Object.keys(got)).toEqual(Object.keys(want));
        expect(got).toEqual(want);
      }),
    );
  });
});
