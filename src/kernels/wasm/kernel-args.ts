/**
 * The kernels and their arguments, by name. The arguments are declared once, in as/args.ts (one
 * const enum per kernel, compiled into both the module and this side): a call passes an object
 * whose type is derived from that enum, so a missing, extra or misspelt argument is a type error.
 * The module exports the enums' members ("MlpForwardArg.S" = 0, …); `kernelLayouts` reads the slot
 * order from them and checks each kernel's argument count against the one compiled in here, so a
 * stale build/kernels.wasm fails at startup.
 */
import {
  AdamArg,
  MessagesArg,
  MessagesBackwardArg,
  MlpBackwardArg,
  MlpForwardArg,
  PdeN2StepsArg,
  PwlBackwardArg,
  PwlForwardArg,
  SirenBackwardPointsArg,
  SirenBackwardRowsArg,
  SirenForwardArg,
  TanhInitArg,
} from "./as/args.js";

/** The kernels, in the order of their dispatch index (shared with worker.js). */
export const KERNELS = [
  "pdeN2Steps",
  "tanhInit",
  "mlpForward",
  "mlpBackward",
  "messages",
  "messagesBackward",
  "adam",
  "sirenForward",
  "sirenBackwardPoints",
  "sirenBackwardRows",
  "pwlForward",
  "pwlBackward",
] as const;
export type KernelName = (typeof KERNELS)[number];

/** The argument object of a kernel whose arguments are enum E: one number per member but COUNT. */
type ArgsOf<E> = { readonly [K in Exclude<keyof E, "COUNT">]: number };

/** Each kernel's arguments (pointers are byte offsets into the engine's memory). */
export interface KernelArgs {
  pdeN2Steps: ArgsOf<typeof PdeN2StepsArg>;
  tanhInit: ArgsOf<typeof TanhInitArg>;
  mlpForward: ArgsOf<typeof MlpForwardArg>;
  mlpBackward: ArgsOf<typeof MlpBackwardArg>;
  messages: ArgsOf<typeof MessagesArg>;
  messagesBackward: ArgsOf<typeof MessagesBackwardArg>;
  adam: ArgsOf<typeof AdamArg>;
  sirenForward: ArgsOf<typeof SirenForwardArg>;
  sirenBackwardPoints: ArgsOf<typeof SirenBackwardPointsArg>;
  sirenBackwardRows: ArgsOf<typeof SirenBackwardRowsArg>;
  pwlForward: ArgsOf<typeof PwlForwardArg>;
  pwlBackward: ArgsOf<typeof PwlBackwardArg>;
}

/** How many arguments this side declares for each kernel. */
export const DECLARED_COUNTS: Readonly<Record<KernelName, number>> = {
  pdeN2Steps: PdeN2StepsArg.COUNT,
  tanhInit: TanhInitArg.COUNT,
  mlpForward: MlpForwardArg.COUNT,
  mlpBackward: MlpBackwardArg.COUNT,
  messages: MessagesArg.COUNT,
  messagesBackward: MessagesBackwardArg.COUNT,
  adam: AdamArg.COUNT,
  sirenForward: SirenForwardArg.COUNT,
  sirenBackwardPoints: SirenBackwardPointsArg.COUNT,
  sirenBackwardRows: SirenBackwardRowsArg.COUNT,
  pwlForward: PwlForwardArg.COUNT,
  pwlBackward: PwlBackwardArg.COUNT,
};

/** Each kernel's argument names in slot order. */
export type KernelLayouts = Readonly<Record<KernelName, readonly string[]>>;

/** The prefix of kernel `name`'s argument exports: "mlpForward" → "MlpForwardArg.". */
export function argExportPrefix(name: KernelName): string {
  return `${name[0].toUpperCase()}${name.slice(1)}Arg.`;
}

/**
 * The argument layout compiled into a module with these exports (`WebAssembly.Instance.exports`,
 * or any table of `{ value }` globals and functions); throws when it does not match `counts`
 * (this side's declaration) or lacks a kernel. `module` names the module in the messages.
 */
export function kernelLayouts(
  exports: Readonly<Record<string, unknown>>,
  module = "build/kernels.wasm",
  counts: Readonly<Record<KernelName, number>> = DECLARED_COUNTS,
): KernelLayouts {
  const stale = (why: string) => new Error(`${module} is stale: ${why}; run npm run build`);
  const layouts = {} as Record<KernelName, string[]>;
  for (const name of KERNELS) {
    if (typeof exports[name] !== "function") throw stale(`it has no kernel ${name}`);
    const prefix = argExportPrefix(name);
    const count = globalValue(exports[`${prefix}COUNT`]);
    if (count === undefined) throw stale(`it does not declare the arguments of kernel ${name}`);
    if (count !== counts[name]) {
      throw stale(`kernel ${name} takes ${count} arguments, the TypeScript side declares ${counts[name]}`);
    }
    const names: string[] = new Array(count);
    for (const key of Object.keys(exports)) {
      if (!key.startsWith(prefix) || key === `${prefix}COUNT`) continue;
      const slot = globalValue(exports[key]);
      if (slot === undefined || !(slot >= 0 && slot < count) || names[slot] !== undefined) {
        throw new Error(`${module}: argument ${key} of kernel ${name} has slot ${slot} (expected a distinct slot < ${count})`);
      }
      names[slot] = key.slice(prefix.length);
    }
    for (let k = 0; k < count; k++) {
      if (names[k] === undefined) throw new Error(`${module}: kernel ${name} declares no argument in slot ${k}`);
    }
    layouts[name] = names;
  }
  return layouts;
}

/** The number in an exported i32 global (`WebAssembly.Global` or a `{ value }` stand-in). */
function globalValue(g: unknown): number | undefined {
  const v = typeof g === "object" && g !== null ? (g as { value?: unknown }).value : undefined;
  return typeof v === "number" ? v : undefined;
}
