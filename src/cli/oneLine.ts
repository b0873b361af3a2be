/**
 * Every error line the CLI prints goes through `errorLine`: whatever the input held, the
 * message is one line of bounded length. Input is quoted escaped (a newline as `\n`, other
 * control characters as `\xNN`) and shortened to QUOTE_MAX characters with `…`, so a
 * 100 KB argument gives a short line and a two-line argument still gives one line.
 */

/** Longest piece of input an error line quotes. */
export const QUOTE_MAX = 60;
/** Longest error line (a backstop for messages that echo input without quotes). */
export const LINE_MAX = 400;

const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** Control characters made visible: `\n`, `\r`, `\t`, else `\xNN` / `\uNNNN`. */
export function escapeControls(text: string): string {
  return text.replace(CONTROL, (c) => {
    if (Object.hasOwn(NAMED, c)) return NAMED[c]!;
    const code = c.charCodeAt(0);
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

function shorten(text: string, max: number): string {
  const chars = [...text];
  return chars.length > max ? `${chars.slice(0, max).join('')}…` : text;
}

/** A piece of input for a message: escaped and at most QUOTE_MAX characters (then `…`). */
export function quote(text: string, max = QUOTE_MAX): string {
  return shorten(escapeControls(text), max);
}

/** The message as one line: escaped, every '…' quotation shortened, the whole bounded. */
export function errorLine(message: string): string {
  const escaped = escapeControls(message.trimEnd());
  const quoted = escaped.replace(/'([^']*)'/g, (_m, inner: string) => `'${shorten(inner, QUOTE_MAX)}'`);
  return shorten(quoted, LINE_MAX);
}
