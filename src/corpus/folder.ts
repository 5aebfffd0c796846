/**
 * Folder inputs: every regular file below a folder, recursively, in a deterministic order.
 * Hidden entries are skipped silently; FIFOs, sockets, devices, broken links and directories
 * reached a second time (symlink loops) are skipped with a warning.
 */
import type { Dirent } from "node:fs";
import { lstat, readdir, realpath, stat } from "node:fs/promises";
import { join, sep } from "node:path";
import { getErrorCode, convertFsError } from "./io.js";
import type { Warn } from "./types.js";

/**
 * One file found below a folder argument. Only the relative path is kept (and the label, shared by
 * all files of a sub-folder): paths to open and to show are built from it when the file is read, so
 * that listing 10^5 files leaves few objects for the garbage collector to copy.
 */
export interface FolderFile {
  /** Path relative to the folder, '/' separators: the document id (or its base for records). */
  relativePath: string;
  /** First sub-folder of `relativePath`; undefined for files directly in the folder. */
  label?: string;
}

/** The files of a folder argument, sorted, with what turns a relative path into a path. */
export interface FolderListing {
  /** Prefix of every file's path to open: the normalized folder path and a separator. */
  pathPrefix: string;
  /** Prefix of every file's path in messages: the folder as given and '/'. */
  displayPrefix: string;
  files: FolderFile[];
}

type EntryKind = "file" | "directory" | "other";

/** Kind of a directory entry without a syscall when readdir already knows it. */
function classifyDirent(entry: Dirent): EntryKind | "symlink" | "unknown" {
  if (entry.isFile()) return "file";
  if (entry.isDirectory()) return "directory";
  if (entry.isSymbolicLink()) return "symlink";
  if (entry.isFIFO() || entry.isSocket() || entry.isCharacterDevice() || entry.isBlockDevice()) return "other";
  return "unknown";
}

/** Compares strings by UTF-16 code unit (not locale), the order of files and vocabulary. */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Lists the regular files below `root` (following symbolic links), sorted by relative path
 * compared by UTF-16 code unit with '/' separators. `displayRoot` prefixes paths in messages.
 * A directory whose real path was already visited is skipped with a warning (symlink loops end).
 * Unreadable directories are InputErrors.
 */
export async function listFolderFiles(root: string, displayRoot: string, warn: Warn): Promise<FolderListing> {
  const files: FolderFile[] = [];
  const displayPrefix = displayRoot.endsWith("/") ? displayRoot : `${displayRoot}/`;
  const display = (relativePath: string): string => displayPrefix + relativePath;
  let rootReal: string;
  try {
    rootReal = await realpath(root);
  } catch (error) {
    throw convertFsError(error, displayRoot);
  }
  const visited = new Set<string>([rootReal]);

  // `label` is the first sub-folder's name, one string for all the files below it.
  const walk = async (directory: string, directoryReal: string, prefix: string, label: string | undefined): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = await readdir(directory, { withFileTypes: true });
    } catch (error) {
      throw convertFsError(error, prefix === "" ? displayRoot : display(prefix));
    }
    entries.sort((a, b) => compareCodeUnits(a.name, b.name));
    for (const entry of entries) {
      const name = entry.name;
      if (name.startsWith(".")) continue;
      const relativePath = prefix === "" ? name : `${prefix}/${name}`;
      let kind = classifyDirent(entry);
      if (kind === "file") {
        files.push(label === undefined ? { relativePath } : { relativePath, label });
        continue;
      }
      const path = join(directory, name);
      const viaLink = kind === "symlink";
      if (kind === "symlink" || kind === "unknown") {
        try {
          const stats = viaLink ? await stat(path) : await lstat(path);
          kind = stats.isFile() ? "file" : stats.isDirectory() ? "directory" : "other";
        } catch (error) {
          const code = getErrorCode(error);
          if (viaLink && (code === "ENOENT" || code === "ENOTDIR")) {
            warn(`${display(relativePath)}: broken symbolic link skipped`);
            continue;
          }
          if (viaLink && code === "ELOOP") {
            warn(`${display(relativePath)}: symbolic link loop skipped`);
            continue;
          }
          throw convertFsError(error, display(relativePath));
        }
      }
      if (kind === "file") {
        files.push(label === undefined ? { relativePath } : { relativePath, label });
      } else if (kind === "directory") {
        let real = join(directoryReal, name);
        if (viaLink) {
          try {
            real = await realpath(path);
          } catch (error) {
            throw convertFsError(error, display(relativePath));
          }
        }
        if (visited.has(real)) {
          warn(`${display(relativePath)}: directory already read (symbolic link loop?), skipped`);
          continue;
        }
        visited.add(real);
        await walk(path, real, relativePath, label ?? name);
      } else {
        warn(`${display(relativePath)}: not a regular file (FIFO, socket or device), skipped`);
      }
    }
  };

  await walk(root, rootReal, "", undefined);
  // Walk order is already sorted unless a name sorts between another and its '/' children
  // ("a.txt" < "a/b"); sorting sorted input costs one comparison per file.
  files.sort((a, b) => compareCodeUnits(a.relativePath, b.relativePath));
  // join(root, relativePath) without normalizing every path: names are never "", "." or "..".
  const base = join(root);
  const pathPrefix = base.endsWith("/") || base.endsWith(sep) ? base : base + sep;
  return { pathPrefix, displayPrefix, files };
}
