/*
 * pool.h — the one ordered work queue of libmamori: jobs go in in order,
 * worker threads run them in any order, and they come back out in the
 * order they went in. That is what keeps findings and line numbers the
 * same whatever the thread count: logscan and authscan submit chunks of
 * a file, dns submits domains, and each merges the results strictly in
 * submission order on its own (calling) thread.
 *
 *   caller ──submit──▶ [queue, at most `inflight`] ──▶ workers
 *   caller ◀──next──── oldest job, once it has run
 *
 * Bounded: at most opts.inflight jobs are in the pool (submitted and
 * not yet taken back with mr_pool_next); when mr_pool_full() says so the
 * caller takes the oldest back before submitting more. So memory stays
 * at `inflight` jobs whatever the input, and the caller never blocks on
 * submit (it is also the one that consumes: a blocking submit would
 * deadlock).
 *
 * Threads: opts.workers worker threads, numbered 0..workers-1. With
 * opts.caller_helps the calling thread, while it waits for the oldest
 * job, runs queued jobs itself as worker number opts.workers (so a
 * per-thread state array needs workers + 1 entries). With no worker
 * (workers 0, or none could be started) every job runs on the caller
 * inside mr_pool_next: the caller-thread mode of -j 1, with no thread and
 * no contention.
 *
 * Errors: a job's function returns a mamori_err, handed back with the job
 * by mr_pool_next. mr_pool_cancel() (or, with opts.stop_on_error, the
 * first job that fails) cancels every job not yet started and every job
 * submitted after: they come back from mr_pool_next unrun, with
 * MAMORI_E_ABORTED, so the caller can still free them. Cancelling is
 * final for the pool.
 *
 * Ownership: the pool never owns jobs; a job must stay valid until it
 * comes back from mr_pool_next. Only one thread, the caller, may call
 * submit/next/cancel/full/pending.
 */
#ifndef MR_POOL_H
#define MR_POOL_H

#include <stddef.h>

#include "mamori/mamori.h"

#define MR_POOL_THREADS_MAX 256      /* worker threads, the caller aside
                                      * (dns runs up to 256 checks at once) */
#define MR_POOL_INFLIGHT_MAX 4096    /* jobs in the pool at once */

typedef struct mr_pool mr_pool;

/* Runs one job; `worker` says which thread (see above). Called with no
 * lock held; jobs run concurrently, each job once. */
typedef mamori_err (*mr_pool_fn)(void *job, unsigned worker, void *user);

typedef struct mr_pool_opts {
    unsigned workers;      /* worker threads, at most MR_POOL_THREADS_MAX */
    size_t inflight;       /* jobs in the pool at once, 1..INFLIGHT_MAX */
    int caller_helps;      /* the caller runs queued jobs while it waits */
    int stop_on_error;     /* a failed job cancels the jobs after it */
    mr_pool_fn run;
    void *user;            /* passed to run */
} mr_pool_opts;

/* Starts the workers. MAMORI_E_INVAL for bad options, MAMORI_E_NOMEM.
 * Threads that cannot be started are done without (at worst the caller
 * runs everything). */
mamori_err mr_pool_new(const mr_pool_opts *opts, mr_pool **out);
/* Cancels what has not started, waits for running jobs, joins the
 * threads and frees the pool. Jobs not taken back are simply forgotten:
 * drain with mr_pool_next first if they hold anything. NULL is a no-op. */
void mr_pool_free(mr_pool *p);

/* Adds a job behind the others. MAMORI_E_INVAL when the pool is full. */
mamori_err mr_pool_submit(mr_pool *p, void *job);
/* The oldest job, once it has run (or been cancelled), out of the pool;
 * its function's result in *status. NULL when the pool is empty. */
void *mr_pool_next(mr_pool *p, mamori_err *status);
/* Cancels every job not yet started, and every later one (see above). */
void mr_pool_cancel(mr_pool *p);

/* Is the pool at opts.inflight (take one back before submitting)? */
int mr_pool_full(const mr_pool *p);
/* Jobs in the pool: submitted and not yet taken back. */
size_t mr_pool_pending(const mr_pool *p);
/* Worker threads actually running (0: everything runs on the caller). */
unsigned mr_pool_workers(const mr_pool *p);

/* The thread count for CPU-bound work asked as `asked` (the caller's
 * thread included): 0 means one per CPU this process may run on, and a
 * larger number than that is cut to it, since threads beyond the cores
 * only queue for them (-j16 on 2 cores ran 4x slower than -j8). At least
 * 1, at most MR_POOL_THREADS_MAX + 1. */
unsigned mr_pool_cpu_threads(unsigned asked);

#endif
