// The HTML `npm start` writes stands alone: a notebook is executed and exported as
// scripts/run-notebooks.mjs does it, then opened in headless Chromium from file:// with
// every other request aborted. The page must ask for nothing else, show every figure the
// notebook's outputs hold (SVGs counted in the .ipynb, found rendered with a size in the
// page), keep the execution counts, and stay under 2 MB; the code-hidden report version
// shows the same figures and no code.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
// scripts/ is plain ESM JavaScript shared with `npm start`.
import { executeNotebook } from '../../scripts/run-notebooks.mjs';
import { kernelDir } from '../../scripts/jupyter-env.mjs';

const root = join(__dirname, '..', '..');
const CHROMIUM = '/usr/bin/chromium';
// Not one of the notebooks being rewritten; it draws the entry picture and a counterexample.
const NOTEBOOK = '02-the-model';
const MAX_BYTES = 2 * 1024 * 1024;
const out = mkdtempSync(join(tmpdir(), 'flushlab-export-'));
after(() => rmSync(out, { recursive: true, force: true }));

interface Output { output_type: string; data?: Record<string, string | string[]> }
interface Cell { cell_type: string; source: string | string[]; execution_count?: number | null; outputs?: Output[] }

/** The SVG elements (nested ones too) and <img> the executed notebook's outputs hold. */
function expectedFigures(ipynb: string): { svgs: number; codeCells: number } {
  const nb = JSON.parse(readFileSync(ipynb, 'utf8')) as { cells: Cell[] };
  let svgs = 0;
  for (const c of nb.cells) {
    for (const o of c.outputs ?? []) {
      for (const mime of ['text/html', 'image/svg+xml']) {
        const v = o.data?.[mime];
        if (v === undefined) continue;
        svgs += (Array.isArray(v) ? v.join('') : v).match(/<svg[\s>]/g)?.length ?? 0;
      }
    }
  }
  return { svgs, codeCells: nb.cells.filter((c) => c.cell_type === 'code').length };
}

// Runs in the page (a string: this project's TypeScript has no DOM types).
const IN_PAGE = `(() => {
  const svgs = [...document.querySelectorAll('.jp-OutputArea-output svg, .output_area svg')];
  const top = svgs.filter((s) => !s.parentElement.closest('svg'));
  const drawn = top.filter((s) => { const r = s.getBoundingClientRect(); return r.width > 10 && r.height > 10; }).length;
  const prompts = [...document.querySelectorAll('.jp-InputPrompt')].map((p) => p.textContent.trim()).filter(Boolean);
  const code = document.querySelectorAll('.jp-CodeCell .jp-InputArea, .code_cell .input_area').length;
  return { svgs: svgs.length, top: top.length, drawn, prompts, code };
})()`;

test(`${NOTEBOOK}: exported HTML stands alone (network blocked), shows every figure, keeps counts; report too`, { timeout: 300_000 }, async () => {
  assert.ok(existsSync(CHROMIUM), `no ${CHROMIUM} (npm run setup -- --browser)`);
  assert.ok(existsSync(join(kernelDir, 'kernel.json')), 'no tslab kernelspec (npm run setup -- --notebooks)');
  const run = executeNotebook(join(root, 'notebooks', `${NOTEBOOK}.ipynb`), out);
  assert.ok(run.ok, run.message);
  const expected = expectedFigures(join(out, `${NOTEBOOK}.ipynb`));
  assert.ok(expected.svgs >= 1, 'the notebook draws at least one figure');

  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    for (const [file, report] of [[`${NOTEBOOK}.html`, false], [`${NOTEBOOK}.report.html`, true]] as const) {
      const path = join(out, file);
      assert.ok(statSync(path).size < MAX_BYTES, `${file}: ${statSync(path).size} bytes, not under 2 MB`);
      const url = pathToFileURL(path).href;
      const page = await browser.newPage();
      const blocked: string[] = [];
      // The network is cut: anything but the file itself is aborted and recorded.
      await page.route('**/*', (route) => {
        const u = route.request().url();
        if (u === url) return route.continue();
        blocked.push(u);
        return route.abort();
      });
      await page.goto(url, { waitUntil: 'load' });
      const seen = await page.evaluate(IN_PAGE) as { svgs: number; top: number; drawn: number; prompts: string[]; code: number };
      await page.close();
      assert.deepEqual(blocked, [], `${file} asked for more than itself`);
      assert.equal(seen.svgs, expected.svgs, `${file}: every SVG of the outputs is in the page`);
      assert.equal(seen.drawn, seen.top, `${file}: every figure is drawn with a size`);
      if (report) {
        assert.equal(seen.code, 0, `${file}: no code`);
        assert.deepEqual(seen.prompts, []);
      } else {
        assert.ok(seen.code >= expected.codeCells, `${file}: the code is shown`);
        assert.deepEqual(seen.prompts.slice(0, 3), ['In\u00a0[1]:', 'In\u00a0[2]:', 'In\u00a0[3]:'], `${file}: execution counts`);
      }
    }
  } finally {
    await browser.close();
  }
});
