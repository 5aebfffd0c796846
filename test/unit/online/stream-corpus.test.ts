/**
 * The streaming reader against readCorpus: the same documents (ids, texts, labels, order) and the
 * same warnings, on the fixtures and on generated files that exercise the streamed line path
 * (threshold 0: every lines/JSONL file is streamed).
 */
import { copyFileSync, createReadStream, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Readable } from "node:stream";
import { gzipSync } from "node:zlib";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readCorpus, type Document, type ReadOptions } from "../../../src/corpus/index.js";
import { batchDocuments, DigestSet, streamCorpus, type StreamCache, type StreamCorpusOptions } from "../../../src/corpus/stream.js";
import { InputError, UsageError } from "../../../src/errors.js";
import { inputPath, makeOptions, makeTempDir, miniDir } from "../corpus/helpers.js";

async function readBoth(
  inputs: string[],
  overrides: Partial<ReadOptions> = {},
  streamOptions: StreamCorpusOptions = {},
): Promise<{ batch: { documents: Document[]; warnings: string[] }; streamed: { documents: Document[]; warnings: string[] } }> {
  const options = makeOptions(overrides);
  const batchWarnings: string[] = [];
  const documents = await readCorpus(inputs, options, (m) => batchWarnings.push(m));
  const streamWarnings: string[] = [];
  const streamed: Document[] = [];
  for await (const d of streamCorpus(inputs, options, (m) => streamWarnings.push(m), streamOptions)) streamed.push(d);
  return { batch: { documents, warnings: batchWarnings }, streamed: { documents: streamed, warnings: streamWarnings } };
}

async function collect(iterable: AsyncIterable<Document>): Promise<Document[]> {
  const out: Document[] = [];
  for await (const d of iterable) out.push(d);
  return out;
}

async function caught(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  return undefined;
}

describe("streamCorpus = readCorpus on the fixtures", () => {
  const cases: [string, string[], Partial<ReadOptions>][] = [
    ["the 20news-mini folder (labels from sub-folders)", [miniDir], {}],
    ["every input kind", ["docs.json", "docs.jsonl", "docs.jsonl.gz", "docs.tsv", "empty.txt", "latin1.txt", "quoted.csv", "strings.json", "unicode"].map(inputPath), {}],
    ["--lines on text files, with a Latin-1 file", [inputPath("lines.txt"), inputPath("latin1.txt"), inputPath("unicode")], { lines: true }],
    ["id and label fields", [inputPath("docs.jsonl"), inputPath("docs.jsonl.gz")], { idField: "id", labelField: "label" }],
  ];
  for (const threshold of [undefined, 0]) {
    for (const [name, inputs, overrides] of cases) {
      it(`${name}${threshold === 0 ? " (line files streamed)" : ""}`, async () => {
        const { batch, streamed } = await readBoth(inputs, overrides, threshold === undefined ? {} : { streamThresholdBytes: threshold });
        expect(streamed.documents.length).toBeGreaterThan(0);
        expect(streamed.documents).toEqual(batch.documents);
        expect(streamed.warnings).toEqual(batch.warnings);
      });
    }
  }
});

describe("streamed line files", () => {
  let dir: string;
  let remove: () => void;
  beforeAll(() => ({ dir, remove } = makeTempDir()));
  afterAll(() => remove());

  it("line ends, blank lines, a final line without newline, BOM, split multi-byte characters", async () => {
    const text = "\ufeffcafé\r\n\r\n  \nZürich 北京\n\r\nlast line\r";
    const path = join(dir, "mixed.txt");
    writeFileSync(path, text);
    const gz = join(dir, "mixed.txt.gz");
    writeFileSync(gz, gzipSync(Buffer.from(text)));
    for (const input of [path, gz]) {
      const { batch, streamed } = await readBoth([input], { lines: true }, { streamThresholdBytes: 0 });
      expect(streamed.documents).toEqual(batch.documents);
      expect(streamed.documents.map((d) => d.text)).toEqual(["café", "Zürich 北京", "last line\r"]);
    }
  });

  it("a large JSONL file streamed in many chunks equals readCorpus, labels from the folder", async () => {
    const folder = join(dir, "big", "label-a");
    mkdirSync(folder, { recursive: true });
    const lines: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      if (i % 7 === 3) lines.push("");
      lines.push(JSON.stringify({ text: `doc ${i} ü ${"x".repeat(i % 50)}`, ...(i % 5 === 0 ? { label: `l${i % 3}` } : {}) }));
    }
    writeFileSync(join(folder, "records.jsonl"), lines.join("\r\n"));
    writeFileSync(join(folder, "records2.jsonl.gz"), gzipSync(Buffer.from(lines.join("\n") + "\n")));
    const { batch, streamed } = await readBoth([join(dir, "big")], { labelField: "label" }, { streamThresholdBytes: 1024 });
    expect(streamed.documents.length).toBe(40_000);
    expect(streamed.documents).toEqual(batch.documents);
    expect(streamed.warnings).toEqual(batch.warnings);
  });

  it("random byte strings: same documents and warnings as readCorpus, UTF-8 or Latin-1 (property)", async () => {
    const alphabet = [0x0a, 0x0d, 0x20, 0x61, 0x62, 0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xef, 0xbb, 0xbf, 0xff];
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom(...alphabet), { maxLength: 80 }), async (bytes) => {
        const path = join(dir, "random.txt");
        writeFileSync(path, Buffer.from(bytes));
        const options = makeOptions({ lines: true });
        const batchWarnings: string[] = [];
        const batchError = await caught(readCorpus([path], options, (m) => batchWarnings.push(m)));
        const streamWarnings: string[] = [];
        const streamed: Document[] = [];
        const streamError = await caught(
          (async () => {
            for await (const d of streamCorpus([path], options, (m) => streamWarnings.push(m), { streamThresholdBytes: 0 })) streamed.push(d);
          })(),
        );
        if (batchError !== undefined) {
          expect(streamError).toBeInstanceOf(InputError);
          expect((streamError as Error).message).toBe((batchError as Error).message);
          return;
        }
        expect(streamError).toBeUndefined();
        expect(streamed).toEqual(await readCorpus([path], options, () => {}));
        expect(streamWarnings).toEqual(batchWarnings);
      }),
      { numRuns: 150 },
    );
  });

  it("a binary file is skipped with a warning inside a folder and an error when given directly", async () => {
    const folder = join(dir, "bin");
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, "a.jsonl"), '{"text": "ok"}\n');
    writeFileSync(join(folder, "b.jsonl"), Buffer.from([0x7b, 0x00, 0x7d, 0x0a]));
    const { batch, streamed } = await readBoth([folder], {}, { streamThresholdBytes: 0 });
    expect(streamed.documents).toEqual([{ id: "a.jsonl:1", text: "ok" }]);
    expect(streamed.warnings).toEqual(batch.warnings);
    expect(streamed.warnings).toEqual([`${folder}/b.jsonl: binary file skipped`]);
    const error = await caught(collect(streamCorpus([join(folder, "b.jsonl")], makeOptions(), () => {}, { streamThresholdBytes: 0 })));
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(/b\.jsonl: binary file \(NUL bytes/);
  });

  it("errors name the file and line, as readCorpus's", async () => {
    for (const bad of ["bad/badline.jsonl", "bad/truncated.jsonl.gz"]) {
      const expected = await caught(readCorpus([inputPath(bad)], makeOptions(), () => {}));
      const error = await caught(collect(streamCorpus([inputPath(bad)], makeOptions(), () => {}, { streamThresholdBytes: 0 })));
      expect(error).toBeInstanceOf(InputError);
      expect((error as Error).message).toBe((expected as Error).message);
    }
  });

  it("the cache keeps the scan of a streamed file for the next pass", async () => {
    const path = join(dir, "latin.txt");
    writeFileSync(path, Buffer.from("caf\xe9\nna\xefve\n", "latin1"));
    const cache: StreamCache = new Map();
    const first: string[] = [];
    const a = await collect(streamCorpus([path], makeOptions({ lines: true }), (m) => first.push(m), { streamThresholdBytes: 0, cache }));
    expect(cache.size).toBe(1);
    expect([...cache.values()]).toEqual([{ binary: false, utf8: false }]);
    const b = await collect(streamCorpus([path], makeOptions({ lines: true }), () => {}, { streamThresholdBytes: 0, cache }));
    expect(b).toEqual(a);
    expect(a.map((d) => d.text)).toEqual(["café", "naïve"]);
    expect(first).toEqual([`${path}: not valid UTF-8, read as Latin-1`]);
  });
});

describe("standard input", () => {
  let dir: string;
  let remove: () => void;
  beforeAll(() => ({ dir, remove } = makeTempDir()));
  afterAll(() => remove());

  it("a reopenable spool is streamed; documents as readCorpus reads the same bytes from stdin", async () => {
    const input = '{"text": "a"}\n\n{"text": "b", "label": "x"}\n';
    const spool = join(dir, "stdin");
    writeFileSync(spool, input);
    const options = makeOptions({ inputFormat: "jsonl", labelField: "label" });
    const expected = await readCorpus(["-"], options, () => {}, Readable.from([Buffer.from(input)]));
    let opened = 0;
    const openStdin = (): NodeJS.ReadableStream => {
      opened++;
      return createReadStream(spool);
    };
    const streamed = await collect(streamCorpus(["-"], options, () => {}, { openStdin }));
    expect(streamed).toEqual(expected);
    expect(opened).toBe(2); // the scan, then the documents
  });

  it("other formats are read whole from the stream", async () => {
    const options = makeOptions({ inputFormat: "csv" });
    const docs = await collect(streamCorpus(["-"], options, () => {}, { openStdin: () => Readable.from([Buffer.from("text\nx\ny\n")]) }));
    expect(docs).toEqual([{ id: "stdin:1", text: "x" }, { id: "stdin:2", text: "y" }]);
  });
});

describe("the ends of a stream", () => {
  let dir: string;
  let remove: () => void;
  beforeAll(() => ({ dir, remove } = makeTempDir()));
  afterAll(() => remove());

  it("repeated ids: one warning after the last document, as readCorpus", async () => {
    copyFileSync(inputPath("docs.jsonl"), join(dir, "x.jsonl"));
    const inputs = [join(dir, "x.jsonl"), join(dir, "x.jsonl")];
    const { batch, streamed } = await readBoth(inputs, { idField: "id" }, { streamThresholdBytes: 0 });
    expect(streamed.warnings.length).toBe(1);
    expect(streamed.warnings).toEqual(batch.warnings);
    const quiet: string[] = [];
    await collect(streamCorpus(inputs, makeOptions({ idField: "id" }), (m) => quiet.push(m), { checkDuplicateIds: false }));
    expect(quiet).toEqual([]);
  });

  it("no documents and bad input lists are the errors of readCorpus", async () => {
    writeFileSync(join(dir, "blank.txt"), "\n\n");
    const error = await caught(collect(streamCorpus([join(dir, "blank.txt")], makeOptions({ lines: true }), () => {})));
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(/^no documents found in /);
    expect(await caught(collect(streamCorpus([], makeOptions(), () => {})))).toBeInstanceOf(UsageError);
    expect(await caught(collect(streamCorpus(["-", "-"], makeOptions(), () => {})))).toBeInstanceOf(UsageError);
  });

  it("batchDocuments cuts batches of the given size, the last one shorter", async () => {
    const docs = await readCorpus([miniDir], makeOptions(), () => {});
    const sizes: number[] = [];
    const seen: Document[] = [];
    for await (const batch of batchDocuments(streamCorpus([miniDir], makeOptions(), () => {}), 64)) {
      sizes.push(batch.length);
      seen.push(...batch);
    }
    expect(sizes).toEqual([64, 64, 64, 58]);
    expect(seen).toEqual(docs);
  });
});

describe("DigestSet", () => {
  it("agrees with a Set<string> on random strings, through many growths (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 6 }), { maxLength: 3000 }), (strings) => {
        const digests = new DigestSet();
        const exact = new Set<string>();
        for (const s of strings) {
          expect(digests.add(s)).toBe(!exact.has(s));
          exact.add(s);
        }
        expect(digests.size).toBe(exact.size);
      }),
      { numRuns: 40 },
    );
  });
});
