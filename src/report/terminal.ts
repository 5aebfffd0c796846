/**
 * Text that reaches a terminal: ids, labels, terms and snippets come from the user's corpus and may
 * hold control characters (ESC sequences that recolour or move the cursor, NUL, line breaks inside
 * a CSV field). Tables, warnings and error lines show them escaped, so that one row stays one line
 * and the corpus cannot drive the terminal. JSON, NDJSON and CSV keep the exact text.
 */

/** C0 controls, DEL, C1 controls, and the Unicode line and paragraph separators. */
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

const NAMED_ESCAPES: Readonly<Record<string, string>> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/**
 * Replaces every control character of `text` by a visible escape: `\n`, `\r`, `\t`, else `\xHH`
 * (U+0000-U+00FF) or `\uHHHH` (U+2028, U+2029). Other characters, lone surrogates included, are
 * kept (a UTF-8 stream writes a lone surrogate as U+FFFD). Text without controls is returned as is.
 *
 * Example: `"a\u001b[31mb\n"` -> `"a\\x1b[31mb\\n"`.
 */
export function escapeControlCharacters(text: string): string {
  return text.replace(CONTROL_CHARACTERS, (c) => {
    const named = NAMED_ESCAPES[c];
    if (named !== undefined) return named;
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
  });
}
