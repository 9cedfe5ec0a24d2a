/*
 * allocshim.c — the allocation-failure switch of the unit tests, in the
 * manner of curl's torture runs (runtests.pl -t). Linked into every unit
 * test with -Wl,--wrap=malloc,... so each allocation made by the library
 * or the test (not by libc or other shared libraries internally) passes
 * through here:
 *   MAMORI_FAIL_ALLOC=N         the Nth allocation (from 1) returns NULL
 *                               with errno ENOMEM; the others succeed
 *   MAMORI_ALLOC_COUNT_FILE=F   at exit, the number of allocations made is
 *                               written to F (a decimal and a newline)
 * Neither set: every call goes straight through, at the cost of one atomic
 * increment. tests/tools/allocfail.sh drives it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

void *__real_malloc(size_t n);
void *__real_calloc(size_t k, size_t n);
void *__real_realloc(void *p, size_t n);
void *__real_reallocarray(void *p, size_t k, size_t n);
char *__real_strdup(const char *s);
char *__real_strndup(const char *s, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t k, size_t n);
void *__wrap_realloc(void *p, size_t n);
void *__wrap_reallocarray(void *p, size_t k, size_t n);
char *__wrap_strdup(const char *s);
char *__wrap_strndup(const char *s, size_t n);

/* Longest decimal the count file or the variable holds. */
#define ALLOCSHIM_NUM_MAX 24

static unsigned long long alloc_calls;     /* atomic: threads allocate too */
static long long fail_at = -1;             /* -1: not read yet, 0: never */

/* Reads MAMORI_FAIL_ALLOC once; a race between threads reads it twice
 * to the same value, which is harmless. */
static long long fail_target(void)
{
    long long t = __atomic_load_n(&fail_at, __ATOMIC_RELAXED);
    if (t >= 0)
        return t;
    const char *v = getenv("MAMORI_FAIL_ALLOC");
    t = 0;
    for (size_t i = 0; v && v[i] && i < ALLOCSHIM_NUM_MAX; i++) {
        if (v[i] < '0' || v[i] > '9') {
            t = 0;
            break;
        }
        t = t * 10 + (v[i] - '0');
    }
    __atomic_store_n(&fail_at, t, __ATOMIC_RELAXED);
    return t;
}

/* True when this call is the one to fail. */
static int should_fail(void)
{
    unsigned long long n = __atomic_add_fetch(&alloc_calls, 1, __ATOMIC_RELAXED);
    long long t = fail_target();
    if (t > 0 && n == (unsigned long long)t) {
        errno = ENOMEM;
        return 1;
    }
    return 0;
}

void *__wrap_malloc(size_t n)
{
    return should_fail() ? NULL : __real_malloc(n);
}

void *__wrap_calloc(size_t k, size_t n)
{
    return should_fail() ? NULL : __real_calloc(k, n);
}

void *__wrap_realloc(void *p, size_t n)
{
    return should_fail() ? NULL : __real_realloc(p, n);
}

void *__wrap_reallocarray(void *p, size_t k, size_t n)
{
    return should_fail() ? NULL : __real_reallocarray(p, k, n);
}

char *__wrap_strdup(const char *s)
{
    return should_fail() ? NULL : __real_strdup(s);
}

char *__wrap_strndup(const char *s, size_t n)
{
    return should_fail() ? NULL : __real_strndup(s, n);
}

/* Writes the count without stdio (which would allocate). */
__attribute__((destructor)) static void report_count(void)
{
    const char *path = getenv("MAMORI_ALLOC_COUNT_FILE");
    if (!path || !*path)
        return;
    char buf[ALLOCSHIM_NUM_MAX];
    size_t len = sizeof buf;
    unsigned long long n = __atomic_load_n(&alloc_calls, __ATOMIC_RELAXED);
    buf[--len] = '\n';
    do {
        buf[--len] = (char)('0' + n % 10);
        n /= 10;
    } while (n && len > 0);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        return;
    ssize_t w = write(fd, buf + len, sizeof buf - len);
    (void)w;
    close(fd);
}
