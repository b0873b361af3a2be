/**
 * What commander would accept too kindly: `--help` and `--version` win over anything else
 * on the line (`check --help --bogus` printed help and exited 0, `--version x` printed the
 * version), `help bogus` printed the whole help to stderr, and no command at all did the
 * same. These are bad input like any other bad flag: one line, exit 2.
 */
import type { Command, Option } from 'commander';

const HELP = ['-h', '--help'];
const VERSION = ['-V', '--version'];

function knows(options: readonly Option[], token: string): boolean {
  const flag = token.startsWith('--') ? token.split('=')[0]! : token;
  return HELP.includes(flag) || options.some((o) => o.long === flag || o.short === flag || (o.negate && o.long === flag));
}

/** The one-line complaint about `argv`, or null when commander may take it. */
export function preflight(program: Command, argv: readonly string[]): string | null {
  if (argv.length === 0) return `no command given (${program.commands.map((c) => c.name()).join(', ')}; flushlab --help)`;
  const commandAt = argv.findIndex((a) => !a.startsWith('-'));
  const top = commandAt < 0 ? argv : argv.slice(0, commandAt);
  if (top.some((a) => VERSION.includes(a))) {
    const other = argv.find((a) => !VERSION.includes(a));
    return other === undefined ? null : `--version takes nothing else (got '${other}')`;
  }
  for (const a of top) if (!knows(program.options, a)) return `unknown option '${a}'`;
  if (commandAt < 0) return null;
  const name = argv[commandAt]!;
  const rest = argv.slice(commandAt + 1);
  if (name === 'help') {
    if (rest.length > 1) return `help takes one command name (got '${rest.join(' ')}')`;
    if (rest.length === 1 && !program.commands.some((c) => c.name() === rest[0])) return `unknown command '${rest[0]}'`;
    return null;
  }
  const command = program.commands.find((c) => c.name() === name);
  if (!command) return null; // commander's own "unknown command"
  if (rest.some((a) => HELP.includes(a))) {
    // Help is shown only when everything else on the line is a known option of the command.
    for (const a of rest) if (a.startsWith('-') && a !== '-' && a !== '--' && !knows(command.options, a)) return `unknown option '${a}'`;
  }
  return null;
}
