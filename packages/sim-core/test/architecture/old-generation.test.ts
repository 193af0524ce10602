import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// =============================================================================================
// Code shapes that V8 allocates in its old generation, and that then keep young objects alive
// through every scavenge after they are gone (docs/kernel.md, "Closures written into
// properties"). The scavenger treats every pointer from the old generation into the young one as
// a root, even from an old object nobody references any more; only a full mark-compact finds
// them dead. So one such closure made per cluster (or per pod, or per request) drags the whole
// graph it captures through scavenges and into the old generation. Three shapes do it:
//
// - a function literal assigned straight to a property (`this.f = () => …`, `o.f = function …`):
//   V8's parser pretenures it (parser-base.h CheckAssigningFunctionLiteralToProperty), expecting
//   a method assigned once to a long-lived object;
// - a class field initialised with a function literal: with `useDefineForClassFields: false`
//   (tsconfig.json) TypeScript compiles it to exactly that assignment in the constructor;
// - a getter or setter in an object literal (or Object.defineProperty with `get`/`set`): the
//   accessor pair is allocated in the old generation.
//
// Make the function as a value first (`const f = () => …; this.f = f;`), return it from a
// function, or use a class (its accessors and methods are on the prototype, made once).

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

/** Where the shape is allowed, and why. */
const ALLOWED: Record<string, string> = {
  // Made only when a manifest is refused: one per user error, never per cluster or request.
  'apis/field-error.ts:Object.defineProperty with an accessor': 'errors only',
};

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return sources(p);
    return p.endsWith('.ts') && !p.endsWith('.d.ts') ? [p] : [];
  });
}

const isFunctionLiteral = (n: ts.Node | undefined): boolean => n !== undefined && (ts.isArrowFunction(n) || ts.isFunctionExpression(n));

/** Each place in one source file where V8 would allocate a closure or accessor pair in the old generation. */
export function oldGenerationShapes(file: string, text: string): string[] {
  const src = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
  const found: string[] = [];
  const at = (n: ts.Node, what: string) => found.push(`${file}:${src.getLineAndCharacterOfPosition(n.getStart()).line + 1}: ${what}`);
  const visit = (n: ts.Node): void => {
    if ((ts.isGetAccessor(n) || ts.isSetAccessor(n)) && ts.isObjectLiteralExpression(n.parent)) at(n, 'an accessor in an object literal');
    if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && (ts.isPropertyAccessExpression(n.left) || ts.isElementAccessExpression(n.left)) && isFunctionLiteral(n.right)) {
      at(n, 'a function literal assigned to a property');
    }
    if (ts.isPropertyDeclaration(n) && !n.modifiers?.some((m) => m.kind === ts.SyntaxKind.StaticKeyword) && isFunctionLiteral(n.initializer)) {
      at(n, 'a class field initialised with a function literal');
    }
    if (ts.isCallExpression(n) && n.expression.getText(src) === 'Object.defineProperty') {
      const desc = n.arguments[2];
      if (desc !== undefined && ts.isObjectLiteralExpression(desc) && desc.properties.some((p) => p.name !== undefined && ts.isIdentifier(p.name) && (p.name.text === 'get' || p.name.text === 'set'))) {
        at(n, 'Object.defineProperty with an accessor');
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(src);
  return found;
}

describe('no closure or accessor made per object lands in the old generation', () => {
  it('sim-core assigns no function literal to a property, initialises no class field with one, and writes no accessor into an object', () => {
    const found = sources(SRC).flatMap((p) => oldGenerationShapes(relative(SRC, p).split('\\').join('/'), readFileSync(p, 'utf8')));
    const unexplained = found.filter((f) => {
      const [file, , what] = f.split(/:(\d+): /);
      return ALLOWED[`${file}:${what}`] === undefined;
    });
    expect(unexplained).toEqual([]);
  });

  it('finds each shape (the rule can fail)', () => {
    const text = [
      'class A { f = () => 1; constructor() { this.g = () => 2; this["h"] = function () {}; } }',
      'const o = { get x() { return 1; } };',
      "Object.defineProperty(o, 'y', { get: () => 1 });",
      // Not these: a function made as a value first, a class getter, a literal's method.
      'class B { constructor() { const f = () => 1; this.f = f; } get z() { return 1; } }',
      'const p = { m() { return 1; }, n: () => 2 };',
    ].join('\n');
    expect(oldGenerationShapes('t.ts', text).map((f) => f.replace(/^t\.ts:/, ''))).toEqual([
      '1: a class field initialised with a function literal',
      '1: a function literal assigned to a property',
      '1: a function literal assigned to a property',
      '2: an accessor in an object literal',
      '3: Object.defineProperty with an accessor',
    ]);
  });
});
