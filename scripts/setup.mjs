#!/usr/bin/env node
// One idempotent set-up for a fresh clone: npm packages, the build, the Debian packages
// the notebooks and browser tests need, and a project-local tslab kernelspec.
// Each step is skipped when already done, so re-running is quick.
// What is set up depends on what will run (no flag: everything, as `npm test` needs):
//   --cli        npm packages and the build only: the command line needs nothing else
//                (also spelt --no-jupyter; `npm run bench`)
//   --notebooks  also Jupyter and the tslab kernelspec (`npm start`, `npm run jupyter`)
//   --browser    also Chromium (the browser tests)
// --notebooks and --browser combine.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SYSTEM_PYTHON, jupyterEnv, kernelDir, root } from './jupyter-env.mjs';
import { takeLock } from './lock.mjs';

const args = new Set(process.argv.slice(2));
const KNOWN = ['--cli', '--no-jupyter', '--notebooks', '--browser'];
for (const a of args) {
  if (!KNOWN.includes(a)) {
    console.error(`flushlab setup: unknown option '${a}' (options: ${KNOWN.join(', ')})`);
    process.exit(2);
  }
}
const cliOnly = args.has('--cli') || args.has('--no-jupyter');
const some = args.has('--notebooks') || args.has('--browser');
const wantJupyter = !cliOnly && (!some || args.has('--notebooks'));
const wantChromium = !cliOnly && (!some || args.has('--browser'));

function fail(message) {
  console.error(`flushlab setup: ${message}`);
  process.exit(1);
}

function newestMtime(dir) {
  let newest = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = statSync(p);
    newest = Math.max(newest, st.isDirectory() ? newestMtime(p) : st.mtimeMs);
  }
  return newest;
}

function run(cmd, argv, opts = {}) {
  const r = spawnSync(cmd, argv, { stdio: 'inherit', cwd: root, ...opts });
  if (r.error) fail(`could not run ${cmd}: ${r.error.message}`);
  return r.status ?? 1;
}

// 1. Node itself.
const [maj, min] = process.versions.node.split('.').map(Number);
if (maj < 20 || (maj === 20 && min < 19)) fail(`Node >= 20.19 is required, this is ${process.versions.node}`);

// Two runs at once would race on node_modules/ and dist/ (lock.mjs).
try { takeLock('setup'); } catch (err) { fail(err.message); }

// 2. npm packages, from the committed lock file.
const installedLock = join(root, 'node_modules', '.package-lock.json');
if (!existsSync(installedLock) || statSync(installedLock).mtimeMs < statSync(join(root, 'package-lock.json')).mtimeMs) {
  console.log('flushlab setup: installing npm packages (npm ci)');
  if (run('npm', ['ci', '--no-audit', '--no-fund']) !== 0) fail('npm ci failed (see above)');
}

// 3. The build (dist/ is what notebooks import as 'flushlab').
const stamp = join(root, 'dist', '.build-stamp');
const srcNewest = Math.max(newestMtime(join(root, 'src')), statSync(join(root, 'tsconfig.build.json')).mtimeMs);
if (!existsSync(stamp) || statSync(stamp).mtimeMs < srcNewest) {
  console.log('flushlab setup: building dist/');
  if (run(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json']) !== 0) fail('build failed (see the TypeScript errors above)');
  mkdirSync(dirname(stamp), { recursive: true });
  writeFileSync(stamp, new Date(0).toISOString());
}

if (!wantJupyter && !wantChromium) process.exit(0);

// 4. Debian packages: Jupyter (for the notebooks) and Chromium (for the browser tests).
const pythonHasJupyter = () =>
  existsSync(SYSTEM_PYTHON) &&
  spawnSync(SYSTEM_PYTHON, ['-c', 'import nbclient, nbconvert, ipykernel, jupyter_client, notebook'], { stdio: 'ignore' }).status === 0;
const missing = [];
if (wantJupyter && !pythonHasJupyter()) missing.push('jupyter-nbconvert', 'jupyter-client', 'python3-nbclient', 'python3-ipykernel', 'jupyter-notebook');
if (wantChromium && !existsSync('/usr/bin/chromium')) missing.push('chromium');
if (missing.length > 0) {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const hasApt = existsSync('/usr/bin/apt-get');
  const hint = `install the Debian packages ${missing.join(' ')} (apt-get install ${missing.join(' ')})`;
  if (!hasApt) fail(`not a Debian system: ${hint}, or the same from your distribution`);
  if (!isRoot) fail(`not root: ${hint} as root, then re-run`);
  console.log(`flushlab setup: installing Debian packages: ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (run('apt-get', ['update'], { env }) !== 0) fail('apt-get update failed (see above)');
  if (run('apt-get', ['install', '-y', '--no-install-recommends', ...missing], { env }) !== 0) fail(`apt-get install ${missing.join(' ')} failed (see above)`);
  if (wantJupyter && !pythonHasJupyter()) fail(`${SYSTEM_PYTHON} still cannot import Jupyter after installing ${missing.join(' ')}`);
}

if (!wantJupyter) process.exit(0);

// 5. The tslab kernelspec, project-local (found through JUPYTER_PATH; the system is untouched).
if (!existsSync(join(kernelDir, 'kernel.json'))) {
  console.log('flushlab setup: registering the tslab kernel in .jupyter-local/');
  const tslab = join(root, 'node_modules', '.bin', 'tslab');
  if (run(tslab, ['install', '--python', SYSTEM_PYTHON, '--prefix', join(root, '.jupyter-local'), '--binary', tslab]) !== 0) fail('tslab install failed (see above)');
}
const specs = execFileSync(SYSTEM_PYTHON, ['-m', 'jupyter_client.kernelspecapp', 'list'], { env: jupyterEnv(), encoding: 'utf8' });
if (!/\btslab\b/.test(specs)) fail('the tslab kernel is not visible to Jupyter (JUPYTER_PATH); delete .jupyter-local/ and re-run');
