/*
 * detect_sqli_tokens.c — the SQL tokenizer of the injection rules: a
 * value becomes strings, numbers, keywords, functions, words, variables,
 * operators, comparisons, parentheses, commas, semicolons and comments,
 * as MySQL, MSSQL, PostgreSQL and SQLite would read it. A closed
 * slash-star comment is whitespace, MySQL's slash-star-bang comment is
 * code, and "#" or "--" ends at a newline. At most MR_SQLI_TOKENS_MAX
 * tokens; the rest of a longer value is not read.
 */
#include "common.h"

#include "logscan/detect_rules.h"
#include "logscan/detect_sqli_tokens.h"

typedef struct keyword {
    const char *word;
    size_t len;
    kw_id id;
    tok_type type;
} keyword;

#define KW(w, id, type) {w, sizeof(w) - 1, id, type}

static const keyword keywords[] = {
    KW("select", KW_SELECT, TK_KW), KW("union", KW_UNION, TK_KW),
    KW("all", KW_ALL, TK_KW), KW("distinct", KW_DISTINCT, TK_KW),
    KW("distinctrow", KW_DISTINCT, TK_KW), KW("from", KW_FROM, TK_KW),
    KW("where", KW_WHERE, TK_KW), KW("order", KW_ORDER, TK_KW),
    KW("group", KW_GROUP, TK_KW), KW("by", KW_BY, TK_KW),
    KW("having", KW_HAVING, TK_KW), KW("limit", KW_LIMIT, TK_KW),
    KW("insert", KW_INSERT, TK_KW), KW("into", KW_INTO, TK_KW),
    KW("update", KW_UPDATE, TK_KW), KW("set", KW_SET, TK_KW),
    KW("delete", KW_DELETE, TK_KW), KW("drop", KW_DROP, TK_KW),
    KW("table", KW_TABLE, TK_KW), KW("database", KW_DATABASE, TK_KW),
    KW("exec", KW_EXEC, TK_KW), KW("execute", KW_EXEC, TK_KW),
    KW("declare", KW_DECLARE, TK_KW), KW("waitfor", KW_WAITFOR, TK_KW),
    KW("delay", KW_DELAY, TK_KW), KW("time", KW_TIME, TK_KW),
    KW("create", KW_CREATE, TK_KW), KW("alter", KW_ALTER, TK_KW),
    KW("truncate", KW_TRUNCATE, TK_KW), KW("shutdown", KW_SHUTDOWN, TK_KW),
    KW("null", KW_NULL, TK_KW), KW("true", KW_TRUE, TK_KW),
    KW("false", KW_FALSE, TK_KW), KW("case", KW_CASE, TK_KW),
    KW("exists", KW_EXISTS, TK_KW), KW("procedure", KW_PROCEDURE, TK_KW),
    KW("outfile", KW_OUTFILE, TK_KW), KW("dumpfile", KW_DUMPFILE, TK_KW),
    KW("view", KW_VIEW, TK_KW), KW("user", KW_USER, TK_KW),
    KW("join", KW_JOIN, TK_KW), KW("call", KW_CALL, TK_KW), KW("when", KW_WHEN, TK_KW),
    KW("and", KW_AND, TK_LOGIC), KW("or", KW_OR, TK_LOGIC),
    KW("xor", KW_XOR, TK_LOGIC), KW("not", KW_NOT, TK_LOGIC),
    KW("like", KW_LIKE, TK_CMP), KW("rlike", KW_LIKE, TK_CMP),
    KW("regexp", KW_LIKE, TK_CMP), KW("glob", KW_LIKE, TK_CMP), KW("is", KW_IS, TK_CMP),
    KW("in", KW_IN, TK_CMP), KW("between", KW_BETWEEN, TK_CMP),
    KW("div", KW_NONE, TK_OP), KW("mod", KW_NONE, TK_OP),
};

static bool is_space(unsigned char c)
{
    return c == ' ' || (c >= 0x09 && c <= 0x0D) || c == 0 || c == 0xA0;
}

static bool is_word_char(unsigned char c)
{
    return mr_is_alnum(c) || c == '_' || c == '$' || (c >= 0x80 && c != 0xA0);
}

/* Skips whitespace and closed comments; handles slash-star-bang. */
static size_t skip_space(const char *s, size_t n, size_t i, bool *versioned)
{
    for (;;) {
        while (i < n && is_space((unsigned char)s[i]))
            i++;
        if (i + 1 < n && s[i] == '/' && s[i + 1] == '*') {
            if (i + 2 < n && s[i + 2] == '!') {
                i += 3;
                while (i < n && mr_is_digit((unsigned char)s[i]))
                    i++;
                *versioned = true;
                continue;
            }
            long end = mr_find(s + i + 2, n - i - 2, "*/");
            if (end < 0)
                return i;   /* unclosed: a comment token */
            i += 2 + (size_t)end + 2;
            continue;
        }
        if (*versioned && i + 1 < n && s[i] == '*' && s[i + 1] == '/') {
            i += 2;
            continue;
        }
        if (i < n && (s[i] == '#' || (s[i] == '-' && i + 1 < n && s[i + 1] == '-'))) {
            /* MySQL's "#" and "-- " end at a newline: "union#x\nselect" */
            const char *nl = memchr(s + i, '\n', n - i);
            if (nl) {
                i = (size_t)(nl - s) + 1;
                continue;
            }
        }
        return i;
    }
}

static void push(tokens *ts, tok_type type, kw_id kw, size_t off, size_t len)
{
    if (ts->n < MR_SQLI_TOKENS_MAX)
        ts->t[ts->n++] = (tok){(uint8_t)type, (uint8_t)kw, (uint32_t)off, (uint32_t)len};
}

/* Reads a string body quoted by q from i (just after the opening quote);
 * returns the index after the closing quote (or n). */
static size_t read_string(const char *s, size_t n, size_t i, char q, size_t *body_end)
{
    while (i < n) {
        if (s[i] == '\\' && i + 1 < n) {
            i += 2;
            continue;
        }
        if (s[i] == q) {
            if (i + 1 < n && s[i + 1] == q) {
                i += 2;
                continue;
            }
            *body_end = i;
            return i + 1;
        }
        i++;
    }
    *body_end = n;
    return n;
}

static void classify_word(tokens *ts, const char *s, size_t n, size_t off, size_t len)
{
    if (len == 6 && memcmp(s + off, "binary", 6) == 0) {
        bool versioned = ts->versioned;
        size_t next = skip_space(s, n, off + len, &versioned);
        if (next > off + len && next < n &&
            (mr_is_digit((unsigned char)s[next]) || s[next] == '\'' || s[next] == '"'))
            return;   /* "binary 5=binary 5": a cast that changes nothing */
    }
    if (len <= MR_SQLI_WORD_MAX) {
        for (size_t k = 0; k < MR_ARRAY_LEN(keywords); k++) {
            const keyword *kw = &keywords[k];
            if (kw->len == len && kw->word[0] == s[off] && memcmp(kw->word, s + off, len) == 0) {
                if (kw->id == KW_LIKE || kw->id == KW_USER || kw->id == KW_DATABASE) {
                    bool versioned = ts->versioned;
                    size_t next = skip_space(s, n, off + len, &versioned);
                    if (next < n && s[next] == '(')
                        break;   /* like('abc', ...), user(), database(): functions */
                }
                push(ts, kw->type, kw->id, off, len);
                return;
            }
        }
    }
    bool versioned = ts->versioned;
    size_t next = skip_space(s, n, off + len, &versioned);
    push(ts, next < n && s[next] == '(' ? TK_FUNC : TK_WORD, KW_NONE, off, len);
}

/* A number glued to a keyword in s[start..end): "1.union", "3.2union",
 * "1e0union", "1e1and", "1funion" (a float's suffix), which MySQL reads
 * as the number and then the keyword. Returns where the keyword starts,
 * 0 when the word is no such pair ("1st", "2nd", "4k"). */
static size_t glued_keyword_at(const char *s, size_t start, size_t end)
{
    static const char *const glued[] = {"union", "and", "or", "xor", "from", "select", "where",
                                        "having", "order", "group", "limit", "into", "div"};
    size_t i = start;
    while (i < end && mr_is_digit((unsigned char)s[i]))
        i++;
    if (i < end && s[i] == '.')
        for (i++; i < end && mr_is_digit((unsigned char)s[i]); i++)
            ;
    if (i == start || (i == start + 1 && s[start] == '.'))
        return 0;
    if (i + 1 < end && s[i] == 'e' && mr_is_digit((unsigned char)s[i + 1]))
        for (i++; i < end && mr_is_digit((unsigned char)s[i]); i++)
            ;
    for (size_t k = 0; k < 2; k++) {   /* with and without a float's suffix */
        size_t at = i + (k == 1 && i < end && (s[i] == 'f' || s[i] == 'd'));
        if ((k == 0 || at > i) && at < end)
            for (size_t g = 0; g < MR_ARRAY_LEN(glued); g++)
                if (word_is(glued[g], s + at, end - at))
                    return at;
    }
    return 0;
}

void mr_sqli_tokenize(const char *s, size_t n, char q, tokens *ts)
{
    size_t i = 0;
    ts->n = 0;
    ts->versioned = false;
    if (q) {
        size_t body_end;
        i = read_string(s, n, 0, q, &body_end);
        push(ts, TK_STR, KW_NONE, 0, body_end);
    }
    while (ts->n < MR_SQLI_TOKENS_MAX) {
        i = skip_space(s, n, i, &ts->versioned);
        if (i >= n)
            return;
        unsigned char c = (unsigned char)s[i];
        size_t start = i;
        if (c == '\'' || c == '"') {
            size_t body_end;
            i = read_string(s, n, i + 1, (char)c, &body_end);
            push(ts, TK_STR, KW_NONE, start + 1, body_end - start - 1);
        } else if (c == '`') {
            size_t body_end;
            i = read_string(s, n, i + 1, '`', &body_end);
            push(ts, TK_WORD, KW_NONE, start + 1, body_end - start - 1);
        } else if ((c == '#' && !(i + 1 < n && (s[i + 1] == '"' || s[i + 1] == '\''))) ||
                   (c == '-' && i + 1 < n && s[i + 1] == '-' &&
                    (!(i + 2 < n && mr_is_alpha((unsigned char)s[i + 2])) ||
                     mr_find(s + i, n - i, "--sp_password") == 0)) ||
                   (c == '/' && i + 1 < n && s[i + 1] == '*')) {
            /* "--disable-x" is a command-line option in prose, not a
             * comment: payloads write "--", "-- -", "--+" */
            push(ts, TK_COMMENT, KW_NONE, start, n - start);
            return;
        } else if (c == '@') {
            i++;
            while (i < n && (s[i] == '@' || is_word_char((unsigned char)s[i]) || s[i] == '.'))
                i++;
            push(ts, TK_VAR, KW_NONE, start, i - start);
        } else if (mr_is_digit(c) || (c == '.' && i + 1 < n && mr_is_digit((unsigned char)s[i + 1]))) {
            bool word = false;
            if (c == '0' && i + 1 < n && (s[i + 1] == 'x' || s[i + 1] == 'b'))
                i += 2;
            while (i < n && (is_word_char((unsigned char)s[i]) || s[i] == '.')) {
                unsigned char d = (unsigned char)s[i];
                if (!mr_is_digit(d) && d != '.' && d != 'e' && !(d >= 'a' && d <= 'f'))
                    word = true;
                i++;
            }
            size_t glued = word ? glued_keyword_at(s, start, i) : 0;
            if (glued) {   /* "1.union", "1e0union": MySQL ends the number there */
                push(ts, TK_NUM, KW_NONE, start, glued - start);
                classify_word(ts, s, n, glued, i - glued);
            } else if (word)
                classify_word(ts, s, n, start, i - start);
            else if (!(i - start >= 3 && s[i - 1] == 'e' && s[i - 2] == '.' && i < n &&
                       (s[i] == '(' || s[i] == ')' || s[i] == ',')))
                push(ts, TK_NUM, KW_NONE, start, i - start);
            /* else "1.e(": sqlmap's scientific tamper, MySQL reads nothing */
        } else if (c == 'n' && i + 1 < n && s[i + 1] == '\'' &&
                   (i == 0 || !is_word_char((unsigned char)s[i - 1]))) {
            i++;   /* N'text': MSSQL's national string, a string */
        } else if (is_word_char(c)) {
            while (i < n && (is_word_char((unsigned char)s[i]) ||
                             (s[i] == '.' && i + 1 < n && is_word_char((unsigned char)s[i + 1])) ||
                             (s[i] == '.' && i + 2 < n && s[i + 1] == '.')))
                i++;
            classify_word(ts, s, n, start, i - start);
        } else if (c == '(') {
            push(ts, TK_LPAREN, KW_NONE, start, 1);
            i++;
        } else if (c == ')') {
            push(ts, TK_RPAREN, KW_NONE, start, 1);
            i++;
        } else if (c == ',') {
            push(ts, TK_COMMA, KW_NONE, start, 1);
            i++;
        } else if (c == ';') {
            push(ts, TK_SEMI, KW_NONE, start, 1);
            i++;
        } else {
            unsigned char d = i + 1 < n ? (unsigned char)s[i + 1] : 0;
            if ((c == '|' && d == '|') || (c == '&' && d == '&')) {
                push(ts, TK_LOGIC, KW_OR, start, 2);
                i += 2;
            } else if (c == '=' || c == '<' || c == '>' || (c == '!' && d == '=')) {
                i++;
                while (i < n && (s[i] == '=' || s[i] == '>' || s[i] == '<'))
                    i++;
                push(ts, TK_CMP, KW_NONE, start, i - start);
            } else if (c == '!') {
                push(ts, TK_LOGIC, KW_NOT, start, 1);
                i++;
            } else {
                push(ts, TK_OP, KW_NONE, start, 1);
                i++;
            }
        }
    }
}
