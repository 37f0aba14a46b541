import { describe, expect, it } from "vitest";
import { useEngines } from "../../../test/helpers.js";
import * as declared from "./as/args.js";
import { type WasmEngine, kernelModule } from "./engine.js";
import { DECLARED_COUNTS, KERNELS, type KernelName, argExportPrefix, kernelLayouts } from "./kernel-args.js";

/** The kernel module's exports (an instance on a memory of its own). */
function moduleExports(): Record<string, unknown> {
  const memory = new WebAssembly.Memory({ initial: 64, maximum: 65536, shared: true });
  return new WebAssembly.Instance(kernelModule(), { env: { memory, abort: () => {} } }).exports;
}

/** A stand-in export table: every kernel, and its arguments `names[kernel]` (default: as declared) in slot order. */
function fakeExports(names: Partial<Record<KernelName, string[]>> = {}): Record<string, unknown> {
  const real = kernelLayouts(moduleExports());
  const table: Record<string, unknown> = {};
  for (const k of KERNELS) {
    table[k] = () => {};
    const list = names[k] ?? real[k];
    const prefix = argExportPrefix(k);
    list.forEach((n, slot) => {
      table[prefix + n] = { value: slot };
    });
    table[`${prefix}COUNT`] = { value: list.length };
  }
  return table;
}

describe("kernel arguments", () => {
  it("the module's argument names and order are those of as/args.ts", () => {
    const layouts = kernelLayouts(moduleExports());
    // Under vitest the const enums of as/args.ts exist at run time: compare names and slots.
    const enums = declared as unknown as Record<string, Record<string, unknown>>;
    for (const k of KERNELS) {
      const e = enums[argExportPrefix(k).slice(0, -1)];
      const names = Object.keys(e).filter((n) => typeof e[n] === "number" && n !== "COUNT");
      expect(layouts[k], k).toEqual(names);
      expect(names.map((n) => e[n])).toEqual(names.map((_, slot) => slot));
      expect(layouts[k].length).toBe(DECLARED_COUNTS[k]);
    }
    expect(layouts.mlpForward.slice(0, 4)).toEqual(["S", "nIn", "H", "W0T"]);
  });

  it("a stale module fails at startup with the kernel and both counts", () => {
    expect(() => kernelLayouts(fakeExports())).not.toThrow();
    const short = fakeExports({ mlpForward: ["S", "nIn", "H"] });
    expect(() => kernelLayouts(short, "k.wasm")).toThrowError(
      `k.wasm is stale: kernel mlpForward takes 3 arguments, the TypeScript side declares ${DECLARED_COUNTS.mlpForward}; run npm run build`,
    );
    const noArgs = fakeExports();
    for (const key of Object.keys(noArgs)) if (key.startsWith("AdamArg.")) delete noArgs[key];
    expect(() => kernelLayouts(noArgs)).toThrowError(/stale: it does not declare the arguments of kernel adam/);
    const noKernel = fakeExports();
    noKernel.tanhInit = undefined;
    expect(() => kernelLayouts(noKernel)).toThrowError(/stale: it has no kernel tanhInit/);
    const clash = fakeExports();
    clash["MessagesArg.P"] = { value: 0 };
    expect(() => kernelLayouts(clash)).toThrowError(/MessagesArg\.(B|P) of kernel messages has slot 0/);
  });

  it("rejects missing, extra and misspelt arguments at compile time", () => {
    // Never called: each call must be a type error (`npm run typecheck` fails on an unused @ts-expect-error).
    const typeErrors = (e: WasmEngine) => {
      // @ts-expect-error: missing argument M
      e.run("messages", { B: 1, N: 4, W: 0, P: 0 });
      // @ts-expect-error: extra argument bar
      e.run("messages", { B: 1, N: 4, W: 0, P: 0, M: 0, bar: 0 });
      // @ts-expect-error: misspelt argument m
      e.run("messages", { B: 1, N: 4, W: 0, P: 0, m: 0 });
      // @ts-expect-error: COUNT is not an argument
      e.run("tanhInit", { N: 4, x: 0, t: 0, COUNT: 3 });
      // @ts-expect-error: positional arguments
      e.run("tanhInit", [4, 0, 0]);
      // @ts-expect-error: unknown kernel
      e.run("tanh", { N: 4, x: 0, t: 0 });
    };
    expect(typeErrors).toBeTypeOf("function");
  });

  describe("engine", () => {
    const engines = useEngines();

    it("refuses a call whose arguments do not match the module", () => {
      const e = engines.e1;
      const a = e.alloc(64);
      // A call the types reject (see typeErrors) also fails at run time, before the kernel runs.
      expect(() => e.run("messages", { B: 1, N: 4, W: a, P: a } as never)).toThrowError(
        /kernel messages: argument M is undefined/,
      );
      e.run("messages", { B: 0, N: 4, W: a, P: a, M: a });
    });
  });
});
