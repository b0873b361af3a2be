/**
 * The dead-citation check: finds every place in the repository's text that cites a file of
 * the repository (a markdown file, optionally with a #anchor; a path under one of the
 * top-level folders; anything under a folder named shared) and reports each citation whose
 * file does not exist, or whose anchor is not a heading of that markdown file.
 *
 * Heading anchors are GitHub's: github-slugger, the package GitHub's own slug rules are
 * published as, with its numbering of repeated headings. Headings are found by hand
 * (ATX `#` lines outside code fences, plus explicit `<a id>`/`<a name>` anchors): that is
 * every heading form the docs use, and a full markdown parser would add a dependency for
 * nothing more.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, normalize, posix, sep } from 'node:path';
import GithubSlugger from 'github-slugger';

/** The repository as the check sees it: repository-relative paths with `/`. */
export interface Tree {
  /** A file or a folder exists at this path. */
  exists(path: string): boolean;
  /** The text of a file, or null when there is none. */
  read(path: string): string | null;
}

export interface Citation {
  /** The citing file and line (1-based). */
  file: string;
  line: number;
  /** The citation as written. */
  text: string;
  /** The cited path as written (no anchor) and the anchor without `#`, if any. */
  path: string;
  anchor?: string;
}

export interface DeadCitation extends Citation {
  reason: string;
}

/** Top-level folders whose paths count as citations when written from the root. */
export const TOP_LEVEL = ['src', 'test', 'bench', 'scripts', 'notebooks', 'scenarios', 'docs', 'bin'];

/** Where the check looks (folders and files, repository-relative). */
export const SCANNED = ['src', 'test', 'bench', 'scripts', 'notebooks', 'scenarios', 'docs', 'README.md'];

// A path character, and the characters that may not come right before a path's start (so a
// path inside a longer path, an import like ../../src/x or a URL's tail is not taken alone).
const NOT_BEFORE = String.raw`(?<![\w/.\-])`;
const MD = new RegExp(String.raw`${NOT_BEFORE}((?:\.{1,2}/)*(?:[\w\-]+/)*[\w.\-]*\w\.md)(?:#([\w\-]+))?\b`, 'g');
const TOP = new RegExp(String.raw`${NOT_BEFORE}((?:${TOP_LEVEL.join('|')})/[\w./\-]*[\w\-/])(?![\w*])`, 'g');
/** A cited path names a file (it has an extension) or a folder (it ends in `/`); prose such as
 *  "a test/set bug" does neither. */
const PATH_LIKE = /(\.[A-Za-z]\w*|\/)$/;
/** Files of the project that live outside the repository, under this folder name. */
const SHARED_DIR = 'shared';
const SHARED = new RegExp(String.raw`${NOT_BEFORE}((?:\.{1,2}/)*${SHARED_DIR}/[\w./\-]*)`, 'g');
/** A link to a heading of the same markdown file: `](#anchor)`. */
const SAME_FILE = /\]\(#([\w-]+)\)/g;
const URL = /\b[a-z][a-z0-9+.-]*:\/\/\S+/gi;

/** Every citation of a repository file in one file's text. */
export function findCitations(file: string, text: string): Citation[] {
  const out: Citation[] = [];
  const lines = text.split('\n');
  lines.forEach((raw, i) => {
    // A URL names a file elsewhere, not in this repository.
    const line = raw.replace(URL, (u) => ' '.repeat(u.length));
    const seen = new Set<number>();
    const add = (m: RegExpMatchArray, path: string, anchor?: string) => {
      if (seen.has(m.index!)) return;
      seen.add(m.index!);
      out.push({ file, line: i + 1, text: m[0], path, ...(anchor ? { anchor } : {}) });
    };
    for (const m of line.matchAll(MD)) add(m, m[1], m[2]);
    for (const m of line.matchAll(TOP)) if (!m[1].endsWith('.md') && PATH_LIKE.test(m[1])) add(m, m[1]);
    for (const m of line.matchAll(SHARED)) add(m, m[1]);
    if (file.endsWith('.md')) for (const m of line.matchAll(SAME_FILE)) add(m, posix.basename(file), m[1]);
  });
  return out;
}

/** The anchors GitHub gives a markdown text's headings, plus explicit HTML anchors. */
export function headingAnchors(markdown: string): Set<string> {
  const slugger = new GithubSlugger();
  const anchors = new Set<string>();
  let fence: string | null = null;
  for (const line of markdown.split('\n')) {
    const f = /^\s{0,3}(`{3,}|~{3,})/.exec(line);
    if (f) {
      if (fence === null) fence = f[1][0];
      else if (f[1][0] === fence) fence = null;
      continue;
    }
    if (fence !== null) continue;
    const h = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (h) {
      // The heading's text as rendered: link targets and HTML tags are not part of it.
      const text = h[1].replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/<[^>]+>/g, '');
      anchors.add(slugger.slug(text));
    }
    for (const a of line.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) anchors.add(a[1]);
  }
  return anchors;
}

/**
 * Where a cited path points, repository-relative, or null when it leaves the repository.
 * Paths from a top-level folder are read from the root; others (a bare file name, `./x`,
 * `../x`) relative to the citing file's folder, as a markdown link is, then from the root.
 */
function candidates(c: Citation): (string | null)[] {
  const inRepo = (p: string): string | null => {
    const n = posix.normalize(p);
    return n.startsWith('../') || n === '..' ? null : n;
  };
  const fromFile = inRepo(posix.join(posix.dirname(c.file), c.path));
  if (TOP_LEVEL.some((t) => c.path.startsWith(`${t}/`))) return [inRepo(c.path), fromFile];
  if (c.path.startsWith('./') || c.path.startsWith('../')) return [fromFile];
  return [fromFile, inRepo(c.path)];
}

/** The citations among `citations` that are dead in `tree`, each with the reason. */
export function deadCitations(citations: readonly Citation[], tree: Tree): DeadCitation[] {
  const anchorCache = new Map<string, Set<string>>();
  const dead: DeadCitation[] = [];
  for (const c of citations) {
    const target = candidates(c).find((p): p is string => p !== null && tree.exists(p));
    if (!target) {
      dead.push({ ...c, reason: `${c.path} is not in the repository` });
      continue;
    }
    if (c.anchor === undefined) continue;
    let anchors = anchorCache.get(target);
    if (!anchors) {
      const text = tree.read(target);
      anchors = text === null ? new Set() : headingAnchors(text);
      anchorCache.set(target, anchors);
    }
    if (!anchors.has(c.anchor)) dead.push({ ...c, reason: `${target} has no heading #${c.anchor}` });
  }
  return dead;
}

/** One line per dead citation: `file:line: text: reason`. */
export function formatDead(dead: readonly DeadCitation[]): string {
  return dead.map((d) => `${d.file}:${d.line}: ${d.text}: ${d.reason}`).join('\n');
}

/** The repository on disk under `root`. */
export function diskTree(root: string): Tree {
  const abs = (p: string) => join(root, ...p.split('/'));
  return {
    exists(p) {
      try {
        statSync(abs(p));
        return true;
      } catch {
        return false;
      }
    },
    read(p) {
      try {
        return readFileSync(abs(p), 'utf8');
      } catch {
        return null;
      }
    },
  };
}

/** Every text file the check scans, repository-relative, sorted; `skip` folders left out. */
export function scannedFiles(root: string, skip: readonly string[] = []): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    if (rel.split('/').includes('node_modules') || skip.includes(rel)) return;
    const p = join(root, rel);
    let st;
    try {
      st = statSync(p);
    } catch {
      return;
    }
    if (st.isDirectory()) {
      for (const name of readdirSync(p).sort()) walk(rel ? `${rel}/${name}` : name);
    } else if (/\.(ts|mts|cts|js|mjs|cjs|py|ipynb|ya?ml|md|pml|json|txt)$/.test(rel)) {
      out.push(rel);
    }
  };
  for (const s of SCANNED) walk(s);
  return out.map((f) => normalize(f).split(sep).join('/')).sort();
}

/** The dead citations of the repository under `root`. */
export function checkRepository(root: string, skip: readonly string[] = []): DeadCitation[] {
  const tree = diskTree(root);
  const citations = scannedFiles(root, skip).flatMap((f) => findCitations(f, tree.read(f) ?? ''));
  return deadCitations(citations, tree);
}

/** The repository root (this file is test/docs/citations.ts). */
export const REPO_ROOT = join(__dirname, '..', '..');
