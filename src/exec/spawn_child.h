/* spawn_child.h - what a spawned process does between its fork and its
 * exec (spawn_child.c).
 */
#ifndef PXINIT_SPAWN_CHILD_H
#define PXINIT_SPAWN_CHILD_H

#include "exec/spawn_params.h"

/* rt_sigaction(2) without glibc, which refuses the signals it reserves for
 * its threads (32, 33), though their ignored disposition is inherited like any
 * other. Sets *set (SIG_DFL or SIG_IGN) when set is not NULL; *old gets the
 * previous handler when old is not NULL. 0, or -1 with errno. */
int spawn_raw_disposition(int sig, void (*const *set)(int), void (**old)(int));

/* For the spawn files only. Called in pxinit before a spawn: reads, once,
 * which dispositions the child must reset (for p without sigactions). */
void spawn_child_ready(const struct spawn_params *p);
/* In the child: prepares everything p asks for, restores p's signal mask
 * and execs; on any failure reports it on fd and _exit()s. */
__attribute__((noreturn)) void spawn_child_exec(const struct spawn_params *p, int fd);
/* In a child: reports the stage with errno on fd and exits with its code. */
__attribute__((noreturn)) void spawn_child_fail(const struct spawn_params *p, int fd,
                                                enum spawn_stage stage);

#endif
