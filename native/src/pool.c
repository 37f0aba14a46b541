/* The thread pool (pool.h): pthreads, a generation counter to start a task, a counter to end it. */
#include "pool.h"

#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <time.h>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define CPU_RELAX() _mm_pause()
#elif defined(__aarch64__)
#define CPU_RELAX() __asm__ __volatile__("yield")
#else
#define CPU_RELAX() ((void)0)
#endif

/** How long an idle worker spins (yielding now and then) before it sleeps: longer than the gaps
 * between a training step's kernels. */
#define SPIN_NS 100000L
/** Spins of a waiting thread between yields of its CPU (to a preempted worker, on a loaded machine). */
#define SPINS_PER_YIELD 1024u

typedef struct {
  ngnn_pool *pool;
  int tid;
  pthread_t thread;
} worker;

struct ngnn_pool {
  int threads;
  worker *workers;
  /* The task: written by the caller before `generation` is incremented. */
  ngnn_task fn;
  void *ctx;
  int nth;
  int stop;
  atomic_uint generation;
  atomic_int done;
  atomic_int sleepers;
  pthread_mutex_t mutex;
  pthread_cond_t wake;
};

static long now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000000000L + ts.tv_nsec;
}

/** Waits until the generation differs from `seen`: spins up to SPIN_NS, then sleeps. */
static unsigned wait_generation(ngnn_pool *p, unsigned seen) {
  long t0 = 0;
  for (unsigned spins = 0;; spins++) {
    unsigned g = atomic_load_explicit(&p->generation, memory_order_acquire);
    if (g != seen) return g;
    CPU_RELAX();
    if ((spins & 255) != 255) continue;
    if ((spins & (SPINS_PER_YIELD - 1)) == SPINS_PER_YIELD - 1) sched_yield();
    long t = now_ns();
    if (!t0) t0 = t;
    if (t - t0 < SPIN_NS) continue;
    pthread_mutex_lock(&p->mutex);
    atomic_fetch_add(&p->sleepers, 1);
    while ((g = atomic_load(&p->generation)) == seen) pthread_cond_wait(&p->wake, &p->mutex);
    atomic_fetch_sub(&p->sleepers, 1);
    pthread_mutex_unlock(&p->mutex);
    return g;
  }
}

static void *worker_main(void *arg) {
  worker *w = (worker *)arg;
  ngnn_pool *p = w->pool;
  unsigned seen = 0;
  for (;;) {
    seen = wait_generation(p, seen);
    if (p->stop) return NULL;
    if (w->tid < p->nth) {
      p->fn(p->ctx, w->tid, p->nth);
      atomic_fetch_add_explicit(&p->done, 1, memory_order_release);
    }
  }
}

/** Starts the current task on the workers (generation + 1, waking sleepers). */
static void publish(ngnn_pool *p) {
  atomic_fetch_add(&p->generation, 1);
  if (atomic_load(&p->sleepers) > 0) {
    pthread_mutex_lock(&p->mutex);
    pthread_cond_broadcast(&p->wake);
    pthread_mutex_unlock(&p->mutex);
  }
}

ngnn_pool *ngnn_pool_create(int threads) {
  if (threads < 1) threads = 1;
  ngnn_pool *p = (ngnn_pool *)calloc(1, sizeof *p);
  if (!p) return NULL;
  p->threads = threads;
  atomic_init(&p->generation, 0);
  atomic_init(&p->done, 0);
  atomic_init(&p->sleepers, 0);
  pthread_mutex_init(&p->mutex, NULL);
  pthread_cond_init(&p->wake, NULL);
  p->workers = (worker *)calloc((size_t)threads, sizeof(worker));
  if (!p->workers) {
    free(p);
    return NULL;
  }
  for (int t = 1; t < threads; t++) {
    p->workers[t].pool = p;
    p->workers[t].tid = t;
    if (pthread_create(&p->workers[t].thread, NULL, worker_main, &p->workers[t]) != 0) {
      p->threads = t; // join the ones started
      ngnn_pool_destroy(p);
      return NULL;
    }
  }
  return p;
}

int ngnn_pool_threads(const ngnn_pool *p) { return p->threads; }

void ngnn_pool_run(ngnn_pool *p, ngnn_task fn, void *ctx, int nth) {
  if (nth > p->threads) nth = p->threads;
  if (nth <= 1) {
    fn(ctx, 0, 1);
    return;
  }
  p->fn = fn;
  p->ctx = ctx;
  p->nth = nth;
  atomic_store(&p->done, 0);
  publish(p);
  fn(ctx, 0, nth);
  for (unsigned spins = 0; atomic_load_explicit(&p->done, memory_order_acquire) < nth - 1; spins++) {
    CPU_RELAX();
    if ((spins & (SPINS_PER_YIELD - 1)) == SPINS_PER_YIELD - 1) sched_yield();
  }
}

void ngnn_pool_destroy(ngnn_pool *p) {
  if (!p) return;
  p->stop = 1;
  publish(p);
  for (int t = 1; t < p->threads; t++) pthread_join(p->workers[t].thread, NULL);
  pthread_mutex_destroy(&p->mutex);
  pthread_cond_destroy(&p->wake);
  free(p->workers);
  free(p);
}

void ngnn_barrier_wait(ngnn_barrier *b, int nth) {
  if (nth <= 1) return;
  int gen = atomic_load(&b->generation);
  if (atomic_fetch_add(&b->count, 1) == nth - 1) {
    atomic_store(&b->count, 0);
    atomic_fetch_add(&b->generation, 1);
    return;
  }
  for (unsigned spins = 0; atomic_load(&b->generation) == gen; spins++) {
    CPU_RELAX();
    if ((spins & (SPINS_PER_YIELD - 1)) == SPINS_PER_YIELD - 1) sched_yield();
  }
}
