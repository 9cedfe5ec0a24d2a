/*
 * stance.c — what a configured firewall (fwconf.c) says on its own,
 * without listeners to judge: under `--root DIR` there are no live
 * sockets, so `mamori exposure` reports each firewall's stance instead:
 * what it does with a new connection to a port no rule opens (its
 * policy, per address family), the ports it opens to every host, and the
 * risky services of the catalogue among them (findings). Live, the same
 * table shows what the machine will load at its next boot.
 *
 * The judge is nft.c's, asked per port: a rule limited to some sources
 * opens nothing to "every host", a condition mamori does not read makes
 * the answer unknown (and no finding).
 */
#include "common.h"

#include <inttypes.h>

#include "check_ids.h"
#include "exposure/exposure.h"
#include "exposure/fw.h"

#define ST_PORTS_TEXT_MAX 512   /* the open ports as text in the summary */
#define ST_SEEN_MAX 256         /* port ranges listed per firewall */
#define ST_TRIED_MAX 1024       /* port ranges judged per firewall: each
                                   judgement reads every rule */
#define ST_EVIDENCE_MAX 512

const char *mr_xp_stance_policy(const mr_xp_fwconf *c, int v6)
{
    if (!c->fw)
        return "unread";
    /* port 0: a port no rule opens unless it opens every port */
    switch (mr_xp_fw_judge_port(c->fw, v6, MR_XP_TCP, 0)) {
    case MR_XP_FILTER_YES: return "drop";
    case MR_XP_FILTER_NO: return "accept";
    default: return "unknown";
    }
}

/* Open to every host over IPv4 or IPv6; *by (may be NULL) the zone
 * that opens it, when zones decide (firewalld), else NULL. */
static int open_to_all_by(const mr_xp_fw *fw, mr_xp_proto proto,
                          uint16_t port, const char **by)
{
    return mr_xp_fw_judge_port_by(fw, 0, proto, port, by) ==
               MR_XP_FILTER_NO ||
           mr_xp_fw_judge_port_by(fw, 1, proto, port, by) == MR_XP_FILTER_NO;
}

static int open_to_all(const mr_xp_fw *fw, mr_xp_proto proto, uint16_t port)
{
    return open_to_all_by(fw, proto, port, NULL);
}

void mr_xp_stance_ports(const mr_xp_fwconf *c, char *out, size_t cap)
{
    out[0] = '\0';
    if (!c->fw)
        return;
    if (!strcmp(mr_xp_stance_policy(c, 0), "accept") ||
        !strcmp(mr_xp_stance_policy(c, 1), "accept")) {
        snprintf(out, cap, "all");
        return;
    }
    uint16_t seen[ST_SEEN_MAX][3];
    size_t nseen = 0, w = 0, tried = 0;
    const mr_xp_fw *fw = c->fw;
    for (size_t i = 0; i < fw->nrules; i++) {
        const fw_rule *r = &fw->rules[i];
        if (r->verdict != V_ACCEPT || !(r->flags & F_PORTS))
            continue;
        for (int p = 0; p < 2; p++) {
            int l4 = p ? L4_UDP : L4_TCP;
            if (r->l4 != L4_ANY && r->l4 != l4)
                continue;
            for (size_t k = 0; k < r->nports; k++) {
                uint16_t lo = r->ports[k][0], hi = r->ports[k][1];
                int dup = 0;
                for (size_t s = 0; s < nseen && !dup; s++)
                    dup = seen[s][0] == lo && seen[s][1] == hi &&
                          seen[s][2] == l4;
                if (dup)
                    continue;
                if (tried++ >= ST_TRIED_MAX) {
                    if (w + 4 < cap)
                        snprintf(out + w, cap - w, "%s...", w ? " " : "");
                    return;
                }
                if (!open_to_all(fw, p ? MR_XP_UDP : MR_XP_TCP, lo))
                    continue;
                if (nseen >= ST_SEEN_MAX || w + 16 >= cap) {
                    if (w + 4 < cap)
                        snprintf(out + w, cap - w, "%s...", w ? " " : "");
                    return;
                }
                seen[nseen][0] = lo;
                seen[nseen][1] = hi;
                seen[nseen][2] = (uint16_t)l4;
                nseen++;
                int n = lo == hi
                    ? snprintf(out + w, cap - w, "%s%u/%s", w ? " " : "",
                               (unsigned)lo, p ? "udp" : "tcp")
                    : snprintf(out + w, cap - w, "%s%u-%u/%s", w ? " " : "",
                               (unsigned)lo, (unsigned)hi, p ? "udp" : "tcp");
                if (n > 0)
                    w += (size_t)n;
            }
        }
    }
}

/* One finding: a risky service's port opened to every host by c. */
static int service_finding(const mamori_ctx *ctx, const mr_xp_fwconf *c,
                           const mr_xp_service *s, uint16_t port,
                           const char *zone, const mamori_sink *sink,
                           uint64_t *count)
{
    /* not probed: what the service does by default decides */
    int open = !s->auth_default;
    mamori_severity sev = open ? s->open_sev : s->auth_sev;
    if (sev == MAMORI_SEV_INFO)
        return 0;
    const char *proto = s->proto == MR_XP_TCP ? "tcp" : "udp";
    char ev[ST_EVIDENCE_MAX];
    if (zone)
        snprintf(ev, sizeof(ev), "%s %s port %u opened to every host by "
                 "%s zone %s (%.256s)", s->name, proto, (unsigned)port,
                 c->name, zone, mr_xp_fwconf_zone_file(c, zone));
    else
        snprintf(ev, sizeof(ev), "%s %s port %u opened to every host by "
                 "%s (%.256s)", s->name, proto, (unsigned)port, c->name,
                 c->file);
    mamori_finding f;
    memset(&f, 0, sizeof(f));
    f.check = mamori_check_find(open ? MR_CHECK_EXPOSURE_NO_AUTH
                                     : MR_CHECK_EXPOSURE_RISKY_SERVICE);
    f.severity = sev;
    f.category = s->id;
    f.time = INT64_MIN;
    f.evidence = ev;
    f.evidence_len = strlen(ev);
    f.file = mr_xp_fwconf_zone_file(c, zone);
    mamori_finding_str(&f, "service", s->name, strlen(s->name));
    mamori_finding_str(&f, "proto", proto, strlen(proto));
    mamori_finding_int(&f, "port", port);
    mamori_finding_str(&f, "found", "firewall", 8);
    mamori_finding_str(&f, "firewall", c->name, strlen(c->name));
    if (zone)
        mamori_finding_str(&f, "zone", zone, strlen(zone));
    mamori_finding_str(&f, "filtered", "false", 5);
    mamori_finding_str(&f, "authentication", "unprobed", 8);
    int ja = ctx->lang == MAMORI_LANG_JA;
    const char *why = ja ? s->why_ja : s->why_en;
    const char *fix = ja ? s->fix_ja : s->fix_en;
    mamori_finding_str(&f, "why", why, strlen(why));
    mamori_finding_str(&f, "fix", fix, strlen(fix));
    mamori_finding_str(&f, "reference", s->source, strlen(s->source));
    (*count)++;
    return sink && sink->finding && sink->finding(sink->user, &f);
}

static int policy_finding(const mr_xp_fwconf *c, const mamori_sink *sink,
                          uint64_t *count)
{
    const char *v4 = mr_xp_stance_policy(c, 0), *v6 = mr_xp_stance_policy(c, 1);
    int a4 = !strcmp(v4, "accept"), a6 = !strcmp(v6, "accept");
    const char *zone = NULL;
    (void)open_to_all_by(c->fw, MR_XP_TCP, 0, &zone);
    char ev[ST_EVIDENCE_MAX];
    if (zone)
        snprintf(ev, sizeof(ev),
                 "%s zone %s (%.256s) accepts new connections from other "
                 "hosts to ports no rule closes (%s)", c->name, zone,
                 mr_xp_fwconf_zone_file(c, zone),
                 a4 && a6 ? "IPv4 and IPv6" : a4 ? "IPv4" : "IPv6");
    else
        snprintf(ev, sizeof(ev),
                 "%s (%.256s) accepts new connections from other hosts to "
                 "ports no rule closes (%s)",
                 c->name, c->file, a4 && a6 ? "IPv4 and IPv6" : a4 ? "IPv4"
                                                                   : "IPv6");
    mamori_finding f;
    memset(&f, 0, sizeof(f));
    f.check = mamori_check_find(MR_CHECK_EXPOSURE_FIREWALL_ACCEPT);
    f.severity = MAMORI_SEV_MEDIUM;
    f.category = "firewall";
    f.time = INT64_MIN;
    f.evidence = ev;
    f.evidence_len = strlen(ev);
    f.file = mr_xp_fwconf_zone_file(c, zone);
    mamori_finding_str(&f, "firewall", c->name, strlen(c->name));
    if (zone)
        mamori_finding_str(&f, "zone", zone, strlen(zone));
    mamori_finding_str(&f, "ipv4", v4, strlen(v4));
    mamori_finding_str(&f, "ipv6", v6, strlen(v6));
    (*count)++;
    return sink && sink->finding && sink->finding(sink->user, &f);
}

int mr_xp_stance_findings(const mamori_ctx *ctx, const mr_xp_fwconf *c,
                          const mamori_sink *sink, uint64_t *count)
{
    if (!c->fw || !c->enabled)
        return 0;
    if (!strcmp(mr_xp_stance_policy(c, 0), "accept") ||
        !strcmp(mr_xp_stance_policy(c, 1), "accept"))
        return policy_finding(c, sink, count);
    size_t nsvc;
    const mr_xp_service *svc = mr_xp_services(&nsvc);
    for (size_t i = 0; i < nsvc; i++) {
        const char *p = svc[i].ports;
        while (*p) {
            char *end = NULL;
            unsigned long port = strtoul(p, &end, 10);
            if (end == p)
                break;
            p = end + strspn(end, " ");
            const char *zone = NULL;
            if (port <= 65535 &&
                open_to_all_by(c->fw, svc[i].proto, (uint16_t)port,
                               &zone) &&
                service_finding(ctx, c, &svc[i], (uint16_t)port, zone, sink,
                                count))
                return 1;
        }
    }
    return 0;
}

/* The firewalls configured (when any): their stance on their own. */
int mr_xp_stance_summary(const mr_xp_fwconf *fwc, size_t nfwc,
                         mamori_summary *s)
{
    static const char *const cols[] = {"firewall", "file", "enabled",
                                       "ipv4", "ipv6", "open_ports"};
    if (!nfwc)
        return 0;
    int bad = mamori_summary_table(s, "firewalls", "Firewalls configured",
                                   "設定されたファイアウォール",
                                   MR_ARRAY_LEN(cols), cols) != MAMORI_OK;
    for (size_t i = 0; i < nfwc && !bad; i++) {
        const mr_xp_fwconf *c = &fwc[i];
        char ports[ST_PORTS_TEXT_MAX];
        mr_xp_stance_ports(c, ports, sizeof(ports));
        mamori_cell row[MR_ARRAY_LEN(cols)] = {
            {c->name, 0},
            {c->file[0] ? c->file : "-", 0},
            {c->enabled ? "yes" : "no", 0},
            {mr_xp_stance_policy(c, 0), 0},
            {mr_xp_stance_policy(c, 1), 0},
            {ports[0] ? ports : "-", 0}};
        bad = mamori_summary_row(s, row) != MAMORI_OK;
    }
    return bad;
}
