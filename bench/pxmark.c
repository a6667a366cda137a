/* pxmark.c - the startup benchmark's marker without libc (x86_64 Linux).
 *
 *   pxmark FIFO     writes one byte to FIFO, then sleeps until killed
 *   run [NAME]      (as runit's or s6's ./run; s6 passes the service name)
 *                   the same with ./fifo
 *
 * pxbench's marker is a static glibc program, and glibc's start-up code
 * probes the CPU with CPUID, which traps to the hypervisor: on the 2-vCPU VMs
 * this project is measured on that alone is ~0.3 ms per process, more than a
 * supervisor spends starting it. This marker makes four system calls, so
 * the startup figures show what each supervisor itself costs. Built by
 * bench/scale.sh with -nostdlib -static; where that fails (another
 * architecture) scale.sh uses pxbench's marker.
 */
#if !defined(__x86_64__) || !defined(__linux__)
#error "pxmark is x86_64 Linux only; scale.sh falls back to pxbench marker"
#endif

#define SYS_write 1
#define SYS_open 2
#define SYS_pause 34
#define SYS_exit 60
#define O_WRONLY 01
#define O_CLOEXEC 02000000

static long sys3(long n, long a, long b, long c)
{
    long r;
    __asm__ volatile("syscall" : "=a"(r) : "a"(n), "D"(a), "S"(b), "d"(c) : "rcx", "r11", "memory");
    return r;
}

__attribute__((used, noreturn)) void pxmark_main(long *sp)
{
    long argc = sp[0];
    char **argv = (char **)(sp + 1);
    const char *base = argv[0], *fifo;
    for (const char *c = argv[0]; *c; c++)
        if (*c == '/')
            base = c + 1;
    if ((base[0] == 'r' && base[1] == 'u' && base[2] == 'n' && !base[3]) || argc < 2)
        fifo = "fifo";
    else
        fifo = argv[1];
    long fd = sys3(SYS_open, (long)fifo, O_WRONLY | O_CLOEXEC, 0);
    if (fd >= 0)
        sys3(SYS_write, fd, (long)"x", 1);
    for (;;)
        sys3(SYS_pause, 0, 0, 0);
}

/* The kernel starts us with argc at (%rsp); keep the stack 16-byte aligned
 * for the call. */
__asm__(
    ".globl _start\n"
    "_start:\n"
    "    mov %rsp, %rdi\n"
    "    and $-16, %rsp\n"
    "    call pxmark_main\n"
    "    hlt\n");
