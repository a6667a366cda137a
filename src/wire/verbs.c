/* verbs.c - the table of control verbs (verbs.h). Characters, not
 * pointers, and no library calls: the libc-free status path links it. */
#include "wire/verbs.h"

#include <stddef.h>

#include "wire/freestr.h"

static const struct {
    char name[VERB_NAME_MAX];
    unsigned char flags;
} verbs[VERB__COUNT] = {
    [VERB_START] = {"start", VERB_UNITS | VERB_WAITS},
    [VERB_STOP] = {"stop", VERB_UNITS | VERB_WAITS},
    [VERB_RESTART] = {"restart", VERB_UNITS | VERB_WAITS},
    [VERB_RELOAD] = {"reload", VERB_UNITS | VERB_WAITS},
    [VERB_KILL] = {"kill", VERB_UNITS},
    [VERB_STATUS] = {"status", VERB_BOARD},
    [VERB_LIST] = {"list", VERB_BOARD | VERB_NO_ARGS},
    [VERB_LOGS] = {"logs", VERB_UNITS}, /* logs -f waits: the client knows */
    [VERB_DAEMON_RELOAD] = {"daemon-reload", VERB_NO_ARGS},
    [VERB_SHUTDOWN] = {"shutdown", VERB_NO_ARGS},
    [VERB_CHECK] = {"check", VERB_OFFLINE},
    [VERB_CALENDAR] = {"calendar", VERB_OFFLINE},
    [VERB_PING] = {"ping", VERB_HIDDEN | VERB_NO_ARGS},
    [VERB_LIST_TIMERS] = {"list-timers", VERB_NO_ARGS},
    [VERB_LIST_SOCKETS] = {"list-sockets", VERB_NO_ARGS},
    [VERB_RESET_FAILED] = {"reset-failed", 0},
    [VERB_SHOW] = {"show", VERB_HIDDEN},
    [VERB_JOURNAL] = {"journal", VERB_HIDDEN},
};

int verb_find(const char *word)
{
    for (int v = 0; v < VERB__COUNT; v++)
        if (str_eq(word, verbs[v].name))
            return v;
    return -1;
}

bool verb_is_command(const char *word)
{
    int v = verb_find(word);
    return v >= 0 && !(verbs[v].flags & VERB_HIDDEN);
}

const char *verb_name(enum verb_id v)
{
    return (unsigned)v < VERB__COUNT ? verbs[v].name : "";
}

bool verb_has(enum verb_id v, unsigned flags)
{
    return (unsigned)v < VERB__COUNT && (verbs[v].flags & flags) == flags;
}

/* Edits (insert, delete, change, swap of neighbours) from a to b, or more
 * than max: then max + 1. Words longer than a verb are not verbs. */
static size_t edit_distance(const char *a, const char *b, size_t max)
{
    enum { LEN = 24 };
    size_t la = str_len(a), lb = str_len(b);
    if (la >= LEN || lb >= LEN)
        return max + 1;
    size_t d[LEN][LEN];
    for (size_t i = 0; i <= la; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= la; i++) {
        for (size_t j = 1; j <= lb; j++) {
            size_t best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            if (d[i - 1][j] + 1 < best)
                best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best)
                best = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1;
            d[i][j] = best;
        }
    }
    return d[la][lb] <= max ? d[la][lb] : max + 1;
}

const char *verb_closest(const char *word)
{
    const char *best = NULL;
    size_t best_d = 0;
    for (int v = 0; v < VERB__COUNT; v++) {
        if (verbs[v].flags & VERB_HIDDEN)
            continue;
        /* Close: two edits for a long verb, one for a short one (start and
         * stop are one apart from each other). */
        size_t max = str_len(verbs[v].name) >= 6 ? 2 : 1;
        size_t d = edit_distance(word, verbs[v].name, max);
        if (d <= max && (!best || d < best_d)) {
            best = verbs[v].name;
            best_d = d;
        }
    }
    return best;
}
