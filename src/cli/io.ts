/** Where the CLI writes; tests pass their own to capture output in-process. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
}

/**
 * A reader that stops early (`flushlab check … | head`) closes the pipe: that is not an
 * error worth a stack trace, so the process just ends — with the exit code already
 * decided. Every command records its code (main.ts setExit sets process.exitCode) before
 * it writes, so `check … | grep -q` never sees 0 for an unsafe or inconclusive answer.
 */
export function quietOnClosedPipe(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(process.exitCode ?? EXIT.ok);
      throw err;
    });
  }
}

export const processIo: Io = {
  out: (text) => { process.stdout.write(text.endsWith('\n') ? text : `${text}\n`); },
  err: (text) => { process.stderr.write(text.endsWith('\n') ? text : `${text}\n`); },
};

/**
 * Exit codes shared by every subcommand (check: 0 safe, 1 unsafe, 3 inconclusive; 2 bad
 * input; 70 an internal error, EX_SOFTWARE of sysexits.h).
 */
export const EXIT = { ok: 0, unsafe: 1, mismatch: 1, usage: 2, inconclusive: 3, internal: 70 } as const;

/** Bad input: the CLI prints `flushlab: <message>` on one line and exits 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}
