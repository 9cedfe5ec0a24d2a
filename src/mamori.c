/*
 * mamori.c — the entry point: picks the command from the table below and
 * runs it. Everything a command does lives in its cmd_<name>.c; shared
 * option handling in cli.c. The final flush of stdout is checked here so
 * that a full disk or a closed pipe is an error, not silent data loss.
 */
#include "common.h"

#include <locale.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "complete.h"
#include "mamori/mamori.h"
#include "mamori/report.h"

struct command {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *help;
    const cli_command *spec;   /* its options, for completion */
};

static const struct command commands[] = {
    {"audit", cmd_audit, "run every check that applies to this machine and report",
     &cli_cmd_audit},
    {"authscan", cmd_authscan, "find login attacks and break-ins in SSH, FTP and web logs",
     &cli_cmd_authscan},
    {"backup", cmd_backup, "are the backups there, recent, separate, unalterable, restorable (3-2-1-1-0)",
     &cli_cmd_backup},
    {"diff", cmd_diff, "what changed between two audits: new, fixed and still open",
     &cli_cmd_diff},
    {"dns", cmd_dns, "check the DNS health of domains: SPF, DKIM, DMARC, MX, MTA-STS, DNSSEC",
     &cli_cmd_dns},
    {"fleet", cmd_fleet, "many machines' audits in one PostgreSQL: status, stale hosts, worst problems",
     &cli_cmd_fleet},
    {"history", cmd_history, "the audits this machine remembers, with their findings",
     &cli_cmd_history},
    {"exposure", cmd_exposure, "which services other hosts can reach, and whether they let strangers in",
     &cli_cmd_exposure},
    {"host", cmd_host, "review this machine's settings: SSH, accounts, files, kernel, services", &cli_cmd_host},
    {"incident", cmd_incident, "an incident record: timeline, evidence kept, whom to tell by when",
     &cli_cmd_incident},
    {"logscan", cmd_logscan, "find attack traces in web server access logs",
     &cli_cmd_logscan},
    {"password", cmd_password, "check passwords, find reused ones, review the policy",
     &cli_cmd_password},
    {"patch", cmd_patch, "is this machine patched: updates waiting, restarts, end of life",
     &cli_cmd_patch},
    {"push", cmd_push, "send this machine's audits to the fleet's PostgreSQL (spooled when out of reach)",
     &cli_cmd_push},
    {"score", cmd_score, "one grade per countermeasure factor, and the fixes that raise it most",
     &cli_cmd_score},
    {"selfcheck", cmd_selfcheck, "the 5-minute security self-check for small organisations",
     &cli_cmd_selfcheck},
    {"web", cmd_web, "check web sites: TLS, certificates, exposed files; nginx/Apache settings",
     &cli_cmd_web},
};

/* `mamori __complete bash` prints the bash completion script;
 * `mamori __complete options CMD [VERB]` the long options of one command.
 * Hidden: for the build (which installs the script) and the tests. */
static int hidden_complete(int argc, char **argv)
{
    const cli_command *specs[MR_ARRAY_LEN(commands)];
    for (size_t i = 0; i < MR_ARRAY_LEN(commands); i++)
        specs[i] = commands[i].spec;
    if (argc == 3 && strcmp(argv[2], "bash") == 0) {
        complete_bash(specs, MR_ARRAY_LEN(specs));
        return 0;
    }
    if ((argc == 4 || argc == 5) && strcmp(argv[2], "options") == 0) {
        for (size_t i = 0; i < MR_ARRAY_LEN(specs); i++) {
            if (strcmp(argv[3], specs[i]->name) != 0)
                continue;
            if (argc == 4)
                return complete_options(specs[i]);
            for (size_t v = 0; specs[i]->verbs && specs[i]->verbs[v]; v++) {
                const char *verb = strchr(specs[i]->verbs[v]->name, ' ');
                if (verb && strcmp(verb + 1, argv[4]) == 0)
                    return complete_options(specs[i]->verbs[v]);
            }
        }
    }
    fprintf(stderr, "usage: mamori __complete bash | options CMD [VERB]\n");
    return 2;
}

static void usage(FILE *f)
{
    fprintf(f,
            "usage: mamori [--version] [--help] <command> [<args>]\n"
            "\n"
            "mamori checks whether the countermeasures of IPA's and METI's\n"
            "guidance are in place, finds traces of attacks, and says what to\n"
            "do and whom to tell (in English or Japanese: --lang en|ja).\n"
            "\n"
            "commands:\n");
    for (size_t i = 0; i < MR_ARRAY_LEN(commands); i++)
        fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].help);
    fprintf(f,
            "\n"
            "'mamori <command> --help' shows a command's options; 'man mamori'\n"
            "and 'man mamori-<command>' have the rest.\n"
            "\n"
            "exit status: 0 no finding at or above --fail-on (default: high),\n"
            "1 findings at or above it, 2 usage or input error.\n");
}

static int finish(int status)
{
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "mamori: error writing to standard output: %s\n",
                strerror(errno));
        return 2;
    }
    return status;
}

int main(int argc, char **argv)
{
    setlocale(LC_ALL, "");
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 ||
        strcmp(cmd, "help") == 0) {
        if (strcmp(cmd, "help") == 0 && argc > 2) {
            char *sub[] = {argv[2], "--help", NULL};
            for (size_t i = 0; i < MR_ARRAY_LEN(commands); i++)
                if (strcmp(argv[2], commands[i].name) == 0)
                    return finish(commands[i].fn(2, sub));
        }
        usage(stdout);
        return finish(0);
    }
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0 ||
        strcmp(cmd, "version") == 0) {
        printf("mamori %s\n", mamori_version());
        return finish(0);
    }
    if (strcmp(cmd, "__complete") == 0)
        return finish(hidden_complete(argc, argv));
    for (size_t i = 0; i < MR_ARRAY_LEN(commands); i++)
        if (strcmp(cmd, commands[i].name) == 0)
            return finish(commands[i].fn(argc - 1, argv + 1));
    fputs("mamori: '", stderr);
    mamori_term_put(stderr, cmd, strlen(cmd), SIZE_MAX);
    fputs("' is not a mamori command. See 'mamori --help'.\n", stderr);
    return 2;
}
