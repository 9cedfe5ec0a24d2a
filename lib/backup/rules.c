/*
 * rules.c — 3-2-1-1 across the copies, per protected path (backup.h):
 *
 *   3  copies holding the path, the live data counted as one: a copy
 *      counts when it was read and holds the path (restic: a snapshot of
 *      it), or when it is an offline copy whose medium is not mounted
 *      now, or a remote copy of an image's declaration under --root
 *      (not verifiable, but there);
 *   2  media, told apart by device (st_dev of the live path and of each
 *      local location: a copy on the live data's own disk is the same
 *      medium), by host for remote locations, and a medium unplugged now
 *      counts as its own;
 *   1  off site: a location on another host (sftp:, rest:, s3:, ssh://,
 *      host:path) that is not this machine, or a local path on a network
 *      file system (statfs: NFS, SMB, FUSE);
 *   1  offline or immutable, and not deletable from here: a medium not
 *      mounted now; chattr +i; an append-only repository on another host
 *      (borg serve --append-only, rest-server --append-only, an
 *      object-lock bucket: not visible from here, so the declaration
 *      says append-only = yes). A local append-only borg repository is
 *      not: root here can rewrite its config; neither is an offline
 *      medium mounted now.
 */
#include "common.h"

#include <sys/stat.h>
#include <unistd.h>

#include "backup/backup_int.h"
#include "check_ids.h"

#define MEDIA_MAX (MR_BACKUP_COPIES_MAX + 1)
#define KEY_MAX 300
#define HOST_MAX 256
#define WHY_MAX 200

/* The host of a remote location ("" when none can be read). */
static void location_host(const char *loc, char *host)
{
    static const char *const schemes[] = {"sftp:", "rest:", "s3:", "b2:",
                                          "azure:", "gs:", "swift:",
                                          "rclone:", "ssh:", "rsync:", NULL};
    const char *p = loc;
    for (size_t i = 0; schemes[i]; i++)
        if (!strncmp(p, schemes[i], strlen(schemes[i]))) {
            p += strlen(schemes[i]);
            break;
        }
    if (!strncmp(p, "https://", 8))
        p += 8;
    else if (!strncmp(p, "http://", 7))
        p += 7;
    else if (!strncmp(p, "//", 2))
        p += 2;
    const char *at = strchr(p, '@');
    const char *stop = p + strcspn(p, "/:");
    if (at && at < stop)
        p = at + 1;
    size_t n = p[0] == '[' ? strcspn(p, "]") + 1 : strcspn(p, "/:");
    snprintf(host, HOST_MAX, "%.*s", (int)MR_MIN(n, HOST_MAX - 1), p);
}

/* This machine's name: /etc/hostname through the sysroot, else (live)
 * gethostname. */
static void self_name(mr_backup_run *r, char *out)
{
    out[0] = '\0';
    char *data = NULL;
    size_t len = 0;
    if (mr_sysroot_read(r->sr, "/etc/hostname", 4096, &data, &len) ==
        MAMORI_OK) {
        size_t n = strcspn(data, " \t\r\n");
        snprintf(out, HOST_MAX, "%.*s", (int)MR_MIN(n, HOST_MAX - 1), data);
    }
    free(data);
    if (!out[0] && mamori_sysroot_is_live(r->sr) &&
        gethostname(out, HOST_MAX - 1) != 0)
        out[0] = '\0';
    out[HOST_MAX - 1] = '\0';
}

static int is_self(const char *host, const char *self)
{
    if (!host[0] || !strcmp(host, "localhost") ||
        !strncmp(host, "127.", 4) || !strcmp(host, "[::1]") ||
        !strcmp(host, "::1"))
        return 1;
    size_t sn = strcspn(self, ".");
    size_t hn = strcspn(host, ".");
    return sn && sn == hn && !strncasecmp(host, self, sn);
}

/* Why copy c is or is not offline/immutable; 1 when it is. */
static int immutable(const mr_backup_copy *c, const mr_copy_state *st,
                     int remote, int self, char *why)
{
    if (st->unmounted && c->role == MR_BACKUP_ROLE_OFFLINE) {
        snprintf(why, WHY_MAX, "%s: offline (its medium is not mounted now)",
                 c->name);
        return 1;
    }
    if (st->chattr_i) {
        snprintf(why, WHY_MAX, "%s: immutable (chattr +i)", c->name);
        return 1;
    }
    if (remote && !self && c->append_only == 1) {
        snprintf(why, WHY_MAX, "%s: append-only on another host (as "
                 "declared)", c->name);
        return 1;
    }
    if (c->role == MR_BACKUP_ROLE_OFFLINE)
        snprintf(why, WHY_MAX, "%s: declared offline but mounted now: this "
                 "machine can delete it", c->name);
    else if (!remote && (st->append_only == 1 || c->append_only == 1))
        snprintf(why, WHY_MAX, "%s: append-only on this machine's own disk: "
                 "root here can rewrite its config and delete it", c->name);
    else if (remote && c->append_only != 1)
        snprintf(why, WHY_MAX, "%s: on another host, reached with "
                 "credentials that can delete (append-only not declared)",
                 c->name);
    else
        snprintf(why, WHY_MAX, "%s: this machine can delete it", c->name);
    return 0;
}

static void add_medium(char media[][KEY_MAX], size_t *n, const char *key)
{
    for (size_t i = 0; i < *n; i++)
        if (!strcmp(media[i], key))
            return;
    if (*n < MEDIA_MAX)
        snprintf(media[(*n)++], KEY_MAX, "%s", key);
}

typedef struct path_view {
    char media[MEDIA_MAX][KEY_MAX];
    size_t nmedia;
    const char *names[MR_BACKUP_COPIES_MAX];
    size_t ncopies;
    char whys[MR_BACKUP_COPIES_MAX][WHY_MAX];
    const char *whyp[MR_BACKUP_COPIES_MAX];
    size_t nwhy;
    const char *offsite_copy, *immutable_copy;
} path_view;

static void finding(mr_backup_run *r, const mr_backup_protect *p,
                    const char *path, const path_view *v, const char *id,
                    const char *ev)
{
    mamori_finding f;
    mr_backup_finding(&f, id, r->conf_display);
    f.line = p->line;
    f.evidence = ev;
    f.evidence_len = strlen(ev);
    mr_backup_field(&f, "protect", p->name);
    mr_backup_field(&f, "path", path);
    mamori_finding_int(&f, "copies", (int64_t)v->ncopies + 1);
    mamori_finding_int(&f, "media", (int64_t)v->nmedia);
    mamori_finding_list(&f, "backup_copies", v->names, v->ncopies, 0);
    if (!strcmp(id, MR_CHECK_BACKUP_NO_IMMUTABLE))
        mamori_finding_list(&f, "why", v->whyp, v->nwhy, 0);
    mr_backup_send(r, &f);
}

void mr_backup_rules(mr_backup_run *r, const mr_backup_decl *d,
                     const mr_copy_state *st)
{
    char self[HOST_MAX];
    self_name(r, self);
    path_view *v = malloc(sizeof(*v));
    if (!v)
        return;
    for (size_t pi = 0; pi < d->nprotect && !r->stopped; pi++) {
        const mr_backup_protect *p = &d->protect[pi];
        for (size_t k = 0; k < p->npaths && !r->stopped; k++) {
            const char *path = p->paths[k];
            memset(v, 0, sizeof(*v));
            struct stat ls;
            char key[KEY_MAX];
            if (mr_sysroot_stat(r->sr, path, &ls) == MAMORI_OK)
                snprintf(key, sizeof(key), "dev:%llu",
                         (unsigned long long)ls.st_dev);
            else
                snprintf(key, sizeof(key), "live");
            add_medium(v->media, &v->nmedia, key);
            for (size_t ci = 0; ci < d->ncopy; ci++) {
                const mr_backup_copy *c = &d->copy[ci];
                const mr_copy_state *s = &st[ci];
                /* Does it hold this path? */
                size_t idx = SIZE_MAX;
                for (size_t x = 0; x < s->ncover; x++)
                    if (s->cover_path[x] == path)
                        idx = x;
                if (idx == SIZE_MAX)
                    continue;
                int offline_now = s->unmounted &&
                                  c->role == MR_BACKUP_ROLE_OFFLINE;
                if (!offline_now && !s->unverified &&
                    (!s->read || s->cover_newest[idx] == INT64_MIN))
                    continue;
                v->names[v->ncopies++] = c->name;
                int remote = mr_backup_location_remote(c->kind, c->location);
                char host[HOST_MAX] = "";
                if (remote)
                    location_host(c->location, host);
                int self_host = remote && is_self(host, self);
                if (offline_now)
                    snprintf(key, sizeof(key), "removable:%s", c->name);
                else if (remote)
                    snprintf(key, sizeof(key), "host:%s", host);
                else
                    snprintf(key, sizeof(key), "dev:%llu",
                             (unsigned long long)s->dev);
                add_medium(v->media, &v->nmedia, key);
                if (!v->offsite_copy &&
                    ((remote && !self_host) || s->fs_remote))
                    v->offsite_copy = c->name;
                if (!v->immutable_copy) {
                    char *why = v->whys[v->nwhy];
                    if (immutable(c, s, remote, self_host, why))
                        v->immutable_copy = c->name;
                    else
                        v->whyp[v->nwhy++] = why;
                }
            }
            char ev[MR_BACKUP_PATH_MAX + 64];
            if (v->ncopies + 1 < 3) {
                snprintf(ev, sizeof(ev), "%s: only %zu of 3 copies (the live "
                         "data counted)", path, v->ncopies + 1);
                finding(r, p, path, v, MR_CHECK_BACKUP_TOO_FEW_COPIES, ev);
            }
            if (v->nmedia < 2 && v->ncopies) {
                snprintf(ev, sizeof(ev), "%s: every copy on the live data's "
                         "own medium", path);
                finding(r, p, path, v, MR_CHECK_BACKUP_ONE_MEDIUM, ev);
            }
            if (!v->offsite_copy) {
                snprintf(ev, sizeof(ev), "%s: no copy on another host", path);
                finding(r, p, path, v, MR_CHECK_BACKUP_NO_OFFSITE, ev);
            }
            if (!v->immutable_copy) {
                snprintf(ev, sizeof(ev), "%s: no offline or immutable copy",
                         path);
                finding(r, p, path, v, MR_CHECK_BACKUP_NO_IMMUTABLE, ev);
            }
        }
    }
    free(v);
}
