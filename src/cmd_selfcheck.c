/*
 * cmd_selfcheck.c — `mamori selfcheck`: the 5-minute self-assessment
 * (mamori/selfcheck.h). Questions the latest audit can answer are
 * answered from its grades; the person answers the rest in a dialogue on
 * the terminal, or in the HTML form (--form FILE) whose exported answers
 * come back with --answers FILE. The person's answers are kept in the
 * history, feed the grades of every later audit, and are reported like
 * findings, with the points and the SECURITY ACTION step reached.
 */
#include "common.h"

#include <getopt.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "cli_history.h"
#include "commands.h"
#include "mamori/history.h"
#include "mamori/score.h"
#include "mamori/selfcheck.h"

enum { OPT_DB = CLI_OWN_CODE_MIN, OPT_ANSWERS, OPT_FORM, OPT_ALL, OPT_NO_HISTORY };

#define SELFCHECK_ASK_MAX 5 /* tries per question before moving on */
#define SELFCHECK_REPLY_MAX 64

typedef struct selfcheck_cmd {
    cli_opts o;
    const char *db, *answers, *form;
    int all, no_history;
    mamori_selfcheck sc;
} selfcheck_cmd;

static const cli_option selfcheck_options[] = {
    {"answers", OPT_ANSWERS, "FILE", "read the answers from FILE (\"q01 = done\" lines, as\n"
                                     "the form saves them; - for standard input)",
     CLI_COMPLETE_FILE},
    {"form", OPT_FORM, "FILE", "write the questions as an HTML form to fill in\n"
                               "and save, then stop", CLI_COMPLETE_FILE},
    {"all", OPT_ALL, NULL, "ask every question again, also those answered", NULL},
    CLI_HISTORY_DB_OPTION(OPT_DB),
    {"no-history", OPT_NO_HISTORY, NULL, "neither read nor keep answers in the history",
     NULL},
    {NULL, 0, NULL, NULL, NULL},
};

const cli_command cli_cmd_selfcheck = {
    .name = "selfcheck",
    .synopsis =
        "usage: mamori selfcheck [options] [--answers FILE | --form FILE]\n"
        "\n"
        "The 5-minute security self-check for small organisations: 25 questions\n"
        "after IPA's 5分でできる！情報セキュリティ自社診断 (basic measures, each\n"
        "employee, the organisation), answered done, partly, not done or don't\n"
        "know. Questions the latest audit can answer are answered from it; on a\n"
        "terminal the others are asked one by one. The answers are kept and\n"
        "count in the grades of `mamori audit` and `mamori score`.\n"
        "\n",
    .options = selfcheck_options,
    .common = CLI_C_REPORT,
    .examples = "  mamori selfcheck\n"
                "  mamori selfcheck --form selfcheck.html --lang ja\n"
                "  mamori selfcheck --answers mamori-selfcheck.txt --format json\n",
};

static int own_option(void *user, int c, const char *arg)
{
    selfcheck_cmd *s = user;
    switch (c) {
    case OPT_DB: s->db = arg; return 0;
    case OPT_ANSWERS: s->answers = arg; return 0;
    case OPT_FORM: s->form = arg; return 0;
    case OPT_ALL: s->all = 1; return 0;
    default: s->no_history = 1; return 0;
    }
}

/* The latest audit's findings without its self-check ones (those are the
 * person's answers again): the evidence is what the machine showed. */
typedef struct machine_only {
    mamori_sink grade;
} machine_only;

static int machine_finding(void *user, const mamori_finding *f)
{
    machine_only *m = user;
    if (strncmp(f->check->id, "selfcheck.", 10) == 0)
        return 0;
    return m->grade.finding(m->grade.user, f);
}

static int machine_summary(void *user, mamori_summary *sum)
{
    machine_only *m = user;
    if (strcmp(mamori_summary_capability(sum), "selfcheck") == 0) {
        mamori_summary_free(sum);
        return 0;
    }
    return m->grade.summary(m->grade.user, sum);
}

/* The stored answers and the evidence of the latest audit. Returns the
 * history (NULL when there is none or it is not used). */
static mamori_history *load(selfcheck_cmd *s, char *path, size_t cap)
{
    mamori_history *h = NULL;
    if (s->no_history)
        return NULL;
    if (s->db)
        snprintf(path, cap, "%s", s->db);
    else if (mamori_history_default_path(path, cap))
        return NULL;
    if (mamori_history_open(path, s->db == NULL, &h)) {
        cli_error(&s->o, "history %s: %s; the answers are not kept", path,
                  mamori_history_error(h));
        mamori_history_free(h);
        s->o.input_errors++;
        return NULL;
    }
    mamori_history_load_selfcheck(h, &s->sc, NULL);
    int64_t run = 0;
    mamori_score *score = NULL;
    if (!mamori_history_latest(h, &run) && run && !mamori_score_new(&score)) {
        mamori_sink grade = mamori_score_sink(score);
        machine_only m = {grade};
        mamori_sink sink = {machine_finding, machine_summary, &m};
        if (!mamori_history_problems(h, run, &sink, NULL) && !mamori_score_finish(score))
            mamori_selfcheck_from_score(&s->sc, score);
    }
    mamori_score_free(score);
    return h;
}

/* Asks one question on the terminal; 1 to go on, 0 to stop here. */
static int ask(selfcheck_cmd *s, size_t i, FILE *in)
{
    const mamori_selfcheck_question *q = &mamori_selfcheck_questions()[i];
    int ja = s->o.ctx.lang == MAMORI_LANG_JA;
    char reply[SELFCHECK_REPLY_MAX];
    uint64_t len;
    for (int tries = 0; tries < SELFCHECK_ASK_MAX; tries++) {
        fprintf(stderr, "\n%zu/%d. %s\n%s ", i + 1, MAMORI_SELFCHECK_QUESTIONS,
                q->text[s->o.ctx.lang],
                ja ? "[d]実施している [p]一部 [n]実施していない [?]わからない"
                     " [s]飛ばす [q]終了 >"
                   : "[d]one [p]artly [n]ot done [?]don't know [s]kip [q]uit >");
        fflush(stderr);
        if (mamori_read_line(in, reply, sizeof(reply), &len) != 1)
            return 0;
        static const struct { char key; mamori_answer a; } keys[] = {
            {'d', MAMORI_ANSWER_DONE}, {'y', MAMORI_ANSWER_DONE},
            {'p', MAMORI_ANSWER_PARTLY}, {'n', MAMORI_ANSWER_NO},
            {'?', MAMORI_ANSWER_UNKNOWN}, {'u', MAMORI_ANSWER_UNKNOWN},
        };
        char k = len == 1 ? (char)(reply[0] | 0x20) : 0;
        if (len == 1 && reply[0] == '?')
            k = '?';
        if (k == 's')
            return 1;
        if (k == 'q')
            return 0;
        for (size_t j = 0; j < sizeof(keys) / sizeof(*keys); j++)
            if (keys[j].key == k) {
                s->sc.answer[i] = keys[j].a;
                s->sc.from_evidence[i] = 0;
                return 1;
            }
        mamori_answer a = len < sizeof(reply) ? mamori_answer_parse(reply)
                                              : MAMORI_ANSWER_NONE;
        if (a != MAMORI_ANSWER_NONE) {
            s->sc.answer[i] = a;
            s->sc.from_evidence[i] = 0;
            return 1;
        }
        fputs(ja ? "d, p, n, ?, s, q のいずれかを入力してください。\n"
                 : "Please type d, p, n, ?, s or q.\n", stderr);
    }
    return 1;
}

static void dialogue(selfcheck_cmd *s, FILE *in)
{
    int part = 0;
    const mamori_selfcheck_question *q = mamori_selfcheck_questions();
    for (size_t i = 0; i < MAMORI_SELFCHECK_QUESTIONS; i++) {
        if (!s->all && s->sc.answer[i] != MAMORI_ANSWER_NONE)
            continue;
        if (q[i].part != part) {
            part = q[i].part;
            fprintf(stderr, "\n== %s ==\n", mamori_selfcheck_part_name(part, s->o.ctx.lang));
        }
        if (!ask(s, i, in))
            break;
    }
    fputc('\n', stderr);
}

static int read_answers(selfcheck_cmd *s)
{
    FILE *f = strcmp(s->answers, "-") == 0 ? stdin : fopen(s->answers, "r");
    if (!f) {
        cli_error(&s->o, "cannot read %s: %s", s->answers, strerror(errno));
        return -1;
    }
    int bad = mamori_selfcheck_read(&s->sc, f, s->answers, &s->o.ctx);
    if (f != stdin)
        fclose(f);
    if (bad < 0) {
        cli_error(&s->o, "cannot read %s: %s", s->answers, strerror(errno));
        return -1;
    }
    if (bad)
        s->o.input_errors++;
    return 0;
}

static int write_form(selfcheck_cmd *s)
{
    cli_outfile of;
    if (cli_out_open(&s->o, s->form, &of))
        return CLI_EXIT_USAGE;
    mamori_err e = mamori_selfcheck_form(&s->sc, s->o.ctx.lang, of.f);
    return cli_out_close(&s->o, &of, e == MAMORI_OK) || e ? CLI_EXIT_USAGE : CLI_EXIT_OK;
}

int cmd_selfcheck(int argc, char **argv)
{
    selfcheck_cmd s;
    char path[CLI_PATH_MAX];
    memset(&s, 0, sizeof(s));
    mamori_selfcheck_init(&s.sc);
    cli_opts_init(&s.o, "mamori selfcheck");
    int r = cli_parse(&s.o, argc, argv, &cli_cmd_selfcheck, own_option, &s);
    if (r != CLI_CONTINUE)
        return r;
    if (optind < argc || (s.answers && s.form)) {
        cli_error(&s.o, "selfcheck takes no arguments, and one of --answers or --form");
        return CLI_EXIT_USAGE;
    }
    if (!s.answers && !s.form && !isatty(STDIN_FILENO)) {
        cli_error(&s.o, "standard input is not a terminal: give --answers FILE, or "
                        "--form FILE to write a form to fill in");
        return CLI_EXIT_USAGE;
    }
    mamori_history *h = load(&s, path, sizeof(path));
    if (s.form) {
        mamori_history_free(h);
        return write_form(&s);
    }
    if (!s.o.wopts.title)
        s.o.wopts.title = s.o.ctx.lang == MAMORI_LANG_JA ? "情報セキュリティ自社診断"
                                                         : "mamori self-check";
    cli_set_inputs(&s.o, s.answers && strcmp(s.answers, "-") ? 1 : 0,
                   (char *const *)&s.answers);
    /* Begun before the answers are read, so that a bad line is reported
     * through the diagnostics with its number. */
    if ((r = cli_run_begin(&s.o)) != 0) {
        mamori_history_free(h);
        return r;
    }
    if (s.answers ? read_answers(&s) : (dialogue(&s, stdin), 0)) {
        mamori_history_free(h);
        s.o.input_errors++;
        return cli_run_end(&s.o);
    }
    if (h && mamori_history_save_selfcheck(h, (int64_t)time(NULL), &s.sc)) {
        cli_error(&s.o, "history %s: %s; the answers are not kept", path,
                  mamori_history_error(h));
        s.o.input_errors++;
    }
    mamori_history_free(h);
    mamori_sink sink = cli_sink(&s.o);
    if (mamori_selfcheck_report(&s.sc, &s.o.ctx, &sink) == MAMORI_E_INTERNAL)
        s.o.input_errors++;
    return cli_run_end(&s.o);
}
