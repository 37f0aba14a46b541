import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "../../test/helpers.js";
import { runLayout } from "./layout.js";
import { RunFolderBusyError, lockRunFolder } from "./lock.js";
import { setAsideDerived } from "./supersede.js";

const lockOf = (root: string) => JSON.parse(readFileSync(join(root, ".lock"), "utf8"));

describe("run folder lock", () => {
  it("names the live process that holds the folder and refuses", async () => {
    const root = tempDir();
    const holder = spawn(process.execPath, ["-e", "setTimeout(() => {}, 20000)"]);
    try {
      writeFileSync(join(root, ".lock"), JSON.stringify({ pid: holder.pid, command: "neural-gnn train x.yaml", started: "t0" }));
      expect(() => lockRunFolder(root, "neural-gnn plot")).toThrowError(RunFolderBusyError);
      expect(() => lockRunFolder(root, "neural-gnn plot")).toThrowError(
        new RegExp(`in use by process ${holder.pid} \\(neural-gnn train x\\.yaml, since t0\\)`),
      );
      expect(lockOf(root).pid).toBe(holder.pid);
    } finally {
      holder.kill();
    }
  });

  it("takes over the lock of a process that is gone, saying so, and releases it", () => {
    const root = tempDir();
    const gone = spawnSync(process.execPath, ["-e", "process.pid"]).pid!;
    writeFileSync(join(root, ".lock"), JSON.stringify({ pid: gone, command: "neural-gnn generate", started: "t0" }));
    const lines: string[] = [];
    const lock = lockRunFolder(root, "neural-gnn run", (s) => lines.push(s));
    expect(lines[0]).toMatch(
      new RegExp(`taking over the lock of .* from process ${gone} \\(neural-gnn generate\\), which is no longer running`),
    );
    expect(lockOf(root)).toMatchObject({ pid: process.pid, command: "neural-gnn run" });
    // Nested commands of the same process share the lock; it goes with the outermost release.
    const inner = lockRunFolder(root, "neural-gnn train");
    inner.release();
    expect(existsSync(join(root, ".lock"))).toBe(true);
    lock.release();
    expect(existsSync(join(root, ".lock"))).toBe(false);
  });

  it("removes the leftovers of other, interrupted processes once it holds the lock", () => {
    const root = tempDir();
    const l = runLayout(root);
    mkdirSync(join(root, ".data.tmp-999999-abc"), { recursive: true });
    writeFileSync(join(root, ".data.tmp-999999-abc", "activity.npy"), "x".repeat(1000));
    mkdirSync(l.models, { recursive: true });
    writeFileSync(join(l.models, ".training.json.tmp-999999-k2"), "{");
    writeFileSync(join(l.models, `.mine.tmp-${process.pid}-k2`), "{");
    writeFileSync(join(l.models, "training.json"), "{}");
    const lines: string[] = [];
    lockRunFolder(root, "neural-gnn train", (s) => lines.push(s)).release();
    expect(existsSync(join(root, ".data.tmp-999999-abc"))).toBe(false);
    expect(existsSync(join(l.models, ".training.json.tmp-999999-k2"))).toBe(false);
    expect(existsSync(join(l.models, `.mine.tmp-${process.pid}-k2`))).toBe(true);
    expect(existsSync(join(l.models, "training.json"))).toBe(true);
    expect(lines.join("\n")).toMatch(/removed .*\.data\.tmp-999999-abc, left by an interrupted command/);
  });
});

describe("superseded results", () => {
  it("moves what was derived from replaced data aside, keeping the data", () => {
    const root = tempDir();
    const l = runLayout(root);
    for (const d of [l.data, l.models, l.results, l.figures]) mkdirSync(d, { recursive: true });
    writeFileSync(join(l.models, "training.json"), "{}");
    writeFileSync(l.report, "<html>");
    const dest = setAsideDerived(l, new Date("2026-01-02T03:04:05.678Z"))!;
    expect(dest).toBe(join(root, "superseded", "2026-01-02T03-04-05-678Z"));
    expect(existsSync(join(dest, "models", "training.json"))).toBe(true);
    expect(existsSync(join(dest, "report.html"))).toBe(true);
    expect(existsSync(l.models) || existsSync(l.report)).toBe(false);
    expect(existsSync(l.data)).toBe(true);
    expect(setAsideDerived(l)).toBeUndefined();
  });
});
