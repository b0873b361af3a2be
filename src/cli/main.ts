import { Command, CommanderError } from 'commander';
import { EXIT, Io, UsageError, processIo, quietOnClosedPipe } from './io';
import { version } from '../version';
import { commands } from './commands';
import { errorLine } from './oneLine';
import { preflight } from './preflight';
import { EXIT_HELP } from './limits';

const TOP_EXAMPLES = `
Examples:
  flushlab check --from sl:did=5,ssptptr=0x1000 --to sl:did=6,ssptptr=0x2000 \\
    --strategy jason --requests 1 --dmas 0
  flushlab run scenarios/*.yaml
  flushlab run - < mail.txt
  flushlab help check`;

/**
 * The command line. Returns the exit code instead of exiting so that tests can run it
 * in-process. Bad input of any kind is one line on stderr and exit code 2; a bug is one
 * line and exit code 70.
 */
export async function main(argv: string[], io: Io = processIo): Promise<number> {
  if (io === processIo) quietOnClosedPipe();
  let exitCode: number = EXIT.ok;
  const program = new Command('flushlab')
    .description('VT-d PASID-entry update: which invalidations, in which order? Exhaustively checked.')
    .version(version)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.out(s),
      // commander's own messages ("error: unknown option ...") become the one error line.
      writeErr: (s) => io.err(`flushlab: ${errorLine(s.replace(/^error: /, '').trim())}`),
      outputError: () => undefined,
    })
    .showSuggestionAfterError(false)
    .allowExcessArguments(false);
  for (const register of commands) {
    register(program, io, (code) => {
      exitCode = code;
      // Known before anything is written, so a closed pipe exits with it (io.ts).
      if (io === processIo) process.exitCode = code;
    });
  }
  program.addHelpText('after', TOP_EXAMPLES);
  for (const c of [program, ...program.commands]) c.addHelpText('after', EXIT_HELP);
  // No command: the help, on standard output, and exit 2 (nothing was done; a script that
  // lost its arguments must not read success). README "Command line".
  if (argv.length === 0) {
    io.out(`${program.helpInformation().trimEnd()}\n${TOP_EXAMPLES}\n${EXIT_HELP}\n`);
    return EXIT.usage;
  }
  const bad = preflight(program, argv);
  if (bad !== null) {
    io.err(`flushlab: ${errorLine(bad)}`);
    return EXIT.usage;
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.exitCode === 0) return EXIT.ok; // --help, --version
      io.err(`flushlab: ${errorLine(err.message.replace(/^error: /, ''))}`);
      return EXIT.usage;
    }
    if (err instanceof UsageError) {
      io.err(`flushlab: ${errorLine(err.message)}`);
      return EXIT.usage;
    }
    const message = err instanceof Error ? err.message : String(err);
    // A bug, not bad input: its own code (EX_SOFTWARE of sysexits.h), so scripts can tell.
    io.err(`flushlab: internal error: ${errorLine(message.split('\n')[0]!)}`);
    return EXIT.internal;
  }
  return exitCode;
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
}
