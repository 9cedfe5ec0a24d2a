/*
 * cfg.c — authscan's options with their defaults resolved, and the
 * network list of --allow. Each default and why:
 *
 *   bf_failures 5 / bf_window 600 s   fail2ban's sshd jail (maxretry 5,
 *                                     findtime 10m); CrowdSec ssh-bf also
 *                                     fires at 5
 *   enum_accounts 5                   CrowdSec ssh-user-enum: 5 users
 *   spray_accounts 5, per account 3   a spray tries each account about as
 *                                     often as a lockout policy allows
 *   stuffing 20 accounts, 3 sources,  a list-based attack tries each
 *   3600 s                            account once or twice; normal typos
 *                                     are followed by a success
 *   distributed 10 sources, 20 fails  each source stays below Wazuh 5712
 *                                     (8 in 120 s) and fail2ban's 5
 *   breakin 5 failures / 3 accounts   a success after what a ban would
 *                                     have stopped
 *   long_session 12 h                 longer than a working day
 */
#include "common.h"

#include <arpa/inet.h>

#define MR_AUTH_ENGINE_INTERNAL
#include "auth/engine.h"

static unsigned pick(unsigned v, unsigned def) { return v ? v : def; }
static int64_t pick64(int64_t v, int64_t def) { return v > 0 ? v : def; }

int mr_auth_cidr_parse(const char *s, mr_auth_cidr *out)
{
    char buf[64];
    const char *slash = strchr(s, '/');
    size_t n = slash ? (size_t)(slash - s) : strlen(s);
    if (n == 0 || n >= sizeof(buf))
        return -1;
    memcpy(buf, s, n);
    buf[n] = 0;
    memset(out, 0, sizeof(*out));
    unsigned max;
    struct in_addr a4;
    if (inet_pton(AF_INET, buf, &a4) == 1) {
        out->addr[10] = out->addr[11] = 0xff;
        memcpy(out->addr + 12, &a4, 4);
        max = 32;
    } else if (inet_pton(AF_INET6, buf, out->addr) == 1) {
        max = 128;
    } else {
        return -1;
    }
    unsigned bits = max;
    if (slash) {
        uint64_t v;
        const char *p = slash + 1;
        if (mr_span_u64(mr_span_make(p, strlen(p)), max, &v))
            return -1;
        bits = (unsigned)v;
    }
    out->bits = bits + (128 - max);
    return 0;
}

int mr_auth_cidr_match(const mr_auth_cidr *list, size_t n, mr_span addr)
{
    char buf[64];
    mr_auth_cidr a;
    if (addr.n == 0 || addr.n >= sizeof(buf))
        return 0;
    memcpy(buf, addr.p, addr.n);
    buf[addr.n] = 0;
    const char *s = buf;
    if (strncasecmp(s, "::ffff:", 7) == 0 && strchr(s + 7, '.'))
        s += 7;
    if (strchr(s, '/') || mr_auth_cidr_parse(s, &a))
        return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned bits = list[i].bits, full = bits / 8, rest = bits % 8;
        if (memcmp(a.addr, list[i].addr, full) != 0)
            continue;
        if (rest) {
            unsigned char mask = (unsigned char)(0xff << (8 - rest));
            if ((a.addr[full] & mask) != (list[i].addr[full] & mask))
                continue;
        }
        return 1;
    }
    return 0;
}

int mr_auth_is_privileged(const mr_auth_cfg *cfg, mr_span account)
{
    for (size_t i = 0; i < cfg->nprivileged; i++)
        if (mr_span_eq(account, cfg->privileged[i]))
            return 1;
    return 0;
}

int mr_auth_cfg_init(mr_auth_cfg *cfg, const mamori_authscan_opts *o,
                     char *err, size_t errlen)
{
    static const mamori_authscan_opts none;
    if (!o)
        o = &none;
    memset(cfg, 0, sizeof(*cfg));
    cfg->bf_failures = pick(o->bf_failures, 5);
    cfg->bf_window = pick64(o->bf_window, 600);
    cfg->enum_accounts = pick(o->enum_accounts, 5);
    cfg->spray_accounts = pick(o->spray_accounts, 5);
    cfg->spray_per_account = pick(o->spray_per_account, 3);
    cfg->stuffing_accounts = pick(o->stuffing_accounts, 20);
    cfg->stuffing_sources = pick(o->stuffing_sources, 3);
    cfg->stuffing_window = pick64(o->stuffing_window, 3600);
    cfg->distributed_sources = pick(o->distributed_sources, 10);
    cfg->distributed_failures = pick(o->distributed_failures, 20);
    cfg->breakin_failures = pick(o->breakin_failures, 5);
    cfg->breakin_other_accounts = pick(o->breakin_other_accounts, 3);
    cfg->long_session = pick64(o->long_session, 12 * 3600);
    cfg->memory_budget = o->memory_budget ? o->memory_budget
                                          : MAMORI_AUTHSCAN_MEMORY_DEFAULT;
    if (cfg->memory_budget < ((size_t)4 << 20)) {
        snprintf(err, errlen, "memory budget below 4 MB");
        return -1;
    }
    if (o->nallow > MAMORI_AUTHSCAN_ALLOW_MAX) {
        snprintf(err, errlen, "more than %d --allow networks", MAMORI_AUTHSCAN_ALLOW_MAX);
        return -1;
    }
    for (size_t i = 0; i < o->nallow; i++)
        if (!o->allow[i] || mr_auth_cidr_parse(o->allow[i], &cfg->allow[i])) {
            snprintf(err, errlen, "--allow '%s' is not an address or a CIDR network",
                     o->allow[i] ? o->allow[i] : "");
            return -1;
        }
    cfg->nallow = o->nallow;
    cfg->hours_from = cfg->hours_to = -1;
    if (o->hours_from != o->hours_to) { /* equal (0-0, -1--1): off */
        if (o->hours_from < 0 || o->hours_from > 23 || o->hours_to < 0 ||
            o->hours_to > 24 || o->hours_from == o->hours_to) {
            snprintf(err, errlen, "--hours wants FROM-TO, hours 0..24, FROM != TO");
            return -1;
        }
        cfg->hours_from = o->hours_from;
        cfg->hours_to = o->hours_to;
    }
    static const char *const def_priv[] = {"root", "toor"};
    const char *const *priv = o->privileged ? o->privileged : def_priv;
    size_t np = o->privileged ? o->nprivileged : MR_ARRAY_LEN(def_priv);
    if (np > MAMORI_AUTHSCAN_PRIVILEGED_MAX) {
        snprintf(err, errlen, "more than %d privileged accounts", MAMORI_AUTHSCAN_PRIVILEGED_MAX);
        return -1;
    }
    for (size_t i = 0; i < np; i++) {
        if (!priv[i] || strlen(priv[i]) >= sizeof(cfg->privileged[0])) {
            snprintf(err, errlen, "bad privileged account name");
            return -1;
        }
        snprintf(cfg->privileged[i], sizeof(cfg->privileged[i]), "%s", priv[i]);
    }
    cfg->nprivileged = np;
    return 0;
}
