/** Standard input (`-`): read whole, then parsed in the format named by `inputFormat`. */
import { getErrorCode } from "./io.js";
import { InputError } from "../errors.js";

/** Reads a stream to its end as bytes (string chunks are taken as UTF-8). */
export async function readStreamBytes(stream: NodeJS.ReadableStream, displayPath: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of stream) {
      chunks.push(typeof chunk === "string" ? Buffer.from(chunk, "utf8") : Buffer.from(chunk));
    }
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new InputError(`${displayPath}: cannot read (${getErrorCode(error) ?? reason})`);
  }
  return Buffer.concat(chunks);
}
