import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * The scenario runner's library API (RunOptions, among them traceListeners, and RunResult) is
 * listed in docs/api.md; this keeps the list and the interfaces equal, so a field added or
 * dropped shows in the docs in the same commit.
 */
const root = fileURLToPath(new URL('../../', import.meta.url));

function fields(name: string): string[] {
  const file = `${root}src/run/runner.ts`;
  const program = ts.createProgram([file], { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, strict: true, noEmit: true, skipLibCheck: true });
  const checker = program.getTypeChecker();
  const mod = checker.getSymbolAtLocation(program.getSourceFile(file)!)!;
  const sym = checker.getExportsOfModule(mod).find((s) => s.getName() === name)!;
  return checker.getDeclaredTypeOfSymbol(sym).getProperties().map((p) => p.getName()).sort();
}

function documented(name: string): string[] {
  const doc = readFileSync(`${root}../../docs/api.md`, 'utf8');
  const block = /<!-- run-api:begin -->([\s\S]*?)<!-- run-api:end -->/.exec(doc)![1]!;
  const section = new RegExp(`\`${name}\`:\\n((?:- .*\\n)+)`).exec(block)![1]!;
  return [...section.matchAll(/^- `([A-Za-z0-9_]+)`/gm)].map((m) => m[1]!).sort();
}

describe('docs/api.md lists the scenario runner API', () => {
  it.each(['RunOptions', 'RunResult'])('%s: the documented fields are the interface', (name) => {
    expect(fields(name)).toEqual(documented(name));
  });
});
