/* pxbench.c - the measuring half of bench/scale.sh: small, dependency-free
 * helpers that time things a shell cannot time precisely.
 *
 *   pxbench stamp FILE            the crashing service: appends one 8-byte
 *                                 CLOCK_MONOTONIC stamp (ns) to FILE, exits 1
 *   pxbench marker FIFO           the long-running service: writes one byte
 *                                 to FIFO, then waits for a signal (SIGTERM
 *                                 kills it: default disposition)
 *   pxbench limit SECS FILE PROG ARG...
 *                                 the restart limit: fork+exec+waitpid PROG
 *                                 in a loop for SECS seconds, nothing else
 *   pxbench spawnall N PROG ARG...
 *                                 the startup limit: posix_spawn (vfork and
 *                                 exec, nothing else) PROG N times in a row,
 *                                 then reap whatever exits until killed
 *   pxbench gaps FILE [SKIP]      restarts/s and median gap (ms) from FILE's
 *                                 stamps, ignoring the first SKIP of them
 *   pxbench up N FIFO CMD ARG...  starts CMD (its own process), prints the
 *                                 seconds until N bytes came through FIFO,
 *                                 then CMD's pid on a second line; leaves
 *                                 CMD running
 *   pxbench runs K CMD ARG...     runs CMD K times (stdout to /dev/null),
 *                                 prints the median wall time in ms
 *   pxbench ctl SOCKET K LINE     K round trips of LINE over a Unix stream
 *                                 socket (one connection each, like the
 *                                 client), prints the median in ms
 *   pxbench pss ROOTPID COMM...   sums Pss (KiB) of ROOTPID's descendants
 *                                 (ROOTPID included) whose comm is listed;
 *                                 prints "KIB COUNT"
 *   pxbench ctxt SECS ROOTPID COMM...
 *                                 context switches (voluntary+involuntary)
 *                                 over SECS seconds of the processes that
 *                                 pss would count; prints "SWITCHES COUNT"
 *   pxbench settle SECS ROOTPID COMM...
 *                                 waits until the processes pss would count
 *                                 are idle (their CPU time unchanged over
 *                                 200 ms), at most SECS; prints the seconds
 *                                 waited
 *   pxbench waitexit PID SIG      sends SIG to PID, prints the seconds until
 *                                 PID is gone (polls every 1 ms)
 *
 * Build: cc -O2 -o pxbench bench/pxbench.c
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int dbl_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, size_t n)
{
    if (n == 0)
        return 0;
    qsort(v, n, sizeof(*v), dbl_cmp);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static int cmd_stamp(const char *file)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    uint64_t ns = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
    int fd = open(file, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (fd >= 0) {
        (void)!write(fd, &ns, sizeof(ns));
        close(fd);
    }
    return 1;
}

static __attribute__((noreturn)) int cmd_marker(const char *fifo)
{
    int fd = open(fifo, O_WRONLY | O_CLOEXEC);
    if (fd >= 0) {
        (void)!write(fd, "x", 1);
        close(fd);
    }
    for (;;)
        pause();
}

static int cmd_limit(double secs, char **argv)
{
    double end = now_s() + secs;
    long n = 0;
    while (now_s() < end) {
        pid_t pid = fork();
        if (pid == 0) {
            execv(argv[0], argv);
            _exit(127);
        }
        if (pid < 0) {
            perror("fork");
            return 1;
        }
        int st;
        while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
            ;
        n++;
    }
    fprintf(stderr, "limit: %ld runs\n", n);
    return 0;
}

extern char **environ;

static int cmd_spawnall(long n, char **argv)
{
    for (long i = 0; i < n; i++) {
        pid_t pid;
        int err = posix_spawn(&pid, argv[0], NULL, NULL, argv, environ);
        if (err) {
            fprintf(stderr, "posix_spawn: %s\n", strerror(err));
            return 1;
        }
    }
    for (;;)
        if (wait(NULL) < 0 && errno == ECHILD)
            pause();
}

static int cmd_gaps(const char *file, long skip)
{
    FILE *f = fopen(file, "rb");
    if (!f) {
        perror(file);
        return 1;
    }
    size_t cap = 1024, n = 0;
    uint64_t *v = malloc(cap * sizeof(*v));
    while (v && fread(&v[n], sizeof(*v), 1, f) == 1)
        if (++n == cap)
            v = realloc(v, (cap *= 2) * sizeof(*v));
    fclose(f);
    if (!v || n < (size_t)skip + 2) {
        printf("runs %zu rate 0 gap_ms NA\n", n);
        return 0;
    }
    size_t m = n - (size_t)skip - 1;
    double *g = malloc(m * sizeof(*g));
    for (size_t i = 0; i < m; i++)
        g[i] = (double)(v[skip + i + 1] - v[skip + i]) / 1e6;
    double span = (double)(v[n - 1] - v[skip]) / 1e9;
    printf("runs %zu rate %.1f gap_ms %.3f\n", n, (double)m / span, median(g, m));
    return 0;
}

static int cmd_up(long want, const char *fifo, char **argv)
{
    /* Read-write: the open does not wait for a writer, and EOF never comes
     * between writers. */
    int fd = open(fifo, O_RDWR | O_CLOEXEC);
    if (fd < 0) {
        perror(fifo);
        return 1;
    }
    double t0 = now_s();
    pid_t pid = fork();
    if (pid == 0) {
        /* Outlives us: must not hold our stdout (a $(...) would wait). */
        dup2(STDERR_FILENO, STDOUT_FILENO);
        execvp(argv[0], argv);
        _exit(127);
    }
    char buf[4096];
    long got = 0;
    while (got < want) {
        ssize_t r = read(fd, buf, sizeof(buf));
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            perror("read");
            return 1;
        }
        got += r;
    }
    printf("%.4f\n%d\n", now_s() - t0, (int)pid);
    return 0;
}

static int cmd_runs(long k, char **argv)
{
    double *t = calloc((size_t)k, sizeof(*t));
    for (long i = 0; i < k; i++) {
        double t0 = now_s();
        pid_t pid = fork();
        if (pid == 0) {
            int null = open("/dev/null", O_WRONLY);
            dup2(null, 1);
            execvp(argv[0], argv);
            _exit(127);
        }
        int st;
        while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
            ;
        t[i] = (now_s() - t0) * 1e3;
    }
    printf("%.3f\n", median(t, (size_t)k));
    return 0;
}

static int cmd_ctl(const char *path, long k, const char *line)
{
    double *t = calloc((size_t)k, sizeof(*t));
    char req[4096];
    snprintf(req, sizeof(req), "%s\n", line);
    for (long i = 0; i < k; i++) {
        double t0 = now_s();
        int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        struct sockaddr_un sa = {.sun_family = AF_UNIX};
        snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
        if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
            perror(path);
            return 1;
        }
        (void)!write(fd, req, strlen(req));
        char buf[65536];
        size_t len = 0;
        for (;;) {
            ssize_t r = read(fd, buf + len, sizeof(buf) - 1 - len);
            if (r <= 0)
                break;
            len += (size_t)r;
            buf[len] = '\0';
            if (strstr(buf, "end ") && buf[len - 1] == '\n')
                break;
            if (len > sizeof(buf) / 2)
                len = 0; /* only the tail matters */
        }
        close(fd);
        t[i] = (now_s() - t0) * 1e3;
    }
    printf("%.3f\n", median(t, (size_t)k));
    return 0;
}

/* /proc/PID/stat: comm and ppid. */
static int read_stat(pid_t pid, char *comm, size_t size, pid_t *ppid)
{
    char path[64], buf[1024];
    snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    ssize_t n = read(fd, buf, sizeof(buf) - 1);
    close(fd);
    if (n <= 0)
        return -1;
    buf[n] = '\0';
    char *lp = strchr(buf, '('), *rp = strrchr(buf, ')');
    if (!lp || !rp)
        return -1;
    snprintf(comm, size, "%.*s", (int)(rp - lp - 1), lp + 1);
    int pp;
    char st;
    if (sscanf(rp + 1, " %c %d", &st, &pp) != 2)
        return -1;
    *ppid = pp;
    return 0;
}

static long pss_of(pid_t pid)
{
    char path[64], line[256];
    snprintf(path, sizeof(path), "/proc/%d/smaps_rollup", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    long kib = 0;
    while (fgets(line, sizeof(line), f))
        if (sscanf(line, "Pss: %ld kB", &kib) == 1)
            break;
    fclose(f);
    return kib;
}

/* The pids under root (root included) whose comm is one of comms. */
static size_t collect(pid_t root, int ncomm, char **comms, pid_t **out)
{
    size_t cap = 65536, n = 0;
    pid_t *pids = malloc(cap * sizeof(*pids)), *ppids = malloc(cap * sizeof(*ppids));
    char(*names)[32] = malloc(cap * sizeof(*names));
    DIR *d = opendir("/proc");
    struct dirent *de;
    while (d && (de = readdir(d))) {
        if (!isdigit((unsigned char)de->d_name[0]))
            continue;
        if (n == cap) {
            cap *= 2;
            pids = realloc(pids, cap * sizeof(*pids));
            ppids = realloc(ppids, cap * sizeof(*ppids));
            names = realloc(names, cap * sizeof(*names));
        }
        pid_t pid = atoi(de->d_name), pp;
        if (read_stat(pid, names[n], sizeof(names[n]), &pp) == 0) {
            pids[n] = pid;
            ppids[n] = pp;
            n++;
        }
    }
    if (d)
        closedir(d);
    /* Descendants of root: sweep until nothing joins (the trees are shallow). */
    char *in = calloc(n ? n : 1, 1);
    for (size_t i = 0; i < n; i++)
        in[i] = pids[i] == root;
    for (bool changed = true; changed;) {
        changed = false;
        for (size_t i = 0; i < n; i++) {
            if (in[i])
                continue;
            for (size_t j = 0; j < n; j++)
                if (in[j] && pids[j] == ppids[i]) {
                    in[i] = 1;
                    changed = true;
                    break;
                }
        }
    }
    size_t m = 0;
    *out = malloc((n ? n : 1) * sizeof(**out));
    for (size_t i = 0; i < n; i++) {
        if (!in[i])
            continue;
        for (int c = 0; c < ncomm; c++)
            if (strcmp(names[i], comms[c]) == 0) {
                (*out)[m++] = pids[i];
                break;
            }
    }
    free(pids);
    free(ppids);
    free(names);
    free(in);
    return m;
}

/* of() summed over the processes collect() finds; *n: how many. */
static long sum_over(pid_t root, int ncomm, char **comms, long (*of)(pid_t), size_t *n)
{
    pid_t *v;
    size_t k = collect(root, ncomm, comms, &v);
    long sum = 0;
    for (size_t i = 0; i < k; i++)
        sum += of(v[i]);
    free(v);
    if (n)
        *n = k;
    return sum;
}

static int cmd_pss(pid_t root, int ncomm, char **comms)
{
    size_t n;
    long total = sum_over(root, ncomm, comms, pss_of, &n);
    printf("%ld %zu\n", total, n);
    return 0;
}

static long ctxt_of(pid_t pid)
{
    char path[64], line[256];
    snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    long v, sum = 0;
    while (fgets(line, sizeof(line), f))
        if (sscanf(line, "voluntary_ctxt_switches: %ld", &v) == 1 ||
            sscanf(line, "nonvoluntary_ctxt_switches: %ld", &v) == 1)
            sum += v;
    fclose(f);
    return sum;
}

/* Context switches (each one a wakeup) of the supervisor processes. */
static int cmd_ctxt(double secs, pid_t root, int ncomm, char **comms)
{
    pid_t *v;
    size_t n = collect(root, ncomm, comms, &v);
    long a = 0, b = 0;
    for (size_t i = 0; i < n; i++)
        a += ctxt_of(v[i]);
    struct timespec ts = {(time_t)secs, (long)((secs - (double)(time_t)secs) * 1e9)};
    nanosleep(&ts, NULL);
    for (size_t i = 0; i < n; i++)
        b += ctxt_of(v[i]);
    printf("%ld %zu\n", b - a, n);
    return 0;
}

/* utime + stime, in clock ticks. */
static long cpu_of(pid_t pid)
{
    char path[64], buf[1024];
    snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    ssize_t n = read(fd, buf, sizeof(buf) - 1);
    close(fd);
    if (n <= 0)
        return 0;
    buf[n] = '\0';
    char *rp = strrchr(buf, ')');
    unsigned long ut, st;
    if (!rp ||
        sscanf(rp + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st) != 2)
        return 0;
    return (long)(ut + st);
}

static long cpu_sum(pid_t root, int ncomm, char **comms)
{
    return sum_over(root, ncomm, comms, cpu_of, NULL);
}

/* A supervisor is "up" for the markers before it has finished its own work
 * (reading spawn reports, freeing what a start needed): memory is measured
 * once it is idle. */
static int cmd_settle(double secs, pid_t root, int ncomm, char **comms)
{
    double t0 = now_s();
    long last = cpu_sum(root, ncomm, comms);
    for (;;) {
        struct timespec ts = {0, 200000000L};
        nanosleep(&ts, NULL);
        long cur = cpu_sum(root, ncomm, comms);
        if (cur == last || now_s() - t0 >= secs)
            break;
        last = cur;
    }
    printf("%.1f\n", now_s() - t0);
    return 0;
}

static int cmd_waitexit(pid_t pid, int sig)
{
    char path[64];
    snprintf(path, sizeof(path), "/proc/%d", (int)pid);
    double t0 = now_s();
    if (kill(pid, sig) < 0) {
        perror("kill");
        return 1;
    }
    /* A zombie is gone for this purpose: it has exited. */
    for (;;) {
        char st = 0;
        char spath[80], buf[512];
        snprintf(spath, sizeof(spath), "%s/stat", path);
        int fd = open(spath, O_RDONLY);
        if (fd < 0)
            break;
        ssize_t n = read(fd, buf, sizeof(buf) - 1);
        close(fd);
        if (n <= 0)
            break;
        buf[n] = '\0';
        char *rp = strrchr(buf, ')');
        if (rp && sscanf(rp + 1, " %c", &st) == 1 && (st == 'Z' || st == 'X'))
            break;
        usleep(1000);
    }
    printf("%.4f\n", now_s() - t0);
    return 0;
}

int main(int argc, char **argv)
{
    /* runsv execs ./run without arguments, s6-supervise with the service
     * name: as "run", be the marker when the service directory has a "fifo",
     * else the stamp. */
    const char *base = strrchr(argv[0], '/');
    if (strcmp(base ? base + 1 : argv[0], "run") == 0 && argc <= 2)
        return access("fifo", F_OK) == 0 ? cmd_marker("fifo") : cmd_stamp("stamp");
    if (argc < 2)
        goto usage;
    const char *c = argv[1];
    if (strcmp(c, "stamp") == 0 && argc == 3)
        return cmd_stamp(argv[2]);
    if (strcmp(c, "marker") == 0 && argc == 3)
        return cmd_marker(argv[2]);
    if (strcmp(c, "limit") == 0 && argc >= 5) {
        return cmd_limit(atof(argv[2]), argv + 4);
    }
    if (strcmp(c, "spawnall") == 0 && argc >= 4)
        return cmd_spawnall(atol(argv[2]), argv + 3);
    if (strcmp(c, "gaps") == 0 && argc >= 3)
        return cmd_gaps(argv[2], argc > 3 ? atol(argv[3]) : 0);
    if (strcmp(c, "up") == 0 && argc >= 5)
        return cmd_up(atol(argv[2]), argv[3], argv + 4);
    if (strcmp(c, "runs") == 0 && argc >= 4)
        return cmd_runs(atol(argv[2]), argv + 3);
    if (strcmp(c, "ctl") == 0 && argc == 5)
        return cmd_ctl(argv[2], atol(argv[3]), argv[4]);
    if (strcmp(c, "pss") == 0 && argc >= 4)
        return cmd_pss(atoi(argv[2]), argc - 3, argv + 3);
    if (strcmp(c, "settle") == 0 && argc >= 5)
        return cmd_settle(atof(argv[2]), atoi(argv[3]), argc - 4, argv + 4);
    if (strcmp(c, "ctxt") == 0 && argc >= 5)
        return cmd_ctxt(atof(argv[2]), atoi(argv[3]), argc - 4, argv + 4);
    if (strcmp(c, "waitexit") == 0 && argc == 4)
        return cmd_waitexit(atoi(argv[2]), atoi(argv[3]));
usage:
    fprintf(stderr, "usage: see the comment at the top of bench/pxbench.c\n");
    return 2;
}
