/**
 * One flushlab measurement of the benchmark toy, in a process of its own so that its peak
 * memory is its own and the JIT starts cold, as Spin's pan does. Prints one JSON line.
 * Usage: node --import tsx bench/engine-child.ts <packed|search|search-packing> <counters> <values> <maxMillis>
 */
import { searchPacked } from './packedSearch';
import { search } from '../src/engine/search';
import { toyGeneric, toyPacked } from './toy';

const [engine, c, v, ms] = process.argv.slice(2);
const counters = Number(c);
const values = Number(v);
const budget = { maxStates: values ** counters + 1, maxMillis: Number(ms) };
const before = process.memoryUsage().rss;
const r =
  engine === 'packed'
    ? searchPacked(toyPacked(counters, values), { budget })
    : engine === 'search'
      ? search(toyGeneric(counters, values), { budget })
      : engine === 'search-packing'
        ? search(toyGeneric(counters, values, { packing: true }), { budget })
        : null;
if (!r) throw new Error(`unknown engine ${engine}`);
console.log(
  JSON.stringify({
    engine,
    verdict: r.verdict,
    exhausted: r.exhausted ?? null,
    states: r.states,
    transitions: r.transitions,
    millis: r.millis,
    rssBeforeKb: Math.round(before / 1024),
    maxRssKb: process.resourceUsage().maxRSS,
  }),
);
