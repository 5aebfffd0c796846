/**
 * JSON sources: JSONL/NDJSON (one object per line) and JSON (an array of objects or strings).
 * Field names come from `textField` (default "text"), `idField` and `labelField`.
 */
import { InputError } from "../errors.js";
import type { Document } from "./types.js";
import { makeDocument, type SourceContext } from "./source.js";
import { visitLines, isBlankLine } from "./text.js";

/** A JSON value's kind for messages: "null", "an array", "an object", "a number", ... */
function describeJsonValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  const type = typeof value;
  return type === "object" ? "an object" : `a ${type}`;
}

/** V8's JSON.parse message without the echoed input: e.g. "Unexpected token '}'". */
function shortenJsonMessage(message: string): string {
  const short = message.replace(/,\s*(\.\.\.)?".*$/s, "").trim();
  return short.length > 100 ? `${short.slice(0, 97)}...` : short;
}

/** 1-based line of a character offset in `text`. */
function findLineOfOffset(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) line++;
  return line;
}

/** Turns an id or label value into a string: strings as they are, finite numbers via String(). */
function convertNameValue(value: unknown): string | undefined {
  if (typeof value === "string") return value.length > 0 ? value : undefined;
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return undefined;
}

/**
 * Builds the document of one JSON record (an object, or a string = the text itself).
 * `where` names the record in messages ("x.jsonl: line 3", "x.json: item 2"); `defaultId` is used
 * when no `idField` is set.
 */
function buildRecordDocument(record: unknown, where: string, defaultId: string, context: SourceContext): Document {
  const { textField, idField, labelField } = context.options;
  if (typeof record === "string") return makeDocument(defaultId, record, context.folderLabel);
  if (typeof record !== "object" || record === null || Array.isArray(record)) {
    throw new InputError(`${where}: expected a JSON object or string, found ${describeJsonValue(record)}`);
  }
  const fields = record as Record<string, unknown>;
  // Own properties only: "constructor" or "__proto__" must not find Object.prototype's members.
  const getField = (name: string): unknown => (Object.hasOwn(fields, name) ? fields[name] : undefined);
  const text = getField(textField);
  if (text === undefined) {
    const names = Object.keys(fields);
    const known = names.length > 0 ? names.join(", ") : "(none)";
    throw new InputError(`${where}: no field "${textField}"; fields are: ${known}; use --text-field`);
  }
  if (typeof text !== "string") {
    throw new InputError(
      `${where}: field "${textField}" is ${describeJsonValue(text)}, not a string; use --text-field to name the text field`,
    );
  }
  let id = defaultId;
  if (idField !== undefined) {
    const value = getField(idField);
    const name = convertNameValue(value);
    if (name === undefined) {
      const found = value === undefined ? "missing" : value === "" ? "empty" : describeJsonValue(value);
      throw new InputError(
        `${where}: id field "${idField}" is ${found}; every record needs a string or number id (or leave out --id-field)`,
      );
    }
    id = name;
  }
  let label = context.folderLabel;
  if (labelField !== undefined) {
    const value = getField(labelField);
    const name = convertNameValue(value);
    if (name !== undefined) {
      label = name;
    } else if (value !== undefined && value !== null && value !== "") {
      throw new InputError(
        `${where}: label field "${labelField}" is ${describeJsonValue(value)}; labels must be strings or numbers`,
      );
    }
  }
  return makeDocument(id, text, label);
}

/**
 * JSONL/NDJSON: one JSON object (or string) per line; lines that are empty or whitespace-only are
 * skipped; line ends "\n" or "\r\n". Default id `idBase:LINE` (1-based physical line).
 * Errors: `PATH: line N: invalid JSON: <reason>`, missing or non-string text field.
 */
export function parseJsonLines(text: string, context: SourceContext): Document[] {
  const documents: Document[] = [];
  visitLines(text, (line, lineNumber) => {
    const document = parseJsonLine(line, lineNumber, context);
    if (document !== null) documents.push(document);
  });
  return documents;
}

/**
 * The document of one physical line of a JSONL source, or null for a blank line (see
 * {@link parseJsonLines}, whose errors it throws).
 */
export function parseJsonLine(line: string, lineNumber: number, context: SourceContext): Document | null {
  if (isBlankLine(line)) return null;
  const where = `${context.displayPath}: line ${lineNumber}`;
  let record: unknown;
  try {
    record = JSON.parse(line);
  } catch (error) {
    const reason = shortenJsonMessage(error instanceof Error ? error.message : String(error));
    throw new InputError(`${where}: invalid JSON: ${reason}`);
  }
  return buildRecordDocument(record, where, `${context.idBase}:${lineNumber}`, context);
}

/**
 * JSON: an array whose items are objects (fields as JSONL) or strings (the text). Default id
 * `idBase:INDEX` (1-based). Errors: invalid JSON (with the line when V8 reports a position), a
 * top-level value that is not an array, items of another kind.
 */
export function parseJsonArray(text: string, context: SourceContext): Document[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const position = /at position (\d+)/.exec(message);
    const where = position
      ? `${context.displayPath}: line ${findLineOfOffset(text, Number(position[1]))}`
      : context.displayPath;
    const reason = shortenJsonMessage(message.replace(/\s*in JSON at position \d+.*$/s, ""));
    throw new InputError(`${where}: invalid JSON: ${reason}`);
  }
  if (!Array.isArray(value)) {
    throw new InputError(
      `${context.displayPath}: expected a JSON array of objects or strings, found ${describeJsonValue(value)}; ` +
        "for one object per line use a .jsonl file",
    );
  }
  const documents: Document[] = new Array(value.length);
  for (let i = 0; i < value.length; i++) {
    const where = `${context.displayPath}: item ${i + 1}`;
    documents[i] = buildRecordDocument(value[i], where, `${context.idBase}:${i + 1}`, context);
  }
  return documents;
}
