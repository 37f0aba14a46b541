// Worker thread of the WebAssembly engine: instantiates the kernel module on the shared memory and
// runs kernel calls dispatched through the control block (see engine.ts for the protocol).
import { parentPort, workerData } from "node:worker_threads";

const { module, memory, ctlOffset, tid, names } = workerData;
const instance = new WebAssembly.Instance(module, {
  env: {
    memory,
    abort: () => {
      throw new Error("wasm abort");
    },
  },
});
const kernels = names.map((n) => instance.exports[n]);
const ctl = new Int32Array(memory.buffer, ctlOffset, 16);
// ctl: [0] sequence number, [1] kernel index, [2] args pointer, [3] thread count, [4] done count, [5] quit, [6] error flag
let seen = Atomics.load(ctl, 0);
parentPort.postMessage("ready");
for (;;) {
  let spins = 0;
  while (Atomics.load(ctl, 0) === seen) {
    if (++spins > 2000) Atomics.wait(ctl, 0, seen, 50);
  }
  seen = Atomics.load(ctl, 0);
  if (Atomics.load(ctl, 5) !== 0) break;
  const nth = Atomics.load(ctl, 3);
  if (tid < nth) {
    try {
      kernels[Atomics.load(ctl, 1)](tid, nth, Atomics.load(ctl, 2));
    } catch (e) {
      Atomics.store(ctl, 6, 1);
      parentPort.postMessage(String(e));
    }
    Atomics.add(ctl, 4, 1);
    Atomics.notify(ctl, 4);
  }
}
