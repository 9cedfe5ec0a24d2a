/*
 * incident.c — which findings make the incident record, and what the
 * record keeps of them (incident.h). A finding is taken when its problem
 * was named (fingerprint), or, in the window, when it is everything the
 * user asked for or may mean a break-in: a verdict beyond "attempt", or
 * a check that is a break-in by itself. The record keeps copies of the
 * few fields it needs (bounded: entries, names, files each have a
 * maximum), so the findings themselves may go.
 */
#include "common.h"

#include <fcntl.h>
#include <unistd.h>
#include <sys/stat.h>

#include "incident_int.h"
#include "mamori/history.h"
#include "util/grow.h"

void mamori_incident_opts_init(mamori_incident_opts *o)
{
    memset(o, 0, sizeof(*o));
    o->since = INT64_MIN;
    o->until = INT64_MAX;
    o->personal_data = -1;
    o->crime = -1;
}

mamori_err mamori_incident_new(const mamori_incident_opts *o, mamori_incident **out)
{
    mamori_incident *inc = calloc(1, sizeof(*inc));
    *out = inc;
    if (!inc)
        return MAMORI_E_NOMEM;
    inc->opts = *o;
    mr_arena_init(&inc->arena, MR_INCIDENT_ARENA_MAX);
    return MAMORI_OK;
}

void mamori_incident_free(mamori_incident *inc)
{
    if (!inc)
        return;
    free(inc->entries);
    mr_arena_free(&inc->arena);
    free(inc);
}

size_t mamori_incident_count(const mamori_incident *inc)
{
    return inc->nentries;
}

/* Checks that are a break-in whatever their verdict says. */
static int break_in_check(const char *id)
{
    return strcmp(id, "auth.break-in") == 0;
}

static int chosen(const mamori_incident *inc, const mamori_finding *f)
{
    const mamori_field *fp = mamori_finding_get(f, "fingerprint");
    char own[MAMORI_FINGERPRINT_LEN + 1];
    const char *print = fp && fp->kind == MAMORI_FIELD_STR ? fp->str : NULL;
    if (inc->opts.nfingerprints) {
        if (!print) {
            mamori_finding_fingerprint(f, own);
            print = own;
        }
        for (size_t i = 0; i < inc->opts.nfingerprints; i++)
            if (strncmp(inc->opts.fingerprints[i], print, MAMORI_FINGERPRINT_LEN) == 0)
                return 1;
        return 0;
    }
    if (f->time != INT64_MIN && (f->time < inc->opts.since || f->time > inc->opts.until))
        return 0;
    if (f->time == INT64_MIN && (inc->opts.since != INT64_MIN || inc->opts.until != INT64_MAX))
        return 0;
    if (inc->opts.everything)
        return 1;
    return (f->verdict && strcmp(f->verdict, "attempt") != 0) ||
           break_in_check(f->check->id);
}

/* A copy of field `name` (a string), or NULL. */
static const char *field_copy(mamori_incident *inc, const mamori_finding *f,
                              const char *name)
{
    const mamori_field *fl = mamori_finding_get(f, name);
    if (!fl || fl->kind != MAMORI_FIELD_STR)
        return NULL;
    return mr_arena_strndup(&inc->arena, fl->str, fl->len);
}

/* Adds s to a set of names (kept in first-seen order). */
static void remember(const char **set, size_t *n, const char *s)
{
    if (!s || !*s)
        return;
    for (size_t i = 0; i < *n; i++)
        if (strcmp(set[i], s) == 0)
            return;
    if (*n < MAMORI_INCIDENT_NAMES_MAX)
        set[(*n)++] = s;
}

static void remember_file(mamori_incident *inc, const char *file)
{
    if (!file || strcmp(file, "-") == 0)
        return;
    for (size_t i = 0; i < inc->nfiles; i++)
        if (strcmp(inc->files[i].source, file) == 0)
            return;
    if (inc->nfiles < MAMORI_INCIDENT_FILES_MAX)
        inc->files[inc->nfiles++].source = file;
}

static int take(void *user, const mamori_finding *f)
{
    mamori_incident *inc = user;
    if (!f->check || !chosen(inc, f))
        return 0;
    if (inc->nentries == MAMORI_INCIDENT_FINDINGS_MAX ||
        MR_GROW(&inc->entries, &inc->capentries, inc->nentries + 1, 64)) {
        inc->dropped++;
        return 0;
    }
    mr_entry *e = &inc->entries[inc->nentries];
    memset(e, 0, sizeof(*e));
    size_t elen = f->evidence ? f->evidence_len : 0;
    if (elen > MR_INCIDENT_EVIDENCE_MAX)
        elen = MR_INCIDENT_EVIDENCE_MAX;
    e->time = f->time;
    e->check = f->check;
    e->severity = f->severity;
    e->line = f->line;
    e->verdict = f->verdict ? mr_arena_strdup(&inc->arena, f->verdict) : NULL;
    e->file = f->file ? mr_arena_strdup(&inc->arena, f->file) : NULL;
    e->evidence = elen ? mr_arena_strndup(&inc->arena, f->evidence, elen) : NULL;
    e->client = field_copy(inc, f, "client");
    e->user = field_copy(inc, f, "user");
    if (!e->user)
        e->user = field_copy(inc, f, "account");
    inc->nentries++;
    remember(inc->users, &inc->nusers, e->user);
    remember(inc->hosts, &inc->nhosts, e->client);
    remember_file(inc, e->file);
    if ((e->verdict && strcmp(e->verdict, "attempt") != 0) ||
        break_in_check(f->check->id))
        inc->break_in = 1;
    return 0;
}

static int drop_summary(void *user, mamori_summary *s)
{
    (void)user;
    mamori_summary_free(s);
    return 0;
}

mamori_sink mamori_incident_sink(mamori_incident *inc)
{
    mamori_sink s = {take, drop_summary, inc};
    return s;
}

/* Timeline order: time (unknown last), then as reported. */
static int by_time(const void *a, const void *b)
{
    const mr_entry *x = a, *y = b;
    if (x->time != y->time) {
        if (x->time == INT64_MIN)
            return 1;
        if (y->time == INT64_MIN)
            return -1;
        return x->time < y->time ? -1 : 1;
    }
    return x < y ? -1 : x > y;
}

mamori_err mamori_incident_write(mamori_incident *inc, const mamori_ctx *ctx,
                                 const char *dir)
{
    if (mkdir(dir, 0700) != 0) {
        mamori_diagf(ctx, MAMORI_DIAG_ERROR, dir, 0, "cannot create the record's directory: %s%s",
                     strerror(errno),
                     errno == EEXIST ? " (a record is never written over)" : "");
        return MAMORI_E_INVAL;
    }
    int dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (dirfd < 0)
        return MAMORI_E_IO;
    if (inc->nentries > 1)
        qsort(inc->entries, inc->nentries, sizeof(*inc->entries), by_time);
    mr_incident_copy_evidence(inc, dirfd, ctx);
    mamori_err e = mr_incident_write_files(inc, dirfd);
    if (fsync(dirfd) != 0 && !e)
        e = MAMORI_E_IO;
    close(dirfd);
    return e;
}
