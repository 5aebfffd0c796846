/**
 * `--ndjson`: one `{"type":"topic",...}` line per topic, one `{"type":"document",...}` line per
 * document, then one `{"type":"summary",...}` line holding everything else (with the same `hash`
 * as `--json`). Every line is a complete JSON object, written with the same number formatter.
 */
import { sealReport, type FitReport } from "./fit-report.js";
import { stringifyJson, type JsonValue } from "./json.js";

export function renderNdjson(report: FitReport): string {
  const sealed = sealReport(report);
  const lines: string[] = [];
  const line = (value: { [key: string]: unknown }): void => {
    lines.push(stringifyJson(value as JsonValue, { indent: 0 }));
  };
  for (const topic of sealed.topics) line({ type: "topic", ...topic });
  for (const doc of sealed.documents) line({ type: "document", ...doc });
  const { topics: _t, documents: _d, ...summary } = sealed;
  line({ type: "summary", ...summary });
  return lines.join("\n") + "\n";
}
