// Entry point of the kernel module: re-exports every kernel, the heap base and the argument
// declarations (each member becomes an exported global, "MlpForwardArg.S" = 0, …, from which the
// engine takes the slot order, checking it against args.ts as compiled into the host at startup).
export * from "./args";
export { adam, messages, messagesBackward } from "./model";
export { mlpBackward, mlpForward } from "./mlp";
export { pwlBackward, pwlForward } from "./pwl";
export { pdeN2Steps, tanhInit } from "./simulate";
export { sirenBackwardPoints, sirenBackwardRows, sirenForward } from "./siren";

/** First byte of memory free for the host to lay out arrays in. */
export function heapBase(): usize {
  return __heap_base;
}
