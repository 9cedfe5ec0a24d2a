/*
 * writer.c — the part of report.h every format shares: creating a writer
 * for a format, the sink that counts each finding per severity (shown or
 * not, for --fail-on) and passes on those at or above min_severity, the
 * keeping of summaries, and the final flush whose failure (a full disk)
 * becomes MAMORI_E_IO. Also the small helpers the formats share: ISO
 * times, texts in a language with fallbacks, and in both languages the
 * fixed labels, severity names, summary table headers and durations.
 */
#include "common.h"

#include <inttypes.h>
#include <time.h>

#include "report/writer_impl.h"

int mamori_out_format_parse(const char *s)
{
    if (!s)
        return -1;
    if (strcmp(s, "text") == 0)
        return MAMORI_OUT_TEXT;
    if (strcmp(s, "json") == 0 || strcmp(s, "jsonl") == 0)
        return MAMORI_OUT_JSON;
    if (strcmp(s, "sarif") == 0)
        return MAMORI_OUT_SARIF;
    if (strcmp(s, "html") == 0)
        return MAMORI_OUT_HTML;
    return -1;
}

static const mr_writer_ops *ops_for(mamori_out_format f)
{
    switch (f) {
    case MAMORI_OUT_TEXT: return &mr_text_ops;
    case MAMORI_OUT_JSON: return &mr_json_ops;
    case MAMORI_OUT_SARIF: return &mr_sarif_ops;
    case MAMORI_OUT_HTML: return &mr_html_ops;
    }
    return NULL;
}

mamori_err mamori_writer_new(FILE *out, const mamori_writer_opts *opts,
                             mamori_writer **writer)
{
    if (!writer)
        return MAMORI_E_INVAL;
    *writer = NULL;
    if (!out || !opts || (unsigned)opts->lang >= MAMORI_LANG_COUNT)
        return MAMORI_E_INVAL;
    const mr_writer_ops *ops = ops_for(opts->format);
    if (!ops)
        return MAMORI_E_INVAL;

    mamori_writer *w = calloc(1, sizeof(*w));
    if (!w)
        return MAMORI_E_NOMEM;
    w->out = out;
    w->opts = *opts;
    w->opts.min_severity = mr_sev_clamp(opts->min_severity);
    w->ops = ops;
    mamori_err err = ops->start ? ops->start(w) : MAMORI_OK;
    if (err == MAMORI_OK && ferror(out))
        err = MAMORI_E_IO;
    if (err != MAMORI_OK) {
        mamori_writer_free(w);
        return err;
    }
    *writer = w;
    return MAMORI_OK;
}

static int sink_finding(void *user, const mamori_finding *f)
{
    mamori_writer *w = user;

    if (!f || w->finished)
        return -1;
    mamori_severity sev = mr_sev_clamp(f->severity);
    w->count[sev]++;
    if (sev >= w->opts.min_severity) {
        w->shown++;
        w->ops->finding(w, f);
    }
    /* A write error (full disk, closed pipe) stops the run early. */
    return ferror(w->out) ? -1 : 0;
}

static int sink_summary(void *user, mamori_summary *s)
{
    mamori_writer *w = user;

    if (!s)
        return 0;
    if (w->ops->summary && !w->finished) {
        w->ops->summary(w, s);
        mamori_summary_free(s);
        return ferror(w->out) ? -1 : 0;
    }
    if (w->finished || w->nsummaries >= MR_WRITER_SUMMARIES_MAX) {
        w->summaries_dropped++;
        mamori_summary_free(s);
        return 0;
    }
    w->summaries[w->nsummaries++] = s;
    return 0;
}

mamori_sink mamori_writer_sink(mamori_writer *w)
{
    mamori_sink s = {sink_finding, sink_summary, w};
    return s;
}

mamori_err mamori_writer_finish(mamori_writer *w)
{
    if (!w)
        return MAMORI_E_INVAL;
    if (w->finished)
        return MAMORI_E_INVAL;
    w->finished = 1;
    mamori_err err = w->ops->finish ? w->ops->finish(w) : MAMORI_OK;
    if (fflush(w->out) != 0 || ferror(w->out))
        return MAMORI_E_IO;
    return err;
}

void mamori_writer_free(mamori_writer *w)
{
    if (!w)
        return;
    for (size_t i = 0; i < w->nsummaries; i++)
        mamori_summary_free(w->summaries[i]);
    if (w->ops && w->ops->free_state)
        w->ops->free_state(w->state);
    free(w);
}

uint64_t mamori_writer_count_at_least(const mamori_writer *w,
                                      mamori_severity sev)
{
    uint64_t n = 0;

    if (!w)
        return 0;
    for (unsigned s = mr_sev_clamp(sev); s < MAMORI_SEV_COUNT; s++)
        n += w->count[s];
    return n;
}

/* ---- helpers ------------------------------------------------------- */

mamori_severity mr_sev_clamp(mamori_severity s)
{
    if ((int)s < 0)
        return MAMORI_SEV_INFO;
    if ((int)s >= MAMORI_SEV_COUNT)
        return MAMORI_SEV_CRITICAL;
    return s;
}

int mr_time_iso(int64_t t, char buf[MR_TIME_ISO_MAX])
{
    struct tm tm;
    /* Years 0..9999 only: ISO 8601 without extensions, and time_t safe. */
    const int64_t lo = -62167219200LL, hi = 253402300799LL;

    buf[0] = '\0';
    if (t == INT64_MIN || t < lo || t > hi)
        return -1;
    time_t tt = (time_t)t;
    if ((int64_t)tt != t || !gmtime_r(&tt, &tm))
        return -1;
    snprintf(buf, MR_TIME_ISO_MAX, "%04d-%02d-%02dT%02d:%02d:%02dZ",
             tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
             tm.tm_min, tm.tm_sec);
    return 0;
}

const char *mr_check_text(const char *const texts[MAMORI_LANG_COUNT],
                          mamori_lang lang)
{
    if ((unsigned)lang < MAMORI_LANG_COUNT && texts[lang] && texts[lang][0])
        return texts[lang];
    return texts[MAMORI_LANG_EN] ? texts[MAMORI_LANG_EN] : "";
}

const char *mr_title(const char *const titles[MAMORI_LANG_COUNT],
                     mamori_lang lang, const char *id)
{
    const char *t = mr_check_text(titles, lang);
    return t[0] ? t : (id ? id : "");
}

static const char *const labels[MR_L_COUNT][MAMORI_LANG_COUNT] = {
    [MR_L_FINDINGS] = {"Findings", "検出結果"},
    [MR_L_SUMMARY] = {"Summary", "概要"},
    [MR_L_WHAT_TO_DO] = {"What to do", "対処"},
    [MR_L_WHOM_TO_TELL] = {"Whom to tell", "報告先"},
    [MR_L_MORE_ROWS] = {"more", "件省略"},
    [MR_L_SEVERITY] = {"Severity", "重要度"},
    [MR_L_CHECK] = {"Check", "チェック"},
    [MR_L_VERDICT] = {"Verdict", "判定"},
    [MR_L_WHERE] = {"Where", "場所"},
    [MR_L_TIME] = {"Time (UTC)", "時刻 (UTC)"},
    [MR_L_CLIENT] = {"Client", "クライアント"},
    [MR_L_REQUEST] = {"Request", "リクエスト"},
    [MR_L_STATUS] = {"Status", "ステータス"},
    [MR_L_EVIDENCE] = {"Evidence", "根拠"},
    [MR_L_DETAILS] = {"Details", "詳細"},
    [MR_L_GENERATED] = {"Generated (UTC)", "作成日時 (UTC)"},
    [MR_L_NOT_LISTED] = {"findings were not listed here (the summary "
                         "tables count them all; use --format json for "
                         "every finding)",
                         "件の検出結果は一覧に含めていません（概要の表はすべて"
                         "を数えています。全件は --format json で出力できます）"},
    [MR_L_BELOW_MIN] = {"below the minimum severity, counted but not shown",
                        "件は最低重要度未満のため、数えていますが表示していません"},
    [MR_L_DEFAULT_TITLE] = {"mamori security report",
                            "mamori セキュリティレポート"},
    [MR_L_COUNTERMEASURES] = {"Countermeasures", "対策"},
    [MR_L_SOURCE] = {"Guidance", "出典"},
    [MR_L_NO_FINDINGS] = {"No findings.", "検出結果はありません。"},
    [MR_L_TOTAL] = {"total", "合計"},
    [MR_L_PER] = {"per", "間隔"},
    [MR_L_SHOWN] = {"shown", "表示"},
    [MR_L_WHAT_TO_DO_NOW] = {"What to do now", "今すぐ行うこと"},
    [MR_L_MOST_SEVERE_FIRST] = {"most severe first", "重要度の高い順"},
    [MR_L_FINDING_ONE] = {"finding", "件"},
    [MR_L_FINDING_MANY] = {"findings", "件"},
    [MR_L_HOST] = {"Host", "ホスト"},
    [MR_L_INPUTS] = {"Inputs", "入力"},
    [MR_L_INPUTS_DEFAULT] = {"none named (the command's default sources)",
                             "指定なし（コマンドの既定の入力）"},
    [MR_L_VERSION] = {"Version", "バージョン"},
    [MR_L_COUNTERS] = {"Counters", "カウンター"},
    [MR_L_ZERO_HIDDEN] = {"at zero, not shown", "件は 0 のため省略"},
    [MR_L_NONE] = {"None", "なし"},
    [MR_L_MAX] = {"max", "最大"},
    [MR_L_SPARK_COLUMN] = {"one column", "1 列"},
    [MR_L_SPARK_RAMP] = {"blank none, then . : - = + * # % @ from few to "
                         "the row's most",
                         "空白は 0 件、. : - = + * # % @ の順に多い"
                         "（各行の最多を @ とする）"},
    [MR_L_STATISTICS] = {"Statistics", "統計"},
    [MR_L_WHO_FOR] = {"For", "対象"},
    [MR_L_WHERE_WHEN] = {"Where and when", "場所と時刻"},
    [MR_L_EVIDENCE_DETAILS] = {"Evidence and details", "根拠と詳細"},
    [MR_L_AND_MORE] = {"more", "件ほか"},
    [MR_L_COLS_LEFT_OUT] = {"left out for width, in --format html or json",
                            "幅の都合で省略。--format html または json に含まれます"},
};

const char *mr_label(mamori_lang lang, mr_label_id id)
{
    if ((unsigned)id >= MR_L_COUNT)
        return "";
    if ((unsigned)lang >= MAMORI_LANG_COUNT)
        lang = MAMORI_LANG_EN;
    return labels[id][lang];
}

static const char *const sev_ja[MAMORI_SEV_COUNT] = {
    "情報", "低", "中", "高", "緊急"};

const char *mr_sev_label(mamori_lang lang, mamori_severity s)
{
    s = mr_sev_clamp(s);
    return lang == MAMORI_LANG_JA ? sev_ja[s] : mamori_severity_name(s);
}

/* The column keys the capabilities use (lib/logscan/stats.c,
 * lib/auth/report.c, lib/dns/dnscheck.c); a key not here is shown as
 * it is. */
static const struct {
    const char *key;
    const char *title[MAMORI_LANG_COUNT];
} col_titles[] = {
    {"category", {"Category", "カテゴリ"}},
    {"categories", {"Categories", "カテゴリ"}},
    {"campaigns", {"Campaigns", "キャンペーン"}},
    {"successes", {"Successes", "成功"}},
    {"attempts", {"Attempts", "試行"}},
    {"attacks", {"Attacks", "攻撃"}},
    {"possible_success", {"Possible success", "成功の可能性"}},
    {"client", {"Client", "クライアント"}},
    {"clients", {"Clients", "クライアント数"}},
    {"first", {"First seen (UTC)", "最初 (UTC)"}},
    {"last", {"Last seen (UTC)", "最後 (UTC)"}},
    {"sample", {"Sample request", "リクエスト例"}},
    {"path", {"Path", "パス"}},
    {"domain", {"Domain", "ドメイン"}},
    {"spf", {"SPF", "SPF"}},
    {"dmarc", {"DMARC", "DMARC"}},
    {"dkim_keys", {"DKIM keys", "DKIM 鍵"}},
    {"mx", {"MX", "MX"}},
    {"mta_sts", {"MTA-STS", "MTA-STS"}},
    {"dnssec", {"DNSSEC", "DNSSEC"}},
    {"findings", {"Findings", "検出件数"}},
    {"count", {"Count", "件数"}},
};

const char *mr_col_title(mamori_lang lang, const char *key)
{
    if (!key)
        return "";
    if ((unsigned)lang >= MAMORI_LANG_COUNT)
        lang = MAMORI_LANG_EN;
    for (size_t i = 0; i < MR_ARRAY_LEN(col_titles); i++)
        if (strcmp(key, col_titles[i].key) == 0)
            return col_titles[i].title[lang];
    return key;
}

void mr_duration(int64_t secs, mamori_lang lang, char buf[MR_DURATION_MAX])
{
    static const struct {
        int64_t secs;
        const char *unit[MAMORI_LANG_COUNT];
    } units[] = {{86400, {"d", "日"}}, {3600, {"h", "時間"}},
                 {60, {"min", "分"}}, {1, {"s", "秒"}}};
    size_t u = 0;

    if ((unsigned)lang >= MAMORI_LANG_COUNT)
        lang = MAMORI_LANG_EN;
    while (u + 1 < MR_ARRAY_LEN(units) &&
           (secs <= 0 || secs % units[u].secs != 0))
        u++;
    snprintf(buf, MR_DURATION_MAX, "%" PRId64 " %s", secs / units[u].secs,
             units[u].unit[lang]);
}

int mr_summary_headline(const mamori_summary *s)
{
    const char *cap = mamori_summary_capability(s);
    return strcmp(cap, "score") == 0 || strcmp(cap, "history") == 0;
}
