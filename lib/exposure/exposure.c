/*
 * exposure.c — `mamori exposure` (include/mamori/exposure.h): reads the
 * listeners (listen.c, netlink or /proc/net), names their processes
 * (proc.c) and services (catalog.c), asks the firewall (nft.c) and the
 * services themselves (probe.c), then reports each risky listener that
 * other hosts can reach, and every listener in the summary.
 *
 * A listener is reachable from other hosts when it is not bound to
 * loopback and the firewall does not filter it (filtered false, or
 * unknown: mamori cannot tell, so it says what it saw and the finding
 * says "filtered": "unknown").
 */
#include "common.h"

#include <inttypes.h>
#include <sys/socket.h>
#include <time.h>

#include "check_ids.h"
#include "exposure/exposure.h"
#include "exposure/fw.h"
#include "host/sysroot.h"
#include "io/source.h"
#include "util/pool.h"
#include "mamori/exposure.h"

#define XP_EVIDENCE_MAX 512
#define XP_PROC_NET_FILES 4
#define XP_WHY_MAX 256          /* nft's error line */
#define XP_SCAN_CONC 512
#define XP_SCAN_RATE 20000
#define XP_SCAN_CONNECT_MS 1000
#define XP_SCAN_HOST_MS 120000
#define XP_SCAN_BANNER_MS 300
#define XP_TARGETS_MAX 1024     /* targets of one scan */
#define XP_PROBE_THREADS 16     /* probes at once: they wait, not compute */
#define XP_WANT_AUTH 1          /* a probe's job: ask whether it lets in */
#define XP_WANT_BANNER 2        /* and/or: read its product and version */

struct mamori_exposure {
    const mamori_ctx *ctx;
    int no_probe, no_firewall;
    unsigned probe_ms;
    char *ruleset_file;
    char **auth_logs;        /* NULL-terminated, or NULL */
    uint64_t ssh_attacks;    /* found in auth_logs */
    mamori_err first_error;
    mr_xp_list list;
    int live;                /* sockets were read (not under a root) */
    const char *reader;      /* "netlink", "proc", "none" */
    uint64_t findings, reachable, risky, malformed, probed;
    int64_t input_chains;    /* -1: the firewall was not read */
    char *scan_ports;
    unsigned scan_top;
    mr_xp_scan_cfg scan;
    int scanned;             /* a scan ran */
    mr_xp_list open;         /* what it found open */
    mr_xp_scan_stats stats;
    uint64_t scan_hosts, scan_nports;
    int no_udp;              /* --scan: TCP only */
    uint64_t udp_open, udp_silent;
    int hba;                 /* pg_hba.conf: MR_XP_HBA_* or 0 */
    char hba_file[MAMORI_SYSROOT_PATH_MAX];
    uint64_t hba_line;
    mr_xp_fwconf fwc[MR_XP_FWCONF_MAX]; /* the firewalls configured */
    size_t nfwc;
    int64_t now;             /* the day versions are judged (eol.h) */
};

static int copy_logs(mamori_exposure *x, const char *const *logs)
{
    size_t n = 0;
    while (logs && logs[n])
        n++;
    if (!n)
        return 0;
    if (!(x->auth_logs = calloc(n + 1, sizeof(char *))))
        return -1;
    for (size_t i = 0; i < n; i++)
        if (!(x->auth_logs[i] = strdup(logs[i])))
            return -1;
    return 0;
}

mamori_err mamori_exposure_new(const mamori_ctx *ctx,
                               const mamori_exposure_opts *opts,
                               mamori_exposure **out)
{
    *out = NULL;
    mamori_exposure *x = calloc(1, sizeof(*x));
    if (!x)
        return MAMORI_E_NOMEM;
    x->ctx = ctx;
    x->now = (int64_t)time(NULL);
    x->probe_ms = MAMORI_EXPOSURE_PROBE_MS;
    x->reader = "none";
    x->input_chains = -1;
    x->scan_top = MAMORI_EXPOSURE_SCAN_TOP;
    x->scan = (mr_xp_scan_cfg){XP_SCAN_CONC, XP_SCAN_RATE, XP_SCAN_CONNECT_MS,
                               XP_SCAN_HOST_MS, XP_SCAN_BANNER_MS};
    if (opts) {
        x->no_probe = opts->no_probe;
        x->no_firewall = opts->no_firewall;
        if (opts->probe_ms)
            x->probe_ms = opts->probe_ms;
#define XP_SET(field, from) if (opts->from) x->field = opts->from
        XP_SET(scan_top, scan_top);
        XP_SET(scan.concurrency, scan_concurrency);
        XP_SET(scan.rate, scan_rate);
        XP_SET(scan.connect_ms, scan_connect_ms);
        XP_SET(scan.host_ms, scan_host_ms);
        XP_SET(scan.banner_ms, scan_banner_ms);
        x->no_udp = opts->scan_no_udp;
#undef XP_SET
        if ((opts->ruleset_file &&
             !(x->ruleset_file = strdup(opts->ruleset_file))) ||
            (opts->scan_ports &&
             !(x->scan_ports = strdup(opts->scan_ports))) ||
            copy_logs(x, opts->auth_logs)) {
            mamori_exposure_free(x);
            return MAMORI_E_NOMEM;
        }
    }
    *out = x;
    return MAMORI_OK;
}

void mamori_exposure_free(mamori_exposure *x)
{
    if (!x)
        return;
    mr_xp_list_free(&x->list);
    mr_xp_list_free(&x->open);
    mr_xp_fwconf_free(x->fwc, x->nfwc);
    free(x->scan_ports);
    free(x->ruleset_file);
    for (size_t i = 0; x->auth_logs && x->auth_logs[i]; i++)
        free(x->auth_logs[i]);
    free(x->auth_logs);
    free(x);
}

/* The listeners from /proc/net when netlink is refused. */
static mamori_err read_proc_net(mamori_exposure *x, const mamori_sysroot *sr)
{
    static const struct {
        const char *path;
        mr_xp_proto proto;
        int family;
    } files[XP_PROC_NET_FILES] = {
        {"/proc/net/tcp", MR_XP_TCP, AF_INET},
        {"/proc/net/tcp6", MR_XP_TCP, AF_INET6},
        {"/proc/net/udp", MR_XP_UDP, AF_INET},
        {"/proc/net/udp6", MR_XP_UDP, AF_INET6},
    };
    for (size_t i = 0; i < XP_PROC_NET_FILES; i++) {
        char *data = NULL;
        size_t len = 0;
        mamori_err e = mr_sysroot_read(sr, files[i].path, MR_XP_PROC_NET_MAX,
                                       &data, &len);
        if (e) {
            /* no IPv6 in this kernel: no tcp6 */
            if (e == MAMORI_E_IO && errno == ENOENT)
                continue;
            mamori_diagf(x->ctx, MAMORI_DIAG_WARN, files[i].path, 0,
                         "exposure: cannot read: %s",
                         e == MAMORI_E_IO ? strerror(errno)
                                          : mamori_strerror(e));
            continue;
        }
        e = mr_xp_parse_proc_net(&x->list, files[i].proto, files[i].family,
                                 data, len, &x->malformed);
        free(data);
        if (e)
            return e;
    }
    return MAMORI_OK;
}

/* The nftables ruleset: from --ruleset FILE or the live one. NULL (after
 * a diagnostic) when it cannot be read: every listener stays unknown. */
static mr_xp_fw *read_firewall(mamori_exposure *x)
{
    mr_xp_fw *fw = NULL;
    mamori_err e;
    if (x->ruleset_file) {
        mr_source *src = NULL;
        e = mr_source_open(x->ruleset_file, &src);
        if (!e) {
            e = mr_xp_fw_read(src, &fw);
            mr_source_close(src);
        }
        if (e)
            mamori_diagf(x->ctx, MAMORI_DIAG_ERROR, x->ruleset_file, 0,
                         "exposure: cannot read the ruleset: %s",
                         e == MAMORI_E_IO ? strerror(errno)
                                          : mamori_strerror(e));
        if (e && !x->first_error)
            x->first_error = e;
        return fw;
    }
    char *json = NULL, why[XP_WHY_MAX];
    size_t len = 0;
    e = mr_xp_fw_live(&json, &len, why, sizeof(why));
    if (!e)
        e = mr_xp_fw_parse(json, len, &fw);
    free(json);
    if (e)
        mamori_diagf(x->ctx, MAMORI_DIAG_WARN, NULL, 0,
                     "exposure: cannot read the nftables ruleset (%s): "
                     "whether each listener is filtered is unknown",
                     why[0] ? why : mamori_strerror(e));
    return fw;
}

static mamori_err run_probe(void *job, unsigned worker, void *user)
{
    mamori_exposure *x = user;
    mr_xp_listener *l = job;
    size_t nsvc;
    const mr_xp_service *svc = mr_xp_services(&nsvc);
    (void)worker;
    if (l->want & XP_WANT_AUTH)
        l->auth = mr_xp_probe(l, svc[l->service].id, x->probe_ms);
    if (l->want & XP_WANT_BANNER)
        mr_xp_banner_read(l, x->probe_ms);
    return MAMORI_OK;
}

/* Probes the listeners of list marked in want (want[i] != 0), several at
 * once: each waits on the network for up to probe_ms, so the review
 * takes about the slowest probe, not their sum. Each job writes only its
 * own listener. */
static mamori_err probe_all(mamori_exposure *x, mr_xp_list *list,
                            const unsigned char *want)
{
    size_t n = 0, auth = 0;
    for (size_t i = 0; i < list->n; i++) {
        list->v[i].want = want[i];
        n += want[i] != 0;
        auth += (want[i] & XP_WANT_AUTH) != 0;
    }
    if (!n)
        return MAMORI_OK;
    /* an SSH server left unprobed for want of libssh says so once, not
     * "unprobed" with no reason */
    size_t nsvc;
    const mr_xp_service *svc = mr_xp_services(&nsvc);
    const char *why = NULL;
    for (size_t i = 0; i < list->n && !why; i++)
        if ((want[i] & XP_WANT_AUTH) && !strcmp(svc[list->v[i].service].id, "ssh"))
            why = mr_xp_ssh_unavailable();
    if (why)
        mamori_diagf(x->ctx, MAMORI_DIAG_WARN, NULL, 0,
                     "exposure: SSH servers are not asked which logins they accept: %s",
                     why);
    mr_pool_opts po = {MR_MIN(n, (size_t)XP_PROBE_THREADS), n, 1, 0,
                       run_probe, x};
    mr_pool *pool = NULL;
    mamori_err e = mr_pool_new(&po, &pool);
    if (e)
        return e;
    for (size_t i = 0; i < list->n && !e; i++)
        if (want[i])
            e = mr_pool_submit(pool, &list->v[i]);
    mamori_err st;
    while (mr_pool_next(pool, &st))
        ;
    mr_pool_free(pool);
    x->probed += auth;
    return e;
}

/* Can a host other than this one reach l? */
static int reachable(const mr_xp_listener *l)
{
    return l->scanned ||
           (l->scope != MR_XP_LOOPBACK && l->filtered != MR_XP_FILTER_YES);
}

static const char *auth_name(mr_xp_auth a)
{
    switch (a) {
    case MR_XP_AUTH_REQUIRED: return "required";
    case MR_XP_AUTH_NONE: return "none";
    case MR_XP_AUTH_PASSWORD: return "password";
    default: return "unprobed";
    }
}

/* The finding of a reachable risky listener, if it is one. */
static int report(mamori_exposure *x, const mr_xp_listener *l,
                  const mamori_sink *sink)
{
    size_t nsvc;
    const mr_xp_service *svc = mr_xp_services(&nsvc);
    if (l->service < 0 || !reachable(l))
        return 0;
    const mr_xp_service *s = &svc[l->service];
    int open = l->auth == MR_XP_AUTH_NONE || l->auth == MR_XP_AUTH_PASSWORD ||
               (l->auth == MR_XP_AUTH_UNPROBED && !s->auth_default);
    int ssh = !strcmp(s->id, "ssh");
    mamori_severity sev = open ? s->open_sev : s->auth_sev;
    if (sev == MAMORI_SEV_INFO)
        return 0;              /* SSH with keys only: as it should be */
    x->risky++;
    /* passwords on, from everywhere, under attack: the worst case */
    int attacked = ssh && open && x->ssh_attacks;
    if (attacked)
        sev = MAMORI_SEV_CRITICAL;
    const char *check = ssh ? MR_CHECK_EXPOSURE_SSH_PASSWORD
                        : open && !strcmp(s->id, "smtp")
                            ? MR_CHECK_EXPOSURE_OPEN_RELAY
                        : open ? MR_CHECK_EXPOSURE_NO_AUTH
                               : MR_CHECK_EXPOSURE_RISKY_SERVICE;
    char ev[XP_EVIDENCE_MAX];
    int w = l->scanned
        ? snprintf(ev, sizeof(ev), "%s %s %s port %u open to a scan%s%s",
                   s->name, l->proto == MR_XP_TCP ? "tcp" : "udp",
                   l->address, (unsigned)l->port,
                   l->banner[0] ? ": " : "", l->banner)
        : snprintf(ev, sizeof(ev), "%s %s %s:%u (%s, scope %s, filtered %s)",
             s->name, l->proto == MR_XP_TCP ? "tcp" : "udp", l->address,
             (unsigned)l->port, l->process[0] ? l->process : "-",
             mr_xp_scope_name(l->scope), mr_xp_filtered_name(l->filtered));
    if (attacked && w > 0 && (size_t)w < sizeof(ev))
        snprintf(ev + w, sizeof(ev) - (size_t)w,
                 "; %" PRIu64 " login attacks on SSH in the logs",
                 x->ssh_attacks);
    mamori_finding f;
    memset(&f, 0, sizeof(f));
    f.check = mamori_check_find(check);
    f.severity = sev;
    f.category = s->id;
    f.time = INT64_MIN;
    f.evidence = ev;
    f.evidence_len = strlen(ev);
    const char *proto = l->proto == MR_XP_TCP ? "tcp" : "udp";
    mamori_finding_str(&f, "service", s->name, strlen(s->name));
    mamori_finding_str(&f, "proto", proto, strlen(proto));
    mamori_finding_str(&f, "address", l->address, strlen(l->address));
    mamori_finding_int(&f, "port", l->port);
    if (l->process[0])
        mamori_finding_str(&f, "process", l->process, strlen(l->process));
    if (l->unit[0])
        mamori_finding_str(&f, "unit", l->unit, strlen(l->unit));
    const char *scope = mr_xp_scope_name(l->scope);
    const char *filt = mr_xp_filtered_name(l->filtered);
    const char *auth = auth_name(l->auth);
    if (l->scanned) {
        mamori_finding_str(&f, "found", "scan", 4);
        if (l->banner[0])
            mamori_finding_str(&f, "banner", l->banner, strlen(l->banner));
    } else {
        mamori_finding_str(&f, "scope", scope, strlen(scope));
        mamori_finding_str(&f, "filtered", filt, strlen(filt));
    }
    mamori_finding_str(&f, "authentication", auth, strlen(auth));
    if (l->ver.product[0])
        mamori_finding_str(&f, "product", l->ver.product,
                           strlen(l->ver.product));
    if (l->ver.version[0])
        mamori_finding_str(&f, "version", l->ver.version,
                           strlen(l->ver.version));
    if (attacked)
        mamori_finding_int(&f, "login_attacks", (int64_t)x->ssh_attacks);
    if (!strcmp(s->id, "postgresql") && !l->scanned && x->hba) {
        f.file = x->hba_file;      /* the line that lets everyone try */
        f.line = x->hba_line;
        const char *h = x->hba == MR_XP_HBA_TRUST ? "trust from everywhere"
                                                  : "passwords from everywhere";
        mamori_finding_str(&f, "pg_hba", h, strlen(h));
    }
    const char *why = x->ctx->lang == MAMORI_LANG_JA ? s->why_ja : s->why_en;
    const char *fix = x->ctx->lang == MAMORI_LANG_JA ? s->fix_ja : s->fix_en;
    mamori_finding_str(&f, "why", why, strlen(why));
    mamori_finding_str(&f, "fix", fix, strlen(fix));
    mamori_finding_str(&f, "reference", s->source, strlen(s->source));
    x->findings++;
    return sink && sink->finding && sink->finding(sink->user, &f);
}

/* The firewalls configured under sr (fwconf.c), each that cannot be
 * read said. */
static mamori_err read_fwconf(mamori_exposure *x, const mamori_sysroot *sr)
{
    mr_xp_fwconf_free(x->fwc, x->nfwc);
    x->nfwc = 0;
    mamori_err e = mr_xp_fwconf_read(sr, x->fwc, &x->nfwc);
    if (!e)
        mr_xp_fwconf_say(x->ctx, x->fwc, x->nfwc,
                         mamori_sysroot_is_live(sr));
    return e;
}

/* Under a root: no sockets, so each firewall configured there says
 * what it lets in (stance.c). */
static mamori_err host_offline(mamori_exposure *x, const mamori_sysroot *sr,
                               const mamori_sink *sink)
{
    if (x->no_firewall || x->nfwc == 0) {
        mamori_diagf(x->ctx, MAMORI_DIAG_NOTE, NULL, 0,
                     "exposure: %s is not a running system: no sockets, "
                     "processes or firewall to read; nothing judged",
                     mamori_sysroot_root(sr));
        return MAMORI_OK;
    }
    mamori_diagf(x->ctx, MAMORI_DIAG_NOTE, NULL, 0,
                 "exposure: %s is not a running system: no sockets or "
                 "processes to read; the firewalls configured there are "
                 "judged on their own",
                 mamori_sysroot_root(sr));
    for (size_t i = 0; i < x->nfwc; i++)
        if (mr_xp_stance_findings(x->ctx, &x->fwc[i], sink, &x->findings))
            return MAMORI_E_ABORTED;
    return MAMORI_OK;
}

/* The configured firewall that decides for the listeners when the
 * loaded ruleset cannot be read: the one loaded at boot, when only one
 * is. NULL when none or several are. */
static const mr_xp_fwconf *boot_firewall(const mamori_exposure *x)
{
    const mr_xp_fwconf *one = NULL;
    for (size_t i = 0; i < x->nfwc; i++) {
        if (!x->fwc[i].enabled)
            continue;
        if (one)
            return NULL;
        one = &x->fwc[i];
    }
    return one && one->fw ? one : NULL;
}

mamori_err mamori_exposure_host(mamori_exposure *x, const mamori_sysroot *sr,
                                const mamori_sink *sink)
{
    if (!x->no_firewall) {
        mamori_err fe = read_fwconf(x, sr);
        if (fe) {
            if (!x->first_error)
                x->first_error = fe;
            return fe;
        }
    }
    if (!mamori_sysroot_is_live(sr))
        return host_offline(x, sr, sink);
    x->live = 1;
    size_t before = x->list.n;
    mamori_err e = mr_xp_read_netlink(&x->list);
    if (e == MAMORI_OK) {
        x->reader = "netlink";
    } else if (e == MAMORI_E_IO) {
        x->list.n = before;      /* a dump cut halfway: read all again */
        x->reader = "proc";
        e = read_proc_net(x, sr);
    }
    if (e) {
        if (!x->first_error)
            x->first_error = e;
        return e;
    }
    mr_xp_list_sort(&x->list);
    mr_xp_map_processes(sr, &x->list);
    for (size_t i = 0; i < x->list.n; i++) {
        mr_xp_listener *l = &x->list.v[i];
        l->service = mr_xp_service_find(l->proto, l->port, l->exe,
                                        l->process);
        l->filtered = MR_XP_FILTER_UNKNOWN;
    }
    mr_xp_fw *fw = x->no_firewall ? NULL : read_firewall(x);
    const mr_xp_fwconf *boot = NULL;
    if (fw) {
        x->input_chains = (int64_t)mr_xp_fw_input_chains(fw);
        for (size_t i = 0; i < x->list.n; i++)
            x->list.v[i].filtered = mr_xp_fw_judge(fw, &x->list.v[i]);
        mr_xp_fw_free(fw);
    } else if (!x->no_firewall && !x->ruleset_file &&
               (boot = boot_firewall(x)) != NULL) {
        const mr_xp_fwconf *c = boot;
        mamori_diagf(x->ctx, MAMORI_DIAG_NOTE, c->file, 0,
                     "exposure: listeners judged by the %s configuration "
                     "loaded at boot, not by the ruleset loaded now",
                     c->name);
        for (size_t i = 0; i < x->list.n; i++)
            x->list.v[i].filtered = mr_xp_fw_judge(c->fw, &x->list.v[i]);
    }
    size_t nsvc;
    const mr_xp_service *svc = mr_xp_services(&nsvc);
    int pg = mr_xp_service_by_id("postgresql"), hba_read = 0;
    unsigned char *want = calloc(x->list.n ? x->list.n : 1, 1);
    if (!want) {
        x->first_error = MAMORI_E_NOMEM;
        return MAMORI_E_NOMEM;
    }
    for (size_t i = 0; i < x->list.n; i++) {
        mr_xp_listener *l = &x->list.v[i];
        if (l->service < 0 || !reachable(l))
            continue;
        if (l->service == pg) {
            /* who gets in is configuration, not a probe */
            if (!hba_read++)
                x->hba = mr_xp_pg_hba(sr, x->hba_file, sizeof(x->hba_file),
                                      &x->hba_line);
            l->auth = x->hba == MR_XP_HBA_TRUST ? MR_XP_AUTH_NONE
                                                : MR_XP_AUTH_REQUIRED;
        } else if (!x->no_probe) {
            want[i] = mr_xp_probe_known(svc[l->service].id) ? XP_WANT_AUTH
                                                            : 0;
        }
    }
    /* the product and version of every mail, file, remote-login and web
     * server, reachable or not: for patching, not for exposure */
    for (size_t i = 0; i < x->list.n && !x->no_probe; i++) {
        mr_xp_listener *l = &x->list.v[i];
        if (l->proto != MR_XP_TCP)
            continue;
        l->banner_kind = mr_xp_banner_kind_of(
            l->service >= 0 ? svc[l->service].id : NULL, l->port, l->exe,
            l->process);
        if (l->banner_kind)
            want[i] |= XP_WANT_BANNER;
    }
    e = probe_all(x, &x->list, want);
    free(want);
    if (e) {
        if (!x->first_error)
            x->first_error = e;
        return e;
    }
    if (x->list.dropped)
        mamori_diagf(x->ctx, MAMORI_DIAG_WARN, NULL, 0,
                     "exposure: %" PRIu64 " listeners over the %u kept "
                     "were left out", x->list.dropped,
                     (unsigned)MR_XP_LISTENERS_MAX);
    if (x->auth_logs) {
        e = mr_xp_ssh_attacks(x->ctx, (const char *const *)x->auth_logs,
                              &x->ssh_attacks);
        if (e && !x->first_error)
            x->first_error = e;
    }
    for (size_t i = 0; i < x->list.n; i++) {
        if (reachable(&x->list.v[i]))
            x->reachable++;
        if (report(x, &x->list.v[i], sink) ||
            mr_xp_eol_report(&x->list.v[i], x->now, sink, &x->findings))
            return MAMORI_E_ABORTED;
    }
    return MAMORI_OK;
}

static int on_open(void *user, int family, const uint8_t *addr,
                   mr_xp_proto proto, uint16_t port, const char *banner)
{
    mamori_exposure *x = user;
    mr_xp_listener l;
    memset(&l, 0, sizeof(l));
    l.proto = proto;
    l.family = family;
    memcpy(l.addr, addr, family == AF_INET ? 4 : 16);
    l.port = port;
    l.scanned = 1;
    snprintf(l.banner, sizeof(l.banner), "%.*s",
             (int)(sizeof(l.banner) - 1), banner);
    return mr_xp_list_add(&x->open, &l) != MAMORI_OK;
}

mamori_err mamori_exposure_scan(mamori_exposure *x, const mamori_sysroot *sr,
                                const char *const *targets, size_t n,
                                const mamori_sink *sink)
{
    mamori_err e = MAMORI_OK;
    uint16_t *ports = NULL;
    size_t np = 0;
    mr_xp_target *t = NULL;
    if (n == 0 || n > XP_TARGETS_MAX) {
        mamori_diagf(x->ctx, MAMORI_DIAG_ERROR, NULL, 0,
                     "exposure: --scan takes 1 to %d targets",
                     XP_TARGETS_MAX);
        e = MAMORI_E_INVAL;
        goto out;
    }
    if (!(t = calloc(n, sizeof(*t)))) {
        e = MAMORI_E_NOMEM;
        goto out;
    }
    uint64_t hosts = 0;
    for (size_t i = 0; i < n; i++) {
        e = mr_xp_target_parse(targets[i], &t[i]);
        if (e) {
            mamori_diagf(x->ctx, MAMORI_DIAG_ERROR, NULL, 0,
                         "exposure: --scan %s: %s", targets[i],
                         e == MAMORI_E_TOO_LARGE
                             ? "more than 65536 addresses"
                             : "not an address or ADDRESS/PREFIX");
            e = MAMORI_E_INVAL;
            goto out;
        }
        hosts += t[i].hosts;
    }
    if (x->scan_ports) {
        e = mr_xp_ports_parse(x->scan_ports, &ports, &np);
        if (e == MAMORI_E_INVAL)
            mamori_diagf(x->ctx, MAMORI_DIAG_ERROR, NULL, 0,
                         "exposure: --ports %s: not a list of ports and "
                         "ranges (22,80,8000-8100)", x->scan_ports);
    } else {
        int from_nmap = 0;
        e = mr_xp_ports_top(sr, x->scan_top, &ports, &np, &from_nmap);
        if (!e && !from_nmap)
            mamori_diagf(x->ctx, MAMORI_DIAG_NOTE, NULL, 0,
                         "exposure: no nmap-services (nmap-common): "
                         "scanning the catalogue's %zu ports", np);
    }
    if (e)
        goto out;
    x->scanned = 1;
    x->scan_hosts += hosts;
    x->scan_nports = np;
    mr_xp_scan_stats st, ust;
    e = mr_xp_scan(t, n, ports, np, &x->scan, on_open, x, &st);
    memset(&ust, 0, sizeof(ust));
    if (!e && !x->no_udp)
        e = mr_xp_scan_udp(t, n, &x->scan, on_open, x, &ust);
    x->udp_open += ust.open;
    x->udp_silent += ust.timeouts;
    x->stats.attempts += st.attempts;
    x->stats.open += st.open;
    x->stats.closed += st.closed;
    x->stats.timeouts += st.timeouts;
    x->stats.skipped += st.skipped;
    x->stats.errors += st.errors;
    x->stats.elapsed_ms += st.elapsed_ms;
    if (st.skipped)
        mamori_diagf(x->ctx, MAMORI_DIAG_WARN, NULL, 0,
                     "exposure: %" PRIu64 " ports left unscanned: a host's "
                     "deadline passed", st.skipped);
    if (e)
        goto out;
    mr_xp_list_sort(&x->open);
    size_t nsvc;
    const mr_xp_service *svc = mr_xp_services(&nsvc);
    unsigned char *want = calloc(x->open.n ? x->open.n : 1, 1);
    if (!want) {
        e = MAMORI_E_NOMEM;
        goto out;
    }
    for (size_t i = 0; i < x->open.n; i++) {
        mr_xp_listener *l = &x->open.v[i];
        l->scanned = 1;
        l->service = mr_xp_service_of_banner(l->banner);
        if (l->service < 0)
            l->service = mr_xp_service_find(l->proto, l->port, NULL, NULL);
        if (l->service >= 0 && !x->no_probe)
            want[i] = mr_xp_probe_known(svc[l->service].id) ? XP_WANT_AUTH
                                                            : 0;
        if (l->proto != MR_XP_TCP)
            continue;
        /* SSH, FTP and SMTP named themselves in the scan's banner; a web
         * server is asked for its Server header */
        l->banner_kind = mr_xp_banner_kind_of(
            l->service >= 0 ? svc[l->service].id : NULL, l->port, NULL,
            NULL);
        if (l->banner_kind == MR_XP_BANNER_HTTP && !x->no_probe)
            want[i] |= XP_WANT_BANNER;
        else if (l->banner_kind)
            (void)mr_xp_banner_parse(l->banner_kind, l->banner,
                                     strlen(l->banner), &l->ver);
    }
    e = probe_all(x, &x->open, want);
    free(want);
    if (e)
        goto out;
    for (size_t i = 0; i < x->open.n; i++) {
        mr_xp_listener *l = &x->open.v[i];
        if (report(x, l, sink) ||
            mr_xp_eol_report(l, x->now, sink, &x->findings)) {
            e = MAMORI_E_ABORTED;
            break;
        }
    }
out:
    if (e && e != MAMORI_E_ABORTED && !x->first_error)
        x->first_error = e;
    free(ports);
    free(t);
    return e;
}

/* The scan's part of the summary. */
static int scan_summary(mamori_exposure *x, mamori_summary *s)
{
    size_t nsvc;
    const mr_xp_service *svc = mr_xp_services(&nsvc);
    static const char *const cols[] = {"host", "proto", "port", "service",
                                       "banner", "authentication"};
    int bad =
        mamori_summary_counter(s, "scan_hosts", "Hosts scanned",
                               "スキャンしたホスト",
                               (int64_t)x->scan_hosts) ||
        mamori_summary_counter(s, "scan_ports", "Ports per host",
                               "ホストごとのポート",
                               (int64_t)x->scan_nports) ||
        mamori_summary_counter(s, "scan_open", "Open ports", "開いているポート",
                               (int64_t)x->stats.open) ||
        mamori_summary_counter(s, "scan_closed", "Closed ports",
                               "閉じているポート",
                               (int64_t)x->stats.closed) ||
        mamori_summary_counter(s, "scan_no_answer",
                               "Ports with no answer (filtered)",
                               "応答のないポート（遮断）",
                               (int64_t)x->stats.timeouts) ||
        (!x->live && mamori_summary_counter(s, "findings", "Findings",
                                            "検出件数",
                                            (int64_t)x->findings)) ||
        mamori_summary_counter(s, "scan_udp_open",
                               "UDP services answering (DNS, NTP, SNMP)",
                               "応答したUDPサービス（DNS、NTP、SNMP）",
                               (int64_t)x->udp_open) ||
        mamori_summary_counter(s, "scan_udp_silent",
                               "UDP questions unanswered (open or filtered)",
                               "応答のないUDP問い合わせ（開いているか遮断）",
                               (int64_t)x->udp_silent) ||
        mamori_summary_counter(s, "scan_errors",
                               "Ports that could not be tried",
                               "試せなかったポート",
                               (int64_t)x->stats.errors) ||
        mamori_summary_counter(s, "scan_skipped",
                               "Ports left out (host deadline)",
                               "未スキャンのポート（ホストの期限）",
                               (int64_t)x->stats.skipped) ||
        mamori_summary_table(s, "open_ports", "Open ports", "開いているポート",
                             MR_ARRAY_LEN(cols), cols);
    for (size_t i = 0; i < x->open.n && !bad; i++) {
        const mr_xp_listener *l = &x->open.v[i];
        mamori_cell row[MR_ARRAY_LEN(cols)] = {
            {l->address, 0},
            {l->proto == MR_XP_TCP ? "tcp" : "udp", 0},
            {NULL, l->port},
            {l->service >= 0 ? svc[l->service].id : "-", 0},
            {l->banner[0] ? l->banner : "-", 0},
            {auth_name(l->auth), 0}};
        bad = mamori_summary_row(s, row) != MAMORI_OK;
    }
    return bad || mr_xp_versions_summary(&x->open, s, "open_versions", x->now);
}

/* The local review's part: counters and every listener. */
static int local_summary(mamori_exposure *x, mamori_summary *s)
{
    size_t nsvc;
    const mr_xp_service *svc = mr_xp_services(&nsvc);
    static const char *const cols[] = {"proto", "address", "port",
                                       "process", "unit", "scope",
                                       "filtered", "service"};
    int bad =
        mamori_summary_counter(s, "listeners", "Listening sockets",
                               "待ち受けているソケット",
                               (int64_t)x->list.n) ||
        mamori_summary_counter(s, "reachable",
                               "Reachable from other hosts",
                               "他のホストから接続できるもの",
                               (int64_t)x->reachable) ||
        mamori_summary_counter(s, "risky", "Risky services reachable",
                               "接続できる危険性の高いサービス",
                               (int64_t)x->risky) ||
        mamori_summary_counter(s, "findings", "Findings", "検出件数",
                               (int64_t)x->findings) ||
        mamori_summary_counter(s, "probed", "Services probed",
                               "確認のため接続したサービス",
                               (int64_t)x->probed) ||
        mamori_summary_counter(s, "input_chains",
                               "Firewall input chains (-1: not read)",
                               "ファイアウォールの入力チェイン（-1: 未読込）",
                               x->input_chains) ||
        mamori_summary_table(s, "listeners", "Listeners",
                             "待ち受け一覧", MR_ARRAY_LEN(cols), cols);
    for (size_t i = 0; i < x->list.n && !bad; i++) {
        const mr_xp_listener *l = &x->list.v[i];
        mamori_cell row[MR_ARRAY_LEN(cols)] = {
            {l->proto == MR_XP_TCP ? "tcp" : "udp", 0},
            {l->address, 0},
            {NULL, l->port},
            {l->process[0] ? l->process : "-", 0},
            {l->unit[0] ? l->unit : "-", 0},
            {mr_xp_scope_name(l->scope), 0},
            {mr_xp_filtered_name(l->filtered), 0},
            {l->service >= 0 ? svc[l->service].id : "-", 0}};
        bad = mamori_summary_row(s, row) != MAMORI_OK;
    }
    return bad || mr_xp_versions_summary(&x->list, s, "versions", x->now) ||
           mr_xp_stance_summary(x->fwc, x->nfwc, s);
}

mamori_err mamori_exposure_finish(mamori_exposure *x, const mamori_sink *sink)
{
    if (x->first_error)
        return x->first_error;
    mamori_summary *s = mamori_summary_new("exposure");
    if (!s)
        return MAMORI_E_NOMEM;
    /* a scan alone reports the scan; the local review its listeners */
    int bad = (x->scanned && scan_summary(x, s)) ||
              ((x->live || !x->scanned) && local_summary(x, s));
    if (bad) {
        mamori_summary_free(s);
        return MAMORI_E_NOMEM;
    }
    if (sink && sink->summary)
        return sink->summary(sink->user, s) ? MAMORI_E_ABORTED : MAMORI_OK;
    mamori_summary_free(s);
    return MAMORI_OK;
}
