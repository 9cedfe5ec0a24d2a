/*
 * genlog_traffic.c — the benign traffic of the generated log: who the
 * clients are and what each kind of client asks for.
 *
 * Browsers load pages of the shop and the blog, then the assets and API
 * calls those pages need (with the page as referer, and 304s for what
 * they have cached); crawlers walk products, categories, the blog and
 * robots.txt; the shop's app talks to the JSON API; a monitor polls
 * /healthz. Response sizes come from gen_path_size(), so each path keeps
 * its size (with noise for dynamic pages) — the baseline against which a
 * data-leaking injection stands out.
 */
#include "genlog.h"

#define SITE "https://shop.example.com"
#define PRODUCTS 3000      /* product ids in the catalogue */

/* ---- clients -------------------------------------------------------- */

uint8_t gen_make_ip(gen_rng *r, char *buf, bool v6)
{
    gen_cursor c = {buf, buf + GEN_IP_MAX - 1};
    if (v6) {
        gen_puts(&c, GEN_ONE(r, gen_ipv6_prefixes));
        for (int i = 0; i < 3; i++) {
            gen_putc(&c, ':');
            gen_put_hex(&c, 0x1000 + gen_below(r, 0xefff), 4);
        }
        gen_puts(&c, "::");
        gen_put_hex(&c, 0x100 + gen_below(r, 0xeff), 3);
    } else {
        uint32_t a;
        do { /* a public-looking first octet */
            a = 1 + gen_below(r, 222);
        } while (a == 10 || a == 127 || a == 100 || a == 172 || a == 192 ||
                 a == 169);
        gen_put_uint(&c, a);
        for (int i = 0; i < 3; i++) {
            gen_putc(&c, '.');
            gen_put_uint(&c, gen_below(r, 255) + (i == 2));
        }
    }
    return (uint8_t)(c.p - buf);
}

void gen_make_clients(gen_rng *r, gen_client *cl, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        gen_client *k = &cl[i];
        uint32_t roll = gen_below(r, 100);
        k->kind = roll < 50 ? CK_BROWSER : roll < 84 ? CK_MOBILE
                : roll < 92 ? CK_BOT : roll < 99 ? CK_APP : CK_MONITOR;
        switch (k->kind) {
        case CK_BROWSER: k->ua = (uint16_t)gen_below(r, gen_ua_desktop_len); break;
        case CK_MOBILE: k->ua = (uint16_t)gen_below(r, gen_ua_mobile_len); break;
        case CK_BOT: k->ua = (uint16_t)gen_below(r, gen_ua_bots_len); break;
        case CK_APP: k->ua = (uint16_t)gen_below(r, gen_ua_apps_len); break;
        default: k->ua = 0; break;
        }
        bool browser = k->kind == CK_BROWSER || k->kind == CK_MOBILE;
        k->http2 = browser && gen_chance(r, 6000);
        k->ip_len = gen_make_ip(r, k->ip, browser && gen_chance(r, 1500));
    }
}

const char *gen_client_ua(const gen_client *k)
{
    switch (k->kind) {
    case CK_BROWSER: return gen_ua_desktop[k->ua % gen_ua_desktop_len];
    case CK_MOBILE: return gen_ua_mobile[k->ua % gen_ua_mobile_len];
    case CK_BOT: return gen_ua_bots[k->ua % gen_ua_bots_len];
    case CK_APP: return gen_ua_apps[k->ua % gen_ua_apps_len];
    case CK_ATTACKER: return k->ua < 1000
        ? gen_ua_tools[k->ua % gen_ua_tools_len]
        : gen_ua_scanners[(k->ua - 1000u) % gen_ua_scanners_len];
    default:
        return "Mozilla/5.0+(compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)";
    }
}

void gen_put_head(gen_state *st, gen_cursor *c, const gen_client *k,
                  const char *user)
{
    gen_put(c, k->ip, k->ip_len);
    gen_puts(c, " - ");
    gen_puts(c, user);
    gen_puts(c, " [");
    gen_put_time(c, st->ck);
    gen_puts(c, "] \"");
}

/* ---- paths ---------------------------------------------------------- */

static void put_product(gen_cursor *c, uint32_t id)
{
    gen_puts(c, "/products/");
    gen_puts(c, gen_adjectives[id * 7 % gen_adjectives_len]);
    gen_putc(c, '-');
    gen_puts(c, gen_nouns[id * 13 % gen_nouns_len]);
    gen_putc(c, '-');
    gen_put_uint(c, 1000 + id);
}

static void put_blog_post(gen_cursor *c, uint32_t post)
{
    uint32_t n = (uint32_t)gen_blog_titles_len;
    post %= n;
    gen_puts(c, "/blog/");
    gen_put_uint(c, 2024 + post * 3 / n);      /* older posts first */
    gen_putc(c, '/');
    uint32_t month = 1 + post * 7 % 12;
    gen_putc(c, (char)('0' + month / 10));
    gen_putc(c, (char)('0' + month % 10));
    gen_putc(c, '/');
    gen_puts(c, gen_blog_titles[post]);
}

/* A page of the site a browser could have come from. */
static void put_referer_page(gen_rng *r, gen_cursor *c)
{
    gen_puts(c, SITE);
    uint32_t roll = gen_below(r, 10);
    if (roll < 4)
        put_product(c, gen_skewed(r, PRODUCTS));
    else if (roll < 6) {
        gen_puts(c, "/category/");
        gen_puts(c, GEN_ONE(r, gen_categories));
    } else if (roll < 7) {
        put_blog_post(c, gen_skewed(r, (uint32_t)gen_blog_titles_len));
        gen_putc(c, '/');
    } else
        gen_putc(c, '/');
}

/* What one benign request asks for; filled by the request pickers. */
typedef struct gen_req {
    const char *method;
    int status;
    uint32_t size_lo, size_hi, noise_pct; /* size range of the path */
    int referer;        /* 0 "-", 1 a page of the site, 2 maybe external */
    bool cacheable;     /* may be answered 304 */
} gen_req;

static void req_set(gen_req *q, uint32_t lo, uint32_t hi, uint32_t noise)
{
    q->size_lo = lo;
    q->size_hi = hi;
    q->noise_pct = noise;
}

/* Size range of a static file, from its extension. */
static void static_size(const char *path, gen_req *q)
{
    const char *dot = strrchr(path, '.');
    static const struct { const char *ext; uint32_t lo, hi; } ranges[] = {
        {".css", 18000, 90000}, {".js", 9000, 420000},
        {".woff2", 40000, 120000}, {".webp", 60000, 240000},
        {".ico", 15086, 15087}, {".png", 4000, 12000},
        {".svg", 2000, 9000}, {".webmanifest", 400, 900}};
    req_set(q, 1000, 20000, 0);
    for (size_t i = 0; dot != NULL && i < MR_ARRAY_LEN(ranges); i++)
        if (strcmp(dot, ranges[i].ext) == 0)
            req_set(q, ranges[i].lo, ranges[i].hi, 0);
}

static void pick_static(gen_rng *r, gen_cursor *c, gen_req *q)
{
    if (gen_chance(r, 3000)) {
        gen_puts(c, "/images/products/");
        gen_put_uint(c, 1000 + gen_skewed(r, PRODUCTS));
        gen_puts(c, gen_chance(r, 5000) ? "-600.webp" : "-1200.webp");
        req_set(q, 18000, 190000, 0);
    } else {
        const char *asset = GEN_ONE(r, gen_static_assets);
        gen_puts(c, asset);
        static_size(asset, q);
    }
    q->referer = 1;
    q->cacheable = true;
}

static void pick_page(gen_rng *r, gen_cursor *c, gen_req *q, bool bot)
{
    uint32_t roll = gen_below(r, 100);
    q->referer = bot ? 0 : 2;
    if (roll < 34) {
        uint32_t id = gen_skewed(r, PRODUCTS);
        put_product(c, id);
        req_set(q, 28000, 64000, 3);
        if (id % 97 == 13) { /* discontinued products */
            q->status = 404;
            req_set(q, 5210, 5211, 0);
        } else if (!bot && gen_chance(r, 1500))
            gen_puts(c, GEN_PICK(r, ((const char *const[]){
                "?color=navy&size=m", "?utm_source=instagram&utm_medium=social",
                "?variant=2", "?utm_source=newsletter&utm_campaign=autumn26"})));
    } else if (roll < 48) {
        gen_puts(c, "/category/");
        gen_puts(c, GEN_ONE(r, gen_categories));
        req_set(q, 40000, 90000, 5);
        if (gen_chance(r, 5000)) {
            gen_puts(c, "?page=");
            gen_put_uint(c, 2 + gen_below(r, 8));
            gen_puts(c, GEN_PICK(r, ((const char *const[]){
                "", "&sort=price_asc", "&sort=newest", "&sort=popular"})));
        }
    } else if (roll < 56 && !bot) {
        gen_puts(c, "/search?q=");
        gen_puts(c, GEN_ONE(r, gen_search_terms));
        if (gen_chance(r, 2000))
            gen_puts(c, "&page=2");
        req_set(q, 20000, 70000, 10);
        q->referer = 1;
    } else if (roll < 66) {
        gen_putc(c, '/');
        req_set(q, 52000, 58000, 2);
    } else if (roll < 84) {
        uint32_t what = gen_below(r, 10);
        if (what < 6) {
            put_blog_post(c, gen_skewed(r, (uint32_t)gen_blog_titles_len));
            if (gen_chance(r, 300)) {
                q->status = 301;
                req_set(q, 169, 170, 0);
                return;
            }
            gen_putc(c, '/');
            req_set(q, 24000, 48000, 1);
        } else if (what < 8) {
            gen_puts(c, what == 6 ? "/blog/" : "/blog/page/2/");
            req_set(q, 36000, 44000, 2);
        } else if (what == 8) {
            gen_puts(c, "/blog/tag/");
            gen_puts(c, GEN_ONE(r, gen_tags));
            gen_putc(c, '/');
            req_set(q, 20000, 40000, 2);
        } else {
            gen_puts(c, "/feed/");
            req_set(q, 61000, 63000, 1);
            q->referer = 0;
        }
    } else if (roll < 92 && !bot) {
        static const char *const shop[] = {"/cart", "/checkout",
            "/account/orders", "/login", "/account"};
        gen_puts(c, GEN_PICK(r, shop));
        req_set(q, 14000, 30000, 4);
        q->referer = 1;
    } else {
        static const char *const misc[] = {"/robots.txt", "/sitemap.xml",
            "/sitemap-products.xml", "/about", "/contact", "/faq/shipping"};
        gen_puts(c, GEN_PICK(r, misc));
        req_set(q, 300, 180000, 0);
    }
}

static void pick_api(gen_rng *r, gen_cursor *c, gen_req *q, bool browser)
{
    uint32_t roll = gen_below(r, 100);
    q->referer = browser;
    if (roll < 35) {
        gen_puts(c, "/api/v1/products?category=");
        gen_puts(c, GEN_ONE(r, gen_categories));
        gen_puts(c, "&limit=24&offset=");
        gen_put_uint(c, 24 * gen_below(r, 6));
        req_set(q, 9000, 21000, 8);
    } else if (roll < 55) {
        gen_puts(c, "/api/v1/products/");
        gen_put_uint(c, 1000 + gen_skewed(r, PRODUCTS));
        req_set(q, 1800, 5200, 2);
    } else if (roll < 70) {
        gen_puts(c, "/api/v1/cart");
        req_set(q, 120, 2400, 30);
    } else if (roll < 80) {
        q->method = "POST";
        gen_puts(c, browser ? "/api/v1/events" : "/api/v1/cart/items");
        q->status = browser ? 204 : 201;
        req_set(q, browser ? 0 : 380, browser ? 1 : 900, 10);
    } else if (roll < 88) {
        gen_puts(c, "/api/v2/search?q=");
        gen_puts(c, GEN_ONE(r, gen_search_terms));
        gen_puts(c, "&lang=ja");
        req_set(q, 3000, 16000, 12);
    } else if (roll < 94) {
        q->method = "POST";
        gen_puts(c, "/api/v1/auth/token");
        if (gen_chance(r, 800)) {
            q->status = 401;
            req_set(q, 61, 62, 0);
        } else
            req_set(q, 812, 813, 0);
    } else {
        gen_puts(c, "/api/v1/orders?status=open");
        req_set(q, 90, 3600, 20);
    }
    if (q->status == 200 && gen_chance(r, 8)) { /* the odd outage */
        q->status = gen_chance(r, 5000) ? 502 : 500;
        req_set(q, 177, 178, 0);
    }
}

/* -r: the query strings of real shop traffic (CSIC 2010, shop logs):
 * campaign tags, click ids, filters and sorting, cache busters, search
 * words percent-encoded as browsers send them (UTF-8, '+' for blanks). */
static void put_param(gen_cursor *c, bool *first, const char *name)
{
    gen_putc(c, *first ? '?' : '&');
    *first = false;
    gen_puts(c, name);
    gen_putc(c, '=');
}

static void put_shaped_query(gen_rng *r, gen_cursor *c, bool has_query)
{
    static const char *const sources[] = {"google", "instagram", "newsletter", "line",
        "facebook", "yahoo", "x.com"};
    static const char *const mediums[] = {"cpc", "social", "email", "display", "organic"};
    static const char *const campaigns[] = {"autumn_sale_2026", "black-friday",
        "new+arrivals", "%E5%86%AC%E3%81%AE%E3%82%BB%E3%83%BC%E3%83%AB",
        "retarget_cart_7d", "brand%20search"};
    static const char *const filters[] = {"color=navy", "color=%E3%83%8D%E3%82%A4%E3%83%93%E3%83%BC",
        "size=m", "size=xl", "price_min=2000", "price_max=12000", "material=linen",
        "in_stock=1", "sort=price_asc", "sort=newest", "view=grid", "per_page=48"};
    bool first = !has_query;
    uint32_t roll = gen_below(r, 100);
    if (roll < 55) {   /* an ad click: six to nine parameters */
        put_param(c, &first, "utm_source");
        gen_puts(c, GEN_PICK(r, sources));
        put_param(c, &first, "utm_medium");
        gen_puts(c, GEN_PICK(r, mediums));
        put_param(c, &first, "utm_campaign");
        gen_puts(c, GEN_PICK(r, campaigns));
        put_param(c, &first, "utm_content");
        gen_puts(c, "banner_");
        gen_put_uint(c, gen_below(r, 40));
        put_param(c, &first, "utm_term");
        gen_puts(c, GEN_ONE(r, gen_search_terms));
        put_param(c, &first, gen_chance(r, 5000) ? "gclid" : "fbclid");
        for (int k = 0; k < 3; k++)
            gen_put_hex(c, gen_rng_next(r), 14);
        if (gen_chance(r, 6000)) {
            put_param(c, &first, "_ga");
            gen_puts(c, "2.1");
            gen_put_uint(c, gen_below(r, 999999999));
            gen_putc(c, '.');
            gen_put_uint(c, 1790000000u + gen_below(r, 9999999));
        }
    } else if (roll < 85) {   /* filters and sorting, often from a campaign */
        uint32_t n = 3 + gen_below(r, 5);
        for (uint32_t k = 0; k < n; k++) {
            gen_putc(c, first ? '?' : '&');
            first = false;
            gen_puts(c, GEN_PICK(r, filters));
        }
        if (gen_chance(r, 5000)) {
            put_param(c, &first, "utm_source");
            gen_puts(c, GEN_PICK(r, sources));
            put_param(c, &first, "utm_campaign");
            gen_puts(c, GEN_PICK(r, campaigns));
        }
    } else {   /* a session or cache buster */
        put_param(c, &first, "sid");
        gen_put_hex(c, gen_rng_next(r), 16);
        gen_put_hex(c, gen_rng_next(r), 16);
        put_param(c, &first, "ts");
        gen_put_uint(c, 1790000000000ull + gen_below(r, 999999999));
    }
}

void gen_benign(gen_state *st, gen_cursor *c)
{
    gen_rng *r = st->r;
    const gen_client *k = &st->clients[gen_skewed(r, (uint32_t)st->nclients)];
    bool browser = k->kind == CK_BROWSER || k->kind == CK_MOBILE;
    bool staff = browser && gen_chance(r, 4);
    gen_put_head(st, c, k, staff ? "shopadmin" : "-");

    gen_req q = {.method = "GET", .status = 200, .referer = 0};
    char *method_at = c->p;
    gen_puts(c, "GET ");          /* rewritten below for other methods */
    char *path_at = c->p;
    if (staff) {
        gen_puts(c, gen_chance(r, 5000) ? "/admin/orders" : "/admin/");
        req_set(&q, 18000, 26000, 5);
        q.referer = 1;
    } else if (k->kind == CK_MONITOR) {
        gen_puts(c, "/healthz");
        req_set(&q, 2, 3, 0);
    } else if (k->kind == CK_APP) {
        pick_api(r, c, &q, false);
    } else if (k->kind == CK_BOT) {
        if (gen_chance(r, 2000))
            pick_static(r, c, &q);
        else
            pick_page(r, c, &q, true);
        q.referer = 0;
    } else {
        uint32_t roll = gen_below(r, 100);
        /* -r: an origin behind a CDN sees few static assets */
        if (roll < (st->shaped ? 8u : 45u))
            pick_static(r, c, &q);
        else if (roll < 55)
            pick_api(r, c, &q, true);
        else
            pick_page(r, c, &q, false);
    }
    if (st->shaped && strcmp(q.method, "GET") == 0 && k->kind != CK_MONITOR &&
        (size_t)(c->end - c->p) > GEN_SHAPED_MAX) {
        bool has_query = memchr(path_at, '?', (size_t)(c->p - path_at)) != NULL;
        if (q.cacheable) {   /* a build's cache buster */
            gen_puts(c, has_query ? "&v=" : "?v=");
            gen_put_hex(c, gen_rng_next(r), 16);
        } else {
            put_shaped_query(r, c, has_query);
        }
    }
    size_t path_len = (size_t)(c->p - path_at);
    if (strcmp(q.method, "GET") != 0) {
        /* Shift the target right to make room for a longer method. */
        size_t ml = strlen(q.method);
        if (c->p + (ml - 3) <= c->end) {
            memmove(method_at + ml + 1, path_at, path_len);
            memcpy(method_at, q.method, ml);
            method_at[ml] = ' ';
            path_at = method_at + ml + 1;
            c->p = path_at + path_len;
        }
    }
    gen_puts(c, k->http2 ? " HTTP/2.0\" " : " HTTP/1.1\" ");

    if (q.status == 200 && q.cacheable && gen_chance(r, 2500))
        q.status = 304;
    gen_put_uint(c, (uint64_t)q.status);
    gen_putc(c, ' ');
    if (q.status == 304)
        gen_putc(c, '0');
    else
        gen_put_uint(c, gen_path_size(r, path_at, path_len, q.size_lo,
                                      q.size_hi, q.noise_pct));
    gen_puts(c, " \"");
    if (q.referer == 1 || (q.referer == 2 && gen_chance(r, 4500)))
        put_referer_page(r, c);
    else if (q.referer == 2 && gen_chance(r, 4500))
        gen_puts(c, GEN_ONE(r, gen_ext_referers));
    else
        gen_putc(c, '-');
    gen_puts(c, "\" \"");
    gen_puts(c, gen_client_ua(k));
    gen_putc(c, '"');
}

bool gen_line(gen_state *st, gen_cursor *c)
{
    if (gen_chance(st->r, st->attack_per_10k)) {
        gen_attack(st, c);
        return true;
    }
    gen_benign(st, c);
    return false;
}
