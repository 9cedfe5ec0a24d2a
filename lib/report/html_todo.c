/*
 * html_todo.c — "What to do now", the section the HTML report opens with:
 * each check its findings named, once, most urgent first (the highest
 * severity among its findings, then how many), with a badge of that
 * severity, the count, what to do, its ids and countermeasures; then
 * "whom to tell", each distinct advice once with the checks it is for
 * (one advice often covers every log check). Texts of the checks go
 * through mr_html_str like everything else.
 */
#include "common.h"

#include <inttypes.h>

#include "report/writer_impl.h"

static void todo_check(FILE *out, const mr_seen *seen, size_t i,
                       mamori_lang lang)
{
    const mamori_check *c = &seen->checks[i];
    const char *sev = mamori_severity_name(seen->worst[i]);
    uint64_t hits = seen->hits[i];

    fprintf(out, "<article class=\"check sev-%s\">\n<h3><span class=\"badge "
            "sev-%s\">%s</span> ", sev, sev,
            mr_sev_label(lang, seen->worst[i]));
    mr_html_cstr(out, mr_check_text(c->title, lang));
    fprintf(out, " <span class=\"hits\">%" PRIu64 " %s</span></h3>\n<p>", hits,
            mr_label(lang, hits == 1 ? MR_L_FINDING_ONE : MR_L_FINDING_MANY));
    mr_html_cstr(out, mr_check_text(c->remedy, lang));
    fputs_unlocked("</p>\n<p class=\"ids\"><span class=\"id\">", out);
    mr_html_cstr(out, c->id);
    fprintf(out, "</span> \xC2\xB7 %s:", mr_label(lang, MR_L_COUNTERMEASURES));
    for (size_t j = 0; j < MAMORI_CHECK_CM_MAX && c->countermeasures[j]; j++) {
        fputs_unlocked(" <span class=\"cm\">", out);
        mr_html_cstr(out, c->countermeasures[j]);
        fputs_unlocked("</span>", out);
    }
    if (c->source) {
        fprintf(out, " \xC2\xB7 %s: ", mr_label(lang, MR_L_SOURCE));
        mr_html_cstr(out, c->cite[0] ? mr_check_text(c->cite, lang) : c->source);
    }
    fputs_unlocked("</p>\n</article>\n", out);
}

/* Whom to tell: the same advice often covers many checks, so each
 * distinct text once, with the checks it is for. */
static void todo_tell(FILE *out, const mr_seen *seen, const size_t *order,
                      size_t n, mamori_lang lang)
{
    int header = 0;

    for (size_t k = 0; k < n; k++) {
        const char *report = mr_check_text(seen->checks[order[k]].report, lang);
        int earlier = 0;
        for (size_t j = 0; j < k && !earlier; j++)
            earlier = strcmp(report, mr_check_text(seen->checks[order[j]].report,
                                                   lang)) == 0;
        if (!report[0] || earlier)
            continue;
        if (!header)
            fprintf(out, "<h3 class=\"tell-head\">%s</h3>\n",
                    mr_label(lang, MR_L_WHOM_TO_TELL));
        header = 1;
        fprintf(out, "<div class=\"tell\"><p class=\"ids\">%s:", mr_label(lang,
                MR_L_WHO_FOR));
        for (size_t j = k; j < n; j++) {
            const mamori_check *c = &seen->checks[order[j]];
            if (strcmp(report, mr_check_text(c->report, lang)) != 0)
                continue;
            fputs_unlocked(" <span class=\"id\">", out);
            mr_html_cstr(out, c->id);
            fputs_unlocked("</span>", out);
        }
        fputs_unlocked("</p>\n<p>", out);
        mr_html_cstr(out, report);
        fputs_unlocked("</p></div>\n", out);
    }
}

void mr_html_todo(FILE *out, const mr_seen *seen, mamori_lang lang)
{
    size_t order[MR_CHECKS_SEEN_MAX];
    size_t n = mr_seen_order(seen, order);

    if (n == 0)
        return;
    fprintf(out, "<section id=\"todo\">\n<h2>%s <span class=\"sub\">(%s)</span>"
            "</h2>\n", mr_label(lang, MR_L_WHAT_TO_DO_NOW),
            mr_label(lang, MR_L_MOST_SEVERE_FIRST));
    for (size_t k = 0; k < n; k++)
        todo_check(out, seen, order[k], lang);
    todo_tell(out, seen, order, n, lang);
    fputs_unlocked("</section>\n", out);
}
