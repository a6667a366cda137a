/* systemctl_files_stub.c - a stand-in for systemctl_files.c (branch
 * sdfiles) so the systemctl personality builds before that merge: the
 * unit-file verbs are refused. Delete this file (and its Makefile.am
 * line) when merging sdfiles. */
#include <stdio.h>
#include <string.h>

#include "client/systemctl_files.h"

bool systemctl_files_verb(const char *verb)
{
    static const char *const verbs[] = {"enable", "disable",    "reenable",        "mask",
                                        "unmask", "is-enabled", "list-unit-files", "cat"};
    for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
        if (strcmp(verb, verbs[i]) == 0)
            return true;
    return false;
}

int systemctl_files_run(struct systemctl *sc)
{
    fprintf(stderr, "systemctl: '%s' is not supported by this build of pxinit yet\n", sc->verb);
    return 1;
}
