/*
 * fwconf.c — the firewalls a machine configures to load at boot, read
 * from its files through the sysroot (so `--root DIR` reads an image's):
 * nftables (/etc/nftables.conf with its includes expanded inside the
 * root by nftinc.c, loaded by nftconf.c into a throwaway network
 * namespace), iptables-persistent (/etc/iptables/rules.v4 and
 * rules.v6), ufw (/etc/ufw/ufw.conf's ENABLED, /etc/default/ufw's
 * DEFAULT_INPUT_POLICY and IPV6 (not "yes": IPv6 dropped but on
 * loopback), the user.rules and user6.rules its commands write) and
 * firewalld (/etc/firewalld/firewalld.conf's DefaultZone, that zone's
 * file, the services it names). Each becomes the same firewall model
 * (fw.h) the judge of nft.c reads.
 *
 * What is modelled of ufw: the default input policy, its chains as its
 * backend builds them, /etc/ufw/before.rules and after.rules (and their
 * IPv6 twins) around the user's rules (`ufw allow`, `ufw limit`, `ufw
 * deny`: user.rules, whose ### tuple ### comments are comments to
 * iptables-restore too). Debian's own before.rules opens nothing to a
 * new connection from another host but the DHCP client's port to
 * packets from port 67, a condition mamori does not read (unknown).
 * Of firewalld: the default zone and every zone bound to an interface
 * (or to every source of a family), each judged on its own: a port is
 * open when one of them opens it (read_firewalld()); the policies whose
 * traffic goes to this host, in the zones they apply to.
 */
#include "common.h"

#include <inttypes.h>

#include "exposure/exposure.h"
#include "exposure/fw.h"
#include "host/sysroot.h"

#define FWC_FILE_MAX (16u * 1024 * 1024) /* one rules file, nftables.conf */
#define FWC_CONF_MAX (256u * 1024)       /* ufw.conf, /etc/default/ufw,
                                            firewalld's files */
#define FWC_ZONE_MAX MR_XP_FW_NAME_MAX   /* a zone's or service's name */
#define FWC_ZONES_MAX 64                 /* firewalld zones judged */
#define FWC_UFW_HEAD_MAX 1024            /* ufw's own chains, as text */
#define FWC_POLICIES_MAX 32              /* firewalld policies read */
#define FWC_POLICY_NAMES_MAX 128         /* /etc's policy files named */

static void say(char *why, size_t cap, const char *what, mamori_err e)
{
    snprintf(why, cap, "%s: %s", what,
             e == MAMORI_E_IO ? strerror(errno) : mamori_strerror(e));
}

/* 1 when a systemd unit is enabled in sr (a wants link), else 0. */
static int unit_enabled(const mamori_sysroot *sr, const char *unit)
{
    static const char *const dirs[] = {
        "/etc/systemd/system/multi-user.target.wants/",
        "/etc/systemd/system/sysinit.target.wants/",
        "/etc/systemd/system/basic.target.wants/"};
    char p[MAMORI_SYSROOT_PATH_MAX];
    for (size_t i = 0; i < MR_ARRAY_LEN(dirs); i++) {
        snprintf(p, sizeof(p), "%s%s", dirs[i], unit);
        if (mr_sysroot_exists(sr, p))
            return 1;
    }
    return 0;
}

/* The value of KEY=VALUE (shell style: quotes dropped) in a file's text,
 * into out (cap bytes); 0 when the key is not set. */
static int conf_value(const char *data, size_t len, const char *key,
                      char *out, size_t cap)
{
    size_t k = strlen(key), pos = 0;
    int found = 0;
    while (pos < len) {
        const char *nl = memchr(data + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - data) : len;
        const char *s = data + pos;
        size_t n = end - pos;
        while (n && (*s == ' ' || *s == '\t')) {
            s++;
            n--;
        }
        if (n > k && !memcmp(s, key, k) && s[k] == '=') {
            s += k + 1;
            n -= k + 1;
            while (n && (s[n - 1] == ' ' || s[n - 1] == '\r' ||
                         s[n - 1] == '\t'))
                n--;
            if (n >= 2 && (s[0] == '"' || s[0] == '\'') && s[n - 1] == s[0]) {
                s++;
                n -= 2;
            }
            snprintf(out, cap, "%.*s", (int)MR_MIN(n, cap - 1), s);
            found = 1;             /* the last assignment wins */
        }
        pos = end + 1;
    }
    return found;
}

/* Reads path; 1 and *data when it is there, 0 when it is not, -1 (why
 * set) when it is there but cannot be read. */
static int read_file(const mamori_sysroot *sr, const char *path, size_t max,
                     char **data, size_t *len, char *why, size_t cap)
{
    mamori_err e = mr_sysroot_read(sr, path, max, data, len);
    if (!e)
        return 1;
    if (e == MAMORI_E_IO && errno == ENOENT)
        return 0;
    say(why, cap, path, e);
    return -1;
}

/* rules.v4 and rules.v6 of iptables-persistent. */
static mamori_err read_iptables(const mamori_sysroot *sr, mr_xp_fwconf *c)
{
    static const char *const files[2] = {"/etc/iptables/rules.v4",
                                         "/etc/iptables/rules.v6"};
    mamori_err e = MAMORI_OK;
    for (int v6 = 0; v6 < 2 && !e && c->fw; v6++) {
        char *data = NULL;
        size_t len = 0;
        int r = read_file(sr, files[v6], FWC_FILE_MAX, &data, &len, c->why,
                          sizeof(c->why));
        if (r < 0) {
            mr_xp_fw_free(c->fw);
            c->fw = NULL;
        } else if (r > 0) {
            if (!c->file[0])
                snprintf(c->file, sizeof(c->file), "%s", files[v6]);
            e = mr_xp_ipt_restore(c->fw, v6, data, len, &c->bad);
        }
        free(data);
    }
    c->enabled = unit_enabled(sr, "netfilter-persistent.service") ||
                 unit_enabled(sr, "iptables.service");
    return e;
}

/* One rules file of ufw into c->fw; a missing one is nothing, one that
 * cannot be read makes every verdict unknown. */
static mamori_err ufw_file(const mamori_sysroot *sr, mr_xp_fwconf *c,
                           int v6, const char *path)
{
    char *data = NULL;
    size_t len = 0;
    int r = read_file(sr, path, FWC_FILE_MAX, &data, &len, c->why,
                      sizeof(c->why));
    mamori_err e = MAMORI_OK;
    if (r > 0)
        e = mr_xp_ipt_parse(c->fw, v6, data, len, &c->bad);
    else if (r < 0)
        c->fw->overflow = 1;
    free(data);
    return e;
}

/* The input hook as ufw builds it (its backend, ufw 0.36): INPUT jumps
 * to its before, after, reject and track chains in turn; before.rules
 * fills ufw-before-input, which ends with a jump to the user's chain
 * (user.rules); after.rules sends some ports to ufw-skip-to-policy-input,
 * which holds the default policy; ufw-logging-deny only logs. IPv6's
 * chains are named ufw6-. */
static mamori_err ufw_family(const mamori_sysroot *sr, mr_xp_fwconf *c,
                             int v6, int accept)
{
    static const char *const files[2][3] = {
        {"/etc/ufw/before.rules", "/etc/ufw/user.rules",
         "/etc/ufw/after.rules"},
        {"/etc/ufw/before6.rules", "/etc/ufw/user6.rules",
         "/etc/ufw/after6.rules"}};
    const char *x = v6 ? "ufw6" : "ufw", *pol = accept ? "ACCEPT" : "DROP";
    char head[FWC_UFW_HEAD_MAX];
    int n = snprintf(head, sizeof(head),
                     "*filter\n:INPUT %s [0:0]\n"
                     ":%s-before-logging-input - [0:0]\n"
                     ":%s-before-input - [0:0]\n"
                     ":%s-user-input - [0:0]\n"
                     ":%s-after-input - [0:0]\n"
                     ":%s-after-logging-input - [0:0]\n"
                     ":%s-reject-input - [0:0]\n"
                     ":%s-track-input - [0:0]\n"
                     ":%s-logging-deny - [0:0]\n"
                     ":%s-logging-allow - [0:0]\n"
                     ":%s-skip-to-policy-input - [0:0]\n"
                     "-A INPUT -j %s-before-logging-input\n"
                     "-A INPUT -j %s-before-input\n"
                     "-A INPUT -j %s-after-input\n"
                     "-A INPUT -j %s-after-logging-input\n"
                     "-A INPUT -j %s-reject-input\n"
                     "-A INPUT -j %s-track-input\n"
                     "-A %s-skip-to-policy-input -j %s\nCOMMIT\n",
                     pol, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x,
                     x, pol);
    char tail[FWC_UFW_HEAD_MAX];
    int t = snprintf(tail, sizeof(tail),
                     "*filter\n-A %s-before-input -j %s-user-input\n"
                     "COMMIT\n", x, x);
    if (n <= 0 || (size_t)n >= sizeof(head) || t <= 0 ||
        (size_t)t >= sizeof(tail))
        return MAMORI_E_INVAL;
    mamori_err e = mr_xp_ipt_parse(c->fw, v6, head, (size_t)n, NULL);
    if (!e)
        e = ufw_file(sr, c, v6, files[v6][0]);
    if (!e)
        e = mr_xp_ipt_parse(c->fw, v6, tail, (size_t)t, NULL);
    if (!e)
        e = ufw_file(sr, c, v6, files[v6][1]);
    if (!e)
        e = ufw_file(sr, c, v6, files[v6][2]);
    return e;
}

static mamori_err read_ufw(const mamori_sysroot *sr, mr_xp_fwconf *c,
                           const char *conf, size_t conf_len)
{
    char v[FWC_ZONE_MAX] = "", policy[FWC_ZONE_MAX] = "DROP", ipv6[8] = "yes";
    c->enabled = conf_value(conf, conf_len, "ENABLED", v, sizeof(v)) &&
                 !strcmp(v, "yes");
    char *d = NULL;
    size_t dl = 0;
    if (read_file(sr, "/etc/default/ufw", FWC_CONF_MAX, &d, &dl, c->why,
                  sizeof(c->why)) > 0) {
        conf_value(d, dl, "DEFAULT_INPUT_POLICY", policy, sizeof(policy));
        conf_value(d, dl, "IPV6", ipv6, sizeof(ipv6));
    }
    free(d);
    int accept = !strcmp(policy, "ACCEPT");
    if (!accept && strcmp(policy, "DROP") && strcmp(policy, "REJECT"))
        c->fw->overflow = 1;       /* a policy ufw does not know */
    mamori_err e = ufw_family(sr, c, 0, accept);
    if (!e && !strcmp(ipv6, "yes")) {
        e = ufw_family(sr, c, 1, accept);
    } else if (!e) {
        /* /etc/default/ufw: "no means only IPv6 on loopback accepted"
         * (ufw-init-functions drops the rest) */
        static const char lo[] = "*filter\n:INPUT DROP [0:0]\n"
                                 "-A INPUT -i lo -j ACCEPT\nCOMMIT\n";
        e = mr_xp_ipt_parse(c->fw, 1, lo, sizeof(lo) - 1, NULL);
    }
    return e;
}

typedef struct fwd_ctx {
    const mamori_sysroot *sr;
} fwd_ctx;

static int fwd_name_ok(const char *n)
{
    if (!*n || strlen(n) >= FWC_ZONE_MAX || n[0] == '.')
        return 0;
    for (const char *p = n; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
              (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' ||
              *p == '.'))
            return 0;
    return 1;
}

/* name.xml in /etc/firewalld/DIR, else (only when /etc has none: an
 * /etc file firewalld uses hides /usr/lib's even when mamori cannot read
 * it) /usr/lib/firewalld/DIR. */
static int fwd_read(const mamori_sysroot *sr, const char *dir,
                    const char *name, char **xml, size_t *len, char *path,
                    size_t cap)
{
    static const char *const bases[] = {"/etc/firewalld",
                                        "/usr/lib/firewalld"};
    if (!fwd_name_ok(name))
        return -1;
    for (size_t i = 0; i < MR_ARRAY_LEN(bases); i++) {
        snprintf(path, cap, "%s/%s/%s.xml", bases[i], dir, name);
        mamori_err e = mr_sysroot_read(sr, path, FWC_CONF_MAX, xml, len);
        if (!e)
            return 0;
        if (e != MAMORI_E_IO || errno != ENOENT)
            return -1;
    }
    return -1;
}

static int fwd_service(void *user, const char *name, char **xml, size_t *len)
{
    fwd_ctx *f = user;
    char path[MAMORI_SYSROOT_PATH_MAX];
    return fwd_read(f->sr, "services", name, xml, len, path, sizeof(path));
}

/* The zones firewalld judges: the default zone (every interface bound
 * to no other), then each zone bound to an interface or to every source
 * of a family, in its zone file under /etc/firewalld/zones (firewalld
 * writes bindings there) or by a NetworkManager connection's zone= (its
 * keyfiles in /etc and /usr/lib) or an ifcfg file's ZONE=. A zone bound
 * only to some sources opens nothing to every host: not judged. A bound
 * zone whose file cannot be read is unknown. */
typedef struct fwd_zones {
    size_t n;
    char name[FWC_ZONES_MAX][FWC_ZONE_MAX];
    char family[FWC_ZONES_MAX][8];
    int cut;                     /* more than FWC_ZONES_MAX */
} fwd_zones;

static void zone_add(fwd_zones *zs, const char *name, const char *family)
{
    for (size_t i = 0; i < zs->n; i++) {
        if (strcmp(zs->name[i], name))
            continue;
        if (strcmp(zs->family[i], family))
            snprintf(zs->family[i], sizeof(zs->family[i]), "inet");
        return;
    }
    if (zs->n >= FWC_ZONES_MAX) {
        zs->cut = 1;
        return;
    }
    snprintf(zs->name[zs->n], FWC_ZONE_MAX, "%s", name);
    snprintf(zs->family[zs->n], sizeof(zs->family[0]), "%s", family);
    zs->n++;
}

/* Zones named by key= in the files matching glob (NetworkManager's
 * connections, ifcfg files); an empty value is the default zone. */
static mamori_err zones_named_in(const mamori_sysroot *sr, const char *glob,
                                 const char *key, fwd_zones *zs)
{
    mr_sysroot_names l;
    memset(&l, 0, sizeof(l));
    mamori_err e = mr_sysroot_glob(sr, glob, &l);
    if (e)
        return e == MAMORI_E_NOMEM ? e : MAMORI_OK;
    for (size_t i = 0; i < l.n; i++) {
        char *d = NULL, v[FWC_ZONE_MAX];
        size_t dl = 0;
        if (mr_sysroot_read(sr, l.names[i], FWC_CONF_MAX, &d, &dl))
            continue;            /* unreadable: firewalld's own files say */
        if (conf_value(d, dl, key, v, sizeof(v)) && v[0] && fwd_name_ok(v))
            zone_add(zs, v, "inet");
        free(d);
    }
    mr_sysroot_names_free(&l);
    return MAMORI_OK;
}

/* Zones bound in their own files under /etc/firewalld/zones; one that
 * cannot be read or scanned may bind anything: judged, as unknown. */
static mamori_err zones_bound(const mamori_sysroot *sr, fwd_zones *zs)
{
    mr_sysroot_names l;
    memset(&l, 0, sizeof(l));
    mamori_err e = mr_sysroot_glob(sr, "/etc/firewalld/zones/*.xml", &l);
    if (e)
        return e == MAMORI_E_NOMEM ? e : MAMORI_OK;
    for (size_t i = 0; i < l.n; i++) {
        const char *base = strrchr(l.names[i], '/');
        char name[FWC_ZONE_MAX];
        base = base ? base + 1 : l.names[i];
        size_t bl = strlen(base);
        if (bl <= 4 || bl - 4 >= sizeof(name))
            continue;
        snprintf(name, sizeof(name), "%.*s", (int)(bl - 4), base);
        char *d = NULL;
        size_t dl = 0;
        mr_xp_fwd_bind b;
        if (!fwd_name_ok(name))
            continue;
        e = mr_sysroot_read(sr, l.names[i], FWC_CONF_MAX, &d, &dl);
        if (e == MAMORI_E_NOMEM)
            break;
        e = MAMORI_OK;
        if (!d || mr_xp_fwd_binds(d, dl, &b)) {
            zone_add(zs, name, "inet");
        } else {
            if (b.interfaces || (b.any4 && b.any6))
                zone_add(zs, name, "inet");
            else if (b.any4 || b.any6)
                zone_add(zs, name, b.any4 ? "ip" : "ip6");
        }
        free(d);
    }
    mr_sysroot_names_free(&l);
    return e;
}

/* firewalld's policies (firewalld.policies(5)) whose traffic goes to
 * this host (egress zone HOST): each becomes a chain of every family the
 * zones use, which the zones it applies to (ingress ANY, or named) jump
 * to before their rules (negative priority) or after them. /etc's file
 * of a name hides /usr/lib's. A policy mamori cannot place (no priority
 * read, too many ingress zones, too long a name, over FWC_POLICIES_MAX)
 * makes every verdict unknown. */
typedef struct fwd_pol {
    char chain[MR_XP_FW_NAME_MAX];
    mr_xp_fwd_bind b;
    char *xml;
    size_t len;
} fwd_pol;

typedef struct fwd_pols {
    fwd_pol v[FWC_POLICIES_MAX];
    size_t n;
    /* every policy /etc has, kept or not: each hides /usr/lib's */
    char etc[FWC_POLICY_NAMES_MAX][MR_XP_FW_NAME_MAX];
    size_t netc;
} fwd_pols;

static void pols_free(fwd_pols *ps)
{
    for (size_t i = 0; ps && i < ps->n; i++)
        free(ps->v[i].xml);
    free(ps);
}

static mamori_err pols_read(const mamori_sysroot *sr, fwd_pols *ps,
                            mr_xp_fw *fw)
{
    static const char *const globs[] = {"/etc/firewalld/policies/*.xml",
                                        "/usr/lib/firewalld/policies/*.xml"};
    mamori_err e = MAMORI_OK;
    for (size_t g = 0; g < MR_ARRAY_LEN(globs) && !e; g++) {
        mr_sysroot_names l;
        memset(&l, 0, sizeof(l));
        e = mr_sysroot_glob(sr, globs[g], &l);
        if (e) {
            e = e == MAMORI_E_NOMEM ? e : MAMORI_OK;
            break;
        }
        if (l.truncated)
            fw->overflow = 1;
        for (size_t i = 0; i < l.n && !e; i++) {
            const char *base = strrchr(l.names[i], '/');
            base = base ? base + 1 : l.names[i];
            size_t bl = strlen(base);
            char chain[MR_XP_FW_NAME_MAX];
            int w = snprintf(chain, sizeof(chain), "policy:%.*s",
                             (int)(bl > 4 ? bl - 4 : 0), base);
            if (bl <= 4 || w < 0 || (size_t)w >= sizeof(chain)) {
                fw->overflow = 1;
                continue;
            }
            int seen = 0;
            for (size_t k = 0; k < ps->netc && !seen; k++)
                seen = !strcmp(ps->etc[k], chain);
            if (seen)
                continue;          /* /etc's file of that name decides */
            if (g == 0) {
                if (ps->netc >= FWC_POLICY_NAMES_MAX) {
                    fw->overflow = 1;
                    continue;
                }
                snprintf(ps->etc[ps->netc++], MR_XP_FW_NAME_MAX, "%s",
                         chain);
            }
            if (ps->n >= FWC_POLICIES_MAX) {
                fw->overflow = 1;
                break;
            }
            fwd_pol *p = &ps->v[ps->n];
            memset(p, 0, sizeof(*p));
            e = mr_sysroot_read(sr, l.names[i], FWC_CONF_MAX, &p->xml,
                                &p->len);
            if (e) {
                e = e == MAMORI_E_NOMEM ? e : MAMORI_OK;
                fw->overflow = 1;  /* there, not read: it may open */
                continue;
            }
            snprintf(p->chain, sizeof(p->chain), "%s", chain);
            if (mr_xp_fwd_binds(p->xml, p->len, &p->b) || !p->b.is_policy ||
                (p->b.egress_host && (!p->b.priority || p->b.ingress_cut)))
                fw->overflow = 1;
            if (p->b.egress_host) {
                ps->n++;
            } else {
                free(p->xml);      /* not to this host: nothing here */
                p->xml = NULL;
            }
        }
        mr_sysroot_names_free(&l);
    }
    return e;
}

/* The jumps of zone `name` to the policies that apply to it. */
static size_t pols_for(const fwd_pols *ps, const char *name,
                       mr_xp_fwd_jump *j)
{
    size_t n = 0;
    for (size_t i = 0; i < ps->n; i++) {
        const mr_xp_fwd_bind *b = &ps->v[i].b;
        int applies = b->ingress_any;
        for (size_t k = 0; k < b->ningress && !applies; k++)
            applies = !strcmp(b->ingress[k], name);
        if (!applies)
            continue;
        snprintf(j[n].chain, sizeof(j[n].chain), "%s", ps->v[i].chain);
        j[n].priority = b->priority;
        n++;
    }
    return n;
}

static mamori_err read_firewalld(const mamori_sysroot *sr, mr_xp_fwconf *c,
                                 const char *conf, size_t conf_len)
{
    char zone[FWC_ZONE_MAX] = "public";
    conf_value(conf, conf_len, "DefaultZone", zone, sizeof(zone));
    c->enabled = unit_enabled(sr, "firewalld.service");
    char *xml = NULL, path[MAMORI_SYSROOT_PATH_MAX];
    size_t len = 0;
    if (fwd_read(sr, "zones", zone, &xml, &len, path, sizeof(path))) {
        snprintf(c->why, sizeof(c->why),
                 "the default zone \"%.64s\" has no file that can be read",
                 zone);
        mr_xp_fw_free(c->fw);
        c->fw = NULL;
        return MAMORI_OK;
    }
    snprintf(c->file, sizeof(c->file), "%s", path);
    fwd_ctx f = {sr};
    fwd_zones *zs = calloc(1, sizeof(*zs));
    mamori_err e = zs ? MAMORI_OK : MAMORI_E_NOMEM;
    if (!e) {
        zone_add(zs, zone, "inet");
        e = zones_bound(sr, zs);
    }
    /* NetworkManager's keyfiles: *.nmconnection, or no suffix at all in
     * older releases; those a package ships under /usr/lib too */
    if (!e)
        e = zones_named_in(sr, "/etc/NetworkManager/system-connections/*",
                           "zone", zs);
    if (!e)
        e = zones_named_in(sr,
                           "/usr/lib/NetworkManager/system-connections/*",
                           "zone", zs);
    if (!e)
        e = zones_named_in(sr, "/etc/sysconfig/network-scripts/ifcfg-*",
                           "ZONE", zs);
    if (!e && zs->cut)
        c->fw->overflow = 1;     /* a zone left out may open a port */
    if (!e && !(c->zones = calloc(zs->n, sizeof(*c->zones))))
        e = MAMORI_E_NOMEM;
    fwd_pols *ps = e ? NULL : calloc(1, sizeof(*ps));
    mr_xp_fwd_jump *jumps = e ? NULL : calloc(FWC_POLICIES_MAX,
                                              sizeof(*jumps));
    if (!e && (!ps || !jumps))
        e = MAMORI_E_NOMEM;
    if (!e)
        e = pols_read(sr, ps, c->fw);
    /* each policy as a chain of every family a zone has */
    static const char *const fams[] = {"inet", "ip", "ip6"};
    for (size_t k = 0; !e && k < MR_ARRAY_LEN(fams); k++) {
        int used = 0;
        for (size_t i = 0; i < zs->n && !used; i++)
            used = !strcmp(zs->family[i], fams[k]);
        for (size_t i = 0; used && ps && i < ps->n && !e; i++)
            e = mr_xp_fwd_policy(c->fw, ps->v[i].chain, fams[k],
                                 ps->v[i].xml, ps->v[i].len, fwd_service,
                                 &f);
    }
    for (size_t i = 0; zs && i < zs->n && !e; i++) {
        if (i) {
            free(xml);
            xml = NULL;
            if (fwd_read(sr, "zones", zs->name[i], &xml, &len, path,
                         sizeof(path)))
                path[0] = '\0';
        }
        mr_xp_fwzone *z = &c->zones[c->nzones++];
        snprintf(z->name, sizeof(z->name), "%s", zs->name[i]);
        snprintf(z->file, sizeof(z->file), "%s", path);
        if (!path[0]) {
            e = mr_xp_fwd_zone_unread(c->fw, zs->name[i], zs->family[i]);
            continue;
        }
        size_t nj = pols_for(ps, zs->name[i], jumps);
        e = mr_xp_fwd_zone_jumps(c->fw, zs->name[i], zs->family[i], xml,
                                 len, fwd_service, &f, jumps, nj);
    }
    free(xml);
    free(zs);
    free(jumps);
    pols_free(ps);
    return e;
}

static mamori_err read_nftables(const mamori_sysroot *sr, mr_xp_fwconf *c,
                                const char *conf, size_t conf_len)
{
    c->enabled = unit_enabled(sr, "nftables.service");
    char *json = NULL;
    size_t len = 0;
    mr_xp_fw_free(c->fw);
    c->fw = NULL;
    char *flat = NULL;
    size_t flen = 0;
    mamori_err e = mr_xp_nft_flatten(sr, c->file, conf, conf_len,
                                     FWC_FILE_MAX, &flat, &flen, c->why,
                                     sizeof(c->why));
    if (!e)
        e = mr_xp_nft_conf(flat, flen, &json, &len, c->why,
                           sizeof(c->why));
    free(flat);
    if (!e)
        e = mr_xp_fw_parse(json, len, &c->fw);
    free(json);
    if (e && e != MAMORI_E_NOMEM) {
        if (!c->why[0])
            say(c->why, sizeof(c->why), "its ruleset", e);
        return MAMORI_OK;          /* said why: its verdicts unknown */
    }
    return e;
}

mamori_err mr_xp_fwconf_read(const mamori_sysroot *sr, mr_xp_fwconf *out,
                             size_t *n)
{
    static const struct {
        const char *name, *conf;
        size_t max;                /* the file's bound */
    } kinds[MR_XP_FWCONF_MAX] = {
        {"nftables", "/etc/nftables.conf", FWC_FILE_MAX},
        {"iptables", NULL, 0},
        {"ufw", "/etc/ufw/ufw.conf", FWC_CONF_MAX},
        {"firewalld", "/etc/firewalld/firewalld.conf", FWC_CONF_MAX},
    };
    mamori_err e = MAMORI_OK;
    *n = 0;
    for (size_t k = 0; k < MR_XP_FWCONF_MAX && kinds[k].name && !e; k++) {
        mr_xp_fwconf *c = &out[*n];
        memset(c, 0, sizeof(*c));
        c->name = kinds[k].name;
        char *conf = NULL;
        size_t len = 0;
        if (kinds[k].conf) {
            int r = read_file(sr, kinds[k].conf, kinds[k].max, &conf, &len,
                              c->why, sizeof(c->why));
            if (r == 0)
                continue;          /* not configured here */
            snprintf(c->file, sizeof(c->file), "%s", kinds[k].conf);
        } else if (!mr_sysroot_exists(sr, "/etc/iptables/rules.v4") &&
                   !mr_sysroot_exists(sr, "/etc/iptables/rules.v6")) {
            continue;
        }
        (*n)++;
        if ((e = mr_xp_fw_new(&c->fw)))
            break;
        if (conf || !kinds[k].conf) {
            switch (k) {
            case 0: e = read_nftables(sr, c, conf, len); break;
            case 1: e = read_iptables(sr, c); break;
            case 2: e = read_ufw(sr, c, conf, len); break;
            default: e = read_firewalld(sr, c, conf, len); break;
            }
        } else {
            mr_xp_fw_free(c->fw);  /* there, not readable: why says */
            c->fw = NULL;
        }
        free(conf);
        if (!e && c->fw && !c->fw->order)
            e = mr_xp_fw_index(c->fw);
    }
    if (e) {
        mr_xp_fwconf_free(out, *n);
        *n = 0;
    }
    return e;
}

void mr_xp_fwconf_free(mr_xp_fwconf *c, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        mr_xp_fw_free(c[i].fw);
        c[i].fw = NULL;
        free(c[i].zones);
        c[i].zones = NULL;
        c[i].nzones = 0;
    }
}

const char *mr_xp_fwconf_zone_file(const mr_xp_fwconf *c, const char *name)
{
    for (size_t i = 0; name && i < c->nzones; i++)
        if (!strcmp(c->zones[i].name, name) && c->zones[i].file[0])
            return c->zones[i].file;
    return c->file;
}

void mr_xp_fwconf_say(const mamori_ctx *ctx, const mr_xp_fwconf *c,
                      size_t n, int live)
{
    for (size_t i = 0; i < n; i++) {
        /* live, a configuration not loaded at boot decides nothing: its
         * row in the summary says "unread" and that is enough */
        if (live && !c[i].enabled)
            continue;
        if (!c[i].fw)
            mamori_diagf(ctx, MAMORI_DIAG_WARN, c[i].file, 0,
                         "exposure: the %s configuration cannot be read "
                         "(%s): its verdicts are unknown", c[i].name,
                         c[i].why);
        else if (c[i].bad)
            mamori_diagf(ctx, MAMORI_DIAG_WARN, c[i].file, 0,
                         "exposure: %" PRIu64 " lines of the %s "
                         "configuration not read: its verdicts are unknown",
                         c[i].bad, c[i].name);
    }
}
