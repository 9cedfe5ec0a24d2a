/*
 * check_ns.c — asking the domain's own servers rather than the resolver:
 * its nameservers (lame delegation, open recursion for strangers, zone
 * transfer to anyone) and its MX hosts (STARTTLS offered and working).
 *
 * Each nameserver (at most MR_NS_KEEP, each at most MR_NS_ADDR_KEEP
 * addresses) gets three probes straight from probe.c: SOA of the zone
 * without recursion (a server that does not answer with authority is
 * lame), the root's NS with recursion desired (an answer with RA from a
 * server that is not the root's means it recurses for anyone) and AXFR
 * over TCP (a first message with records means the zone is handed out).
 * Each MX host (at most MR_SMTP_HOSTS_MAX) gets one SMTP conversation.
 * Every probe is cut at the domain's deadline.
 */
#include "common.h"

#include "dns/check.h"
#include "dns/probe.h"
#include "check_ids.h"

#define MR_NS_KEEP 4
#define MR_NS_ADDR_KEEP 2
#define MR_PROBE_TIMEOUT_MS 2000
#define MR_SMTP_TIMEOUT_MS 5000
#define MR_SMTP_HOSTS_MAX 2

/* The time one probe may take: its own limit or what the domain has left. */
static unsigned probe_ms(mr_dcheck *dc, unsigned limit)
{
    int64_t left = mr_ub_remaining_ms(dc->ub);
    return (unsigned)MR_MIN(left, (int64_t)limit);
}

/* Addresses of host (A, else AAAA) into ips; how many. */
static size_t addresses(mr_dcheck *dc, const char *host, mr_ip *ips,
                        size_t cap)
{
    size_t n = 0;
    if (mr_dq(dc, host, MR_DNS_T_A) == MR_DNS_NOERROR)
        for (size_t i = 0; i < dc->ans->n && n < cap; i++)
            if (dc->ans->rr[i].len == 4) {
                ips[n].family = 4;
                memcpy(ips[n++].b, mr_dns_rr_data(dc->ans, i), 4);
            }
    if (n == 0 && mr_dq(dc, host, MR_DNS_T_AAAA) == MR_DNS_NOERROR)
        for (size_t i = 0; i < dc->ans->n && n < cap; i++)
            if (dc->ans->rr[i].len == 16) {
                ips[n].family = 6;
                memcpy(ips[n++].b, mr_dns_rr_data(dc->ans, i), 16);
            }
    return n;
}

static const char *probe_why(int r, const mr_probe_reply *rep)
{
    switch (r) {
    case MR_PROBE_TIMEOUT: return "no answer in time";
    case MR_PROBE_REFUSED: return "port unreachable (no DNS server)";
    case MR_PROBE_MALFORMED: return "a reply that is not DNS";
    case MR_PROBE_OK: break;
    default: return "network error";
    }
    if (rep->rcode != 0)
        return mr_dns_rcode_name(rep->rcode);
    return rep->aa ? "answered" : "answered without authority (no AA)";
}

/* The three probes of one nameserver address. */
static void probe_ns(mr_dcheck *dc, const char *zone, const char *ns,
                     const mr_ip *ip)
{
    unsigned port = dc->cfg->ns_port ? dc->cfg->ns_port : 53;
    char addr[MR_IP_TEXT_MAX];
    mr_probe_reply rep;
    mr_note *nt;

    mr_ip_format(ip, addr, sizeof addr);
    int r = mr_probe_dns(ip, port, zone, MR_DNS_T_SOA, false,
                         probe_ms(dc, MR_PROBE_TIMEOUT_MS), &rep);
    if ((r != MR_PROBE_OK || rep.rcode != 0 || !rep.aa) &&
        (nt = mr_note_add(dc, MR_CHECK_DNS_NS_LAME, "ns", ns))) {
        mr_note_set(nt->record, "%s. NS %s.", zone, ns);
        mr_note_set(nt->fix, "remove \"%s. NS %s.\" at the parent and in the "
                    "zone, or serve %s on %s", zone, ns, zone, ns);
        mr_note_set(nt->detail, "nameserver %s (%s) does not serve %s with "
                    "authority: SOA query: %s", ns, addr, zone,
                    probe_why(r, &rep));
        return;   /* a server that does not answer needs no more probes */
    }
    r = mr_probe_dns(ip, port, ".", MR_DNS_T_NS, true,
                     probe_ms(dc, MR_PROBE_TIMEOUT_MS), &rep);
    if (r == MR_PROBE_OK && rep.rcode == 0 && rep.ra && !rep.aa &&
        rep.ancount > 0 &&
        (nt = mr_note_add(dc, MR_CHECK_DNS_NS_OPEN_RESOLVER, "ns", ns))) {
        mr_note_set(nt->fix, "allow recursion only for your own networks "
                    "on %s (BIND: allow-recursion { localnets; }; unbound: "
                    "access-control), or separate it from the "
                    "authoritative server", ns);
        mr_note_set(nt->detail, "nameserver %s (%s) answered a recursive "
                    "query for the root's NS records from a stranger "
                    "(RA set, %u answers)", ns, addr, rep.ancount);
    }
    r = mr_probe_dns(ip, port, zone, MR_DNS_T_AXFR, false,
                     probe_ms(dc, MR_PROBE_TIMEOUT_MS), &rep);
    if (r == MR_PROBE_OK && rep.rcode == 0 && rep.ancount > 0 &&
        (nt = mr_note_add(dc, MR_CHECK_DNS_NS_AXFR, "ns", ns))) {
        mr_note_set(nt->fix, "allow zone transfers of %s only to your "
                    "secondary servers, with TSIG (BIND: allow-transfer; "
                    "nsd: provide-xfr with a key)", zone);
        mr_note_set(nt->detail, "nameserver %s (%s) sent the zone %s to "
                    "anyone who asked (AXFR over TCP port %u)", ns, addr,
                    zone, port);
    }
}

void mr_check_ns(mr_dcheck *dc)
{
    char zone[MR_DNS_NAME_MAX + 1], ns[MR_NS_KEEP][MR_DNS_NAME_MAX + 1];
    size_t n_ns = 0;
    mr_ip ips[MR_NS_ADDR_KEEP];
    mr_note *nt;

    if (dc->cfg->no_probe)
        return;
    snprintf(zone, sizeof zone, "%s", dc->domain);
    int rc = mr_dq(dc, zone, MR_DNS_T_NS);
    if (rc == MR_DNS_NOERROR && dc->ans->n == 0 &&
        mr_psl_org_domain(dc->cfg->psl, dc->domain, zone, sizeof zone) == 0 &&
        strcmp(zone, dc->domain) != 0)
        rc = mr_dq(dc, zone, MR_DNS_T_NS);   /* not a zone apex: its zone */
    if (rc != MR_DNS_NOERROR)
        return;
    for (size_t i = 0; i < dc->ans->n && n_ns < MR_NS_KEEP; i++) {
        size_t l = dc->ans->rr[i].len;
        const char *h = (const char *)mr_dns_rr_data(dc->ans, i);
        if (l > 0 && h[l - 1] == '.')
            l--;
        if (l == 0 || l > MR_DNS_NAME_MAX)
            continue;
        memcpy(ns[n_ns], h, l);
        ns[n_ns++][l] = '\0';
    }
    for (size_t i = 0; i < n_ns; i++) {
        size_t na = addresses(dc, ns[i], ips, MR_NS_ADDR_KEEP);
        if (na == 0 && (nt = mr_note_add(dc, MR_CHECK_DNS_NS_LAME, "ns", ns[i]))) {
            mr_note_set(nt->record, "%s. NS %s.", zone, ns[i]);
            mr_note_set(nt->fix, "remove \"%s. NS %s.\" or give %s an "
                        "address", zone, ns[i], ns[i]);
            mr_note_set(nt->detail, "nameserver %s has no address", ns[i]);
        }
        for (size_t k = 0; k < na && mr_ub_remaining_ms(dc->ub) > 0; k++)
            probe_ns(dc, zone, ns[i], &ips[k]);
    }
}

void mr_check_starttls(mr_dcheck *dc)
{
    unsigned port = dc->cfg->smtp_port ? dc->cfg->smtp_port : 25;
    mr_ip ip;
    mr_note *nt;
    char addr[MR_IP_TEXT_MAX];
    mr_smtp_tls *t = malloc(sizeof *t);

    if (t == NULL || dc->cfg->no_probe || dc->null_mx) {
        free(t);
        return;
    }
    snprintf(dc->r->starttls, sizeof dc->r->starttls, "-");
    for (size_t i = 0; i < MR_MIN(dc->n_mx, (size_t)MR_SMTP_HOSTS_MAX); i++) {
        char host[MR_DNS_NAME_MAX + 1];
        snprintf(host, sizeof host, "%s", dc->mx[i]);
        size_t l = strlen(host);
        if (l > 0 && host[l - 1] == '.')
            host[l - 1] = '\0';
        if (addresses(dc, host, &ip, 1) == 0 ||
            mr_ub_remaining_ms(dc->ub) <= 0)
            continue;   /* dns.mx.invalid says so */
        mr_ip_format(&ip, addr, sizeof addr);
        mr_smtp_starttls(&ip, port, host, probe_ms(dc, MR_SMTP_TIMEOUT_MS), t);
        if (t->stage == MR_SMTP_TLS_OK) {
            if (strcmp(dc->r->starttls, "-") == 0)
                snprintf(dc->r->starttls, sizeof dc->r->starttls, "%.20s",
                         t->tls_version);
            continue;
        }
        bool reached = t->stage >= MR_SMTP_NO_STARTTLS;
        snprintf(dc->r->starttls, sizeof dc->r->starttls, "%s",
                 reached ? "none" : "unreachable");
        nt = mr_note_add(dc, reached ? MR_CHECK_DNS_MX_STARTTLS
                                     : MR_CHECK_DNS_MX_SMTP_UNREACHABLE, "mx", host);
        if (nt == NULL)
            continue;
        if (t->banner[0])
            mr_note_set(nt->record, "%s", t->banner);
        if (reached)
            mr_note_set(nt->fix, "enable STARTTLS on %s with a certificate "
                        "for %s (Postfix: smtpd_tls_security_level = may, "
                        "smtpd_tls_cert_file, smtpd_tls_key_file)", host,
                        host);
        mr_note_set(nt->detail, "MX %s (%s port %u): %s", host, addr, port,
                    t->why);
    }
    free(t);
}
