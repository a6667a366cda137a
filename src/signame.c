/* signame.c - signal names <-> numbers, the way users write them.
 *
 * Owns the name table. Names are matched case-insensitively, with or without
 * "SIG"; real-time signals are "RTMIN", "RTMIN+n", "RTMAX", "RTMAX-n" relative
 * to the C library's SIGRTMIN/SIGRTMAX (which are run-time values, since glibc
 * reserves the first few for itself).
 */
#include "signame.h"

#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct signal_name {
    const char *name;
    int sig;
};

/* Canonical names first: signal_to_name() returns the first match. */
/* clang-format off */
static const struct signal_name signal_names[] = {
    {"HUP", SIGHUP},       {"INT", SIGINT},       {"QUIT", SIGQUIT},     {"ILL", SIGILL},
    {"TRAP", SIGTRAP},     {"ABRT", SIGABRT},     {"BUS", SIGBUS},       {"FPE", SIGFPE},
    {"KILL", SIGKILL},     {"USR1", SIGUSR1},     {"SEGV", SIGSEGV},     {"USR2", SIGUSR2},
    {"PIPE", SIGPIPE},     {"ALRM", SIGALRM},     {"TERM", SIGTERM},
#ifdef SIGSTKFLT
    {"STKFLT", SIGSTKFLT},
#endif
    {"CHLD", SIGCHLD},     {"CONT", SIGCONT},     {"STOP", SIGSTOP},     {"TSTP", SIGTSTP},
    {"TTIN", SIGTTIN},     {"TTOU", SIGTTOU},     {"URG", SIGURG},       {"XCPU", SIGXCPU},
    {"XFSZ", SIGXFSZ},     {"VTALRM", SIGVTALRM}, {"PROF", SIGPROF},     {"WINCH", SIGWINCH},
    {"IO", SIGIO},
#ifdef SIGPWR
    {"PWR", SIGPWR},
#endif
    {"SYS", SIGSYS},
    /* aliases */
    {"IOT", SIGABRT},      {"CLD", SIGCHLD},      {"POLL", SIGIO},
};
/* clang-format on */

/* Constant strings for the real-time signals, so no mutable buffer is needed;
 * Linux has at most 32 of them above SIGRTMIN. */
/* clang-format off */
static const char *const rtmin_names[] = {
    "RTMIN",    "RTMIN+1",  "RTMIN+2",  "RTMIN+3",  "RTMIN+4",  "RTMIN+5",  "RTMIN+6",
    "RTMIN+7",  "RTMIN+8",  "RTMIN+9",  "RTMIN+10", "RTMIN+11", "RTMIN+12", "RTMIN+13",
    "RTMIN+14", "RTMIN+15", "RTMIN+16", "RTMIN+17", "RTMIN+18", "RTMIN+19", "RTMIN+20",
    "RTMIN+21", "RTMIN+22", "RTMIN+23", "RTMIN+24", "RTMIN+25", "RTMIN+26", "RTMIN+27",
    "RTMIN+28", "RTMIN+29", "RTMIN+30", "RTMIN+31", "RTMIN+32",
};
/* clang-format on */

/* Parses a small non-negative decimal number filling all of s; -1 otherwise. */
static int signal_parse_number(const char *s)
{
    long v = 0;

    if (*s == '\0')
        return -1;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return -1;
        v = v * 10 + (*s - '0');
        if (v > 1000)
            return -1;
    }
    return (int)v;
}

/* "RTMIN", "RTMIN+n", "RTMAX", "RTMAX-n" (no SIG prefix, any case). */
static int signal_parse_rt(const char *s)
{
    int base, sign, n;

    if (strncasecmp(s, "RTMIN", 5) == 0) {
        base = SIGRTMIN;
        sign = 1;
    } else if (strncasecmp(s, "RTMAX", 5) == 0) {
        base = SIGRTMAX;
        sign = -1;
    } else {
        return -1;
    }
    s += 5;
    if (*s == '\0')
        return base;
    if (*s != (sign > 0 ? '+' : '-'))
        return -1;
    n = signal_parse_number(s + 1);
    if (n < 0 || n > SIGRTMAX - SIGRTMIN)
        return -1;
    return base + sign * n;
}

int signal_from_string(const char *s)
{
    int n;

    if (!s || *s == '\0')
        return -1;
    n = signal_parse_number(s);
    if (n >= 0)
        return n >= 1 && n <= SIGRTMAX ? n : -1;
    if (strncasecmp(s, "SIG", 3) == 0)
        s += 3;
    for (size_t i = 0; i < sizeof(signal_names) / sizeof(signal_names[0]); i++)
        if (strcasecmp(s, signal_names[i].name) == 0)
            return signal_names[i].sig;
    return signal_parse_rt(s);
}

const char *signal_to_name(int sig)
{
    for (size_t i = 0; i < sizeof(signal_names) / sizeof(signal_names[0]); i++)
        if (signal_names[i].sig == sig)
            return signal_names[i].name;
    if (sig == SIGRTMAX)
        return "RTMAX";
    if (sig >= SIGRTMIN && sig < SIGRTMAX &&
        (size_t)(sig - SIGRTMIN) < sizeof(rtmin_names) / sizeof(rtmin_names[0]))
        return rtmin_names[sig - SIGRTMIN];
    return "?";
}
