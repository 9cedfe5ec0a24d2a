/*
 * borg.c — `borg list --json` read with the shared streaming JSON reader
 * (io/json.h): the archives' count, newest and oldest times (borg writes
 * local times without a zone; mamori runs it with TZ=UTC) and the
 * repository's encryption mode; and the repository's own `config` (INI,
 * through libinih), read directly without a password: append_only.
 * borg names no paths per archive, so every protected path of the copy
 * is held by its newest archive.
 */
#include "common.h"

#include <ini.h>

#include "backup/backup_int.h"
#include "io/json.h"
#include "util/time.h"

static int on_scalar(void *user, const mr_json_path *path, mr_json_kind kind,
                     const char *s, size_t n, int cut)
{
    mr_copy_state *st = user;
    if (kind != MR_JSON_STRING || cut)
        return 0;
    if (path->depth == 3 && !strcmp(path->keys[1], "archives") &&
        !strcmp(path->keys[3], "time")) {
        int64_t t = mr_parse_iso_time(mr_span_make(s, n));
        if (t == INT64_MIN)
            return 0;
        st->snapshots++;
        if (st->newest == INT64_MIN || t > st->newest) {
            st->newest = t;
            memcpy(st->newest_name, st->pending_name,
                   sizeof(st->newest_name));
        }
        if (st->oldest == INT64_MIN || t < st->oldest)
            st->oldest = t;
    } else if (path->depth == 3 && !strcmp(path->keys[1], "archives") &&
               !strcmp(path->keys[3], "name")) {
        snprintf(st->pending_name, sizeof(st->pending_name), "%.*s",
                 (int)MR_MIN(n, sizeof(st->pending_name) - 1), s);
    } else if (path->depth == 2 && !strcmp(path->keys[1], "encryption") &&
               !strcmp(path->keys[2], "mode")) {
        snprintf(st->encryption, sizeof(st->encryption), "%.*s",
                 (int)MR_MIN(n, sizeof(st->encryption) - 1), s);
    }
    return 0;
}

static int on_open(void *user, const mr_json_path *path, int is_array)
{
    (void)user;
    return path->depth == 0 && is_array;   /* an object, or not borg's */
}

mamori_err mr_backup_borg_json(const char *data, size_t len,
                               mr_copy_state *st)
{
    st->newest = st->oldest = INT64_MIN;
    mr_source *src = NULL;
    mamori_err e = mr_source_open_mem(data, len, &src);
    if (e)
        return e;
    mr_json_cb cb = {on_open, NULL, on_scalar, st};
    e = mr_json_read(src, &cb, NULL);
    mr_source_close(src);
    for (size_t i = 0; i < st->ncover; i++)
        st->cover_newest[i] = st->newest;
    return e == MAMORI_E_ABORTED ? MAMORI_E_FORMAT : e;
}

/* libinih's string reader over bytes that may hold NULs: a line at a
 * time, up to the first NUL (where the config ends for us). */
typedef struct mem_reader {
    const char *p;
    size_t left;
} mem_reader;

static char *mem_line(char *str, int num, void *stream)
{
    mem_reader *m = stream;
    if (!m->left || num < 2)
        return NULL;
    size_t n = 0;
    while (n < m->left && n < (size_t)num - 1 && m->p[n] != '\n' &&
           m->p[n] != '\0')
        n++;
    memcpy(str, m->p, n);
    str[n] = '\0';
    if (n < m->left && m->p[n] == '\0') {
        m->left = 0;
        return str;
    }
    if (n < m->left && m->p[n] == '\n')
        n++;
    m->p += n;
    m->left -= n;
    return str;
}

static int config_key(void *user, const char *section, const char *name,
                      const char *value)
{
    mr_copy_state *st = user;
    if (!strcmp(section, "repository") && !strcmp(name, "append_only"))
        st->append_only = !strcmp(value, "1") || !strcmp(value, "true");
    return 1;
}

void mr_backup_borg_config(const char *data, size_t len, mr_copy_state *st)
{
    mem_reader m = {data, len};
    st->append_only = 0;    /* borg's default when the key is absent */
    ini_parse_stream(mem_line, &m, config_key, st);
}
