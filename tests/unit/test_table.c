/*
 * test_table.c — the bounded hash table: lookups, growth to the bound,
 * eviction of the lightest entries, keys with any bytes, and determinism:
 * two tables (two random hash keys) fed the same keys evict the same
 * entries and iterate in the same order; a byte-bounded table stays
 * within its bytes whatever the keys' length; mr_table_merge gives the
 * table that upserting one key at a time gives, evictions included; a
 * no-evict table refuses new keys when full and starts over when cleared.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "util/table.h"

typedef struct { uint64_t n; } counter;
static uint64_t weight(const void *v) { return ((const counter *)v)->n; }

static void insert_and_find(void **state)
{
    (void)state;
    mr_table *t = mr_table_new(100, sizeof(counter), weight);
    assert_non_null(t);
    assert_non_null(t);
    char key[32];
    for (int i = 0; i < 100; i++) {
        int created;
        int n = snprintf(key, sizeof(key), "client-%d", i);
        counter *c = mr_table_upsert(t, key, (size_t)n, &created);
        assert_non_null(c);
        assert_true(created);
        c->n = (uint64_t)i;
    }
    assert_int_equal(mr_table_count(t), 100);
    for (int i = 0; i < 100; i++) {
        int n = snprintf(key, sizeof(key), "client-%d", i);
        counter *c = mr_table_find(t, key, (size_t)n);
        assert_non_null(c);
        assert_int_equal(c->n, i);
    }
    assert_null(mr_table_find(t, "client-100", 10));
    assert_int_equal(mr_table_evictions(t), 0);
    mr_table_free(t);
}

static void bounded_with_eviction(void **state)
{
    (void)state;
    mr_table *t = mr_table_new(64, sizeof(counter), weight);
    assert_non_null(t);
    /* A heavy entry that sampling eviction must keep. */
    counter *heavy = mr_table_upsert(t, "heavy", 5, NULL);
    assert_non_null(heavy);
    heavy->n = 1000000;
    char key[32];
    for (int i = 0; i < 10000; i++) {
        int n = snprintf(key, sizeof(key), "k%d", i);
        counter *c = mr_table_upsert(t, key, (size_t)n, NULL);
        assert_non_null(c);
        c->n = 1;
        assert_true(mr_table_count(t) <= 64);
    }
    assert_int_equal(mr_table_count(t), 64);
    assert_int_equal(mr_table_evictions(t), 10000 + 1 - 64);
    assert_non_null(mr_table_find(t, "heavy", 5));
    /* Every remaining entry is still findable after the back-shifts. */
    size_t seen = 0;
    for (size_t i = 0; i < mr_table_slots(t); i++) {
        const char *k;
        size_t kl;
        if (mr_table_slot(t, i, &k, &kl)) {
            assert_non_null(mr_table_find(t, k, kl));
            seen++;
        }
    }
    assert_int_equal(seen, 64);
    mr_table_free(t);
}

static void binary_and_long_keys(void **state)
{
    (void)state;
    mr_table *t = mr_table_new(16, sizeof(counter), NULL);
    assert_non_null(t);
    const char bin[] = {'a', '\0', 'b', '\xff'};
    assert_non_null(mr_table_upsert(t, bin, sizeof(bin), NULL));
    assert_non_null(mr_table_find(t, bin, sizeof(bin)));
    assert_null(mr_table_find(t, bin, 1));
    char longkey[MR_TABLE_KEY_MAX + 100];
    memset(longkey, 'x', sizeof(longkey));
    assert_non_null(mr_table_upsert(t, longkey, sizeof(longkey), NULL));
    /* Keys are cut at MR_TABLE_KEY_MAX: a longer one with the same prefix
     * is the same entry. */
    int created = -1;
    mr_table_upsert(t, longkey, MR_TABLE_KEY_MAX + 1, &created);
    assert_int_equal(created, 0);
    mr_table_free(t);
}

/* Fills t with 5000 keys of varied weight through a bound of 100. */
static void feed(mr_table *t)
{
    char key[32];
    for (int i = 0; i < 5000; i++) {
        int n = snprintf(key, sizeof(key), "10.0.%d.%d", i / 250, i % 250);
        counter *c = mr_table_upsert(t, key, (size_t)n, NULL);
        assert_non_null(c);
        c->n = (uint64_t)(i * 7919 % 13);
    }
}

static void same_input_same_table(void **state)
{
    (void)state;
    mr_table *a = mr_table_new(100, sizeof(counter), weight);
    mr_table *b = mr_table_new(100, sizeof(counter), weight);
    assert_non_null(a);
    assert_non_null(b);
    feed(a);
    feed(b);
    assert_int_equal(mr_table_evictions(a), mr_table_evictions(b));
    assert_int_equal(mr_table_slots(a), mr_table_slots(b));
    for (size_t i = 0; i < mr_table_slots(a); i++) {
        const char *ka, *kb;
        size_t la, lb;
        counter *va = mr_table_slot(a, i, &ka, &la);
        counter *vb = mr_table_slot(b, i, &kb, &lb);
        assert_non_null(va);
        assert_non_null(vb);
        assert_int_equal(la, lb);
        assert_memory_equal(ka, kb, la);
        assert_int_equal(va->n, vb->n);
    }
    /* Cleared, a table behaves as a new one. */
    mr_table_clear(a);
    assert_int_equal(mr_table_count(a), 0);
    mr_table *c = mr_table_new(100, sizeof(counter), weight);
    feed(a);
    feed(c);
    for (size_t i = 0; i < mr_table_slots(a); i++) {
        const char *ka, *kc;
        size_t la, lc;
        mr_table_slot(a, i, &ka, &la);
        mr_table_slot(c, i, &kc, &lc);
        assert_int_equal(la, lc);
        assert_memory_equal(ka, kc, la);
    }
    mr_table_free(a);
    mr_table_free(b);
    mr_table_free(c);
}

/* Short keys fill a byte-bounded table; long keys then push several
 * out each, and the bytes never pass the bound. The same input gives the
 * same table. */
static void bounded_in_bytes(void **state)
{
    (void)state;
    const size_t max = 64 * 1024;
    mr_table *t = mr_table_new_bytes(1000000, max, sizeof(counter), weight);
    mr_table *u = mr_table_new_bytes(1000000, max, sizeof(counter), weight);
    assert_non_null(t);
    assert_non_null(u);
    char key[600];
    for (int i = 0; i < 5000; i++) {
        int n = snprintf(key, sizeof(key), "c%d", i);
        assert_non_null(mr_table_upsert(t, key, (size_t)n, NULL));
        assert_non_null(mr_table_upsert(u, key, (size_t)n, NULL));
        assert_true(mr_table_bytes(t) <= max);
    }
    assert_true(mr_table_evictions(t) > 0);
    size_t short_count = mr_table_count(t);
    memset(key, 'p', sizeof(key));
    for (int i = 0; i < 200; i++) {
        int n = snprintf(key, 16, "%d", i);
        key[n] = 'p';
        assert_non_null(mr_table_upsert(t, key, sizeof(key), NULL));
        assert_non_null(mr_table_upsert(u, key, sizeof(key), NULL));
        assert_true(mr_table_bytes(t) <= max);
    }
    assert_true(mr_table_count(t) < short_count); /* long keys took more room */
    assert_int_equal(mr_table_count(t), mr_table_count(u));
    assert_int_equal(mr_table_evictions(t), mr_table_evictions(u));
    for (size_t i = 0; i < mr_table_slots(t); i++) {
        const char *ka, *kb;
        size_t la, lb;
        mr_table_slot(t, i, &ka, &la);
        mr_table_slot(u, i, &kb, &lb);
        assert_int_equal(la, lb);
        assert_memory_equal(ka, kb, la);
    }
    mr_table_clear(t);
    assert_true(mr_table_bytes(t) < max / 2);
    /* Too small for even the index and one longest key: refused. */
    assert_null(mr_table_new_bytes(1000, 1024, sizeof(counter), weight));
    mr_table_free(t);
    mr_table_free(u);
}

static void add_counter(void *to, const void *from)
{
    ((counter *)to)->n += ((const counter *)from)->n;
}

/* A merge into a byte-bounded table that fills and evicts midway: the
 * same entries, values, order and evictions as the loop of upserts;
 * shared: src hashes with a's key (mr_table_share_key), so the merge
 * takes the hashes src keeps, and a's lookups must still find them. */
static void merge_check(bool shared)
{
    mr_table *src = mr_table_new(2000, sizeof(counter), weight);
    mr_table *a = mr_table_new_bytes(100000, 64 << 10, sizeof(counter), weight);
    mr_table *b = mr_table_new_bytes(100000, 64 << 10, sizeof(counter), weight);
    assert_non_null(src);
    assert_non_null(a);
    assert_non_null(b);
    if (shared)
        assert_int_equal(mr_table_share_key(src, a), 0);
    char key[96];
    for (int round = 0; round < 3; round++) {
        mr_table_clear(src);
        for (int i = 0; i < 1500; i++) {
            int k = (i * 7 + round * 500) % 2500;
            int n = snprintf(key, sizeof(key), "/path/%d%s", k, k % 5 ? "" : "/a-longer-tail");
            counter *c = mr_table_upsert(src, key, (size_t)n, NULL);
            assert_non_null(c);
            c->n += (uint64_t)(k % 11 + 1);
        }
        assert_int_equal(mr_table_share_key(src, b), -1);   /* not empty */
        mr_table_merge(a, src, add_counter);
        for (size_t i = 0; i < mr_table_slots(src); i++) {
            const char *k;
            size_t kl;
            const counter *v = mr_table_slot(src, i, &k, &kl);
            counter *c = mr_table_upsert(b, k, kl, NULL);
            assert_non_null(c);
            add_counter(c, v);
        }
    }
    assert_true(mr_table_evictions(a) > 0);
    assert_int_equal(mr_table_evictions(a), mr_table_evictions(b));
    assert_int_equal(mr_table_slots(a), mr_table_slots(b));
    assert_int_equal(mr_table_bytes(a), mr_table_bytes(b));
    for (size_t i = 0; i < mr_table_slots(a); i++) {
        const char *ka, *kb;
        size_t la, lb;
        const counter *va = mr_table_slot(a, i, &ka, &la);
        const counter *vb = mr_table_slot(b, i, &kb, &lb);
        assert_int_equal(la, lb);
        assert_memory_equal(ka, kb, la);
        assert_int_equal(va->n, vb->n);
        assert_ptr_equal(mr_table_find(a, ka, la), va);
    }
    mr_table_free(src);
    mr_table_free(a);
    mr_table_free(b);
}

static void merge_as_upserts(void **state)
{
    (void)state;
    merge_check(false);
}

static void merge_with_shared_key(void **state)
{
    (void)state;
    merge_check(true);
}

/* A chunk's delta: full at its bound, a new key is refused (NULL, no
 * eviction) while the keys it holds still count; cleared, it holds
 * nothing of before and fills again; merged, it adds as any table. */
static void no_evict_refuses_and_clears(void **state)
{
    (void)state;
    mr_table *t = mr_table_new_no_evict(16, sizeof(counter));
    assert_non_null(t);
    char key[600]; /* longer than MR_TABLE_KEY_MAX: cut there */
    for (int round = 0; round < 3; round++) {
        for (int i = 0; i < 16; i++) {
            int n = snprintf(key, sizeof(key), "/r%d/path-%d", round, i);
            int created;
            counter *c = mr_table_upsert(t, key, (size_t)n, &created);
            assert_non_null(c);
            assert_true(created);
            assert_int_equal(c->n, 0);
            c->n = (uint64_t)(i + 1);
        }
        assert_true(mr_table_full(t));
        assert_null(mr_table_upsert(t, "/new", 4, NULL));
        memset(key, 'k', sizeof(key));
        assert_null(mr_table_upsert(t, key, sizeof(key), NULL));
        int n = snprintf(key, sizeof(key), "/r%d/path-%d", round, 7);
        counter *c = mr_table_upsert(t, key, (size_t)n, NULL);
        assert_non_null(c);
        assert_int_equal(c->n, 8);
        assert_int_equal(mr_table_count(t), 16);
        assert_int_equal(mr_table_evictions(t), 0);
        const char *k;
        size_t kl;
        assert_non_null(mr_table_slot(t, 15, &k, &kl));
        n = snprintf(key, sizeof(key), "/r%d/path-15", round);
        assert_int_equal(kl, (size_t)n);
        assert_memory_equal(k, key, kl);
        assert_int_equal(k[kl], '\0');
        mr_table *sum = mr_table_new(100, sizeof(counter), weight);
        assert_non_null(sum);
        mr_table_merge(sum, t, add_counter);
        assert_int_equal(mr_table_count(sum), 16);
        c = mr_table_find(sum, key, kl);
        assert_non_null(c);
        assert_int_equal(c->n, 16);
        mr_table_free(sum);
        mr_table_clear(t);
        assert_int_equal(mr_table_count(t), 0);
        assert_false(mr_table_full(t));
        assert_null(mr_table_find(t, key, kl));
    }
    mr_table_free(t);
    mr_table_free(mr_table_new_no_evict(4, sizeof(counter))); /* never filled */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(insert_and_find),
        cmocka_unit_test(bounded_with_eviction),
        cmocka_unit_test(binary_and_long_keys),
        cmocka_unit_test(same_input_same_table),
        cmocka_unit_test(bounded_in_bytes),
        cmocka_unit_test(merge_as_upserts),
        cmocka_unit_test(merge_with_shared_key),
        cmocka_unit_test(no_evict_refuses_and_clears),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
