import { describe, expect, it } from 'vitest';
import { listBuiltins } from '../../src/index.js';

describe('built-in scenarios', () => {
  it('lists the six built-ins with descriptions', () => {
    expect(listBuiltins().map((b) => b.name)).toEqual(['gray-release', 'higress-plugins', 'life-of-a-request', 'routing-across-services', 'scale-from-zero', 'scale-to-zero']);
    for (const b of listBuiltins()) expect(b.description.length).toBeGreaterThan(10);
  });

  it('describe their source material by its title, never as "Seed 00x" (which reads like --seed)', () => {
    for (const b of listBuiltins()) expect(b.description).not.toMatch(/\bseed\s*\d/i);
  });
});
