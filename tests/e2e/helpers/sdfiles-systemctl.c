/* sdfiles-systemctl - systemctl's unit-file verbs (client/systemctl_files.c)
 * behind a small command line, for tests that run before or without the
 * systemctl personality's own argv parsing:
 *   sdfiles-systemctl [--root=DIR] [--user] [-q] [--now] [--no-block]
 *                     [--no-legend] [--type=A,B] [--state=A,B] VERB [ARG...]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/systemctl.h"
#include "client/systemctl_files.h"
#include "config/paths.h"

/* "a,b" -> {"a", "b", NULL}; the strings point into s. */
static char **split(char *s)
{
    size_t n = 2;
    for (const char *p = s; *p; p++)
        n += *p == ',';
    char **v = calloc(n, sizeof(*v));
    if (!v)
        return NULL;
    size_t k = 0;
    for (char *save = NULL, *w = strtok_r(s, ",", &save); w; w = strtok_r(NULL, ",", &save))
        v[k++] = w;
    return v;
}

int main(int argc, char **argv)
{
    struct systemctl s = {0};
    char rt[4096];
    char **words = calloc((size_t)argc + 1, sizeof(*words));
    int nwords = 0;
    if (!words)
        return 1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] != '-')
            words[nwords++] = argv[i];
        else if (strncmp(a, "--root=", 7) == 0)
            s.root = a + 7;
        else if (strcmp(a, "--user") == 0)
            s.user = true;
        else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0)
            s.quiet = true;
        else if (strcmp(a, "--now") == 0)
            s.now = true;
        else if (strcmp(a, "--no-block") == 0)
            s.no_block = true;
        else if (strcmp(a, "--no-legend") == 0)
            s.no_legend = true;
        else if (strncmp(a, "--type=", 7) == 0)
            s.types = split(argv[i] + 7);
        else if (strncmp(a, "--state=", 8) == 0)
            s.states = split(argv[i] + 8);
        else {
            fprintf(stderr, "sdfiles-systemctl: unknown option %s\n", a);
            return 2;
        }
    }
    if (nwords == 0 || !systemctl_files_verb(words[0])) {
        fprintf(stderr, "sdfiles-systemctl: a unit-file verb, please\n");
        return 2;
    }
    if (paths_runtime_dir(s.user, rt, sizeof(rt)) == 0)
        s.runtime_dir = rt;
    s.verb = words[0];
    s.args = words + 1;
    s.nargs = nwords - 1;
    int code = systemctl_files_run(&s);
    free(words);
    free(s.types);
    free(s.states);
    return code;
}
