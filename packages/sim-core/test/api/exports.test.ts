import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * The public API of @knsim/sim-core is the explicit list in src/index.ts. This test keeps it
 * equal to the list documented in docs/api.md, so widening (or narrowing) the API is a
 * deliberate act that shows in the docs. Types count: they are API too.
 */
const root = fileURLToPath(new URL('../../', import.meta.url));

function exportedNames(entry: string): string[] {
  const program = ts.createProgram([entry], { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, strict: true, noEmit: true, skipLibCheck: true });
  const checker = program.getTypeChecker();
  const sym = checker.getSymbolAtLocation(program.getSourceFile(entry)!)!;
  return checker.getExportsOfModule(sym).map((s) => s.getName()).sort();
}

function documentedNames(): string[] {
  const doc = readFileSync(`${root}../../docs/api.md`, 'utf8');
  const block = /<!-- public-api:begin -->([\s\S]*?)<!-- public-api:end -->/.exec(doc);
  if (block === null) throw new Error('docs/api.md has no public-api block');
  return [...block[1]!.matchAll(/^- `([A-Za-z0-9_]+)`/gm)].map((m) => m[1]!).sort();
}

describe('the public API', () => {
  it('src/index.ts exports exactly the names docs/api.md lists', () => {
    expect(exportedNames(`${root}src/index.ts`)).toEqual(documentedNames());
  });
});
