/* pxtest-sigcount - counts the signals it gets, for end-to-end tests.
 *
 *   pxtest-sigcount DIR
 *
 * Blocks every signal and takes them one by one with sigwaitinfo(), so
 * nothing is lost on its side: realtime signals queue, one per send. Writes
 * DIR/ready once it waits, then after every signal replaces DIR/counts with
 * "SIGNO COUNT" lines for every signal it got so far. Exits 0 on SIGTERM.
 */
#include <signal.h>
#include <stdio.h>

static unsigned long count[NSIG];

static int write_counts(const char *dir)
{
    char tmp[4096], path[4096];
    snprintf(tmp, sizeof(tmp), "%s/counts.tmp", dir);
    snprintf(path, sizeof(path), "%s/counts", dir);
    FILE *f = fopen(tmp, "w");
    if (!f)
        return -1;
    for (int sig = 1; sig < NSIG; sig++)
        if (count[sig])
            fprintf(f, "%d %lu\n", sig, count[sig]);
    if (fclose(f) != 0)
        return -1;
    return rename(tmp, path);
}

int main(int argc, char **argv)
{
    char path[4096];
    sigset_t all;

    if (argc != 2) {
        fprintf(stderr, "usage: pxtest-sigcount DIR\n");
        return 2;
    }
    sigfillset(&all);
    sigprocmask(SIG_SETMASK, &all, NULL);
    snprintf(path, sizeof(path), "%s/ready", argv[1]);
    FILE *f = fopen(path, "w");
    if (!f || fclose(f) != 0)
        return 1;
    for (;;) {
        int sig = sigwaitinfo(&all, NULL);
        if (sig <= 0 || sig >= NSIG)
            continue;
        count[sig]++;
        if (write_counts(argv[1]) < 0)
            return 1;
        if (sig == SIGTERM)
            return 0;
    }
}
