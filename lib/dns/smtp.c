/*
 * smtp.c — does an MX host offer STARTTLS, and does the handshake work?
 * (see probe.h). Connects to port 25 (or the test-only port), reads the
 * 220 greeting, says EHLO, looks for STARTTLS among the extensions, asks
 * for it and completes a TLS handshake with OpenSSL, all before one
 * deadline. The server is hostile input: replies are parsed with a
 * bound (MR_SMTP_REPLY_MAX bytes, MR_SMTP_LINES_MAX lines) and anything
 * unexpected ends the conversation. The certificate is not verified:
 * mail servers rarely have one a sender could check without MTA-STS or
 * DANE, which are checked elsewhere.
 */
#include "common.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "dns/probe.h"
#include "dns/resolver.h"

#define MR_SMTP_EHLO_NAME "mamori-check.invalid"

static bool digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Whether the EHLO line's first word (after "NNN-") is STARTTLS. */
static bool is_starttls(const char *t, size_t n)
{
    static const char kw[] = "STARTTLS";
    size_t k = sizeof kw - 1;
    if (n < k)
        return false;
    for (size_t i = 0; i < k; i++)
        if ((t[i] & ~0x20) != kw[i])
            return false;
    return n == k || t[k] == ' ' || t[k] == '\r';
}

int mr_smtp_reply_parse(const char *buf, size_t len, mr_smtp_reply *r,
                        size_t *used)
{
    size_t pos = 0;
    memset(r, 0, sizeof *r);
    *used = 0;
    for (;;) {
        const char *nl = memchr(buf + pos, '\n', len - pos);
        if (nl == NULL)
            return len - pos >= MR_SMTP_REPLY_MAX ? -1 : 0;
        size_t end = (size_t)(nl - buf), ll = end - pos;
        const char *line = buf + pos;
        if (ll > 0 && line[ll - 1] == '\r')
            ll--;
        if (ll < 3 || !digit(line[0]) || !digit(line[1]) || !digit(line[2]) ||
            line[0] < '2' || line[0] > '5')
            return -1;
        int code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
        if (r->lines > 0 && code != r->code)
            return -1;
        char sep = ll > 3 ? line[3] : ' ';
        if (sep != ' ' && sep != '-')
            return -1;
        if (++r->lines > MR_SMTP_LINES_MAX)
            return -1;
        const char *text = ll > 4 ? line + 4 : line + ll;
        size_t tl = ll > 4 ? ll - 4 : 0;
        if (r->lines == 1) {
            r->code = code;
            size_t k = 0;
            for (size_t i = 0; i < tl && k + 1 < sizeof r->first; i++) {
                unsigned char c = (unsigned char)text[i];
                r->first[k++] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
            }
            r->first[k] = '\0';
        } else if (is_starttls(text, tl)) {
            r->starttls = true;   /* the greeting line is not a keyword */
        }
        pos = end + 1;
        if (sep == ' ') {
            *used = pos;
            return 1;
        }
    }
}

typedef struct conv {
    int fd;
    int64_t deadline;
    char buf[MR_SMTP_REPLY_MAX];
    size_t len;
} conv;

/* Reads one reply into r: 0, or -1 with why set. */
static int read_reply(conv *c, mr_smtp_reply *r, mr_smtp_tls *out)
{
    for (;;) {
        size_t used;
        int p = mr_smtp_reply_parse(c->buf, c->len, r, &used);
        if (p == 1) {
            memmove(c->buf, c->buf + used, c->len - used);
            c->len -= used;
            return 0;
        }
        if (p < 0) {
            snprintf(out->why, sizeof out->why, "not an SMTP reply");
            return -1;
        }
        if (c->len == sizeof c->buf) {
            snprintf(out->why, sizeof out->why, "reply over %d bytes",
                     MR_SMTP_REPLY_MAX);
            return -1;
        }
        ssize_t n = recv(c->fd, c->buf + c->len, sizeof c->buf - c->len, 0);
        if (n > 0) {
            c->len += (size_t)n;
            continue;
        }
        if (n == 0) {
            snprintf(out->why, sizeof out->why, "connection closed");
            return -1;
        }
        if (errno != EAGAIN && errno != EINTR) {
            snprintf(out->why, sizeof out->why, "%s", strerror(errno));
            return -1;
        }
        if (mr_probe_wait(c->fd, POLLIN, c->deadline) <= 0) {
            snprintf(out->why, sizeof out->why, "no reply in time");
            return -1;
        }
    }
}

static int say(conv *c, const char *line, mr_smtp_tls *out)
{
    size_t n = strlen(line), off = 0;
    while (off < n) {
        ssize_t w = send(c->fd, line + off, n - off, MSG_NOSIGNAL);
        if (w > 0) {
            off += (size_t)w;
            continue;
        }
        if (w < 0 && (errno == EAGAIN || errno == EINTR) &&
            mr_probe_wait(c->fd, POLLOUT, c->deadline) > 0)
            continue;
        snprintf(out->why, sizeof out->why, "cannot send: %s",
                 w < 0 ? strerror(errno) : "closed");
        return -1;
    }
    return 0;
}

/* The TLS handshake on c->fd (non-blocking) before the deadline. */
static void handshake(conv *c, const char *host, mr_smtp_tls *out)
{
    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
    SSL *ssl = ctx ? SSL_new(ctx) : NULL;
    if (ssl == NULL || SSL_set_fd(ssl, c->fd) != 1) {
        snprintf(out->why, sizeof out->why, "TLS set-up failed");
        goto out;
    }
    SSL_set_verify(ssl, SSL_VERIFY_NONE, NULL);
    if (host && *host)
        SSL_set_tlsext_host_name(ssl, host);
    for (;;) {
        ERR_clear_error();
        int r = SSL_connect(ssl);
        if (r == 1) {
            out->stage = MR_SMTP_TLS_OK;
            snprintf(out->tls_version, sizeof out->tls_version, "%s",
                     SSL_get_version(ssl));
            break;
        }
        int e = SSL_get_error(ssl, r);
        short ev = e == SSL_ERROR_WANT_READ ? POLLIN
                 : e == SSL_ERROR_WANT_WRITE ? POLLOUT : 0;
        if (ev == 0) {
            char eb[160];
            ERR_error_string_n(ERR_peek_last_error(), eb, sizeof eb);
            out->stage = MR_SMTP_TLS_FAILED;
            snprintf(out->why, sizeof out->why, "TLS handshake failed: %s",
                     ERR_peek_last_error() ? eb : "connection closed");
            break;
        }
        if (mr_probe_wait(c->fd, ev, c->deadline) <= 0) {
            out->stage = MR_SMTP_TLS_FAILED;
            snprintf(out->why, sizeof out->why, "TLS handshake not done "
                     "in time");
            break;
        }
    }
out:
    SSL_free(ssl);
    SSL_CTX_free(ctx);
}

void mr_smtp_starttls(const mr_ip *ip, unsigned port, const char *host,
                      unsigned timeout_ms, mr_smtp_tls *out)
{
    conv *c = malloc(sizeof *c);
    mr_smtp_reply r;

    memset(out, 0, sizeof *out);
    out->stage = MR_SMTP_NO_CONNECT;
    if (c == NULL) {
        snprintf(out->why, sizeof out->why, "out of memory");
        return;
    }
    c->len = 0;
    c->deadline = mr_now_ms() + timeout_ms;
    c->fd = mr_probe_connect(ip, port, true, c->deadline);
    if (c->fd < 0) {
        snprintf(out->why, sizeof out->why, "cannot connect to port %u: %s",
                 port, c->fd == MR_PROBE_TIMEOUT ? "timed out"
                 : c->fd == MR_PROBE_REFUSED ? "refused" : "network error");
        free(c);
        return;
    }
    out->stage = MR_SMTP_NO_GREETING;
    if (read_reply(c, &r, out) != 0)
        goto out;
    snprintf(out->banner, sizeof out->banner, "%s", r.first);
    if (r.code != 220) {
        snprintf(out->why, sizeof out->why, "greeting %d, not 220", r.code);
        goto out;
    }
    out->stage = MR_SMTP_NO_EHLO;
    if (say(c, "EHLO " MR_SMTP_EHLO_NAME "\r\n", out) != 0 ||
        read_reply(c, &r, out) != 0)
        goto out;
    if (r.code != 250) {
        snprintf(out->why, sizeof out->why, "EHLO answered %d", r.code);
        goto out;
    }
    if (!r.starttls) {
        out->stage = MR_SMTP_NO_STARTTLS;
        snprintf(out->why, sizeof out->why, "EHLO reply lists no STARTTLS");
        say(c, "QUIT\r\n", out);
        goto out;
    }
    out->stage = MR_SMTP_TLS_REFUSED;
    if (say(c, "STARTTLS\r\n", out) != 0 || read_reply(c, &r, out) != 0)
        goto out;
    if (r.code != 220) {
        snprintf(out->why, sizeof out->why, "STARTTLS answered %d", r.code);
        goto out;
    }
    if (c->len != 0) {   /* bytes before the handshake: injected */
        snprintf(out->why, sizeof out->why, "data sent after the STARTTLS "
                 "reply, before TLS (command injection risk)");
        out->stage = MR_SMTP_TLS_FAILED;
        goto out;
    }
    handshake(c, host, out);
out:
    close(c->fd);
    free(c);
}
