/*
 * summary.c — building and reading mamori_summary: counters, tables and
 * time series that every writer knows how to show. All strings are copied
 * into the summary's arena; arrays grow by doubling up to named maxima.
 */
#include "common.h"

#include "mamori/finding.h"
#include "util/arena.h"
#include "util/grow.h"

#define MR_SUMMARY_ITEMS_MAX 256        /* counters, tables, series each */
#define MR_SUMMARY_ROWS_MAX 10000       /* rows per table */
#define MR_SUMMARY_BYTES_MAX (64u << 20) /* arena limit */

struct mamori_summary {
    mr_arena arena;
    const char *capability;
    mamori_counter counters[MR_SUMMARY_ITEMS_MAX];
    size_t ncounters;
    mamori_table tables[MR_SUMMARY_ITEMS_MAX];
    size_t ntables;
    size_t rows_cap;            /* capacity of the last table's cells */
    mamori_series series[MR_SUMMARY_ITEMS_MAX];
    size_t nseries;
};

mamori_summary *mamori_summary_new(const char *capability)
{
    mamori_summary *s = calloc(1, sizeof(*s));
    if (!s)
        return NULL;
    mr_arena_init(&s->arena, MR_SUMMARY_BYTES_MAX);
    s->capability = mr_arena_strdup(&s->arena, capability ? capability : "");
    if (!s->capability) {
        free(s);
        return NULL;
    }
    return s;
}

void mamori_summary_free(mamori_summary *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->ntables; i++)
        free((void *)s->tables[i].cells);
    mr_arena_free(&s->arena);
    free(s);
}

static const char *dup(mamori_summary *s, const char *str)
{
    return str ? mr_arena_strdup(&s->arena, str) : NULL;
}

mamori_err mamori_summary_counter(mamori_summary *s, const char *id,
                                  const char *title_en, const char *title_ja,
                                  int64_t value)
{
    if (s->ncounters >= MR_SUMMARY_ITEMS_MAX)
        return MAMORI_E_TOO_LARGE;
    mamori_counter *c = &s->counters[s->ncounters];
    c->id = dup(s, id);
    c->title[MAMORI_LANG_EN] = dup(s, title_en);
    c->title[MAMORI_LANG_JA] = dup(s, title_ja);
    c->value = value;
    if (!c->id || !c->title[0] || !c->title[1])
        return MAMORI_E_NOMEM;
    s->ncounters++;
    return MAMORI_OK;
}

mamori_err mamori_summary_table(mamori_summary *s, const char *id,
                                const char *title_en, const char *title_ja,
                                size_t ncols, const char *const *cols)
{
    if (s->ntables >= MR_SUMMARY_ITEMS_MAX)
        return MAMORI_E_TOO_LARGE;
    if (ncols == 0 || ncols > MAMORI_SUMMARY_COLS_MAX)
        return MAMORI_E_INVAL;
    mamori_table *t = &s->tables[s->ntables];
    memset(t, 0, sizeof(*t));
    t->id = dup(s, id);
    t->title[MAMORI_LANG_EN] = dup(s, title_en);
    t->title[MAMORI_LANG_JA] = dup(s, title_ja);
    t->ncols = ncols;
    for (size_t i = 0; i < ncols; i++)
        if (!(t->cols[i] = dup(s, cols[i])))
            return MAMORI_E_NOMEM;
    if (!t->id || !t->title[0] || !t->title[1])
        return MAMORI_E_NOMEM;
    s->ntables++;
    s->rows_cap = 0;
    return MAMORI_OK;
}

mamori_err mamori_summary_row(mamori_summary *s, const mamori_cell *cells)
{
    if (s->ntables == 0)
        return MAMORI_E_INVAL;
    mamori_table *t = &s->tables[s->ntables - 1];
    if (t->nrows >= MR_SUMMARY_ROWS_MAX) {
        t->more_rows++;
        return MAMORI_OK;
    }
    /* one element of the growth is a row of ncols cells */
    if (mr_grow_array(&t->cells, &s->rows_cap, t->nrows + 1,
                      t->ncols * sizeof(mamori_cell), 16, 0))
        return MAMORI_E_NOMEM;
    mamori_cell *row = (mamori_cell *)t->cells + t->nrows * t->ncols;
    for (size_t i = 0; i < t->ncols; i++) {
        row[i].num = cells[i].num;
        row[i].str = NULL;
        if (cells[i].str && !(row[i].str = dup(s, cells[i].str)))
            return MAMORI_E_NOMEM;
    }
    t->nrows++;
    return MAMORI_OK;
}

void mamori_summary_more_rows(mamori_summary *s, uint64_t more)
{
    if (s->ntables)
        s->tables[s->ntables - 1].more_rows += more;
}

mamori_err mamori_summary_series(mamori_summary *s, const char *id,
                                 const char *title_en, const char *title_ja,
                                 int64_t start, int64_t step, size_t nbuckets,
                                 size_t nnames, const char *const *names,
                                 const uint64_t *values)
{
    if (s->nseries >= MR_SUMMARY_ITEMS_MAX)
        return MAMORI_E_TOO_LARGE;
    if (nnames && nbuckets > SIZE_MAX / sizeof(uint64_t) / nnames)
        return MAMORI_E_TOO_LARGE;
    mamori_series *se = &s->series[s->nseries];
    memset(se, 0, sizeof(*se));
    se->id = dup(s, id);
    se->title[MAMORI_LANG_EN] = dup(s, title_en);
    se->title[MAMORI_LANG_JA] = dup(s, title_ja);
    se->start = start;
    se->step = step;
    se->nbuckets = nbuckets;
    se->nnames = nnames;
    const char **nm = mr_arena_alloc(&s->arena, (nnames + 1) * sizeof(*nm));
    uint64_t *v = mr_arena_alloc(&s->arena, nnames * nbuckets * sizeof(*v) + 1);
    if (!se->id || !se->title[0] || !se->title[1] || !nm || !v)
        return MAMORI_E_NOMEM;
    for (size_t i = 0; i < nnames; i++)
        if (!(nm[i] = dup(s, names[i])))
            return MAMORI_E_NOMEM;
    if (nnames != 0 && nbuckets != 0)
        memcpy(v, values, nnames * nbuckets * sizeof(*v));
    se->names = nm;
    se->values = v;
    s->nseries++;
    return MAMORI_OK;
}

const char *mamori_summary_capability(const mamori_summary *s)
{
    return s->capability;
}

size_t mamori_summary_ncounters(const mamori_summary *s) { return s->ncounters; }
size_t mamori_summary_ntables(const mamori_summary *s) { return s->ntables; }
size_t mamori_summary_nseries(const mamori_summary *s) { return s->nseries; }

const mamori_counter *mamori_summary_counter_at(const mamori_summary *s,
                                                size_t i)
{
    return i < s->ncounters ? &s->counters[i] : NULL;
}

const mamori_table *mamori_summary_table_at(const mamori_summary *s, size_t i)
{
    return i < s->ntables ? &s->tables[i] : NULL;
}

const mamori_series *mamori_summary_series_at(const mamori_summary *s,
                                              size_t i)
{
    return i < s->nseries ? &s->series[i] : NULL;
}
