import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Readable } from "node:stream";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultReadOptions, readCorpus, type Document } from "../../../src/corpus/index.js";
import { convertFsError } from "../../../src/corpus/io.js";
import { InputError, UsageError } from "../../../src/errors.js";
import {
  collectWarnings,
  expectInputErrorAsync,
  inputPath,
  inputsDir,
  makeOptions,
  makeTempDir,
  miniDir,
} from "./helpers.js";

const isRoot = typeof process.getuid === "function" && process.getuid() === 0;

/** Reads with default options and returns documents and warnings. */
async function read(inputs: string[], overrides = {}, stdin?: NodeJS.ReadableStream) {
  const { warn, messages } = collectWarnings();
  const documents = await readCorpus(inputs, makeOptions(overrides), warn, stdin);
  return { documents, warnings: messages };
}

function stdinOf(text: string | Buffer[]): Readable {
  return Readable.from(typeof text === "string" ? [Buffer.from(text, "utf8")] : text);
}

describe("defaultReadOptions", () => {
  it("matches the documented defaults", () => {
    expect(defaultReadOptions).toEqual({ lines: false, textColumn: "text", textField: "text", inputFormat: "lines" });
  });
});

describe("readCorpus: file arguments", () => {
  it("a text file is one document named by its base name; an empty file is an empty document", async () => {
    const { documents, warnings } = await read([inputPath("unicode/accented.txt"), inputPath("empty.txt")]);
    expect(documents).toEqual([
      { id: "accented.txt", text: "Notes from a naïve café Zürich tour: crème brûlée, façade, jalapeño, São Paulo, Ærøskøbing.\n" },
      { id: "empty.txt", text: "" },
    ]);
    expect(warnings).toEqual([]);
  });

  it("Latin-1 file: decoded byte per code point with one warning naming the path as given", async () => {
    const path = inputPath("latin1.txt");
    const { documents, warnings } = await read([path]);
    expect(documents).toEqual([{ id: "latin1.txt", text: "Un café à Zürich, s'il vous plaît. Crème brûlée für alle.\n" }]);
    expect(warnings).toEqual([`${path}: not valid UTF-8, read as Latin-1`]);
  });

  it("--lines: CRLF and LF line ends, blank and whitespace-only lines skipped, physical line numbers", async () => {
    const { documents } = await read([inputPath("lines.txt")], { lines: true });
    expect(documents).toEqual([
      { id: "lines.txt:1", text: "first line about hockey" },
      { id: "lines.txt:3", text: "second line about space" },
      { id: "lines.txt:5", text: "third line, LF only" },
      { id: "lines.txt:7", text: "last line without newline" },
    ]);
  });

  it("without --lines the same file keeps its CR/LF characters", async () => {
    const { documents } = await read([inputPath("lines.txt")]);
    expect(documents).toEqual([{ id: "lines.txt", text: readFileSync(inputPath("lines.txt"), "utf8") }]);
  });

  it("CSV with BOM: the first header name is matched after the BOM is dropped", async () => {
    const { documents } = await read([inputPath("quoted.csv")], { idColumn: "id", labelColumn: "label" });
    expect(documents.map((d) => [d.id, d.label])).toEqual([
      ["q1", "space"],
      ["q2", "med"],
      ["q3", "space"],
      ["q4", "med"],
    ]);
  });

  it("TSV, JSONL, NDJSON, JSON and strings JSON dispatch by extension", async () => {
    const { dir, remove } = makeTempDir();
    try {
      const ndjson = join(dir, "copy.NDJSON");
      writeFileSync(ndjson, readFileSync(inputPath("docs.jsonl")));
      const { documents } = await read([
        inputPath("docs.tsv"),
        inputPath("docs.jsonl"),
        ndjson,
        inputPath("docs.json"),
        inputPath("strings.json"),
      ]);
      expect(documents.map((d) => d.id)).toEqual([
        "docs.tsv:1",
        "docs.tsv:2",
        "docs.tsv:3",
        "docs.jsonl:1",
        "docs.jsonl:2",
        "docs.jsonl:4",
        "copy.NDJSON:1",
        "copy.NDJSON:2",
        "copy.NDJSON:4",
        "docs.json:1",
        "docs.json:2",
        "docs.json:3",
        "strings.json:1",
        "strings.json:2",
        "strings.json:3",
      ]);
      expect(documents[1].text).toBe("A quoted field with a\ttab, kept inside");
    } finally {
      remove();
    }
  });

  it(".gz: decompressed as a stream, format of the inner name, same documents as the plain file", async () => {
    const options = { idField: "id", labelField: "label" };
    const plain = await read([inputPath("docs.jsonl")], options);
    const packed = await read([inputPath("docs.jsonl.gz")], options);
    expect(packed.documents).toEqual(plain.documents);
    const defaultIds = await read([inputPath("docs.jsonl.gz")]);
    expect(defaultIds.documents.map((d) => d.id)).toEqual(["docs.jsonl.gz:1", "docs.jsonl.gz:2", "docs.jsonl.gz:4"]);
  });

  it("a gzipped Latin-1 text warns once with its own path", async () => {
    const { dir, remove } = makeTempDir();
    try {
      const path = join(dir, "old.txt.gz");
      writeFileSync(path, gzipSync(Buffer.from([0x63, 0x61, 0x66, 0xe9])));
      const { documents, warnings } = await read([path]);
      expect(documents).toEqual([{ id: "old.txt.gz", text: "café" }]);
      expect(warnings).toEqual([`${path}: not valid UTF-8, read as Latin-1`]);
    } finally {
      remove();
    }
  });
});

describe("readCorpus: standard input", () => {
  const records = {
    lines: ["one\r\n\r\ntwo\n", [{ id: "stdin:1", text: "one" }, { id: "stdin:3", text: "two" }]],
    text: ["one\r\n\r\ntwo\n", [{ id: "stdin", text: "one\r\n\r\ntwo\n" }]],
    csv: ['text,x\n"a,b",1\nc,2\n', [{ id: "stdin:1", text: "a,b" }, { id: "stdin:2", text: "c" }]],
    tsv: ["x\ttext\n1\ta,b\n", [{ id: "stdin:1", text: "a,b" }]],
    jsonl: ['{"text": "a"}\n\n{"text": "b"}\n', [{ id: "stdin:1", text: "a" }, { id: "stdin:3", text: "b" }]],
    json: ['["a", {"text": "b"}]', [{ id: "stdin:1", text: "a" }, { id: "stdin:2", text: "b" }]],
  } as const;

  for (const [inputFormat, [input, expected]] of Object.entries(records)) {
    it(`inputFormat ${inputFormat}`, async () => {
      const { documents } = await read(["-"], { inputFormat }, stdinOf(input));
      expect(documents).toEqual(expected);
    });
  }

  it("defaults to one document per line", async () => {
    const { documents } = await read(["-"], {}, stdinOf("a\nb\n"));
    expect(documents.map((d) => d.id)).toEqual(["stdin:1", "stdin:2"]);
  });

  it("reassembles a UTF-8 character split across chunks, drops a BOM, warns for Latin-1", async () => {
    const bytes = Buffer.from("\ufeffcafé Zürich", "utf8");
    const split = [bytes.subarray(0, 7), bytes.subarray(7)]; // splits the two bytes of é
    const utf8 = await read(["-"], { inputFormat: "text" }, Readable.from(split));
    expect(utf8.documents).toEqual([{ id: "stdin", text: "café Zürich" }]);
    const latin1 = await read(["-"], { inputFormat: "text" }, Readable.from([Buffer.from([0x63, 0xe9])]));
    expect(latin1.documents).toEqual([{ id: "stdin", text: "c\u00e9" }]);
    expect(latin1.warnings).toEqual(["stdin: not valid UTF-8, read as Latin-1"]);
  });

  it("keeps input order around stdin", async () => {
    const { documents } = await read([inputPath("strings.json"), "-", inputPath("empty.txt")], {}, stdinOf("from stdin\n"));
    expect(documents.map((d) => d.id)).toEqual(["strings.json:1", "strings.json:2", "strings.json:3", "stdin:1", "empty.txt"]);
  });

  it("errors name stdin and the line", async () => {
    await expectInputErrorAsync(
      read(["-"], { inputFormat: "jsonl" }, stdinOf('{"text": "a"}\n{oops}\n')),
      /^stdin: line 2: invalid JSON: /,
    );
  });
});

describe("readCorpus: folders", () => {
  let dir: string;
  let remove: () => void;

  beforeAll(() => {
    ({ dir, remove } = makeTempDir());
    const files: Record<string, string | Buffer> = {
      "top.txt": "top",
      "a/b.txt": "a b",
      "a-c.txt": "a-c",
      "B/x.txt": "capital B",
      "\uff5e.txt": "fullwidth tilde",
      "\u{1f600}.txt": "emoji, a surrogate pair",
      ".hidden.txt": "hidden",
      ".git/config": "hidden folder",
      "a/.secret": "hidden in a",
      "g/records.csv": "text,cat\nfirst record,\nsecond record,own\n",
      "g/sub/deep.txt": "deep",
      "g/n.jsonl.gz": gzipSync(Buffer.from('{"text": "zipped"}\n')),
      "g/latin.txt": Buffer.from([0x5a, 0xfc, 0x72, 0x69, 0x63, 0x68]),
      "g/image.bin": Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0x01]),
    };
    for (const [relative, content] of Object.entries(files)) {
      mkdirSync(join(dir, relative, ".."), { recursive: true });
      writeFileSync(join(dir, relative), content);
    }
  });
  afterAll(() => remove());

  it("reads every regular file recursively in code-unit order of the relative path", async () => {
    const { documents, warnings } = await read([dir], { labelColumn: "cat" });
    expect(documents.map((d) => d.id)).toEqual([
      "B/x.txt",
      "a-c.txt", // '-' (0x2D) sorts before '/' (0x2F): full paths are compared, not folder by folder
      "a/b.txt",
      "g/latin.txt",
      "g/n.jsonl.gz:1",
      "g/records.csv:1",
      "g/records.csv:2",
      "g/sub/deep.txt",
      "top.txt",
      "\u{1f600}.txt", // high surrogate 0xD83D sorts before 0xFF5E (code units, not code points)
      "\uff5e.txt",
    ]);
    expect(documents.map((d) => d.label ?? null)).toEqual(["B", null, "a", "g", "g", "g", "own", "g", null, null, null]);
    expect(documents.find((d) => d.id === "g/latin.txt")?.text).toBe("Zürich");
    expect(documents.find((d) => d.id === "g/n.jsonl.gz:1")?.text).toBe("zipped");
    expect(warnings).toEqual([`${dir}/g/image.bin: binary file skipped`, `${dir}/g/latin.txt: not valid UTF-8, read as Latin-1`]);
  });

  it("--lines applies to text files inside folders", async () => {
    const { documents } = await read([join(dir, "g", "sub")], { lines: true });
    expect(documents).toEqual([{ id: "deep.txt:1", text: "deep" }]);
  });

  it("a trailing slash on the folder changes neither ids nor messages", async () => {
    const { documents, warnings } = await read([`${dir}/g/`]);
    expect(documents.map((d) => d.id)).toEqual(["latin.txt", "n.jsonl.gz:1", "records.csv:1", "records.csv:2", "sub/deep.txt"]);
    expect(documents.map((d) => d.label ?? null)).toEqual([null, null, null, null, "sub"]);
    expect(warnings[0]).toBe(`${dir}/g/image.bin: binary file skipped`);
  });

  it("a binary file given directly is an error", async () => {
    await expectInputErrorAsync(read([join(dir, "g", "image.bin")]), new RegExp(`^${dir}/g/image\\.bin: binary file`));
  });
});

describe("readCorpus: links and special files", () => {
  it("follows symlinks, skips a symlink loop, a broken link and a FIFO with warnings", async () => {
    const { dir, remove } = makeTempDir();
    try {
      mkdirSync(join(dir, "x", "y"), { recursive: true });
      writeFileSync(join(dir, "x", "y", "doc.txt"), "inside");
      writeFileSync(join(dir, "real.txt"), "real");
      symlinkSync("..", join(dir, "x", "y", "up")); // loop: x/y/up -> x
      symlinkSync(join(dir, "real.txt"), join(dir, "x", "link.txt")); // file link: followed
      symlinkSync(join(dir, "missing.txt"), join(dir, "x", "broken.txt"));
      symlinkSync("self", join(dir, "x", "self")); // self-referencing link: ELOOP
      execFileSync("mkfifo", [join(dir, "x", "pipe")]);
      const { documents, warnings } = await read([dir]);
      expect(documents).toEqual([
        { id: "real.txt", text: "real" },
        { id: "x/link.txt", text: "real", label: "x" },
        { id: "x/y/doc.txt", text: "inside", label: "x" },
      ]);
      expect(warnings).toEqual([
        `${dir}/x/broken.txt: broken symbolic link skipped`,
        `${dir}/x/pipe: not a regular file (FIFO, socket or device), skipped`,
        `${dir}/x/self: symbolic link loop skipped`,
        `${dir}/x/y/up: directory already read (symbolic link loop?), skipped`,
      ]);
    } finally {
      remove();
    }
  });

  it("a symlink to the folder itself is skipped, not read twice", async () => {
    const { dir, remove } = makeTempDir();
    try {
      writeFileSync(join(dir, "a.txt"), "a");
      symlinkSync(dir, join(dir, "again"));
      const { documents, warnings } = await read([dir]);
      expect(documents.map((d) => d.id)).toEqual(["a.txt"]);
      expect(warnings).toHaveLength(1);
    } finally {
      remove();
    }
  });
});

describe("readCorpus: errors (InputError, exit 3)", () => {
  it("missing path", async () => {
    await expectInputErrorAsync(read(["no/such/file.txt"]), "no such file or directory: no/such/file.txt");
  });

  it.each([
    ["bad/unterminated.csv", {}, /bad\/unterminated\.csv: line 7: unterminated quoted field/],
    ["bad/ragged.csv", {}, /bad\/ragged\.csv: line 3: 3 fields, the header has 2/],
    ["bad/notext.csv", {}, /bad\/notext\.csv: no column "text"; columns are: a, b, c; use --text-column$/],
    ["bad/badline.jsonl", {}, /bad\/badline\.jsonl: line 3: invalid JSON: /],
    ["bad/object.json", {}, /bad\/object\.json: expected a JSON array/],
    ["bad/truncated.jsonl.gz", {}, /bad\/truncated\.jsonl\.gz: corrupt or truncated gzip data \(unexpected end of file\)/],
    ["docs.jsonl", { textField: "body" }, /docs\.jsonl: line 1: no field "body"; fields are: id, label, text; use --text-field$/],
  ])("%s", async (relative, options, pattern) => {
    await expectInputErrorAsync(read([inputPath(relative)], options), pattern);
  });

  it("not gzip data at all", async () => {
    const { dir, remove } = makeTempDir();
    try {
      writeFileSync(join(dir, "plain.txt.gz"), "not compressed");
      await expectInputErrorAsync(read([join(dir, "plain.txt.gz")]), /plain\.txt\.gz: corrupt or truncated gzip data/);
    } finally {
      remove();
    }
  });

  it("an error inside a folder names the file inside it", async () => {
    await expectInputErrorAsync(read([join(inputsDir, "bad")]), new RegExp(`^${inputsDir}/bad/badline\\.jsonl: line 3`));
  });

  it("no documents at all: names the inputs", async () => {
    const { dir, remove } = makeTempDir();
    try {
      mkdirSync(join(dir, "empty"));
      writeFileSync(join(dir, "blank.txt"), "\n  \n\r\n");
      await expectInputErrorAsync(
        read([join(dir, "empty"), join(dir, "blank.txt")], { lines: true }),
        new RegExp(`^no documents found in ${dir}/empty, ${dir}/blank\\.txt`),
      );
    } finally {
      remove();
    }
  });

  it("permission errors map to one line that says what to do", () => {
    const error = convertFsError(Object.assign(new Error("EACCES: permission denied, open 'x'"), { code: "EACCES" }), "x.txt");
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toBe("x.txt: permission denied; make it readable or leave it out");
  });

  it.skipIf(isRoot)("an unreadable file is an InputError", async () => {
    const { dir, remove } = makeTempDir();
    try {
      const path = join(dir, "secret.txt");
      writeFileSync(path, "x");
      chmodSync(path, 0);
      await expectInputErrorAsync(read([path]), `${path}: permission denied; make it readable or leave it out`);
    } finally {
      remove();
    }
  });

  it("usage errors: no input, stdin twice", async () => {
    await expect(read([])).rejects.toBeInstanceOf(UsageError);
    await expect(read(["-", "-"], {}, stdinOf("x"))).rejects.toBeInstanceOf(UsageError);
  });
});

describe("readCorpus: duplicate ids", () => {
  it("warns once when ids repeat", async () => {
    const { dir, remove } = makeTempDir();
    try {
      mkdirSync(join(dir, "a"));
      mkdirSync(join(dir, "b"));
      writeFileSync(join(dir, "a", "n.txt"), "one");
      writeFileSync(join(dir, "b", "n.txt"), "two");
      const { documents, warnings } = await read([join(dir, "a", "n.txt"), join(dir, "b", "n.txt")]);
      expect(documents.map((d) => d.id)).toEqual(["n.txt", "n.txt"]);
      expect(warnings).toEqual(['1 document id repeated (first: "n.txt"); give inputs distinct names or use --id-column/--id-field']);
    } finally {
      remove();
    }
  });
});

describe("readCorpus: fixtures/20news-mini", () => {
  /** Naive oracle: synchronous recursive listing, sorted, each file read as UTF-8. */
  function readNaively(root: string): Document[] {
    const out: Document[] = [];
    for (const label of readdirSync(root).sort()) {
      for (const name of readdirSync(join(root, label)).sort()) {
        out.push({ id: `${label}/${name}`, text: readFileSync(join(root, label, name), "utf8"), label });
      }
    }
    return out;
  }

  it("reads 250 documents, 50 per label, 5 labels, equal to a naive sequential read", async () => {
    const { documents, warnings } = await read([miniDir]);
    expect(documents).toHaveLength(250);
    const counts = new Map<string, number>();
    for (const d of documents) counts.set(d.label ?? "", (counts.get(d.label ?? "") ?? 0) + 1);
    expect([...counts]).toEqual([
      ["comp.graphics", 50],
      ["rec.sport.hockey", 50],
      ["sci.med", 50],
      ["sci.space", 50],
      ["talk.politics.mideast", 50],
    ]);
    expect(documents[0].id).toBe("comp.graphics/37261");
    expect(documents).toEqual(readNaively(miniDir));
    expect(warnings).toEqual([]);
  });
});
