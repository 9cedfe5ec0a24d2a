/*
 * grow.h — the one way an array grows: to max(need, twice its capacity)
 * elements (or `first` for an empty one), with the multiplication by the
 * element size checked, so that no count read from input can wrap the
 * size passed to realloc and leave a small buffer behind a large count.
 *
 * Ownership: *arrp is the caller's malloc'd array (or NULL); on success
 * it may have moved and *cap is the new capacity; on failure both are
 * unchanged and the array is still the caller's to free.
 *
 *     if (MR_GROW(&v->items, &v->cap, v->n + 1, 64))
 *         return MAMORI_E_NOMEM;
 *     v->items[v->n++] = x;
 */
#ifndef MR_GROW_H
#define MR_GROW_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mamori/mamori.h"

/* a * b into *out; 0, or -1 (and *out SIZE_MAX) when it would wrap. */
static inline int mr_mul_size(size_t a, size_t b, size_t *out)
{
    if (__builtin_mul_overflow(a, b, out)) {
        *out = SIZE_MAX;
        return -1;
    }
    return 0;
}

/* Room for `need` elements of `elem` bytes in the array *arrp (any
 * object pointer, passed by address) of *cap elements, never more than
 * `max` elements (0: no bound but size_t). MAMORI_OK (also when there
 * was room already), MAMORI_E_TOO_LARGE when need is over max or the
 * bytes would not fit in a size_t, MAMORI_E_NOMEM when realloc fails. */
static inline mamori_err mr_grow_array(void *arrp, size_t *cap, size_t need,
                                       size_t elem, size_t first, size_t max)
{
    if (need <= *cap)
        return MAMORI_OK;
    if (max && need > max)
        return MAMORI_E_TOO_LARGE;
    size_t n = *cap ? *cap : first, bytes;
    if (*cap && mr_mul_size(*cap, 2, &n))
        n = need;
    if (n < need)
        n = need;
    if (max && n > max)
        n = max;
    if (mr_mul_size(n, elem, &bytes))
        return MAMORI_E_TOO_LARGE;
    void *old, *grown;
    memcpy(&old, arrp, sizeof(old));
    if (!(grown = realloc(old, bytes ? bytes : 1)))
        return MAMORI_E_NOMEM;
    memcpy(arrp, &grown, sizeof(grown));
    *cap = n;
    return MAMORI_OK;
}

/* mr_grow_array with the element size taken from the array's type. */
#define MR_GROW(arrp, capp, need, first)                                    \
    mr_grow_array((arrp), (capp), (need), sizeof(**(arrp)), (first), 0)
#define MR_GROW_MAX(arrp, capp, need, first, max)                           \
    mr_grow_array((arrp), (capp), (need), sizeof(**(arrp)), (first), (max))

#endif
