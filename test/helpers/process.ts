import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { join } from 'node:path';

export const root = join(__dirname, '..', '..');
export const bin = join(root, 'bin', 'flushlab.js');
export const SL = ['--from', 'sl:did=5,ssptptr=0x1000', '--to', 'sl:did=6,ssptptr=0x2000'];

/** Runs the built CLI (npm test builds dist/ first) as a real process. */
export function flushlab(args: string[], options: { input?: string; timeout?: number } = {}): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: options.timeout ?? 60_000, input: options.input });
}

/** Runs the built CLI with its stdout read by nobody: the pipe is closed at once. */
export function flushlabClosedStdout(args: string[]): Promise<{ code: number | null; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let err = '';
    child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, err }));
  });
}
