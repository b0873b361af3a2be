// The walkthrough as a reader opens it: a real Jupyter Notebook server on 127.0.0.1 serving
// notebooks/, headless Chromium, Jason's strategy notebook run end to end through the UI
// (Cell > Run All), and the counterexample drawn in the output area, lanes and arrows
// counted in the page. Debian's jupyter-notebook is the classic Notebook 6 UI.
//
// The notebook file must stay as committed (stored without outputs): autosave is switched
// off in the page, and the file is compared (and restored if need be) afterwards.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
// scripts/ is plain ESM JavaScript shared with `npm start`.
import { SYSTEM_PYTHON, jupyterEnv, kernelDir } from '../../scripts/jupyter-env.mjs';

const root = join(__dirname, '..', '..');
const notebookDir = join(root, 'notebooks');
const NOTEBOOK = '04-jasons-strategy.ipynb';
const CHROMIUM = '/usr/bin/chromium';
const outDir = join(root, 'out', 'notebooks-ui');

/** Why the test cannot run here, or '' when it can. */
function missing(): string {
  if (!existsSync(CHROMIUM)) return `no ${CHROMIUM}`;
  if (!existsSync(join(kernelDir, 'kernel.json'))) return 'no tslab kernelspec (npm run setup)';
  if (!existsSync(join(root, 'dist', 'index.js'))) return 'no dist/ (npm run setup)';
  const r = spawnSync(SYSTEM_PYTHON, ['-c', 'import notebook'], { encoding: 'utf8' });
  return r.status === 0 ? '' : `${SYSTEM_PYTHON} cannot import notebook (jupyter-notebook)`;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

async function waitForServer(url: string, server: ChildProcess, log: () => string, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`the notebook server exited (${server.exitCode}):\n${log()}`);
    try {
      const r = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (r.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the notebook server did not answer within ${ms / 1000} s:\n${log()}`);
}

function stopServer(server: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (server.exitCode !== null || server.signalCode !== null) { resolve(); return; }
    const kill = setTimeout(() => { try { server.kill('SIGKILL'); } catch { /* gone */ } }, 5000);
    server.once('exit', () => { clearTimeout(kill); resolve(); });
    try { server.kill('SIGTERM'); } catch { clearTimeout(kill); resolve(); }
  });
}

interface Seen {
  codeCells: number;
  prompts: string[];
  errors: string[];
  counterexample: { title: string; lanes: string[]; arrows: string[]; steps: number; violations: number } | null;
  svgs: number;
}

// Runs in the page (a string: this project's TypeScript has no DOM types).
const INSPECT = `(() => {
  const prompts = [...document.querySelectorAll('.cell.code_cell .input_prompt')].map((p) => p.textContent.replace(/\\s+/g, ''));
  const errors = [...document.querySelectorAll('.output_area .output_error, .output_area .output_stderr')]
    .map((e) => e.textContent.trim().slice(0, 300));
  const svgs = [...document.querySelectorAll('.output_area svg')];
  const drawn = svgs.find((s) => s.querySelector('g.lane') && /\\+jason\\+spec$/.test(s.querySelector('title')?.textContent ?? ''));
  if (drawn) drawn.setAttribute('data-flushlab-ui', 'counterexample');
  const counterexample = drawn ? {
    title: drawn.querySelector('title').textContent,
    lanes: [...drawn.querySelectorAll('g.lane')].map((g) => g.getAttribute('data-lane')),
    arrows: [...drawn.querySelectorAll('g.message')].map((g) => g.getAttribute('data-id')),
    steps: drawn.querySelectorAll('g.step').length,
    violations: drawn.querySelectorAll('g.step.violation').length,
  } : null;
  return { codeCells: prompts.length, prompts, errors, counterexample, svgs: svgs.length };
})()`;

test('Jason\'s strategy notebook runs through the Jupyter UI and draws its counterexample', { timeout: 300_000 }, async () => {
  // npm test's set-up installs all of these; a missing one is a failure, never a skip.
  assert.equal(missing(), '');
  const file = join(notebookDir, NOTEBOOK);
  const committed = readFileSync(file, 'utf8');
  const checkpoints = join(notebookDir, '.ipynb_checkpoints');
  const hadCheckpoints = existsSync(checkpoints);
  const token = randomBytes(16).toString('hex');
  const port = await freePort();
  const scratch = mkdtempSync(join(tmpdir(), 'flushlab-ui-'));
  // Jupyter's runtime and config files go to a scratch directory, not the home directory.
  const env = {
    ...jupyterEnv(),
    JUPYTER_RUNTIME_DIR: join(scratch, 'runtime'),
    JUPYTER_CONFIG_DIR: join(scratch, 'config'),
    IPYTHONDIR: join(scratch, 'ipython'),
  };
  const server = spawn(SYSTEM_PYTHON, ['-m', 'notebook', '--ip=127.0.0.1', `--port=${port}`, '--port-retries=0',
    '--no-browser', `--notebook-dir=${notebookDir}`, `--NotebookApp.token=${token}`, '--NotebookApp.password=',
    '--NotebookApp.open_browser=False',
    // CI runs as root in a container; the server refuses that without this flag.
    ...(process.getuid?.() === 0 ? ['--allow-root'] : [])], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let serverLog = '';
  server.stdout?.on('data', (d: Buffer) => { serverLog += d.toString(); });
  server.stderr?.on('data', (d: Buffer) => { serverLog += d.toString(); });
  const base = `http://127.0.0.1:${port}`;
  let context: BrowserContext | undefined;
  try {
    await waitForServer(`${base}/api/status?token=${token}`, server, () => serverLog, 60_000);
    const profile = join(scratch, 'chromium');
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 1280, height: 900 },
    });
    // Nothing leaves 127.0.0.1.
    await context.route((url) => url.hostname !== '127.0.0.1', (route) => route.abort());
    const page = await context.newPage();
    page.setDefaultTimeout(60_000);
    await page.goto(`${base}/notebooks/${NOTEBOOK}?token=${token}`);
    // The classic UI: wait for the kernel to start and go idle.
    await page.waitForSelector('#kernel_indicator_icon.kernel_idle_icon', { timeout: 90_000 });
    // Never write the executed notebook back over the committed file.
    await page.evaluate('Jupyter.notebook.set_autosave_interval(0)');

    // Cell > Run All, through the menu.
    await page.click('#celllink');
    await page.click('#run_all_cells > a');
    // Done when every code cell has an execution count and the kernel is idle again.
    await page.waitForFunction(`(() => {
      const prompts = [...document.querySelectorAll('.cell.code_cell .input_prompt')].map((p) => p.textContent.replace(/\\s+/g, ''));
      return prompts.length > 0 && prompts.every((p) => /^In\\[\\d+\\]:$/.test(p))
        && document.querySelector('#kernel_indicator_icon.kernel_idle_icon') !== null;
    })()`, undefined, { timeout: 180_000, polling: 500 });

    const seen = (await page.evaluate(INSPECT)) as Seen;
    mkdirSync(outDir, { recursive: true });
    // What the reader sees: the counterexample in the live output area (kept to look at).
    if (seen.counterexample) await page.locator('[data-flushlab-ui=counterexample]').screenshot({ path: join(outDir, 'jasons-strategy-ui.png') });
    writeFileSync(join(outDir, 'jasons-strategy-ui.json'), JSON.stringify(seen, null, 2));

    assert.ok(seen.codeCells >= 10, `only ${seen.codeCells} code cells found`);
    assert.deepEqual(seen.errors, [], 'no cell printed an error');
    assert.ok(seen.counterexample, `no counterexample SVG for SL5-to-SL6+jason+spec among ${seen.svgs} SVGs in the output area`);
    const cx = seen.counterexample;
    // One lane per part with a role: the driver, the queue, the IOTLB holding the stale
    // entry, the device; the Invalidate Request and its Completion as arrows.
    for (const lane of ['driver', 'queue', 'iotlb', 'device']) assert.ok(cx.lanes.includes(lane), `lane ${lane} drawn (${cx.lanes.join(', ')})`);
    assert.ok(cx.arrows.length >= 2, `arrows: ${cx.arrows.join(', ')}`);
    assert.ok(cx.steps >= 10, `${cx.steps} steps drawn`);
    assert.equal(cx.violations, 1, 'the violating step is marked');
  } finally {
    if (context) await context.close().catch(() => undefined);
    await stopServer(server);
    // The committed notebook is never left with outputs, whatever happened above.
    if (readFileSync(file, 'utf8') !== committed) {
      writeFileSync(file, committed);
      assert.fail(`${NOTEBOOK} was rewritten by the notebook server (restored)`);
    }
    if (!hadCheckpoints) rmSync(checkpoints, { recursive: true, force: true });
    rmSync(scratch, { recursive: true, force: true });
  }
});
