/*
 * fw.h — the firewall model of `mamori exposure`, shared by the readers
 * that fill it: the nftables ruleset as JSON (nft.c), iptables-save text
 * (iptables.c: /etc/iptables/rules.v4 and .v6, ufw's user.rules) and
 * firewalld's zones (firewalld.c). Every reader turns its rules into the
 * same chains and rules, so one judge (nft.c) decides for all of them.
 *
 * A chain has a family ("ip", "ip6", "inet"), a table and a name; a base
 * chain of type filter on the input hook has input 1 and a policy. A rule
 * is what decides for a new connection from another host to one port:
 * the conditions it matches (flags), its layer-4 protocol, its
 * destination port ranges and its verdict. What a reader cannot model is
 * F_OTHER, which makes the verdict "unknown", never a guess.
 *
 * The model owns copies of everything added; mr_xp_fw_free() frees it.
 */
#ifndef MR_EXPOSURE_FW_H
#define MR_EXPOSURE_FW_H

#include <stddef.h>
#include <stdint.h>

#include "exposure/exposure.h"
#include "mamori/host.h"

#define MR_XP_FW_NAME_MAX 64      /* a table's or chain's name kept */
#define MR_XP_FW_FAMILY_MAX 8     /* "inet", "ip6", "netdev" */
#define MR_XP_FW_CHAINS_MAX 1024  /* chains kept */
#define MR_XP_FW_RULES_MAX 65536  /* rules kept; more: the verdict is unknown */
#define MR_XP_FW_PORTS_MAX 32     /* port ranges of one rule */
#define FW_FAMILY_MAX MR_XP_FW_FAMILY_MAX

enum { L4_ANY = 0, L4_TCP, L4_UDP, L4_OTHER };
enum {
    F_IIF_LO = 1u << 0,    /* only loopback traffic */
    F_NOT_NEW = 1u << 1,   /* never a new unicast connection from another
                              host: ct state established,related; ct
                              status dnat; meta pkttype broadcast */
    F_SADDR = 1u << 2,     /* only some source addresses */
    F_OTHER = 1u << 3,     /* a condition mamori does not model */
    F_V4 = 1u << 4,        /* IPv4 only (ip saddr, nfproto ipv4) */
    F_V6 = 1u << 5,        /* IPv6 only */
    F_PORTS = 1u << 6      /* ports[] limits the destination port */
};
enum { V_NONE = 0, V_ACCEPT, V_DROP, V_JUMP, V_GOTO, V_RETURN };

typedef struct fw_chain {
    char family[FW_FAMILY_MAX], table[MR_XP_FW_NAME_MAX];
    char name[MR_XP_FW_NAME_MAX];
    int input;              /* 1: a filter base chain on the input hook;
                               2: one zone of several (firewalld): the
                               one bound to the packet's interface
                               decides, so a port is open when one of
                               them opens it; -1: a base chain that
                               never filters */
    int policy_drop;
    size_t first, nrules;   /* its rules: order[first .. first+nrules) */
} fw_chain;

typedef struct fw_rule {
    char family[FW_FAMILY_MAX], table[MR_XP_FW_NAME_MAX];
    char chain[MR_XP_FW_NAME_MAX];
    char target[MR_XP_FW_NAME_MAX];    /* jump/goto */
    unsigned flags;
    int l4, verdict;
    size_t nports;
    uint16_t ports[MR_XP_FW_PORTS_MAX][2]; /* inclusive ranges */
} fw_rule;

struct mr_xp_fw {
    fw_chain *chains;
    size_t nchains;
    fw_rule *rules;
    size_t nrules, cap;
    size_t *order;          /* rule indexes grouped by chain */
    int overflow;           /* rules or chains left out, or a line not
                               understood: every verdict unknown */
};

/* An empty model (freed by mr_xp_fw_free()). MAMORI_E_NOMEM. */
mamori_err mr_xp_fw_new(mr_xp_fw **out);
/* Appends a copy of a chain or a rule; over the maxima the model is
 * marked overflow (every verdict unknown) and MAMORI_OK returned.
 * MAMORI_E_NOMEM. */
mamori_err mr_xp_fw_add_chain(mr_xp_fw *fw, const fw_chain *c);
mamori_err mr_xp_fw_add_rule(mr_xp_fw *fw, const fw_rule *r);
/* Groups the rules by chain: called once, after the last rule is added
 * and before judging. MAMORI_E_NOMEM. */
mamori_err mr_xp_fw_index(mr_xp_fw *fw);
/* Whether a new connection from another host, over IPv6 (v6 1) or IPv4,
 * to port is filtered (nft.c's judge). */
mr_xp_filtered mr_xp_fw_judge_port(const mr_xp_fw *fw, int v6,
                                   mr_xp_proto proto, uint16_t port);
/* The same; when it is open (MR_XP_FILTER_NO) because a zone (input 2)
 * opens it, *by is that zone's chain name (the model's), else NULL. */
mr_xp_filtered mr_xp_fw_judge_port_by(const mr_xp_fw *fw, int v6,
                                      mr_xp_proto proto, uint16_t port,
                                      const char **by);

/* iptables.c. iptables-save's text (the filter table) into fw, as family
 * "ip" or (v6) "ip6": /etc/iptables/rules.v4, rules.v6, ufw's user.rules.
 * A line it does not read (over MR_XP_IPT_LINE_MAX bytes, or not
 * iptables-save's grammar) is counted in *bad (may be NULL) and makes
 * every verdict unknown. MAMORI_E_NOMEM. */
#define MR_XP_IPT_LINE_MAX 8192
mamori_err mr_xp_ipt_parse(mr_xp_fw *fw, int v6, const char *data,
                           size_t len, uint64_t *bad);
/* The same as iptables-restore without -n loads it (rules.v4, rules.v6:
 * netfilter-persistent): each "*filter" after the first flushes the
 * table, so the later section replaces the earlier (mr_xp_ipt_parse()
 * adds them up, as ufw's `iptables-restore -n`). */
mamori_err mr_xp_ipt_restore(mr_xp_fw *fw, int v6, const char *data,
                             size_t len, uint64_t *bad);

/* firewalld.c. Reads the definition of firewalld service `name` into
 * *xml (the caller frees it), *len bytes; non-zero when there is none. */
typedef int (*mr_xp_fwd_service_fn)(void *user, const char *name,
                                    char **xml, size_t *len);
/* A zone file's XML into fw as a zone chain (input 2) named name, of
 * family ("inet", or "ip"/"ip6" for a zone bound to every source of one
 * family): its target the policy, its services (through service),
 * ports, protocols and forward-ports accepted (one to an address:
 * unknown), its rich rules in firewalld's order as far as they are
 * read. XML it does not read makes every verdict unknown. name and
 * family are copied. MAMORI_E_NOMEM. */
mamori_err mr_xp_fwd_zone_named(mr_xp_fw *fw, const char *name,
                                const char *family, const char *xml,
                                size_t len, mr_xp_fwd_service_fn service,
                                void *user);
/* A jump from a zone to a policy's chain that applies to it (ingress
 * ANY or that zone, egress HOST), before the zone's rules (priority < 0)
 * or after them. */
typedef struct mr_xp_fwd_jump {
    char chain[MR_XP_FW_NAME_MAX];
    long priority;
} mr_xp_fwd_jump;
/* mr_xp_fwd_zone_named() with the jumps to jumps[0 .. njumps). */
mamori_err mr_xp_fwd_zone_jumps(mr_xp_fw *fw, const char *name,
                                const char *family, const char *xml,
                                size_t len, mr_xp_fwd_service_fn service,
                                void *user, const mr_xp_fwd_jump *jumps,
                                size_t njumps);
/* A policy file's XML (firewalld.policy(5)) into fw as the chain `chain`
 * of family, which zones jump to: its rules as a zone's, then its target
 * (CONTINUE: nothing; ACCEPT; DROP and REJECT drop). MAMORI_E_NOMEM. */
mamori_err mr_xp_fwd_policy(mr_xp_fw *fw, const char *chain,
                            const char *family, const char *xml, size_t len,
                            mr_xp_fwd_service_fn service, void *user);
/* The same as the zone "zone" of family inet. */
mamori_err mr_xp_fwd_zone(mr_xp_fw *fw, const char *xml, size_t len,
                          mr_xp_fwd_service_fn service, void *user);
/* A zone bound to something whose file cannot be read: every port
 * unknown in it. MAMORI_E_NOMEM. */
mamori_err mr_xp_fwd_zone_unread(mr_xp_fw *fw, const char *name,
                                 const char *family);
/* What a zone file binds to its zone (<interface>, <source> outside
 * rich rules): a source of every IPv4 (0.0.0.0/0) or IPv6 (::/0) host
 * is every host of that family; other sources are some hosts only. Of a
 * policy file: its priority, ingress and egress zones. */
#define MR_XP_FWD_INGRESS_MAX 8  /* a policy's ingress zones kept */
typedef struct mr_xp_fwd_bind {
    size_t interfaces, sources;
    int any4, any6;
    /* a <policy>: its priority (0 when not read), whether its traffic
     * goes to this host (egress HOST) and from which zones */
    int is_policy, egress_host, ingress_any, ingress_cut;
    long priority;
    size_t ningress;
    char ingress[MR_XP_FWD_INGRESS_MAX][MR_XP_FW_NAME_MAX];
    int depth_rule;             /* the scan's own: inside <rule> */
} mr_xp_fwd_bind;
/* -1 for XML it does not read. */
int mr_xp_fwd_binds(const char *xml, size_t len, mr_xp_fwd_bind *b);

/* nftconf.c. The JSON of `list ruleset` after loading an nftables
 * configuration (the text of /etc/nftables.conf, len bytes) into a
 * network namespace made for it and gone after: libnftables cannot read
 * a file without the kernel (its check mode sends the batch to the
 * kernel too), and this machine's own ruleset must not change. *json is
 * the caller's to free. MAMORI_E_IO with why (cap bytes) when the
 * namespace cannot be made (not root and no user namespaces), when the
 * file includes others (they would be read from this machine, not the
 * root: nftinc.c expands them first), or when nft refused it. */
mamori_err mr_xp_nft_conf(const char *conf, size_t len, char **json,
                          size_t *jlen, char *why, size_t cap);

/* nftinc.c. The text of nftables configuration `file` (text, len bytes)
 * with each `include` replaced by what it names, read through sr (never
 * outside its root), at most max bytes in all, into *out (the caller
 * frees it; NUL-terminated), *out_len bytes. MAMORI_E_IO with why (cap
 * bytes) when an include is missing, nested too deep, too many, or in a
 * form not read; MAMORI_E_TOO_LARGE (why set) over max; MAMORI_E_NOMEM. */
mamori_err mr_xp_nft_flatten(const mamori_sysroot *sr, const char *file,
                             const char *text, size_t len, size_t max,
                             char **out, size_t *out_len, char *why,
                             size_t cap);

/* fwconf.c: the firewalls configured under a sysroot. */
#define MR_XP_FWCONF_MAX 4       /* nftables, iptables, ufw, firewalld */
#define MR_XP_FW_WHY_MAX 256
typedef struct mr_xp_fwconf {
    const char *name;            /* "nftables", "iptables", "ufw",
                                    "firewalld" (static) */
    char file[MAMORI_SYSROOT_PATH_MAX]; /* the file that decides */
    int enabled;                 /* loaded at boot: 1, or 0 */
    mr_xp_fw *fw;                /* NULL: not read (why says why) */
    uint64_t bad;                /* lines not read */
    char why[MR_XP_FW_WHY_MAX];
    struct mr_xp_fwzone *zones;  /* firewalld: the zones judged (owned,
                                    freed by mr_xp_fwconf_free()) */
    size_t nzones;
} mr_xp_fwconf;
/* A firewalld zone judged: its name (the model's chain) and its file
 * ("" when it has none that can be read). */
typedef struct mr_xp_fwzone {
    char name[MR_XP_FW_NAME_MAX];
    char file[MAMORI_SYSROOT_PATH_MAX];
} mr_xp_fwzone;
/* The file of zone `name` of c; c->file when c has no such zone. */
const char *mr_xp_fwconf_zone_file(const mr_xp_fwconf *c, const char *name);
/* Reads every firewall configured under sr into out[0 .. *n) (at most
 * MR_XP_FWCONF_MAX); one that is there but cannot be read has fw NULL and
 * why set. Freed by mr_xp_fwconf_free(). MAMORI_E_NOMEM. */
mamori_err mr_xp_fwconf_read(const mamori_sysroot *sr, mr_xp_fwconf *out,
                             size_t *n);
void mr_xp_fwconf_free(mr_xp_fwconf *c, size_t n);
/* A warning for each of c[0 .. n) that cannot be read, or has lines not
 * read; live (1), only for those loaded at boot. */
void mr_xp_fwconf_say(const mamori_ctx *ctx, const mr_xp_fwconf *c,
                      size_t n, int live);

/* stance.c. What c does with a new connection to a port no rule opens,
 * over IPv6 (v6 1) or IPv4: "drop", "accept", "unknown", or "unread"
 * (static). */
const char *mr_xp_stance_policy(const mr_xp_fwconf *c, int v6);
/* The ports c opens to every host ("22/tcp 8000-8100/tcp", "all" when
 * its policy accepts, "..." when cut), into out (cap bytes). */
void mr_xp_stance_ports(const mr_xp_fwconf *c, char *out, size_t cap);
/* The findings of c when it is loaded at boot: its policy when it
 * accepts (exposure.firewall-accept), else each risky service of the
 * catalogue it opens to every host. *count grows by each; non-zero when
 * the sink stopped it. */
int mr_xp_stance_findings(const mamori_ctx *ctx, const mr_xp_fwconf *c,
                          const mamori_sink *sink, uint64_t *count);
/* The table "firewalls" of the summary: each of c[0 .. n) with its
 * file, whether it is loaded at boot, its policy per family and the
 * ports it opens to all. Nothing when n is 0. Non-zero on failure. */
int mr_xp_stance_summary(const mr_xp_fwconf *c, size_t n,
                         struct mamori_summary *s);

#endif
