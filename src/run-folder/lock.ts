/**
 * One command at a time on a run folder: `lockRunFolder` creates `<root>/.lock` atomically (a
 * complete file linked into place, so it exists only with its content) naming the process, and
 * refuses when another live process holds it. A lock whose process is gone is taken over, with a
 * line saying so. Nested commands of the same process (`run` calls generate, train, …) share it.
 * Once the lock is held, the leftovers of interrupted commands (temporary files and folders of
 * atomic writes from other processes) are removed.
 */
import { existsSync, linkSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempPath } from "../io/atomic.js";
import { runLayout } from "./layout.js";

export class RunFolderBusyError extends Error {
  override name = "RunFolderBusyError";
}

interface LockInfo {
  pid: number;
  command: string;
  started: string;
}

/** Locks this process holds, by lock path, with their nesting depth. */
const held = new Map<string, number>();

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

function readLock(path: string): LockInfo | undefined {
  try {
    const info = JSON.parse(readFileSync(path, "utf8")) as LockInfo;
    return Number.isInteger(info.pid) ? info : undefined;
  } catch {
    return undefined;
  }
}

/** Create `path` with `text` only if it does not exist (atomic: link of a complete temporary file). */
function createExclusive(path: string, text: string): boolean {
  const tmp = tempPath(path);
  writeFileSync(tmp, text);
  try {
    linkSync(tmp, path);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw e;
  } finally {
    rmSync(tmp, { force: true });
  }
}

export interface RunLock {
  release(): void;
}

/** Take the lock of run folder `root` for `command`, or throw RunFolderBusyError naming its holder. */
export function lockRunFolder(root: string, command: string, log: (s: string) => void = () => {}): RunLock {
  const path = runLayout(root).lock;
  const depth = held.get(path);
  if (depth !== undefined) {
    held.set(path, depth + 1);
    return { release: () => release(path) };
  }
  const info: LockInfo = { pid: process.pid, command, started: new Date().toISOString() };
  for (let attempt = 0; ; attempt++) {
    if (createExclusive(path, JSON.stringify(info))) break;
    const other = readLock(path);
    if (other && other.pid !== process.pid && alive(other.pid)) {
      throw new RunFolderBusyError(
        `${root} is in use by process ${other.pid} (${other.command}, since ${other.started}): wait for it to finish or stop it`,
      );
    }
    if (attempt > 0) throw new RunFolderBusyError(`${path}: cannot take over the lock (another process is racing for it)`);
    log(
      other
        ? `taking over the lock of ${root} from process ${other.pid} (${other.command}), which is no longer running`
        : `replacing the unreadable lock file ${path}`,
    );
    rmSync(path, { force: true });
  }
  held.set(path, 1);
  process.once("exit", () => held.has(path) && rmSync(path, { force: true }));
  removeLeftovers(root, log);
  return { release: () => release(path) };
}

function release(path: string): void {
  const depth = held.get(path) ?? 0;
  if (depth > 1) {
    held.set(path, depth - 1);
    return;
  }
  held.delete(path);
  if (readLock(path)?.pid === process.pid) rmSync(path, { force: true });
}

/** Temporary names of atomic writes (`.name.tmp-PID-T`) and of replaced folders (`name.old-PID-T`). */
const LEFTOVER = /^(?:\..+\.tmp|.+\.old)-(\d+)-[0-9a-z]+$/;

/** Remove other processes' leftovers in `root` and its sub-folders (the caller holds the lock). */
export function removeLeftovers(root: string, log: (s: string) => void = () => {}): void {
  if (!existsSync(root)) return;
  const l = runLayout(root);
  for (const dir of [root, l.data, l.models, l.results, l.figures]) {
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir)) {
      const m = name.match(LEFTOVER);
      if (!m || Number(m[1]) === process.pid) continue;
      const p = join(dir, name);
      const mb = sizeOf(p) / 2 ** 20;
      rmSync(p, { recursive: true, force: true });
      log(`removed ${p}, left by an interrupted command (${mb.toFixed(1)} MB)`);
    }
  }
}

function sizeOf(p: string): number {
  const s = statSync(p);
  return s.isDirectory() ? readdirSync(p).reduce((a, n) => a + sizeOf(join(p, n)), 0) : s.size;
}
