/*
 * firewalld.c — firewalld's zone files (firewalld.zone(5),
 * firewalld.service(5), firewalld.richlanguage(5)) into the firewall
 * model (fw.h), so the judge of nft.c decides for them as for a ruleset.
 *
 * The default zone is what every interface not bound to another zone
 * gets: its target (default and %%REJECT%% reject, DROP drops, ACCEPT
 * accepts what nothing else decides) is the input chain's policy; each
 * <service name=...> opens the ports of that service's definition (read
 * through the caller's function: /etc/firewalld/services, then
 * /usr/lib/firewalld/services), each <port> its ports. A rich rule
 * (<rule>) with a <source> and accept is limited to some sources; one
 * with anything mamori does not model (a destination, a rate limit, an
 * inverted source, a service it cannot read) is "unknown" on its ports
 * (or on every port when it names none). A service whose definition
 * cannot be read is unknown too, never a guess.
 *
 * The XML is someone else's: a small scanner reads elements and their
 * attributes with named maxima (names, values, attributes per element)
 * and stops at anything it does not expect, which makes the zone
 * unknown. Comments, <?xml?> and text between elements are skipped.
 */
#include "common.h"

#include <strings.h>

#include "exposure/exposure.h"
#include "exposure/fw.h"

#define FWD_NAME_MAX 32         /* an element's or attribute's name */
#define FWD_VALUE_MAX 256       /* an attribute's value */
#define FWD_ATTRS_MAX 8         /* attributes of one element */
#define FWD_RICH_MAX 32         /* ports of one rich rule */
#define FWD_SERVICES_MAX 256    /* services of one zone read */
#define FWD_INCLUDES_MAX 4      /* service includes followed */
#define FWD_READS_MAX 64        /* service definitions read per zone: a
                                   web of includes ends as unknown */

typedef struct xml_el {
    char name[FWD_NAME_MAX];
    size_t nattrs;
    char key[FWD_ATTRS_MAX][FWD_NAME_MAX];
    char val[FWD_ATTRS_MAX][FWD_VALUE_MAX];
    int closing;                /* </name> */
    int empty;                  /* <name/> */
} xml_el;

/* Called per element; non-zero stops the scan (an error). */
typedef int (*xml_fn)(void *user, const xml_el *el);

static int name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '-' || c == '_' || c == ':' ||
           c == '.';
}

static int space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Skips from p (after "<!--" or "<?" or "<!") past the terminator; the
 * offset after it, or 0 when it never comes. */
static size_t skip_to(const char *s, size_t len, size_t p, const char *end)
{
    size_t n = strlen(end);
    for (; p + n <= len; p++)
        if (!memcmp(s + p, end, n))
            return p + n;
    return 0;
}

static size_t read_name(const char *s, size_t len, size_t p, char *out)
{
    size_t k = 0;
    while (p < len && name_char(s[p])) {
        if (k + 1 >= FWD_NAME_MAX)
            return 0;
        out[k++] = s[p++];
    }
    out[k] = '\0';
    return k ? p : 0;
}

/* Calls fn for every element of s; -1 for XML it does not read. */
static int xml_scan(const char *s, size_t len, xml_fn fn, void *user)
{
    size_t p = 0;
    xml_el *el = malloc(sizeof(*el));
    int r = 0;
    if (!el)
        return -2;
    while (p < len && !r) {
        const char *lt = memchr(s + p, '<', len - p);
        if (!lt)
            break;
        p = (size_t)(lt - s) + 1;
        if (len - p >= 3 && !memcmp(s + p, "!--", 3)) {
            p = skip_to(s, len, p + 3, "-->");
        } else if (p < len && (s[p] == '?' || s[p] == '!')) {
            p = skip_to(s, len, p + 1, ">");
        } else {
            memset(el, 0, sizeof(*el));
            if (p < len && s[p] == '/') {
                el->closing = 1;
                p++;
            }
            p = read_name(s, len, p, el->name);
            while (p) {
                while (p < len && space(s[p]))
                    p++;
                if (p >= len) {
                    p = 0;
                } else if (s[p] == '>') {
                    p++;
                    break;
                } else if (s[p] == '/' && p + 1 < len && s[p + 1] == '>' &&
                           !el->closing) {
                    el->empty = 1;
                    p += 2;
                    break;
                } else if (el->closing || el->nattrs >= FWD_ATTRS_MAX) {
                    p = 0;
                } else {
                    size_t a = el->nattrs;
                    p = read_name(s, len, p, el->key[a]);
                    if (!p || p + 1 >= len || s[p] != '=' ||
                        (s[p + 1] != '"' && s[p + 1] != '\'')) {
                        p = 0;
                        break;
                    }
                    char q = s[p + 1];
                    const char *e = memchr(s + p + 2, q, len - p - 2);
                    size_t n = e ? (size_t)(e - (s + p + 2)) : 0;
                    if (!e || n >= FWD_VALUE_MAX) {
                        p = 0;
                        break;
                    }
                    memcpy(el->val[a], s + p + 2, n);
                    el->val[a][n] = '\0';
                    el->nattrs++;
                    p += n + 3;
                }
            }
            if (p)
                r = fn(user, el);
        }
        if (!p)
            r = -1;
    }
    free(el);
    return r;
}

static const char *attr(const xml_el *el, const char *key)
{
    for (size_t i = 0; i < el->nattrs; i++)
        if (!strcmp(el->key[i], key))
            return el->val[i];
    return NULL;
}

/* A <port port="22" protocol="tcp"/> (or "8000-8100") into r; -1 when
 * it is not one. */
static int port_el(const xml_el *el, fw_rule *r)
{
    const char *port = attr(el, "port"), *proto = attr(el, "protocol");
    if (!port || !proto)
        return -1;
    r->l4 = !strcmp(proto, "tcp") ? L4_TCP : !strcmp(proto, "udp") ? L4_UDP
                                                                   : L4_OTHER;
    char *end = NULL;
    unsigned long lo = strtoul(port, &end, 10), hi = lo;
    if (end == port || lo > 65535)
        return -1;
    if (*end == '-') {
        const char *h = end + 1;
        hi = strtoul(h, &end, 10);
        if (end == h || hi > 65535 || hi < lo)
            return -1;
    }
    if (*end)
        return -1;
    r->flags |= F_PORTS;
    r->nports = 1;
    r->ports[0][0] = (uint16_t)lo;
    r->ports[0][1] = (uint16_t)hi;
    return 0;
}

/* ---- a service's definition: its ports ---------------------------- */

typedef struct svc_ports {
    fw_rule rules[FWD_RICH_MAX];
    size_t n;
    int bad;
    size_t nincludes;
    char includes[FWD_INCLUDES_MAX][FWD_VALUE_MAX];
} svc_ports;

static int on_service_el(void *user, const xml_el *el)
{
    svc_ports *sp = user;
    if (el->closing)
        return 0;
    if (!strcmp(el->name, "port")) {
        if (sp->n >= FWD_RICH_MAX) {
            sp->bad = 1;
            return 0;
        }
        fw_rule *r = &sp->rules[sp->n];
        memset(r, 0, sizeof(*r));
        if (port_el(el, r))
            sp->bad = 1;
        else
            sp->n++;
    } else if (!strcmp(el->name, "include")) {
        const char *s = attr(el, "service");
        if (!s || sp->nincludes >= FWD_INCLUDES_MAX)
            sp->bad = 1;
        else
            snprintf(sp->includes[sp->nincludes++], FWD_VALUE_MAX, "%s", s);
    }
    return 0;
}

/* ---- a zone ------------------------------------------------------- */

typedef struct zone {
    mr_xp_fw *fw;
    mr_xp_fwd_service_fn service;
    void *user;
    int seen_zone;
    int policy_drop;
    int in_rule;
    fw_rule rich;               /* the rich rule's flags and verdict */
    fw_rule rich_ports[FWD_RICH_MAX];
    size_t nrich;
    int rich_too_many;
    size_t nservices, reads;
    mamori_err err;
} zone;

static void base(fw_rule *r)
{
    memset(r, 0, sizeof(*r));
    snprintf(r->family, sizeof(r->family), "inet");
    snprintf(r->table, sizeof(r->table), "firewalld");
    snprintf(r->chain, sizeof(r->chain), "zone");
}

static int add(zone *z, fw_rule *r, unsigned flags, int verdict)
{
    fw_rule k = *r;
    snprintf(k.family, sizeof(k.family), "inet");
    snprintf(k.table, sizeof(k.table), "firewalld");
    snprintf(k.chain, sizeof(k.chain), "zone");
    k.flags |= flags;
    k.verdict = verdict;
    mamori_err e = mr_xp_fw_add_rule(z->fw, &k);
    if (e)
        z->err = e;
    return e != MAMORI_OK;
}

/* The ports of service `name` (and what it includes) into out; -1 when
 * its definition cannot be read. */
static int service_ports(zone *z, const char *name, svc_ports *out,
                         unsigned depth)
{
    char *xml = NULL;
    size_t len = 0;
    if (depth > FWD_INCLUDES_MAX || z->reads++ >= FWD_READS_MAX ||
        z->service(z->user, name, &xml, &len))
        return -1;
    svc_ports sp;
    memset(&sp, 0, sizeof(sp));
    int r = xml_scan(xml, len, on_service_el, &sp);
    free(xml);
    if (r || sp.bad)
        return -1;
    for (size_t i = 0; i < sp.n; i++) {
        if (out->n >= FWD_RICH_MAX)
            return -1;
        out->rules[out->n++] = sp.rules[i];
    }
    for (size_t i = 0; i < sp.nincludes; i++)
        if (service_ports(z, sp.includes[i], out, depth + 1))
            return -1;
    return 0;
}

/* The rules a <service> opens, with flags; an unreadable definition is
 * one rule on every port that mamori cannot read. */
static int service_rules(zone *z, const char *name, unsigned flags,
                         fw_rule *into, size_t *n, size_t cap)
{
    svc_ports *sp = calloc(1, sizeof(*sp));
    if (!sp) {
        z->err = MAMORI_E_NOMEM;
        return 1;
    }
    int ok = z->nservices++ < FWD_SERVICES_MAX &&
             service_ports(z, name, sp, 0) == 0;
    if (!ok) {
        sp->n = 1;
        base(&sp->rules[0]);
        sp->rules[0].flags = F_OTHER;
    }
    for (size_t i = 0; i < sp->n; i++) {
        if (*n >= cap) {
            z->rich_too_many = 1;
            break;
        }
        into[*n] = sp->rules[i];
        into[*n].flags |= flags;
        (*n)++;
    }
    free(sp);
    return 0;
}

static int on_zone_el(void *user, const xml_el *el)
{
    zone *z = user;
    if (!strcmp(el->name, "zone")) {
        if (!el->closing) {
            const char *t = attr(el, "target");
            z->seen_zone = 1;
            z->policy_drop = !t || strcmp(t, "ACCEPT");
        }
        return 0;
    }
    if (!strcmp(el->name, "rule")) {
        if (el->empty)
            return -1;             /* a rich rule says what it does */
        if (el->closing) {
            if (!z->in_rule)
                return -1;
            /* the rich rule's ports, or every port when it names none */
            if (!z->nrich) {
                base(&z->rich_ports[0]);
                z->nrich = 1;
            }
            unsigned flags = z->rich.flags;
            if (z->rich_too_many || !z->rich.verdict)
                flags |= F_OTHER;
            for (size_t i = 0; i < z->nrich; i++)
                if (add(z, &z->rich_ports[i], flags,
                        z->rich.verdict ? z->rich.verdict : V_ACCEPT))
                    return 1;
            z->in_rule = 0;
            return 0;
        }
        if (z->in_rule)
            return -1;
        z->in_rule = 1;
        z->nrich = 0;
        z->rich_too_many = 0;
        base(&z->rich);
        const char *fam = attr(el, "family");
        if (fam)
            z->rich.flags |= !strcmp(fam, "ipv4") ? F_V4 : F_V6;
        return 0;
    }
    if (el->closing)
        return 0;
    if (z->in_rule) {
        fw_rule *r = &z->rich;
        if (!strcmp(el->name, "source")) {
            const char *inv = attr(el, "invert");
            r->flags |= inv && strcasecmp(inv, "false") ? F_OTHER : F_SADDR;
        } else if (!strcmp(el->name, "service")) {
            const char *n = attr(el, "name");
            if (!n)
                return -1;
            return service_rules(z, n, 0, z->rich_ports, &z->nrich,
                                 FWD_RICH_MAX);
        } else if (!strcmp(el->name, "port")) {
            if (z->nrich >= FWD_RICH_MAX) {
                z->rich_too_many = 1;
                return 0;
            }
            fw_rule *p = &z->rich_ports[z->nrich];
            base(p);
            if (port_el(el, p))
                p->flags |= F_OTHER;
            z->nrich++;
        } else if (!strcmp(el->name, "accept")) {
            r->verdict = V_ACCEPT;
        } else if (!strcmp(el->name, "reject") || !strcmp(el->name, "drop")) {
            r->verdict = V_DROP;
        } else if (strcmp(el->name, "log") && strcmp(el->name, "audit")) {
            r->flags |= F_OTHER;   /* destination, limit, protocol... */
        }
        return 0;
    }
    if (!strcmp(el->name, "service")) {
        const char *n = attr(el, "name");
        if (!n)
            return -1;
        fw_rule tmp[FWD_RICH_MAX];
        size_t nt = 0;
        if (service_rules(z, n, 0, tmp, &nt, FWD_RICH_MAX))
            return 1;
        for (size_t i = 0; i < nt; i++)
            if (add(z, &tmp[i], 0, V_ACCEPT))
                return 1;
    } else if (!strcmp(el->name, "port")) {
        fw_rule r;
        base(&r);
        if (port_el(el, &r))
            r.flags |= F_OTHER;
        return add(z, &r, 0, V_ACCEPT);
    }
    /* short, description, interface, source (other hosts bound to this
     * zone), icmp-block, masquerade: nothing opens a port */
    return 0;
}

mamori_err mr_xp_fwd_zone(mr_xp_fw *fw, const char *xml, size_t len,
                          mr_xp_fwd_service_fn service, void *user)
{
    zone *z = calloc(1, sizeof(*z));
    if (!z)
        return MAMORI_E_NOMEM;
    z->fw = fw;
    z->service = service;
    z->user = user;
    int r = xml_scan(xml, len, on_zone_el, z);
    mamori_err e = z->err;
    if (r == -2)
        e = MAMORI_E_NOMEM;
    if (!e && (r || !z->seen_zone || z->in_rule))
        fw->overflow = 1;          /* not a zone mamori can read */
    if (!e) {
        fw_chain c;
        memset(&c, 0, sizeof(c));
        snprintf(c.family, sizeof(c.family), "inet");
        snprintf(c.table, sizeof(c.table), "firewalld");
        snprintf(c.name, sizeof(c.name), "zone");
        c.input = 1;
        c.policy_drop = z->policy_drop || !z->seen_zone;
        e = mr_xp_fw_add_chain(fw, &c);
    }
    free(z);
    return e;
}
