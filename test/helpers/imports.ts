/**
 * The import graph of a source tree and the layer rules it must keep (test/layers.test.ts).
 * Imports are read with the TypeScript compiler's parser (not a regex): every
 * `import … from`, `export … from`, `import x = require(…)`, `import(…)` and `require(…)`
 * with a relative specifier, each marked type-only or not. Type-only imports count for
 * both rules: a type cycle is a design cycle too, and `import type` from a higher layer
 * still makes the lower layer know the higher one.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

export interface ImportEdge {
  /** Importing file, relative to the tree's root, with forward slashes. */
  from: string;
  /** Imported file, same form. */
  to: string;
  typeOnly: boolean;
  line: number;
}

function walk(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return walk(p);
    return p.endsWith('.ts') && !p.endsWith('.d.ts') ? [p] : [];
  });
}

function resolveSpecifier(fromFile: string, spec: string): string | null {
  const base = resolve(dirname(fromFile), spec);
  for (const candidate of [base, `${base}.ts`, join(base, 'index.ts')]) {
    if (candidate.endsWith('.ts') && existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return null;
}

/** The relative imports of one file's text. Unresolvable relative specifiers are returned with to = null. */
export function importsOf(fileName: string, text: string): { spec: string; typeOnly: boolean; line: number }[] {
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const out: { spec: string; typeOnly: boolean; line: number }[] = [];
  const add = (node: ts.Node, spec: ts.Expression | undefined, typeOnly: boolean): void => {
    if (!spec || !ts.isStringLiteralLike(spec) || !spec.text.startsWith('.')) return;
    out.push({ spec: spec.text, typeOnly, line: sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1 });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      const c = node.importClause;
      // `import type {…}`, or `import {type A, type B}` with every name type-only.
      const typeOnly = !!c && (c.isTypeOnly || (!c.name && !!c.namedBindings && ts.isNamedImports(c.namedBindings) &&
        c.namedBindings.elements.length > 0 && c.namedBindings.elements.every((e) => e.isTypeOnly)));
      add(node, node.moduleSpecifier, typeOnly);
    } else if (ts.isExportDeclaration(node)) {
      const typeOnly = node.isTypeOnly || (!!node.exportClause && ts.isNamedExports(node.exportClause) &&
        node.exportClause.elements.length > 0 && node.exportClause.elements.every((e) => e.isTypeOnly));
      add(node, node.moduleSpecifier, typeOnly);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      add(node, node.moduleReference.expression, node.isTypeOnly);
    } else if (ts.isCallExpression(node) && node.arguments.length === 1 &&
      (node.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(node.expression) && node.expression.text === 'require'))) {
      add(node, node.arguments[0], false);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      add(node, node.argument.literal as ts.Expression, true);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

/** Every relative import under `root` (a directory of .ts files). Throws on an unresolvable one. */
export function importGraph(root: string): { files: string[]; edges: ImportEdge[] } {
  const abs = walk(root);
  const rel = (p: string): string => relative(root, p).split('\\').join('/');
  const edges: ImportEdge[] = [];
  for (const file of abs) {
    for (const imp of importsOf(file, readFileSync(file, 'utf8'))) {
      // A data file (e.g. ../package.json) is no module of the tree.
      if (/\.json$/.test(imp.spec)) continue;
      const target = resolveSpecifier(file, imp.spec);
      if (!target) throw new Error(`${rel(file)}:${imp.line}: cannot resolve '${imp.spec}'`);
      edges.push({ from: rel(file), to: rel(target), typeOnly: imp.typeOnly, line: imp.line });
    }
  }
  return { files: abs.map(rel), edges };
}

export interface LayerRules {
  /** Layer names, ground floor first: a file may import its own layer and those below. */
  order: readonly string[];
  /** A file's layer from its path relative to the root (undefined: not in any layer, an error). */
  layerOf(file: string): string | undefined;
  /** Layers that may import nothing outside themselves (e.g. a generic engine). */
  isolated?: readonly string[];
  /** Per layer, layers it may import types from but no values (e.g. renderers and checks). */
  typesOnlyFrom?: Readonly<Record<string, readonly string[]>>;
}

/** Every import that breaks a layer rule, as one readable line each. */
export function layerViolations(edges: readonly ImportEdge[], files: readonly string[], rules: LayerRules): string[] {
  const out: string[] = [];
  for (const f of files) if (rules.layerOf(f) === undefined) out.push(`${f}: in no layer`);
  const rank = (l: string | undefined): number => (l === undefined ? -1 : rules.order.indexOf(l));
  for (const e of edges) {
    const a = rules.layerOf(e.from);
    const b = rules.layerOf(e.to);
    if (a === undefined || b === undefined) continue;
    if (rank(a) < 0 || rank(b) < 0) out.push(`${e.from}:${e.line}: unknown layer ${rank(a) < 0 ? a : b}`);
    else if (rank(b) > rank(a)) out.push(`${e.from}:${e.line}: ${a} imports ${e.to} from the higher layer ${b}`);
    else if (a !== b && rules.isolated?.includes(a)) out.push(`${e.from}:${e.line}: ${a} may import nothing outside itself, imports ${e.to}`);
    else if (!e.typeOnly && rules.typesOnlyFrom?.[a]?.includes(b)) out.push(`${e.from}:${e.line}: ${a} may import only types from ${b}, imports values of ${e.to}`);
  }
  return out;
}

/**
 * Every import cycle between files (value and type imports alike): one line per strongly
 * connected component of more than one file, or a file importing itself, naming one cycle
 * through it. Tarjan's algorithm; files in sorted order so the report is stable.
 */
export function importCycles(edges: readonly ImportEdge[]): string[] {
  const next = new Map<string, string[]>();
  for (const e of edges) {
    if (!next.has(e.from)) next.set(e.from, []);
    if (!next.has(e.to)) next.set(e.to, []);
    next.get(e.from)!.push(e.to);
  }
  for (const v of next.values()) v.sort();
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const sccs: string[][] = [];
  let counter = 0;
  const strong = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v)!) {
      if (!index.has(w)) { strong(w); low.set(v, Math.min(low.get(v)!, low.get(w)!)); }
      else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const scc: string[] = [];
      let w: string;
      do { w = stack.pop()!; onStack.delete(w); scc.push(w); } while (w !== v);
      if (scc.length > 1 || next.get(v)!.includes(v)) sccs.push(scc.sort());
    }
  };
  for (const v of [...next.keys()].sort()) if (!index.has(v)) strong(v);
  return sccs.map((scc) => {
    // One concrete cycle: breadth-first from the first file back to itself inside the component.
    const inScc = new Set(scc);
    const start = scc[0];
    const prev = new Map<string, string>();
    const queue = [start];
    let end: string | undefined;
    while (queue.length && !end) {
      const v = queue.shift()!;
      for (const w of next.get(v)!) {
        if (!inScc.has(w)) continue;
        if (w === start) { end = v; break; }
        if (!prev.has(w)) { prev.set(w, v); queue.push(w); }
      }
    }
    const path = [start];
    for (let v = end!; v !== start; v = prev.get(v)!) path.splice(1, 0, v);
    return `cycle: ${[...path, start].join(' -> ')}${scc.length > path.length ? ` (component of ${scc.length} files)` : ''}`;
  });
}
