/* client.c - the client role. `check` works offline; the verbs that talk to
 * a running daemon need the control socket, which is not built yet. */
#include "client.h"

#include <stdio.h>
#include <string.h>

#include "unit_parse.h"

enum {
    EXIT_OK = 0,
    EXIT_FAILED = 1,
    EXIT_USAGE = 2,
    EXIT_UNREACHABLE = 5,
};

static const char *const verbs[] = {
    "start", "stop",   "restart",       "reload",   "kill", "status",
    "list",  "logs",   "daemon-reload", "shutdown", "check",
};

bool client_is_verb(const char *word)
{
    for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
        if (strcmp(word, verbs[i]) == 0)
            return true;
    return false;
}

static void diag_print(void *ctx, enum diag_level level, const char *message)
{
    fprintf(stderr, "%s: %s\n", level == DIAG_ERROR ? "error" : "warning", message);
}

/* pxinit check FILE...: parse as the daemon would; 1 when any file has an error. */
static int client_check(int argc, char **argv)
{
    int rc = EXIT_OK;
    if (argc < 3) {
        fprintf(stderr, "pxinit check: no unit file given\nUsage: pxinit check FILE...\n");
        return EXIT_USAGE;
    }
    for (int i = 2; i < argc; i++) {
        const char *path = argv[i];
        const char *base = strrchr(path, '/');
        base = base ? base + 1 : path;
        struct unit *u = unit_new(base);
        if (!u) {
            perror("pxinit check");
            return EXIT_FAILED;
        }
        struct diag_sink sink = {.emit = diag_print};
        int r = unit_parse_file(u, path, &sink);
        if (r == 0)
            r = unit_finalize(u, &sink);
        if (r < 0 || !u->loaded || sink.errors > 0) {
            rc = EXIT_FAILED;
            printf("%s: bad\n", path);
        } else {
            printf("%s: ok%s\n", path, sink.warnings ? " (with warnings)" : "");
        }
        unit_free(u);
    }
    return rc;
}

int client_main(int argc, char **argv)
{
    if (strcmp(argv[1], "check") == 0)
        return client_check(argc, argv);
    fprintf(stderr, "pxinit %s: cannot reach the daemon: the control socket is not "
                    "implemented in this version\n",
            argv[1]);
    return EXIT_UNREACHABLE;
}
