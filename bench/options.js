// Shared by the benchmarks (bench/run.js): the command line, the package root, number formatting.
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const root = resolve(fileURLToPath(new URL("..", import.meta.url)));
export const args = process.argv.slice(2);
const threadsArg = args.indexOf("--threads");
export const threads = threadsArg >= 0 ? Number(args[threadsArg + 1]) : undefined;
export const profile = args.includes("--profile");
/** The value after `name`, or `fallback`. */
export const option = (name, fallback) => {
  const k = args.indexOf(name);
  return k >= 0 ? args[k + 1] : fallback;
};
/** Every value of a repeatable option. */
export function optionAll(name) {
  return args.flatMap((a, k) => (a === name && k + 1 < args.length ? [args[k + 1]] : []));
}

/** Figure 3's SIREN Ω*: 3 → 128 → 5 hidden layers of 128 → 1, ω₀ = 30. */
export const FIG3_SIREN = {
  inFeatures: 3,
  hiddenFeatures: 128,
  hiddenLayers: 5,
  outFeatures: 1,
  outermostLinear: true,
  omega0: 30,
};

export function round(x) {
  return Math.round(x * 1000) / 1000;
}

/** Native kernel sets to time (--isa avx2,generic; default "": the best this CPU runs); exits on one it cannot run. */
export async function isaOption(bench) {
  const isas = option("--isa", "").split(",");
  const { nativeIsas } = await import(join(root, "dist/kernels/native/addon.js"));
  const runnable = nativeIsas();
  const unknown = isas.filter((isa) => isa && !runnable.includes(isa));
  if (unknown.length) {
    console.error(
      `${bench}: --isa ${unknown.join(",")}: not a kernel set this CPU runs (${runnable.join(", ") || "native off"})`,
    );
    process.exit(2);
  }
  return isas;
}
