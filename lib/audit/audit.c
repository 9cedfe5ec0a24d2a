/*
 * audit.c — the audit table (audit.h) and the walk of a host's default
 * sources every entry uses. Adding a capability to `mamori audit` is one
 * cap_<name>.c and one line in the table below; the command knows no
 * entry's details.
 */
#include "common.h"

#include <sys/stat.h>

#include "audit/audit_cap.h"
#include "host/sysroot.h"

static const mamori_audit_capability *const table[] = {
    &mr_audit_patch,       /* first: is the machine patched at all */
    &mr_audit_logscan,
    &mr_audit_authscan,
    &mr_audit_dns,
    &mr_audit_host,
    &mr_audit_web,
    &mr_audit_exposure,
    &mr_audit_backup,
};

const mamori_audit_capability *const *mamori_audit_capabilities(
    size_t *count)
{
    *count = MR_ARRAY_LEN(table);
    return table;
}

mamori_err mamori_audit_run(const mamori_ctx *ctx,
                            const mamori_audit_input *in,
                            const mamori_sink *sink)
{
    mamori_err first = MAMORI_OK;
    mamori_audit_input run = *in;
    mr_audit_served served;
    mr_audit_served_init(&served, sink);
    for (size_t i = 0; i < MR_ARRAY_LEN(table); i++) {
        /* what the rows before saw served, for the web row */
        if (!in->served) {
            run.served = (const char *const *)served.req;
            run.nserved = served.n;
        }
        if (!table[i]->applies(&run))
            continue;
        mamori_err e = table[i]->run(ctx, &run, &served.sink);
        if (e && !first)
            first = e;
        if (e == MAMORI_E_ABORTED)
            break;
    }
    if (served.dropped)
        mamori_diagf(ctx, MAMORI_DIAG_WARN, NULL, 0,
                     "web: %llu files logscan saw served are not asked again "
                     "(over %d, or too long)", (unsigned long long)served.dropped,
                     MR_AUDIT_SERVED_MAX);
    mr_audit_served_free(&served);
    return first;
}

const char *mr_audit_host_name(const mamori_sysroot *sr)
{
    return mamori_sysroot_is_live(sr) ? "this machine"
                                      : mamori_sysroot_root(sr);
}

/* The directories above the one being walked, to stop at a loop. */
typedef struct walk_up {
    dev_t dev[MR_AUDIT_DEPTH_MAX + 1];
    ino_t ino[MR_AUDIT_DEPTH_MAX + 1];
} walk_up;

/* Walks a root's directory dir (a system path, up->dev/ino[depth] its
 * identity) through the sysroot. A link back to a directory above is
 * passed over: the files there are read once. */
static int walk_root_dir(const mamori_ctx *ctx, const mamori_sysroot *sr,
                         const char *dir, int depth, walk_up *up,
                         mr_audit_feed feed, void *user)
{
    mr_sysroot_names l;
    char shown[MAMORI_SYSROOT_PATH_MAX];
    mamori_err e = mr_sysroot_list(sr, dir, NULL, &l);
    if (e) {
        mamori_sysroot_display(sr, dir, shown, sizeof(shown));
        mamori_diagf(ctx, MAMORI_DIAG_ERROR, shown, 0,
                     "cannot read directory: %s",
                     e == MAMORI_E_IO ? strerror(errno) : mamori_strerror(e));
        return 0;
    }
    int stop = 0;
    for (size_t i = 0; i < l.n && !stop; i++) {
        char sub[MAMORI_SYSROOT_PATH_MAX], host[MAMORI_SYSROOT_PATH_MAX];
        struct stat st;
        int w = snprintf(sub, sizeof(sub), "%s/%s", dir, l.names[i]);
        if (w < 0 || (size_t)w >= sizeof(sub) ||
            mr_sysroot_stat(sr, sub, &st) != MAMORI_OK)
            continue;   /* too long, dangling, or rotated away */
        if (S_ISDIR(st.st_mode)) {
            int seen = 0;
            for (int k = 0; k <= depth; k++)
                seen |= up->dev[k] == st.st_dev && up->ino[k] == st.st_ino;
            if (seen || depth >= MR_AUDIT_DEPTH_MAX)
                continue;
            up->dev[depth + 1] = st.st_dev;
            up->ino[depth + 1] = st.st_ino;
            stop = walk_root_dir(ctx, sr, sub, depth + 1, up, feed, user);
        } else if (S_ISREG(st.st_mode) &&
                   mamori_sysroot_resolve(sr, sub, host, sizeof(host)) ==
                       MAMORI_OK) {
            stop = feed(user, host, MR_AUDIT_DIR_ENTRY);
        }
    }
    mr_sysroot_names_free(&l);
    return stop;
}

size_t mr_audit_sources(const mamori_ctx *ctx, const mamori_sysroot *sr,
                        const char *const *sources, mr_audit_feed feed,
                        void *user)
{
    size_t found = 0;
    for (size_t i = 0; sources[i]; i++) {
        struct stat st;
        char host[MAMORI_SYSROOT_PATH_MAX];
        if (mr_sysroot_stat(sr, sources[i], &st) != MAMORI_OK)
            continue;
        found++;
        int stop;
        if (mamori_sysroot_is_live(sr))
            stop = feed(user, sources[i],
                        S_ISDIR(st.st_mode) ? MR_AUDIT_DIR : MR_AUDIT_FILE);
        else if (S_ISDIR(st.st_mode)) {
            walk_up up;
            up.dev[0] = st.st_dev;
            up.ino[0] = st.st_ino;
            stop = walk_root_dir(ctx, sr, sources[i], 0, &up, feed, user);
        }
        else if (mamori_sysroot_resolve(sr, sources[i], host, sizeof(host)) ==
                 MAMORI_OK)
            stop = feed(user, host, MR_AUDIT_FILE);
        else
            stop = 0;
        if (stop)
            break;
    }
    return found;
}
