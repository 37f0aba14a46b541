/** Every command works on its run folder under the folder's lock (run-folder/lock.ts). */
import { mkdirSync } from "node:fs";
import { lockRunFolder } from "../run-folder/lock.js";

/** Run `fn` holding the lock of run folder `root` (created if needed); `command` names the holder. */
export async function withRunLock<T>(root: string, command: string, log: (s: string) => void, fn: () => Promise<T>): Promise<T> {
  mkdirSync(root, { recursive: true });
  const lock = lockRunFolder(root, command, log);
  try {
    return await fn();
  } finally {
    lock.release();
  }
}

/** The command line as the lock records it. */
export function commandLine(): string {
  return ["neural-gnn", ...process.argv.slice(2)].join(" ");
}
