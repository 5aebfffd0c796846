/**
 * Bytes to text: UTF-8 when the bytes are valid UTF-8, else Latin-1 (ISO-8859-1), the rule of
 * scikit-learn's 20 Newsgroups loader. Also the binary-file check.
 */
import { isAscii, isUtf8 } from "node:buffer";
import type { Warn } from "./types.js";

/** How many leading bytes {@link hasNulBytes} inspects (8 KiB, as `grep` and git do). */
export const binaryProbeBytes = 8192;

/**
 * Decodes a whole file or stream.
 *
 * - valid UTF-8: decoded as UTF-8, a leading BOM (U+FEFF) dropped;
 * - otherwise: every byte b becomes the code point b (ISO-8859-1, not Windows-1252), and
 *   `warn` receives exactly one line `<displayPath>: not valid UTF-8, read as Latin-1`.
 *
 * CR and LF characters are kept as they are.
 */
export function decodeBytes(bytes: Buffer, displayPath: string, warn: Warn): string {
  // ASCII (most English corpora, file by file) is the same text in every one of these encodings;
  // copying it byte for byte skips the UTF-8 decoder (20 Newsgroups: 9 -> 5 ms).
  if (isAscii(bytes)) return bytes.toString("latin1");
  if (isUtf8(bytes)) {
    const text = bytes.toString("utf8");
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  }
  warn(`${displayPath}: not valid UTF-8, read as Latin-1`);
  return bytes.toString("latin1");
}

/** True when a NUL byte occurs in the first {@link binaryProbeBytes} bytes (a binary file). */
export function hasNulBytes(bytes: Uint8Array): boolean {
  // Searching all of it (memchr) costs less than a view of its first 8 KiB.
  const nul = bytes.indexOf(0);
  return nul !== -1 && nul < binaryProbeBytes;
}
