/** One section of `npm run bench`: prints its own lines through `out`, throws on failure. */
export interface BenchSection {
  /** Short name, used to pick sections: `npm run bench -- engine`. */
  name: string;
  /** Printed as the section's header. */
  title: string;
  run(out: (line: string) => void): Promise<void>;
}
