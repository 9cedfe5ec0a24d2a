/*
 * random.c — see random.h. getrandom(2) without flags: it reads the
 * same generator as /dev/urandom but needs no file descriptor (a PAM
 * module may run where /dev is not mounted, or with descriptors
 * exhausted) and waits for the generator to be seeded at boot instead
 * of returning weak bytes.
 */
#include "common.h"

#include <sys/random.h>

#include "util/random.h"

mamori_err mr_random_bytes(void *buf, size_t n)
{
    unsigned char *p = buf;
    size_t got = 0;
    while (got < n) {
        /* Up to 256 bytes are returned whole; larger asks may come back
         * in parts, or be cut by a signal. */
        ssize_t r = getrandom(p + got, n - got, 0);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            int saved = errno;
            memset(buf, 0, n);
            errno = saved;
            return MAMORI_E_IO;
        }
        got += (size_t)r;
    }
    return MAMORI_OK;
}

mamori_err mr_random_u64(uint64_t *out)
{
    *out = 0;
    return mr_random_bytes(out, sizeof(*out));
}
