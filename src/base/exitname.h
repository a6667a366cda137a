/* exitname.h - systemd's names for exit statuses (systemd.exec(5), "Process
 * Exit Codes"), as SuccessExitStatus= and its siblings accept them. */
#ifndef PXINIT_EXITNAME_H
#define PXINIT_EXITNAME_H

/* The status a name stands for ("DATAERR" -> 65, "CHDIR" -> 200; upper case
 * as written in systemd's table), or -1 when it names none. */
int exit_status_from_name(const char *name);

#endif
