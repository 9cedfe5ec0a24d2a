/*
 * ini.c — the line reader under libinih for mamori.conf and the backup
 * declaration (ini.h): one line at a time out of a buffer, counted, and
 * looked at before libinih sees it, so that what libinih would drop or
 * split becomes an error of its line instead.
 */
#include "common.h"

#include <ini.h>

#include "io/ini.h"

static void ini_error(mr_ini *ini, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void ini_error(mr_ini *ini, const char *fmt, ...)
{
    char msg[MR_INI_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    ini->hooks->error(ini->user, ini->lineno, msg);
}

const char *mr_ini_word(const char **p, const char *end, size_t *n)
{
    const char *s = *p;
    while (s < end && mr_ini_blank(*s))
        s++;
    const char *w = s;
    while (s < end && !mr_ini_blank(*s))
        s++;
    *n = (size_t)(s - w);
    while (s < end && mr_ini_blank(*s))
        s++;
    *p = s;
    return w;
}

/* "[...]": the section hook gets what the brackets hold. */
static void section_line(mr_ini *ini, const char *s, size_t n)
{
    ini->have_key = 0;
    const char *end = memchr(s, ']', n);
    if (!end) {
        ini_error(ini, "a section header without its closing ']'");
        ini->hooks->section(ini->user, NULL, 0);
        return;
    }
    ini->hooks->section(ini->user, s + 1, (size_t)(end - s - 1));
}

/* Looks at a line before libinih does: headers, and what it would drop.
 * Returns 1 for a continuation line. */
static int check_line(mr_ini *ini, const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && mr_ini_blank(s[i]))
        i++;
    if (i == n || s[i] == ';' || s[i] == '#')
        return 0;
    if (i > 0 && ini->have_key)
        return 1;               /* a continuation of the last key */
    if (s[i] == '[') {
        section_line(ini, s + i, n - i);
        return 0;
    }
    if (!memchr(s + i, '=', n - i) && !memchr(s + i, ':', n - i)) {
        ini_error(ini, "not a 'key = value' line");
        return 0;
    }
    ini->have_key = 1;
    return 0;
}

/* libinih's reader: the next line into str (num bytes), or NULL at the
 * end. A line it could not hold whole, or holding a NUL byte, is an
 * error of its line and reaches libinih as a blank one. */
static char *reader(char *str, int num, void *stream)
{
    mr_ini *ini = stream;
    if (ini->pos >= ini->len || num < 2)
        return NULL;
    const char *s = ini->data + ini->pos;
    size_t left = ini->len - ini->pos;
    const char *nl = memchr(s, '\n', left);
    size_t n = nl ? (size_t)(nl - s) : left;
    ini->pos += n + (nl ? 1 : 0);
    ini->lineno++;
    ini->cont = 0;
    if (n > (size_t)num - 2) {
        ini_error(ini, "line longer than %d bytes (continue a long value on "
                  "indented lines)", num - 2);
        str[0] = '\0';
        return str;
    }
    if (memchr(s, '\0', n)) {
        ini_error(ini, "NUL byte in the line");
        str[0] = '\0';
        return str;
    }
    /* A UTF-8 byte order mark, which libinih skips too. */
    if (ini->lineno == 1 && n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
        ini->cont = check_line(ini, s + 3, n - 3);
    else
        ini->cont = check_line(ini, s, n);
    /* libinih keeps the comment of a continuation line: cut it here, as
     * it cuts one after a key. */
    for (size_t i = 1; ini->cont && i < n; i++)
        if (s[i] == ';' && mr_ini_blank(s[i - 1]))
            n = i;
    memcpy(str, s, n);
    str[n] = '\0';
    return str;
}

int mr_ini_parse(mr_ini *ini, const char *data, size_t len,
                 const mr_ini_hooks *hooks, void *user)
{
    memset(ini, 0, sizeof(*ini));
    ini->data = data;
    ini->len = len;
    ini->hooks = hooks;
    ini->user = user;
    return ini_parse_stream(reader, ini, hooks->handler, user);
}
