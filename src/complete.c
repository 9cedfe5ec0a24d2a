/*
 * complete.c — the bash completion script, written from the same option
 * tables that parse the command line and print --help (cli.h), so that
 * completion cannot drift from the options again. `mamori __complete
 * bash` prints it (the build installs that output); `mamori __complete
 * options CMD [VERB]` lists the long options one command honours, for
 * the tests.
 */
#include "common.h"

#include "cli.h"
#include "complete.h"

#define COMPLETE_WORDS_MAX 8192   /* one --only/--skip word list */

/* Calls fn for every option cmd honours: the common ones first (in the
 * order of their table), then its own. */
static void each_option(const cli_command *cmd,
                        void (*fn)(void *user, const cli_option *o, char short_name,
                                   const char *complete),
                        void *user)
{
    for (size_t i = 0; i < cli_common_count; i++) {
        const cli_option *o = &cli_common_options[i];
        if (!o->name || (cli_common_bits[i] && !(cmd->common & cli_common_bits[i])))
            continue;
        fn(user, o, cli_common_shorts[i], o->complete);
    }
    for (const cli_option *o = cmd->options; o && (o->name || o->help); o++)
        if (o->name)
            fn(user, o, 0, o->complete);
}

static void print_name(void *user, const cli_option *o, char short_name,
                       const char *complete)
{
    (void)user;
    (void)short_name;
    (void)complete;
    printf("--%s\n", o->name);
}

static void print_opt_word(void *user, const cli_option *o, char short_name,
                           const char *complete)
{
    int *first = user;
    (void)complete;
    if (!*first)
        putchar(' ');
    if (short_name)
        printf("-%c ", short_name);
    printf("--%s", o->name);
    *first = 0;
}

/* Appends w to the space-separated list buf unless it is there. */
static void add_word(char *buf, size_t cap, size_t *used, const char *w)
{
    size_t n = strlen(w);
    for (const char *p = buf; (p = strstr(p, w)) != NULL; p += n)
        if ((p == buf || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
            return;
    int k = snprintf(buf + *used, cap - *used, "%s%s", *used ? " " : "", w);
    if (k > 0 && (size_t)k < cap - *used)
        *used += (size_t)k;
}

/* The words --only/--skip complete to for cmd: its check ids, then the
 * countermeasure ids they carry, each once. */
static void check_words(const cli_command *cmd, char *buf, size_t cap)
{
    size_t count, used = 0;
    const mamori_check *all = mamori_checks(&count);
    buf[0] = '\0';
    for (size_t i = 0; i < count; i++)
        if (cli_command_reports(cmd, &all[i]))
            add_word(buf, cap, &used, all[i].id);
    for (size_t i = 0; i < count; i++)
        for (size_t k = 0; k < MAMORI_CHECK_CM_MAX && all[i].countermeasures[k]; k++)
            if (cli_command_reports(cmd, &all[i]))
                add_word(buf, cap, &used, all[i].countermeasures[k]);
}

/* The compgen command for a completion spec: words, files, dirs. */
static void print_compgen(FILE *f, const cli_command *cmd, const char *spec)
{
    char words[COMPLETE_WORDS_MAX];
    if (strcmp(spec, CLI_COMPLETE_CHECKS) == 0) {
        check_words(cmd, words, sizeof(words));
        fprintf(f, "compgen -W \"%s\"", words);
        return;
    }
    /* "a b @file": the words, and file names too */
    size_t used = 0;
    int files = 0, dirs = 0;
    words[0] = '\0';
    for (const char *p = spec; *p;) {
        size_t n = strcspn(p, " ");
        if (n == strlen(CLI_COMPLETE_FILE) && strncmp(p, CLI_COMPLETE_FILE, n) == 0)
            files = 1;
        else if (n == strlen(CLI_COMPLETE_DIR) && strncmp(p, CLI_COMPLETE_DIR, n) == 0)
            dirs = 1;
        else if (n > 0 && used + n + 2 < sizeof(words))
            used += (size_t)snprintf(words + used, sizeof(words) - used, "%s%.*s",
                                     used ? " " : "", (int)n, p);
        p += n + (p[n] == ' ');
    }
    fputs("compgen", f);
    if (used)
        fprintf(f, " -W \"%s\"", words);
    if (files)
        fputs(" -f", f);
    if (dirs)
        fputs(" -d", f);
}

#define COMPLETE_ARMS_MAX 64    /* distinct completions of one command */
#define COMPLETE_NAMES_MAX 512  /* "-f|--format|..." of one arm */

/* The "case $prev" arms of one command: options whose argument completes
 * the same way share an arm. */
typedef struct arms {
    const cli_command *cmd;
    size_t n;
    struct {
        char names[COMPLETE_NAMES_MAX];
        char *action;             /* malloc'd; "return ;;" for free text */
    } arm[COMPLETE_ARMS_MAX];
} arms;

static void add_arm(void *user, const cli_option *o, char short_name,
                    const char *complete)
{
    arms *a = user;
    char fmt[64];
    char *action = NULL;
    size_t len = 0;
    if (!o->arg)
        return;
    FILE *f = open_memstream(&action, &len);
    if (!f)
        return;
    if (!complete) {
        fputs("return ;;", f);
    } else {
        const char *spec = complete;
        if (o->code == 'f' && a->cmd->formats) {
            /* only the formats this command writes */
            static const char *const names[] = {"text", "json", "sarif", "html"};
            size_t used = 0;
            fmt[0] = '\0';
            for (size_t i = 0; i < MR_ARRAY_LEN(names); i++)
                if (a->cmd->formats & CLI_FORMAT_BIT(i))
                    add_word(fmt, sizeof(fmt), &used, names[i]);
            spec = fmt;
        }
        fputs("COMPREPLY=($(", f);
        print_compgen(f, a->cmd, spec);
        fputs(" -- \"$cur\")); return ;;", f);
    }
    if (fclose(f) != 0 || !action) {
        free(action);
        return;
    }
    size_t i = 0;
    while (i < a->n && strcmp(a->arm[i].action, action) != 0)
        i++;
    if (i == a->n) {
        if (a->n == COMPLETE_ARMS_MAX) {
            free(action);
            return;
        }
        a->arm[a->n].names[0] = '\0';
        a->arm[a->n++].action = action;
    } else {
        free(action);
    }
    char *names = a->arm[i].names;
    size_t used = strlen(names);
    if (short_name)
        used += (size_t)snprintf(names + used, COMPLETE_NAMES_MAX - used, "%s-%c",
                                 used ? "|" : "", short_name);
    if (used < COMPLETE_NAMES_MAX)
        snprintf(names + used, COMPLETE_NAMES_MAX - used, "%s--%s", used ? "|" : "",
                 o->name);
}

static void print_command(const cli_command *cmd)
{
    static arms a;    /* large; the generator runs once */
    int first = 1;
    a.cmd = cmd;
    a.n = 0;
    each_option(cmd, add_arm, &a);
    printf("        \"%s\")\n", cmd->name);
    printf("            case $prev in\n");
    for (size_t i = 0; i < a.n; i++) {
        printf("                %s) %s\n", a.arm[i].names, a.arm[i].action);
        free(a.arm[i].action);
    }
    printf("            esac\n");
    printf("            opts=\"");
    each_option(cmd, print_opt_word, &first);
    printf("\"\n");
    if (cmd->verbs) {
        printf("            if [ \"$COMP_CWORD\" -eq 2 ]; then operands=\"");
        for (size_t i = 0; cmd->verbs[i]; i++)
            printf("%s%s", i ? " " : "", strchr(cmd->verbs[i]->name, ' ') + 1);
        printf("\"; ");
        printf("else operands=\"%s\"; fi ;;\n", cmd->operands ? cmd->operands : "");
    } else {
        printf("            operands=\"%s\" ;;\n", cmd->operands ? cmd->operands : "");
    }
}

void complete_bash(const cli_command *const *cmds, size_t n)
{
    printf("# bash completion for mamori, installed as\n"
           "# /usr/share/bash-completion/completions/mamori.\n"
           "# Generated by 'mamori __complete bash' from the option tables of\n"
           "# src/cmd_*.c; do not edit (tests/shell/t0110 checks it matches).\n"
           "_mamori()\n"
           "{\n"
           "    local cur prev key opts operands\n"
           "    COMPREPLY=()\n"
           "    cur=${COMP_WORDS[COMP_CWORD]}\n"
           "    prev=${COMP_WORDS[COMP_CWORD-1]}\n"
           "    if [ \"$COMP_CWORD\" -eq 1 ]; then\n"
           "        COMPREPLY=($(compgen -W \"");
    for (size_t i = 0; i < n; i++)
        printf("%s ", cmds[i]->name);
    printf("help --help --version\" -- \"$cur\"))\n"
           "        return\n"
           "    fi\n"
           "    key=${COMP_WORDS[1]}\n"
           "    if [ \"$COMP_CWORD\" -gt 2 ]; then\n"
           "        case \"$key ${COMP_WORDS[2]}\" in\n");
    for (size_t i = 0; i < n; i++)
        for (size_t v = 0; cmds[i]->verbs && cmds[i]->verbs[v]; v++)
            printf("            \"%s\") key=\"%s\" ;;\n", cmds[i]->verbs[v]->name,
                   cmds[i]->verbs[v]->name);
    printf("        esac\n"
           "    fi\n"
           "    case $key in\n"
           "        help)\n"
           "            opts=\"\"\n"
           "            operands=\"");
    for (size_t i = 0; i < n; i++)
        printf("%s%s", i ? " " : "", cmds[i]->name);
    printf("\" ;;\n");
    for (size_t i = 0; i < n; i++) {
        print_command(cmds[i]);
        for (size_t v = 0; cmds[i]->verbs && cmds[i]->verbs[v]; v++)
            print_command(cmds[i]->verbs[v]);
    }
    printf("        *) return ;;\n"
           "    esac\n"
           "    if [[ $cur == -* ]]; then\n"
           "        COMPREPLY=($(compgen -W \"$opts\" -- \"$cur\"))\n"
           "        return\n"
           "    fi\n"
           "    case $operands in\n"
           "        \"\") ;;\n"
           "        %s) COMPREPLY=($(compgen -f -- \"$cur\")) ;;\n"
           "        %s) COMPREPLY=($(compgen -d -- \"$cur\")) ;;\n"
           "        *) COMPREPLY=($(compgen -W \"$operands\" -- \"$cur\")) ;;\n"
           "    esac\n"
           "}\n"
           "complete -o filenames -F _mamori mamori\n",
           CLI_COMPLETE_FILE, CLI_COMPLETE_DIR);
}

int complete_options(const cli_command *cmd)
{
    each_option(cmd, print_name, NULL);
    return 0;
}
