/**
 * A backend that runs each MLP on the fast backend when its kernels take the MLP's widths, and on
 * a fallback (the float32 reference) otherwise; the messages, their backward pass and Adam (the
 * W part, N² per step) always run on the fast one. Figure 3's psi* has 5 layers
 * ([3, 64, 64, 64, 64, 1]) while the fast MLP kernels are fused for [in, H, H, 1]: with this, such
 * a model still gets the fast W kernels. Both backends must accept each other's arrays (Float32Array).
 */
import type { Arr, Backend, MlpShape } from "./backend.js";

export function mixedBackend(fast: Backend, fallback: Backend, takes: (shape: MlpShape) => boolean): Backend {
  const on = (shape: MlpShape) => (takes(shape) ? fast : fallback);
  const b: Backend = {
    name: `${fast.name}+${fallback.name}-mlp`,
    alloc: (n: number): Arr => fast.alloc(n),
    ...(fast.siren ? { siren: fast.siren } : {}),
    mlpForward: (shape, layers, X, S, acts, y) => on(shape).mlpForward(shape, layers, X, S, acts, y),
    mlpBackward: (shape, layers, X, S, acts, dy, grads, dX) => on(shape).mlpBackward(shape, layers, X, S, acts, dy, grads, dX),
    messages: (W, P, B, N, M) => fast.messages(W, P, B, N, M),
    messagesBackward: (W, G, P, B, N, dW, dP) => fast.messagesBackward(W, G, P, B, N, dW, dP),
    adam: (p, g, m, v, lr, beta1, beta2, eps, t) => fast.adam(p, g, m, v, lr, beta1, beta2, eps, t),
  };
  const fused = fast.messagesBackwardAdamW?.bind(fast);
  if (fused) b.messagesBackwardAdamW = fused;
  return b;
}
