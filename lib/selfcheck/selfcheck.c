/*
 * selfcheck.c — the self-assessment's questions, answers and result
 * (selfcheck.h): the questions come from data/selfcheck/questions.def;
 * answers come from the latest grades, from a person (the dialogue of
 * `mamori selfcheck`) or from a file the HTML form exported; the result
 * is findings and a summary like every capability's.
 */
#include "common.h"

#include "mamori/selfcheck.h"
#include <strings.h>

static const mamori_selfcheck_question questions[MAMORI_SELFCHECK_QUESTIONS] = {
#define QUESTION(id, part, check, factor, en, ja) {id, part, check, factor, {en, ja}},
#include "selfcheck/questions.def"
#undef QUESTION
};

#define MR_SELFCHECK_LINE_MAX 256 /* a line of an answers file */

const mamori_selfcheck_question *mamori_selfcheck_questions(void)
{
    return questions;
}

const char *mamori_selfcheck_part_name(int part, mamori_lang lang)
{
    static const char *const names[MAMORI_SELFCHECK_PARTS][MAMORI_LANG_COUNT] = {
        {"Part 1: basic measures", "Part 1 基本的対策"},
        {"Part 2: measures for each employee", "Part 2 従業員としての対策"},
        {"Part 3: measures for the organisation", "Part 3 組織としての対策"},
    };
    return part >= 1 && part <= MAMORI_SELFCHECK_PARTS ? names[part - 1][lang] : "";
}

const char *mamori_answer_name(mamori_answer a)
{
    switch (a) {
    case MAMORI_ANSWER_DONE: return "done";
    case MAMORI_ANSWER_PARTLY: return "partly";
    case MAMORI_ANSWER_NO: return "no";
    case MAMORI_ANSWER_UNKNOWN: return "unknown";
    default: return "none";
    }
}

mamori_answer mamori_answer_parse(const char *s)
{
    static const struct { const char *word; mamori_answer a; } words[] = {
        {"done", MAMORI_ANSWER_DONE}, {"yes", MAMORI_ANSWER_DONE},
        {"4", MAMORI_ANSWER_DONE}, {"実施している", MAMORI_ANSWER_DONE},
        {"partly", MAMORI_ANSWER_PARTLY}, {"2", MAMORI_ANSWER_PARTLY},
        {"一部実施している", MAMORI_ANSWER_PARTLY}, {"一部", MAMORI_ANSWER_PARTLY},
        {"no", MAMORI_ANSWER_NO}, {"0", MAMORI_ANSWER_NO},
        {"実施していない", MAMORI_ANSWER_NO},
        {"unknown", MAMORI_ANSWER_UNKNOWN}, {"-1", MAMORI_ANSWER_UNKNOWN},
        {"わからない", MAMORI_ANSWER_UNKNOWN},
    };
    for (size_t i = 0; i < sizeof(words) / sizeof(*words); i++)
        if (strcasecmp(s, words[i].word) == 0)
            return words[i].a;
    return MAMORI_ANSWER_NONE;
}

void mamori_selfcheck_init(mamori_selfcheck *sc)
{
    for (size_t i = 0; i < MAMORI_SELFCHECK_QUESTIONS; i++) {
        sc->answer[i] = MAMORI_ANSWER_NONE;
        sc->from_evidence[i] = 0;
    }
}

void mamori_selfcheck_from_score(mamori_selfcheck *sc, const mamori_score *score)
{
    for (size_t i = 0; i < MAMORI_SELFCHECK_QUESTIONS; i++) {
        if (!questions[i].factor || sc->answer[i] != MAMORI_ANSWER_NONE)
            continue;
        for (size_t k = 0; k < mamori_score_nfactors(score); k++) {
            const mamori_factor_score *f = mamori_score_factor(score, k);
            if (strcmp(f->id, questions[i].factor) != 0 || !f->measured)
                continue;
            sc->answer[i] = f->grade == 'A' ? MAMORI_ANSWER_DONE
                          : f->grade == 'F' ? MAMORI_ANSWER_NO
                                            : MAMORI_ANSWER_PARTLY;
            sc->from_evidence[i] = 1;
        }
    }
}

static int question_index(const char *id, size_t n)
{
    for (size_t i = 0; i < MAMORI_SELFCHECK_QUESTIONS; i++)
        if (strlen(questions[i].id) == n && memcmp(questions[i].id, id, n) == 0)
            return (int)i;
    return -1;
}

/* [p, p+n) without the blanks around it. */
static const char *trim(const char *p, size_t *n)
{
    while (*n && (*p == ' ' || *p == '\t' || *p == '\r')) {
        p++;
        (*n)--;
    }
    while (*n && (p[*n - 1] == ' ' || p[*n - 1] == '\t' || p[*n - 1] == '\r'))
        (*n)--;
    return p;
}

/* One "qNN = answer" line; 0, or -1 when it is not one. */
static int read_line(mamori_selfcheck *sc, char *line)
{
    char *hash = strchr(line, '#');
    if (hash)
        *hash = '\0';
    size_t n = strlen(line);
    const char *s = trim(line, &n);
    if (n == 0)
        return 0;
    const char *eq = memchr(s, '=', n);
    if (!eq)
        return -1;
    size_t klen = (size_t)(eq - s), vlen = n - klen - 1;
    const char *key = trim(s, &klen), *val = trim(eq + 1, &vlen);
    int q = question_index(key, klen);
    char word[64];
    if (q < 0 || vlen == 0 || vlen >= sizeof(word))
        return -1;
    memcpy(word, val, vlen);
    word[vlen] = '\0';
    mamori_answer a = mamori_answer_parse(word);
    if (a == MAMORI_ANSWER_NONE)
        return -1;
    sc->answer[q] = a;
    sc->from_evidence[q] = 0;
    return 0;
}

int mamori_selfcheck_read(mamori_selfcheck *sc, FILE *f, const char *name,
                          const mamori_ctx *ctx)
{
    char line[MR_SELFCHECK_LINE_MAX];
    uint64_t len, lineno = 0;
    int r, bad = 0;
    while ((r = mamori_read_line(f, line, sizeof(line), &len)) == 1) {
        lineno++;
        if (len >= sizeof(line) || memchr(line, '\0', (size_t)len) || read_line(sc, line)) {
            mamori_diagf(ctx, MAMORI_DIAG_WARN, name, lineno,
                         "not an answer (want: q01 = done|partly|no|unknown): skipped");
            bad++;
        }
    }
    return r < 0 ? -1 : bad;
}

void mamori_selfcheck_result_of(const mamori_selfcheck *sc, mamori_selfcheck_result *r)
{
    memset(r, 0, sizeof(*r));
    int basics_done = 1, policy = 0;
    for (size_t i = 0; i < MAMORI_SELFCHECK_QUESTIONS; i++) {
        mamori_answer a = sc->answer[i];
        if (a != MAMORI_ANSWER_NONE) {
            r->answered++;
            r->total += a;
            r->part[questions[i].part - 1] += a;
        }
        if (questions[i].part == 1 && a != MAMORI_ANSWER_DONE)
            basics_done = 0;
        if (strcmp(questions[i].check, "selfcheck.policy") == 0)
            policy = a == MAMORI_ANSWER_DONE;
    }
    r->stars = !basics_done ? 0
             : r->answered == MAMORI_SELFCHECK_QUESTIONS && policy ? 2 : 1;
}

/* Part 1 holds IPA's five basic measures (情報セキュリティ5か条): one not
 * taken is as grave as a critical weakness found on a machine. */
static mamori_severity severity_of(int part, mamori_answer a)
{
    if (part == 1)
        return a == MAMORI_ANSWER_NO ? MAMORI_SEV_CRITICAL : MAMORI_SEV_MEDIUM;
    return a == MAMORI_ANSWER_NO ? MAMORI_SEV_MEDIUM : MAMORI_SEV_LOW;
}

mamori_err mamori_selfcheck_report(const mamori_selfcheck *sc, const mamori_ctx *ctx,
                                   const mamori_sink *sink)
{
    for (size_t i = 0; i < MAMORI_SELFCHECK_QUESTIONS; i++) {
        mamori_answer a = sc->answer[i];
        if (a == MAMORI_ANSWER_DONE || a == MAMORI_ANSWER_NONE)
            continue;
        mamori_finding f;
        memset(&f, 0, sizeof(f));
        if (!(f.check = mamori_check_find(questions[i].check)))
            return MAMORI_E_INTERNAL;
        f.severity = severity_of(questions[i].part, a);
        f.category = "self-assessment";
        f.time = INT64_MIN;
        f.evidence = questions[i].text[ctx->lang];
        f.evidence_len = strlen(f.evidence);
        const char *an = mamori_answer_name(a);
        const char *src = sc->from_evidence[i] ? "audit" : "person";
        mamori_finding_str(&f, "id", questions[i].id, strlen(questions[i].id));
        mamori_finding_str(&f, "answer", an, strlen(an));
        mamori_finding_str(&f, "answered_by", src, strlen(src));
        if (sink->finding(sink->user, &f))
            return MAMORI_E_ABORTED;
    }
    mamori_selfcheck_result r;
    mamori_selfcheck_result_of(sc, &r);
    mamori_summary *s = mamori_summary_new("selfcheck");
    static const char *const cols[] = {"question", "part", "answer", "answered_by", "text"};
    if (!s)
        return MAMORI_E_NOMEM;
    mamori_err e = mamori_summary_counter(s, "total", "Points (of 100)", "点数（100点満点）",
                                          r.total);
    if (!e)
        e = mamori_summary_counter(s, "part1", "Part 1: basic measures (of 20)",
                                   "Part 1 基本的対策（20点満点）", r.part[0]);
    if (!e)
        e = mamori_summary_counter(s, "part2", "Part 2: each employee (of 40)",
                                   "Part 2 従業員としての対策（40点満点）", r.part[1]);
    if (!e)
        e = mamori_summary_counter(s, "part3", "Part 3: the organisation (of 40)",
                                   "Part 3 組織としての対策（40点満点）", r.part[2]);
    if (!e)
        e = mamori_summary_counter(s, "answered", "Questions answered (of 25)",
                                   "回答済みの設問（25問中）", r.answered);
    if (!e)
        e = mamori_summary_counter(s, "security_action_stars",
                                   "SECURITY ACTION stars reached (0-2)",
                                   "SECURITY ACTION 到達段階（0〜2つ星）", r.stars);
    if (!e)
        e = mamori_summary_table(s, "answers", "Answers", "回答", 5, cols);
    for (size_t i = 0; !e && i < MAMORI_SELFCHECK_QUESTIONS; i++) {
        mamori_cell row[5] = {
            {questions[i].id, 0}, {NULL, questions[i].part},
            {mamori_answer_name(sc->answer[i]), 0},
            {sc->answer[i] == MAMORI_ANSWER_NONE ? "-"
             : sc->from_evidence[i] ? "audit" : "person", 0},
            {questions[i].text[ctx->lang], 0},
        };
        e = mamori_summary_row(s, row);
    }
    if (e) {
        mamori_summary_free(s);
        return e;
    }
    return sink->summary(sink->user, s) ? MAMORI_E_ABORTED : MAMORI_OK;
}
