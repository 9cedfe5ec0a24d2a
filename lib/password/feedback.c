/*
 * feedback.c — tells the person why, in English and Japanese: a verdict,
 * one sentence per reason (at most FEEDBACK_REASONS of them, the first
 * found first), and what to do instead. Sentences are appended whole, so
 * a full buffer never cuts a UTF-8 character in half.
 */
#include "common.h"

#include "password/pw_internal.h"

#define FEEDBACK_REASONS 3

static const char *const texts[MAMORI_PWR_COUNT][MAMORI_LANG_COUNT] = {
    {"The password is empty.", "パスワードが空です。"},
    {"The password is too long to check.", "パスワードが長すぎて確認できません。"},
    {"It is too short.", "短すぎます。"},
    {"It mixes too few kinds of characters (upper and lower case, digits, "
     "symbols).",
     "文字の種類（英大文字・英小文字・数字・記号）の組み合わせが足りません。"},
    {"It is one of the most common passwords.",
     "よく使われるパスワードの一つです。"},
    {"It appears in lists of passwords leaked in breaches.",
     "過去に漏えいしたパスワードの一覧に含まれています。"},
    {"It is a default or vendor password that attackers try first.",
     "機器やソフトの初期パスワードで、攻撃者が最初に試すものです。"},
    {"It is built on a dictionary word.", "辞書にある単語を元にしています。"},
    {"It contains a name.", "人名が含まれています。"},
    {"It contains a date or year, such as a birthday.",
     "誕生日などの日付や年が含まれています。"},
    {"It contains a sequence such as abc or 123.",
     "abcや123のような連続した文字が含まれています。"},
    {"It repeats characters or a group of characters.",
     "同じ文字や文字列の繰り返しが含まれています。"},
    {"It follows a keyboard pattern such as qwerty or 1qaz2wsx.",
     "qwertyや1qaz2wsxのようなキーボードの並びが含まれています。"},
    {"It contains your own name, user name, e-mail or the service name.",
     "本人の氏名、ユーザー名、メールアドレスやサービス名が含まれています。"},
    {"It is too close to the previous password.",
     "以前のパスワードと似すぎています。"},
    {"It would be guessed too quickly.", "短時間で推測されてしまいます。"},
    {"It is not valid UTF-8 text.", "UTF-8として正しくない文字が含まれています。"},
};

static void append(char *buf, size_t *used, const char *s)
{
    size_t n = strlen(s);
    if (*used + n + 1 >= MAMORI_PASSWORD_FEEDBACK_MAX)
        return;
    memcpy(buf + *used, s, n);
    *used += n;
    buf[*used] = '\0';
}

void mr_pw_feedback(mamori_password_result *res,
                    const mamori_password_checker *c)
{
    for (int l = 0; l < MAMORI_LANG_COUNT; l++) {
        char *buf = res->feedback[l];
        size_t used = 0;
        buf[0] = '\0';
        if (res->accepted) {
            append(buf, &used, l == MAMORI_LANG_JA
                ? "強いパスワードです。他のサービスで使い回さないでください。"
                : "Strong password. Do not reuse it on any other service.");
            continue;
        }
        append(buf, &used, l == MAMORI_LANG_JA ? "このパスワードは使えません。"
                                               : "Rejected. ");
        for (size_t i = 0; i < res->nreasons && i < FEEDBACK_REASONS; i++) {
            append(buf, &used, texts[res->reasons[i]][l]);
            if (l == MAMORI_LANG_EN)
                append(buf, &used, " ");
        }
        append(buf, &used, c->tip[l]);
    }
}

void mr_pw_feedback_tips(mamori_password_checker *c)
{
    snprintf(c->tip[MAMORI_LANG_JA], sizeof(c->tip[0]),
             "%u文字以上で推測されにくいもの（無関係な単語を4つ以上"
             "つなげるなど）にし、パスワード管理ソフトを使ってください。",
             c->policy.min_length);
    snprintf(c->tip[MAMORI_LANG_EN], sizeof(c->tip[0]),
             "Use %u or more characters that are hard to guess (for "
             "example four or more unrelated words) and a password "
             "manager.", c->policy.min_length);
}
