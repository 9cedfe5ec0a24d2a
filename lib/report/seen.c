/*
 * seen.c — the distinct checks a writer has met, deep-copied. A finding's
 * check is borrowed for the sink call only; SARIF's rules and the "What
 * to do now" of the text and HTML reports need it later, so the first
 * finding of each check leaves a copy here (bounded by
 * MR_CHECKS_SEEN_MAX checks and MR_SEEN_BYTES_MAX bytes), and every
 * finding can be tallied against its check: how many, and the highest
 * severity among them, which orders the "what to do" list and colours
 * its badges.
 */
#include "common.h"

#include "report/writer_impl.h"

void mr_seen_init(mr_seen *s)
{
    memset(s, 0, sizeof(*s));
    mr_arena_init(&s->arena, MR_SEEN_BYTES_MAX);
}

void mr_seen_free(mr_seen *s)
{
    mr_arena_free(&s->arena);
    s->n = 0;
}

static const char *copy(mr_seen *s, const char *str, int *failed)
{
    if (!str)
        return NULL;
    const char *c = mr_arena_strdup(&s->arena, str);
    if (!c)
        *failed = 1;
    return c;
}

long mr_seen_add(mr_seen *s, const mamori_check *c, int *is_new)
{
    if (is_new)
        *is_new = 0;
    if (!c || !c->id)
        return -1;
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->checks[i].id, c->id) == 0)
            return (long)i;
    if (s->n >= MR_CHECKS_SEEN_MAX)
        return -1;

    mamori_check *k = &s->checks[s->n];
    int failed = 0;
    memset(k, 0, sizeof(*k));
    s->hits[s->n] = 0;
    s->worst[s->n] = mr_sev_clamp(c->severity);
    k->id = copy(s, c->id, &failed);
    k->severity = mr_sev_clamp(c->severity);
    k->source = copy(s, c->source, &failed);
    for (size_t i = 0; i < MAMORI_CHECK_CM_MAX && c->countermeasures[i]; i++)
        k->countermeasures[i] = copy(s, c->countermeasures[i], &failed);
    for (size_t l = 0; l < MAMORI_LANG_COUNT; l++) {
        k->title[l] = copy(s, c->title[l], &failed);
        k->remedy[l] = copy(s, c->remedy[l], &failed);
        k->report[l] = copy(s, c->report[l], &failed);
        k->cite[l] = copy(s, c->cite[l], &failed);
    }
    if (failed || !k->id)
        return -1;
    if (is_new)
        *is_new = 1;
    return (long)s->n++;
}

long mr_seen_tally(mr_seen *s, const mamori_finding *f)
{
    long i = mr_seen_add(s, f ? f->check : NULL, NULL);
    if (i < 0)
        return -1;
    mamori_severity sev = mr_sev_clamp(f->severity);
    if (s->hits[i] == 0 || sev > s->worst[i])
        s->worst[i] = sev;
    if (s->hits[i] < UINT64_MAX)
        s->hits[i]++;
    return i;
}

static int more_urgent(const mr_seen *s, size_t a, size_t b)
{
    if (s->worst[a] != s->worst[b])
        return s->worst[a] > s->worst[b];
    if (s->hits[a] != s->hits[b])
        return s->hits[a] > s->hits[b];
    return a < b;
}

size_t mr_seen_order(const mr_seen *s, size_t order[MR_CHECKS_SEEN_MAX])
{
    /* Insertion sort: at most MR_CHECKS_SEEN_MAX entries, and stable. */
    for (size_t i = 0; i < s->n; i++) {
        size_t j = i;
        while (j > 0 && more_urgent(s, i, order[j - 1])) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = i;
    }
    return s->n;
}
