/**
 * The notebooks' small-scale numbers, and the bounds their tests assert, were measured with the AVX2
 * kernels. The native kernel sets round differently (fused multiply-add or not, lanes per sum), so
 * one seed trains a slightly different model on each, and a bound set on one realisation can fail on
 * another (README, "Development"). The notebook tests therefore pin the AVX2 kernels where the CPU has
 * them: the same numbers on any x86-64 CI machine. `npm test` checks every kernel set's values
 * against the reference.
 */
import { nativeIsas } from "../../src/kernels/native/addon.js";

if (nativeIsas().includes("avx2")) process.env.NEURAL_GNN_NATIVE_ISA ??= "avx2";
