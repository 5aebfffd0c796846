/**
 * CSV and TSV sources (the only csv-parse importer). A header row is required; RFC 4180 quoting
 * (quoted delimiters, quoted newlines, "" escapes); empty lines skipped.
 */
import { parse, type CsvError } from "csv-parse/sync";
import { InputError } from "../errors.js";
import type { Document } from "./types.js";
import { getErrorCode } from "./io.js";
import { makeDocument, type SourceContext } from "./source.js";

/** One parsed record and the 1-based physical line where it starts. */
interface CsvRow {
  fields: string[];
  line: number;
}

function isCsvError(error: unknown): error is CsvError {
  return error instanceof Error && (getErrorCode(error)?.startsWith("CSV_") ?? false);
}

/** Looks a column up in the header; a missing column is an InputError naming the flag to use. */
function findColumn(header: string[], name: string, flag: string, displayPath: string): number {
  const index = header.indexOf(name);
  if (index === -1) {
    const columns = header.map((column) => (column === "" ? '""' : column)).join(", ");
    throw new InputError(`${displayPath}: no column "${name}"; columns are: ${columns}; use ${flag}`);
  }
  return index;
}

/** Parses all rows with their start lines; csv-parse errors become InputErrors with a line. */
function parseRows(text: string, delimiter: string, displayPath: string): CsvRow[] {
  const rows: CsvRow[] = [];
  let lastEndLine = 0;
  let lastEmptyLines = 0;
  try {
    parse(text, {
      delimiter,
      bom: true,
      relax_quotes: true,
      skip_empty_lines: true,
      on_record: (record: string[], context) => {
        // context.lines is the line where the record ends; it starts after the previous record
        // and the empty lines skipped in between.
        const line = lastEndLine + 1 + (context.empty_lines - lastEmptyLines);
        rows.push({ fields: record, line });
        lastEndLine = context.lines;
        lastEmptyLines = context.empty_lines;
        return null;
      },
    });
  } catch (error) {
    if (!isCsvError(error)) throw error;
    const endLine = typeof error.lines === "number" ? error.lines : lastEndLine + 1;
    const emptyLines = typeof error.empty_lines === "number" ? error.empty_lines : lastEmptyLines;
    const startLine = lastEndLine + 1 + Math.max(0, emptyLines - lastEmptyLines);
    switch (error.code) {
      case "CSV_QUOTE_NOT_CLOSED":
        throw new InputError(`${displayPath}: line ${startLine}: unterminated quoted field; close the quote with "`);
      case "CSV_RECORD_INCONSISTENT_FIELDS_LENGTH": {
        const found = Array.isArray(error.record) ? error.record.length : "a different number of";
        const expected = rows.length > 0 ? rows[0].fields.length : "?";
        throw new InputError(
          `${displayPath}: line ${endLine}: ${found} fields, the header has ${expected}; ` +
            "quote fields that contain the delimiter",
        );
      }
      default: {
        const reason = error.message.replace(/\s*(at|on) line \d+.*$/s, "");
        throw new InputError(`${displayPath}: line ${endLine}: invalid CSV: ${reason}`);
      }
    }
  }
  return rows;
}

/**
 * Reads CSV (`delimiter` ",") or TSV ("\t") text. The first row names the columns; `textColumn`
 * must be one of them, `idColumn` and `labelColumn` too when set.
 * - id: the id column's value (an empty value is an error), else `idBase:N`, N the 1-based data row;
 * - label: the label column's value when non-empty, else the folder label, if any.
 * Errors name the file and the line: unterminated quote, ragged row, missing column, no header.
 */
export function parseDelimited(text: string, delimiter: "," | "\t", context: SourceContext): Document[] {
  const { displayPath, options } = context;
  const rows = parseRows(text, delimiter, displayPath);
  if (rows.length === 0) {
    throw new InputError(`${displayPath}: empty file; a header row naming the columns is required`);
  }
  const header = rows[0].fields;
  const textIndex = findColumn(header, options.textColumn, "--text-column", displayPath);
  const idIndex = options.idColumn === undefined ? -1 : findColumn(header, options.idColumn, "--id-column", displayPath);
  const labelIndex =
    options.labelColumn === undefined ? -1 : findColumn(header, options.labelColumn, "--label-column", displayPath);
  const documents: Document[] = new Array(rows.length - 1);
  for (let r = 1; r < rows.length; r++) {
    const { fields, line } = rows[r];
    let id = `${context.idBase}:${r}`;
    if (idIndex !== -1) {
      id = fields[idIndex];
      if (id === "") {
        throw new InputError(`${displayPath}: line ${line}: empty value in id column "${options.idColumn}"; every row needs an id`);
      }
    }
    const labelValue = labelIndex === -1 ? "" : fields[labelIndex];
    documents[r - 1] = makeDocument(id, fields[textIndex], labelValue !== "" ? labelValue : context.folderLabel);
  }
  return documents;
}
