import type { Command } from 'commander';
import type { Io } from '../io';
import { registerWriter } from './writer';
import { registerDecode } from './decode';
import { registerRun } from './run';
import { registerCheck } from './check';
import { registerMerge } from './merge';
import { registerAnswer } from './answer';
import { registerCompare } from './compare';

/** A subcommand adds itself to the program; `setExit` records its exit code. */
export type RegisterCommand = (program: Command, io: Io, setExit: (code: number) => void) => void;

// One line per subcommand; each lives in its own file.
export const commands: RegisterCommand[] = [
  registerWriter,
  registerDecode,
  registerRun,
  registerCheck,
  registerMerge,
  registerAnswer,
  registerCompare,
];
