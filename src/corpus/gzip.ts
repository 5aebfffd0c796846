/** gzip-compressed inputs (`X.gz`), decompressed as a stream with node:zlib. */
import { createReadStream } from "node:fs";
import { pipeline } from "node:stream/promises";
import { createGunzip } from "node:zlib";
import { InputError } from "../errors.js";
import { getErrorCode, convertFsError } from "./io.js";

/** True for zlib's own error codes (corrupt or truncated data), as opposed to file-system errors. */
function isZlibError(error: unknown): boolean {
  const code = getErrorCode(error);
  return code !== undefined && code.startsWith("Z_");
}

/**
 * The InputError of a failed gunzip: corrupt or truncated data (zlib's codes), or the file-system
 * error of the source, naming `displayPath`.
 */
export function convertGunzipError(error: unknown, displayPath: string): Error {
  if (isZlibError(error)) {
    const reason = error instanceof Error ? error.message : String(error);
    return new InputError(
      `${displayPath}: corrupt or truncated gzip data (${reason}); check it with gzip -t or re-create it`,
    );
  }
  return convertFsError(error, displayPath);
}

/**
 * Streams `source` through gunzip and returns the decompressed bytes. Concatenated gzip members are
 * read in turn, as `gzip -d` does. Corrupt or truncated data is an InputError naming `displayPath`.
 */
export async function gunzipStream(source: NodeJS.ReadableStream, displayPath: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  try {
    await pipeline(source, createGunzip(), async (decompressed: AsyncIterable<Buffer>) => {
      for await (const chunk of decompressed) chunks.push(chunk);
    });
  } catch (error) {
    throw convertGunzipError(error, displayPath);
  }
  return Buffer.concat(chunks);
}

/** Reads and decompresses a `.gz` file; see {@link gunzipStream}. */
export async function readGzipFile(path: string, displayPath: string): Promise<Buffer> {
  return gunzipStream(createReadStream(path), displayPath);
}
