/* timer_stamp.h - Persistent= stamps: STATE/timers/stamp-NAME, whose
 * modification time is the timer's last trigger (as systemd's
 * /var/lib/systemd/timers/). */
#ifndef PXINIT_TIMER_STAMP_H
#define PXINIT_TIMER_STAMP_H

#include <stdint.h>

/* The last trigger stamped for the timer name (Unix usec) in *usec; 0 when
 * there was none, and then the stamp is made (from now on a missed elapse
 * counts). 0, or -1 with errno (EINVAL: not a regular file or a time out of
 * range). */
int timer_stamp_read(const char *state_dir, const char *name, uint64_t *usec);
/* Stamps usec (0: now). 0, or -1 with errno. */
int timer_stamp_write(const char *state_dir, const char *name, uint64_t usec);

#endif
