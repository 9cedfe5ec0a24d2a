/*
 * write.c — the incident record's files: record.json for programs,
 * SHA256SUMS for `sha256sum -c`, and the drafts people send
 * (report.en.txt, report.ja.txt, report.html). Whom to tell and by when
 * is the table below, after IPA's table 1.6 and, for personal data, the
 * Enforcement Rules of the Act on the Protection of Personal
 * Information (article 8: a preliminary report promptly — about 3 to 5
 * days — and a final one within 30 days, 60 when the leak was caused on
 * purpose, as by an attack). Every text from the logs is escaped for
 * where it lands (JSON, HTML; the text drafts get it as written, bytes
 * that are not printable replaced).
 */
#include "common.h"

#include <fcntl.h>
#include <unistd.h>
#include <time.h>

#include "incident_int.h"
#include "report/writer_impl.h"

enum { WHEN_ALWAYS, WHEN_PERSONAL, WHEN_CRIME };

typedef struct notify {
    int when;
    int days;                  /* deadline from detection; 0: now, -1: none */
    const char *who[MAMORI_LANG_COUNT];
    const char *what[MAMORI_LANG_COUNT];
} notify;

static const notify notifications[] = {
    {WHEN_ALWAYS, 0,
     {"Your security administrator or CSIRT (and the administrator of the system)",
      "セキュリティ管理者またはCSIRT（およびシステム管理者）"},
     {"Escalate now, before anything is changed; keep this record.",
      "何も変更する前に、すぐにエスカレーションしてください。この記録を保管してください。"}},
    {WHEN_ALWAYS, 1,
     {"Management", "経営者・責任者"},
     {"Decide the response and whether and how to inform people outside.",
      "対応方針と、組織外への情報発信の要否・方法を判断してください。"}},
    {WHEN_ALWAYS, -1,
     {"Customers, partners, contractors and related organisations",
      "顧客、取引先、委託先、委託元、関連組織"},
     {"Inform those affected, in first and second reports as facts are confirmed.",
      "影響を受ける相手に、事実が確認できた段階で1次報告・2次報告として伝えてください。"}},
    {WHEN_ALWAYS, -1,
     {"IPA and JPCERT/CC (and the supervising ministry)",
      "IPA、JPCERT/CC（および監督官庁）"},
     {"Report the incident (IPA: unauthorised access report; JPCERT/CC: incident report form).",
      "インシデントを届け出てください（IPA: 不正アクセス届出、JPCERT/CC: インシデント報告）。"}},
    {WHEN_PERSONAL, 5,
     {"Personal Information Protection Commission: preliminary report",
      "個人情報保護委員会（速報）"},
     {"Personal data may have leaked: a preliminary report promptly (about 3-5 days).",
      "個人データが漏えいしたおそれがあります。速やかに（概ね3〜5日以内）速報してください。"}},
    {WHEN_PERSONAL, 60,
     {"Personal Information Protection Commission: final report",
      "個人情報保護委員会（確報）"},
     {"The final report within 60 days when an attack caused it (30 days otherwise); tell the people whose data it was.",
      "不正の目的による漏えい等は60日以内（それ以外は30日以内）に確報し、本人にも通知してください。"}},
    {WHEN_CRIME, -1,
     {"The police (the prefecture's cybercrime desk)", "警察（都道府県警察のサイバー犯罪相談窓口）"},
     {"Unauthorised access is a crime: file a report, with this record's evidence.",
      "不正アクセスは犯罪です。この記録の証拠を添えて被害を届け出てください。"}},
};

static int applies(const mamori_incident *inc, const notify *n)
{
    if (n->when == WHEN_PERSONAL)
        return inc->opts.personal_data != 0; /* yes or unknown */
    if (n->when == WHEN_CRIME)
        return inc->opts.crime > 0 || (inc->opts.crime < 0 && inc->break_in);
    return 1;
}

static void day(int64_t t, char *buf, size_t cap, int with_time)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (t == INT64_MIN || !gmtime_r(&tt, &tm) ||
        !strftime(buf, cap, with_time ? "%Y-%m-%dT%H:%M:%SZ" : "%Y-%m-%d", &tm))
        snprintf(buf, cap, "-");
}

/* Opens a new file of the record for writing. */
static FILE *create(int dirfd, const char *name)
{
    int fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0)
        return NULL;
    FILE *f = fdopen(fd, "w");
    if (!f)
        close(fd);
    return f;
}

static int finish(FILE *f)
{
    int bad = ferror(f) || fflush(f) || fsync(fileno(f));
    return fclose(f) || bad ? -1 : 0;
}

/* Text from a log into a draft: printable bytes and UTF-8 as written,
 * control bytes as '?', so a draft can be pasted into any mail. */
static void put_plain(FILE *f, const char *s)
{
    for (; s && *s; s++)
        fputc((unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s, f);
}

static void write_json(const mamori_incident *inc, FILE *f)
{
    char when[32];
    day(inc->opts.detected, when, sizeof(when), 1);
    fprintf(f, "{\"detected\":\"%s\",\"findings\":%zu,\"dropped\":%llu,"
               "\"break_in\":%s,\"personal_data\":%s,\"timeline\":[",
            when, inc->nentries, (unsigned long long)inc->dropped,
            inc->break_in ? "true" : "false",
            inc->opts.personal_data > 0 ? "\"yes\"" : inc->opts.personal_data == 0 ? "\"no\""
                                                                              : "\"unknown\"");
    for (size_t i = 0; i < inc->nentries; i++) {
        const mr_entry *e = &inc->entries[i];
        day(e->time, when, sizeof(when), 1);
        fprintf(f, "%s{\"time\":\"%s\",\"check\":\"%s\",\"severity\":\"%s\",\"verdict\":",
                i ? "," : "", when, e->check->id, mamori_severity_name(e->severity));
        mr_json_cstr(f, e->verdict);
        fputs(",\"file\":", f);
        mr_json_path(f, e->file);
        fprintf(f, ",\"line\":%llu,\"client\":", (unsigned long long)e->line);
        mr_json_cstr(f, e->client);
        fputs(",\"user\":", f);
        mr_json_cstr(f, e->user);
        fputs(",\"evidence\":", f);
        mr_json_cstr(f, e->evidence);
        fputc('}', f);
    }
    fputs("],\"accounts\":[", f);
    for (size_t i = 0; i < inc->nusers; i++) {
        fputs(i ? "," : "", f);
        mr_json_cstr(f, inc->users[i]);
    }
    fputs("],\"hosts\":[", f);
    for (size_t i = 0; i < inc->nhosts; i++) {
        fputs(i ? "," : "", f);
        mr_json_cstr(f, inc->hosts[i]);
    }
    fputs("],\"evidence\":[", f);
    for (size_t i = 0; i < inc->nfiles; i++) {
        const mr_evidence *ev = &inc->files[i];
        fputs(i ? ",{\"source\":" : "{\"source\":", f);
        mr_json_path(f, ev->source);
        if (ev->copy[0])
            fprintf(f, ",\"copy\":\"%s\",\"sha256\":\"%s\",\"bytes\":%llu}", ev->copy,
                    ev->sha256, (unsigned long long)ev->bytes);
        else
            fprintf(f, ",\"copy\":null,\"missing\":\"%s\"}", ev->why_missing);
    }
    fputs("],\"notify\":[", f);
    int first = 1;
    for (size_t i = 0; i < sizeof(notifications) / sizeof(*notifications); i++) {
        const notify *n = &notifications[i];
        if (!applies(inc, n))
            continue;
        fputs(first ? "{\"who\":" : ",{\"who\":", f);
        first = 0;
        mr_json_cstr(f, n->who[MAMORI_LANG_EN]);
        fputs(",\"what\":", f);
        mr_json_cstr(f, n->what[MAMORI_LANG_EN]);
        if (n->days >= 0) {
            day(inc->opts.detected + (int64_t)n->days * 86400, when, sizeof(when), 0);
            fprintf(f, ",\"by\":\"%s\"}", when);
        } else {
            fputs(",\"by\":null}", f);
        }
    }
    fputs("]}\n", f);
}

static void write_text(const mamori_incident *inc, FILE *f, mamori_lang lang)
{
    int ja = lang == MAMORI_LANG_JA;
    char when[32];
    day(inc->opts.detected, when, sizeof(when), 1);
    fprintf(f, "%s\n\n%s %s\n%s %zu%s\n",
            ja ? "インシデント報告（下書き） — mamori" : "Incident report (draft) — mamori",
            ja ? "検知日時:" : "Detected:", when,
            ja ? "記録した事象:" : "Events recorded:", inc->nentries,
            inc->break_in ? (ja ? "（侵入が成功したおそれあり）" : " (a break-in may have succeeded)")
                          : "");
    fprintf(f, "\n%s\n", ja ? "■ 連絡先と期限" : "== Whom to tell, and by when ==");
    for (size_t i = 0; i < sizeof(notifications) / sizeof(*notifications); i++) {
        const notify *n = &notifications[i];
        if (!applies(inc, n))
            continue;
        if (n->days >= 0)
            day(inc->opts.detected + (int64_t)n->days * 86400, when, sizeof(when), 0);
        fprintf(f, "- %s%s%s%s\n  %s\n", n->who[lang], n->days >= 0 ? (ja ? "（期限: " : " (by ") : "",
                n->days >= 0 ? (n->days == 0 ? (ja ? "直ちに" : "now") : when) : "",
                n->days >= 0 ? (ja ? "）" : ")") : "", n->what[lang]);
    }
    fprintf(f, "\n%s\n", ja ? "■ 時系列（最初の50件）" : "== Timeline (first 50) ==");
    for (size_t i = 0; i < inc->nentries && i < MR_INCIDENT_SHOWN; i++) {
        const mr_entry *e = &inc->entries[i];
        day(e->time, when, sizeof(when), 1);
        fprintf(f, "%s  %-8s %s  %s", when, mamori_severity_name(e->severity), e->check->id,
                e->verdict ? e->verdict : "-");
        fputs("  ", f);
        put_plain(f, e->client ? e->client : e->user ? e->user : "");
        fputs("\n    ", f);
        put_plain(f, e->evidence ? e->evidence : e->check->title[lang]);
        fputc('\n', f);
    }
    fprintf(f, "\n%s ", ja ? "■ 関係するアカウント:" : "== Accounts involved:");
    for (size_t i = 0; i < inc->nusers; i++) {
        fputs(i ? ", " : "", f);
        put_plain(f, inc->users[i]);
    }
    fprintf(f, "\n%s ", ja ? "■ 関係するホスト（送信元）:" : "== Hosts involved (sources):");
    for (size_t i = 0; i < inc->nhosts; i++) {
        fputs(i ? ", " : "", f);
        put_plain(f, inc->hosts[i]);
    }
    fprintf(f, "\n\n%s\n", ja ? "■ 証拠（SHA-256、読み取り専用の複製）" : "== Evidence (SHA-256, read-only copies) ==");
    for (size_t i = 0; i < inc->nfiles; i++) {
        const mr_evidence *ev = &inc->files[i];
        fprintf(f, "- %s  ", ev->copy[0] ? ev->sha256 : (ja ? "（未複製）" : "(not copied)"));
        put_plain(f, ev->source);
        fprintf(f, "%s%s\n", ev->copy[0] ? "" : ": ", ev->copy[0] ? "" : ev->why_missing);
    }
    fprintf(f, "\n%s\n",
            ja ? "出典: IPA「情報セキュリティ10大脅威」表1.6（組織の報告・連絡・相談先）、"
                 "個人情報の保護に関する法律施行規則 第8条。"
               : "Sources: IPA, Information Security 10 Major Threats, table 1.6 (whom an "
                 "organisation reports to); Enforcement Rules of the Act on the Protection of "
                 "Personal Information, article 8.");
}

static void write_html(const mamori_incident *inc, FILE *f)
{
    char when[32];
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
          "style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'\">\n"
          "<title>Incident record (mamori)</title>\n<style>body{font:15px/1.5 "
          "system-ui,sans-serif;max-width:60em;margin:1em auto;padding:0 1em}"
          "table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;"
          "padding:.2em .4em;vertical-align:top;overflow-wrap:anywhere}</style>\n"
          "</head>\n<body>\n<h1>Incident record / インシデント記録</h1>\n", f);
    day(inc->opts.detected, when, sizeof(when), 1);
    fprintf(f, "<p>Detected / 検知: %s — %zu events%s</p>\n<h2>Whom to tell / 連絡先</h2>\n"
               "<table><tr><th>who</th><th>by</th><th>what</th></tr>\n",
            when, inc->nentries, inc->break_in ? " — a break-in may have succeeded" : "");
    for (size_t i = 0; i < sizeof(notifications) / sizeof(*notifications); i++) {
        const notify *n = &notifications[i];
        if (!applies(inc, n))
            continue;
        if (n->days > 0)
            day(inc->opts.detected + (int64_t)n->days * 86400, when, sizeof(when), 0);
        fputs("<tr><td>", f);
        mr_html_cstr(f, n->who[MAMORI_LANG_EN]);
        fputs("<br>", f);
        mr_html_cstr(f, n->who[MAMORI_LANG_JA]);
        fprintf(f, "</td><td>%s</td><td>", n->days < 0 ? "-" : n->days == 0 ? "now" : when);
        mr_html_cstr(f, n->what[MAMORI_LANG_EN]);
        fputs("<br>", f);
        mr_html_cstr(f, n->what[MAMORI_LANG_JA]);
        fputs("</td></tr>\n", f);
    }
    fputs("</table>\n<h2>Timeline / 時系列</h2>\n<table><tr><th>time</th><th>check</th>"
          "<th>verdict</th><th>source</th><th>evidence</th></tr>\n", f);
    for (size_t i = 0; i < inc->nentries && i < MR_INCIDENT_SHOWN; i++) {
        const mr_entry *e = &inc->entries[i];
        day(e->time, when, sizeof(when), 1);
        fprintf(f, "<tr><td>%s</td><td>%s</td><td>", when, e->check->id);
        mr_html_cstr(f, e->verdict ? e->verdict : "-");
        fputs("</td><td>", f);
        mr_html_cstr(f, e->client ? e->client : e->user ? e->user : "");
        fputs("</td><td>", f);
        mr_html_cstr(f, e->evidence ? e->evidence : "");
        fputs("</td></tr>\n", f);
    }
    fputs("</table>\n<h2>Evidence / 証拠</h2>\n<table><tr><th>source</th><th>copy</th>"
          "<th>SHA-256</th></tr>\n", f);
    for (size_t i = 0; i < inc->nfiles; i++) {
        const mr_evidence *ev = &inc->files[i];
        fputs("<tr><td>", f);
        mr_html_cstr(f, ev->source);
        fprintf(f, "</td><td>%s</td><td>%s</td></tr>\n", ev->copy[0] ? ev->copy : "-",
                ev->copy[0] ? ev->sha256 : ev->why_missing);
    }
    fputs("</table>\n</body>\n</html>\n", f);
}

mamori_err mr_incident_write_files(const mamori_incident *inc, int dirfd)
{
    FILE *f;
    int bad = 0;
    if ((f = create(dirfd, "record.json"))) {
        write_json(inc, f);
        bad |= finish(f);
    } else {
        bad = 1;
    }
    if ((f = create(dirfd, "SHA256SUMS"))) {
        for (size_t i = 0; i < inc->nfiles; i++)
            if (inc->files[i].copy[0])
                fprintf(f, "%s  %s\n", inc->files[i].sha256, inc->files[i].copy);
        bad |= finish(f);
    } else {
        bad = 1;
    }
    static const char *const names[MAMORI_LANG_COUNT] = {"report.en.txt", "report.ja.txt"};
    for (int l = 0; l < MAMORI_LANG_COUNT; l++) {
        if ((f = create(dirfd, names[l]))) {
            write_text(inc, f, (mamori_lang)l);
            bad |= finish(f);
        } else {
            bad = 1;
        }
    }
    if ((f = create(dirfd, "report.html"))) {
        write_html(inc, f);
        bad |= finish(f);
    } else {
        bad = 1;
    }
    return bad ? MAMORI_E_IO : MAMORI_OK;
}
