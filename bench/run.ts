/**
 * `npm run bench`: every benchmark section in order, each under a `== title ==` header.
 * Pick sections by name: `npm run bench -- engine`. Exits non-zero when a section throws
 * (e.g. the toy's state count differs from Spin's).
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
  for (const s of chosen) {
    out(`== ${s.title} ==`);
    await s.run(out);
  }
}

if (require.main === module) {
  runBench(process.argv.slice(2)).catch((e: unknown) => {
    console.error(`bench failed: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 1;
  });
}
