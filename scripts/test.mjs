#!/usr/bin/env node
// Runs every test/**/*.test.ts with node's test runner through tsx (Node 20's --test
// takes no globs). Extra arguments are passed to node --test (e.g. --test-name-pattern).
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { root } from './jupyter-env.mjs';

function find(dir) {
  return readdirSync(dir).sort().flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return name === "fixtures" || name === "helpers" ? [] : find(p);
    return name.endsWith('.test.ts') ? [relative(root, p)] : [];
  });
}
const passthrough = process.argv.slice(2);
const files = passthrough.filter((a) => a.endsWith('.test.ts'));
const flags = passthrough.filter((a) => !a.endsWith('.test.ts'));
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...flags,
  ...(files.length ? files : find(join(root, 'test')))], { stdio: 'inherit', cwd: root });
process.exit(r.status ?? 1);
