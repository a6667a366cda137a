/* fuzz_names.c - signal names and exit-status lists.
 *
 * The input is a signal as users write it (KillSignal=, `pxinit kill -s`),
 * and the same words as the value of SuccessExitStatus= and
 * RestartPreventExitStatus=, read through the unit parser as the daemon
 * reads them (the exit-status parser is internal to it).
 * Properties: a parsed signal is a valid number whose name, when it has
 * one, parses back to it; every code or signal a list accepted is in range
 * and found again by the lookups the supervisor uses.
 */
#include "fuzz.h"

#include <signal.h>
#include <stdio.h>

#include "base/signame.h"
#include "unit/unit.h"
#include "unit/unit_parse.h"

static void ignore_diag(void *ctx, enum diag_level level, const char *message)
{
    (void)ctx;
    (void)level;
    FUZZ_ASSERT(strlen(message) < 1u << 20);
}

static void check_signal(const char *s)
{
    int sig = signal_from_string(s);
    if (sig < 0)
        return;
    FUZZ_ASSERT(sig >= 1 && sig <= SIGRTMAX);
    const char *name = signal_to_name(sig);
    FUZZ_ASSERT(name != NULL);
    if (strcmp(name, "?") != 0) /* glibc's own real-time signals have no name */
        FUZZ_ASSERT(signal_from_string(name) == sig);
    FUZZ_ASSERT(signame_of(sig, SIGNAME_LIBC_RTMIN, SIGNAME_LIBC_RTMAX) != NULL);
}

static void check_exit_status(const char *words)
{
    static const char head[] = "[Service]\nExecStart=/bin/true\nSuccessExitStatus=";
    static const char mid[] = "\nRestartPreventExitStatus=";
    size_t n = strlen(words);
    size_t len = sizeof(head) - 1 + n + sizeof(mid) - 1 + n + 1;
    char *text = malloc(len + 1);
    if (!text)
        return;
    snprintf(text, len + 1, "%s%s%s%s\n", head, words, mid, words);
    struct unit *u = unit_new("fuzz.service");
    FILE *f = u ? fmemopen(text, len, "r") : NULL;
    if (f) {
        struct diag_sink sink = {.emit = ignore_diag};
        if (unit_parse_stream(u, f, "fuzz.service", &sink) == 0) {
            const struct unit_status *st = unit_status(u);
            const struct exit_status_set *sets[] = {&st->success_exit_status, &st->restart_prevent};
            for (size_t k = 0; k < 2; k++) {
                for (size_t i = 0; i < sets[k]->ncodes; i++) {
                    FUZZ_ASSERT(sets[k]->codes[i] >= 0 && sets[k]->codes[i] <= 255);
                    FUZZ_ASSERT(exit_status_set_has_code(sets[k], sets[k]->codes[i]));
                }
                for (size_t i = 0; i < sets[k]->nsignals; i++) {
                    FUZZ_ASSERT(sets[k]->signals[i] >= 1 && sets[k]->signals[i] <= SIGRTMAX);
                    FUZZ_ASSERT(exit_status_set_has_signal(sets[k], sets[k]->signals[i]));
                }
            }
        }
        fclose(f);
    }
    unit_free(u);
    free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = fuzz_strdup(data, size);
    if (!s)
        return 0;
    check_signal(s);
    check_signal(s + strspn(s, " \t"));
    /* A board record's signal is any int32: its name is looked up as is. */
    if (size >= 4) {
        int32_t raw;
        memcpy(&raw, data, sizeof(raw));
        FUZZ_ASSERT(signal_to_name(raw) != NULL);
    }
    /* One line of words: a newline would start another key. */
    for (char *p = s; *p; p++)
        if (*p == '\n' || *p == '\r')
            *p = ' ';
    check_exit_status(s);
    free(s);
    return 0;
}
