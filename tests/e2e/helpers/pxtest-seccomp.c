/* pxtest-seccomp.c - runs a command under a seccomp filter such as a
 * container runtime's profile may install, for the end-to-end tests:
 *
 *   pxtest-seccomp [--deny-clone-vm] [--deny-close-range] [--fd N] [--many N] -- CMD...
 *
 * --deny-clone-vm     clone() with CLONE_VM fails with EPERM, clone3() with
 *                     ENOSYS (its flags cannot be inspected, so profiles
 *                     refuse it whole and libc falls back to clone())
 * --deny-close-range  close_range() fails with ENOSYS, as before Linux 5.9
 * --fd N              CMD inherits /dev/null as descriptor N (not close-on-
 *                     exec), RLIMIT_NOFILE raised to allow it
 * --many N            CMD inherits N more descriptors, the lowest free ones
 *
 * Raw BPF through prctl(): no libseccomp needed.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#if defined(__x86_64__)
#define ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define ARCH AUDIT_ARCH_AARCH64
#else
#error "pxtest-seccomp: add this architecture's AUDIT_ARCH"
#endif
#ifndef __NR_clone3
#define __NR_clone3 435
#endif
#ifndef __NR_close_range
#define __NR_close_range 436
#endif

#define LOAD(field) \
    (struct sock_filter) BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, field))
#define RET(v) (struct sock_filter) BPF_STMT(BPF_RET | BPF_K, (v))
#define DENY(err) RET(SECCOMP_RET_ERRNO | (err))

static int install(int deny_clone_vm, int deny_close_range)
{
    struct sock_filter f[32];
    unsigned n = 0;
    f[n++] = LOAD(arch);
    f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ARCH, 1, 0);
    f[n++] = RET(SECCOMP_RET_ALLOW);
    f[n++] = LOAD(nr);
    if (deny_clone_vm) {
        /* nr == clone3: ENOSYS */
        f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_clone3, 0, 1);
        f[n++] = DENY(ENOSYS);
        /* nr == clone && (flags & CLONE_VM): EPERM; flags are args[0] */
        f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_clone, 0, 4);
        f[n++] = LOAD(args[0]);
        f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, CLONE_VM, 0, 1);
        f[n++] = DENY(EPERM);
        f[n++] = RET(SECCOMP_RET_ALLOW);
    }
    if (deny_close_range) {
        f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_close_range, 0, 1);
        f[n++] = DENY(ENOSYS);
    }
    f[n++] = RET(SECCOMP_RET_ALLOW);
    struct sock_fprog prog = {.len = (unsigned short)n, .filter = f};
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
        return -1;
    return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog);
}

static int inherit_fd(int target)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
        return -1;
    rlim_t want = (rlim_t)target + 1;
    struct rlimit high = {want, rl.rlim_max > want ? rl.rlim_max : want};
    if (setrlimit(RLIMIT_NOFILE, &high) < 0)
        return -1;
    int fd = open("/dev/null", O_RDONLY);
    if (fd < 0 || dup2(fd, target) < 0)
        return -1;
    close(fd);
    return 0;
}

static int raise_soft_limit(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
        return -1;
    rl.rlim_cur = rl.rlim_max;
    return setrlimit(RLIMIT_NOFILE, &rl);
}

int main(int argc, char **argv)
{
    int deny_clone_vm = 0, deny_close_range = 0, i;
    for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
        if (strcmp(argv[i], "--deny-clone-vm") == 0) {
            deny_clone_vm = 1;
        } else if (strcmp(argv[i], "--deny-close-range") == 0) {
            deny_close_range = 1;
        } else if (strcmp(argv[i], "--many") == 0 && i + 1 < argc) {
            if (raise_soft_limit() < 0) {
                perror("pxtest-seccomp: --many");
                return 1;
            }
            for (int k = atoi(argv[++i]); k > 0; k--) {
                if (open("/dev/null", O_RDONLY) < 0) {
                    perror("pxtest-seccomp: --many");
                    return 1;
                }
            }
        } else if (strcmp(argv[i], "--fd") == 0 && i + 1 < argc) {
            if (inherit_fd(atoi(argv[++i])) < 0) {
                perror("pxtest-seccomp: --fd");
                return 1;
            }
        } else {
            fprintf(stderr,
                    "usage: pxtest-seccomp [--deny-clone-vm] [--deny-close-range] "
                    "[--fd N] [--many N] -- CMD...\n");
            return 2;
        }
    }
    if (i + 1 >= argc) {
        fprintf(stderr, "pxtest-seccomp: no command\n");
        return 2;
    }
    if (install(deny_clone_vm, deny_close_range) < 0) {
        perror("pxtest-seccomp: seccomp");
        return 1;
    }
    execvp(argv[i + 1], argv + i + 1);
    perror(argv[i + 1]);
    return 127;
}
