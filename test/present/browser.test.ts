// The SVG of a counterexample opened in headless Chromium renders with every lane and
// every arrow: element counts from the DOM, geometry checks (arrows that must cross do,
// no text runs outside the picture), and a screenshot kept in out/present/ to look at.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { traceToSvg, tracesToSvg } from '../../src/present/sequenceSvg';
import { jasonStale, noFlushStale } from './sample';

const CHROMIUM = '/usr/bin/chromium';
const outDir = join(__dirname, '..', '..', 'out', 'present');

interface Seen {
  lanes: string[];
  laneBoxes: { lane: string; width: number; height: number }[];
  arrows: { id: string; x1: number; y1: number; x2: number; y2: number; length: number }[];
  steps: number;
  violations: number;
  overflow: string[];
  svgWidth: number;
}

// Runs in the page (a string: this project's TypeScript has no DOM types).
const IN_PAGE = `(() => {
  const root = document.documentElement;
  const width = root.viewBox.baseVal.width;
  const lanes = [...document.querySelectorAll('g.lane')].map((g) => g.getAttribute('data-lane'));
  const laneBoxes = [...document.querySelectorAll('g.lane')].map((g) => {
    const b = g.getBBox();
    return { lane: g.getAttribute('data-lane'), width: b.width, height: b.height };
  });
  const arrows = [...document.querySelectorAll('g.message')].map((g) => {
    const l = g.querySelector('line.arrow');
    const [x1, y1, x2, y2] = [l.x1, l.y1, l.x2, l.y2].map((a) => a.baseVal.value);
    return { id: g.getAttribute('data-id'), x1, y1, x2, y2, length: l.getTotalLength() };
  });
  const overflow = [];
  for (const t of document.querySelectorAll('text')) {
    const r = t.getBoundingClientRect();
    if (r.right > width + 0.5 || r.left < -0.5) overflow.push(t.textContent + ' (' + r.left.toFixed(0) + '..' + r.right.toFixed(0) + ' of ' + width + ')');
  }
  return { lanes, laneBoxes, arrows, steps: document.querySelectorAll('g.step').length,
    violations: document.querySelectorAll('g.step.violation').length, overflow, svgWidth: width };
})()`;

async function inspect(svgs: Record<string, string>): Promise<Record<string, Seen>> {
  const profile = mkdtempSync(join(tmpdir(), 'flushlab-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const seen: Record<string, Seen> = {};
  try {
    const page = await context.newPage();
    mkdirSync(outDir, { recursive: true });
    for (const [name, svg] of Object.entries(svgs)) {
      const file = join(outDir, `${name}.svg`);
      writeFileSync(file, svg);
      const [w, h] = [/ width="([\d.]+)"/, / height="([\d.]+)"/].map((re) => Math.ceil(Number(svg.match(re)![1])));
      await page.setViewportSize({ width: w, height: h });
      // Opened as a file, the way a reader opens an attachment.
      await page.goto(`file://${file}`);
      seen[name] = (await page.evaluate(IN_PAGE)) as Seen;
      const png = join(outDir, `${name}.png`);
      await page.screenshot({ path: png });
      assert.ok(statSync(png).size > 20_000, `${png} looks blank`);
    }
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
  return seen;
}

function crosses(a: Seen['arrows'][number], b: Seen['arrows'][number]): boolean {
  const side = (px: number, py: number, l: typeof a) => Math.sign((l.x2 - l.x1) * (py - l.y1) - (l.y2 - l.y1) * (px - l.x1));
  return side(b.x1, b.y1, a) !== side(b.x2, b.y2, a) && side(a.x1, a.y1, b) !== side(a.x2, a.y2, b);
}

test('the counterexample SVG renders in Chromium with every lane and arrow', async () => {
  // npm test's set-up installs Chromium; without it this fails rather than skips.
  assert.ok(existsSync(CHROMIUM), `no ${CHROMIUM}`);
  const seen = await inspect({
    'jason-counterexample': traceToSvg(jasonStale),
    'side-by-side': tracesToSvg([jasonStale, noFlushStale]),
  });
  const one = seen['jason-counterexample'];
  assert.deepEqual(one.lanes, ['driver', 'memory', 'queue', 'iotlb', 'device']);
  for (const b of one.laneBoxes) assert.ok(b.width > 50 && b.height > 300, `lane ${b.lane} drawn ${b.width}x${b.height}`);
  assert.deepEqual(one.arrows.map((a) => a.id), ['tr1', 'tc1', 'ir1', 'ic1']);
  for (const a of one.arrows) assert.ok(a.length > 40, `arrow ${a.id} is ${a.length}px long`);
  assert.equal(one.steps, 17);
  assert.equal(one.violations, 1);
  // The overtaking shows: the Invalidate Request's arrow crosses the Translation
  // Completion's; the Translation Request does not cross anything.
  const by = (id: string) => one.arrows.find((a) => a.id === id)!;
  assert.ok(crosses(by('ir1'), by('tc1')), 'Invalidate Request crosses the Translation Completion');
  assert.ok(crosses(by('ic1'), by('tc1')), 'so does the Invalidate Completion');
  assert.ok(!crosses(by('tr1'), by('tc1')));
  assert.deepEqual(one.overflow, [], 'no text outside the picture');

  const two = seen['side-by-side'];
  assert.equal(two.lanes.length, 10);
  assert.equal(two.arrows.length, 5);
  assert.equal(two.steps, 21);
  assert.equal(two.violations, 2);
  assert.deepEqual(two.overflow, []);
});
