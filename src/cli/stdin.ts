/**
 * Standard input for `run -` and `decode -`, under the same cap as a scenario file
 * (MAX_FILE_BYTES): `yes | flushlab run -` ends with one line, not with the memory.
 */
import { UsageError } from './io';
import { MAX_FILE_BYTES } from '../scenarios/scenarioFile';

export async function readStdinCapped(stream: NodeJS.ReadableStream = process.stdin, max = MAX_FILE_BYTES): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += b.length;
    if (size > max) {
      // Stop reading: the writer gets EPIPE, this process answers at once.
      (stream as NodeJS.ReadStream).destroy?.();
      throw new UsageError(`standard input is larger than ${max} bytes (a scenario file or mail holds a few scenarios of a few lines)`);
    }
    chunks.push(b);
  }
  return Buffer.concat(chunks).toString('utf8');
}
