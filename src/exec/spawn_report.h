/* spawn_report.h - how a spawn's failure reaches pxinit (spawn_report.c):
 * stage names and exit codes, the messages of a spawn's own report pipe,
 * and the records of the report pipe that CLONE_VM spawns share.
 */
#ifndef PXINIT_SPAWN_REPORT_H
#define PXINIT_SPAWN_REPORT_H

#include "exec/spawn_params.h"

/* Reads one message without blocking. Returns 1 when *msg was filled, 0 at EOF,
 * -1 with errno EAGAIN when nothing is there yet, or another errno. */
int spawn_read_msg(int fd, struct spawn_msg *msg);

const char *spawn_stage_name(enum spawn_stage stage);
/* The exit status of a process whose spawn failed at stage (systemd's 2xx,
 * or a shell's 126/127). */
int spawn_exit_code(enum spawn_stage stage, int err, bool shell);
/* For a reaped pid: whether it was a service that failed before its exec
 * and reported it on the shared pipe; the stage, errno and command
 * then. Clears the report. */
bool spawn_take_failure(pid_t pid, int *stage, int *err, char *what, size_t size);

/* For the spawn files only. The write end of the report pipe all CLONE_VM
 * spawns share, opened at the first call (non-blocking, CLOEXEC, 1 MiB
 * where allowed); -1 when it cannot be had. */
int spawn_report_shared_fd(void);
/* In a child: writes a report on fd, a record naming the caller's pid and
 * p->what on the shared pipe, a 16-byte spawn_msg on any other. Never blocks
 * (both pipes are non-blocking): a record that does not fit is lost. */
void spawn_report_write(const struct spawn_params *p, int fd, enum spawn_msg_kind kind,
                        enum spawn_stage stage, int err, pid_t pid);

#endif
