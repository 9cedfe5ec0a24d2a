/*
 * logscan_json.c — a program outside mamori that uses libmamori: it scans
 * web server access logs through the public API and prints each finding
 * as one JSON object per line, then one line of totals.
 *
 *   cc logscan_json.c $(pkg-config --cflags --libs mamori) -o logscan_json
 *   ./logscan_json /var/log/nginx/access.log [more files or directories]
 *
 * It shows the shape every capability has: a context (language, threads,
 * a diagnostics callback), new with options, feed, finish into a sink,
 * free. The sink is given each finding BORROWED (print it, keep no
 * pointer) and the summary OWNED (free it). The JSON here is deliberately
 * small; mamori_writer_new() with MAMORI_OUT_JSON writes mamori's full
 * JSON Lines, as `mamori logscan --format json` does.
 *
 * Exit status: 0 when the scan ran (findings or not), 2 on an error.
 */
#include <stdio.h>
#include <string.h>

#include <mamori/logscan.h>

#if MAMORI_VERSION_NUM < 0x000100
#error "this example needs libmamori 0.1.0 or later"
#endif

/* A JSON string of len bytes. Log bytes pass through as they are: a log
 * may hold invalid UTF-8, which mamori's own JSON writer repairs and this
 * small example does not. */
static void json_str(const char *s, size_t len)
{
    putchar('"');
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\')
            printf("\\%c", c);
        else if (c < 0x20 || c == 0x7f)
            printf("\\u%04x", c);
        else
            putchar(c);
    }
    putchar('"');
}

static void json_cstr(const char *s)
{
    if (s == NULL)
        fputs("null", stdout);
    else
        json_str(s, strlen(s));
}

/* The sink's finding callback: f and all it points to are borrowed. */
static int on_finding(void *user, const mamori_finding *f)
{
    (void)user;
    fputs("{\"check\":", stdout);
    json_cstr(f->check->id);
    fputs(",\"severity\":", stdout);
    json_cstr(mamori_severity_name(f->severity));
    fputs(",\"category\":", stdout);
    json_cstr(f->category);
    fputs(",\"verdict\":", stdout);
    json_cstr(f->verdict);
    fputs(",\"file\":", stdout);
    json_cstr(f->file);
    printf(",\"line\":%llu", (unsigned long long)f->line);
    const mamori_field *client = mamori_finding_get(f, "client");
    if (client != NULL && client->kind == MAMORI_FIELD_STR) {
        fputs(",\"client\":", stdout);
        json_str(client->str, client->len);
    }
    const mamori_field *status = mamori_finding_get(f, "status");
    if (status != NULL && status->kind == MAMORI_FIELD_INT)
        printf(",\"status\":%lld", (long long)status->num);
    fputs("}\n", stdout);
    return ferror(stdout) ? 1 : 0;    /* non-zero stops the scan */
}

/* The summary is ours: this example has no use for it. */
static int on_summary(void *user, mamori_summary *s)
{
    (void)user;
    mamori_summary_free(s);
    return 0;
}

/* Malformed lines, unreadable files, full tables: to standard error. */
static void on_diag(void *user, mamori_diag_level level, const char *file,
                    uint64_t line, const char *msg)
{
    (void)user;
    const char *what = level == MAMORI_DIAG_ERROR ? "error"
                     : level == MAMORI_DIAG_WARN ? "warning" : "note";
    if (file != NULL && line > 0)
        fprintf(stderr, "%s: %s:%llu: %s\n", what, file,
                (unsigned long long)line, msg);
    else if (file != NULL)
        fprintf(stderr, "%s: %s: %s\n", what, file, msg);
    else
        fprintf(stderr, "%s: %s\n", what, msg);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s LOG...\n", argv[0]);
        return 2;
    }
    /* The headers this was compiled with, and the library it runs with. */
    fprintf(stderr, "libmamori %s (compiled against %s)\n",
            mamori_version(), MAMORI_VERSION);

    mamori_ctx ctx;
    mamori_ctx_init(&ctx);
    ctx.lang = MAMORI_LANG_EN;
    ctx.diag = on_diag;

    mamori_logscan_opts opts;
    memset(&opts, 0, sizeof opts);   /* detect each file's format */

    mamori_logscan *ls = NULL;
    mamori_err err = mamori_logscan_new(&ctx, &opts, &ls);
    if (err != MAMORI_OK) {
        fprintf(stderr, "logscan_json: %s\n", mamori_strerror(err));
        return 2;
    }
    mamori_sink sink = { on_finding, on_summary, NULL };
    int status = 0;
    for (int i = 1; i < argc; i++) {
        /* An unreadable file is reported through on_diag; the scan goes
         * on with the others. */
        err = mamori_logscan_path(ls, argv[i], &sink);
        if (err != MAMORI_OK) {
            fprintf(stderr, "logscan_json: %s: %s\n", argv[i],
                    mamori_strerror(err));
            status = 2;
        }
    }
    err = mamori_logscan_finish(ls, &sink);
    if (err != MAMORI_OK) {
        fprintf(stderr, "logscan_json: %s\n", mamori_strerror(err));
        status = 2;
    }
    mamori_logscan_stats st;
    mamori_logscan_get_stats(ls, &st);
    printf("{\"files\":%llu,\"lines\":%llu,\"malformed\":%llu,"
           "\"findings\":%llu}\n",
           (unsigned long long)st.files, (unsigned long long)st.lines,
           (unsigned long long)st.malformed,
           (unsigned long long)st.findings);
    mamori_logscan_free(ls);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        perror("logscan_json: standard output");
        status = 2;
    }
    return status;
}
