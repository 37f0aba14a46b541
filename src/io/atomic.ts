/**
 * Atomic writes: data goes to a temporary sibling first and is renamed into place, so a crash or
 * an error never leaves a half-written file where a good one was.
 */
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";

/** Temporary sibling path of `path` (same folder, so rename is atomic). */
export function tempPath(path: string): string {
  return join(dirname(path), `.${basename(path)}.tmp-${process.pid}-${Date.now().toString(36)}`);
}

/** Write `data` to `path` atomically. */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const tmp = tempPath(path);
  try {
    const fd = openSync(tmp, "w");
    try {
      const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data;
      let off = 0;
      while (off < bytes.byteLength) off += writeSync(fd, bytes, off, bytes.byteLength - off);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}
