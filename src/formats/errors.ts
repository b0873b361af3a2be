/**
 * The one error every parser, decoder and encoder in src/formats throws for bad input. Its
 * message is a single line that names the problem, so the CLI can print it as
 * `flushlab: <message>` and exit 2, and a notebook cell shows it as is.
 */
export class SpecError extends Error {
  override name = 'SpecError';
  constructor(message: string) {
    // One line, always: a newline in a message would break the CLI's one-line contract.
    super(message.replace(/\s*\n\s*/g, ' '));
  }
}
