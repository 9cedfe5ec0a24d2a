/*
 * commands.h — one function per command, each in its own cmd_<name>.c,
 * dispatched from the table in mamori.c. A command gets argv with argv[0]
 * set to its own name and returns the process exit status.
 */
#ifndef MAMORI_COMMANDS_H
#define MAMORI_COMMANDS_H

int cmd_audit(int argc, char **argv);
int cmd_backup(int argc, char **argv);
int cmd_authscan(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_dns(int argc, char **argv);
int cmd_history(int argc, char **argv);
int cmd_exposure(int argc, char **argv);
int cmd_fleet(int argc, char **argv);
int cmd_push(int argc, char **argv);
int cmd_host(int argc, char **argv);
int cmd_incident(int argc, char **argv);
int cmd_logscan(int argc, char **argv);
int cmd_password(int argc, char **argv);
int cmd_patch(int argc, char **argv);
int cmd_score(int argc, char **argv);
int cmd_selfcheck(int argc, char **argv);
int cmd_web(int argc, char **argv);

#endif
