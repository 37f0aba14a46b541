/*
 * A persistent thread pool: `threads − 1` worker threads created once; `ngnn_pool_run` runs a task
 * on `nth` threads (the caller is thread 0) and returns when all have finished. Idle workers spin
 * for a short while (kernels of one training step follow each other within microseconds), then
 * sleep on a condition variable.
 */
#ifndef NGNN_POOL_H
#define NGNN_POOL_H

#include <stdatomic.h>

#include "kernels.h"

typedef struct ngnn_pool ngnn_pool;

/** A pool of `threads` threads in all (≥ 1), or NULL when a thread cannot be created. */
ngnn_pool *ngnn_pool_create(int threads);
int ngnn_pool_threads(const ngnn_pool *p);
/** fn(ctx, tid, nth) for tid < nth (nth clamped to the pool's size); returns when all are done. */
void ngnn_pool_run(ngnn_pool *p, ngnn_task fn, void *ctx, int nth);
/** Stops and joins the workers and frees the pool. */
void ngnn_pool_destroy(ngnn_pool *p);

/** A spinning barrier for the nth threads of one task; zero-initialise before the task. */
typedef struct {
  atomic_int count;
  atomic_int generation;
} ngnn_barrier;
void ngnn_barrier_wait(ngnn_barrier *b, int nth);

#endif
