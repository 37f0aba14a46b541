/* PDE_N2 integration (not yet implemented natively). */
static void pde_steps(void *ctx, int tid, int nth) {
  (void)ctx;
  (void)tid;
  (void)nth;
}
