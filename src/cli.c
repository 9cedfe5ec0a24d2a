/*
 * cli.c — what every mamori command shares (see cli.h): the common
 * options and the parser and --help that every command's option table
 * goes through, the writer and its sink, diagnostics on stderr (capped, so
 * a broken log cannot flood the terminal), the progress bar, and the exit
 * status from the writer's counts. --only/--skip are in cli_filter.c,
 * opening and closing outputs in cli_out.c.
 */
#include "common.h"

#include <time.h>
#include <unistd.h>

#include "cli.h"

#define CLI_MSG_MAX 2048          /* one cli_error() message */
#define CLI_DIAG_SHOWN_MAX 40     /* notes+warnings printed before "more..." */
#define CLI_PROGRESS_NAME_COLS 40 /* of the file name on the bar */
#define CLI_PROGRESS_HZ_NS 100000000LL /* redraw at most 10 times a second */

enum {
    OPT_LANG = 256, OPT_MIN_SEV, OPT_FAIL_ON, OPT_SINCE, OPT_UNTIL,
    OPT_COLOR, OPT_NO_COLOR, OPT_NO_PROGRESS, OPT_ONLY, OPT_SKIP
};

#define SEVERITIES "info low medium high critical"

/* The common options. Headings group them in --help; cli_common_bits
 * says which bit of cli_command.common each belongs to (0: a heading, or
 * --help, which every command honours). */
const cli_option cli_common_options[] = {
    CLI_HEADING("report"),
    {"format", 'f', "FMT", "text (default), json (JSON Lines), sarif, html",
     "text json sarif html"},
    {"output", 'o', "FILE", "write the report to FILE instead of stdout; FILE\n"
     "is replaced once the report is complete, never\n"
     "written through a symbolic link or over an input",
     CLI_COMPLETE_FILE},
    {"lang", OPT_LANG, "LANG", "en or ja (default: from LANG/LC_ALL)", "en ja"},
    {"min-severity", OPT_MIN_SEV, "S",
     "show findings at or above S (info, low, medium,\nhigh, critical; "
     "default: info)", SEVERITIES},
    {"fail-on", OPT_FAIL_ON, "S",
     "exit 1 when a finding is at or above S (default:\nhigh; 'none' never)",
     SEVERITIES " none"},
    {"quiet", 'q', NULL, "text: the summary only, no line per finding", NULL},
    {"color", OPT_COLOR, "WHEN", "auto (default), always, never",
     "auto always never"},
    {"no-color", OPT_NO_COLOR, NULL, "the same as --color never", NULL},
    {"no-progress", OPT_NO_PROGRESS, NULL,
     "no progress bar (it shows only on a terminal)", NULL},
    CLI_HEADING("findings"),
    {"only", OPT_ONLY, "IDS",
     "report only findings of these checks or\ncountermeasures: logscan.sqli, "
     "dns.spf.*, meti.appsec\n(comma-separated, repeatable, * matches any text)",
     CLI_COMPLETE_CHECKS},
    {"skip", OPT_SKIP, "IDS", "leave out findings of these (same forms)",
     CLI_COMPLETE_CHECKS},
    CLI_HEADING("input"),
    {"since", OPT_SINCE, "TIME",
     "ignore events before TIME: 2026-11-01,\n2026-11-01T09:00:00+09:00, @UNIX, "
     "or an age: 90m, 24h, 7d", NULL},
    {"until", OPT_UNTIL, "TIME", "ignore events after TIME", NULL},
    {"threads", 'j', "N", "threads at work (default 0: one per core)", NULL},
    CLI_HEADING(""),
    {"help", 'h', NULL, "this help", NULL},
    {NULL, 0, NULL, NULL, NULL},
};
const unsigned cli_common_bits[] = {
    0, CLI_C_FORMAT, CLI_C_OUTPUT, CLI_C_LANG, CLI_C_MIN_SEV, CLI_C_FAIL_ON,
    CLI_C_QUIET, CLI_C_COLOR, CLI_C_COLOR, CLI_C_PROGRESS,
    0, CLI_C_FILTER, CLI_C_FILTER,
    0, CLI_C_TIME, CLI_C_TIME, CLI_C_THREADS,
    0, 0, 0,
};
const char cli_common_shorts[] = {
    0, 'f', 'o', 0, 0, 0, 'q', 0, 0, 0, 0, 0, 0, 0, 0, 0, 'j', 0, 'h', 0,
};
const size_t cli_common_count = MR_ARRAY_LEN(cli_common_options) - 1;
_Static_assert(MR_ARRAY_LEN(cli_common_bits) == MR_ARRAY_LEN(cli_common_options),
               "one bit per common option");
_Static_assert(sizeof(cli_common_shorts) == MR_ARRAY_LEN(cli_common_options),
               "one short letter (or 0) per common option");

#define CLI_HELP_COL 26   /* where the help text of an option starts */

/* "  -f, --format FMT" padded to CLI_HELP_COL, then the help, its later
 * lines indented to the same column. */
static void help_line(FILE *f, char short_name, const cli_option *opt,
                      const char *help)
{
    int n;
    if (short_name)
        n = fprintf(f, "  -%c, --%s", short_name, opt->name);
    else
        n = fprintf(f, "      --%s", opt->name);
    if (opt->arg)
        n += fprintf(f, " %s", opt->arg);
    if (n < 0)
        return;
    if (n > CLI_HELP_COL - 2) {
        fputc('\n', f);
        n = 0;
    }
    for (const char *p = help; *p;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        fprintf(f, "%*s%.*s\n", CLI_HELP_COL - n, "", (int)len, p);
        n = 0;
        p += len + (nl != NULL);
    }
}

/* --format's help when a command allows only some formats. */
static void format_help(const cli_command *cmd, char *buf, size_t cap)
{
    static const char *const names[] = {"text", "json", "sarif", "html"};
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < MR_ARRAY_LEN(names); i++)
        if (cmd->formats & CLI_FORMAT_BIT(i)) {
            int w = snprintf(buf + used, cap - used, "%s%s%s", used ? ", " : "",
                             names[i], i == 0 ? " (default)" : "");
            if (w < 0 || (size_t)w >= cap - used)
                break;
            used += (size_t)w;
        }
}

void cli_usage(FILE *f, const cli_command *cmd)
{
    fputs(cmd->synopsis, f);
    if (cmd->describe)
        cmd->describe(f);
    for (const cli_option *o = cmd->options; o && (o->name || o->help); o++) {
        if (!o->name)
            fprintf(f, "%s:\n", o->help);
        else
            help_line(f, 0, o, o->help);
    }
    const char *heading = NULL;
    for (size_t i = 0; i < cli_common_count; i++) {
        const cli_option *o = &cli_common_options[i];
        if (!o->name) {
            heading = o->help;
            continue;
        }
        if (cli_common_bits[i] && !(cmd->common & cli_common_bits[i]))
            continue;
        if (heading && *heading)
            fprintf(f, "%s:\n", heading);
        heading = NULL;
        char fmt[64];
        const char *help = o->help;
        for (const cli_option *h = cmd->common_help; h && h->name; h++)
            if (strcmp(h->name, o->name) == 0)
                help = h->help;
        if (o->code == 'f' && cmd->formats && help == o->help) {
            format_help(cmd, fmt, sizeof(fmt));
            help = fmt;
        }
        help_line(f, cli_common_shorts[i], o, help);
    }
    fputs(cmd->exit_status ? cmd->exit_status
                           : "\nexit status: 0 no finding at or above --fail-on, "
                             "1 findings at or\nabove it, 2 usage error or an "
                             "input that could not be read.\n",
          f);
    if (cmd->examples)
        fprintf(f, "\nexamples:\n%s", cmd->examples);
}

void cli_error(const cli_opts *o, const char *fmt, ...)
{
    char msg[CLI_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (n < 0)
        n = 0;
    fprintf(stderr, "%s: ", o->prog);
    mamori_term_put(stderr, msg, MR_MIN((size_t)n, sizeof(msg) - 1), SIZE_MAX);
    fputc('\n', stderr);
}

void cli_diag_print(const char *prog, mamori_diag_level level,
                    const char *file, uint64_t line, const char *msg)
{
    static const char *const names[] = {"note", "warning", "error"};
    flockfile(stderr);
    fprintf(stderr, "%s: ", prog);
    if (file) {
        mamori_term_put(stderr, file, strlen(file), SIZE_MAX);
        if (line)
            fprintf(stderr, ":%llu", (unsigned long long)line);
        fputs(": ", stderr);
    }
    fprintf(stderr, "%s: ", names[(unsigned)level < 3 ? level : 2]);
    mamori_term_put(stderr, msg, strlen(msg), SIZE_MAX);
    fputc('\n', stderr);
    funlockfile(stderr);
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

/* Handles a common option; returns 1 if it was one, 0 if not, -1 after
 * printing an error for a bad value. */
static int common_option(cli_opts *o, const cli_command *cmd, int c,
                         const char *arg)
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
        o->format_given = 1;
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
    case OPT_ONLY:
    case OPT_SKIP:
        return cli_add_patterns(o, cmd, c == OPT_ONLY, arg) ? -1 : 1;
    default:
        return 0;
    }
}

/* The bit of the common option with this code (0: --help), or -1 when
 * the code is not a common option's. */
static int common_bit(int code, size_t *index)
{
    for (size_t i = 0; i < cli_common_count; i++)
        if (cli_common_options[i].name && cli_common_options[i].code == code) {
            *index = i;
            return (int)cli_common_bits[i];
        }
    return -1;
}

int cli_parse(cli_opts *o, int argc, char **argv, const cli_command *cmd,
              cli_own_fn own, void *user)
{
    /* Every common option is known to getopt, honoured or not, so that
     * one a command does not honour gets a message naming it. */
    struct option longopts[MR_ARRAY_LEN(cli_common_options) + CLI_OWN_OPTIONS_MAX + 1];
    char shorts[MR_ARRAY_LEN(cli_common_options) * 2 + 1];
    size_t n = 0, ns = 0;
    int c, idx;

    for (size_t i = 0; i < cli_common_count; i++) {
        const cli_option *co = &cli_common_options[i];
        if (!co->name)
            continue;
        longopts[n++] = (struct option){co->name,
                                        co->arg ? required_argument : no_argument,
                                        NULL, co->code};
        if (cli_common_shorts[i]) {
            shorts[ns++] = cli_common_shorts[i];
            if (co->arg)
                shorts[ns++] = ':';
        }
    }
    shorts[ns] = '\0';
    size_t own_n = 0;
    for (const cli_option *m = cmd->options; m && (m->name || m->help); m++)
        if (m->name && own_n++ < CLI_OWN_OPTIONS_MAX)
            longopts[n++] = (struct option){m->name,
                                            m->arg ? required_argument : no_argument,
                                            NULL, m->code};
    memset(&longopts[n], 0, sizeof(longopts[n]));

    optind = 1;
    for (;;) {
        idx = -1;
        if ((c = getopt_long(argc, argv, shorts, longopts, &idx)) == -1)
            break;
        size_t ci;
        int bit = c < CLI_OWN_CODE_MIN ? common_bit(c, &ci) : -1;
        if (bit > 0 && !(cmd->common & (unsigned)bit)) {
            if (cli_common_shorts[ci] && idx < 0)
                cli_error(o, "-%c (--%s) does not apply here: see '%s --help'",
                          cli_common_shorts[ci], cli_common_options[ci].name,
                          o->prog);
            else
                cli_error(o, "--%s does not apply here: see '%s --help'",
                          cli_common_options[ci].name, o->prog);
            return CLI_EXIT_USAGE;
        }
        int r = bit >= 0 ? common_option(o, cmd, c, optarg) : 0;
        if (r < 0)
            return CLI_EXIT_USAGE;
        if (r > 0) {
            o->given |= (unsigned)bit;
            if (c == 'f' && cmd->formats &&
                !(cmd->formats & CLI_FORMAT_BIT(o->wopts.format))) {
                char fmt[64];
                format_help(cmd, fmt, sizeof(fmt));
                cli_error(o, "--format %s does not apply here (%s)", optarg, fmt);
                return CLI_EXIT_USAGE;
            }
            continue;
        }
        if (c == 'h') {
            cli_usage(stdout, cmd);
            return CLI_EXIT_OK;
        }
        if (c >= CLI_OWN_CODE_MIN && own) {
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

/* ---- JSON strings --------------------------------------------------- */

/* Length of the valid UTF-8 sequence at s (1-4), or 0. */
static size_t utf8_len(const unsigned char *s)
{
    if (s[0] < 0x80)
        return 1;
    size_t n = s[0] >= 0xf0 && s[0] <= 0xf4 ? 4
             : s[0] >= 0xe0 ? 3 : s[0] >= 0xc2 && s[0] <= 0xdf ? 2 : 0;
    if (n == 0 || (n == 3 && s[0] > 0xef))
        return 0;
    for (size_t i = 1; i < n; i++)
        if ((s[i] & 0xc0) != 0x80)
            return 0;
    /* overlong three- and four-byte forms, surrogates, beyond U+10FFFF */
    if ((s[0] == 0xe0 && s[1] < 0xa0) || (s[0] == 0xed && s[1] > 0x9f) ||
        (s[0] == 0xf0 && s[1] < 0x90) || (s[0] == 0xf4 && s[1] > 0x8f))
        return 0;
    return n;
}

void cli_json_string(FILE *f, const char *str)
{
    const unsigned char *s = (const unsigned char *)str;
    putc('"', f);
    while (*s) {
        if (*s == '"' || *s == '\\') {
            fprintf(f, "\\%c", *s++);
        } else if (*s < 0x20) {
            fprintf(f, "\\u%04x", *s++);
        } else {
            size_t n = utf8_len(s);
            if (n == 0) {
                fputs("\\ufffd", f);
                s++;
            } else {
                fwrite(s, 1, n, f);
                s += n;
            }
        }
    }
    putc('"', f);
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
    /* A finding line half written to a terminal's stdout would otherwise
     * have this note land in its middle. */
    fflush(stdout);
    cli_diag_print(o->prog, level, file, line, msg);
}

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* "512 B", "12 KB", "340 MB", "2.1 GB": a small file is not "0 MB". */
static void human_size(uint64_t n, char *buf, size_t cap)
{
    if (n < 1024)
        snprintf(buf, cap, "%u B", (unsigned)n);
    else if (n < (uint64_t)1 << 20)
        snprintf(buf, cap, "%u KB", (unsigned)(n >> 10));
    else if (n < (uint64_t)10 << 30)
        snprintf(buf, cap, "%llu MB", (unsigned long long)(n >> 20));
    else
        snprintf(buf, cap, "%llu.%llu GB", (unsigned long long)(n >> 30),
                 (unsigned long long)((n >> 20) % 1024 * 10 / 1024));
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
    char ds[24], ts[24];
    /* dns reports domains done of n, every other capability bytes. */
    int count = strcmp(what, "domains") == 0;
    if (count) {
        snprintf(ds, sizeof(ds), "%llu", (unsigned long long)done);
        snprintf(ts, sizeof(ts), "%llu %s", (unsigned long long)total, what);
    } else {
        human_size(done, ds, sizeof(ds));
        human_size(total, ts, sizeof(ts));
    }
    /* The name is the input's: escaped, cut at CLI_PROGRESS_NAME_COLS. */
    fputs("\r\033[K", stderr);
    if (!count)
        mamori_term_put(stderr, base, strlen(base), CLI_PROGRESS_NAME_COLS);
    if (total) {
        int pct = (int)(done * 100 / total);
        if (pct > 100)
            pct = 100;
        char bar[31];
        int fill = pct * 30 / 100;
        for (int i = 0; i < 30; i++)
            bar[i] = i < fill ? '#' : '.';
        bar[30] = '\0';
        fprintf(stderr, " [%s] %3d%% %s/%s", bar, pct, ds, ts);
    } else {
        /* The total is unknown (a pipe, a compressed file): say only how
         * much has been read. */
        fprintf(stderr, " %s", ds);
    }
    o->progress_drawn = 1;
}

/* ---- the run -------------------------------------------------------- */

int cli_run_begin(cli_opts *o)
{
    o->out = stdout;
    if (o->output && strcmp(o->output, "-") != 0) {
        if (cli_out_open(o, o->output, &o->outf) != 0)
            return CLI_EXIT_USAGE;
        o->out = o->outf.f;
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
        cli_out_close(o, &o->outf, 0);
        o->out = stdout;
        return CLI_EXIT_USAGE;
    }
    return 0;
}

static int sink_finding(void *user, const mamori_finding *f)
{
    cli_opts *o = user;
    if (!cli_keep_finding(o, f)) {
        o->filtered++;
        return 0;
    }
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
    /* Counted before the writer goes; said once the file is in place. */
    uint64_t at[MAMORI_SEV_COUNT + 1] = {0};
    for (int v = 0; v < MAMORI_SEV_COUNT; v++)
        at[v] = mamori_writer_count_at_least(o->writer, (mamori_severity)v);
    mamori_writer_free(o->writer);
    o->writer = NULL;
    int to_file = o->outf.f != NULL;
    if (cli_out_close(o, &o->outf, status != CLI_EXIT_USAGE) != 0)
        status = CLI_EXIT_USAGE;
    o->out = stdout;
    if (to_file && status != CLI_EXIT_USAGE && !o->wopts.quiet) {
        /* The report went to a file: say what is in it. */
        fprintf(stderr, "%s: wrote ", o->prog);
        mamori_term_put(stderr, o->output, strlen(o->output), SIZE_MAX);
        fprintf(stderr, ": %llu findings (critical %llu, high %llu, "
                        "medium %llu, low %llu, info %llu)\n",
                (unsigned long long)at[0],
                (unsigned long long)(at[4] - at[5]), (unsigned long long)(at[3] - at[4]),
                (unsigned long long)(at[2] - at[3]), (unsigned long long)(at[1] - at[2]),
                (unsigned long long)(at[0] - at[1]));
    }
    if (o->filtered && !o->wopts.quiet)
        fprintf(stderr, "%s: %llu finding%s left out by --only/--skip (the "
                        "summary tables still count them)\n", o->prog,
                (unsigned long long)o->filtered, o->filtered == 1 ? "" : "s");
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
