/**
 * Interrupting notebook work. tslab (node_modules/tslab/dist/main.js) answers Jupyter's
 * "interrupt kernel" with SIGINT to the kernel process: its handler rejects the promise the
 * cell is awaited on, so the cell ends at once — but an async loop the cell started
 * (checkMatrix, withProgress) went on running in the background, and the next cells waited
 * for it. (Synchronous code in a cell is stopped by vm's breakOnSigint; code after an
 * `await` is not.) So the loops of notebook.ts yield between checks and stop when a SIGINT
 * has come since they started; one check in progress ends at its budget
 * (LIVE_CELL_BUDGET).
 */

/** Thrown by a notebook loop that stopped because of an interrupt. */
export class Interrupted extends Error {
  override name = 'Interrupted';
}

let interrupts = 0;
let listening = false;

/** What the SIGINT handler does (tests call it directly). */
export function requestInterrupt(): void {
  interrupts++;
}

/**
 * Listens for SIGINT, once per process, next to tslab's own handler. Only in a kernel: a
 * SIGINT listener in a plain Node process would stop Ctrl-C from ending it.
 */
export function listenForInterrupts(inKernel: boolean): void {
  if (!inKernel || listening) return;
  listening = true;
  process.on('SIGINT', requestInterrupt);
}

/** A mark to compare with: `interruptedSince(mark)` is true once a SIGINT came after it. */
export function interruptMark(): number {
  return interrupts;
}

export function interruptedSince(mark: number): boolean {
  return interrupts !== mark;
}
