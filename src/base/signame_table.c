/* signame_table.c - the signal name table, both ways, without the C library.
 *
 * Compiled freestanding in the build with the libc-free status entry
 * (fastpath.c, Makefile.am): no library calls, and the names are arrays, not
 * pointers, so the table needs no relocation either. signame.c builds the
 * parsing of "SIGTERM", "15" and "RTMIN+3" on it.
 */
#include <signal.h>

#include "base/signame.h"

struct signal_name {
    char name[8];
    int sig;
};

/* Canonical names first: signame_of() returns the first match. */
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

/* Names for the real-time signals, relative to SIGRTMIN; Linux has at most
 * 32 of them above it. */
/* clang-format off */
static const char rtmin_names[][9] = {
    "RTMIN",    "RTMIN+1",  "RTMIN+2",  "RTMIN+3",  "RTMIN+4",  "RTMIN+5",  "RTMIN+6",
    "RTMIN+7",  "RTMIN+8",  "RTMIN+9",  "RTMIN+10", "RTMIN+11", "RTMIN+12", "RTMIN+13",
    "RTMIN+14", "RTMIN+15", "RTMIN+16", "RTMIN+17", "RTMIN+18", "RTMIN+19", "RTMIN+20",
    "RTMIN+21", "RTMIN+22", "RTMIN+23", "RTMIN+24", "RTMIN+25", "RTMIN+26", "RTMIN+27",
    "RTMIN+28", "RTMIN+29", "RTMIN+30", "RTMIN+31", "RTMIN+32",
};
/* clang-format on */

#define NNAMES (sizeof(signal_names) / sizeof(signal_names[0]))

static int upper(int c)
{
    return c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c;
}

int signame_number(const char *name)
{
    for (unsigned i = 0; i < NNAMES; i++) {
        const char *a = signal_names[i].name, *b = name;
        while (*a && *a == upper((unsigned char)*b)) {
            a++;
            b++;
        }
        if (!*a && !*b)
            return signal_names[i].sig;
    }
    return -1;
}

const char *signame_of(int sig, int rtmin, int rtmax)
{
    for (unsigned i = 0; i < NNAMES; i++)
        if (signal_names[i].sig == sig)
            return signal_names[i].name;
    if (sig == rtmax)
        return "RTMAX";
    if (sig >= rtmin && sig < rtmax &&
        (unsigned)(sig - rtmin) < sizeof(rtmin_names) / sizeof(rtmin_names[0]))
        return rtmin_names[sig - rtmin];
    return "?";
}
