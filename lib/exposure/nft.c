/*
 * nft.c — the firewall's answer for each listener, from the nftables
 * ruleset: `list ruleset` through Debian's libnftables with JSON output
 * (or the same JSON from a file), read by the shared bounded streaming
 * reader (io/json.h) into a small model of the chains hooked on input and
 * the rules they hold, and judged per listener.
 *
 * A rule is kept as what decides for a new connection from another host
 * to one port: its family (ip, ip6, inet), its layer-4 protocol, the
 * destination ports it matches, whether it is limited to some source
 * addresses, whether it only matches loopback (iif lo) or connections
 * that are not new (ct state established,related), anything else it
 * matches (an interface name, a mark, a named set: "other"), and its
 * verdict (accept, drop/reject, jump/goto to a chain, return).
 *
 * Judging follows the packet: every base chain of type filter on the
 * input hook of a family that sees it must let it through (a drop in any
 * is final); in a chain the first rule that matches with an
 * unconditional verdict decides, jumps are followed (MR_XP_FW_JUMPS
 * deep), and at the end the chain's policy does. What mamori cannot
 * decide (a verdict behind an "other" match, a loop of jumps) is
 * "unknown", never a guess.
 */
#include "common.h"

#include <linux/capability.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "exposure/exposure.h"
#include "exposure/fw.h"
#include "exposure/nft_syms.h"
#include "io/json.h"
#include "io/source.h"
#include "dlib_sonames.h"

MR_DLIB_DEFINE(nft, MR_SONAME_NFT, "libnftables1", MR_NFT_FUNCS);

#define FW_PORTS_MAX MR_XP_FW_PORTS_MAX
#define FW_WORDS_MAX 8          /* strings on the right of one match */
#define FW_WORD_MAX 32
#define FW_JUMPS_MAX 16         /* nested jumps followed */
#define FW_JSON_MAX (64u * 1024 * 1024) /* the ruleset's JSON */
#define FW_CHAINS_MAX MR_XP_FW_CHAINS_MAX
#define FW_RULES_MAX MR_XP_FW_RULES_MAX
#define FW_NAME_MAX MR_XP_FW_NAME_MAX

/* ---- reading --------------------------------------------------------- */

typedef struct match {
    char op[8];
    char left[3][FW_WORD_MAX];   /* "payload", "tcp", "dport" */
    size_t nwords;
    char words[FW_WORDS_MAX][FW_WORD_MAX];
    size_t nnums;
    uint16_t nums[FW_PORTS_MAX][2];
    int pending_lo;              /* a range's low end was read */
    int too_many;
} match;

typedef struct parse {
    mr_xp_fw *fw;
    int in_chain, in_rule, in_match;
    fw_chain chain;
    fw_rule rule;
    match m;
    mamori_err err;
} parse;

static const char *key(const mr_json_path *p, unsigned d)
{
    return d <= p->depth ? p->keys[d] : "";
}

static void copy(char *dst, size_t cap, const char *s)
{
    snprintf(dst, cap, "%.*s", (int)(cap - 1), s);
}

static int has_word(const match *m, const char *w)
{
    for (size_t i = 0; i < m->nwords; i++)
        if (!strcmp(m->words[i], w))
            return 1;
    return 0;
}

/* One match expression of a rule, as what it limits. */
static void apply_match(fw_rule *r, const match *m)
{
    int eq = !strcmp(m->op, "==") || !strcmp(m->op, "in");
    const char *k0 = m->left[0], *k1 = m->left[1], *k2 = m->left[2];
    if (!strcmp(k0, "meta") && (!strcmp(k1, "iif") || !strcmp(k1, "iifname"))) {
        if (eq && m->nwords == 1 && has_word(m, "lo"))
            r->flags |= F_IIF_LO;
        else if (!eq && !strcmp(m->op, "!=") && has_word(m, "lo"))
            ;                   /* "not loopback": every outside packet */
        else
            r->flags |= F_OTHER;
        return;
    }
    if (!strcmp(k0, "ct") && !strcmp(k1, "state")) {
        int is_new = has_word(m, "new") || has_word(m, "untracked");
        if ((eq && !is_new) || (!strcmp(m->op, "!=") && is_new))
            r->flags |= F_NOT_NEW;
        else if (!eq && strcmp(m->op, "!="))
            r->flags |= F_OTHER;
        return;
    }
    /* DNATed connections, broadcast and multicast: never a stranger's
     * new connection to a port of this machine */
    if (!strcmp(k0, "ct") && !strcmp(k1, "status") && eq &&
        has_word(m, "dnat")) {
        r->flags |= F_NOT_NEW;
        return;
    }
    if (!strcmp(k0, "meta") && !strcmp(k1, "pkttype") && eq &&
        !has_word(m, "host") && m->nwords) {
        r->flags |= F_NOT_NEW;
        return;
    }
    if (!strcmp(k0, "payload") &&
        (!strcmp(k1, "icmp") || !strcmp(k1, "icmpv6") ||
         !strcmp(k1, "igmp"))) {
        r->l4 = L4_OTHER;       /* ICMP only: never TCP or UDP */
        return;
    }
    if (!strcmp(k0, "meta") && !strcmp(k1, "l4proto") && eq) {
        int tcp = has_word(m, "tcp") || (m->nnums == 1 && m->nums[0][0] == 6);
        int udp = has_word(m, "udp") || (m->nnums == 1 && m->nums[0][0] == 17);
        r->l4 = tcp ? L4_TCP : udp ? L4_UDP : L4_OTHER;
        return;
    }
    if (!strcmp(k0, "meta") && !strcmp(k1, "nfproto") && eq) {
        r->flags |= has_word(m, "ipv4") ? F_V4 : has_word(m, "ipv6") ? F_V6
                                                                   : F_OTHER;
        return;
    }
    if (!strcmp(k0, "payload") && !strcmp(k2, "dport") && eq &&
        !m->too_many && m->nnums && !m->nwords) {
        if (!strcmp(k1, "tcp"))
            r->l4 = L4_TCP;
        else if (!strcmp(k1, "udp"))
            r->l4 = L4_UDP;
        else if (strcmp(k1, "th"))
            r->l4 = L4_OTHER;
        r->flags |= F_PORTS;
        r->nports = m->nnums;
        memcpy(r->ports, m->nums, sizeof(m->nums));
        return;
    }
    if (!strcmp(k0, "payload") && !strcmp(k2, "saddr") &&
        (!strcmp(k1, "ip") || !strcmp(k1, "ip6"))) {
        r->flags |= F_SADDR | (!strcmp(k1, "ip") ? F_V4 : F_V6);
        return;
    }
    r->flags |= F_OTHER;
}

/* A statement of a rule that is not a match. */
static void apply_statement(fw_rule *r, const char *st)
{
    if (!strcmp(st, "accept"))
        r->verdict = V_ACCEPT;
    else if (!strcmp(st, "drop") || !strcmp(st, "reject"))
        r->verdict = V_DROP;
    else if (!strcmp(st, "jump"))
        r->verdict = V_JUMP;
    else if (!strcmp(st, "goto"))
        r->verdict = V_GOTO;
    else if (!strcmp(st, "return"))
        r->verdict = V_RETURN;
    else if (strcmp(st, "counter") && strcmp(st, "log") &&
             strcmp(st, "comment") && strcmp(st, "match"))
        r->flags |= F_OTHER;    /* limit, quota, xt, meter...: conditions */
}

mamori_err mr_xp_fw_add_rule(mr_xp_fw *fw, const fw_rule *r)
{
    if (fw->nrules >= FW_RULES_MAX) {
        fw->overflow = 1;
        return MAMORI_OK;
    }
    if (fw->nrules == fw->cap) {
        size_t ncap = fw->cap ? fw->cap * 2 : 64;
        fw_rule *nv = realloc(fw->rules, ncap * sizeof(*nv));
        if (!nv)
            return MAMORI_E_NOMEM;
        fw->rules = nv;
        fw->cap = ncap;
    }
    fw->rules[fw->nrules++] = *r;
    return MAMORI_OK;
}

mamori_err mr_xp_fw_add_chain(mr_xp_fw *fw, const fw_chain *c)
{
    if (fw->nchains >= FW_CHAINS_MAX) {
        fw->overflow = 1;
        return MAMORI_OK;
    }
    fw->chains[fw->nchains++] = *c;
    return MAMORI_OK;
}

static int add_rule(parse *u)
{
    mamori_err e = mr_xp_fw_add_rule(u->fw, &u->rule);
    if (e)
        u->err = e;
    return e != MAMORI_OK;
}

static int on_open(void *user, const mr_json_path *p, int is_array)
{
    parse *u = user;
    (void)is_array;
    if (p->depth == 3 && !strcmp(key(p, 1), "nftables")) {
        if (!strcmp(key(p, 3), "chain")) {
            u->in_chain = 1;
            memset(&u->chain, 0, sizeof(u->chain));
        } else if (!strcmp(key(p, 3), "rule")) {
            u->in_rule = 1;
            memset(&u->rule, 0, sizeof(u->rule));
        }
    } else if (u->in_rule && p->depth == 6 && !strcmp(key(p, 4), "expr") &&
               !strcmp(key(p, 6), "match")) {
        u->in_match = 1;
        memset(&u->m, 0, sizeof(u->m));
    }
    return 0;
}

static int on_close(void *user, const mr_json_path *p, int is_array)
{
    parse *u = user;
    (void)is_array;
    if (p->depth == 3 && u->in_chain) {
        u->in_chain = 0;
        (void)mr_xp_fw_add_chain(u->fw, &u->chain);
    } else if (p->depth == 3 && u->in_rule) {
        u->in_rule = 0;
        return add_rule(u);
    } else if (u->in_rule && p->depth == 6 && !strcmp(key(p, 4), "expr")) {
        if (u->in_match) {
            u->in_match = 0;
            apply_match(&u->rule, &u->m);
        } else {
            apply_statement(&u->rule, key(p, 6));
        }
    }
    return 0;
}

/* A value on the right of a match: a word, a port, or one end of a
 * range. */
static void right_value(match *m, const mr_json_path *p, mr_json_kind kind,
                        const char *s)
{
    if (kind == MR_JSON_STRING) {
        /* a named set (@name): its members are not in the listing */
        if (s[0] == '@' || m->nwords >= FW_WORDS_MAX)
            m->too_many = 1;
        else
            copy(m->words[m->nwords++], FW_WORD_MAX, s);
        return;
    }
    if (kind != MR_JSON_NUMBER)
        return;
    char *end = NULL;
    unsigned long v = strtoul(s, &end, 10);
    if (end == s || *end || v > 65535) {
        m->too_many = 1;
        return;
    }
    int in_range = 0;
    for (unsigned d = 8; d < p->depth; d++)
        if (!strcmp(p->keys[d], "range"))
            in_range = 1;
    if (in_range && m->pending_lo) {
        m->nums[m->nnums - 1][1] = (uint16_t)v;
        m->pending_lo = 0;
        return;
    }
    if (m->nnums >= FW_PORTS_MAX) {
        m->too_many = 1;
        return;
    }
    m->nums[m->nnums][0] = m->nums[m->nnums][1] = (uint16_t)v;
    m->nnums++;
    m->pending_lo = in_range;
}

static int on_scalar(void *user, const mr_json_path *p, mr_json_kind kind,
                     const char *s, size_t n, int cut)
{
    parse *u = user;
    (void)n;
    (void)cut;
    unsigned d = p->depth;
    const char *k = key(p, d);
    if (u->in_chain && d == 4) {
        fw_chain *c = &u->chain;
        if (!strcmp(k, "family"))
            copy(c->family, sizeof(c->family), s);
        else if (!strcmp(k, "table"))
            copy(c->table, sizeof(c->table), s);
        else if (!strcmp(k, "name"))
            copy(c->name, sizeof(c->name), s);
        else if (!strcmp(k, "hook"))
            c->input = !strcmp(s, "input");
        else if (!strcmp(k, "policy"))
            c->policy_drop = !strcmp(s, "drop");
        else if (!strcmp(k, "type") && strcmp(s, "filter"))
            c->input = -1;      /* nat, route: never filters */
        return 0;
    }
    if (!u->in_rule)
        return 0;
    fw_rule *r = &u->rule;
    if (d == 4) {
        if (!strcmp(k, "family"))
            copy(r->family, sizeof(r->family), s);
        else if (!strcmp(k, "table"))
            copy(r->table, sizeof(r->table), s);
        else if (!strcmp(k, "chain"))
            copy(r->chain, sizeof(r->chain), s);
    } else if (d == 6 && !strcmp(key(p, 4), "expr")) {
        apply_statement(r, k);             /* "accept": null */
    } else if (d == 7 && !strcmp(key(p, 4), "expr") &&
               (!strcmp(key(p, 6), "jump") || !strcmp(key(p, 6), "goto")) &&
               !strcmp(k, "target")) {
        copy(r->target, sizeof(r->target), s);
    } else if (u->in_match && d == 7 && !strcmp(k, "op")) {
        copy(u->m.op, sizeof(u->m.op), s);
    } else if (u->in_match && d >= 7 && !strcmp(key(p, 7), "right")) {
        right_value(&u->m, p, kind, s);
    } else if (u->in_match && d == 9 && !strcmp(key(p, 7), "left")) {
        copy(u->m.left[0], FW_WORD_MAX, key(p, 8));
        if (!strcmp(k, "key") || !strcmp(k, "protocol"))
            copy(u->m.left[1], FW_WORD_MAX, s);
        else if (!strcmp(k, "field"))
            copy(u->m.left[2], FW_WORD_MAX, s);
    }
    return 0;
}

static int same_chain(const fw_rule *r, const fw_chain *c)
{
    return !strcmp(r->family, c->family) && !strcmp(r->table, c->table) &&
           !strcmp(r->chain, c->name);
}

static int same_name(const fw_chain *a, const fw_chain *b)
{
    return !strcmp(a->family, b->family) && !strcmp(a->table, b->table) &&
           !strcmp(a->name, b->name);
}

/* Groups the rules by chain, keeping their order. A chain named twice in
 * a hostile ruleset gets its rules once, with the first of its names:
 * every rule is indexed at most once, so `order` never overflows. */
mamori_err mr_xp_fw_index(mr_xp_fw *fw)
{
    fw->order = malloc((fw->nrules ? fw->nrules : 1) * sizeof(size_t));
    if (!fw->order)
        return MAMORI_E_NOMEM;
    size_t k = 0;
    for (size_t c = 0; c < fw->nchains; c++) {
        fw->chains[c].first = k;
        fw->chains[c].nrules = 0;
        int again = 0;
        for (size_t d = 0; d < c && !again; d++)
            again = same_name(&fw->chains[d], &fw->chains[c]);
        for (size_t i = 0; !again && i < fw->nrules && k < fw->nrules; i++)
            if (same_chain(&fw->rules[i], &fw->chains[c]))
                fw->order[k++] = i;
        fw->chains[c].nrules = k - fw->chains[c].first;
    }
    return MAMORI_OK;
}

mamori_err mr_xp_fw_new(mr_xp_fw **out)
{
    *out = NULL;
    mr_xp_fw *fw = calloc(1, sizeof(*fw));
    if (fw)
        fw->chains = calloc(FW_CHAINS_MAX, sizeof(*fw->chains));
    if (!fw || !fw->chains) {
        mr_xp_fw_free(fw);
        return MAMORI_E_NOMEM;
    }
    *out = fw;
    return MAMORI_OK;
}

mamori_err mr_xp_fw_read(mr_source *src, mr_xp_fw **out)
{
    *out = NULL;
    mr_xp_fw *fw = NULL;
    parse *u = calloc(1, sizeof(*u));
    if (!u || mr_xp_fw_new(&fw)) {
        free(u);
        mr_xp_fw_free(fw);
        return MAMORI_E_NOMEM;
    }
    u->fw = fw;
    mr_json_cb cb = {on_open, on_close, on_scalar, u};
    mamori_err e = mr_json_read(src, &cb, NULL);
    if (e == MAMORI_E_ABORTED && u->err)
        e = u->err;
    free(u);
    if (!e)
        e = mr_xp_fw_index(fw);
    if (e) {
        mr_xp_fw_free(fw);
        return e;
    }
    *out = fw;
    return MAMORI_OK;
}

mamori_err mr_xp_fw_parse(const char *data, size_t len, mr_xp_fw **out)
{
    mr_source *src = NULL;
    *out = NULL;
    mamori_err e = mr_source_open_mem(data, len, &src);
    if (e)
        return e;
    e = mr_xp_fw_read(src, out);
    mr_source_close(src);
    return e;
}

void mr_xp_fw_free(mr_xp_fw *fw)
{
    if (!fw)
        return;
    free(fw->chains);
    free(fw->rules);
    free(fw->order);
    free(fw);
}

size_t mr_xp_fw_input_chains(const mr_xp_fw *fw)
{
    size_t n = 0;
    for (size_t c = 0; c < fw->nchains; c++)
        n += fw->chains[c].input == 1;
    return n;
}

/* Reading the ruleset needs CAP_NET_ADMIN; without it libnftables
 * prints to stderr itself, which a library must not let happen. */
static int can_read_ruleset(void)
{
    struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct d[2];
    memset(d, 0, sizeof(d));
    if (syscall(SYS_capget, &h, d) != 0)
        return geteuid() == 0;
    return (d[CAP_NET_ADMIN / 32].effective >> (CAP_NET_ADMIN % 32)) & 1;
}

mamori_err mr_xp_fw_live(char **json, size_t *len, char *why, size_t cap)
{
    *json = NULL;
    *len = 0;
    why[0] = '\0';
    if (!can_read_ruleset()) {
        copy(why, cap, "not root: reading it needs CAP_NET_ADMIN");
        return MAMORI_E_IO;
    }
    if (mr_dlib_load(&mr_dlib_nft) != 0) {
        copy(why, cap, mr_dlib_error(&mr_dlib_nft));
        return MAMORI_E_IO;
    }
    struct nft_ctx *nft = mr_sym_nft_ctx_new(NFT_CTX_DEFAULT);
    if (!nft)
        return MAMORI_E_NOMEM;
    mr_sym_nft_ctx_output_set_flags(nft, NFT_CTX_OUTPUT_JSON);
    mamori_err e = MAMORI_OK;
    if (mr_sym_nft_ctx_buffer_output(nft) || mr_sym_nft_ctx_buffer_error(nft)) {
        e = MAMORI_E_NOMEM;
    } else if (mr_sym_nft_run_cmd_from_buffer(nft, "list ruleset") != 0) {
        const char *err = mr_sym_nft_ctx_get_error_buffer(nft);
        copy(why, cap, err && *err ? err : "nft list ruleset failed");
        why[strcspn(why, "\n")] = '\0';
        e = MAMORI_E_IO;
    } else {
        const char *out = mr_sym_nft_ctx_get_output_buffer(nft);
        size_t n = out ? strlen(out) : 0;
        if (n > FW_JSON_MAX)
            e = MAMORI_E_TOO_LARGE;
        else if (!(*json = malloc(n + 1)))
            e = MAMORI_E_NOMEM;
        else {
            memcpy(*json, out ? out : "", n + 1);
            *len = n;
        }
    }
    mr_sym_nft_ctx_free(nft);
    return e;
}

/* ---- judging ---------------------------------------------------------- */

enum { J_CONTINUE = 0, J_ACCEPT, J_DROP, J_UNKNOWN };

typedef struct pkt {
    int v6;
    int l4;
    uint16_t port;
} pkt;

static int rule_matches(const fw_rule *r, const pkt *k)
{
    if (r->flags & (F_IIF_LO | F_NOT_NEW))
        return 0;
    if ((r->flags & F_V4 && k->v6) || (r->flags & F_V6 && !k->v6))
        return 0;
    if (r->l4 != L4_ANY && r->l4 != k->l4)
        return 0;
    if (r->flags & F_PORTS) {
        for (size_t i = 0; i < r->nports; i++)
            if (k->port >= r->ports[i][0] && k->port <= r->ports[i][1])
                return 1;
        return 0;
    }
    return 1;
}

static const fw_chain *find_chain(const mr_xp_fw *fw, const fw_chain *from,
                                  const char *name)
{
    for (size_t c = 0; c < fw->nchains; c++)
        if (!strcmp(fw->chains[c].family, from->family) &&
            !strcmp(fw->chains[c].table, from->table) &&
            !strcmp(fw->chains[c].name, name))
            return &fw->chains[c];
    return NULL;
}

/* The verdict of chain c for k: J_CONTINUE when it falls off the end of
 * a chain that was jumped to. */
static int eval(const mr_xp_fw *fw, const fw_chain *c, const pkt *k,
                int depth, int *unsure)
{
    if (depth > FW_JUMPS_MAX)
        return J_UNKNOWN;
    for (size_t i = 0; i < c->nrules; i++) {
        const fw_rule *r = &fw->rules[fw->order[c->first + i]];
        if (!rule_matches(r, k))
            continue;
        int cond = (r->flags & (F_SADDR | F_OTHER)) != 0;
        switch (r->verdict) {
        case V_ACCEPT:
            if (!cond)
                return J_ACCEPT;
            if (r->flags & F_OTHER)
                *unsure = 1;    /* accepted under a condition not read */
            break;              /* some sources only: limited */
        case V_DROP:
            if (!cond)
                return J_DROP;
            if (r->flags & F_OTHER)
                *unsure = 1;    /* dropped under a condition not read */
            break;
        case V_JUMP:
        case V_GOTO: {
            const fw_chain *t = find_chain(fw, c, r->target);
            if (!t)
                return J_UNKNOWN;
            int v = eval(fw, t, k, depth + 1, unsure);
            if (v != J_CONTINUE) {
                if (cond && v == J_ACCEPT)
                    break;
                if (cond)
                    return J_UNKNOWN;
                return v;
            }
            if (r->verdict == V_GOTO && !cond)
                return depth ? J_CONTINUE : (c->policy_drop ? J_DROP
                                                              : J_ACCEPT);
            break;
        }
        case V_RETURN:
            if (cond)
                return J_UNKNOWN;
            return J_CONTINUE;
        default: break;
        }
    }
    if ((c->input != 1 && c->input != 2) || depth)
        return J_CONTINUE;
    return c->policy_drop ? J_DROP : J_ACCEPT;
}

/* Does the ruleset let a new connection from another host reach k?
 * Every input chain (input 1) must let it through; of the zones (input
 * 2) the one bound to its interface decides, which mamori does not know:
 * open when one of them accepts it (*by names the first), filtered when
 * all drop it. */
static mr_xp_filtered judge_one(const mr_xp_fw *fw, const pkt *k,
                                const char **by)
{
    int unknown = 0, zones = 0, zone_open = 0, zone_unknown = 0;
    const char *opened = NULL;
    if (fw->overflow)
        return MR_XP_FILTER_UNKNOWN;   /* a rule left out may decide */
    for (size_t c = 0; c < fw->nchains; c++) {
        const fw_chain *ch = &fw->chains[c];
        if (ch->input != 1 && ch->input != 2)
            continue;
        if (strcmp(ch->family, "inet") &&
            strcmp(ch->family, k->v6 ? "ip6" : "ip"))
            continue;
        int unsure = 0;
        int v = eval(fw, ch, k, 0, &unsure);
        if (ch->input == 2) {
            zones = 1;
            if (v == J_ACCEPT && !unsure) {
                if (!zone_open)
                    opened = ch->name;
                zone_open = 1;
            } else if (v != J_DROP || unsure) {
                zone_unknown = 1;
            }
            continue;
        }
        if (v == J_DROP && !unsure)
            return MR_XP_FILTER_YES;
        if (v != J_ACCEPT || unsure)
            unknown = 1;
    }
    if (zones && !zone_open) {
        if (!zone_unknown)
            return MR_XP_FILTER_YES;
        unknown = 1;
    }
    if (!unknown && by)
        *by = opened;
    return unknown ? MR_XP_FILTER_UNKNOWN : MR_XP_FILTER_NO;
}

mr_xp_filtered mr_xp_fw_judge(const mr_xp_fw *fw, const mr_xp_listener *l)
{
    pkt k = {l->family == AF_INET6, l->proto == MR_XP_TCP ? L4_TCP : L4_UDP,
             l->port};
    mr_xp_filtered f = judge_one(fw, &k, NULL);
    /* "::" also takes IPv4 (unless IPV6_V6ONLY): open if either is */
    if (l->family == AF_INET6 && l->scope == MR_XP_ALL) {
        k.v6 = 0;
        mr_xp_filtered f4 = judge_one(fw, &k, NULL);
        if (f == MR_XP_FILTER_NO || f4 == MR_XP_FILTER_NO)
            return MR_XP_FILTER_NO;
        if (f4 != f)
            return MR_XP_FILTER_UNKNOWN;
    }
    return f;
}

mr_xp_filtered mr_xp_fw_judge_port(const mr_xp_fw *fw, int v6,
                                   mr_xp_proto proto, uint16_t port)
{
    return mr_xp_fw_judge_port_by(fw, v6, proto, port, NULL);
}

mr_xp_filtered mr_xp_fw_judge_port_by(const mr_xp_fw *fw, int v6,
                                      mr_xp_proto proto, uint16_t port,
                                      const char **by)
{
    pkt k = {v6 != 0, proto == MR_XP_TCP ? L4_TCP : L4_UDP, port};
    if (by)
        *by = NULL;
    return judge_one(fw, &k, by);
}
