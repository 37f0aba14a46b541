// bench siren: the SIREN Ω*'s forward, backward and Adam step per kernel set, thread count and P.
import { join } from "node:path";
import { FIG3_SIREN, isaOption, root, round, threads } from "./options.js";

/** SirenLearner's passes at Figure 3's size: median ms of forward, forward + backward, and the whole step. */
export async function benchSiren() {
  const { initSiren } = await import(join(root, "dist/model/siren.js"));
  const { SirenLearner } = await import(join(root, "dist/model/siren-learner.js"));
  const { referenceSirenKernels } = await import(join(root, "dist/kernels/siren.js"));
  const { nativeBackend } = await import(join(root, "dist/kernels/native/backend.js"));
  const { loadNative } = await import(join(root, "dist/kernels/native/addon.js"));
  const threadCounts = threads ? [threads] : [1, 2];
  const sets = [];
  const isas = await isaOption("siren");
  if ("addon" in loadNative())
    for (const t of threadCounts)
      for (const isa of isas) sets.push({ name: "native", t, make: () => nativeBackend({ threads: t, isa }) });
  else console.error("native backend skipped: addon not available");
  const { WasmEngine } = await import(join(root, "dist/kernels/wasm/engine.js"));
  const { wasmSirenKernels } = await import(join(root, "dist/kernels/wasm/siren.js"));
  for (const t of threadCounts) {
    const engine = await WasmEngine.create({ threads: t });
    sets.push({ name: "wasm", t, make: () => ({ siren: wasmSirenKernels(engine), close() {} }), engine });
  }
  sets.push({ name: "reference-f32", t: 1, make: () => ({ siren: referenceSirenKernels("f32"), close() {} }) });
  for (const set of sets) {
    for (const width of [32, 16]) {
      const be = set.make();
      const learner = new SirenLearner(initSiren(FIG3_SIREN, 1), width, 50000, 1e-5, be.siren);
      const dOmega = new Float32Array(width * width).fill(1e-3);
      const reps = set.name === "reference-f32" ? 4 : 40;
      const t = { fwd: [], fwdBwd: [], step: [] };
      for (let it = 0; it < reps + 2; it++) {
        const t0 = performance.now();
        learner.forward([it * 7]);
        const t1 = performance.now();
        learner.backward(dOmega);
        const t2 = performance.now();
        learner.step();
        const t3 = performance.now();
        if (it < 2) continue;
        t.fwd.push(t1 - t0);
        t.fwdBwd.push(t2 - t0);
        t.step.push(t3 - t0);
      }
      const med = (a) => round(a.sort((x, y) => x - y)[Math.floor(a.length / 2)]);
      const isa = be.isa ? { isa: be.isa } : {};
      const row = { bench: "siren", backend: set.name, ...isa, threads: set.t, P: width * width, hidden: 128, layers: 7 };
      console.log(JSON.stringify({ ...row, ms_forward: med(t.fwd), ms_forward_backward: med(t.fwdBwd), ms_step: med(t.step) }));
      be.close();
    }
    await set.engine?.close();
  }
}
