/* journalctl.h - the journalctl personality: the binary started under the
 * name `journalctl` reads the output pxinit keeps (the daemon's `journal`
 * request, doc/protocol.md) as journalctl shows the journal: -u (repeatable,
 * merged in time order), -f, -n, -o short|short-iso|cat|json,
 * --since/--until in journalctl's time syntax, -b, -q, -e, --no-pager. */
#ifndef PXINIT_JOURNALCTL_H
#define PXINIT_JOURNALCTL_H

/* main() under the name journalctl: the exit code. */
int journalctl_main(int argc, char **argv);

#endif
