/*
 * random.h — the one source of randomness in libmamori: the kernel's
 * generator through getrandom(2). Hash keys of tables whose keys an
 * attacker chooses, DNS query ids and the salt of password fingerprints
 * all come from here.
 *
 * There is no fallback. When the kernel cannot give random bytes (no
 * getrandom: a kernel before 3.17, or a seccomp filter that forbids it)
 * the call fails with MAMORI_E_IO and errno set, and the caller fails
 * too: a key made from the clock or an address would look random and
 * not be. The call may block only early at boot, until the kernel's
 * generator is seeded; after that it never does.
 *
 * Nothing here draws the eviction samples of bounded tables: those use
 * a fixed-seed generator of their own, so that a report is the same
 * every time it is made from the same input (see table.h).
 */
#ifndef MR_RANDOM_H
#define MR_RANDOM_H

#include <stddef.h>
#include <stdint.h>

#include "mamori/mamori.h"

/* Fills buf with n random bytes. MAMORI_OK, or MAMORI_E_IO (errno set)
 * when the kernel gives none; buf is then zeroed, never half-random. */
mamori_err mr_random_bytes(void *buf, size_t n);

/* One random 64-bit number; *out is 0 on failure. */
mamori_err mr_random_u64(uint64_t *out);

#endif
