/*
 * restic.c — `restic snapshots --json` read with the shared streaming
 * JSON reader (io/json.h): per snapshot its time and paths; the count,
 * the newest and oldest, and for every protected path the newest
 * snapshot holding it (a snapshot of /srv holds /srv/www). Nothing is
 * kept of a snapshot but those; a hostile output costs its bytes only.
 */
#include "common.h"

#include "backup/backup_int.h"
#include "io/json.h"
#include "util/time.h"

typedef struct snap_reader {
    mr_copy_state *st;
    int64_t time;               /* of the snapshot being read */
    uint64_t covers;            /* bits of st->cover_path it holds */
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

static int on_scalar(void *user, const mr_json_path *path, mr_json_kind kind,
                     const char *s, size_t n, int cut)
{
    snap_reader *sr = user;
    if (kind != MR_JSON_STRING || cut)
        return 0;
    if (path->depth == 2 && !strcmp(path->keys[2], "time"))
        sr->time = mr_parse_iso_time(mr_span_make(s, n));
    else if (path->depth == 3 && !strcmp(path->keys[2], "paths"))
        for (size_t i = 0; i < sr->st->ncover; i++)
            if (holds(s, n, sr->st->cover_path[i]))
                sr->covers |= 1ull << i;
    return 0;
}

static int on_open(void *user, const mr_json_path *path, int is_array)
{
    snap_reader *sr = user;
    if (path->depth == 0 && !is_array)
        return 1;               /* not a list of snapshots */
    if (path->depth == 1) {
        sr->time = INT64_MIN;
        sr->covers = 0;
    }
    return 0;
}

static int on_close(void *user, const mr_json_path *path, int is_array)
{
    snap_reader *sr = user;
    mr_copy_state *st = sr->st;
    if (path->depth != 1 || is_array || sr->time == INT64_MIN)
        return 0;
    st->snapshots++;
    if (st->newest == INT64_MIN || sr->time > st->newest)
        st->newest = sr->time;
    if (st->oldest == INT64_MIN || sr->time < st->oldest)
        st->oldest = sr->time;
    for (size_t i = 0; i < st->ncover; i++)
        if ((sr->covers >> i & 1) && (st->cover_newest[i] == INT64_MIN ||
                                      sr->time > st->cover_newest[i]))
            st->cover_newest[i] = sr->time;
    return 0;
}

mamori_err mr_backup_restic_json(const char *data, size_t len,
                                 mr_copy_state *st)
{
    snap_reader sr = {st, INT64_MIN, 0};
    st->newest = st->oldest = INT64_MIN;
    for (size_t i = 0; i < st->ncover; i++)
        st->cover_newest[i] = INT64_MIN;
    mr_source *src = NULL;
    mamori_err e = mr_source_open_mem(data, len, &src);
    if (e)
        return e;
    mr_json_cb cb = {on_open, on_close, on_scalar, &sr};
    e = mr_json_read(src, &cb, NULL);
    mr_source_close(src);
    return e == MAMORI_E_ABORTED ? MAMORI_E_FORMAT : e;
}
