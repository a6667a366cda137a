/* tstamp.c - appends CLOCK_REALTIME at exec to a file, without libc
 * (x86_64 Linux).
 *
 *   tstamp FILE     appends "SECONDS.NANOSECONDS\n" to FILE, exits 0
 *
 * bench/timers.sh runs it as the service of a timer: the stamp is taken by
 * the first instructions after the kernel finished the exec, so "stamp minus
 * the scheduled elapse" is the delay from the elapse to the service's exec.
 * No libc: glibc's start-up alone costs ~0.3 ms here (CPUID traps on this
 * VM, see bench/pxmark.c), which would be counted as pxinit's delay.
 */
#if !defined(__x86_64__) || !defined(__linux__)
#error "tstamp is x86_64 Linux only"
#endif

#define SYS_write 1
#define SYS_open 2
#define SYS_close 3
#define SYS_clock_gettime 228
#define SYS_exit 60
#define O_WRONLY 01
#define O_CREAT 0100
#define O_APPEND 02000
#define O_CLOEXEC 02000000

struct kts {
    long sec, nsec;
};

static long sys3(long n, long a, long b, long c)
{
    long r;
    __asm__ volatile("syscall" : "=a"(r) : "a"(n), "D"(a), "S"(b), "d"(c) : "rcx", "r11", "memory");
    return r;
}

__attribute__((used, noreturn)) void tstamp_main(long *sp)
{
    struct kts ts;
    /* First: anything before this is counted as the delay. */
    sys3(SYS_clock_gettime, 0 /* CLOCK_REALTIME */, (long)&ts, 0);
    long argc = sp[0];
    char **argv = (char **)(sp + 1);
    if (argc < 2)
        sys3(SYS_exit, 2, 0, 0);
    /* "sec.nnnnnnnnn\n", digits written backwards. */
    char buf[48];
    int i = sizeof(buf);
    buf[--i] = '\n';
    long ns = ts.nsec;
    for (int k = 0; k < 9; k++) {
        buf[--i] = (char)('0' + ns % 10);
        ns /= 10;
    }
    buf[--i] = '.';
    long s = ts.sec;
    do {
        buf[--i] = (char)('0' + s % 10);
        s /= 10;
    } while (s);
    long fd = sys3(SYS_open, (long)argv[1], O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    long rc = 1;
    if (fd >= 0) {
        rc = sys3(SYS_write, fd, (long)(buf + i), (long)(sizeof(buf) - (unsigned)i)) ==
                     (long)(sizeof(buf) - (unsigned)i)
                 ? 0
                 : 1;
        sys3(SYS_close, fd, 0, 0);
    }
    sys3(SYS_exit, rc, 0, 0);
    for (;;)
        ;
}

/* The kernel starts us with argc at (%rsp); keep the stack 16-byte aligned
 * for the call. */
__asm__(
    ".globl _start\n"
    "_start:\n"
    "    mov %rsp, %rdi\n"
    "    and $-16, %rsp\n"
    "    call tstamp_main\n"
    "    hlt\n");
