/*
 * detect_sqli_forms.c — SQL injection written in one database's own
 * dialect, found by its marks rather than by detect_sqli.c's grammar of
 * a string or number broken out of: PostgreSQL's casts of a result
 * (the lever of its error-based injections), MongoDB's query operators
 * where a value should be, and a data-changing statement given whole and
 * closed by a comment.
 */
#include "common.h"

#include "logscan/detect_rules.h"

/* PostgreSQL's cast of an expression's result, the lever of its
 * error-based injections: "encode(lo_get(16400),'base64')::int",
 * "'1'::int", "function(foo)::text" (after ')' or a quote: "std::string"
 * and "Foo::Text" are other languages' scopes). */
static long pg_cast(const char *s, size_t n)
{
    static const char *const types[] = {
        "int", "integer", "int4", "int8", "bigint", "smallint", "numeric", "text",
        "varchar", "bytea", "double precision", "float", "bool", "boolean", "regclass",
    };
    for (const char *p = memchr(s, ':', n); p && p + 2 < s + n;
         p = memchr(p + 1, ':', n - (size_t)(p + 1 - s))) {
        size_t i = (size_t)(p - s);
        if (s[i + 1] != ':' || i == 0 || (s[i - 1] != ')' && s[i - 1] != '\''))
            continue;
        for (size_t k = 0; k < MR_ARRAY_LEN(types); k++) {
            size_t len = strlen(types[k]), e = i + 2 + len;
            if (e <= n && memcmp(s + i + 2, types[k], len) == 0 &&
                (e == n || !(mr_is_alnum((unsigned char)s[e]) || s[e] == '_')))
                return (long)i;
        }
    }
    return -1;
}

/* Does the key right before s[i] (a '[' or '"') name an account or a
 * secret: "user[$ne]", "u_id[$ne]", '"password": {"$gt"'? */
static bool credential_key(const char *s, size_t i)
{
    static const char *const keys[] = {"user", "login", "mail", "pass", "pwd", "token",
                                       "secret", "auth", "_id", "admin"};
    size_t e = i, a;
    while (e > 0 && (s[e - 1] == '"' || s[e - 1] == ':' || s[e - 1] == ' ' || s[e - 1] == '{' ||
                     s[e - 1] == ']' || s[e - 1] == '['))
        e--;
    a = e;
    while (a > 0 && e - a < 32 && (mr_is_alnum((unsigned char)s[a - 1]) || s[a - 1] == '_'))
        a--;
    for (size_t k = 0; k < MR_ARRAY_LEN(keys); k++)
        if (memmem(s + a, e - a, keys[k], strlen(keys[k])))
            return true;
    return false;
}

/* A MongoDB query operator where a value should be: "u_id[$ne]=2"
 * (PHP and Express turn the brackets into an object), '{"$where": ...}'.
 * The operators that run code count anywhere; the comparisons are the
 * query language of Feathers and Strapi ("age[$gt]=18",
 * "filters[title][$eq]=x"), so they count on an account's or a
 * secret's key only, where they bypass a login. */
/* After an operator's ':' at s[i]: a quote, past blanks and a '"'
 * closing the key. */
static bool quote_follows(const char *s, size_t n, size_t i)
{
    if (i < n && s[i] == ':')
        i++;
    while (i < n && s[i] == ' ')
        i++;
    return i < n && (s[i] == '\'' || s[i] == '"');
}

/* An operand that matches every record: "", '', null, a small number,
 * a boolean, a list of those. s[i] is at or before the ':'. */
static bool trivial_operand(const char *s, size_t n, size_t i)
{
    while (i < n && (s[i] == ':' || s[i] == ' ' || s[i] == '"'))
        i++;
    if (i < n && s[i] == '[')
        i++;
    static const char *const operands[] = {"\"\"", "''", "null", "true", "false", "0", "1", "-1",
                                           "\"\"]", "'']"};
    for (size_t k = 0; k < MR_ARRAY_LEN(operands); k++) {
        size_t len = strlen(operands[k]);
        if (n - i >= len && memcmp(s + i, operands[k], len) == 0) {
            size_t j = i + len;
            while (j < n && (s[j] == ' ' || s[j] == ']' || s[j] == '"'))
                j++;
            return j < n && s[j] == '}';
        }
    }
    return false;
}

static long nosql_operator(const char *s, size_t n)
{
    static const char *const code_ops[] = {"where", "function", "accumulator", "expr"};
    static const char *const compare_ops[] = {"ne", "gt", "gte", "lt", "lte", "nin", "regex",
                                              "exists", "in", "eq", "not"};
    static const char *const bypass_ops[] = {"ne", "gt", "gte", "lt", "lte", "nin", "exists"};
    size_t first = 0;   /* where the value's first key would start */
    while (first < n && s[first] == ' ')
        first++;
    bool object = first < n && s[first] == '{';
    for (first += object; first < n && (s[first] == ' ' || s[first] == '"'); first++)
        ;
    for (const char *p = memchr(s, '$', n); p; p = memchr(p + 1, '$', n - (size_t)(p + 1 - s))) {
        size_t i = (size_t)(p - s), e = i + 1;
        /* quoted ('"$gt"'), in brackets ("[$ne]") or a bare key of
         * JavaScript's object syntax ("{$gt: ''}", "$where: '1 == 1'") */
        char before = i > 0 ? s[i - 1] : ' ';
        bool bare = before == ' ' || before == '{' || before == ',';
        if (before != '[' && before != '"' && !bare)
            continue;
        while (e < n && mr_is_alpha((unsigned char)s[e]))
            e++;
        size_t close = e;
        while (bare && close < n && s[close] == ' ')
            close++;
        if (close >= n || s[close] != (before == '[' ? ']' : before == '"' ? '"' : ':'))
            continue;
        /* a comparison with nothing as the whole value's first key:
         * "{$ne: 1}", '{"$gt": ""}', "{$ne: null}" where the application
         * expected a string ('{"$in":[1,2]}' and '{"$regex":"^jo"}' are
         * filters) */
        bool whole = object && i == first && trivial_operand(s, n, close + 1);
        /* code: "$where: 'sleep(1)'", '"$where": "..."' ("$where: clause"
         * is prose) */
        bool code = mr_word_in_list(s + i + 1, e - i - 1, code_ops, MR_ARRAY_LEN(code_ops)) &&
                    (before != ' ' || quote_follows(s, n, close + 1));
        if (code ||
            (mr_word_in_list(s + i + 1, e - i - 1, bypass_ops, MR_ARRAY_LEN(bypass_ops)) &&
             whole) ||
            (mr_word_in_list(s + i + 1, e - i - 1, compare_ops, MR_ARRAY_LEN(compare_ops)) &&
             i > 0 && credential_key(s, i - 1)))
            return i > 0 ? (long)i - 1 : 0;
        if (p + 1 >= s + n)
            break;
    }
    return -1;
}

/* A statement that changes data as the whole value, closed by ';' and
 * a comment: "DELETE FROM users;--", "drop sampletable;#". */
static bool statement_commented(const char *s, size_t n)
{
    static const char *const verbs[] = {"delete ", "drop ", "truncate ", "insert ",
                                        "update ", "alter ", "create ", "exec "};
    size_t i = 0;
    while (i < n && s[i] == ' ')
        i++;
    bool verb = false;
    for (size_t k = 0; k < MR_ARRAY_LEN(verbs) && !verb; k++)
        verb = n - i > strlen(verbs[k]) && memcmp(s + i, verbs[k], strlen(verbs[k])) == 0;
    if (!verb)
        return false;
    size_t e = n;
    while (e > i && (s[e - 1] == ' ' || s[e - 1] == '-' || s[e - 1] == '#'))
        e--;
    return e < n && e > i && s[e - 1] == ';' && (s[e] == '#' || (e + 1 < n && s[e] == '-' &&
                                                                 s[e + 1] == '-'));
}

const char *mr_sqli_dialect_rule(const char *s, size_t n, size_t *off)
{
    long at;
    if ((at = memchr(s, ':', n) ? pg_cast(s, n) : -1) >= 0) {
        *off = (size_t)at;
        return "postgres-cast";
    }
    if ((at = memchr(s, '$', n) ? nosql_operator(s, n) : -1) >= 0) {
        *off = (size_t)at;
        return "nosql-operator";
    }
    if (statement_commented(s, n)) {
        *off = 0;
        return "stacked-query";
    }
    return NULL;
}
