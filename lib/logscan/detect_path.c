/*
 * detect_path.c — the detectors that look at file names: directory
 * traversal and local file inclusion (".." segments, absolute system
 * files, PHP stream wrappers), remote file inclusion (a URL handed to an
 * include-style parameter or cut short with '?' / NUL), and requests for
 * sensitive files (dotfiles, VCS metadata, keys, config backups, dumps,
 * server-status, phpinfo).
 *
 * Inputs are normalized (lowercase, decoded); sensitive-file detection
 * takes the canonical path (".." resolved), traversal the path before
 * resolution. One "../" alone is often a harmless relative link, so it
 * counts only with a system-file target; two or more always count.
 */
#include "common.h"

#include "logscan/detect_rules.h"

static bool is_sep(char c)
{
    return c == '/' || c == '\\';
}

#define MR_TRAVERSAL_VIEW_MAX 8192   /* bytes of a value seen as a path (MR_NORM_MAX) */

/* Files and directories that only an inclusion attack asks for: with one
 * "../" before them, or as the whole value (an absolute path). */
static const char *const lfi_targets[] = {
    "etc/passwd", "etc/shadow", "etc/hosts", "etc/group", "etc/issue",
    "proc/self/", "win.ini", "boot.ini", "system32", "web-inf/",
    "etc/nginx", "etc/apache", "etc/httpd", "var/log/", ".htaccess",
    "wp-config", "/etc/", "c:/windows", ".ssh/", "/proc/", "var/www/",
    "usr/local/apache", "usr/local/etc/", "usr/local/php", "/usr/pkg/etc",
    "opt/lampp", "opt/xampp", "boot/grub", "/root/", ".bash_history",
    ".htpasswd", "httpd.conf", "php.ini", "my.cnf", "inetpub", "global.asa",
    "metabase.xml", "/windows/", "/winnt/", "apache/logs",
    "apache2/logs", "logs/access", "logs/error", "access.log", "access_log",
    "error_log", "error.log", "desktop.ini", "/var/adm",
    "/var/mail", "/var/spool", "/var/run", "/var/lib", "/private/etc", "/private/var/", "/dev/shm",
    /* a user's remote-login files and histories (not ".profile", the end
     * of "/settings/user.profile") */
    ".netrc", ".rhosts", ".shosts", "sh_history", "sql_history", ".php_history",
    "master.passwd", ".xauthority", ".pgpass", ".git-credentials",
    /* applications' own secrets ("config.php" is also FreePBX's admin page) */
    "web.config", "config.inc.php",
    /* servers' and databases' configuration, data and logs, and PHP's
     * session files */
    "apache.conf", "apache2.conf", "tomcat-users.xml", "catalina.out", "pg_hba.conf",
    "pg_ident.conf", "postgresql.conf", "pg_version", "my.ini", "mysql.err", "mysql-bin.",
    "library/webserver/", "/srv/www/", "/tmp/sess_", "pure-ftpd.log", "logs/proftpd",
    "sys/class/", "sys/kernel/", "sys/devices/",
};

/* An application's own configuration and install scripts, which count
 * right after a single "../" ("../config.php", "../_config.php%00"): as
 * a value alone they are pages ("?page=install.php", FreePBX's
 * config.php). */
static const char *const app_files[] = {
    "config.php", "config.asp", "config.js", "config.json", "config.yml", "config.inc",
    "configuration.php", "settings.php", "settings.py", "localsettings.php", "database.php",
    "database.asp", "database.js", "database.yml", "db.php", "dbconnect", "install.php",
    "users.db", "parameters.yml", "local.xml", "credentials", ".env",
};

/* Secrets of a home directory or of the root, as a whole value:
 * "~/.ssh/id_rsa", "/.pgpass"; "~/.bashrc", "~/.ssh/config" and
 * "/.well-known/" are what people search for and sites serve. */
static const char *const home_secrets[] = {
    ".ssh/id_", ".ssh/authorized_keys", ".ssh/identity", ".aws/credentials", ".gnupg/", ".netrc", ".pgpass", ".rhosts", ".shosts", "sh_history",
    "sql_history", ".php_history", ".git-credentials", ".docker/config", ".kube/config",
    ".htpasswd", ".xauthority",
};

/* The top directories of a Unix system: an absolute path under one of
 * them, two segments deep, names a file of the server, not a page
 * ("/usr/sbin/pure-config.pl", "/var/cron/log"). "/home/", "/lib/" and
 * "/dev/" start application routes too ("?next=/home/orders"). */
static const char *const unix_top_dirs[] = {
    "etc/", "usr/", "var/", "proc/", "root/", "sbin/",
};

/* What a Windows drive is followed by in an inclusion probe
 * ("c:/windows/repair/sam", "c:\\xampp\\apache\\conf"); after the drive
 * nothing else (a folder of one's own, "d:/photos") counts. */
static const char *const windows_dirs[] = {
    "windows/", "winnt/", "xampp", "wamp", "inetpub", "appserv", "apache", "mysql",
    "postgresql", "php", "boot.ini", "sysprep", "system volume information", "$recycle.bin",
    "filezilla",
};

/* Folders of every Windows machine, which count only on the way to a
 * server's files or an account's ("c:/program files/mysql/data/x.err",
 * "c:/users/administrator/ntuser.dat"; "c:\\users\\john\\desktop" and
 * "c:\\program files\\java" are what people search for). */
static const char *const windows_common_dirs[] = {
    "program files", "programfiles", "progra~1", "users/", "documents and settings",
};
static const char *const windows_server_words[] = {
    "mysql", "postgresql", "apache", "php", "tomcat", "filezilla", "xampp", "wamp",
    "sql server", "mssql", "ntuser.dat", "administrator", "all users", "inetpub", "iis",
};

/* Directory names with a blank, which a Windows path may hold where a
 * blank otherwise marks prose. */
static const char *const windows_spaced[] = {
    "program files", "documents and settings", "apache group", "mysql server",
    "sql server",
};

static const char *const lfi_wrappers[] = {
    "php://filter", "php://input", "expect://", "zip://", "phar://",
    "glob://", "file:/", "php://fd", "compress.zlib://", "data://text",
};

/* The value as a path parser sees it: '\\' as '/', the hex spellings
 * "0x2e" / "0x2f" / "0x5c" as the characters, and the blanks dotdotpwn
 * puts inside a traversal (". ./", ".. /") dropped, and NUL bytes too:
 * a decoder that drops them reads ".%00./" as "../", and one that stops
 * at them is what "%00/etc/passwd" probes (no benign value holds one). */
static size_t path_view(const char *s, size_t n, char *out)
{
    size_t w = 0;
    /* "..2fetc2fpasswd": once a "..2f" shows the '%' lost, a "2f"
     * between a name and a letter is a '/' too */
    bool lost_percent = mr_find(s, n, "..2f") >= 0;
    for (size_t i = 0; i < n && w < MR_TRAVERSAL_VIEW_MAX; i++) {
        char c = s[i];
        if (c == '0' && i + 3 < n && s[i + 1] == 'x' &&
            ((s[i + 2] == '2' && (s[i + 3] == 'e' || s[i + 3] == 'f')) ||
             (s[i + 2] == '5' && s[i + 3] == 'c'))) {
            out[w++] = s[i + 3] == 'e' ? '.' : '/';
            i += 3;
            continue;
        }
        /* "..2f..2f": the escapes of a double decoding that lost their
         * '%' */
        if (c == '2' && i + 1 < n && s[i + 1] == 'f' &&
            ((w >= 2 && out[w - 1] == '.' && out[w - 2] == '.') ||
             (lost_percent && w > 0 && mr_is_alnum((unsigned char)out[w - 1]) && i + 2 < n &&
              mr_is_alpha((unsigned char)s[i + 2])))) {
            out[w++] = '/';
            i++;
            continue;
        }
        if (c == '\0')
            continue;
        if (c == '\\')
            c = '/';
        if ((c == ' ' || c == '\t') && w > 0 && (out[w - 1] == '.' || out[w - 1] == '/')) {
            size_t j = i;
            while (j < n && (s[j] == ' ' || s[j] == '\t'))
                j++;
            if (j < n && (s[j] == '.' || s[j] == '/' || s[j] == '\\' ||
                          (s[j] == '0' && j + 1 < n && s[j + 1] == 'x'))) {
                i = j - 1;
                continue;
            }
        }
        out[w++] = c;
    }
    return w;
}

/* A Windows drive at s[0]: "c:/", "c:windows", "c:/program files". */
static bool drive_at(const char *s, size_t n)
{
    return n >= 3 && mr_is_alpha((unsigned char)s[0]) && s[1] == ':' &&
           (is_sep(s[2]) || mr_is_alpha((unsigned char)s[2]));
}

static bool starts_with_any(const char *s, size_t n, const char *const *list, size_t count)
{
    for (size_t k = 0; k < count; k++) {
        size_t len = strlen(list[k]);
        if (n >= len && memcmp(s, list[k], len) == 0)
            return true;
    }
    return false;
}

static bool holds_any(const char *s, size_t n, const char *const *list, size_t count)
{
    for (size_t k = 0; k < count; k++)
        if (mr_find(s, n, list[k]) >= 0)
            return true;
    return false;
}

/* An absolute path whose first directory is a system one, with a
 * second segment: s starts after the leading '/' ("usr/sbin/x"), or
 * after a drive's separator ("windows/repair/sam"). */
static bool system_tree(const char *s, size_t n, bool drive)
{
    if (drive && starts_with_any(s, n, windows_common_dirs, MR_ARRAY_LEN(windows_common_dirs)) &&
        holds_any(s, n, windows_server_words, MR_ARRAY_LEN(windows_server_words)))
        return true;
    /* with a drive: a system directory and something in it, or a system
     * file ("c:/boot.ini") */
    for (size_t k = 0; drive && k < MR_ARRAY_LEN(windows_dirs); k++) {
        size_t len = strlen(windows_dirs[k]);
        if (n < len || memcmp(s, windows_dirs[k], len) != 0)
            continue;
        if (memchr(windows_dirs[k], '.', len))
            return true;
        size_t rest = len - (windows_dirs[k][len - 1] == '/');
        while (rest < n && is_sep(s[rest]) && rest < len + 1)
            rest++;
        if (rest > len - (windows_dirs[k][len - 1] == '/') && rest < n &&
            (mr_is_alnum((unsigned char)s[rest]) || s[rest] == '_' || s[rest] == '.' ||
             s[rest] == '$' || s[rest] == '{'))
            return true;
    }
    /* where developers search for headers and sources */
    static const char *const source_trees[] = {"usr/include/", "usr/src/", "usr/x11"};
    if (!starts_with_any(s, n, unix_top_dirs, MR_ARRAY_LEN(unix_top_dirs)) ||
        starts_with_any(s, n, source_trees, MR_ARRAY_LEN(source_trees)))
        return false;
    const char *slash = memchr(s, '/', n);
    size_t next = slash ? (size_t)(slash - s) + 1 : n;
    return next < n && (mr_is_alnum((unsigned char)s[next]) || s[next] == '.' || s[next] == '_');
}

/* The path's last segment names a file ("httpd.conf.default"), not a
 * page ("/wiki/etc/hosts-file", "/docs/linux/var/log/messages"). */
static bool last_segment_has_dot(const char *s, size_t n)
{
    const char *slash = memrchr(s, '/', n);
    size_t from = slash ? (size_t)(slash - s) + 1 : 0;
    return memchr(s + from, '.', n - from) != NULL;
}

static bool traversal_view(const char *s, size_t n, bool is_path, mr_match *m)
{
    size_t dotdots = 0, first = 0;
    for (size_t i = 0; i + 1 < n; i++) {
        if (s[i] != '.' || s[i + 1] != '.')
            continue;
        bool before = i == 0 || is_sep(s[i - 1]) || s[i - 1] == '.';
        bool after = i + 2 >= n || is_sep(s[i + 2]) || s[i + 2] == ';';
        if (after && (before || i + 2 < n)) {
            if (dotdots++ == 0)
                first = i;
        }
    }
    m->off = first;
    if (dotdots >= 2) {
        m->rule = "dot-dot-slash";
        return true;
    }
    /* a request path that reaches into the system's files from a prefix
     * a server maps onto the disk: Vite's "/@fs/etc/passwd",
     * "/static/proc/self/environ" */
    static const char *const path_files[] = {"/etc/passwd", "/etc/shadow", "/proc/self/"};
    for (size_t k = 0; k < MR_ARRAY_LEN(path_files) && is_path; k++) {
        long at = mr_find(s, n, path_files[k]);
        size_t end = at < 0 ? 0 : (size_t)at + strlen(path_files[k]);
        if (at >= 0 && (end == n || s[end - 1] == '/' || is_sep(s[end]) || s[end] == '.')) {
            m->rule = "system-file-path";
            m->off = (size_t)at;
            return true;
        }
    }
    /* every target and wrapper below has a '/', '.' or ':' */
    if (!memchr(s, '/', n) && !memchr(s, '.', n) && !memchr(s, ':', n))
        return false;
    /* an absolute path given as the whole value: "/etc/passwd",
     * "/./././etc/shadow", "c:/inetpub/wwwroot/global.asa" */
    size_t lead = 0;
    while (lead < n && (s[lead] == ' ' || s[lead] == '/' || s[lead] == '.'))
        lead++;
    size_t end = n;
    while (end > 0 && (s[end - 1] == ' ' || s[end - 1] == '\0'))
        end--;   /* "/etc/passwd%00", " /etc/shadow " */
    size_t start = 0;
    while (start < end && s[start] == ' ')
        start++;
    /* "/c:/inetpub/...": a drive behind a leading slash */
    size_t at_drive = start + (start < end && s[start] == '/');
    bool drive = drive_at(s + at_drive, end - at_drive);
    bool absolute = !is_path &&
                    (drive || (start < end && s[start] == '/') || (lead > 0 && s[lead - 1] == '/')) &&
                    (drive || !memchr(s + start, ' ', end - start) ||   /* prose is no path */
                     holds_any(s + start, end - start, windows_spaced,
                               MR_ARRAY_LEN(windows_spaced))) &&
                    end > 0 && !strchr(".:,;", s[end - 1]);   /* nor a path ending a sentence */
    if (absolute) {
        size_t top = drive ? at_drive + 2 : lead;
        while (drive && top < end && is_sep(s[top]))
            top++;
        if (top < end && system_tree(s + top, end - top, drive)) {
            m->rule = "absolute-system-file";
            m->off = 0;
            return true;
        }
    }
    /* a secret of the home directory or of the root: "~/.ssh/id_rsa",
     * "/.pgpass" */
    size_t home = start + (start < end && s[start] == '~');
    if (!is_path && home + 2 < end && s[home] == '/' && s[home + 1] == '.' &&
        !memchr(s + start, ' ', end - start) &&
        starts_with_any(s + home + 1, end - home - 1, home_secrets, MR_ARRAY_LEN(home_secrets))) {
        m->rule = "absolute-system-file";
        m->off = 0;
        return true;
    }
    /* "etc/passwd%00", "proc/self/environ": a system file named from the
     * root without its slash, as the whole value */
    bool rootless = false;   /* a target under etc/ or proc/ that starts the value */
    if (!is_path && !absolute && end - start > 4 && !memchr(s + start, ' ', end - start) &&
        (memcmp(s + start, "etc/", 4) == 0 || memcmp(s + start, "proc", 4) == 0))
        for (size_t k = 0; k < MR_ARRAY_LEN(lfi_targets) && !rootless; k++)
            rootless = (strncmp(lfi_targets[k], "etc/", 4) == 0 ||
                        strncmp(lfi_targets[k], "proc/", 5) == 0) &&
                       starts_with_any(s + start, end - start, &lfi_targets[k], 1);
    if (rootless) {
        m->rule = "absolute-system-file";
        m->off = 0;
        return true;
    }
    /* a target counts after one "../", in an absolute value, or as the
     * dotfile a one-word path ends with */
    bool one_word = start < end && !memchr(s + start, ' ', end - start) &&
                    mr_find(s + start, end - start, "/.") >= 0;   /* a dotfile's only */
    for (size_t k = 0; k < MR_ARRAY_LEN(lfi_targets) && (dotdots == 1 || absolute || one_word);
         k++) {
        long at = mr_find(s, n, lfi_targets[k]);
        if (at < 0)
            continue;
        if (dotdots == 1) {
            m->rule = "dot-dot-slash";
            return true;
        }
        /* at the start ("/etc/..."), or the file the path ends with
         * ("/home/apache/conf/httpd.conf") */
        size_t tail = (size_t)at + strlen(lfi_targets[k]);
        /* or a dotfile ending a relative path: "members/.htpasswd" */
        bool dotfile_end = one_word && lfi_targets[k][0] == '.' && at > 0 &&
                           s[at - 1] == '/' && tail == end;
        /* or a system tree inside a path without blanks: a mounted root
         * ("/volumes/backup/private/etc/httpd/...") */
        /* (a root tree at a segment's start: "/admin/logs/errors" is a
         * route, "/backup/etc/shadow" a mounted root) */
        static const char *const roots[] = {"etc/", "var/", "usr/", "proc/", "private/",
                                            "/etc/", "/var/", "/usr/", "/proc/", "/private/"};
        bool tree = starts_with_any(lfi_targets[k], strlen(lfi_targets[k]), roots,
                                    MR_ARRAY_LEN(roots)) &&
                    (at == 0 || s[at - 1] == '/' || lfi_targets[k][0] == '/') &&
                    !memchr(s + start, ' ', end - start) && last_segment_has_dot(s + start, end - start);
        /* or the start of the last segment's name: "mysql-bin.000001" */
        char last = lfi_targets[k][strlen(lfi_targets[k]) - 1];
        bool prefix = (last == '.' || last == '_') && !memchr(s + tail, '/', end - tail);
        if ((absolute && ((size_t)at <= lead || drive || tail == end || tree || prefix)) ||
            dotfile_end) {
            m->rule = "absolute-system-file";
            m->off = 0;
            return true;
        }
    }
    /* "../config.php": the file right after the one "../" that starts a
     * value of one word ("import config from '../config.js'" is code) */
    size_t after = first + 3;
    while (dotdots == 1 && after < n && s[after] == '_')
        after++;
    if (!is_path && dotdots == 1 && first == start && after < end &&
        !memchr(s + start, ' ', end - start) && !memchr(s + start, '\'', end - start) &&
        !memchr(s + start, '"', end - start) &&
        starts_with_any(s + after, end - after, app_files, MR_ARRAY_LEN(app_files))) {
        m->rule = "dot-dot-slash";
        return true;
    }
    for (size_t k = 0; k < MR_ARRAY_LEN(lfi_wrappers) && memchr(s, ':', n); k++) {
        long at = mr_find(s, n, lfi_wrappers[k]);
        if (at >= 0) {
            m->rule = "php-wrapper";
            m->off = (size_t)at;
            return true;
        }
    }
    return false;
}

bool mr_detect_traversal(const char *s, size_t n, bool is_path, mr_match *m)
{
    char view[MR_TRAVERSAL_VIEW_MAX];
    size_t vn = path_view(s, n, view);
    if (!traversal_view(view, vn, is_path, m))
        return false;
    m->off = MR_MIN(m->off, n ? n - 1 : 0);   /* evidence: near enough in s */
    return true;
}

/* Parameters that PHP applications pass to include()/require(). */
static const char *const include_params[] = {
    "file", "page", "include", "inc", "path", "template", "tpl", "module",
    "mod", "dir", "document", "folder", "root", "pg", "conf", "config",
    "load", "read", "require", "layout", "prefix", "abspath", "basepath",
    "base_path", "rootpath", "include_path", "mosconfig_absolute_path",
    "phpbb_root_path", "appserv_root", "class_path", "src", "filename",
    "pagina", "content", "main", "body", "cat", "action", "sub", "theme",
};

static bool is_include_param(const char *name, size_t n)
{
    while (n > 0 && (name[n - 1] == ']' || name[n - 1] == '['))
        n--;
    /* PHP's arrays: a configuration's path key is what an include
     * takes ("_CONF[path]", "cfg[include]"); "image[src]" and
     * "post[body]" hold ordinary URLs */
    static const char *const path_keys[] = {"path", "include", "inc", "template", "tpl",
                                            "dir", "root", "file", "abspath", "basepath",
                                            "include_path", "rootpath", "base_path"};
    const char *open = memrchr(name, '[', n);
    if (open) {
        n -= (size_t)(open + 1 - name);
        name = open + 1;
        bool path = false;
        for (size_t k = 0; k < MR_ARRAY_LEN(path_keys) && !path; k++)
            path = strlen(path_keys[k]) == n && strncasecmp(name, path_keys[k], n) == 0;
        return path;
    }
    for (size_t k = 0; k < MR_ARRAY_LEN(include_params); k++) {
        const char *p = include_params[k];
        size_t len = strlen(p);
        if (len != n)
            continue;
        size_t i = 0;
        while (i < n) {
            char c = name[i];
            if (c >= 'A' && c <= 'Z')
                c = (char)(c + 32);
            if (c != p[i])
                break;
            i++;
        }
        if (i == n)
            return true;
    }
    return false;
}

bool mr_detect_rfi(const char *name, size_t name_n, const char *s, size_t n, mr_match *m)
{
    static const char *const schemes[] = {"http://", "https://", "ftp://", "ftps://",
                                          "data://", "data:text/plain"};
    size_t i = 0;
    while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
    bool remote = false;
    for (size_t k = 0; k < MR_ARRAY_LEN(schemes) && !remote; k++) {
        size_t len = strlen(schemes[k]);
        remote = n - i >= len && memcmp(s + i, schemes[k], len) == 0;
    }
    if (!remote)
        return false;
    bool cut = s[n - 1] == '?' || memchr(s + i, '\0', n - i) != NULL ||
               mr_find(s + i, n - i, "data:") == 0;
    static const char *const shells[] = {"c99", "r57", "shell.txt", "webshell", ".txt?", "/shell?"};
    for (size_t k = 0; k < MR_ARRAY_LEN(shells) && !cut; k++)
        cut = mr_find(s + i, n - i, shells[k]) >= 0;
    if (!cut && !is_include_param(name, name_n))
        return false;
    m->rule = cut ? "remote-include" : "include-param-url";
    m->off = i;
    return true;
}

typedef struct named_file {
    const char *name;
    const char *rule;
} named_file;

/* Whole path segments that name a sensitive file or endpoint. */
static const named_file sensitive_segments[] = {
    {"id_rsa", "ssh-key"}, {"id_dsa", "ssh-key"}, {"id_ecdsa", "ssh-key"},
    {"id_ed25519", "ssh-key"}, {"authorized_keys", "ssh-key"},
    {"server-status", "server-status"}, {"server-info", "server-status"},
    {"phpinfo.php", "phpinfo"}, {"info.php", "phpinfo"}, {"php_info.php", "phpinfo"},
    {"phpinfo", "phpinfo"}, {"web.config", "config-file"},
    {"wp-config.php", "config-file"}, {"docker-compose.yml", "config-file"},
    {"database.yml", "config-file"}, {"settings.py", "config-file"},
    {"configuration.php", "config-file"}, {"localsettings.php", "config-file"},
    {"elmah.axd", "debug-endpoint"}, {"trace.axd", "debug-endpoint"},
    {"heapdump", "debug-endpoint"},
    /* logs left in the web root (WordPress's wp-content/debug.log) */
    {"debug.log", "log-file"}, {"error.log", "log-file"}, {"errors.log", "log-file"},
    {"error_log", "log-file"}, {"access.log", "log-file"}, {"access_log", "log-file"},
};

/* Dotfiles and dot-directories, by prefix of the segment. */
static const named_file dot_prefixes[] = {
    {".env", "dotenv"}, {".git", "vcs-metadata"}, {".svn", "vcs-metadata"},
    {".hg", "vcs-metadata"}, {".bzr", "vcs-metadata"}, {".ssh", "ssh-key"},
    {".aws", "cloud-credentials"}, {".htpasswd", "htpasswd"},
    {".htaccess", "htpasswd"}, {".ds_store", "ds-store"},
    {".bash_history", "shell-history"}, {".kube", "cloud-credentials"},
    {".docker", "cloud-credentials"}, {".npmrc", "config-file"},
};

static const char *const backup_suffixes[] = {
    ".bak", ".backup", ".old", ".orig", ".save", ".swp", ".swo", "~",
    ".copy", ".tmp", ".sav", ".bk", ".dist",
};

static const char *const dump_suffixes[] = {
    ".sql", ".sql.gz", ".sql.zip", ".sql.bz2", ".sqlite", ".mdb", ".pem",
    ".key", ".pfx", ".p12", ".jks", ".keystore", ".kdbx",
};

static const char *const archive_bases[] = {
    "backup", "www", "site", "htdocs", "public_html", "wwwroot", "web",
    "db", "database", "dump", "data", "html", "website",
};

static const char *const archive_suffixes[] = {
    ".zip", ".tar", ".tar.gz", ".tgz", ".rar", ".7z", ".gz", ".tar.bz2",
};

static bool ends_with(const char *s, size_t n, const char *suffix)
{
    size_t len = strlen(suffix);
    return n > len && memcmp(s + n - len, suffix, len) == 0;
}

/* The name part of a backup: a file with an extension, or a config. */
static bool config_like(const char *base, size_t len)
{
    static const char *const words[] = {"config", "settings", "database", "backup",
                                        "wp-", "passwd", "credentials", "secret", "db"};
    if (len == 0)
        return false;
    if (memchr(base, '.', len))
        return true;
    for (size_t k = 0; k < MR_ARRAY_LEN(words); k++)
        if (mr_find(base, len, words[k]) >= 0)
            return true;
    return false;
}

static const char *segment_rule(const char *seg, size_t len)
{
    for (size_t k = 0; k < MR_ARRAY_LEN(sensitive_segments); k++)
        if (strlen(sensitive_segments[k].name) == len &&
            memcmp(seg, sensitive_segments[k].name, len) == 0)
            return sensitive_segments[k].rule;
    if (len > 1 && seg[0] == '.') {
        if (len == 11 && memcmp(seg, ".well-known", 11) == 0)
            return NULL;
        for (size_t k = 0; k < MR_ARRAY_LEN(dot_prefixes); k++) {
            size_t pl = strlen(dot_prefixes[k].name);
            if (len >= pl && memcmp(seg, dot_prefixes[k].name, pl) == 0)
                return dot_prefixes[k].rule;
        }
        if (ends_with(seg, len, ".swp") || ends_with(seg, len, ".swo"))
            return "editor-backup";
        return "dotfile";
    }
    for (size_t k = 0; k < MR_ARRAY_LEN(backup_suffixes); k++) {
        size_t sl = strlen(backup_suffixes[k]);
        if (ends_with(seg, len, backup_suffixes[k]) && config_like(seg, len - sl))
            return "backup-file";
    }
    for (size_t k = 0; k < MR_ARRAY_LEN(dump_suffixes); k++)
        if (ends_with(seg, len, dump_suffixes[k]))
            return "database-or-key-dump";
    for (size_t k = 0; k < MR_ARRAY_LEN(archive_bases); k++) {
        size_t bl = strlen(archive_bases[k]);
        if (len <= bl || memcmp(seg, archive_bases[k], bl) != 0 || seg[bl] != '.')
            continue;
        for (size_t a = 0; a < MR_ARRAY_LEN(archive_suffixes); a++)
            if (len == bl + strlen(archive_suffixes[a]) &&
                memcmp(seg + bl, archive_suffixes[a], len - bl) == 0)
                return "backup-archive";
    }
    return NULL;
}

bool mr_detect_sensitive(const char *s, size_t n, mr_match *m)
{
    size_t i = 0;
    while (i < n) {
        while (i < n && s[i] == '/')
            i++;
        size_t start = i;
        while (i < n && s[i] != '/' && s[i] != ';')
            i++;
        if (i > start) {
            const char *rule = segment_rule(s + start, i - start);
            if (rule) {
                m->rule = rule;
                m->off = 0;
                return true;
            }
        }
        while (i < n && s[i] != '/')
            i++;
    }
    static const char *const endpoints[] = {"actuator/env", "actuator/heapdump",
                                            "actuator/configprops", "debug/pprof",
                                            "_profiler/phpinfo", "config/database.php"};
    for (size_t k = 0; k < MR_ARRAY_LEN(endpoints); k++) {
        if (mr_find(s, n, endpoints[k]) >= 0) {
            m->rule = "debug-endpoint";
            m->off = 0;
            return true;
        }
    }
    return false;
}
