/*
 * served.c — the seam between the audit's logscan and web rows: a sink
 * in front of the caller's that notes the request lines of sensitive
 * files the logscan row saw answered 2xx (logscan.sensitive-file with a
 * 2xx status), so that the web row asks the sites named with --site for
 * them again (mamori_web_opts.served), as `mamori web --from-logscan`
 * does with a report. Every finding and summary passes on unchanged.
 */
#include "common.h"

#include "audit/audit_cap.h"

static int served_finding(void *user, const mamori_finding *f)
{
    mr_audit_served *s = user;
    const mamori_field *st, *rq;
    if (f->check && strcmp(f->check->id, "logscan.sensitive-file") == 0 &&
        (st = mamori_finding_get(f, "status")) && st->kind == MAMORI_FIELD_INT &&
        st->num >= 200 && st->num <= 299 &&
        (rq = mamori_finding_get(f, "request")) && rq->kind == MAMORI_FIELD_STR) {
        if (s->n == MR_AUDIT_SERVED_MAX || rq->len >= MR_AUDIT_SERVED_LEN_MAX)
            s->dropped++;
        else if ((s->req[s->n] = strndup(rq->str, rq->len)) != NULL)
            s->n++;
    }
    return s->next->finding(s->next->user, f);
}

static int served_summary(void *user, mamori_summary *sum)
{
    mr_audit_served *s = user;
    return s->next->summary(s->next->user, sum);
}

void mr_audit_served_init(mr_audit_served *s, const mamori_sink *next)
{
    memset(s, 0, sizeof(*s));
    s->next = next;
    s->sink.finding = served_finding;
    s->sink.summary = served_summary;
    s->sink.user = s;
}

void mr_audit_served_free(mr_audit_served *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->req[i]);
    s->n = 0;
}
