/*
 * cli_filter.c — --only and --skip: patterns of check ids ('*' matches any
 * run) and countermeasure ids, checked against the checks a command
 * reports (a pattern that matches none is a usage error with the nearest
 * id as a suggestion), and the test cli_sink() applies to each finding.
 */
#include "common.h"

#include "cli.h"

/* Does the pattern (of n bytes; '*' matches any run) match all of s? */
static int glob_match(const char *p, size_t n, const char *s)
{
    const char *star = NULL, *back = NULL;
    size_t i = 0, star_i = 0;
    while (*s) {
        if (i < n && p[i] == '*') {
            star = s;
            star_i = ++i;
            back = s;
            continue;
        }
        if (i < n && p[i] == *s) {
            i++;
            s++;
            continue;
        }
        if (!star)
            return 0;
        i = star_i;
        s = ++back;
    }
    while (i < n && p[i] == '*')
        i++;
    return i == n;
}

/* A pattern matches a check by its id or one of its countermeasures. */
static int pattern_matches(const struct cli_pattern *p, const mamori_check *c)
{
    if (glob_match(p->s, p->n, c->id))
        return 1;
    for (size_t i = 0; i < MAMORI_CHECK_CM_MAX && c->countermeasures[i]; i++)
        if (glob_match(p->s, p->n, c->countermeasures[i]))
            return 1;
    return 0;
}

int cli_command_reports(const cli_command *cmd, const mamori_check *c)
{
    if (!cmd->check_prefixes)
        return 1;
    for (const char *const *p = cmd->check_prefixes; *p; p++)
        if (strncmp(c->id, *p, strlen(*p)) == 0)
            return 1;
    return 0;
}

#define CLI_SUGGEST_MAX 64   /* ids longer than this are not compared */

/* Edit distance of a (n bytes) and b, capped: for "did you mean". */
static size_t distance(const char *a, size_t n, const char *b)
{
    size_t m = strlen(b), row[CLI_SUGGEST_MAX + 1];
    if (n > CLI_SUGGEST_MAX || m > CLI_SUGGEST_MAX)
        return SIZE_MAX;
    for (size_t j = 0; j <= m; j++)
        row[j] = j;
    for (size_t i = 1; i <= n; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= m; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] != b[j - 1]);
            best = MR_MIN(best, up + 1);
            best = MR_MIN(best, row[j - 1] + 1);
            row[j] = best;
            diag = up;
        }
    }
    return row[m];
}

/* Keeps the candidate (of n bytes) nearest to the pattern. */
static void nearer(const struct cli_pattern *p, const char *cand, size_t n,
                   char *best, size_t cap, size_t *best_d)
{
    char buf[CLI_SUGGEST_MAX + 1];
    if (n > CLI_SUGGEST_MAX)
        return;
    memcpy(buf, cand, n);
    buf[n] = '\0';
    size_t d = distance(p->s, p->n, buf);
    if (d < *best_d) {
        *best_d = d;
        snprintf(best, cap, "%s", buf);
    }
}

/* Explains a pattern that matches none of cmd's checks, with the
 * nearest check id, area ("dns.spf.*") or countermeasure id when one is
 * close. */
static void no_match(cli_opts *o, const cli_command *cmd, const char *opt,
                     const struct cli_pattern *p)
{
    size_t count, best_d = SIZE_MAX;
    char best[CLI_SUGGEST_MAX + 1] = "", area[CLI_SUGGEST_MAX + 1] = "";
    const mamori_check *all = mamori_checks(&count);
    for (size_t i = 0; i < count; i++) {
        const char *id = all[i].id;
        if (!cli_command_reports(cmd, &all[i]))
            continue;
        if (!area[0])
            snprintf(area, sizeof(area), "%.*s.*", (int)strcspn(id, "."), id);
        nearer(p, id, strlen(id), best, sizeof(best), &best_d);
        for (const char *dot = strchr(id, '.'); dot; dot = strchr(dot + 1, '.')) {
            char pat[CLI_SUGGEST_MAX + 3];
            int n = snprintf(pat, sizeof(pat), "%.*s.*", (int)(dot - id), id);
            if (n > 0 && (size_t)n < sizeof(pat))
                nearer(p, pat, (size_t)n, best, sizeof(best), &best_d);
        }
        for (size_t k = 0; k < MAMORI_CHECK_CM_MAX && all[i].countermeasures[k]; k++)
            nearer(p, all[i].countermeasures[k], strlen(all[i].countermeasures[k]),
                   best, sizeof(best), &best_d);
    }
    if (best[0] && best_d <= 3 && best_d < p->n)
        cli_error(o, "%s '%.*s' matches no check that %s reports; did you mean "
                     "'%s'?", opt, (int)p->n, p->s, o->prog, best);
    else
        cli_error(o, "%s '%.*s' matches no check that %s reports: give check "
                     "ids ('*' matches any text: %s) or countermeasure ids "
                     "(meti.appsec, basic.password...)", opt, (int)p->n, p->s,
                  o->prog, area[0] ? area : "logscan.*");
}

/* --only/--skip ARG: comma-separated patterns, each of which must match
 * at least one check the command reports. */
int cli_add_patterns(cli_opts *o, const cli_command *cmd, int only,
                     const char *arg)
{
    const char *opt = only ? "--only" : "--skip";
    struct cli_pattern *list = only ? o->only : o->skip;
    size_t *n = only ? &o->nonly : &o->nskip;
    size_t count;
    const mamori_check *all = mamori_checks(&count);
    for (const char *p = arg;; ) {
        size_t len = strcspn(p, ",");
        struct cli_pattern pat = {p, len};
        if (len == 0) {
            cli_error(o, "%s wants check or countermeasure ids, e.g. "
                         "meti.appsec,logscan.*", opt);
            return -1;
        }
        if (*n >= CLI_FILTER_MAX) {
            cli_error(o, "at most %d %s patterns", CLI_FILTER_MAX, opt);
            return -1;
        }
        int found = 0;
        for (size_t i = 0; i < count && !found; i++)
            found = cli_command_reports(cmd, &all[i]) && pattern_matches(&pat, &all[i]);
        if (!found) {
            no_match(o, cmd, opt, &pat);
            return -1;
        }
        list[(*n)++] = pat;
        if (p[len] == '\0')
            break;
        p += len + 1;
    }
    return 0;
}

/* Is this finding in the report? --only (any of them), then --skip. */
int cli_keep_finding(const cli_opts *o, const mamori_finding *f)
{
    int keep = o->nonly == 0;
    for (size_t i = 0; !keep && f->check && i < o->nonly; i++)
        keep = pattern_matches(&o->only[i], f->check);
    for (size_t i = 0; keep && f->check && i < o->nskip; i++)
        keep = !pattern_matches(&o->skip[i], f->check);
    return keep;
}
