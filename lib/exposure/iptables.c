/*
 * iptables.c — iptables-save's text (iptables-save(8), iptables(8),
 * iptables-extensions(8)) into the firewall model (fw.h): the files
 * iptables-persistent restores at boot (/etc/iptables/rules.v4 and
 * rules.v6) and ufw's user.rules and user6.rules, which share the grammar.
 *
 * Only the filter table decides who may connect: "*filter" opens it,
 * ":CHAIN POLICY [p:b]" declares a chain (INPUT's policy is the input
 * hook's), "-A CHAIN options -j TARGET" appends a rule ("-I CHAIN [NUM]"
 * inserts one, as ufw's logging section does), "COMMIT" ends it.
 * Of a rule's options those that decide for a new connection from
 * another host to a port are modelled (-p, -s, -d, -i lo, --dport,
 * --dports, --state/--ctstate, --dst-type, --rt-type, -j/-g and the
 * target's own options, wherever in the rule they stand: iptables takes
 * matches after -j too); any other option or match is a condition
 * mamori does not read (F_OTHER: the verdict it takes part in is
 * "unknown"). A line that is not iptables-save's marks the whole model
 * unknown, never a guess.
 *
 * iptables-restore without -n (netfilter-persistent's rules.v4 and
 * rules.v6: mr_xp_ipt_restore()) flushes the table at each "*filter",
 * so a later section replaces an earlier one; ufw loads its files with
 * -n, each adding to what is there (mr_xp_ipt_parse()).
 *
 * The file is someone else's: lines are read with a bound
 * (MR_XP_IPT_LINE_MAX), words with a count (IPT_WORDS_MAX), and
 * nothing here allocates but the model's own arrays.
 */
#include "common.h"

#include "exposure/exposure.h"
#include "exposure/fw.h"

#define IPT_WORDS_MAX 128         /* words of one line; more: not read */
#define IPT_WORD_MAX 256          /* one word (a quoted comment) */
#define IPT_INSERTS_MAX 256       /* "-I" lines per file; more: not read */

/* Non-terminating targets: the rule's packet goes on to the next rule. */
static const char *const ipt_continue[] = {
    "LOG", "NFLOG", "ULOG", "MARK", "CONNMARK", "TRACE", "AUDIT",
    "NOTRACK", "CT", "CLASSIFY", "DSCP", "TOS", "TCPMSS", "SECMARK",
    "CONNSECMARK", "SET", "IDLETIMER", "LED", "RATEEST", "TEE"};

typedef struct ipt {
    mr_xp_fw *fw;
    const char *family;           /* "ip" or "ip6" */
    int flush;                    /* without -n: "*filter" flushes */
    size_t filters;               /* "*filter" sections seen */
    int in_filter;
    int input_declared, input_used; /* ":INPUT ..." seen; "-A INPUT" */
    uint64_t bad;                 /* lines not understood */
    size_t inserts;               /* "-I" lines read */
} ipt;

typedef struct words {
    size_t n;
    char w[IPT_WORDS_MAX][IPT_WORD_MAX];
} words;

static void copy(char *dst, size_t cap, const char *s, size_t n)
{
    if (n >= cap)
        n = cap - 1;
    memcpy(dst, s, n);
    dst[n] = '\0';
}

/* Splits a line into words as iptables-restore does: blanks separate,
 * double quotes group (with \" inside). -1 for too many or too long
 * words, or an open quote. */
static int split(const char *s, size_t len, words *out)
{
    size_t i = 0;
    out->n = 0;
    while (i < len) {
        while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r'))
            i++;
        if (i >= len)
            break;
        if (out->n >= IPT_WORDS_MAX)
            return -1;
        char *w = out->w[out->n++];
        size_t k = 0;
        int quoted = 0;
        while (i < len && (quoted || (s[i] != ' ' && s[i] != '\t' &&
                                      s[i] != '\r'))) {
            char c = s[i++];
            if (c == '"') {
                quoted = !quoted;
                continue;
            }
            if (quoted && c == '\\' && i < len && s[i] == '"')
                c = s[i++];
            if (k + 1 >= IPT_WORD_MAX)
                return -1;
            w[k++] = c;
        }
        if (quoted)
            return -1;
        w[k] = '\0';
    }
    return 0;
}

static int is(const char *w, const char *a, const char *b)
{
    return !strcmp(w, a) || (b && !strcmp(w, b));
}

/* A port or service-free number "22" into *v; -1 when it is not one. */
static int port_num(const char *s, size_t n, uint16_t *v)
{
    unsigned long x = 0;
    if (n == 0 || n > 5)
        return -1;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        x = x * 10 + (unsigned long)(s[i] - '0');
    }
    if (x > 65535)
        return -1;
    *v = (uint16_t)x;
    return 0;
}

/* "22", "8000:8100", ":1023", "1024:" or, with list, "80,443,8000:8100"
 * into r's ports. -1 when it is none of these (a service name: the
 * verdict is unknown) or holds more than MR_XP_FW_PORTS_MAX ranges. */
static int ports(fw_rule *r, const char *s, int list)
{
    r->nports = 0;
    while (*s) {
        size_t n = list ? strcspn(s, ",") : strlen(s);
        const char *colon = memchr(s, ':', n);
        uint16_t lo = 0, hi = 65535;
        if (colon) {
            size_t a = (size_t)(colon - s), b = n - a - 1;
            if ((a && port_num(s, a, &lo)) ||
                (b && port_num(colon + 1, b, &hi)) || lo > hi)
                return -1;
        } else {
            if (port_num(s, n, &lo))
                return -1;
            hi = lo;
        }
        if (r->nports >= MR_XP_FW_PORTS_MAX)
            return -1;
        r->ports[r->nports][0] = lo;
        r->ports[r->nports][1] = hi;
        r->nports++;
        s += n;
        if (*s == ',' && s[1])
            s++;
        else if (*s)
            return -1;
    }
    if (!r->nports)
        return -1;
    r->flags |= F_PORTS;
    return 0;
}

/* --state/--ctstate LIST as nft's ct state: a list without NEW (and
 * UNTRACKED) never matches a new connection. */
static void state(fw_rule *r, const char *list, int neg)
{
    int is_new = strstr(list, "NEW") || strstr(list, "UNTRACKED");
    if ((!neg && !is_new) || (neg && is_new))
        r->flags |= F_NOT_NEW;
}

static int any_address(const char *s)
{
    return !strcmp(s, "0.0.0.0/0") || !strcmp(s, "::/0") ||
           !strcmp(s, "0/0");
}

/* A destination no new unicast connection to this host has: IPv4
 * multicast (224.0.0.0/4), the broadcast address, IPv6 multicast
 * (ff00::/8), with no prefix or one no shorter than the group's (4 for
 * IPv4, 8 for IPv6): "224.0.0.0/1" is masked to 128.0.0.0/1, unicast
 * hosts among it. */
static int multicast(const char *s)
{
    const char *slash = strchr(s, '/');
    int v6 = strchr(s, ':') != NULL;
    if (slash) {
        uint16_t len = 0;
        size_t n = strlen(slash + 1);
        if (port_num(slash + 1, n, &len) || len > (v6 ? 128 : 32) ||
            len < (v6 ? 8 : 4))
            return 0;
    }
    if (v6)
        return (s[0] == 'f' || s[0] == 'F') && (s[1] == 'f' || s[1] == 'F');
    if (!strncmp(s, "255.255.255.255", 15) && (!s[15] || s[15] == '/'))
        return 1;
    unsigned o = 0;
    size_t i = 0;
    for (; i < 3 && s[i] >= '0' && s[i] <= '9'; i++)
        o = o * 10 + (unsigned)(s[i] - '0');
    return i && s[i] == '.' && o >= 224 && o <= 239;
}

/* The options of the targets iptables-extensions(8) lists that change
 * nothing for who gets in, and whether each takes a value. */
static const struct {
    const char *opt;
    int value;
} target_opts[] = {
    {"--reject-with", 1},     {"--log-prefix", 1},
    {"--log-level", 1},       {"--log-tcp-sequence", 0},
    {"--log-tcp-options", 0}, {"--log-ip-options", 0},
    {"--log-uid", 0},         {"--log-macdecode", 0},
    {"--nflog-group", 1},     {"--nflog-prefix", 1},
    {"--nflog-range", 1},     {"--nflog-size", 1},
    {"--nflog-threshold", 1}, {"--ulog-nlgroup", 1},
    {"--ulog-prefix", 1},     {"--ulog-cprange", 1},
    {"--ulog-qthreshold", 1}, {"--set-mark", 1},
    {"--set-xmark", 1},       {"--and-mark", 1},
    {"--or-mark", 1},         {"--xor-mark", 1},
    {"--save-mark", 0},       {"--restore-mark", 0},
    {"--nfmask", 1},          {"--ctmask", 1},
    {"--mask", 1},            {"--set-mss", 1},
    {"--clamp-mss-to-pmtu", 0}, {"--set-dscp", 1},
    {"--set-dscp-class", 1},  {"--set-tos", 1},
    {"--and-tos", 1},         {"--or-tos", 1},
    {"--xor-tos", 1},         {"--set-class", 1},
    {"--to-ports", 1},        {"--random", 0},
    {"--type", 1},            {"--selctx", 1},
    {"--queue-num", 1},       {"--queue-balance", 1},
    {"--queue-bypass", 0},    {"--fail-open", 0},
    {"--queue-cpu-fanout", 0}, {"--gateway", 1},
};

/* How many words a target option at w takes (itself and its value);
 * 0 when w is no target's option. */
static size_t target_opt(const words *w, size_t i)
{
    for (size_t k = 0; k < MR_ARRAY_LEN(target_opts); k++)
        if (!strcmp(w->w[i], target_opts[k].opt))
            return target_opts[k].value && i + 1 < w->n ? 2 : 1;
    return 0;
}

/* The target of -j or -g. */
static void target(fw_rule *r, const char *t, int go)
{
    if (!strcmp(t, "ACCEPT")) {
        r->verdict = V_ACCEPT;
        return;
    }
    if (!strcmp(t, "DROP") || !strcmp(t, "REJECT")) {
        r->verdict = V_DROP;
        return;
    }
    if (!strcmp(t, "RETURN")) {
        r->verdict = V_RETURN;
        return;
    }
    for (size_t i = 0; i < MR_ARRAY_LEN(ipt_continue); i++)
        if (!strcmp(t, ipt_continue[i])) {
            r->verdict = V_NONE;
            return;
        }
    /* a chain of the table; an extension target that is not one makes
     * the jump unknown when it is judged (no such chain) */
    r->verdict = go ? V_GOTO : V_JUMP;
    copy(r->target, sizeof(r->target), t, strlen(t));
}

/* Moves the rule just added (the last) to place `at` (from 0) among
 * the rules of its chain: "-I CHAIN [NUM]". */
static void insert_rule(mr_xp_fw *fw, size_t at)
{
    if (!fw->nrules)
        return;
    size_t last = fw->nrules - 1, seen = 0, to = last;
    const fw_rule *r = &fw->rules[last];
    for (size_t i = 0; i < last; i++) {
        const fw_rule *q = &fw->rules[i];
        if (strcmp(q->family, r->family) || strcmp(q->table, r->table) ||
            strcmp(q->chain, r->chain))
            continue;
        if (seen++ == at) {
            to = i;
            break;
        }
    }
    if (to == last)
        return;
    fw_rule k = fw->rules[last];
    memmove(&fw->rules[to + 1], &fw->rules[to],
            (last - to) * sizeof(*fw->rules));
    fw->rules[to] = k;
}

/* One "-A CHAIN ..." (or, insert, "-I CHAIN [NUM] ...") line's words
 * from w[1]. -1 when malformed. */
static int rule_line(ipt *p, const words *w, int insert)
{
    fw_rule r;
    memset(&r, 0, sizeof(r));
    copy(r.family, sizeof(r.family), p->family, strlen(p->family));
    copy(r.table, sizeof(r.table), "filter", 6);
    if (w->n < 2)
        return -1;
    copy(r.chain, sizeof(r.chain), w->w[1], strlen(w->w[1]));
    p->input_used |= !strcmp(r.chain, "INPUT");
    int neg = 0;
    size_t first = 2, at = 0, skip = 0;
    if (insert) {
        /* each insert moves rules: a bounded number of them */
        if (p->inserts++ >= IPT_INSERTS_MAX)
            return -1;
        uint16_t num = 0;
        if (w->n > 2 && !port_num(w->w[2], strlen(w->w[2]), &num)) {
            if (!num)
                return -1;         /* rule numbers start at 1 */
            at = (size_t)num - 1;
            first = 3;
        }
    }
    for (size_t i = first; i < w->n; i++) {
        const char *o = w->w[i];
        const char *v = i + 1 < w->n ? w->w[i + 1] : NULL;
        if (!strcmp(o, "!")) {
            neg = 1;
            continue;
        }
        int takes = v != NULL;
        if (is(o, "-p", "--protocol") && takes) {
            if (neg)
                r.flags |= F_OTHER;
            else if (is(v, "tcp", "6"))
                r.l4 = L4_TCP;
            else if (is(v, "udp", "17"))
                r.l4 = L4_UDP;
            else if (strcmp(v, "all") && strcmp(v, "0"))
                r.l4 = L4_OTHER;   /* icmp, esp...: never TCP or UDP */
            i++;
        } else if (is(o, "-s", "--source") && takes) {
            if (neg)
                r.flags |= F_OTHER;
            else if (!any_address(v))
                r.flags |= F_SADDR;
            i++;
        } else if (is(o, "-d", "--destination") && takes) {
            /* ufw's before.rules: mDNS and SSDP to their groups */
            if (!neg && multicast(v))
                r.flags |= F_NOT_NEW;
            else if (neg || !any_address(v))
                r.flags |= F_OTHER;
            i++;
        } else if (is(o, "--dst-type", NULL) && takes) {
            /* -m addrtype: a connection to a listener here is to a
             * LOCAL address, never to a broadcast or multicast one */
            int local = !strcmp(v, "LOCAL");
            int group = !strcmp(v, "BROADCAST") || !strcmp(v, "MULTICAST");
            if ((local && neg) || (group && !neg))
                r.flags |= F_NOT_NEW;
            else if (!local || neg)
                r.flags |= F_OTHER;
            i++;
        } else if (is(o, "--rt-type", NULL) && takes) {
            /* -m rt --rt-type 0: a type 0 routing header, deprecated
             * (RFC 5095) and dropped by ufw's before6.rules; no
             * connection from another host needs one */
            r.flags |= !neg && !strcmp(v, "0") ? F_NOT_NEW : F_OTHER;
            i++;
        } else if (is(o, "-i", "--in-interface") && takes) {
            if (!neg && !strcmp(v, "lo"))
                r.flags |= F_IIF_LO;
            else if (!(neg && !strcmp(v, "lo")))
                r.flags |= F_OTHER;  /* ! -i lo: every outside packet */
            i++;
        } else if (is(o, "-m", "--match") && takes) {
            /* the match's own options follow and are read below */
            i++;
        } else if (is(o, "--dport", "--destination-port") && takes) {
            if (neg || ports(&r, v, 0))
                r.flags |= F_OTHER;
            i++;
        } else if (is(o, "--dports", "--destination-ports") && takes) {
            if (neg || ports(&r, v, 1))
                r.flags |= F_OTHER;
            i++;
        } else if (is(o, "--state", "--ctstate") && takes) {
            state(&r, v, neg);
            i++;
        } else if (is(o, "--comment", NULL) && takes) {
            i++;
        } else if (is(o, "-j", "--jump") && takes) {
            target(&r, v, 0);
            i++;
        } else if ((skip = target_opt(w, i)) != 0) {
            /* a target's own option (--reject-with, --log-prefix):
             * nothing for who gets in; any other option after -j is a
             * match, as iptables reads it */
            i += skip - 1;
        } else if (is(o, "-g", "--goto") && takes) {
            target(&r, v, 1);
            i++;
        } else if (is(o, "-4", "--ipv4")) {
            r.flags |= F_V4;
        } else if (is(o, "-6", "--ipv6")) {
            r.flags |= F_V6;
        } else if (is(o, "-c", "--set-counters") && i + 2 < w->n) {
            i += 2;
        } else if (o[0] == '-') {
            /* -f, --sport, a rate limit, a set...: a condition not
             * read; its value (if any) is skipped with it */
            r.flags |= F_OTHER;
            while (i + 1 < w->n && w->w[i + 1][0] != '-' &&
                   strcmp(w->w[i + 1], "!"))
                i++;
        } else {
            return -1;             /* a word where an option belongs */
        }
        neg = 0;
    }
    size_t before = p->fw->nrules;
    if (mr_xp_fw_add_rule(p->fw, &r) != MAMORI_OK)
        return -2;
    if (insert && p->fw->nrules > before)
        insert_rule(p->fw, at);
    return 0;
}

/* "*filter" without -n: the table's rules and its own chains are gone;
 * the built-in chains stay with their policies. */
static void flush_table(ipt *p)
{
    mr_xp_fw *fw = p->fw;
    size_t k = 0;
    for (size_t i = 0; i < fw->nrules; i++) {
        const fw_rule *r = &fw->rules[i];
        if (strcmp(r->family, p->family) || strcmp(r->table, "filter"))
            fw->rules[k++] = *r;
    }
    fw->nrules = k;
    k = 0;
    for (size_t i = 0; i < fw->nchains; i++) {
        const fw_chain *c = &fw->chains[i];
        if (strcmp(c->family, p->family) || strcmp(c->table, "filter") ||
            c->input)
            fw->chains[k++] = *c;
    }
    fw->nchains = k;
}

/* ":NAME POLICY [p:b]". */
static int chain_line(ipt *p, const words *w)
{
    fw_chain c;
    memset(&c, 0, sizeof(c));
    const char *name = w->w[0] + 1;
    if (!*name || w->n < 2)
        return -1;
    copy(c.family, sizeof(c.family), p->family, strlen(p->family));
    copy(c.table, sizeof(c.table), "filter", 6);
    copy(c.name, sizeof(c.name), name, strlen(name));
    if (!strcmp(name, "INPUT")) {
        p->input_declared = 1;
        c.input = 1;
        c.policy_drop = !strcmp(w->w[1], "DROP");
        if (strcmp(w->w[1], "DROP") && strcmp(w->w[1], "ACCEPT"))
            return -1;
    } else if (!strcmp(name, "FORWARD") || !strcmp(name, "OUTPUT")) {
        c.input = -1;
    } else if (strcmp(w->w[1], "-")) {
        return -1;                 /* only built-in chains have a policy */
    }
    for (size_t i = 0; c.input && i < p->fw->nchains; i++) {
        fw_chain *o = &p->fw->chains[i];
        if (!strcmp(o->family, c.family) && !strcmp(o->table, c.table) &&
            !strcmp(o->name, c.name)) {
            o->policy_drop = c.policy_drop; /* a built-in chain again:
                                               its policy set anew */
            return 0;
        }
    }
    return mr_xp_fw_add_chain(p->fw, &c) == MAMORI_OK ? 0 : -2;
}

static int one_line(ipt *p, const char *s, size_t n, words *w)
{
    while (n && (s[n - 1] == '\r' || s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    size_t i = 0;
    while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
    s += i;
    n -= i;
    if (!n || s[0] == '#')
        return 0;
    if (s[0] == '*') {
        p->in_filter = n == 7 && !memcmp(s, "*filter", 7);
        if (p->in_filter && p->flush && p->filters++)
            flush_table(p);        /* iptables-restore without -n */
        return 0;
    }
    if (n == 6 && !memcmp(s, "COMMIT", 6)) {
        p->in_filter = 0;
        return 0;
    }
    if (!p->in_filter)
        return 0;                  /* nat, mangle, raw: not who gets in */
    if (s[0] == '[') {             /* iptables-save -c: "[p:b] -A ..." */
        const char *e = memchr(s, ']', n);
        if (!e)
            return -1;
        n -= (size_t)(e + 1 - s);
        s = e + 1;
    }
    if (split(s, n, w) || !w->n)
        return -1;
    if (w->w[0][0] == ':')
        return chain_line(p, w);
    if (is(w->w[0], "-A", "--append"))
        return rule_line(p, w, 0);
    if (is(w->w[0], "-I", "--insert"))
        return rule_line(p, w, 1);
    return -1;
}

static mamori_err ipt_read(mr_xp_fw *fw, int v6, const char *data,
                           size_t len, uint64_t *bad, int flush)
{
    ipt p;
    memset(&p, 0, sizeof(p));
    p.fw = fw;
    p.family = v6 ? "ip6" : "ip";
    p.flush = flush;
    words *w = malloc(sizeof(*w));
    if (!w)
        return MAMORI_E_NOMEM;
    size_t pos = 0;
    mamori_err e = MAMORI_OK;
    while (pos < len) {
        const char *nl = memchr(data + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - data) : len;
        size_t n = end - pos;
        int r = n > MR_XP_IPT_LINE_MAX ? -1 : one_line(&p, data + pos, n, w);
        if (r == -2) {
            e = MAMORI_E_NOMEM;
            break;
        }
        if (r)
            p.bad++;
        pos = end + 1;
    }
    free(w);
    if (!e && p.input_used && !p.input_declared) {
        /* rules appended to the built-in chain without declaring it
         * (a hand-written file): iptables-restore keeps its policy,
         * ACCEPT unless set elsewhere */
        fw_chain c;
        memset(&c, 0, sizeof(c));
        copy(c.family, sizeof(c.family), p.family, strlen(p.family));
        copy(c.table, sizeof(c.table), "filter", 6);
        copy(c.name, sizeof(c.name), "INPUT", 5);
        c.input = 1;
        e = mr_xp_fw_add_chain(fw, &c);
    }
    if (p.bad)
        fw->overflow = 1;          /* a line not understood: unknown */
    if (bad)
        *bad += p.bad;
    return e;
}

mamori_err mr_xp_ipt_parse(mr_xp_fw *fw, int v6, const char *data,
                           size_t len, uint64_t *bad)
{
    return ipt_read(fw, v6, data, len, bad, 0);
}

mamori_err mr_xp_ipt_restore(mr_xp_fw *fw, int v6, const char *data,
                             size_t len, uint64_t *bad)
{
    return ipt_read(fw, v6, data, len, bad, 1);
}
