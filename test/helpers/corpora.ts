/** The corpus tests share the bench's unpacking of ../shared/corpora into .cache/corpora. */
export {
  cacheDir,
  corporaArchiveDir,
  ensureCorpora,
  haveSharedCorpora,
  projectRoot,
  sharedDir,
  type CorpusRoots,
} from "../../bench/corpora.mjs";
