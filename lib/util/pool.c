/*
 * pool.c — see pool.h. A ring of opts.inflight entries holds the jobs in
 * the pool, oldest at `head`. Jobs start in ring order, so the ring is
 * cut in two: the first `started` entries from head are running or done,
 * the rest wait. A worker takes the first waiting entry; the caller takes
 * back the head once it is done. One mutex guards the ring and two
 * conditions: `work` (a job is waiting, or stop) for the workers and
 * `done` (a job finished) for the caller, the only thread that waits on
 * it, so signals never need to be broadcasts.
 */
#include "common.h"

#include <pthread.h>
#include <sched.h>
#include <unistd.h>

#include "util/pool.h"

enum { JOB_WAITING = 0, JOB_RUNNING, JOB_DONE };

typedef struct ring_entry {
    void *job;
    mamori_err status;
    int state;
} ring_entry;

typedef struct pool_worker {
    mr_pool *p;
    unsigned index;
    pthread_t thread;
} pool_worker;

struct mr_pool {
    mr_pool_opts o;
    ring_entry *ring;
    size_t head;              /* oldest job in the pool (caller only) */
    size_t count;             /* jobs in the pool (caller only) */
    size_t started;           /* of them, running or done, from head */
    int cancelled, stopping;
    unsigned nworkers;        /* threads started */
    pool_worker workers[MR_POOL_THREADS_MAX];
    pthread_mutex_t mu;
    pthread_cond_t work, done;
};

/* Marks every waiting job done and cancelled. Lock held. */
static void cancel_locked(mr_pool *p)
{
    p->cancelled = 1;
    for (; p->started < p->count; p->started++) {
        ring_entry *r = &p->ring[(p->head + p->started) % p->o.inflight];
        r->state = JOB_DONE;
        r->status = MAMORI_E_ABORTED;
    }
}

/* Takes the first waiting job and runs it as `worker`, dropping the lock
 * meanwhile. Lock held, a job waiting. */
static void run_one(mr_pool *p, unsigned worker)
{
    ring_entry *r = &p->ring[(p->head + p->started) % p->o.inflight];
    p->started++;
    r->state = JOB_RUNNING;
    pthread_mutex_unlock(&p->mu);
    mamori_err st = p->o.run(r->job, worker, p->o.user);
    pthread_mutex_lock(&p->mu);
    /* r cannot have moved: the caller takes back only done jobs. */
    r->status = st;
    r->state = JOB_DONE;
    if (st != MAMORI_OK && p->o.stop_on_error)
        cancel_locked(p);
}

static void *worker_main(void *arg)
{
    pool_worker *w = arg;
    mr_pool *p = w->p;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (!p->stopping && p->started == p->count)
            pthread_cond_wait(&p->work, &p->mu);
        if (p->stopping)
            break;
        run_one(p, w->index);
        pthread_cond_signal(&p->done);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

mamori_err mr_pool_new(const mr_pool_opts *opts, mr_pool **out)
{
    *out = NULL;
    if (!opts->run || opts->workers > MR_POOL_THREADS_MAX ||
        opts->inflight == 0 || opts->inflight > MR_POOL_INFLIGHT_MAX)
        return MAMORI_E_INVAL;
    mr_pool *p = calloc(1, sizeof(*p));
    if (!p)
        return MAMORI_E_NOMEM;
    p->o = *opts;
    if (!(p->ring = calloc(opts->inflight, sizeof(*p->ring)))) {
        free(p);
        return MAMORI_E_NOMEM;
    }
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->work, NULL);
    pthread_cond_init(&p->done, NULL);
    for (unsigned i = 0; i < opts->workers; i++) {
        pool_worker *w = &p->workers[p->nworkers];
        w->p = p;
        w->index = i;
        if (pthread_create(&w->thread, NULL, worker_main, w) != 0)
            break; /* fewer threads; the caller covers for them */
        p->nworkers++;
    }
    *out = p;
    return MAMORI_OK;
}

void mr_pool_free(mr_pool *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->mu);
    cancel_locked(p);
    p->stopping = 1;
    pthread_cond_broadcast(&p->work);
    pthread_mutex_unlock(&p->mu);
    for (unsigned i = 0; i < p->nworkers; i++)
        pthread_join(p->workers[i].thread, NULL);
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->work);
    pthread_cond_destroy(&p->done);
    free(p->ring);
    free(p);
}

mamori_err mr_pool_submit(mr_pool *p, void *job)
{
    if (p->count == p->o.inflight)
        return MAMORI_E_INVAL;
    pthread_mutex_lock(&p->mu);
    ring_entry *r = &p->ring[(p->head + p->count) % p->o.inflight];
    r->job = job;
    r->status = MAMORI_OK;
    r->state = JOB_WAITING;
    p->count++;
    if (p->cancelled)
        cancel_locked(p);
    else if (p->nworkers)
        pthread_cond_signal(&p->work);
    pthread_mutex_unlock(&p->mu);
    return MAMORI_OK;
}

void *mr_pool_next(mr_pool *p, mamori_err *status)
{
    if (p->count == 0) {
        if (status)
            *status = MAMORI_OK;
        return NULL;
    }
    int helps = p->o.caller_helps || p->nworkers == 0;
    pthread_mutex_lock(&p->mu);
    ring_entry *r = &p->ring[p->head];
    while (r->state != JOB_DONE) {
        if (helps && p->started < p->count)
            run_one(p, p->o.workers);
        else
            pthread_cond_wait(&p->done, &p->mu);
    }
    void *job = r->job;
    if (status)
        *status = r->status;
    p->head = (p->head + 1) % p->o.inflight;
    p->count--;
    p->started--;
    pthread_mutex_unlock(&p->mu);
    return job;
}

void mr_pool_cancel(mr_pool *p)
{
    pthread_mutex_lock(&p->mu);
    cancel_locked(p);
    pthread_mutex_unlock(&p->mu);
}

int mr_pool_full(const mr_pool *p) { return p->count == p->o.inflight; }
size_t mr_pool_pending(const mr_pool *p) { return p->count; }
unsigned mr_pool_workers(const mr_pool *p) { return p->nworkers; }

/* CPUs this process may run on: its affinity mask (taskset, a container's
 * cpuset), else the online count. */
static unsigned usable_cpus(void)
{
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof(set), &set) == 0) {
        int n = CPU_COUNT(&set);
        if (n > 0)
            return (unsigned)n;
    }
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (unsigned)n : 1;
}

unsigned mr_pool_cpu_threads(unsigned asked)
{
    unsigned cpus = usable_cpus();
    if (asked == 0 || asked > cpus)
        asked = cpus;
    return MR_MIN(asked, (unsigned)MR_POOL_THREADS_MAX + 1);
}
