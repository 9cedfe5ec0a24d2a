/*
 * finding.c — the compiled-in check table and the field helpers of a
 * finding. Findings are plain structs on the caller's stack: nothing here
 * allocates.
 */
#include "common.h"

#include "core/checks_table.h"
#include "mamori/finding.h"

const mamori_check *mamori_check_find(const char *id)
{
    size_t lo = 0, hi = mr_checks_count;

    while (id && lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(id, mr_checks_table[mid].id);
        if (c == 0)
            return &mr_checks_table[mid];
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

const mamori_check *mamori_checks(size_t *count)
{
    *count = mr_checks_count;
    return mr_checks_table;
}

int mamori_check_has_countermeasure(const mamori_check *c, const char *cm)
{
    size_t n = strlen(cm);

    for (size_t i = 0; i < MAMORI_CHECK_CM_MAX && c->countermeasures[i]; i++) {
        const char *have = c->countermeasures[i];
        if (strncmp(have, cm, n) == 0 && (have[n] == '\0' || have[n] == '.'))
            return 1;
    }
    return 0;
}

static mamori_field *add_field(mamori_finding *f, const char *name,
                               mamori_field_kind kind)
{
    if (f->nfields >= MAMORI_FINDING_FIELDS_MAX)
        return NULL;
    mamori_field *fl = &f->fields[f->nfields++];
    memset(fl, 0, sizeof(*fl));
    fl->name = name;
    fl->kind = kind;
    return fl;
}

void mamori_finding_str(mamori_finding *f, const char *name, const char *s,
                        size_t len)
{
    mamori_field *fl = add_field(f, name, MAMORI_FIELD_STR);
    if (fl) {
        fl->str = s ? s : "";
        fl->len = s ? len : 0;
    }
}

void mamori_finding_int(mamori_finding *f, const char *name, int64_t v)
{
    mamori_field *fl = add_field(f, name, MAMORI_FIELD_INT);
    if (fl)
        fl->num = v;
}

void mamori_finding_list(mamori_finding *f, const char *name,
                         const char *const *strs, size_t n, uint64_t more)
{
    mamori_field *fl = add_field(f, name, MAMORI_FIELD_LIST);
    if (fl) {
        fl->strs = strs;
        fl->nstrs = n;
        fl->more = more;
    }
}

const mamori_field *mamori_finding_get(const mamori_finding *f,
                                       const char *name)
{
    for (size_t i = 0; i < f->nfields; i++)
        if (strcmp(f->fields[i].name, name) == 0)
            return &f->fields[i];
    return NULL;
}
