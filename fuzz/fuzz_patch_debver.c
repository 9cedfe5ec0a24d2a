/*
 * fuzz_patch_debver.c — arbitrary bytes as two Debian versions (split at
 * the first space, as `mamori patch --compare-versions` reads a line),
 * in Debian's order and in RPM's: parsing and comparison must never read
 * past either span, and each order must be an order: cmp(a, b) ==
 * -cmp(b, a), cmp(a, a) == 0.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mamori/patch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    const char *sp = memchr(s, ' ', size);
    size_t an = sp ? (size_t)(sp - s) : size;
    const char *b = sp ? sp + 1 : s;
    size_t bn = sp ? size - an - 1 : size;
    /* Copies of exactly the span's length, so ASan sees an overread. */
    char *ca = malloc(an ? an : 1), *cb = malloc(bn ? bn : 1);
    if (!ca || !cb)
        abort();
    memcpy(ca, s, an);
    memcpy(cb, b, bn);
    mamori_debversion va, vb;
    if (mamori_debversion_parse(ca, an, &va, NULL) == MAMORI_OK &&
        mamori_debversion_parse(cb, bn, &vb, NULL) == MAMORI_OK) {
        int ab = mamori_debversion_cmp(&va, &vb);
        int ba = mamori_debversion_cmp(&vb, &va);
        if (ab != -ba || mamori_debversion_cmp(&va, &va) != 0)
            abort();
    }
    int ab = 0, ba = 0, aa = 1;
    mamori_rpmversion_compare(ca, an, cb, bn, &ab);
    mamori_rpmversion_compare(cb, bn, ca, an, &ba);
    mamori_rpmversion_compare(ca, an, ca, an, &aa);
    if (ab != -ba || aa != 0 || ab < -1 || ab > 1)
        abort();
    free(ca);
    free(cb);
    return 0;
}
