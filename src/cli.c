/*
 * cli.c — what every mamori command shares (see cli.h): common options,
 * opening the output and the writer, diagnostics on stderr (capped, so a
 * broken log cannot flood the terminal), the progress bar, and the exit
 * status from the writer's counts.
 */
#include "common.h"

#include <time.h>
#include <unistd.h>

#include "cli.h"

#define CLI_DIAG_SHOWN_MAX 40     /* notes+warnings printed before "more..." */
#define CLI_PROGRESS_HZ_NS 100000000LL /* redraw at most 10 times a second */

enum {
    OPT_LANG = 256, OPT_MIN_SEV, OPT_FAIL_ON, OPT_SINCE, OPT_UNTIL,
    OPT_COLOR, OPT_NO_COLOR, OPT_NO_PROGRESS
};

const struct option cli_common_longopts[] = {
    {"format", required_argument, NULL, 'f'},
    {"output", required_argument, NULL, 'o'},
    {"threads", required_argument, NULL, 'j'},
    {"quiet", no_argument, NULL, 'q'},
    {"help", no_argument, NULL, 'h'},
    {"lang", required_argument, NULL, OPT_LANG},
    {"min-severity", required_argument, NULL, OPT_MIN_SEV},
    {"fail-on", required_argument, NULL, OPT_FAIL_ON},
    {"since", required_argument, NULL, OPT_SINCE},
    {"until", required_argument, NULL, OPT_UNTIL},
    {"color", required_argument, NULL, OPT_COLOR},
    {"no-color", no_argument, NULL, OPT_NO_COLOR},
    {"no-progress", no_argument, NULL, OPT_NO_PROGRESS},
};
const size_t cli_common_nlongopts = MR_ARRAY_LEN(cli_common_longopts);

void cli_common_help(FILE *f)
{
    fputs("output:\n"
          "  -f, --format FMT      text (default), json (JSON Lines), sarif, html\n"
          "  -o, --output FILE     write the report to FILE instead of stdout\n"
          "      --lang LANG       en or ja (default: from LANG/LC_ALL)\n"
          "      --min-severity S  show findings at or above S (info, low, medium,\n"
          "                        high, critical; default: info)\n"
          "      --fail-on S       exit 1 when a finding is at or above S (default:\n"
          "                        high; 'none' never)\n"
          "  -q, --quiet           text: the summary only, no line per finding\n"
          "      --color WHEN      auto (default), always, never; --no-color\n"
          "      --no-progress     no progress bar (it shows only on a terminal)\n"
          "input:\n"
          "      --since TIME      ignore events before TIME: 2026-11-01,\n"
          "                        2026-11-01T09:00:00+09:00, @UNIX, or an age: 90m, 24h, 7d\n"
          "      --until TIME      ignore events after TIME\n"
          "  -j, --threads N       threads at work (default 0: one per core)\n"
          "  -h, --help            this help\n"
          "\n"
          "exit status: 0 no finding at or above --fail-on, 1 findings at or\n"
          "above it, 2 usage error or an input that could not be read.\n",
          f);
}

void cli_error(const cli_opts *o, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "%s: ", o->prog);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

static int default_lang(void)
{
    static const char *const vars[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
    for (size_t i = 0; i < MR_ARRAY_LEN(vars); i++) {
        const char *v = getenv(vars[i]);
        if (v && *v) {
            int l = mamori_lang_parse(v);
            return l < 0 ? MAMORI_LANG_EN : l;
        }
    }
    return MAMORI_LANG_EN;
}

void cli_opts_init(cli_opts *o, const char *prog)
{
    memset(o, 0, sizeof(*o));
    o->prog = prog;
    mamori_ctx_init(&o->ctx);
    o->ctx.lang = (mamori_lang)default_lang();
    o->wopts.format = MAMORI_OUT_TEXT;
    o->wopts.lang = o->ctx.lang;
    o->wopts.min_severity = MAMORI_SEV_INFO;
    o->fail_on = MAMORI_SEV_HIGH;
    o->color_mode = -1;
    o->progress_mode = -1;
}

/* Reads the first n bytes of s as a decimal of at most max. */
static int parse_u64n(const char *s, size_t n, uint64_t max, uint64_t *out)
{
    uint64_t v = 0;
    if (n == 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        unsigned d = (unsigned char)s[i] - '0';
        if (d > 9 || v > (max - d) / 10)
            return -1;
        v = v * 10 + d;
    }
    *out = v;
    return 0;
}

static int parse_u64(const char *s, uint64_t max, uint64_t *out)
{
    return parse_u64n(s, strlen(s), max, out);
}

int cli_common_option(cli_opts *o, int c, const char *arg)
{
    int v;
    uint64_t n;
    int64_t t;

    switch (c) {
    case 'f':
        if ((v = mamori_out_format_parse(arg)) < 0) {
            cli_error(o, "unknown --format '%s' (text, json, sarif, html)", arg);
            return -1;
        }
        o->wopts.format = (mamori_out_format)v;
        return 1;
    case 'o':
        o->output = arg;
        return 1;
    case 'j':
        if (parse_u64(arg, 1024, &n)) {
            cli_error(o, "--threads wants a number from 0 (all cores) to 1024");
            return -1;
        }
        o->ctx.threads = (unsigned)n;
        return 1;
    case 'q':
        o->wopts.quiet = 1;
        return 1;
    case OPT_LANG:
        if ((v = mamori_lang_parse(arg)) < 0) {
            cli_error(o, "unknown --lang '%s' (en, ja)", arg);
            return -1;
        }
        o->ctx.lang = o->wopts.lang = (mamori_lang)v;
        return 1;
    case OPT_MIN_SEV:
    case OPT_FAIL_ON:
        if (c == OPT_FAIL_ON && strcmp(arg, "none") == 0) {
            o->fail_on = (mamori_severity)MAMORI_SEV_COUNT;
            return 1;
        }
        if ((v = mamori_severity_parse(arg)) < 0) {
            cli_error(o, "unknown severity '%s' (info, low, medium, high, critical%s)",
                      arg, c == OPT_FAIL_ON ? ", none" : "");
            return -1;
        }
        if (c == OPT_MIN_SEV)
            o->wopts.min_severity = (mamori_severity)v;
        else
            o->fail_on = (mamori_severity)v;
        return 1;
    case OPT_SINCE:
    case OPT_UNTIL:
        if (cli_parse_time(arg, (int64_t)time(NULL), &t)) {
            cli_error(o, "cannot read the time '%s' (try 2026-11-01, "
                         "2026-11-01T09:00:00+09:00, @1700000000 or 24h)", arg);
            return -1;
        }
        if (c == OPT_SINCE)
            o->ctx.since = t;
        else
            o->ctx.until = t;
        return 1;
    case OPT_COLOR:
        if (strcmp(arg, "auto") == 0)
            o->color_mode = -1;
        else if (strcmp(arg, "always") == 0)
            o->color_mode = 1;
        else if (strcmp(arg, "never") == 0)
            o->color_mode = 0;
        else {
            cli_error(o, "--color wants auto, always or never");
            return -1;
        }
        return 1;
    case OPT_NO_COLOR:
        o->color_mode = 0;
        return 1;
    case OPT_NO_PROGRESS:
        o->progress_mode = 0;
        return 1;
    default:
        return 0;
    }
}

int cli_parse(cli_opts *o, int argc, char **argv, const struct option *mine,
              void (*usage)(FILE *), cli_own_fn own, void *user)
{
    struct option longopts[MR_ARRAY_LEN(cli_common_longopts) + CLI_OWN_OPTIONS_MAX + 1];
    size_t n = 0;
    int c;

    memcpy(longopts, cli_common_longopts, sizeof(cli_common_longopts));
    n = cli_common_nlongopts;
    for (size_t i = 0; mine && mine[i].name && i < CLI_OWN_OPTIONS_MAX; i++)
        longopts[n++] = mine[i];
    memset(&longopts[n], 0, sizeof(longopts[n]));

    optind = 1;
    while ((c = getopt_long(argc, argv, CLI_COMMON_SHORT, longopts, NULL)) != -1) {
        int r = cli_common_option(o, c, optarg);
        if (r < 0)
            return CLI_EXIT_USAGE;
        if (r > 0)
            continue;
        if (c == 'h') {
            usage(stdout);
            return CLI_EXIT_OK;
        }
        if (c >= 512 && own) {
            if (own(user, c, optarg) != 0)
                return CLI_EXIT_USAGE;
            continue;
        }
        fprintf(stderr, "Try '%s --help'.\n", o->prog);
        return CLI_EXIT_USAGE;
    }
    /* The operands are what the report names as its inputs. */
    o->wopts.inputs = (const char *const *)(argv + optind);
    o->wopts.ninputs = optind < argc ? (size_t)(argc - optind) : 0;
    return CLI_CONTINUE;
}

/* ---- time values ---------------------------------------------------- */

static int64_t days_from_civil(int64_t y, int64_t m, int64_t d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* Reads exactly `n` digits at *p. */
static int digits(const char **p, int n, int64_t *out)
{
    int64_t v = 0;
    for (int i = 0; i < n; i++) {
        unsigned d = (unsigned char)(*p)[i] - '0';
        if (d > 9)
            return -1;
        v = v * 10 + d;
    }
    *p += n;
    *out = v;
    return 0;
}

int cli_parse_time(const char *s, int64_t now, int64_t *out)
{
    uint64_t n;
    size_t len = strlen(s);
    if (len == 0)
        return -1;
    if (s[0] == '@')
        return parse_u64(s + 1, INT64_MAX, &n) ? -1 : (*out = (int64_t)n, 0);
    char unit = s[len - 1];
    if (strchr("smhdw", unit) && len > 1) {
        static const struct { char c; int64_t secs; } units[] = {
            {'s', 1}, {'m', 60}, {'h', 3600}, {'d', 86400}, {'w', 604800}};
        if (parse_u64n(s, len - 1, 100000000, &n))
            return -1;
        for (size_t i = 0; i < MR_ARRAY_LEN(units); i++)
            if (units[i].c == unit) {
                *out = now - (int64_t)n * units[i].secs;
                return 0;
            }
    }
    const char *p = s;
    int64_t y, mo, d, h = 0, mi = 0, sec = 0, off = 0;
    if (digits(&p, 4, &y) || *p++ != '-' || digits(&p, 2, &mo) || *p++ != '-' ||
        digits(&p, 2, &d))
        return -1;
    if (mo < 1 || mo > 12 || d < 1 || d > 31)
        return -1;
    if (*p == 'T' || *p == ' ') {
        p++;
        if (digits(&p, 2, &h) || *p++ != ':' || digits(&p, 2, &mi))
            return -1;
        if (*p == ':') {
            p++;
            if (digits(&p, 2, &sec))
                return -1;
        }
        if (h > 23 || mi > 59 || sec > 60)
            return -1;
    }
    if (*p == 'Z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int sign = *p++ == '-' ? -1 : 1;
        int64_t oh, om = 0;
        if (digits(&p, 2, &oh))
            return -1;
        if (*p == ':')
            p++;
        if (*p && digits(&p, 2, &om))
            return -1;
        off = sign * (oh * 3600 + om * 60);
    }
    if (*p)
        return -1;
    *out = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec - off;
    return 0;
}

/* ---- diagnostics and progress --------------------------------------- */

static void clear_progress(cli_opts *o)
{
    if (o->progress_drawn) {
        fputs("\r\033[K", stderr);
        o->progress_drawn = 0;
    }
}

static void on_diag(void *user, mamori_diag_level level, const char *file,
                    uint64_t line, const char *msg)
{
    cli_opts *o = user;
    static const char *const names[] = {"note", "warning", "error"};
    if (level == MAMORI_DIAG_ERROR)
        o->input_errors++;
    if (level != MAMORI_DIAG_ERROR) {
        if (o->diag_shown[0] + o->diag_shown[1] >= CLI_DIAG_SHOWN_MAX) {
            o->diag_dropped++;
            return;
        }
        if (o->wopts.quiet && level == MAMORI_DIAG_NOTE)
            return;
    }
    o->diag_shown[level]++;
    clear_progress(o);
    fprintf(stderr, "%s: ", o->prog);
    if (file && line)
        fprintf(stderr, "%s:%llu: ", file, (unsigned long long)line);
    else if (file)
        fprintf(stderr, "%s: ", file);
    fprintf(stderr, "%s: %s\n", names[level], msg);
}

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void on_progress(void *user, const char *what, uint64_t done,
                        uint64_t total)
{
    cli_opts *o = user;
    static int64_t last;
    int64_t t = now_ns();
    if (t - last < CLI_PROGRESS_HZ_NS)
        return;
    last = t;
    const char *base = strrchr(what, '/');
    base = base ? base + 1 : what;
    if (total) {
        int pct = (int)(done * 100 / (total ? total : 1));
        if (pct > 100)
            pct = 100;
        char bar[31];
        int fill = pct * 30 / 100;
        for (int i = 0; i < 30; i++)
            bar[i] = i < fill ? '#' : '.';
        bar[30] = '\0';
        fprintf(stderr, "\r\033[K%.40s [%s] %3d%% %llu/%llu MB", base, bar, pct,
                (unsigned long long)(done >> 20), (unsigned long long)(total >> 20));
    } else {
        fprintf(stderr, "\r\033[K%.40s %llu MB", base, (unsigned long long)(done >> 20));
    }
    o->progress_drawn = 1;
}

/* ---- the run -------------------------------------------------------- */

int cli_run_begin(cli_opts *o)
{
    o->out = stdout;
    if (o->output && strcmp(o->output, "-") != 0) {
        o->out = fopen(o->output, "w");
        if (!o->out) {
            cli_error(o, "cannot write %s: %s", o->output, strerror(errno));
            return CLI_EXIT_USAGE;
        }
    }
    int tty = isatty(fileno(o->out));
    const char *nc = getenv("NO_COLOR");
    const char *term = getenv("TERM");
    o->wopts.color = o->color_mode == 1 ||
                     (o->color_mode == -1 && tty && !(nc && *nc) &&
                      !(term && strcmp(term, "dumb") == 0));
    o->ctx.diag = on_diag;
    o->ctx.diag_user = o;
    /* The bar goes to stderr when it is a terminal; cli_sink() clears it
     * before each finding, so a report on the same terminal stays whole. */
    if (o->progress_mode != 0 && isatty(STDERR_FILENO) && !o->wopts.quiet) {
        o->ctx.progress = on_progress;
        o->ctx.progress_user = o;
    }
    if (gethostname(o->host, sizeof(o->host)) == 0) {
        o->host[sizeof(o->host) - 1] = '\0'; /* not ended when cut */
        o->wopts.host = o->host;
    }
    mamori_err e = mamori_writer_new(o->out, &o->wopts, &o->writer);
    if (e) {
        cli_error(o, "cannot start the report: %s", mamori_strerror(e));
        if (o->out != stdout)
            fclose(o->out);
        return CLI_EXIT_USAGE;
    }
    return 0;
}

static int sink_finding(void *user, const mamori_finding *f)
{
    cli_opts *o = user;
    clear_progress(o);
    return o->writer_sink.finding(o->writer_sink.user, f);
}

static int sink_summary(void *user, mamori_summary *s)
{
    cli_opts *o = user;
    clear_progress(o);
    return o->writer_sink.summary(o->writer_sink.user, s);
}

mamori_sink cli_sink(cli_opts *o)
{
    o->writer_sink = mamori_writer_sink(o->writer);
    return (mamori_sink){sink_finding, sink_summary, o};
}

int cli_run_end(cli_opts *o)
{
    int status = CLI_EXIT_OK;
    clear_progress(o);
    mamori_err e = mamori_writer_finish(o->writer);
    if (e) {
        cli_error(o, "error writing the report%s%s: %s", o->output ? " to " : "",
                  o->output ? o->output : "", strerror(errno));
        status = CLI_EXIT_USAGE;
    }
    if (o->fail_on < MAMORI_SEV_COUNT &&
        mamori_writer_count_at_least(o->writer, o->fail_on) > 0 && status == 0)
        status = CLI_EXIT_FINDINGS;
    if (o->out != stdout && status != CLI_EXIT_USAGE && !o->wopts.quiet) {
        /* The report went to a file: say what is in it. */
        uint64_t at[MAMORI_SEV_COUNT + 1] = {0};
        for (int v = 0; v < MAMORI_SEV_COUNT; v++)
            at[v] = mamori_writer_count_at_least(o->writer, (mamori_severity)v);
        fprintf(stderr, "%s: wrote %s: %llu findings (critical %llu, high %llu, "
                        "medium %llu, low %llu, info %llu)\n",
                o->prog, o->output, (unsigned long long)at[0],
                (unsigned long long)(at[4] - at[5]), (unsigned long long)(at[3] - at[4]),
                (unsigned long long)(at[2] - at[3]), (unsigned long long)(at[1] - at[2]),
                (unsigned long long)(at[0] - at[1]));
    }
    mamori_writer_free(o->writer);
    o->writer = NULL;
    if (o->out != stdout && fclose(o->out) != 0) {
        cli_error(o, "error closing %s: %s", o->output, strerror(errno));
        status = CLI_EXIT_USAGE;
    }
    if (o->diag_dropped)
        fprintf(stderr, "%s: %u more notes and warnings not shown\n", o->prog,
                o->diag_dropped);
    if (o->input_errors && status != CLI_EXIT_USAGE) {
        fprintf(stderr, "%s: %d input error%s (see above); the report covers "
                        "everything that could be read\n",
                o->prog, o->input_errors, o->input_errors == 1 ? "" : "s");
        status = CLI_EXIT_USAGE;
    }
    return status;
}
