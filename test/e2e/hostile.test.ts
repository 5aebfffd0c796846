/**
 * Hostile input and faults (issue 8): every bad input gets one clear line on stderr, the exit code
 * of the spec and nothing on stdout; nothing crashes, hangs or is left half-written. Each row of the
 * table spawns the built binary (`npm run build` first). Big inputs are generated in a temp folder
 * at test time (CI sizes: 10 MB and 50,000 documents; bench/memory.mjs runs the full sizes).
 */
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { binPath, fixturesDir, miniCorpus, runCli, tempDir, type CliResult } from "../helpers/cli.js";

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

let dir: string; // every hostile file lives here; rows run with it as the working folder
const fixtureModel = join(fixturesDir, "models", "20news-mini-k3-v0.1.0.model.json");
const isRoot = process.getuid?.() === 0;
/** As root, chmod 000 denies nothing: permission rows run as user "nobody" (65534) instead. */
const otherUser = isRoot ? { uid: 65534, gid: 65534 } : {};
const haveMkfifo = spawnSync("mkfifo", ["--version"]).status === 0;

function write(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, content);
  return path;
}

/** Edits a copy of the fixture model (a valid model@1 file written by 0.1.0). */
function writeModel(name: string, edit: (m: Json) => Json): void {
  write(name, JSON.stringify(edit(JSON.parse(readFileSync(fixtureModel, "utf8")))));
}

/** Spawns the binary as runCli does, optionally as another user (for permission rows). */
function runAs(args: string[], user: { uid?: number; gid?: number }): CliResult {
  const r = spawnSync(process.execPath, [binPath, ...args], {
    cwd: dir,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: undefined },
    timeout: 120_000,
    ...user,
  });
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

/** Runs a shell snippet (for pipes, limits and signals) with NO_COLOR. */
function sh(script: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync("bash", ["-c", script], { cwd: dir, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" }, timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const nmf = `${JSON.stringify(process.execPath)} ${JSON.stringify(binPath)}`;

/** The contract of every error: one line `nmf-topics: error: ...` (after any warnings), no stack, no stdout. */
function expectOneErrorLine(r: CliResult, code: number, message: RegExp, warning?: RegExp): void {
  expect(r.status, r.stderr).toBe(code);
  expect(r.stdout).toBe("");
  expect(r.stderr).not.toMatch(/^\s+at |internal error/m);
  const lines = r.stderr.split("\n");
  expect(lines.pop()).toBe(""); // ends with a newline
  const error = lines.pop() ?? "";
  expect(error).toMatch(/^nmf-topics: error: \S/);
  expect(error).toMatch(message);
  if (warning === undefined) expect(lines, "no line but the error").toEqual([]);
  else {
    for (const line of lines) expect(line).toMatch(/^nmf-topics: warning: /);
    expect(lines.join("\n")).toMatch(warning);
  }
}

beforeAll(() => {
  dir = tempDir("nmf-topics-hostile-");
  chmodSync(dir, 0o755); // "nobody" must be able to enter it
  // Paths
  mkdirSync(join(dir, "empty-dir"));
  write("junk-dir/.hidden.txt", "space orbit nasa");
  write("junk-dir/blob.bin", Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 13, 1, 2, 3]));
  symlinkSync("no-such-target", join(dir, "junk-dir", "dangling.txt"));
  symlinkSync(".", join(dir, "junk-dir", "self"));
  symlinkSync("self-loop", join(dir, "self-loop"));
  write("binary.txt", Buffer.concat([Buffer.from("text then "), Buffer.from([0, 1, 2]), Buffer.from(" more")]));
  write("image.png", Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]), Buffer.from("IHDR")]));
  write("utf16.txt", Buffer.from("\ufeffspace orbit nasa\n", "utf16le"));
  // Bytes 0x80-0xA9 are not UTF-8; as Latin-1 they are C1 controls and symbols, no letters at all.
  write("not-text.txt", Buffer.from(Array.from({ length: 2000 }, (_, i) => 0x80 + (i % 42))));
  write("empty.txt", "");
  write("secret.txt", "space orbit nasa\n");
  chmodSync(join(dir, "secret.txt"), 0o000);
  write("locked-dir/a.txt", "space orbit nasa");
  chmodSync(join(dir, "locked-dir"), 0o000);
  write("mixed-dir/a.txt", "space orbit nasa");
  write("mixed-dir/b.txt", "hockey team goal");
  chmodSync(join(dir, "mixed-dir", "b.txt"), 0o000);
  mkdirSync(join(dir, "read-only-dir"));
  chmodSync(join(dir, "read-only-dir"), 0o555);
  // Formats
  write("unterminated.csv", 'id,text\n1,"space orbit\n2,hockey team\n');
  write("ragged.csv", "id,text\n1,space orbit\n2,hockey,team\n");
  write("no-text-column.csv", "id,body\n1,space orbit\n");
  write("header-only.csv", "id,text\n");
  write("empty.csv", "");
  const csvRows = ["id,text", "1,space orbit nasa", "2,orbit nasa launch", "3,hockey team goal", "4,team goal season", "5,nasa space team"];
  write("plain.csv", csvRows.join("\n") + "\n");
  write("crlf-bom.csv", "\ufeff" + csvRows.join("\r\n") + "\r\n");
  write("bad-line.jsonl", '{"text": "space orbit"}\n{"text": "hockey team"}\n{"text": "broken\n{"text": "fine"}\n');
  write("number-line.jsonl", '{"text": "space orbit"}\n42\n');
  write("no-text-field.jsonl", '{"body": "space orbit"}\n');
  write("object.json", '{"text": "space orbit"}');
  write("truncated.json", '[{"text": "space orbit"}, {"text": "hock');
  const gz = gzipSync(Buffer.from('{"text": "space orbit nasa"}\n'.repeat(200)));
  write("truncated.jsonl.gz", gz.subarray(0, gz.length - 12));
  write("not-gzip.txt.gz", "plain text, not gzip");
  write("corrupt.jsonl.gz", Buffer.concat([gz.subarray(0, 20), Buffer.alloc(40, 0xff), gz.subarray(60)]));
  write("empty.txt.gz", "");
  write("truncated.model.json", readFileSync(fixtureModel, "utf8").slice(0, 4000));
  writeModel("corrupt-h.model.json", (m) => ((m.H[0][1] = "0.5"), m));
  writeModel("no-options.model.json", (m) => (delete m.text.options, m));
  writeModel("bad-topic.model.json", (m) => ((m.topics[0].top = [999999]), m));
  writeModel("bad-solver.model.json", (m) => ((m.nmf.solver = "ccd"), m));
  writeModel("future.model.json", (m) => ((m.schema = "nmf-topics/model@2"), m));
  write("run.model.json", JSON.stringify({ schema: "nmf-topics/fit@1", topics: [] }));
  write("array.model.json", "[1, 2, 3]");
  // Content
  write("stop-words-only.txt", "the and of\nis it the\nwe are the\n");
  write("single.txt", "one single document about space and orbit\n");
  write("repeated.txt", "word word word\n".repeat(5));
  write("hello.txt", "hello world\n");
});

afterAll(() => {
  if (!dir) return;
  for (const locked of ["locked-dir", "read-only-dir"]) chmodSync(join(dir, locked), 0o755);
  rmSync(dir, { recursive: true, force: true });
});

/** [name, args, exit code, message, warning expected before the error, run as another user] */
type Row = [string, string[], number, RegExp, RegExp?, "other-user"?];

const mini = miniCorpus;
const rows: Row[] = [
  // Paths
  ["missing path", ["fit", "nope", "-k", "2"], 3, /no such file or directory: nope$/],
  ["missing path with a newline and ESC in its name: still one line", ["fit", "bad\nname\u001b[31m", "-k", "2"], 3, /no such file or directory: bad\\nname\\x1b\[31m$/],
  ["folder with no files", ["fit", "empty-dir", "-k", "2"], 3, /no documents found in empty-dir; give files with text/],
  ["folder of hidden, binary, dangling and looping entries", ["fit", "junk-dir", "-k", "2"], 3, /no documents found in junk-dir/, /(?=[\s\S]*junk-dir\/blob.bin: binary file skipped)(?=[\s\S]*junk-dir\/dangling.txt: broken symbolic link skipped)(?=[\s\S]*junk-dir\/self: directory already read \(symbolic link loop\?\))/],
  ["symbolic link loop given directly", ["fit", "self-loop", "-k", "2"], 3, /self-loop: too many levels of symbolic links; fix the link/],
  ["binary file (NUL bytes)", ["fit", "binary.txt", "-k", "2"], 3, /binary.txt: binary file \(NUL bytes in the first 8 KiB\); give a text file/],
  ["an image", ["fit", "image.png", "-k", "2"], 3, /image.png: binary file/],
  ["UTF-16 text", ["fit", "utf16.txt", "-k", "2"], 3, /convert UTF-16 text to UTF-8/],
  ["bytes that are not text in any supported encoding", ["fit", "not-text.txt", "-k", "1"], 3, /No terms found in 1 documents/, /not-text.txt: not valid UTF-8, read as Latin-1/],
  ["empty file", ["fit", "empty.txt", "-k", "1"], 3, /No terms found in 1 documents: they are empty/],
  ["empty standard input", ["fit", "-", "-k", "1"], 3, /no documents found in standard input/],
  ["empty standard input as JSON", ["fit", "-", "-k", "1", "--input-format", "json"], 3, /stdin: invalid JSON/],
  ["permission denied: a file", ["fit", "secret.txt", "-k", "1"], 3, /secret.txt: permission denied; make it readable or leave it out/, undefined, "other-user"],
  ["permission denied: a folder", ["fit", "locked-dir", "-k", "1"], 3, /locked-dir: permission denied/, undefined, "other-user"],
  ["permission denied: a file in a folder", ["fit", "mixed-dir", "-k", "1"], 3, /mixed-dir\/b.txt: permission denied/, undefined, "other-user"],
  ["permission denied: a model file", ["topics", "secret.txt"], 3, /secret.txt: permission denied; make the model file readable/, undefined, "other-user"],
  ["permission denied: --out in a read-only folder", ["fit", mini, "-k", "2", "--out", "read-only-dir/out"], 3, /cannot write read-only-dir\/out\/topics.csv: permission denied.*\(no file was changed\)/, undefined, "other-user"],
  ["permission denied: --save in a read-only folder", ["fit", mini, "-k", "2", "--save", "read-only-dir/m.json"], 3, /cannot write read-only-dir\/m.json: permission denied/, undefined, "other-user"],
  // Formats
  ["CSV: unterminated quote", ["fit", "unterminated.csv", "-k", "1"], 3, /unterminated.csv: line 2: unterminated quoted field; close the quote/],
  ["CSV: ragged row", ["fit", "ragged.csv", "-k", "1"], 3, /ragged.csv: line 3: 3 fields, the header has 2; quote fields that contain the delimiter/],
  ["CSV: missing text column", ["fit", "no-text-column.csv", "-k", "1"], 3, /no column "text"; columns are: id, body; use --text-column/],
  ["CSV: header only", ["fit", "header-only.csv", "-k", "1"], 3, /no documents found in header-only.csv/],
  ["CSV: empty", ["fit", "empty.csv", "-k", "1"], 3, /empty.csv: empty file; a header row naming the columns is required/],
  ["JSONL: bad line 3", ["fit", "bad-line.jsonl", "-k", "1"], 3, /bad-line.jsonl: line 3: invalid JSON/],
  ["JSONL: a line that is not an object", ["fit", "number-line.jsonl", "-k", "1"], 3, /line 2: expected a JSON object or string, found a number/],
  ["JSONL: missing text field", ["fit", "no-text-field.jsonl", "-k", "1"], 3, /line 1: no field "text"; fields are: body; use --text-field/],
  ["JSON: not an array", ["fit", "object.json", "-k", "1"], 3, /expected a JSON array of objects or strings, found an object; for one object per line use a .jsonl file/],
  ["JSON: truncated", ["fit", "truncated.json", "-k", "1"], 3, /truncated.json: line 1: invalid JSON/],
  ["gzip: truncated", ["fit", "truncated.jsonl.gz", "-k", "1"], 3, /truncated.jsonl.gz: corrupt or truncated gzip data .*gzip -t/],
  ["gzip: not gzip at all", ["fit", "not-gzip.txt.gz", "-k", "1"], 3, /not-gzip.txt.gz: corrupt or truncated gzip data/],
  ["gzip: corrupt", ["fit", "corrupt.jsonl.gz", "-k", "1"], 3, /corrupt.jsonl.gz: corrupt or truncated gzip data/],
  ["gzip: empty", ["fit", "empty.txt.gz", "-k", "1"], 3, /empty.txt.gz: corrupt or truncated gzip data/],
  ["model: missing", ["topics", "no-such.model.json"], 3, /no such model file: no-such.model.json/],
  ["model: a folder", ["topics", "empty-dir"], 3, /empty-dir is a folder, not a model file/],
  ["model: truncated", ["topics", "truncated.model.json"], 3, /not a model file: invalid JSON .*was it truncated\? Save it again with fit --save/],
  ["model: binary", ["topics", "image.png"], 3, /image.png: not a model file: invalid JSON \(Unexpected token/],
  ["model: corrupt H", ["topics", "corrupt-h.model.json"], 3, /corrupt model file: H\[0\]\[1\] is not a non-negative number; save the model again/],
  ["model: no text options (transform)", ["transform", "--model", "no-options.model.json", "hello.txt"], 3, /corrupt model file: text.options is missing/],
  ["model: top word out of range", ["topics", "bad-topic.model.json"], 3, /corrupt model file: topic 0: top must list term indices below 400/],
  ["model: solver of another loss", ["transform", "--model", "bad-solver.model.json", "hello.txt"], 3, /nmf.solver "ccd" is not one of cd, mu, als for loss frobenius/],
  ["model: another schema", ["topics", "run.model.json"], 3, /not an nmf-topics model file \(schema "nmf-topics\/fit@1"; expected nmf-topics\/model@1\)/],
  ["model: not an object", ["topics", "array.model.json"], 3, /not a model file: expected a JSON object/],
  ["model: unknown future version", ["transform", "--model", "future.model.json", "hello.txt"], 3, /written by a newer nmf-topics \(schema nmf-topics\/model@2\).*upgrade nmf-topics/],
  ["diff: a binary file", ["diff", "image.png", "image.png"], 3, /image.png: not valid JSON/],
  // Options
  ["-k 0", ["fit", mini, "-k", "0"], 2, /option '-k, --topics <n>' argument '0' is invalid\. expected a whole number from 1 to 100000\. \(see nmf-topics fit --help\)$/],
  ["-k negative", ["fit", mini, "-k", "-3"], 2, /-k, --topics .*'-3' is invalid/],
  ["-k non-numeric", ["fit", mini, "-k", "many"], 2, /-k, --topics .*'many' is invalid/],
  ["-k fractional", ["fit", mini, "-k", "2.5"], 2, /-k, --topics .*'2.5' is invalid/],
  ["-k missing its value", ["fit", mini, "-k"], 2, /option '-k, --topics <n>' argument missing/],
  ["-k larger than the documents", ["fit", "plain.csv", "-k", "9", "--min-df", "1"], 4, /-k 9 is larger than min\(documents, terms\) = 5; lower -k or use --init random/],
  ["-k larger than the documents (sweep)", ["sweep", "plain.csv", "-k", "2,9", "--min-df", "1", "--runs", "1"], 4, /-k 9 is larger than min\(documents in each sample, terms\) = 4; lower -k, raise --sample-fraction/],
  ["--min-df above --max-df", ["fit", mini, "-k", "2", "--min-df", "5", "--max-df", "3"], 2, /--max-df 3 corresponds to fewer documents \(3\) than --min-df 5 \(5\).*raise --max-df or lower --min-df/],
  ["--min-df share above --max-df share", ["fit", mini, "-k", "2", "--min-df", "0.9", "--max-df", "0.1"], 2, /--max-df 0.1 corresponds to fewer documents/],
  ["--min-df negative", ["fit", mini, "-k", "2", "--min-df", "-1"], 2, /--min-df <n>.*expected a document count/],
  ["unknown --lang", ["fit", mini, "-k", "2", "--lang", "xx"], 2, /--lang xx: no stop list for this language; accepted codes: af, .* \(or --stop-words none\)/],
  ["--stem for a language without a stemmer", ["fit", mini, "-k", "2", "--lang", "zh", "--stem"], 2, /--stem: no stemmer for --lang zh/],
  ["unknown --loss", ["fit", mini, "-k", "2", "--loss", "l1"], 2, /--loss <loss>' argument 'l1' is invalid\. Allowed choices are frobenius, kl/],
  ["--solver of the other loss", ["fit", mini, "-k", "2", "--loss", "kl", "--solver", "cd"], 2, /--solver cd works with --loss frobenius only/],
  ["NaN --tol", ["fit", mini, "-k", "2", "--tol", "NaN"], 2, /--tol <x>' argument 'NaN' is invalid\. expected a number >= 0/],
  ["negative --tol", ["fit", mini, "-k", "2", "--tol", "-1e-4"], 2, /--tol <x>' argument '-1e-4' is invalid/],
  ["infinite --alpha-w", ["fit", mini, "-k", "2", "--alpha-w", "1e999"], 2, /--alpha-w <x>' argument '1e999' is invalid/],
  ["--max-features 0", ["fit", mini, "-k", "2", "--max-features", "0"], 2, /--max-features <n>' argument '0' is invalid\. expected a whole number from 1 up/],
  ["--max-iter 0", ["fit", mini, "-k", "2", "--max-iter", "0"], 2, /--max-iter <n>' argument '0' is invalid/],
  ["--ngram-range reversed", ["fit", mini, "-k", "2", "--ngram-range", "2,1"], 2, /--ngram-range .*expected MIN,MAX with 1 <= MIN <= MAX <= 9/],
  ["--token-pattern that is not a regex", ["fit", mini, "-k", "2", "--token-pattern", "(("], 2, /--token-pattern \(\(: not a valid regular expression/],
  ["--json with --ndjson", ["fit", mini, "-k", "2", "--json", "--ndjson"], 2, /--json and --ndjson cannot be used together; choose one output format/],
  ["--out on a file", ["fit", mini, "-k", "2", "--out", "hello.txt"], 3, /cannot write hello.txt\/topics.csv: a part of the path is a file, not a folder/],
  ["--save on a folder", ["fit", mini, "-k", "2", "--save", "empty-dir"], 3, /cannot write empty-dir: is a folder; give a file name \(no file was changed\)/],
  ["--stop-words file missing", ["fit", mini, "-k", "2", "--stop-words", "no-such-list.txt"], 3, /--stop-words no-such-list.txt: no such file/],
  ["standard input twice", ["fit", "-", "-", "-k", "2"], 2, /- \(standard input\) given more than once; give it once/],
  ["unknown flag", ["fit", mini, "-k", "2", "--max-iterr", "5"], 2, /unknown option '--max-iterr' \(Did you mean --max-iter\?\) \(see nmf-topics fit --help\)$/],
  ["unknown command", ["fitt", mini], 2, /unknown command 'fitt' \(Did you mean fit\?\)/],
  ["missing input", ["fit", "-k", "2"], 2, /missing required argument 'input'/],
  // Content
  ["every document empty after stop words", ["fit", "stop-words-only.txt", "--lines", "-k", "1"], 3, /No terms found in 3 documents: they are empty or contain only stop words \(check --stop-words/],
  ["a single document with the default --min-df 2", ["fit", "single.txt", "-k", "1"], 2, /--max-df 0.95 corresponds to fewer documents \(0.95\) than --min-df 2 \(2\) in 1 documents: raise --max-df or lower --min-df/],
  ["one repeated word", ["fit", "repeated.txt", "--lines", "-k", "1"], 3, /After pruning, no terms remain: try a lower --min-df or a higher --max-df/],
  // Faults: a non-finite value during the fit names the iteration
  ["non-finite values (cd)", ["fit", mini, "-k", "3", "--alpha-w", "1e308"], 4, /non-finite .* at iteration \d+/],
  ["non-finite values (mu)", ["fit", mini, "-k", "3", "--alpha-w", "1e308", "--solver", "mu"], 4, /non-finite value in W at iteration \d+; .*lower --alpha-w/],
  ["non-finite values (kl, ccd)", ["fit", mini, "-k", "3", "--alpha-w", "1e308", "--loss", "kl"], 4, /non-finite value in W at iteration \d+/],
];

describe("the table of hostile cases: one error line, the spec's exit code, nothing on stdout", () => {
  for (const [name, args, code, message, warning, user] of rows) {
    it(`${name}: exit ${code}`, () => {
      const r = user === "other-user" ? runAs(args, otherUser) : runCli(args, { cwd: dir, input: args.includes("-") ? "" : undefined });
      expectOneErrorLine(r, code, message, warning);
    });
  }

  it("nmf-topics with no command prints the usage on stderr and exits 2", () => {
    const r = runCli([]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^Usage: nmf-topics \[options\] \[command\]/);
  });
});

describe("hostile inputs that still have a result", () => {
  it("a folder with a FIFO, a device, a symlink loop and a binary file: read the text files, warn about the rest", () => {
    const folder = join(dir, "mixed-kinds");
    write("mixed-kinds/a.txt", "space orbit nasa launch");
    write("mixed-kinds/b.txt", "orbit nasa moon launch");
    write("mixed-kinds/c.bin", Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 0]));
    symlinkSync("/dev/null", join(folder, "device"));
    symlinkSync(".", join(folder, "loop"));
    if (haveMkfifo) spawnSync("mkfifo", [join(folder, "fifo")]);
    const r = runCli(["fit", "mixed-kinds", "-k", "1", "--min-df", "1", "--json"], { cwd: dir });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).documents.map((d: Json) => d.id)).toEqual(["a.txt", "b.txt"]);
    expect(r.stderr).toMatch(/mixed-kinds\/c.bin: binary file skipped/);
    expect(r.stderr).toMatch(/mixed-kinds\/device: not a regular file \(FIFO, socket or device\), skipped/);
    expect(r.stderr).toMatch(/mixed-kinds\/loop: directory already read \(symbolic link loop\?\), skipped/);
    if (haveMkfifo) expect(r.stderr).toMatch(/mixed-kinds\/fifo: not a regular file/); // and it did not hang on it
  });

  it("CSV with CRLF line ends and a BOM reads as the same corpus as plain LF CSV", () => {
    const plain = runCli(["fit", "plain.csv", "-k", "2", "--min-df", "1", "--json", "--id-column", "id"], { cwd: dir });
    const crlf = runCli(["fit", "crlf-bom.csv", "-k", "2", "--min-df", "1", "--json", "--id-column", "id"], { cwd: dir });
    expect(plain.status, plain.stderr).toBe(0);
    expect(crlf.status, crlf.stderr).toBe(0);
    const a = JSON.parse(plain.stdout);
    const b = JSON.parse(crlf.stdout);
    expect(b.documents.map((d: Json) => d.id)).toEqual(["1", "2", "3", "4", "5"]);
    expect(b.corpus.fingerprint).toBe(a.corpus.fingerprint); // same ids and texts: no \r, no BOM
    expect(b.hash).toBe(a.hash);
  });

  it("a single document and one repeated word fit once the document-frequency limits allow them", () => {
    const single = runCli(["fit", "single.txt", "-k", "1", "--min-df", "1", "--max-df", "1", "--json"], { cwd: dir });
    expect(single.status, single.stderr).toBe(0);
    expect(JSON.parse(single.stdout).corpus).toMatchObject({ documents: 1, terms: 4 });
    const repeated = runCli(["fit", "repeated.txt", "--lines", "-k", "1", "--max-df", "1", "--json"], { cwd: dir });
    expect(repeated.status, repeated.stderr).toBe(0);
    const j = JSON.parse(repeated.stdout);
    expect(j.topics[0].words.map((w: Json) => w.term)).toEqual(["word"]);
    expect(repeated.stderr).toMatch(/4 document\(s\) are exact duplicates/);
  });

  it("control characters and lone surrogates: JSON keeps them exactly, tables and warnings escape them", () => {
    const docs = [
      { id: "a\ud800b", label: "x\udfff", text: "alpha \ud800 beta \udc00gamma\u0007 delta orbit" },
      { id: "c\u001b[31md", label: "\u0085", text: "alpha\u001b[2J beta gamma \u2028 delta 😀 𝐀𝐁 orbit" },
      { id: "e\nf", label: "l", text: "beta\ud83d gamma delta \u007f\u0001 alpha launch" },
    ];
    write("hostile-text.jsonl", docs.map((d) => JSON.stringify(d)).join("\n") + "\n");
    const args = ["fit", "hostile-text.jsonl", "-k", "2", "--min-df", "1", "--max-df", "1", "--id-field", "id", "--label-field", "label"];
    const json = runCli([...args, "--json"], { cwd: dir });
    expect(json.status, json.stderr).toBe(0);
    const j = JSON.parse(json.stdout);
    expect(j.documents.map((d: Json) => d.id)).toEqual(docs.map((d) => d.id));
    expect(j.documents.map((d: Json) => d.label)).toEqual(docs.map((d) => d.label));
    expect(json.stdout).toContain('"a\\ud800b"'); // a lone surrogate is written as an escape, not as U+FFFD
    const ndjson = runCli([...args, "--ndjson"], { cwd: dir });
    expect(ndjson.stdout.trimEnd().split("\n").map((l) => JSON.parse(l)).at(-1).hash).toBe(j.hash);
    const table = runCli([...args, "--docs", "--top-docs", "1"], { cwd: dir });
    expect(table.status).toBe(0);
    expect(table.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028]/);
    expect(table.stdout).toMatch(/^c\\x1b\[31md\s+\\x85\s/m);
    expect(table.stdout).toMatch(/^e\\nf\s+l\s/m);
    expect(table.stdout).toMatch(/alpha\\x1b\[2J beta/);
    const csvDir = join(dir, "hostile-out");
    const out = runCli([...args, "--out", csvDir, "-q"], { cwd: dir });
    expect(out.status).toBe(0);
    expect(readFileSync(join(csvDir, "doc-topics.csv"), "utf8")).toContain('"e\nf",l,'); // CSV quotes, keeps the text
  });

  it("a 10 MB single-line document (CI size; the bench reads 100 MB) with bounded memory", () => {
    const words: string[] = [];
    let x = 12345;
    for (let n = 0; n < 2_000_000; n++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      words.push(`w${(x >>> 8) % 5000}`);
    }
    const text = words.join(" ");
    expect(text.length).toBeGreaterThan(10_000_000);
    write("big-line.txt", text);
    const r = runCli(["fit", "big-line.txt", "-k", "1", "--min-df", "1", "--max-df", "1", "--json", "--timings"], { cwd: dir });
    expect(r.status, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.corpus).toMatchObject({ documents: 1, terms: 5000 });
    expect(j.timings.maxRssMB).toBeLessThan(600); // ~105 MB measured; a copy per token would blow it
  });

  it("50,000 tiny documents (CI size; the bench reads 200,000)", () => {
    const lines: string[] = [];
    let x = 7;
    for (let d = 0; d < 50_000; d++) {
      const n = 2 + (d % 5);
      const doc: string[] = [];
      for (let i = 0; i < n; i++) {
        x = (Math.imul(x, 1103515245) + 12345) >>> 0;
        doc.push(`t${(x >>> 8) % 3000}`);
      }
      lines.push(doc.join(" "));
    }
    write("tiny-docs.txt", lines.join("\n") + "\n");
    const r = runCli(["fit", "tiny-docs.txt", "--lines", "-k", "5", "--max-iter", "20", "-q"], { cwd: dir });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^5 topics, 50,000 documents, 3,000 terms/);
  });
});

describe("faults", () => {
  it("stdout closed early (| head): a quiet exit 0 for every output format", () => {
    for (const flags of ["", "--json", "--ndjson", "--docs"]) {
      const r = sh(`${nmf} fit ${JSON.stringify(mini)} -k 3 ${flags} | head -c 20 >/dev/null; echo "status=\${PIPESTATUS[0]}"`);
      expect(r.stdout.trim(), flags).toBe("status=0");
      expect(r.stderr, flags).toBe("");
    }
  });

  it("stdout on a full disk (/dev/full): one error line, exit 3", () => {
    const r = sh(`${nmf} fit ${JSON.stringify(mini)} -k 3 --json > /dev/full`);
    expect(r.status).toBe(3);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe("nmf-topics: error: cannot write the result to standard output: no space left on device; free some space or write elsewhere\n");
  });

  /** A previous run's files in `out`, with their bytes. */
  function previousRun(out: string): Map<string, Buffer> {
    const r = runCli(["fit", mini, "-k", "2", "--out", out, "--save", "-q"]);
    expect(r.status, r.stderr).toBe(0);
    return new Map(readdirSync(out).map((name) => [name, readFileSync(join(out, name))]));
  }

  function expectUnchanged(out: string, before: Map<string, Buffer>, extra: string[] = []): void {
    expect(readdirSync(out).sort()).toEqual([...before.keys(), ...extra].sort()); // no temporary file left
    for (const [name, bytes] of before) expect(readFileSync(join(out, name)).equals(bytes), name).toBe(true);
  }

  it("--out where run.json is a link to /dev/full: exit 3, the previous files intact, the link kept", () => {
    const out = join(dir, "out-full");
    const before = previousRun(out);
    rmSync(join(out, "run.json"));
    before.delete("run.json");
    symlinkSync("/dev/full", join(out, "run.json"));
    const r = runCli(["fit", mini, "-k", "3", "--out", out, "--save"]);
    expectOneErrorLine(r, 3, /cannot write .*out-full\/run.json: no space left on device; free some space or write elsewhere \(no file was changed\)$/);
    expectUnchanged(out, before, ["run.json"]);
    expect(existsSync("/dev/full")).toBe(true);
  });

  it("--save onto a link to /dev/full: exit 3; the device stays a device", () => {
    const out = join(dir, "save-full");
    mkdirSync(out);
    symlinkSync("/dev/full", join(out, "model.json"));
    const r = runCli(["fit", mini, "-k", "2", "--save", join(out, "model.json")]);
    expectOneErrorLine(r, 3, /model.json: no space left on device/);
    expect(readdirSync(out)).toEqual(["model.json"]);
    expect(spawnSync("test", ["-c", "/dev/full"]).status).toBe(0); // still a character device
  });

  it("a write that fails half-way (file-size limit, as a full disk): exit 3, previous files intact, no temporary file", () => {
    const out = join(dir, "out-limit");
    const before = previousRun(out);
    // 16 KiB: topics.csv fits, run.json (~40 KB) does not. Node ignores SIGXFSZ, so the write fails with EFBIG.
    const r = sh(`ulimit -f 16; exec ${nmf} fit ${JSON.stringify(mini)} -k 3 --out ${JSON.stringify(out)} --save`);
    expect(r.status, r.stderr).toBe(3);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^nmf-topics: error: cannot write .*out-limit\/(doc-topics.csv|run.json|model.json): file too large .*\(no file was changed\)\n$/);
    expectUnchanged(out, before);
  });

  it("--save onto a link keeps the link and writes its target", () => {
    const out = join(dir, "save-link");
    mkdirSync(join(out, "real"), { recursive: true });
    symlinkSync("real/model.json", join(out, "model.json"));
    const r = runCli(["fit", mini, "-k", "2", "--save", join(out, "model.json"), "-q"]);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(out, "real", "model.json"), "utf8")).schema).toBe("nmf-topics/model@1");
    expect(readdirSync(out).sort()).toEqual(["model.json", "real"]);
    expect(spawnSync("test", ["-L", join(out, "model.json")]).status).toBe(0);
  });

  it("SIGINT during a fit with --out and --save: status 130, no partial or temporary file, previous files intact", async () => {
    const out = join(dir, "out-interrupted");
    const before = previousRun(out);
    copyFileSync(join(out, "run.json"), join(dir, "run-before.json"));
    const script = `${nmf} fit ${JSON.stringify(mini)} -k 5 --max-iter 100000 --tol 0 --out ${JSON.stringify(out)} --save & echo "pid=$!"; wait $!; echo "status=$?"`;
    const child = spawn("bash", ["-c", script], { cwd: dir, env: { ...process.env, NO_COLOR: "1" } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const done = new Promise<number | null>((resolve) => child.on("close", resolve));
    for (let waited = 0; !/pid=\d+/.test(stdout) && waited < 5000; waited += 20) await new Promise((r) => setTimeout(r, 20));
    const pid = Number(/pid=(\d+)/.exec(stdout)?.[1]);
    expect(pid).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 2000)); // reading takes ~0.3 s; the fit runs for a minute
    process.kill(pid, "SIGINT");
    expect(await done).toBe(0);
    expect(stdout).toMatch(/status=130\n$/);
    expect(stderr).not.toMatch(/internal error|^\s+at /m);
    expectUnchanged(out, before);
  });
});
