/**
 * The engine benchmark (issue 8): the toy — six counters of twelve values, every step
 * increments one counter modulo twelve, 12^6 = 2,985,984 states — in flushlab's checker and
 * in Spin, timed in the same run. Each search runs in a process of its own (peak memory is
 * then that search's; the JIT starts cold as pan's code starts cold). Times are the search
 * alone as each tool measures it (pan's "elapsed time", SearchResult.millis): no process
 * start, no compilation. Spin and the headline engine run twice and keep the faster run,
 * because the 2-core machine is shared and one run can be slowed by a neighbour.
 *
 * Spin is compiled the way its manual recommends for the largest BFS runs: -DBFS (breadth
 * first, like flushlab), -DSAFETY (no cycle detection; flushlab checks safety only),
 * -DNOREDUCE (the toy has one process, so there is nothing to reduce; said explicitly), a
 * 2^24-slot hash table (-w24, the fastest of -w22..-w26 on this machine) and enough memory.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchSection } from './section';
import { benchFigures } from './model';
import { toyPromela } from './toy';

const COUNTERS = 6;
const VALUES = 12;
const EXPECTED = VALUES ** COUNTERS;
const BEST_OF = 2;
/** Per flushlab search: the string-key search takes ~35 s on the 2-core machine. */
const CHILD_MAX_MILLIS = 300_000;
const ROOT = join(__dirname, '..');

const GCC_FLAGS = ['-O2', '-DBFS', '-DSAFETY', '-DNOREDUCE', '-DMEMLIM=8192'];
const PAN_FLAGS = ['-w24'];

interface Run {
  name: string;
  states: number;
  transitions: number;
  seconds: number;
  peakMb: number;
  note: string;
}

const int = (n: number) => Math.round(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
const rate = (r: Run) => r.states / r.seconds;

function has(cmd: string, args: string[]): boolean {
  const r = spawnSync(cmd, args, { stdio: 'ignore' });
  return !r.error && r.status === 0;
}

/**
 * Spin (and gcc, which pan needs) from Debian when missing, as scripts/setup.mjs installs
 * Debian packages (as root, apt-get update then install). Returns why Spin cannot be run,
 * or null when it can: without it the section still runs flushlab's searches and says
 * that Spin was skipped, so `npm run bench` still prints every line.
 */
function ensureSpin(out: (line: string) => void): string | null {
  const missing = [has('spin', ['-V']) ? null : 'spin', has('gcc', ['--version']) ? null : 'gcc'].filter((p): p is string => p !== null);
  if (missing.length === 0) return null;
  const hint = `install the Debian package(s) ${missing.join(' ')} (as root: apt-get install -y ${missing.join(' ')})`;
  if (!existsSync('/usr/bin/apt-get')) return `${missing.join(' and ')} missing and not a Debian system: ${hint}, or the same from your distribution`;
  if (process.getuid?.() !== 0) return `${missing.join(' and ')} missing and not root: ${hint}`;
  out(`installing ${missing.join(' ')} (apt-get install -y ${missing.join(' ')})`);
  const apt = (args: string[]) =>
    spawnSync('apt-get', args, { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } }).status === 0;
  // The package lists may be missing on a fresh machine: update once and retry.
  if (!apt(['install', '-y', '--no-install-recommends', ...missing])) {
    apt(['update']);
    if (!apt(['install', '-y', '--no-install-recommends', ...missing])) return `apt-get install -y ${missing.join(' ')} failed: ${hint}`;
  }
  return has('spin', ['-V']) && has('gcc', ['--version']) ? null : `${missing.join(' and ')} still missing after apt-get install`;
}

function runSpin(dir: string): Run {
  const time = existsSync('/usr/bin/time') ? ['/usr/bin/time', '-v'] : [];
  const cmd = [...time, './pan', ...PAN_FLAGS];
  const r = spawnSync(cmd[0], cmd.slice(1), { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`pan failed (${r.status}): ${r.stderr}${r.stdout}`);
  const text = r.stdout;
  const num = (re: RegExp, what: string) => {
    const m = re.exec(text) ?? re.exec(r.stderr);
    if (!m) throw new Error(`pan output without ${what}:\n${text}`);
    return Number(m[1]);
  };
  if (/errors: [1-9]/.test(text)) throw new Error(`pan reported errors:\n${text}`);
  const states = num(/(\d+) states, stored/, 'stored states');
  const transitions = num(/(\d+) transitions \(= stored\+matched\)/, 'transitions');
  const seconds = num(/pan: elapsed time ([\d.e+-]+) seconds/, 'elapsed time');
  const panMb = num(/([\d.]+)\s+total actual memory usage/, 'memory usage');
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr);
  return {
    name: 'spin (pan, BFS)',
    states,
    transitions,
    seconds,
    peakMb: rss ? Number(rss[1]) / 1024 : panMb,
    note: rss ? `pan's own count: ${Math.round(panMb)} MB` : "pan's own count (no /usr/bin/time)",
  };
}

function runFlushlab(engine: 'packed' | 'search' | 'search-packing', name: string): Run {
  const r = spawnSync(
    process.execPath,
    ['--max-old-space-size=8192', '--import', 'tsx', join(__dirname, 'engine-child.ts'), engine, String(COUNTERS), String(VALUES), String(CHILD_MAX_MILLIS)],
    { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 24 },
  );
  if (r.status !== 0) throw new Error(`flushlab ${engine} failed (${r.status}): ${r.stderr}`);
  const j = JSON.parse(r.stdout.trim().split('\n').pop()!) as {
    verdict: string;
    exhausted: string | null;
    states: number;
    transitions: number;
    millis: number;
    rssBeforeKb: number;
    maxRssKb: number;
  };
  if (j.verdict !== 'safe') throw new Error(`flushlab ${engine}: ${j.verdict}${j.exhausted ? ` (${j.exhausted} budget)` : ''} after ${j.states} states`);
  return {
    name,
    states: j.states,
    transitions: j.transitions,
    seconds: j.millis / 1000,
    peakMb: j.maxRssKb / 1024,
    note: `${Math.round(j.rssBeforeKb / 1024)} MB before the search`,
  };
}

const best = (runs: Run[]) => runs.reduce((a, b) => (rate(b) > rate(a) ? b : a));

export const engineSection: BenchSection = {
  name: 'engine',
  title: `engine: flushlab's search vs Spin on the toy (${COUNTERS} counters x ${VALUES} values)`,
  async run(out) {
    // The committed Promela is the generated one: the same model as flushlab's toy.
    const pml = readFileSync(join(__dirname, 'toy.pml'), 'utf8');
    if (pml !== toyPromela(COUNTERS, VALUES)) throw new Error('bench/toy.pml differs from toyPromela(6, 12) in bench/toy.ts: regenerate it');
    const skipped = ensureSpin(out);
    const dir = mkdtempSync(join(tmpdir(), 'flushlab-spin-'));
    try {
      out(`toy: every step increments one counter modulo ${VALUES}; ${VALUES}^${COUNTERS} = ${int(EXPECTED)} states`);
      if (skipped) out(`spin: skipped (${skipped})`);
      else {
        writeFileSync(join(dir, 'toy.pml'), pml);
        const gen = spawnSync('spin', ['-a', 'toy.pml'], { cwd: dir, encoding: 'utf8' });
        if (gen.status !== 0) throw new Error(`spin -a failed: ${gen.stdout}${gen.stderr}`);
        const cc = spawnSync('gcc', [...GCC_FLAGS, '-o', 'pan', 'pan.c'], { cwd: dir, encoding: 'utf8' });
        if (cc.status !== 0) throw new Error(`gcc failed: ${cc.stderr}`);
        const version = spawnSync('spin', ['-V'], { encoding: 'utf8' }).stdout.trim();
        out(`spin: ${version}; gcc ${GCC_FLAGS.join(' ')}; pan ${PAN_FLAGS.join(' ')}`);
      }
      out(`times: the search alone as each tool reports it; ${skipped ? '' : 'spin and '}searchPacked best of ${BEST_OF}`);
      const spinRuns: Run[] = [];
      const packedRuns: Run[] = [];
      // Interleaved, so a slow spell of the shared machine hits both.
      for (let i = 0; i < BEST_OF; i++) {
        if (!skipped) spinRuns.push(runSpin(dir));
        packedRuns.push(runFlushlab('packed', 'flushlab searchPacked'));
      }
      const spin = skipped ? null : best(spinRuns);
      const packed = best(packedRuns);
      const generic = runFlushlab('search', 'flushlab search, string keys');
      const genericPacking = runFlushlab('search-packing', 'flushlab search + packing');

      const rows = [...(spin ? [spin] : []), packed, generic, genericPacking];
      out(`${'engine'.padEnd(30)}${'states'.padStart(11)}${'transitions'.padStart(13)}${'search s'.padStart(10)}${'states/s'.padStart(12)}${'peak RSS'.padStart(10)}`);
      for (const r of rows) {
        out(
          `${r.name.padEnd(30)}${int(r.states).padStart(11)}${int(r.transitions).padStart(13)}${r.seconds.toFixed(2).padStart(10)}${int(rate(r)).padStart(12)}${`${Math.round(r.peakMb)} MB`.padStart(10)}  (${r.note})`,
        );
      }
      // The same model must give the same answer: a different count is a bug in one of them.
      for (const r of rows) {
        if (r.states !== EXPECTED) throw new Error(`${r.name} found ${r.states} states, expected ${EXPECTED}${spin ? ` (Spin: ${spin.states})` : ''}: the toy is not the same model`);
      }
      out(`state counts: all ${int(EXPECTED)}${spin ? ", equal to Spin's" : ''}`);
      if (!spin) {
        out('states/s vs spin: n/a (Spin skipped, see above)');
        out('model states/s vs spin: n/a (Spin skipped, see above)');
        return;
      }
      out(`search() string keys vs spin: ${(rate(generic) / rate(spin)).toFixed(2)}; search() + packing vs spin: ${(rate(genericPacking) / rate(spin)).toFixed(2)}`);
      out(`states/s vs spin: ${(rate(packed) / rate(spin)).toFixed(2)}`);
      // Last: the VT-d model's largest default check (check section) against Spin's toy.
      if (benchFigures.modelStatesPerSec === undefined) out('model states/s vs spin: n/a (the check section did not run)');
      else {
        out(`model: the largest default check (${benchFigures.modelCheck}) at ${Math.round(benchFigures.modelStatesPerSec).toLocaleString('en-US')} states/s`);
        out(`model states/s vs spin: ${(benchFigures.modelStatesPerSec / rate(spin)).toFixed(2)}`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
