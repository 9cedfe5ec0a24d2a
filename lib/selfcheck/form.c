/*
 * form.c — the self-assessment as a page a person fills in: one HTML
 * file, nothing fetched from outside, the questions as radio buttons
 * (answers already known pre-selected and marked), the points counted as
 * they are chosen, and a button that saves the answers as the text file
 * `mamori selfcheck --answers FILE` reads ("q01 = done" lines; also shown
 * in a box to copy where a browser blocks the download).
 *
 * Like the report, the page runs under a strict Content-Security-Policy:
 * its one script is allowed by its SHA-256 hash, nothing else runs and
 * nothing is fetched or sent.
 */
#include "common.h"

#include <openssl/evp.h>

#include "mamori/selfcheck.h"
#include "report/writer_impl.h"

/* Counts the points and writes the answers file; no input leaves the
 * page. Keep it free of anything a person could inject: it reads only
 * the radio buttons' own values. */
static const char form_script[] =
    "(function(){\n"
    "var f=document.getElementById('sc');\n"
    "function text(){var out='# mamori selfcheck answers\\n',t=0;\n"
    " var qs=f.querySelectorAll('fieldset');\n"
    " for(var i=0;i<qs.length;i++){var c=qs[i].querySelector('input:checked');\n"
    "  if(!c)continue;out+=qs[i].id+' = '+c.value+'\\n';\n"
    "  t+={done:4,partly:2,no:0,unknown:-1}[c.value];}\n"
    " document.getElementById('total').textContent=t;return out;}\n"
    "f.addEventListener('change',text);text();\n"
    "document.getElementById('save').addEventListener('click',function(){\n"
    " var s=text();document.getElementById('out').value=s;\n"
    " var a=document.createElement('a');\n"
    " a.href=URL.createObjectURL(new Blob([s],{type:'text/plain'}));\n"
    " a.download='mamori-selfcheck.txt';document.body.appendChild(a);a.click();\n"
    " a.remove();});\n"
    "})();\n";

static const char *const choice_names[4][MAMORI_LANG_COUNT] = {
    {"Done", "実施している"},
    {"Partly", "一部実施している"},
    {"Not done", "実施していない"},
    {"Don't know", "わからない"},
};
static const mamori_answer choices[4] = {MAMORI_ANSWER_DONE, MAMORI_ANSWER_PARTLY,
                                         MAMORI_ANSWER_NO, MAMORI_ANSWER_UNKNOWN};

/* 'sha256-BASE64' of the script, for the policy. */
static int script_hash(char *out, size_t cap)
{
    unsigned char d[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    if (cap < 64 || !EVP_Digest(form_script, sizeof(form_script) - 1, d, &n,
                                EVP_sha256(), NULL))
        return -1;
    memcpy(out, "sha256-", 7);
    EVP_EncodeBlock((unsigned char *)out + 7, d, (int)n);
    return 0;
}

mamori_err mamori_selfcheck_form(const mamori_selfcheck *sc, mamori_lang lang, FILE *out)
{
    char hash[128];
    const mamori_selfcheck_question *q = mamori_selfcheck_questions();
    int ja = lang == MAMORI_LANG_JA;
    if (script_hash(hash, sizeof(hash)))
        return MAMORI_E_INTERNAL;
    fprintf(out,
            "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
            "style-src 'unsafe-inline'; script-src '%s'; base-uri 'none'; "
            "form-action 'none'\">\n"
            "<meta name=\"referrer\" content=\"no-referrer\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            "<meta name=\"generator\" content=\"mamori %s\">\n<title>%s</title>\n"
            "<style>body{font:16px/1.5 system-ui,sans-serif;max-width:52em;margin:1em auto;"
            "padding:0 1em}fieldset{border:1px solid #ccc;margin:.6em 0;padding:.4em .8em}"
            "legend{font-weight:600}label{display:inline-block;margin-right:1.2em}"
            ".ev{color:#555;font-size:.9em}textarea{width:100%%;height:8em}</style>\n"
            "</head>\n<body>\n<h1>%s</h1>\n<p>%s</p>\n<form id=\"sc\">\n",
            ja ? "ja" : "en", hash, mamori_version(),
            ja ? "情報セキュリティ自社診断（mamori）" : "Security self-check (mamori)",
            ja ? "情報セキュリティ自社診断（mamori）" : "Security self-check (mamori)",
            ja ? "IPA「5分でできる！情報セキュリティ自社診断」の構成に沿った25問です。"
                 "回答を選び、最後に「回答を保存」を押して、保存したファイルを "
                 "<code>mamori selfcheck --answers ファイル</code> で読み込んでください。"
               : "25 questions after the structure of IPA's 5-minute security self-check "
                 "for small organisations. Choose an answer for each, press \"Save the "
                 "answers\", and give the saved file to "
                 "<code>mamori selfcheck --answers FILE</code>.");
    int part = 0;
    for (size_t i = 0; i < MAMORI_SELFCHECK_QUESTIONS; i++) {
        if (q[i].part != part) {
            part = q[i].part;
            fputs("<h2>", out);
            mr_html_cstr(out, mamori_selfcheck_part_name(part, lang));
            fputs("</h2>\n", out);
        }
        fprintf(out, "<fieldset id=\"%s\"><legend>%zu. ", q[i].id, i + 1);
        mr_html_cstr(out, q[i].text[lang]);
        fputs("</legend>\n", out);
        for (size_t c = 0; c < 4; c++)
            fprintf(out, "<label><input type=\"radio\" name=\"%s\" value=\"%s\"%s> %s</label>\n",
                    q[i].id, mamori_answer_name(choices[c]),
                    sc && sc->answer[i] == choices[c] ? " checked" : "",
                    choice_names[c][lang]);
        if (sc && sc->from_evidence[i])
            fprintf(out, "<div class=\"ev\">%s</div>\n",
                    ja ? "mamori audit の結果から回答しています（変更できます）。"
                       : "Answered from mamori's latest audit (you may change it).");
        fputs("</fieldset>\n", out);
    }
    fprintf(out,
            "</form>\n<p>%s <strong id=\"total\">0</strong> / 100</p>\n"
            "<p><button type=\"button\" id=\"save\">%s</button></p>\n"
            "<textarea id=\"out\" readonly aria-label=\"answers\"></textarea>\n"
            "<script>%s</script>\n</body>\n</html>\n",
            ja ? "点数:" : "Points:", ja ? "回答を保存" : "Save the answers", form_script);
    return ferror(out) ? MAMORI_E_IO : MAMORI_OK;
}
