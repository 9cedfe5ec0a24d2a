/*
 * detect_sqli_exprs.c — SQL injections made of expressions rather than
 * statements, for detect_sqli.c's rules: a quote closed and reopened
 * around operators (MySQL's implicit conversions, PHPIDS's "aa'|1+1=
 * (2)Or(1)='1"), a comparison of literal expressions after AND/OR
 * ("hope and cos(3)=sin(4)", "-9-(2) or 1 = 1"), and a number followed
 * by arithmetic on SQL's string functions, the blind extraction of a
 * value one character at a time ("234 + (1 / ascii(substring(passwd,
 * 1,1))-4)"). Prose has apostrophes and "and", never these tokens in
 * this order. Every walk is bounded by the token stream
 * (MR_SQLI_TOKENS_MAX) and the nesting by MR_SQLI_EXPR_DEPTH_MAX.
 */
#include "common.h"

#include "logscan/detect_rules.h"
#include "logscan/detect_sqli_tokens.h"

#define MR_SQLI_EXPR_DEPTH_MAX 6   /* parentheses and calls followed */
#define MR_SQLI_SHORT_MAX 4        /* non-blank bytes of a string that only frames */

/* Functions that take a value apart or compute a number, which blind
 * extraction and arithmetic probes call; prose math ("sqrt") is none. */
static const char *const extract_functions[] = {
    "ascii", "ord", "substring", "substr", "mid", "left", "right", "length", "char_length",
    "hex", "unhex", "conv", "char", "chr", "pi", "cos", "sin", "floor", "ceil", "md5",
    "lower", "upper", "ifnull", "isnull", "nullif", "coalesce", "if", "iif", "instr",
};

static size_t non_blank(const rules_ctx *c, size_t i)
{
    const tok *t = &c->ts->t[i];
    size_t k = 0;
    for (size_t b = 0; b < t->len; b++)
        k += c->s[t->off + b] != ' ';
    return k;
}

static bool is_operator(const rules_ctx *c, size_t i)
{
    static const char *const sounds[] = {"sounds"};
    tok_type t = ty(c, i);
    return t == TK_OP || t == TK_CMP || t == TK_LOGIC ||
           (tok_text_is(c, i, sounds, 1) && ty(c, i + 1) == TK_CMP &&
            c->ts->t[i + 1].kw == KW_LIKE);   /* SOUNDS LIKE */
}

bool mr_sqli_operator_soup(const rules_ctx *c, size_t j)
{
    if (c->ts->n < 3 || j != 1 || !is_operator(c, j) || non_blank(c, 0) > MR_SQLI_SHORT_MAX)
        return false;
    size_t last = c->ts->n - 1, words = 0;
    const tok *end = &c->ts->t[last];
    char q = c->s[c->ts->t[0].len];   /* the quote that closed t[0] */
    /* a phrase search starts with '"': "not for sale", "*" */
    if (q == '"' && non_blank(c, 0) == 0)
        return false;
    /* reopened by the same quote, for the query's own to close */
    bool open_end = end->type == TK_STR && end->off + end->len == c->n && end->off > 0 &&
                    c->s[end->off - 1] == q && non_blank(c, last) <= 2;
    if (!open_end && end->type != TK_COMMENT)
        return false;
    /* a range of measures: "5' - 6'", "24\" - 27\"", "4' - 6' ft" */
    const tok *before = &c->ts->t[last - 1];
    if (open_end && before->type == TK_NUM &&
        before->off + before->len + 1 == end->off && c->ts->t[0].len > 0 &&
        mr_is_digit((unsigned char)c->s[c->ts->t[0].len - 1]))
        return false;
    for (size_t k = j; k < last; k++) {
        switch (ty(c, k)) {
        case TK_OP: case TK_CMP: case TK_LOGIC: case TK_NUM: case TK_VAR: case TK_FUNC:
        case TK_LPAREN: case TK_RPAREN: case TK_COMMA: case TK_STR:
            break;
        case TK_KW:
            if (!is_kw(c, k, KW_NULL) && !is_kw(c, k, KW_TRUE) && !is_kw(c, k, KW_FALSE) &&
                !is_kw(c, k, KW_HAVING))
                return false;
            break;
        case TK_WORD:   /* a column or two, compared: "id= 1", "column&&'1" */
            if (is_operator(c, k))
                break;   /* SOUNDS */
            if (++words > 2 || !is_operator(c, k + 1))
                return false;
            break;
        default:
            return false;
        }
    }
    return true;
}

static size_t literal_expr(const rules_ctx *c, size_t i, unsigned depth, bool in_call,
                           bool *called);

/* One term at t[i]: signs, then a number, a boolean literal, a call of
 * an extract_functions one or a group. Returns the index after it, 0
 * when there is none. Inside a call a column's name or a string is a
 * term too ("substring(passwd,1,1)"). */
static size_t literal_term(const rules_ctx *c, size_t i, unsigned depth, bool in_call,
                           bool *called)
{
    while (is_op(c, i, '-') || is_op(c, i, '+') || is_op(c, i, '~') ||
           (ty(c, i) == TK_LOGIC && c->s[c->ts->t[i].off] == '!'))
        i++;
    tok_type t = ty(c, i);
    if (t == TK_NUM || is_kw(c, i, KW_TRUE) || is_kw(c, i, KW_FALSE) || is_kw(c, i, KW_NULL) ||
        (in_call && (t == TK_WORD || t == TK_STR)))
        return i + 1;
    if (depth >= MR_SQLI_EXPR_DEPTH_MAX)
        return 0;
    if (t == TK_FUNC && ty(c, i + 1) == TK_LPAREN) {
        if (!tok_text_is(c, i, extract_functions, MR_ARRAY_LEN(extract_functions)))
            return 0;
        *called = true;
        size_t k = i + 2;
        if (ty(c, k) == TK_RPAREN)
            return k + 1;   /* pi() */
        bool computes = false;   /* a number or a call among the arguments */
        for (;;) {
            size_t e = literal_expr(c, k, depth + 1, true, called);
            if (!e)
                return 0;
            for (size_t a = k; a < e && !computes; a++)
                computes = ty(c, a) == TK_NUM || ty(c, a) == TK_FUNC;
            if (ty(c, e) == TK_RPAREN)   /* "left (black)" names a colour */
                return computes ? e + 1 : 0;
            if (ty(c, e) != TK_COMMA)
                return 0;
            k = e + 1;
        }
    }
    if (t == TK_LPAREN) {
        size_t e = literal_expr(c, i + 1, depth + 1, in_call, called);
        return e && ty(c, e) == TK_RPAREN ? e + 1 : 0;
    }
    return 0;
}

/* Terms joined by arithmetic: "1+2", "(-8)", "cos(pi())*2". */
static size_t literal_expr(const rules_ctx *c, size_t i, unsigned depth, bool in_call,
                           bool *called)
{
    size_t e = literal_term(c, i, depth, in_call, called);
    while (e && ty(c, e) == TK_OP && !is_op(c, e, '~')) {
        size_t next = literal_term(c, e + 1, depth, in_call, called);
        if (!next)
            break;
        e = next;
    }
    return e;
}

bool mr_sqli_literal_comparison(const rules_ctx *c, size_t i, size_t *end)
{
    bool called = false;
    size_t groups = 0;
    while (ty(c, i) == TK_LPAREN && groups < MR_SQLI_EXPR_DEPTH_MAX) {
        i++;
        groups++;
    }
    size_t a = literal_expr(c, i, 0, false, &called);
    if (!a || ty(c, a) != TK_CMP || c->ts->t[a].kw == KW_IN || c->ts->t[a].kw == KW_BETWEEN)
        return false;
    size_t b = literal_expr(c, a + 1, 0, false, &called);
    /* plain numbers compared otherwise than by '=' are arithmetic prose
     * ("1 < 2 and 3 > 2", "x and 1<=2"); a function's result compared is
     * blind extraction ("ascii(x)>64") */
    if (!called && !(c->ts->t[a].len == 1 && c->s[c->ts->t[a].off] == '='))
        return false;
    while (b && groups > 0 && ty(c, b) == TK_RPAREN) {
        b++;
        groups--;
    }
    if (!b || groups > 0)
        return false;
    *end = b;
    return true;
}

bool mr_sqli_number_arithmetic(const rules_ctx *c, size_t j)
{
    bool called = false;
    if (!(is_op(c, j, '+') || is_op(c, j, '-') || is_op(c, j, '*') || is_op(c, j, '/')))
        return false;
    size_t e = literal_expr(c, j + 1, 0, false, &called);
    return e && called && (at_end(c, e) || ty(c, e) == TK_COMMENT);
}
