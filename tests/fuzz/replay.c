/* replay.c - runs a fuzz harness once over each file of its corpus, without
 * libFuzzer, so `make check` replays every seed and every crash found so
 * far with the build's own compiler (and sanitizers, when configured).
 * Arguments are files or directories; none means FUZZ_CORPUS, the harness's
 * corpus directory set at build time.
 */
#include "fuzz.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>

static int replay_file(const char *path)
{
    FILE *f = fopen(path, "rbe");
    if (!f) {
        fprintf(stderr, "%s: %s\n", path, strerror(errno));
        return -1;
    }
    uint8_t *buf = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len == cap) {
            uint8_t *p = realloc(buf, cap ? cap * 2 : 4096);
            if (!p) {
                fprintf(stderr, "%s: out of memory\n", path);
                free(buf);
                fclose(f);
                return -1;
            }
            buf = p;
            cap = cap ? cap * 2 : 4096;
        }
        size_t n = fread(buf + len, 1, cap - len, f);
        if (n == 0)
            break;
        len += n;
    }
    int err = ferror(f);
    fclose(f);
    if (err) {
        fprintf(stderr, "%s: read error\n", path);
        free(buf);
        return -1;
    }
    /* An exact-size copy, as libFuzzer gives: a read past the end shows. */
    uint8_t *exact = malloc(len ? len : 1);
    int r = exact ? 0 : -1;
    if (exact) {
        memcpy(exact, buf, len);
        LLVMFuzzerTestOneInput(exact, len);
    }
    free(exact);
    free(buf);
    if (r < 0)
        fprintf(stderr, "%s: out of memory\n", path);
    return r;
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Files of dir in name order (a failure names the same file every run). */
static int replay_dir(const char *dir, unsigned *count)
{
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "%s: %s\n", dir, strerror(errno));
        return -1;
    }
    char **names = NULL;
    size_t n = 0;
    int r = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char **p = realloc(names, (n + 1) * sizeof(*names));
        if (!p || !(p[n] = strdup(e->d_name))) {
            names = p ? p : names;
            r = -1;
            break;
        }
        names = p;
        n++;
    }
    closedir(d);
    qsort(names, n, sizeof(*names), name_cmp);
    for (size_t i = 0; i < n; i++) {
        char path[4096];
        snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
        if (r == 0 && replay_file(path) < 0)
            r = -1;
        (*count)++;
        free(names[i]);
    }
    free(names);
    return r;
}

int main(int argc, char **argv)
{
    const char *dflt[] = {argv[0], FUZZ_CORPUS};
    unsigned count = 0;
    int r = 0;
    if (argc < 2) {
        argc = 2;
        argv = (char **)dflt;
    }
    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode))
            r |= replay_dir(argv[i], &count);
        else
            r |= replay_file(argv[i]), count++;
    }
    printf("%s: replayed %u inputs\n", argv[0], count);
    if (count == 0) {
        fprintf(stderr, "no inputs\n");
        return 1;
    }
    return r ? 1 : 0;
}
