/*
 * catalog.c — the catalogue of risky services (data/exposure/services.def,
 * compiled in by X-macro) and how a listener is named by it: by the
 * executable first, since a service moved to another port is still that
 * service (redis-server on 7000 is Redis), then by protocol and port.
 */
#include "common.h"

#include "exposure/exposure.h"

#define TCP MR_XP_TCP
#define UDP MR_XP_UDP
#define INFO MAMORI_SEV_INFO
#define LOW MAMORI_SEV_LOW
#define MEDIUM MAMORI_SEV_MEDIUM
#define HIGH MAMORI_SEV_HIGH
#define CRITICAL MAMORI_SEV_CRITICAL
#define SERVICE(id, name, proto, ports, exes, open_sev, auth_sev, auth, \
                why_en, why_ja, fix_en, fix_ja, src)                   \
    {id, name, proto, ports, exes, open_sev, auth_sev, auth,           \
     why_en, why_ja, fix_en, fix_ja, src},

static const mr_xp_service services[] = {
#include "exposure/services.def"
};

#undef SERVICE

const mr_xp_service *mr_xp_services(size_t *n)
{
    *n = MR_ARRAY_LEN(services);
    return services;
}

/* Is w (n bytes) one of the blank-separated words? */
static int in_words(const char *words, const char *w, size_t n)
{
    const char *p = words;
    while (*p) {
        while (*p == ' ')
            p++;
        size_t k = strcspn(p, " ");
        if (k && k == n && !memcmp(p, w, n))
            return 1;
        p += k;
    }
    return 0;
}

static int port_in(const char *ports, uint16_t port)
{
    char s[8];
    int k = snprintf(s, sizeof(s), "%u", (unsigned)port);
    return k > 0 && in_words(ports, s, (size_t)k);
}

int mr_xp_service_by_id(const char *id)
{
    for (size_t i = 0; i < MR_ARRAY_LEN(services); i++)
        if (!strcmp(services[i].id, id))
            return (int)i;
    return -1;
}

int mr_xp_service_of_banner(const char *banner)
{
    /* protocols that speak first and say what they are */
    if (!strncmp(banner, "SSH-", 4))
        return mr_xp_service_by_id("ssh");
    /* a mail server's greeting says ESMTP or SMTP (RFC 5321 4.2) */
    if (!strncmp(banner, "220", 3) && strstr(banner, "SMTP"))
        return mr_xp_service_by_id("smtp");
    if (!strncmp(banner, "220", 3) && (strstr(banner, "FTP") ||
                                       strstr(banner, "ftp")))
        return mr_xp_service_by_id("ftp");
    if (!strncmp(banner, "RFB ", 4))
        return mr_xp_service_by_id("vnc");
    /* Redis in protected mode refuses a stranger as soon as it connects */
    if (!strncmp(banner, "-DENIED Redis", 13))
        return mr_xp_service_by_id("redis");
    return -1;
}

int mr_xp_service_find(mr_xp_proto proto, uint16_t port, const char *exe,
                       const char *comm)
{
    const char *base = exe ? strrchr(exe, '/') : NULL;
    base = base ? base + 1 : exe;
    for (size_t i = 0; i < MR_ARRAY_LEN(services); i++) {
        const mr_xp_service *s = &services[i];
        if (s->proto != proto)
            continue;
        if ((base && *base && in_words(s->exes, base, strlen(base))) ||
            (comm && *comm && in_words(s->exes, comm, strlen(comm))))
            return (int)i;
    }
    /* no executable known to the catalogue: the port decides */
    for (size_t i = 0; i < MR_ARRAY_LEN(services); i++)
        if (services[i].proto == proto && port_in(services[i].ports, port))
            return (int)i;
    return -1;
}
