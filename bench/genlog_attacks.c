/*
 * genlog_attacks.c — the hostile lines of the generated log (about 1%).
 *
 * A small pool of attacker addresses, each with a sticky tool or scanner
 * user agent, sends payloads of every category mamori detects: SQL
 * injection, XSS, traversal/LFI, RFI, command injection, exploit probes,
 * Log4Shell strings in the user agent or referer, Shellshock in the user
 * agent, requests for secrets (/.env, /.git/config...) and scanner runs.
 * Most are answered 4xx; some get a 200 — a few of those with a response
 * far larger than the page usually is, the way a working injection looks
 * in an access log.
 */
#include "genlog.h"

enum attack_kind { AK_SQLI, AK_XSS, AK_TRAVERSAL, AK_RFI, AK_CMDI, AK_PROBE,
                   AK_JNDI, AK_SHELLSHOCK, AK_SENSITIVE, AK_SCANNER,
                   AK_COUNT };

/* Relative weight of each kind among attack lines. */
static const uint8_t attack_weight[AK_COUNT] = {20, 12, 12, 5, 9, 10, 8, 4,
                                                12, 8};

void gen_make_attackers(gen_rng *r, gen_client *cl, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        gen_client *k = &cl[i];
        k->kind = CK_ATTACKER;
        k->http2 = 0;
        /* ua < 1000: a tool or plain browser string; 1000+: a scanner. */
        k->ua = gen_chance(r, 4000)
            ? (uint16_t)(1000 + gen_below(r, gen_ua_scanners_len))
            : (uint16_t)gen_below(r, gen_ua_tools_len);
        k->ip_len = gen_make_ip(r, k->ip, gen_chance(r, 600));
    }
}

static enum attack_kind pick_kind(gen_rng *r)
{
    uint32_t total = 0;
    for (size_t i = 0; i < AK_COUNT; i++)
        total += attack_weight[i];
    uint32_t x = gen_below(r, total);
    for (size_t i = 0; i < AK_COUNT; i++) {
        if (x < attack_weight[i])
            return (enum attack_kind)i;
        x -= attack_weight[i];
    }
    return AK_SQLI;
}

/* Status and size of an error page: nginx's own (small, fixed) or the
 * shop's 404 page. */
static void error_answer(gen_rng *r, int *status, uint64_t *size)
{
    static const int st[] = {404, 404, 404, 403, 400};
    *status = GEN_PICK(r, st);
    if (*status == 404)
        *size = gen_chance(r, 5000) ? 5210 : 153;
    else
        *size = *status == 403 ? 153 : 157;
}

static bool is_app_page(const char *target)
{
    static const char *const pages[] = {"/search?", "/products?",
        "/category/", "/api/v1/", "/login", "/account", "/blog/"};
    for (size_t i = 0; i < MR_ARRAY_LEN(pages); i++)
        if (strncmp(target, pages[i], strlen(pages[i])) == 0)
            return true;
    return false;
}

void gen_attack(gen_state *st, gen_cursor *c)
{
    gen_rng *r = st->r;
    const gen_client *k =
        &st->attackers[gen_skewed(r, (uint32_t)st->nattackers)];
    const char *method = "GET", *target = "/", *referer = "-";
    const char *ua = gen_client_ua(k);
    const char *proto = "HTTP/1.1";
    int status = 404;
    uint64_t size = 153;
    error_answer(r, &status, &size);

    switch (pick_kind(r)) {
    case AK_SQLI:
        target = GEN_ONE(r, gen_atk_sqli);
        if (gen_chance(r, 4000)) {           /* the app answered */
            status = 200;
            size = gen_chance(r, 500) ? 180000 + gen_below(r, 220000)
                                      : 28000 + gen_below(r, 36000);
        } else if (gen_chance(r, 2500)) {
            status = 500;
            size = 177;
        }
        break;
    case AK_XSS:
        target = GEN_ONE(r, gen_atk_xss);
        if (gen_chance(r, 6000)) {           /* reflected, escaped or not */
            status = 200;
            size = 20000 + gen_below(r, 50000);
        }
        break;
    case AK_TRAVERSAL:
        target = GEN_ONE(r, gen_atk_traversal);
        if (gen_chance(r, 200)) {
            status = 200;
            size = 1400 + gen_below(r, 900); /* about an /etc/passwd */
        } else if (gen_chance(r, 5000)) {
            status = 400;
            size = 157;
        }
        break;
    case AK_RFI:
        target = GEN_ONE(r, gen_atk_rfi);
        break;
    case AK_CMDI:
        target = GEN_ONE(r, gen_atk_cmdi);
        if (gen_chance(r, 1000)) {
            status = 200;
            size = 300 + gen_below(r, 4000);
        }
        break;
    case AK_PROBE:
        target = GEN_ONE(r, gen_atk_probe);
        if (gen_chance(r, 2500))
            method = "POST";
        break;
    case AK_JNDI: {
        /* The payload rides in a header the app may log: UA or referer. */
        static const char *const pages[] = {"/", "/login", "/api/v1/cart",
                                            "/search?q=test", "/favicon.ico"};
        target = GEN_PICK(r, pages);
        if (gen_chance(r, 7000))
            ua = GEN_ONE(r, gen_atk_jndi);
        else
            referer = GEN_ONE(r, gen_atk_jndi);
        status = 200;
        size = 1100 + gen_below(r, 60000);
        break;
    }
    case AK_SHELLSHOCK: {
        static const char *const cgi[] = {"/cgi-bin/test.cgi",
            "/cgi-bin/status", "/cgi-bin/admin.cgi", "/"};
        target = GEN_PICK(r, cgi);
        ua = GEN_ONE(r, gen_atk_shellshock);
        proto = "HTTP/1.0";
        break;
    }
    case AK_SENSITIVE:
        target = GEN_ONE(r, gen_atk_sensitive);
        if (gen_chance(r, 300)) {            /* oops: it was there */
            status = 200;
            size = 180 + gen_below(r, 1800);
        }
        break;
    case AK_SCANNER:
        target = GEN_ONE(r, gen_atk_scan_paths);
        if (k->ua < 1000)
            ua = GEN_ONE(r, gen_ua_scanners);
        if (gen_chance(r, 1500))
            method = "HEAD";
        if (gen_chance(r, 3000))
            proto = "HTTP/1.0";
        break;
    case AK_COUNT:
        break;
    }
    /* A payload sent to a page that exists is answered by the app or
     * blocked by the WAF, not 404. */
    if (status == 404 && is_app_page(target)) {
        if (gen_chance(r, 5000)) {
            status = 200;
            size = 20000 + gen_below(r, 44000);
        } else {
            status = 403;
            size = 153;
        }
    }

    gen_put_head(st, c, k, "-");
    gen_puts(c, method);
    gen_putc(c, ' ');
    gen_puts(c, target);
    gen_putc(c, ' ');
    gen_puts(c, proto);
    gen_puts(c, "\" ");
    gen_put_uint(c, (uint64_t)status);
    gen_putc(c, ' ');
    gen_put_uint(c, strcmp(method, "HEAD") == 0 ? 0 : size);
    gen_puts(c, " \"");
    gen_puts(c, referer);
    gen_puts(c, "\" \"");
    gen_puts(c, ua);
    gen_putc(c, '"');
}
