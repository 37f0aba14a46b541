/** The option parsers shared by the commands: --threads (capped at the cores) and --steps (bounded). */
import { availableParallelism } from "node:os";
import { afterEach, describe, expect, it, vi } from "vitest";
import { MAX_STEPS, program, stepsOption, threadsOption } from "./main.js";

/** Parse `argv` with `command`'s action replaced by one that returns its options. */
async function parsedOptions(command: string, argv: string[]): Promise<Record<string, unknown>> {
  const cmd = program().exitOverride();
  let seen: Record<string, unknown> = {};
  const sub = cmd.commands.find((c) => c.name() === command)!;
  sub.exitOverride().action((_config: unknown, opts: Record<string, unknown>) => {
    seen = opts;
  });
  await cmd.parseAsync(["node", "neural-gnn", command, ...argv]);
  return seen;
}

describe("command-line options", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("--threads above the available cores is capped at the cores, with one warning line on stderr", async () => {
    const stderr = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    const cores = availableParallelism();
    for (const command of ["generate", "train", "plot", "test", "run"]) {
      stderr.mockClear();
      expect((await parsedOptions(command, ["--threads", "999"])).threads, command).toBe(cores);
      expect(stderr).toHaveBeenCalledTimes(1);
      expect(String(stderr.mock.calls[0][0])).toBe(
        `neural-gnn: warning: --threads 999: only ${cores} cores are available; using ${cores}\n`,
      );
    }
    stderr.mockClear();
    expect(threadsOption(String(cores))).toBe(cores);
    expect(threadsOption("1")).toBe(1);
    expect(stderr).not.toHaveBeenCalled();
  });

  it("--threads and --steps refuse what is not a positive integer; --steps is bounded", () => {
    for (const bad of ["0", "-2", "1.5", "abc", ""]) {
      expect(() => threadsOption(bad), bad).toThrowError(/must be a positive integer/);
      expect(() => stepsOption(bad), bad).toThrowError(/must be a positive integer/);
    }
    expect(stepsOption("400")).toBe(400);
    expect(stepsOption(String(MAX_STEPS))).toBe(MAX_STEPS);
    expect(() => stepsOption("1e12")).toThrowError(new RegExp(`must be at most ${MAX_STEPS}`));
  });
});
