/*
 * complete.h — shell completion written from the commands' option tables
 * (see complete.c). Both print to stdout.
 */
#ifndef MAMORI_COMPLETE_H
#define MAMORI_COMPLETE_H

#include <stddef.h>

#include "cli.h"

/* The bash completion script for these n commands (and their verbs). */
void complete_bash(const cli_command *const *cmds, size_t n);
/* The long options cmd honours, "--name" one a line; returns 0. */
int complete_options(const cli_command *cmd);

#endif
