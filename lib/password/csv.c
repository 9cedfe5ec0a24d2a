/*
 * csv.c — reads password managers' CSV exports (RFC 4180: quoted fields
 * with "" for a quote, CRLF or LF, a UTF-8 BOM) and picks the site, user
 * and password columns by the header each manager writes:
 *   Chrome/Edge  name,url,username,password[,note]
 *   Firefox      url,username,password,httpRealm,formActionOrigin,...
 *   Bitwarden    folder,favorite,type,name,notes,fields,...,login_uri,
 *                login_username,login_password,login_totp
 *   KeePassXC    Group,Title,Username,Password,URL,Notes,...
 *   1Password    Title,Url,Username,Password,OTPAuth,...
 * The parser walks the buffer with a cursor; each field is copied into a
 * bounded buffer (MAMORI_PWCSV_FIELD_MAX; the rest is dropped) which is
 * wiped after every record, since one of them holds a password.
 */
#include "common.h"

#include "mamori/password.h"

#define CSV_FIELDS_MAX 64

typedef struct csv_field {
    char buf[MAMORI_PWCSV_FIELD_MAX];
    size_t len;
} csv_field;

typedef struct csv_cursor {
    const char *p;
    size_t n, pos;
    uint64_t line;
} csv_cursor;

const char *mamori_pwcsv_format_name(mamori_pwcsv_format f)
{
    static const char *const names[] = {"unknown", "chrome", "firefox",
                                        "bitwarden", "keepassxc",
                                        "1password"};
    return (unsigned)f < MR_ARRAY_LEN(names) ? names[f] : "unknown";
}

static void put(csv_field *f, char c)
{
    if (f->len < sizeof(f->buf) - 1)
        f->buf[f->len++] = c;
}

/* Reads one record into fields; returns the count, 0 at the end. */
static size_t read_record(csv_cursor *c, csv_field *fields, size_t *dropped)
{
    size_t nf = 0;
    if (c->pos >= c->n)
        return 0;
    *dropped = 0;
    for (;;) {
        csv_field scratch;
        csv_field *f = nf < CSV_FIELDS_MAX ? &fields[nf] : &scratch;
        f->len = 0;
        if (nf >= CSV_FIELDS_MAX)
            (*dropped)++;
        nf++;
        if (c->pos < c->n && c->p[c->pos] == '"') {
            c->pos++;
            while (c->pos < c->n) {
                char ch = c->p[c->pos++];
                if (ch == '"') {
                    if (c->pos < c->n && c->p[c->pos] == '"') {
                        put(f, '"');
                        c->pos++;
                        continue;
                    }
                    break;
                }
                if (ch == '\n')
                    c->line++;
                put(f, ch);
            }
        }
        /* Unquoted text, or whatever follows a closing quote. */
        while (c->pos < c->n && c->p[c->pos] != ',' &&
               c->p[c->pos] != '\n') {
            if (c->p[c->pos] != '\r')
                put(f, c->p[c->pos]);
            c->pos++;
        }
        if (f == &scratch)
            explicit_bzero(&scratch, sizeof(scratch));
        if (c->pos < c->n && c->p[c->pos] == ',') {
            c->pos++;
            continue;
        }
        if (c->pos < c->n) {       /* '\n' */
            c->pos++;
            c->line++;
        }
        return MR_MIN(nf, (size_t)CSV_FIELDS_MAX);
    }
}

static int header_is(const csv_field *f, const char *name)
{
    size_t n = strlen(name), len = f->len;
    const char *s = f->buf;
    while (len > 0 && (*s == ' ' || *s == '\t')) {
        s++;
        len--;
    }
    while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    if (len != n)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char a = s[i];
        if (a >= 'A' && a <= 'Z')
            a = (char)(a - 'A' + 'a');
        if (a != name[i])
            return 0;
    }
    return 1;
}

static int column(const csv_field *h, size_t nh, const char *name)
{
    for (size_t i = 0; i < nh; i++)
        if (header_is(&h[i], name))
            return (int)i;
    return -1;
}

typedef struct csv_layout {
    mamori_pwcsv_format format;
    int site, site2, user, password;
} csv_layout;

static csv_layout detect(const csv_field *h, size_t nh)
{
    csv_layout l = {MAMORI_PWCSV_UNKNOWN, -1, -1, -1, -1};
    int title = column(h, nh, "title"), url = column(h, nh, "url");
    if ((l.password = column(h, nh, "login_password")) >= 0) {
        l.format = MAMORI_PWCSV_BITWARDEN;
        l.site = column(h, nh, "name");
        l.site2 = column(h, nh, "login_uri");
        l.user = column(h, nh, "login_username");
    } else if ((l.password = column(h, nh, "password")) < 0) {
        return l;
    } else if (title >= 0 && column(h, nh, "group") >= 0) {
        l.format = MAMORI_PWCSV_KEEPASSXC;
        l.site = title;
        l.site2 = url;
    } else if (title >= 0) {
        l.format = MAMORI_PWCSV_1PASSWORD;
        l.site = title;
        l.site2 = url;
    } else if (column(h, nh, "httprealm") >= 0 ||
               (column(h, nh, "name") < 0 && url >= 0)) {
        l.format = MAMORI_PWCSV_FIREFOX;
        l.site = url;
    } else if (column(h, nh, "name") >= 0 && url >= 0) {
        l.format = MAMORI_PWCSV_CHROME;
        l.site = column(h, nh, "name");
        l.site2 = url;
    } else {
        l.password = -1;
        return l;
    }
    if (l.user < 0)
        l.user = column(h, nh, "username");
    return l;
}

static const csv_field *field_at(const csv_field *f, size_t nf, int i)
{
    return i >= 0 && (size_t)i < nf ? &f[i] : NULL;
}

static void wipe_fields(csv_field *f, size_t nf)
{
    for (size_t i = 0; i < nf; i++) {
        explicit_bzero(f[i].buf, f[i].len);
        f[i].len = 0;
    }
}

mamori_err mamori_pwcsv_parse(const char *data, size_t len,
                              mamori_pwcsv_format *fmt, mamori_pwcsv_fn fn,
                              void *user)
{
    static const char bom[] = "\xef\xbb\xbf";
    csv_field *fields = NULL, *header = NULL;
    mamori_err err = MAMORI_OK;
    size_t nh, nf, dropped, rows = 0;

    if (fmt)
        *fmt = MAMORI_PWCSV_UNKNOWN;
    if (len > MAMORI_PWCSV_FILE_MAX)
        return MAMORI_E_TOO_LARGE;
    csv_cursor c = {data, len, 0, 1};
    if (len >= 3 && memcmp(data, bom, 3) == 0)
        c.pos = 3;
    header = calloc(CSV_FIELDS_MAX, sizeof(*header));
    fields = calloc(CSV_FIELDS_MAX, sizeof(*fields));
    if (!header || !fields) {
        err = MAMORI_E_NOMEM;
        goto out;
    }
    nh = read_record(&c, header, &dropped);
    csv_layout l = detect(header, nh);
    if (l.format == MAMORI_PWCSV_UNKNOWN || l.password < 0) {
        err = MAMORI_E_FORMAT;
        goto out;
    }
    if (fmt)
        *fmt = l.format;
    for (;;) {
        uint64_t line = c.line;
        if ((nf = read_record(&c, fields, &dropped)) == 0)
            break;
        const csv_field *pw = field_at(fields, nf, l.password);
        const csv_field *site = field_at(fields, nf, l.site);
        if (!site || site->len == 0)
            site = field_at(fields, nf, l.site2);
        const csv_field *u = field_at(fields, nf, l.user);
        if (pw && pw->len > 0) {
            if (++rows > MAMORI_PWCSV_ROWS_MAX) {
                err = MAMORI_E_TOO_LARGE;
                break;
            }
            mamori_pwcsv_entry e = {
                line, site ? site->buf : "", site ? site->len : 0,
                u ? u->buf : "", u ? u->len : 0, pw->buf, pw->len};
            /* NUL-terminate copies for callers that want C strings. */
            for (size_t i = 0; i < nf; i++)
                fields[i].buf[fields[i].len] = '\0';
            if (fn(user, &e)) {
                err = MAMORI_E_ABORTED;
                break;
            }
        }
        wipe_fields(fields, nf);
    }
out:
    if (fields) {
        explicit_bzero(fields, CSV_FIELDS_MAX * sizeof(*fields));
        free(fields);
    }
    if (header) {
        explicit_bzero(header, CSV_FIELDS_MAX * sizeof(*header));
        free(header);
    }
    return err;
}
