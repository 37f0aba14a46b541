// Entry point of the kernel module: re-exports every kernel and the heap base.
export { adam, messages, messagesBackward, mlpBackward, mlpForward } from "./model";
export { pdeN2Steps, tanhInit } from "./simulate";

/** First byte of memory free for the host to lay out arrays in. */
export function heapBase(): usize {
  return __heap_base;
}
