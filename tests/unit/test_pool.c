/*
 * test_pool.c — the ordered work queue (util/pool.h): jobs come back in
 * submission order whatever the thread count (0..8 workers, with and
 * without the caller helping) and however long each job takes; never
 * more than `inflight` jobs in the pool; errors and cancellation hand
 * the rest back unrun; the caller-thread mode runs everything on the
 * caller; and the CPU cap of mr_pool_cpu_threads.
 */
#include "common.h"

#include <pthread.h>
#include <setjmp.h>
#include <stdatomic.h>
#include <time.h>

#include <cmocka.h>

#include "util/pool.h"

#define JOBS 600

typedef struct job {
    size_t index;
    size_t out;            /* index * 3 + 1 once run */
    unsigned worker;
    int runs;
    pthread_t thread;
} job;

typedef struct ctx {
    atomic_int running, most_running;
    atomic_int ran;
    size_t fail_at;        /* job index whose run fails; SIZE_MAX none */
    unsigned workers;
} ctx;

/* A few microseconds of work that differ from job to job, so jobs
 * finish out of order. */
static void busy(size_t i)
{
    struct timespec ts = {0, (long)((i * 7919) % 97) * 1000};
    nanosleep(&ts, NULL);
}

static mamori_err run(void *p, unsigned worker, void *user)
{
    job *j = p;
    ctx *c = user;
    int now = atomic_fetch_add(&c->running, 1) + 1;
    int most = atomic_load(&c->most_running);
    while (now > most && !atomic_compare_exchange_weak(&c->most_running, &most, now))
        ;
    busy(j->index);
    j->out = j->index * 3 + 1;
    j->worker = worker;
    j->runs++;
    j->thread = pthread_self();
    atomic_fetch_add(&c->ran, 1);
    atomic_fetch_sub(&c->running, 1);
    return j->index == c->fail_at ? MAMORI_E_CORRUPT : MAMORI_OK;
}

/* Submits JOBS jobs through a ring of `inflight` slots, taking the oldest
 * back whenever the pool is full, and checks the order it comes back in. */
static void ordered_run(unsigned workers, int helps, size_t inflight)
{
    ctx c = {.fail_at = SIZE_MAX, .workers = workers};
    job *ring = calloc(inflight, sizeof(*ring));
    assert_non_null(ring);
    mr_pool_opts o = {.workers = workers, .inflight = inflight,
                      .caller_helps = helps, .run = run, .user = &c};
    mr_pool *p;
    assert_int_equal(mr_pool_new(&o, &p), MAMORI_OK);
    size_t expect = 0;
    for (size_t i = 0; i < JOBS; i++) {
        if (mr_pool_full(p)) {
            assert_int_equal(mr_pool_submit(p, &ring[0]), MAMORI_E_INVAL);
            mamori_err st;
            job *j = mr_pool_next(p, &st);
            assert_non_null(j);
            assert_int_equal(st, MAMORI_OK);
            assert_int_equal(j->index, expect);
            assert_int_equal(j->out, expect * 3 + 1);
            assert_int_equal(j->runs, 1);
            assert_true(j->worker <= workers);
            assert_ptr_equal(j, &ring[expect % inflight]);
            expect++;
        }
        assert_true(mr_pool_pending(p) < inflight);
        job *j = &ring[i % inflight];
        *j = (job){.index = i};
        assert_int_equal(mr_pool_submit(p, j), MAMORI_OK);
    }
    mamori_err st;
    job *j;
    while ((j = mr_pool_next(p, &st))) {
        assert_int_equal(st, MAMORI_OK);
        assert_int_equal(j->index, expect);
        assert_int_equal(j->out, expect * 3 + 1);
        expect++;
    }
    assert_int_equal(expect, JOBS);
    assert_int_equal(atomic_load(&c.ran), JOBS);
    assert_int_equal(mr_pool_pending(p), 0);
    /* Never more at once than the threads there are. */
    assert_true(atomic_load(&c.most_running) <= (int)workers + (helps || !workers));
    mr_pool_free(p);
    free(ring);
}

static void order_any_thread_count(void **state)
{
    (void)state;
    for (unsigned w = 0; w <= 8; w++) {
        ordered_run(w, 0, 1);
        ordered_run(w, 0, 2 * (size_t)w + 1);
        ordered_run(w, 1, 2 * (size_t)w + 2);
        ordered_run(w, 1, 16);
    }
}

static void caller_thread_mode(void **state)
{
    (void)state;
    ctx c = {.fail_at = SIZE_MAX};
    job jobs[4] = {{.index = 0}, {.index = 1}, {.index = 2}, {.index = 3}};
    mr_pool_opts o = {.workers = 0, .inflight = 4, .run = run, .user = &c};
    mr_pool *p;
    assert_int_equal(mr_pool_new(&o, &p), MAMORI_OK);
    assert_int_equal(mr_pool_workers(p), 0);
    for (int i = 0; i < 4; i++)
        assert_int_equal(mr_pool_submit(p, &jobs[i]), MAMORI_OK);
    assert_true(mr_pool_full(p));
    /* Nothing runs until the caller asks: no thread to run it. */
    assert_int_equal(atomic_load(&c.ran), 0);
    for (int i = 0; i < 4; i++) {
        job *j = mr_pool_next(p, NULL);
        assert_ptr_equal(j, &jobs[i]);
        assert_int_equal(j->runs, 1);
        assert_int_equal(j->worker, 0);
        assert_true(pthread_equal(j->thread, pthread_self()));
    }
    assert_null(mr_pool_next(p, NULL));
    mr_pool_free(p);
}

/* A failing job's error comes back with it; with stop_on_error the jobs
 * after it that had not started come back unrun as MAMORI_E_ABORTED, and
 * every job comes back exactly once, in order. */
static void errors(void **state)
{
    (void)state;
    for (unsigned w = 0; w <= 4; w++) {
        for (int stop = 0; stop <= 1; stop++) {
            enum { N = 64 };
            ctx c = {.fail_at = 20};
            job jobs[N];
            mr_pool_opts o = {.workers = w, .inflight = N, .caller_helps = 1,
                              .stop_on_error = stop, .run = run, .user = &c};
            mr_pool *p;
            assert_int_equal(mr_pool_new(&o, &p), MAMORI_OK);
            for (size_t i = 0; i < N; i++) {
                jobs[i] = (job){.index = i};
                assert_int_equal(mr_pool_submit(p, &jobs[i]), MAMORI_OK);
            }
            int aborted = 0;
            for (size_t i = 0; i < N; i++) {
                mamori_err st;
                job *j = mr_pool_next(p, &st);
                assert_ptr_equal(j, &jobs[i]);
                if (i < 20) {
                    assert_int_equal(st, MAMORI_OK);
                } else if (i == 20) {
                    assert_int_equal(st, MAMORI_E_CORRUPT);
                } else if (!stop) {
                    assert_int_equal(st, MAMORI_OK);
                } else {
                    assert_true(st == MAMORI_OK || st == MAMORI_E_ABORTED);
                    if (st == MAMORI_E_ABORTED) {
                        assert_int_equal(j->runs, 0);
                        aborted++;
                    } else {
                        assert_int_equal(j->runs, 1);
                    }
                }
            }
            /* Caller-thread mode runs in order, so all after it stop. */
            if (stop && w == 0)
                assert_int_equal(aborted, N - 21);
            if (!stop)
                assert_int_equal(atomic_load(&c.ran), N);
            mr_pool_free(p);
        }
    }
}

/* Cancel: what has not started, and whatever is submitted after, comes
 * back unrun. */
static void cancel(void **state)
{
    (void)state;
    enum { N = 32 };
    for (unsigned w = 0; w <= 3; w++) {
        ctx c = {.fail_at = SIZE_MAX};
        job jobs[N];
        mr_pool_opts o = {.workers = w, .inflight = N, .run = run, .user = &c};
        mr_pool *p;
        assert_int_equal(mr_pool_new(&o, &p), MAMORI_OK);
        for (size_t i = 0; i < N / 2; i++) {
            jobs[i] = (job){.index = i};
            mr_pool_submit(p, &jobs[i]);
        }
        mr_pool_cancel(p);
        for (size_t i = N / 2; i < N; i++) {
            jobs[i] = (job){.index = i};
            mr_pool_submit(p, &jobs[i]);
        }
        for (size_t i = 0; i < N; i++) {
            mamori_err st;
            job *j = mr_pool_next(p, &st);
            assert_ptr_equal(j, &jobs[i]);
            if (i >= N / 2 || st == MAMORI_E_ABORTED) {
                assert_int_equal(st, MAMORI_E_ABORTED);
                assert_int_equal(j->runs, 0);
            } else {
                assert_int_equal(st, MAMORI_OK);
                assert_int_equal(j->runs, 1);
            }
        }
        if (w == 0) /* nothing had started: all unrun */
            assert_int_equal(atomic_load(&c.ran), 0);
        mr_pool_free(p);
    }
}

/* Freeing a pool with jobs still in it waits for the running ones and
 * forgets the rest; nothing hangs. */
static void free_with_jobs_inside(void **state)
{
    (void)state;
    enum { N = 16 };
    for (unsigned w = 0; w <= 4; w++) {
        ctx c = {.fail_at = SIZE_MAX};
        job jobs[N];
        mr_pool_opts o = {.workers = w, .inflight = N, .run = run, .user = &c};
        mr_pool *p;
        assert_int_equal(mr_pool_new(&o, &p), MAMORI_OK);
        for (size_t i = 0; i < N; i++) {
            jobs[i] = (job){.index = i};
            mr_pool_submit(p, &jobs[i]);
        }
        mr_pool_free(p);
        assert_true(atomic_load(&c.ran) <= N);
        assert_int_equal(atomic_load(&c.running), 0);
    }
}

static void bad_options(void **state)
{
    (void)state;
    ctx c = {0};
    mr_pool *p = (mr_pool *)1;
    mr_pool_opts o = {.workers = 1, .inflight = 0, .run = run, .user = &c};
    assert_int_equal(mr_pool_new(&o, &p), MAMORI_E_INVAL);
    assert_null(p);
    o.inflight = MR_POOL_INFLIGHT_MAX + 1;
    assert_int_equal(mr_pool_new(&o, &p), MAMORI_E_INVAL);
    o.inflight = 1;
    o.workers = MR_POOL_THREADS_MAX + 1;
    assert_int_equal(mr_pool_new(&o, &p), MAMORI_E_INVAL);
    o.workers = 1;
    o.run = NULL;
    assert_int_equal(mr_pool_new(&o, &p), MAMORI_E_INVAL);
    mr_pool_free(NULL);
}

static void cpu_threads(void **state)
{
    (void)state;
    unsigned all = mr_pool_cpu_threads(0);
    assert_true(all >= 1);
    assert_int_equal(mr_pool_cpu_threads(1), 1);
    /* More than the CPUs is cut to them. */
    assert_int_equal(mr_pool_cpu_threads(all + 7), all);
    assert_int_equal(mr_pool_cpu_threads(100000), all);
    assert_true(all <= MR_POOL_THREADS_MAX + 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(order_any_thread_count),
        cmocka_unit_test(caller_thread_mode),
        cmocka_unit_test(errors),
        cmocka_unit_test(cancel),
        cmocka_unit_test(free_with_jobs_inside),
        cmocka_unit_test(bad_options),
        cmocka_unit_test(cpu_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
