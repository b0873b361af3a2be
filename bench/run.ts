/**
 * `npm run bench`: every benchmark section in order, each under a `== title ==` header.
 * Pick sections by name: `npm run bench -- engine`. A section that throws (e.g. the toy's
 * state count differs from Spin's) prints `section <name> failed: <why>`, the sections
 * after it still run, and the bench then exits non-zero. Every section has a wall budget
 * (bench/model.ts), so the whole bench ends in bounded time (~20 minutes on 2 cores).
 *
 * To add a section (model check time, sweep time, scale table): write a BenchSection in
 * its own file and list it in `sections` before the engine section, which stays last
 * because its last lines (`states/s vs spin: <ratio>`, then `model states/s vs spin: <ratio>`,
 * which reads the check section's figures) are what tools read.
 */
import type { BenchSection } from './section';
import { engineSection } from './engine';
import { checkSection, scaleSection, sweepSection } from './model';

export type { BenchSection } from './section';

export const sections: BenchSection[] = [
  checkSection,
  sweepSection,
  scaleSection,
  engineSection,
];

export async function runBench(names: string[], out: (line: string) => void = (l) => console.log(l)): Promise<void> {
  const unknown = names.filter((n) => !sections.some((s) => s.name === n));
  if (unknown.length > 0) throw new Error(`unknown bench section(s): ${unknown.join(', ')}; known: ${sections.map((s) => s.name).join(', ')}`);
  const chosen = names.length > 0 ? sections.filter((s) => names.includes(s.name)) : sections;
  const failed: string[] = [];
  for (const s of chosen) {
    out(`== ${s.title} ==`);
    try {
      await s.run(out);
    } catch (e) {
      out(`section ${s.name} failed: ${e instanceof Error ? e.message : String(e)}`);
      failed.push(s.name);
    }
  }
  if (failed.length > 0) throw new Error(`section(s) ${failed.join(', ')} failed (see above)`);
}

if (require.main === module) {
  runBench(process.argv.slice(2)).catch((e: unknown) => {
    console.error(`bench failed: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 1;
  });
}
