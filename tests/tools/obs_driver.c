/*
 * obs_driver.c — grades one header set of tests/web/headers/ with
 * lib/web/observatory.c and prints the score, the grade and each test's
 * result, line for line as tests/web/observatory.mjs prints the MDN
 * HTTP Observatory's own verdict on the same set; the conformance test
 * (tests/web/observatory_conformance.sh) compares the two. The format of a set is
 * in tests/web/headers/README.
 *   obs_driver SET_FILE
 * With --live, the site is fetched as `mamori web` fetches it (site.c,
 * obs_site.c: both schemes, the CORS preflight, certificates verified
 * against CA_FILE) and graded: the Observatory's own retriever fetches
 * the same servers in observatory_live.mjs.
 *   obs_driver --live URL CA_FILE HTTP_PORT HTTPS_PORT   (0: the default)
 */
#include "common.h"

#include "dns/psl.h"
#include "io/curl_syms.h"
#include "web/obs_site.h"
#include "web/observatory.h"

#define SET_MAX (1024 * 1024)
#define SET_HEADERS_MAX 64

typedef struct resp {
    mr_obs_response r;
    mr_obs_header h[SET_HEADERS_MAX];
} resp;

static char text[SET_MAX + 1];
static resp http_r[MR_OBS_CHAIN_MAX], https_r[MR_OBS_CHAIN_MAX], cors_r;

static void add_header(resp *r, char *line)
{
    char *c = strchr(line, ':');
    if (c == NULL || r->r.n_headers == SET_HEADERS_MAX)
        return;
    *c = '\0';
    r->h[r->r.n_headers].name = line;
    r->h[r->r.n_headers].value = c + 1;
    r->r.n_headers++;
}

static void print_report(const mr_obs_report *rep)
{
    printf("score %d grade %s\n", rep->score, rep->grade);
    for (size_t t = 0; t < MR_OBS_N_TESTS; t++)
        printf("%s %s %s\n", rep->tests[t].name, rep->tests[t].result,
               rep->tests[t].pass ? "pass" : "fail");
}

static int live(char **argv)
{
    mr_web_hosts hosts;
    mr_web_site s;
    mr_obs_report rep;
    memset(&s, 0, sizeof(s));
    if (mr_curl_load(NULL, 0) != 0 ||
        mr_sym_curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK ||
        mr_web_hosts_init(&hosts) != 0)
        return 2;
    mr_web_cfg cfg = {argv[3], 30000, 1, 1, (unsigned)strtoul(argv[4], NULL, 10),
                      (unsigned)strtoul(argv[5], NULL, 10), NULL, NULL, &hosts};
    s.url = argv[2];
    mr_web_site_probe(&s, &cfg);
    mr_psl *psl = mr_psl_load(NULL);
    int rc = mr_web_obs_grade(&s, NULL, mr_web_obs_org_domain, psl, &rep);
    mr_psl_free(psl);
    if (rc != MR_OBS_OK && rc != MR_OBS_ESTATUS) {
        printf("error %d: %s\n", rc, s.fetched ? "" : s.resp.error);
        rc = 1;
    } else {
        print_report(&rep);
        rc = 0;
    }
    mr_web_site_clear(&s);
    mr_web_hosts_destroy(&hosts);
    mr_sym_curl_global_cleanup();
    return rc;
}

int main(int argc, char **argv)
{
    if (argc == 6 && strcmp(argv[1], "--live") == 0)
        return live(argv);
    if (argc != 2) {
        fprintf(stderr, "usage: obs_driver SET_FILE\n");
        return 2;
    }
    FILE *f = fopen(argv[1], "rb");
    if (f == NULL) {
        perror(argv[1]);
        return 2;
    }
    size_t len = fread(text, 1, SET_MAX, f);
    fclose(f);
    text[len] = '\0';

    mr_obs_input in = { .http_verified = true, .https_verified = true };
    resp *cur = NULL;
    bool in_cors = false;
    char *p = text;
    while (p && *p) {
        char *nl = strchr(p, '\n');
        if (nl)
            *nl = '\0';
        char *line = p;
        p = nl ? nl + 1 : NULL;
        if (line[0] == '#' || (cur == NULL && !in_cors && line[0] == '\0'))
            continue;
        char *url = NULL, *st = NULL;
        bool https = strncmp(line, "> https ", 8) == 0;
        if (https || strncmp(line, "> http ", 7) == 0) {
            url = line + (https ? 8 : 7);
            st = strchr(url, ' ');
        }
        if (st) {
            *st++ = '\0';
            int status = (int)strtol(st, NULL, 10);
            size_t *n = https ? &in.n_https : &in.n_http;
            resp *arr = https ? https_r : http_r;
            if (*n == MR_OBS_CHAIN_MAX)
                return 2;
            cur = &arr[(*n)++];
            cur->r.url = strdup(url);
            cur->r.status = status;
            cur->r.headers = cur->h;
            in_cors = false;
        } else if (strcmp(line, "> cors") == 0) {
            cur = &cors_r;
            cur->r.headers = cur->h;
            in_cors = true;
        } else if (strcmp(line, "> body") == 0) {
            in.body = p ? p : "";
            in.body_len = strlen(in.body);
            break;
        } else if (cur == NULL && !in_cors) {
            if (strncmp(line, "host ", 5) == 0)
                in.host = line + 5;
            else if (strncmp(line, "cors-origin ", 12) == 0)
                in.cors_origin = line + 12;
            else if (strcmp(line, "http-unverified") == 0)
                in.http_verified = false;
            else if (strcmp(line, "https-unverified") == 0)
                in.https_verified = false;
        } else if (line[0] != '\0') {
            add_header(cur, line);
        }
    }
    mr_obs_response hr[MR_OBS_CHAIN_MAX], sr[MR_OBS_CHAIN_MAX];
    for (size_t i = 0; i < in.n_http; i++)
        hr[i] = http_r[i].r;
    for (size_t i = 0; i < in.n_https; i++)
        sr[i] = https_r[i].r;
    in.http = hr;
    in.https = sr;
    if (cors_r.r.headers) {
        in.cors_headers = cors_r.h;
        in.n_cors = cors_r.r.n_headers;
        if (in.cors_headers && in.n_cors == 0)
            in.cors_headers = cors_r.h; /* an answer without headers */
    }
    mr_obs_report rep;
    /* registrable domains from Debian's Public Suffix List, as mamori web */
    mr_psl *psl = mr_psl_load(NULL);
    in.org_domain = mr_web_obs_org_domain;
    in.ctx = psl;
    int rc = mr_obs_grade(&in, &rep);
    mr_psl_free(psl);
    if (rc != MR_OBS_OK && rc != MR_OBS_ESTATUS) {
        fprintf(stderr, "obs_driver: error %d\n", rc);
        return 1;
    }
    print_report(&rep);
    return 0;
}
