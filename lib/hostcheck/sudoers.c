/*
 * sudoers.c — the sudoers parser of `mamori host`: enough of sudoers(5)
 * to tell who may run what without a password. It reads what sudo
 * reads: lines joined where they end in a backslash, comments, the
 * include directives (#include, @include, #includedir, @includedir; a
 * relative path taken from the including file's directory; in a
 * directory every name without a '.' and not ending in '~', in order),
 * Defaults lines (for !authenticate) and user specifications
 * ("USERS HOSTS = (RUNAS) TAGS: COMMANDS"). Aliases are left as named.
 * Every line is bytes someone else wrote: copied into a bounded buffer
 * and read with a cursor; includes are bounded in depth and in count.
 */
#include "common.h"

#include <strings.h>

#include "host/sysroot.h"
#include "hostcheck/hostcheck.h"

typedef struct sudo_pass {
    mr_hc_sudoers *s;
    const char *file;
    const char *path;
} sudo_pass;

static int is_blank(char c)
{
    return c == ' ' || c == '\t';
}

static char *skip_blanks(char *p)
{
    while (is_blank(*p))
        p++;
    return p;
}

/* Drops a comment: '#' at the start, or after a blank when no digit
 * follows ("#1000" is a UID in a user list). */
static void drop_comment(char *p)
{
    for (char *q = p; *q; q++)
        if (*q == '#' && (q == p || is_blank(q[-1])) &&
            !(q[1] >= '0' && q[1] <= '9')) {
            *q = '\0';
            return;
        }
}

static void include_path(mr_hc_sudoers *s, const char *path, int dir);

/* "#include x", "@includedir x": 1 when line was a directive. */
static int directive(mr_hc_sudoers *s, const char *from, char *p)
{
    static const struct {
        const char *word;
        int dir;
    } dirs[] = {{"#includedir", 1}, {"@includedir", 1},
                {"#include", 0},    {"@include", 0}};
    for (size_t i = 0; i < MR_ARRAY_LEN(dirs); i++) {
        size_t k = strlen(dirs[i].word);
        if (strncmp(p, dirs[i].word, k) || !is_blank(p[k]))
            continue;
        char *w = skip_blanks(p + k);
        size_t n;
        if (*w == '"') {
            w++;
            n = strcspn(w, "\"");
        } else {
            n = strcspn(w, " \t");
        }
        w[n] = '\0';
        if (!*w)
            return 1;
        char path[MR_HC_FILE_MAX];
        if (w[0] == '/') {
            snprintf(path, sizeof(path), "%s", w);
        } else {
            /* relative to the including file's directory */
            const char *slash = strrchr(from, '/');
            int dn = slash ? (int)(slash - from) : 0;
            if (snprintf(path, sizeof(path), "%.*s/%s", dn, from, w) >=
                (int)sizeof(path))
                return 1;
        }
        include_path(s, path, dirs[i].dir);
        return 1;
    }
    return 0;
}

/* The value of the tag list and commands after '=' of a specification:
 * NOPASSWD anywhere, and a command that is ALL. */
static void commands(char *p, mr_hc_sudo_spec *spec)
{
    while (*p) {
        p = skip_blanks(p);
        if (*p == '(') {              /* (runas) */
            char *e = strchr(p, ')');
            if (!e)
                return;
            p = e + 1;
            continue;
        }
        /* TAG: (upper-case letters and '_' before a ':') */
        size_t k = strspn(p, "ABCDEFGHIJKLMNOPQRSTUVWXYZ_");
        if (k > 0 && p[k] == ':') {
            if (k == 8 && !strncmp(p, "NOPASSWD", 8))
                spec->nopasswd = 1;
            p += k + 1;
            continue;
        }
        /* an option: ROLE=x, CWD=x, TIMEOUT=x ... */
        if (k > 0 && p[k] == '=') {
            p += k + 1 + strcspn(p + k + 1, " \t");
            continue;
        }
        /* a command, up to ',' or ':' (another host's list) */
        size_t n = strcspn(p, ",:");
        size_t t = n;
        while (t > 0 && is_blank(p[t - 1]))
            t--;
        if (t == 3 && !strncmp(p, "ALL", 3))
            spec->all_commands = 1;
        p += n;
        if (*p == ':') {
            /* "host2 = cmd": skip to after the next '=' */
            char *e = strchr(p, '=');
            if (!e)
                return;
            p = e + 1;
        } else if (*p == ',') {
            p++;
        }
    }
}

static void statement(mr_hc_sudoers *s, const char *file, const char *path,
                      uint64_t lineno, char *p)
{
    mr_hc_sudo_spec spec;
    p = skip_blanks(p);
    if ((*p == '#' || *p == '@') && directive(s, path, p))
        return;
    drop_comment(p);
    p = skip_blanks(p);
    if (!*p)
        return;
    memset(&spec, 0, sizeof(spec));
    spec.file = file;
    spec.line = lineno;
    if (!strncmp(p, "Defaults", 8) && (is_blank(p[8]) || p[8] == ':' ||
                                        p[8] == '@' || p[8] == '>' ||
                                        p[8] == '!')) {
        char *q = p + 8;
        spec.users = "ALL";
        if (*q == ':' || *q == '@' || *q == '>' || *q == '!') {
            char *b = ++q;
            q += strcspn(q, " \t");
            if (*q)
                *q++ = '\0';
            spec.users = b;
        }
        /* parameters: comma-separated; "!authenticate" turns off asking */
        while (*q) {
            q = skip_blanks(q);
            size_t n = strcspn(q, ",");
            size_t t = n;
            while (t > 0 && is_blank(q[t - 1]))
                t--;
            if (t == 13 && !strncmp(q, "!authenticate", 13))
                spec.noauth = 1;
            q += n + (q[n] == ',');
        }
        if (spec.noauth && s->fn)
            s->fn(s->user, &spec);
        return;
    }
    static const char *const aliases[] = {"User_Alias", "Runas_Alias",
                                          "Host_Alias", "Cmnd_Alias",
                                          "Cmd_Alias"};
    for (size_t i = 0; i < MR_ARRAY_LEN(aliases); i++) {
        size_t k = strlen(aliases[i]);
        if (!strncmp(p, aliases[i], k) && is_blank(p[k]))
            return;
    }
    char *eq = strchr(p, '=');
    if (!eq)
        return;
    *eq = '\0';
    /* users and hosts: commas may have blanks around them */
    char users[MR_HC_SUDO_LINE_MAX];
    size_t u = 0;
    for (char *q = p; *q && u < sizeof(users) - 1; q++) {
        if (is_blank(*q)) {
            char *r = skip_blanks(q);
            if (*r == ',' || (u > 0 && users[u - 1] == ','))
                continue;
            if (!*r)
                break;
        }
        users[u++] = is_blank(*q) ? ' ' : *q;
    }
    users[u] = '\0';
    char *sp = strchr(users, ' ');
    if (!sp)
        return;                   /* no host list: not a specification */
    *sp = '\0';
    spec.users = users;
    commands(eq + 1, &spec);
    if ((spec.nopasswd || spec.all_commands) && s->fn)
        s->fn(s->user, &spec);
}

void mr_hc_sudoers_line(mr_hc_sudoers *s, const char *file, uint64_t lineno,
                        const char *line, size_t len)
{
    mr_hc_sudoers_line_at(s, file, file, lineno, line, len);
}

void mr_hc_sudoers_line_at(mr_hc_sudoers *s, const char *file,
                           const char *path, uint64_t lineno,
                           const char *line, size_t len)
{
    size_t n = len;
    const char *nul = memchr(line, '\0', len);
    if (nul)
        n = (size_t)(nul - line);
    while (n > 0 && (line[n - 1] == '\r' || line[n - 1] == '\n'))
        n--;
    int more = n > 0 && line[n - 1] == '\\';
    if (more)
        n--;
    if (s->npending == 0)
        s->pending_line = lineno;
    size_t room = sizeof(s->pending) - 1 - s->npending;
    size_t take = MR_MIN(n, room);
    memcpy(s->pending + s->npending, line, take);
    s->npending += take;
    if (more && s->npending < sizeof(s->pending) - 1) {
        s->pending[s->npending++] = ' ';
        return;
    }
    char buf[MR_HC_SUDO_LINE_MAX];
    memcpy(buf, s->pending, s->npending);
    buf[s->npending] = '\0';
    uint64_t at = s->pending_line;
    s->npending = 0;
    statement(s, file, path, at, buf);
}

void mr_hc_sudoers_end(mr_hc_sudoers *s, const char *file)
{
    if (s->npending)
        mr_hc_sudoers_line(s, file, s->pending_line, "", 0);
}

void mr_hc_sudoers_buffer(mr_hc_sudoers *s, const char *file,
                          const char *data, size_t len)
{
    uint64_t lineno = 0;
    size_t i = 0;
    while (i < len) {
        const char *nl = memchr(data + i, '\n', len - i);
        size_t n = nl ? (size_t)(nl - (data + i)) : len - i;
        mr_hc_sudoers_line(s, file, ++lineno, data + i, n);
        i += n + 1;
    }
    mr_hc_sudoers_end(s, file);
}

static int pass_line(void *user, char *line, size_t len, uint64_t lineno)
{
    sudo_pass *p = user;
    mr_hc_sudoers_line_at(p->s, p->file, p->path, lineno, line, len);
    return 0;
}

void mr_hc_sudoers_file(mr_hc_sudoers *s, const char *path)
{
    char file[MR_HC_FILE_MAX];
    if (!s->sr || mamori_sysroot_display(s->sr, path, file, sizeof(file)))
        return;
    if (s->depth >= MR_HC_SUDO_DEPTH || s->files >= MR_HC_SUDO_FILES) {
        mamori_diagf(s->ctx, MAMORI_DIAG_WARN, file, 0,
                     "sudoers includes nested more than %d deep or more "
                     "than %d files; not read", MR_HC_SUDO_DEPTH,
                     MR_HC_SUDO_FILES);
        return;
    }
    s->files++;
    s->depth++;
    sudo_pass p = {s, file, path};
    /* includes are statements: no line of the includer is pending */
    s->npending = 0;
    mamori_err e = mr_sysroot_lines(s->sr, path, MR_HC_CONFIG_MAX, pass_line,
                                    &p);
    if (!e)
        mr_hc_sudoers_end(s, file);
    s->npending = 0;
    s->depth--;
    if (e && !(e == MAMORI_E_IO && errno == ENOENT))
        mamori_diagf(s->ctx, MAMORI_DIAG_WARN, file, 0, "cannot read: %s",
                     e == MAMORI_E_IO ? strerror(errno) : mamori_strerror(e));
}

static void include_path(mr_hc_sudoers *s, const char *path, int dir)
{
    if (!s->sr)
        return;
    if (!dir) {
        mr_hc_sudoers_file(s, path);
        return;
    }
    mr_sysroot_names names;
    memset(&names, 0, sizeof(names));
    if (mr_sysroot_list(s->sr, path, NULL, &names) == MAMORI_OK)
        for (size_t i = 0; i < names.n; i++) {
            const char *nm = names.names[i];
            size_t k = strlen(nm);
            char full[MR_HC_FILE_MAX];
            /* sudo skips names with a '.' and editor backups */
            if (strchr(nm, '.') || (k && nm[k - 1] == '~'))
                continue;
            if (snprintf(full, sizeof(full), "%s/%s", path, nm) <
                (int)sizeof(full))
                mr_hc_sudoers_file(s, full);
        }
    mr_sysroot_names_free(&names);
}
