/**
 * The commander program: one sub-command per module, each loaded only when it runs, so that
 * `nmf-topics --help` starts fast.
 */
import { Command } from "commander";
import { escapeControlCharacters } from "../report/terminal.js";
import { integer, real, topicList } from "./parse.js";
import {
  addInputOptions,
  addNmfOptions,
  addOnlineOptions,
  addOutputOptions,
  addTextOptions,
  addThreadsOption,
  DEFAULT_BATCH_SIZE,
  type RawOptions,
} from "./options.js";

/**
 * Commander's error text (`error: option '--tol <x>' argument 'NaN' is invalid. ...`, sometimes with
 * a second line `(Did you mean --max-iter?)`) as the one line every user error gets:
 * `nmf-topics: error: <message> (see <command> --help)`, control characters escaped.
 */
export function formatCommanderError(text: string, command: string): string {
  const message = text.trim().replace(/^error:\s*/, "").replace(/\s*\n\s*/g, " ");
  return `nmf-topics: error: ${escapeControlCharacters(message)} (see ${command} --help)\n`;
}

export function buildProgram(version: string): Command {
  const program = new Command("nmf-topics")
    .description("Topics of a corpus by TF-IDF + non-negative matrix factorization (scikit-learn's numbers, reproducible output).")
    .version(version, "-V, --version")
    .configureOutput({
      outputError: (str, write) => write(formatCommanderError(str, "nmf-topics")),
    })
    .exitOverride();

  const fit = program
    .command("fit")
    .description("read a corpus, build its TF-IDF matrix, factorize it and print the topics")
    .argument("<input...>", "folders, files (.txt .csv .tsv .jsonl .ndjson .json, optionally .gz) or - for stdin")
    .requiredOption("-k, --topics <n>", "number of topics", integer(1, 100_000));
  addInputOptions(fit);
  addTextOptions(fit);
  addNmfOptions(fit);
  addOutputOptions(fit, { save: true });
  addOnlineOptions(fit);
  fit.action(async (inputs: string[], options: RawOptions) => {
    const { runFit } = await import("./commands/fit.js");
    await runFit(inputs, options, version);
  });

  const transform = program
    .command("transform")
    .description("topic weights of new documents with a saved model's preprocessing and topics")
    .argument("<input...>", "folders, files or - for stdin, as for fit")
    .requiredOption("--model <file>", "a model file written by fit --save");
  addInputOptions(transform);
  addThreadsOption(transform);
  addOutputOptions(transform, { save: false });
  transform.action(async (inputs: string[], options: RawOptions) => {
    const { runTransform } = await import("./commands/transform.js");
    await runTransform(inputs, options, version);
  });

  const topics = program
    .command("topics")
    .description("print the topics of a saved model")
    .argument("<model>", "a model file written by fit --save")
    .option("--json", "print one JSON document", false)
    .option("--ndjson", "print one JSON object per line", false)
    .option("--top-words <n>", "top words per topic (default: as fitted)", integer(1, 1000));
  topics.action(async (model: string, options: RawOptions) => {
    const { runTopics } = await import("./commands/topics.js");
    await runTopics(model, options, version);
  });

  const sweep = program
    .command("sweep")
    .description("fit several numbers of topics, several runs each, and recommend one")
    .argument("<input...>", "folders, files or - for stdin, as for fit")
    .requiredOption("-k, --topics <list>", "numbers of topics: a list 5,10,15 or a range 4..12", topicList)
    .option("--runs <n>", "runs per k (seeds seed..seed+runs-1), compared for stability", integer(1, 1000), 3)
    .option("--sample-fraction <x>", "share of the documents each run fits (1: all; then use --init random)", real(0, 1, true), 0.8);
  addInputOptions(sweep);
  addTextOptions(sweep);
  addNmfOptions(sweep);
  sweep
    .option("--top-words <n>", "top words per topic (coherence, diversity, stability)", integer(1, 1000), 10)
    .option("--json", "print one JSON document (schema in the README)", false)
    .option("--ndjson", "print one JSON object per k, then a summary line", false)
    .option("-q, --quiet", "print nothing on stderr but errors", false);
  sweep.action(async (inputs: string[], options: RawOptions) => {
    const { runSweep } = await import("./commands/sweep.js");
    await runSweep(inputs, options, version);
  });

  const update = program
    .command("update")
    .description("continue a saved model on new documents (online, topic ids kept) and report how far each topic moved")
    .argument("<model>", "a model file written by fit --save")
    .argument("<input...>", "the new documents: folders, files or - for stdin, as for fit")
    .option("--batch-size <n>", "documents per mini-batch", integer(1, 10_000_000), DEFAULT_BATCH_SIZE)
    .option("--passes <n>", "at most N passes over the new documents, fewer when the stopping rule fires (default 1)", integer(1, 1_000_000))
    .option("--top-words <n>", "top words per topic (default: as fitted)", integer(1, 1000))
    .option("--json", "print one JSON document (schema in the README)", false)
    .option("--save [file]", "write the updated model (default: replace the model file, atomically)")
    .option("-q, --quiet", "print nothing on stderr but errors", false);
  addInputOptions(update);
  addThreadsOption(update);
  update.action(async (model: string, inputs: string[], options: RawOptions) => {
    const { runUpdate } = await import("./commands/update.js");
    await runUpdate(model, inputs, options, version);
  });

  const diff = program
    .command("diff")
    .description("align the topics of two runs or models; exit 1 when a topic changed, appeared or vanished")
    .argument("<a>", "a run JSON (fit --json) or a model file (fit --save)")
    .argument("<b>", "the same, to compare with a")
    .option("--min-similarity <x>", "a matched pair passes at this cosine similarity or above", real(0, 1), 0.8)
    .option("--json", "print one JSON document (schema in the README)", false);
  diff.action(async (a: string, b: string, options: RawOptions) => {
    const { runDiff } = await import("./commands/diff.js");
    await runDiff(a, b, options, version);
  });

  for (const cmd of program.commands) {
    cmd.configureOutput({ outputError: (str, write) => write(formatCommanderError(str, `nmf-topics ${cmd.name()}`)) }).exitOverride();
  }
  return program;
}
