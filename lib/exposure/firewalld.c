/*
 * firewalld.c — firewalld's zone files (firewalld.zone(5),
 * firewalld.service(5), firewalld.richlanguage(5)) into the firewall
 * model (fw.h), so the judge of nft.c decides for them as for a ruleset.
 *
 * Each zone judged (the default zone, which every interface bound to no
 * other gets, and the zones bound to interfaces: fwconf.c finds them) is
 * a zone chain of its own (input 2 in fw.h: a port is open when one zone
 * opens it). Its target (default and %%REJECT%% reject, DROP drops,
 * ACCEPT accepts what nothing else decides) is the chain's policy; each
 * <service name=...> opens the ports of that service's definition (read
 * through the caller's function: /etc/firewalld/services, then
 * /usr/lib/firewalld/services), each <port> its ports, <protocol> and
 * <source-port> every port of their protocol (the client picks its
 * source port), in a zone as in a service, a <forward-port> without
 * to-addr its local port (with one, that port is unknown: the address
 * may be one of this host's own). A target firewalld does not document
 * leaves unknown what no rule decides. Rich
 * rules (<rule>) take firewalld's order: negative priorities, deny
 * (drop, reject), allow, positive priorities. One with a <source> is
 * limited to some sources (one of every address, 0.0.0.0/0 or ::/0, to
 * none); one with anything mamori does not model (a
 * destination, a rate limit on accepting, an inverted source, a service
 * it cannot read) is "unknown" on its ports (or on every port when it
 * names none); one that only logs, marks, masquerades or is about ICMP
 * decides no port. A service whose
 * definition cannot be read is unknown too, never a guess. A policy
 * (firewalld.policies(5)) is read as a zone is, into a chain of its own
 * ending with its target, which the zones it applies to jump to before
 * or after their own rules.
 *
 * The XML is someone else's: fwdxml.c's small scanner reads it, and
 * XML it does not read (as firewalld's parser would) makes the zone
 * unknown.
 */
#include "common.h"

#include <strings.h>

#include "exposure/exposure.h"
#include "exposure/fw.h"
#include "exposure/fwdxml.h"

#define FWD_RICH_MAX 32         /* ports of one rich rule */
#define FWD_SERVICES_MAX 256    /* services of one zone read */
#define FWD_INCLUDES_MAX 4      /* service includes followed */
#define FWD_READS_MAX 64        /* service definitions read per zone: a
                                   web of includes ends as unknown */

/* The value of an element's attribute key, NULL when it has none. */
static const char *attr(const mr_xp_xml_el *el, const char *key)
{
    for (size_t i = 0; i < el->nattrs; i++)
        if (!strcmp(el->key[i], key))
            return el->val[i];
    return NULL;
}

/* A <port port="22" protocol="tcp"/> (or "8000-8100") into r; -1 when
 * it is not one. */
static int port_el(const mr_xp_xml_el *el, fw_rule *r)
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

/* <protocol value="tcp"/>, <source-port port=... protocol=...>: every
 * port of that protocol (a source port is the client's to choose, so it
 * limits nobody). A protocol other than TCP and UDP opens none of them. */
static void every_port(const mr_xp_xml_el *el, const char *proto, fw_rule *r)
{
    memset(r, 0, sizeof(*r));
    if (!proto)
        r->flags |= F_OTHER;
    else if (!strcmp(proto, "tcp"))
        r->l4 = L4_TCP;
    else if (!strcmp(proto, "udp"))
        r->l4 = L4_UDP;
    else
        r->l4 = L4_OTHER;
    if (!strcmp(el->name, "source-port") && !attr(el, "port"))
        r->flags |= F_OTHER;
}

typedef struct svc_ports {
    fw_rule rules[FWD_RICH_MAX];
    size_t n;
    int bad;
    size_t nincludes;
    char includes[FWD_INCLUDES_MAX][MR_XP_XML_VALUE_MAX];
} svc_ports;

static int on_service_el(void *user, const mr_xp_xml_el *el)
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
    } else if (!strcmp(el->name, "protocol") ||
               !strcmp(el->name, "source-port")) {
        /* as in a zone: every port of the protocol */
        if (sp->n >= FWD_RICH_MAX) {
            sp->bad = 1;
            return 0;
        }
        every_port(el, attr(el, !strcmp(el->name, "protocol")
                                    ? "value" : "protocol"),
                   &sp->rules[sp->n++]);
    } else if (!strcmp(el->name, "include")) {
        const char *s = attr(el, "service");
        if (!s || sp->nincludes >= FWD_INCLUDES_MAX)
            sp->bad = 1;
        else
            snprintf(sp->includes[sp->nincludes++], MR_XP_XML_VALUE_MAX,
                     "%s", s);
    }
    return 0;
}

/* ---- a zone ------------------------------------------------------- */

/* Where firewalld puts a rule in the zone's chain: policies with a
 * negative priority before everything (firewalld.policies(5)), rich
 * rules with a negative priority (lowest first), then those that deny
 * (drop, reject), allow (services, ports, accept), positive priorities
 * (firewalld.richlanguage(5), "Rule ordering"), policies with a
 * positive priority last. */
enum { B_POLICY_PRE = 0, B_PRE, B_DENY, B_ALLOW, B_POST, B_POLICY_POST };

typedef struct pending {
    fw_rule r;
    int bucket;
    long prio;
    size_t seq;                 /* file order, kept among equals */
} pending;

typedef struct zone {
    mr_xp_fw *fw;
    mr_xp_fwd_service_fn service;
    void *user;
    const char *name, *family;
    int seen_zone;
    int policy_drop;
    int is_policy;              /* a <policy>, not a <zone> */
    int policy_verdict;         /* its target: V_NONE (CONTINUE), ... */
    int target_bad;             /* a target firewalld does not know */
    int in_rule, in_log;
    int rich_none;              /* ICMP, masquerade, mark, log only:
                                   nothing opens or closes a port */
    int rich_action;            /* accept, reject, drop, forward-port */
    long rich_prio;
    fw_rule rich;               /* the rich rule's flags and verdict */
    fw_rule rich_ports[FWD_RICH_MAX];
    size_t nrich;
    int rich_too_many;
    size_t nservices, reads;
    pending *rules;
    size_t nrules, cap;
    mamori_err err;
} zone;

static void base(fw_rule *r)
{
    memset(r, 0, sizeof(*r));
}

/* Keeps a rule of the zone for its place in the chain (zone_end()). */
static int add_at(zone *z, fw_rule *r, unsigned flags, int verdict,
                  int bucket, long prio)
{
    if (z->nrules >= MR_XP_FW_RULES_MAX) {
        z->fw->overflow = 1;
        return 0;
    }
    if (z->nrules == z->cap) {
        size_t cap = z->cap ? z->cap * 2 : 32;
        pending *n = realloc(z->rules, cap * sizeof(*n));
        if (!n) {
            z->err = MAMORI_E_NOMEM;
            return 1;
        }
        z->rules = n;
        z->cap = cap;
    }
    pending *p = &z->rules[z->nrules];
    p->r = *r;
    p->r.flags |= flags;
    p->r.verdict = verdict;
    p->bucket = bucket;
    p->prio = prio;
    p->seq = z->nrules++;
    return 0;
}

static int add(zone *z, fw_rule *r, unsigned flags, int verdict)
{
    return add_at(z, r, flags, verdict, B_ALLOW, 0);
}

static int by_place(const void *a, const void *b)
{
    const pending *x = a, *y = b;
    if (x->bucket != y->bucket)
        return x->bucket < y->bucket ? -1 : 1;
    if (x->prio != y->prio)
        return x->prio < y->prio ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* The zone's rules into the model, in firewalld's order. */
static void zone_end(zone *z)
{
    if (z->nrules)
        qsort(z->rules, z->nrules, sizeof(*z->rules), by_place);
    for (size_t i = 0; i < z->nrules && !z->err; i++) {
        fw_rule k = z->rules[i].r;
        snprintf(k.family, sizeof(k.family), "%s", z->family);
        snprintf(k.table, sizeof(k.table), "firewalld");
        snprintf(k.chain, sizeof(k.chain), "%s", z->name);
        mamori_err e = mr_xp_fw_add_rule(z->fw, &k);
        if (e)
            z->err = e;
    }
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
    int r = mr_xp_xml_scan(xml, len, on_service_el, &sp);
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

/* <forward-port port= protocol= to-port= to-addr=>: without to-addr the
 * connection goes to to-port (or port) of this host, which it opens;
 * with one, to that address, which may be one of this host's own:
 * unknown on that port (mamori does not know the host's addresses). */
static void forward_port(const mr_xp_xml_el *el, fw_rule *r)
{
    base(r);
    const char *to = attr(el, "to-port"), *proto = attr(el, "protocol");
    mr_xp_xml_el p;
    memset(&p, 0, sizeof(p));
    snprintf(p.name, sizeof(p.name), "port");
    p.nattrs = 2;
    snprintf(p.key[0], sizeof(p.key[0]), "port");
    snprintf(p.val[0], sizeof(p.val[0]), "%s",
             to ? to : attr(el, "port") ? attr(el, "port") : "");
    snprintf(p.key[1], sizeof(p.key[1]), "protocol");
    snprintf(p.val[1], sizeof(p.val[1]), "%s", proto ? proto : "");
    if (port_el(&p, r) || attr(el, "to-addr"))
        r->flags |= F_OTHER;
}

/* A source of every IPv4 or IPv6 host, as iptables.c's any_address()
 * and mr_xp_fwd_binds() read one. */
static int any_address(const char *a)
{
    return !strcmp(a, "0.0.0.0/0") || !strcmp(a, "0.0.0.0/0.0.0.0") ||
           !strcmp(a, "::/0");
}

static int rich_port(zone *z, fw_rule *r)
{
    if (z->nrich >= FWD_RICH_MAX) {
        z->rich_too_many = 1;
        return 0;
    }
    z->rich_ports[z->nrich++] = *r;
    return 0;
}

/* </rule>: the rich rule's ports (every port when it names none) with
 * its conditions, in its place. */
static int rule_end(zone *z)
{
    if (!z->in_rule)
        return -1;
    z->in_rule = 0;
    z->in_log = 0;
    if (z->rich_none || !z->rich_action)
        return 0;                /* logs, marks or ICMP only */
    if (!z->nrich) {
        base(&z->rich_ports[0]);
        z->nrich = 1;
    }
    unsigned flags = z->rich.flags;
    if (z->rich_too_many)
        flags |= F_OTHER;
    int v = z->rich.verdict;
    int bucket = z->rich_prio < 0 ? B_PRE : z->rich_prio > 0 ? B_POST
                 : v == V_DROP ? B_DENY : B_ALLOW;
    for (size_t i = 0; i < z->nrich; i++)
        if (add_at(z, &z->rich_ports[i], flags, v, bucket, z->rich_prio))
            return 1;
    return 0;
}

static int rule_start(zone *z, const mr_xp_xml_el *el)
{
    if (z->in_rule || el->empty)
        return -1;                 /* a rich rule says what it does */
    z->in_rule = 1;
    z->in_log = 0;
    z->nrich = 0;
    z->rich_too_many = 0;
    z->rich_none = 0;
    z->rich_action = 0;
    z->rich_prio = 0;
    base(&z->rich);
    const char *fam = attr(el, "family"), *prio = attr(el, "priority");
    if (fam)
        z->rich.flags |= !strcmp(fam, "ipv4") ? F_V4 : F_V6;
    if (prio) {
        char *end = NULL;
        long p = strtol(prio, &end, 10);
        if (end == prio || *end || p < -32768 || p > 32767)
            z->rich.flags |= F_OTHER;
        else
            z->rich_prio = p;
    }
    return 0;
}

/* An element inside <rule>...</rule>. */
static int rich_el(zone *z, const mr_xp_xml_el *el)
{
    fw_rule *r = &z->rich, p;
    const char *n = el->name;
    if (!strcmp(n, "log") || !strcmp(n, "nflog")) {
        z->in_log = !el->empty;    /* its <limit> limits the logging */
    } else if (!strcmp(n, "limit")) {
        if (!z->in_log)
            r->flags |= F_OTHER;   /* accepted under a rate limit */
    } else if (!strcmp(n, "audit")) {
        /* audit records; decides nothing */
    } else if (!strcmp(n, "source")) {
        const char *inv = attr(el, "invert"), *a = attr(el, "address");
        if (inv && strcasecmp(inv, "false"))
            r->flags |= F_OTHER;
        else if (!a || !any_address(a))
            r->flags |= F_SADDR;   /* every address limits nobody */
    } else if (!strcmp(n, "service")) {
        const char *s = attr(el, "name");
        if (!s)
            return -1;
        return service_rules(z, s, 0, z->rich_ports, &z->nrich,
                             FWD_RICH_MAX);
    } else if (!strcmp(n, "port")) {
        base(&p);
        if (port_el(el, &p))
            p.flags |= F_OTHER;
        return rich_port(z, &p);
    } else if (!strcmp(n, "protocol") || !strcmp(n, "source-port")) {
        every_port(el, attr(el, !strcmp(n, "protocol") ? "value"
                                                       : "protocol"), &p);
        return rich_port(z, &p);
    } else if (!strcmp(n, "forward-port")) {
        z->rich_action = 1;
        r->verdict = V_ACCEPT;
        forward_port(el, &p);
        return rich_port(z, &p);
    } else if (!strcmp(n, "icmp-block") || !strcmp(n, "icmp-type") ||
               !strcmp(n, "masquerade") || !strcmp(n, "mark") ||
               !strcmp(n, "tcp-mss-clamp")) {
        z->rich_none = 1;          /* not a new connection to a port */
    } else if (!strcmp(n, "accept")) {
        z->rich_action = 1;
        r->verdict = V_ACCEPT;
    } else if (!strcmp(n, "reject") || !strcmp(n, "drop")) {
        z->rich_action = 1;
        r->verdict = V_DROP;
    } else {
        r->flags |= F_OTHER;       /* destination, anything new */
    }
    return 0;
}

/* The targets firewalld.zone(5) and firewalld.policy(5) document; any
 * other is firewalld's error, not a guess of mamori's. */
static int target_ok(const char *t, int is_policy)
{
    static const char *const zone_t[] = {"default", "ACCEPT", "DROP",
                                         "%%REJECT%%"};
    static const char *const policy_t[] = {"CONTINUE", "ACCEPT", "DROP",
                                           "REJECT"};
    const char *const *v = is_policy ? policy_t : zone_t;
    for (size_t i = 0; i < 4; i++)
        if (!strcmp(t, v[i]))
            return 1;
    return 0;
}

static int on_zone_el(void *user, const mr_xp_xml_el *el)
{
    zone *z = user;
    if (!strcmp(el->name, z->is_policy ? "policy" : "zone")) {
        if (!el->closing) {
            const char *t = attr(el, "target");
            z->seen_zone = 1;
            z->target_bad = t && !target_ok(t, z->is_policy);
            z->policy_drop = !t || strcmp(t, "ACCEPT");
            /* a policy's target: CONTINUE (the default) goes on */
            z->policy_verdict = !t || !strcmp(t, "CONTINUE") ? V_NONE
                                : !strcmp(t, "ACCEPT") ? V_ACCEPT : V_DROP;
        }
        return 0;
    }
    if (!strcmp(el->name, "rule"))
        return el->closing ? rule_end(z) : rule_start(z, el);
    if (el->closing) {
        if (z->in_rule && (!strcmp(el->name, "log") ||
                           !strcmp(el->name, "nflog")))
            z->in_log = 0;
        return 0;
    }
    if (z->in_rule)
        return rich_el(z, el);
    fw_rule r;
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
        base(&r);
        if (port_el(el, &r))
            r.flags |= F_OTHER;
        return add(z, &r, 0, V_ACCEPT);
    } else if (!strcmp(el->name, "protocol")) {
        every_port(el, attr(el, "value"), &r);
        return add(z, &r, 0, V_ACCEPT);
    } else if (!strcmp(el->name, "source-port")) {
        every_port(el, attr(el, "protocol"), &r);
        return add(z, &r, 0, V_ACCEPT);
    } else if (!strcmp(el->name, "forward-port")) {
        forward_port(el, &r);
        return add(z, &r, 0, V_ACCEPT);
    }
    /* short, description, interface, source (what is bound to the zone:
     * mr_xp_fwd_binds()), icmp-block, masquerade, forward: nothing opens
     * a port of this host */
    return 0;
}

/* A zone (or, is_policy, a policy) into fw: its rules, the jumps to
 * the policies that apply to it, its chain. */
static mamori_err zone_read(mr_xp_fw *fw, const char *name,
                            const char *family, const char *xml, size_t len,
                            mr_xp_fwd_service_fn service, void *user,
                            const mr_xp_fwd_jump *jumps, size_t njumps,
                            int is_policy)
{
    zone *z = calloc(1, sizeof(*z));
    if (!z)
        return MAMORI_E_NOMEM;
    z->fw = fw;
    z->service = service;
    z->user = user;
    z->name = name;
    z->family = family;
    z->is_policy = is_policy;
    int r = mr_xp_xml_scan(xml, len, on_zone_el, z);
    if (r == -2 && !z->err)
        z->err = MAMORI_E_NOMEM;
    for (size_t i = 0; i < njumps && !z->err; i++) {
        fw_rule j;
        base(&j);
        snprintf(j.target, sizeof(j.target), "%s", jumps[i].chain);
        if (add_at(z, &j, 0, V_JUMP, jumps[i].priority < 0 ? B_POLICY_PRE
                                                            : B_POLICY_POST,
                   jumps[i].priority))
            break;
    }
    if (!z->err && z->target_bad) {
        fw_rule t;
        base(&t);                  /* what no rule decides: unknown */
        add_at(z, &t, F_OTHER, V_ACCEPT, B_POLICY_POST, LONG_MAX);
    } else if (is_policy && !z->err && z->policy_verdict != V_NONE) {
        fw_rule t;
        base(&t);                  /* its target, after its rules */
        add_at(z, &t, 0, z->policy_verdict, B_POLICY_POST, 0);
    }
    if (!z->err)
        zone_end(z);
    mamori_err e = z->err;
    if (!e && (r || !z->seen_zone || z->in_rule))
        fw->overflow = 1;          /* not a zone mamori can read */
    if (!e) {
        fw_chain c;
        memset(&c, 0, sizeof(c));
        snprintf(c.family, sizeof(c.family), "%s", family);
        snprintf(c.table, sizeof(c.table), "firewalld");
        snprintf(c.name, sizeof(c.name), "%s", name);
        c.input = is_policy ? 0 : 2;
        c.policy_drop = z->policy_drop || !z->seen_zone;
        e = mr_xp_fw_add_chain(fw, &c);
    }
    free(z->rules);
    free(z);
    return e;
}

mamori_err mr_xp_fwd_zone_named(mr_xp_fw *fw, const char *name,
                                const char *family, const char *xml,
                                size_t len, mr_xp_fwd_service_fn service,
                                void *user)
{
    return zone_read(fw, name, family, xml, len, service, user, NULL, 0, 0);
}

mamori_err mr_xp_fwd_zone_jumps(mr_xp_fw *fw, const char *name,
                                const char *family, const char *xml,
                                size_t len, mr_xp_fwd_service_fn service,
                                void *user, const mr_xp_fwd_jump *jumps,
                                size_t njumps)
{
    return zone_read(fw, name, family, xml, len, service, user, jumps,
                     njumps, 0);
}

mamori_err mr_xp_fwd_policy(mr_xp_fw *fw, const char *chain,
                            const char *family, const char *xml, size_t len,
                            mr_xp_fwd_service_fn service, void *user)
{
    return zone_read(fw, chain, family, xml, len, service, user, NULL, 0, 1);
}

mamori_err mr_xp_fwd_zone(mr_xp_fw *fw, const char *xml, size_t len,
                          mr_xp_fwd_service_fn service, void *user)
{
    return mr_xp_fwd_zone_named(fw, "zone", "inet", xml, len, service,
                                user);
}

mamori_err mr_xp_fwd_zone_unread(mr_xp_fw *fw, const char *name,
                                 const char *family)
{
    fw_chain c;
    fw_rule r;
    memset(&c, 0, sizeof(c));
    memset(&r, 0, sizeof(r));
    snprintf(c.family, sizeof(c.family), "%s", family);
    snprintf(c.table, sizeof(c.table), "firewalld");
    snprintf(c.name, sizeof(c.name), "%s", name);
    c.input = 2;
    c.policy_drop = 1;
    snprintf(r.family, sizeof(r.family), "%s", family);
    snprintf(r.table, sizeof(r.table), "firewalld");
    snprintf(r.chain, sizeof(r.chain), "%s", name);
    r.flags = F_OTHER;
    r.verdict = V_ACCEPT;
    mamori_err e = mr_xp_fw_add_rule(fw, &r);
    return e ? e : mr_xp_fw_add_chain(fw, &c);
}

/* ---- what is bound to a zone ----------------------------------------- */

static int on_bind_el(void *user, const mr_xp_xml_el *el)
{
    mr_xp_fwd_bind *b = user;
    if (el->closing)
        return 0;
    if (!strcmp(el->name, "rule")) {
        b->depth_rule = !el->empty;
        return 0;
    }
    if (b->depth_rule)
        return 0;                  /* a rich rule's source is no binding */
    const char *name = attr(el, "name");
    if (!strcmp(el->name, "policy")) {
        const char *p = attr(el, "priority");
        char *end = NULL;
        b->is_policy = 1;
        b->priority = p ? strtol(p, &end, 10) : -1;
        if (p && (end == p || *end || !b->priority))
            b->priority = 0;       /* not a priority: not judged */
    } else if (!strcmp(el->name, "egress-zone") && name) {
        b->egress_host |= !strcmp(name, "HOST");
    } else if (!strcmp(el->name, "ingress-zone") && name) {
        if (!strcmp(name, "ANY"))
            b->ingress_any = 1;
        else if (b->ningress < MR_XP_FWD_INGRESS_MAX)
            snprintf(b->ingress[b->ningress++], MR_XP_FW_NAME_MAX, "%s",
                     name);
        else
            b->ingress_cut = 1;
    } else if (!strcmp(el->name, "interface") && name) {
        b->interfaces++;
    } else if (!strcmp(el->name, "source")) {
        const char *a = attr(el, "address");
        if (a && any_address(a) && !strchr(a, ':'))
            b->any4 = 1;
        else if (a && !strcmp(a, "::/0"))
            b->any6 = 1;
        else
            b->sources++;
    }
    return 0;
}

static int on_bind_close(void *user, const mr_xp_xml_el *el)
{
    mr_xp_fwd_bind *b = user;
    if (el->closing && !strcmp(el->name, "rule"))
        b->depth_rule = 0;
    return on_bind_el(user, el);
}

int mr_xp_fwd_binds(const char *xml, size_t len, mr_xp_fwd_bind *b)
{
    memset(b, 0, sizeof(*b));
    return mr_xp_xml_scan(xml, len, on_bind_close, b) ? -1 : 0;
}
