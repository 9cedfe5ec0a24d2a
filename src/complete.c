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

/* The words --only/--skip complete to for cmd: its check ids and their
 * countermeasure ids, each once. */
static void check_words(const cli_command *cmd, char *buf, size_t cap)
{
    size_t count, used = 0;
    const mamori_check *all = mamori_checks(&count);
    buf[0] = '\0';
    for (size_t i = 0; i < count; i++) {
        if (!cli_command_reports(cmd, &all[i]))
            continue;
        const char *w[1 + MAMORI_CHECK_CM_MAX] = {all[i].id};
        for (size_t k = 0; k < MAMORI_CHECK_CM_MAX && all[i].countermeasures[k]; k++)
            w[1 + k] = all[i].countermeasures[k];
        for (size_t k = 0; k < MR_ARRAY_LEN(w) && w[k]; k++) {
            /* each word once: " word " not yet in the list */
            char probe[128];
            snprintf(probe, sizeof(probe), " %s ", w[k]);
            if (used && strstr(buf, probe))
                continue;
            int n = snprintf(buf + used, cap - used, "%s%s ", used ? "" : " ",
                             w[k]);
            if (n < 0 || (size_t)n >= cap - used)
                return;
            used += (size_t)n;
        }
    }
}

/* The compgen arguments for a completion spec: words, files, dirs. */
static void print_compgen(const cli_command *cmd, const char *spec)
{
    char words[COMPLETE_WORDS_MAX];
    if (strcmp(spec, CLI_COMPLETE_CHECKS) == 0) {
        check_words(cmd, words, sizeof(words));
        printf("compgen -W \"%s\"", words);
        return;
    }
    /* "a b @file": the words, and file names too */
    size_t used = 0;
    int files = 0, dirs = 0;
    words[0] = '\0';
    for (const char *p = spec; *p;) {
        size_t n = strcspn(p, " ");
        if (n == 5 && strncmp(p, CLI_COMPLETE_FILE, 5) == 0)
            files = 1;
        else if (n == 4 && strncmp(p, CLI_COMPLETE_DIR, 4) == 0)
            dirs = 1;
        else if (n > 0 && used + n + 2 < sizeof(words)) {
            used += (size_t)snprintf(words + used, sizeof(words) - used, "%s%.*s",
                                     used ? " " : "", (int)n, p);
        }
        p += n + (p[n] == ' ');
    }
    printf("compgen");
    if (used)
        printf(" -W \"%s\"", words);
    if (files)
        printf(" -f");
    if (dirs)
        printf(" -d");
}

typedef struct prev_case {
    const cli_command *cmd;
} prev_case;

/* One "case $prev" arm per option that takes an argument. */
static void print_prev_arm(void *user, const cli_option *o, char short_name,
                           const char *complete)
{
    prev_case *pc = user;
    if (!o->arg)
        return;
    printf("                ");
    if (short_name)
        printf("-%c|", short_name);
    printf("--%s) ", o->name);
    if (!complete) {
        printf("return ;;\n");
        return;
    }
    const char *spec = complete;
    char fmt[64];
    if (o->code == 'f' && pc->cmd->formats) {
        /* only the formats this command writes */
        static const char *const names[] = {"text", "json", "sarif", "html"};
        size_t used = 0;
        fmt[0] = '\0';
        for (size_t i = 0; i < MR_ARRAY_LEN(names); i++)
            if (pc->cmd->formats & CLI_FORMAT_BIT(i))
                used += (size_t)snprintf(fmt + used, sizeof(fmt) - used, "%s%s",
                                         used ? " " : "", names[i]);
        spec = fmt;
    }
    printf("COMPREPLY=($(");
    print_compgen(pc->cmd, spec);
    printf(" -- \"$cur\")); return ;;\n");
}

static void print_command(const cli_command *cmd)
{
    prev_case pc = {cmd};
    int first = 1;
    printf("        \"%s\")\n", cmd->name);
    printf("            case $prev in\n");
    each_option(cmd, print_prev_arm, &pc);
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
