/* ideal_reaper.c - the least a PID 1 can do: fork the command, then wait for
 * signals with sigwaitinfo() and reap with a waitpid(WNOHANG) loop; forward
 * anything else to the command. No options, no cleanup, no safety: the
 * physical limit the orphan storm and signal benchmarks compare against.
 * Usage: ideal_reaper CMD [ARG...]; exits with the command's status. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    sigset_t all;
    if (argc < 2)
        return 2;
    sigfillset(&all);
    sigprocmask(SIG_SETMASK, &all, NULL);
    pid_t child = fork();
    if (child < 0)
        return 1;
    if (child == 0) {
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        execvp(argv[1], argv + 1);
        _exit(127);
    }
    for (;;) {
        siginfo_t si;
        int sig = sigwaitinfo(&all, &si);
        if (sig < 0)
            continue;
        if (sig != SIGCHLD) {
            kill(child, sig);
            continue;
        }
        int status;
        pid_t pid;
        while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
            if (pid == child)
                return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
}
