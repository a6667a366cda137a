/* journalctl_stub.c - a stand-in for journalctl.c (branch sdjctl) so the
 * dispatch by name builds before that merge. Delete this file (and its
 * Makefile.am line) when merging sdjctl. */
#include <stdio.h>

#include "client/journalctl.h"

int journalctl_main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "journalctl: not supported by this build of pxinit yet\n");
    return 1;
}
