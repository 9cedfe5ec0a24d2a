/*
 * restic.c — `restic snapshots --json` read with the shared streaming
 * JSON reader (io/json.h): per snapshot its id, time and paths, handed
 * to a callback (memo.c keeps them) or summed into a copy's state: the
 * count, the newest and oldest, and for every protected path the newest
 * snapshot holding it (a snapshot of /srv holds /srv/www). The memo
 * mamori keeps is the same document with the time as unix seconds, so
 * one reader reads both. Nothing is kept of a snapshot but those; a
 * hostile output costs its bytes only.
 */
#include "common.h"

#include "backup/backup_int.h"
#include "io/json.h"
#include "util/time.h"

typedef struct snap_reader {
    mr_restic_snap snap;        /* the snapshot being read */
    int (*fn)(void *user, const mr_restic_snap *s);
    void *user;
} snap_reader;

/* 1 when the snapshot's path p holds the protected path want. */
static int holds(const char *p, size_t n, const char *want)
{
    while (n > 1 && p[n - 1] == '/')
        n--;
    size_t wn = strlen(want);
    if (n == 1 && p[0] == '/')
        return 1;
    return wn >= n && memcmp(want, p, n) == 0 &&
           (wn == n || want[n] == '/');
}

static int is_id(const char *s, size_t n)
{
    if (n != MR_RESTIC_ID_LEN)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return 0;
    return 1;
}

static int on_scalar(void *user, const mr_json_path *path, mr_json_kind kind,
                     const char *s, size_t n, int cut)
{
    snap_reader *sr = user;
    mr_restic_snap *sn = &sr->snap;
    if (path->depth == 2 && !strcmp(path->keys[2], "time")) {
        if (kind == MR_JSON_STRING && !cut)
            sn->time = mr_parse_iso_time(mr_span_make(s, n));
        else if (kind == MR_JSON_NUMBER)    /* the memo's unix seconds */
            sn->time = mr_parse_epoch(mr_span_make(s, n), 1);
    } else if (kind != MR_JSON_STRING) {
        return 0;
    } else if (path->depth == 2 && !strcmp(path->keys[2], "id")) {
        if (!cut && is_id(s, n))
            memcpy(sn->id, s, n + 1);
    } else if (path->depth == 3 && !strcmp(path->keys[2], "paths")) {
        if (cut || n >= MR_BACKUP_PATH_MAX ||
            sn->npaths >= MR_RESTIC_PATHS_MAX) {
            sn->paths_cut = 1;  /* judged, never memorised */
            return 0;
        }
        memcpy(sn->paths[sn->npaths], s, n);
        sn->paths[sn->npaths][n] = '\0';
        sn->path_len[sn->npaths++] = n;
    }
    return 0;
}

static int on_open(void *user, const mr_json_path *path, int is_array)
{
    snap_reader *sr = user;
    if (path->depth == 0 && !is_array)
        return 1;               /* not a list of snapshots */
    if (path->depth == 1) {
        sr->snap.id[0] = '\0';
        sr->snap.time = INT64_MIN;
        sr->snap.npaths = 0;
        sr->snap.paths_cut = 0;
    }
    return 0;
}

static int on_close(void *user, const mr_json_path *path, int is_array)
{
    snap_reader *sr = user;
    if (path->depth != 1 || is_array || sr->snap.time == INT64_MIN)
        return 0;
    return sr->fn(sr->user, &sr->snap);
}

mamori_err mr_backup_restic_each(const char *data, size_t len,
                                 int (*fn)(void *user,
                                           const mr_restic_snap *s),
                                 void *user)
{
    snap_reader *sr = malloc(sizeof(*sr));
    if (!sr)
        return MAMORI_E_NOMEM;
    memset(&sr->snap, 0, sizeof(sr->snap));
    sr->fn = fn;
    sr->user = user;
    mr_source *src = NULL;
    mamori_err e = mr_source_open_mem(data, len, &src);
    if (!e) {
        mr_json_cb cb = {on_open, on_close, on_scalar, sr};
        e = mr_json_read(src, &cb, NULL);
        mr_source_close(src);
    }
    free(sr);
    return e == MAMORI_E_ABORTED ? MAMORI_E_FORMAT : e;
}

void mr_backup_restic_add(mr_copy_state *st, const mr_restic_snap *s)
{
    st->snapshots++;
    if (st->newest == INT64_MIN || s->time > st->newest)
        st->newest = s->time;
    if (st->oldest == INT64_MIN || s->time < st->oldest)
        st->oldest = s->time;
    for (size_t i = 0; i < st->ncover; i++) {
        int held = 0;
        for (size_t k = 0; k < s->npaths && !held; k++)
            held = holds(s->paths[k], s->path_len[k], st->cover_path[i]);
        if (held && (st->cover_newest[i] == INT64_MIN ||
                     s->time > st->cover_newest[i]))
            st->cover_newest[i] = s->time;
    }
}

void mr_backup_restic_reset(mr_copy_state *st)
{
    st->snapshots = 0;
    st->newest = st->oldest = INT64_MIN;
    for (size_t i = 0; i < st->ncover; i++)
        st->cover_newest[i] = INT64_MIN;
}

static int add_fn(void *user, const mr_restic_snap *s)
{
    mr_backup_restic_add(user, s);
    return 0;
}

mamori_err mr_backup_restic_json(const char *data, size_t len,
                                 mr_copy_state *st)
{
    mr_backup_restic_reset(st);
    return mr_backup_restic_each(data, len, add_fn, st);
}
