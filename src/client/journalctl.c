/* journalctl.c - the journalctl personality's command line (journalctl.h):
 * journalctl 252's options as its parse_argv() reads them (getopt_long, -n
 * and -b taking their value from the next word when it parses), its
 * messages and exit codes. What pxinit does not keep (other boots, the
 * kernel log, catalogs, journal files) is refused with one line naming
 * it. journalctl_run.c asks the daemon and prints.
 */
#include "client/journalctl.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "base/timestamp.h"
#include "client/journalctl_int.h"
#include "config/paths.h"

enum {
    ARG_VERSION = 0x100,
    ARG_NO_PAGER,
    ARG_NO_FULL,
    ARG_NO_TAIL,
    ARG_USER,
    ARG_SYSTEM,
    ARG_UTC,
    ARG_NO_HOSTNAME,
    ARG_UNSUPPORTED,
};

static const struct option options[] = {
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, ARG_VERSION},
    {"no-pager", no_argument, NULL, ARG_NO_PAGER},
    {"pager-end", no_argument, NULL, 'e'},
    {"follow", no_argument, NULL, 'f'},
    {"output", required_argument, NULL, 'o'},
    {"all", no_argument, NULL, 'a'},
    {"full", no_argument, NULL, 'l'},
    {"no-full", no_argument, NULL, ARG_NO_FULL},
    {"lines", optional_argument, NULL, 'n'},
    {"no-tail", no_argument, NULL, ARG_NO_TAIL},
    {"quiet", no_argument, NULL, 'q'},
    {"boot", optional_argument, NULL, 'b'},
    {"this-boot", no_argument, NULL, 'b'},
    {"system", no_argument, NULL, ARG_SYSTEM},
    {"user", no_argument, NULL, ARG_USER},
    {"since", required_argument, NULL, 'S'},
    {"until", required_argument, NULL, 'U'},
    {"unit", required_argument, NULL, 'u'},
    {"identifier", required_argument, NULL, 't'},
    {"priority", required_argument, NULL, 'p'},
    {"catalog", no_argument, NULL, 'x'},
    {"reverse", no_argument, NULL, 'r'},
    {"utc", no_argument, NULL, ARG_UTC},
    {"no-hostname", no_argument, NULL, ARG_NO_HOSTNAME},
    /* journalctl's, not pxinit's: named in the refusal. */
    {"merge", no_argument, NULL, ARG_UNSUPPORTED},
    {"dmesg", no_argument, NULL, ARG_UNSUPPORTED},
    {"directory", required_argument, NULL, ARG_UNSUPPORTED},
    {"file", required_argument, NULL, ARG_UNSUPPORTED},
    {"root", required_argument, NULL, ARG_UNSUPPORTED},
    {"image", required_argument, NULL, ARG_UNSUPPORTED},
    {"machine", required_argument, NULL, ARG_UNSUPPORTED},
    {"namespace", required_argument, NULL, ARG_UNSUPPORTED},
    {"grep", required_argument, NULL, ARG_UNSUPPORTED},
    {"case-sensitive", optional_argument, NULL, ARG_UNSUPPORTED},
    {"cursor", required_argument, NULL, ARG_UNSUPPORTED},
    {"after-cursor", required_argument, NULL, ARG_UNSUPPORTED},
    {"cursor-file", required_argument, NULL, ARG_UNSUPPORTED},
    {"show-cursor", no_argument, NULL, ARG_UNSUPPORTED},
    {"user-unit", required_argument, NULL, ARG_UNSUPPORTED},
    {"facility", required_argument, NULL, ARG_UNSUPPORTED},
    {"output-fields", required_argument, NULL, ARG_UNSUPPORTED},
    {"field", required_argument, NULL, ARG_UNSUPPORTED},
    {"fields", no_argument, NULL, ARG_UNSUPPORTED},
    {"list-boots", no_argument, NULL, ARG_UNSUPPORTED},
    {"disk-usage", no_argument, NULL, ARG_UNSUPPORTED},
    {"vacuum-size", required_argument, NULL, ARG_UNSUPPORTED},
    {"vacuum-files", required_argument, NULL, ARG_UNSUPPORTED},
    {"vacuum-time", required_argument, NULL, ARG_UNSUPPORTED},
    {"verify", no_argument, NULL, ARG_UNSUPPORTED},
    {"sync", no_argument, NULL, ARG_UNSUPPORTED},
    {"flush", no_argument, NULL, ARG_UNSUPPORTED},
    {"rotate", no_argument, NULL, ARG_UNSUPPORTED},
    {"relinquish-var", no_argument, NULL, ARG_UNSUPPORTED},
    {"smart-relinquish-var", no_argument, NULL, ARG_UNSUPPORTED},
    {"header", no_argument, NULL, ARG_UNSUPPORTED},
    {"list-catalog", no_argument, NULL, ARG_UNSUPPORTED},
    {"dump-catalog", no_argument, NULL, ARG_UNSUPPORTED},
    {"update-catalog", no_argument, NULL, ARG_UNSUPPORTED},
    {"setup-keys", no_argument, NULL, ARG_UNSUPPORTED},
    {"verify-key", required_argument, NULL, ARG_UNSUPPORTED},
    {"interval", required_argument, NULL, ARG_UNSUPPORTED},
    {"force", no_argument, NULL, ARG_UNSUPPORTED},
    {"new-id128", no_argument, NULL, ARG_UNSUPPORTED},
    {0, 0, 0, 0},
};

static void help(const char *prog)
{
    printf(
        "%s [OPTIONS...] [MATCHES...]\n\n"
        "Query the output pxinit keeps of its units, as journalctl shows the journal.\n\n"
        "     --system                Ask the system pxinit\n"
        "     --user                  Ask the user's pxinit\n"
        "  -S --since=DATE            Show entries not older than the specified date\n"
        "  -U --until=DATE            Show entries not newer than the specified date\n"
        "  -b --boot[=ID]             Show the current boot (the only one pxinit keeps)\n"
        "  -u --unit=UNIT             Show logs from the specified unit (globs allowed)\n"
        "  -t --identifier=STRING     Show entries with the specified syslog identifier\n"
        "  -p --priority=RANGE        Show entries with the specified priority\n"
        "  -o --output=STRING         short, short-precise, short-iso, short-iso-precise,\n"
        "                               short-full, short-unix, short-monotonic,\n"
        "                               with-unit, cat, json, json-pretty, json-seq\n"
        "  -n --lines[=INTEGER]       Number of journal entries to show\n"
        "  -r --reverse               Show the newest entries first\n"
        "     --utc                   Express time in Coordinated Universal Time (UTC)\n"
        "     --no-hostname           Suppress output of hostname field\n"
        "  -f --follow                Follow the journal\n"
        "     --no-tail               Show all lines, even in follow mode\n"
        "  -q --quiet                 Do not show info messages\n"
        "     --no-pager              Accepted (pxinit never pages)\n"
        "  -e --pager-end             Show the last 1000 entries\n"
        "  -h --help                  Show this help text\n"
        "     --version               Show package version\n"
        "\nMATCHES: _SYSTEMD_UNIT=UNIT, SYSLOG_IDENTIFIER=STRING, _PID=PID.\n",
        prog);
}

/* safe_atoi(): a whole int, blanks before allowed. */
static bool parse_int(const char *s, int *v)
{
    char *end;
    errno = 0;
    long l = strtol(s, &end, 10);
    if (errno || end == s || *end || l < -2147483647L - 1 || l > 2147483647L)
        return false;
    *v = (int)l;
    return true;
}

static bool parse_lines(const char *s, int *lines)
{
    if (strcmp(s, "all") == 0) {
        *lines = JCTL_LINES_ALL;
        return true;
    }
    int n;
    if (!parse_int(s, &n) || n < 0)
        return false;
    *lines = n;
    return true;
}

/* The current boot's id as journalctl writes it: 32 hex digits. */
static void read_boot_id(char out[33])
{
    out[0] = '\0';
    FILE *f = fopen("/proc/sys/kernel/random/boot_id", "re");
    if (!f)
        return;
    char line[64];
    if (fgets(line, sizeof(line), f)) {
        size_t o = 0;
        for (char *p = line; *p && o < 32; p++)
            if (isxdigit((unsigned char)*p))
                out[o++] = (char)tolower((unsigned char)*p);
        out[o == 32 ? 32 : 0] = '\0';
    }
    fclose(f);
}

/* parse_boot_descriptor(): "all", ID[±N] or ±N. 1 with a boot, 0 for
 * "all", -1 when malformed. */
static int parse_boot(const char *x, char id[33], int *offset)
{
    *offset = 0;
    id[0] = '\0';
    if (strcmp(x, "all") == 0)
        return 0;
    if (strlen(x) >= 32) {
        bool hex = true;
        for (int i = 0; i < 32; i++)
            hex = hex && isxdigit((unsigned char)x[i]);
        if (hex) {
            for (int i = 0; i < 32; i++)
                id[i] = (char)tolower((unsigned char)x[i]);
            id[32] = '\0';
            x += 32;
        }
        if (*x && *x != '-' && *x != '+')
            return -1;
        if (!*x)
            return 1;
    }
    return parse_int(x, offset) ? 1 : -1;
}

/* The only boot pxinit keeps is the current one: offset 0 (or 1, the first
 * boot the journal holds), or its own id. */
static int check_boot(const char *id, int offset, const char *current)
{
    bool ok = id[0] ? strcmp(id, current) == 0 && offset == 0 : offset == 0 || offset == 1;
    if (ok)
        return 0;
    if (id[0])
        fprintf(stderr,
                "Data from the specified boot (%s) is not available: No such boot ID in journal\n",
                id);
    else
        fprintf(stderr,
                "Data from the specified boot (%+d) is not available: No such boot ID in journal\n",
                offset);
    return 1;
}

static int level_from_name(const char *s)
{
    static const char *const names[] = {"emerg",   "alert",  "crit", "err",
                                        "warning", "notice", "info", "debug"};
    for (int i = 0; i < 8; i++)
        if (strcmp(s, names[i]) == 0)
            return i;
    int n;
    return parse_int(s, &n) && n >= 0 && n <= 7 ? n : -1;
}

static int parse_priority(const char *arg, int *mask)
{
    char buf[64];
    const char *dots = strstr(arg, "..");
    if (!dots) {
        int p = level_from_name(arg);
        if (p < 0) {
            fprintf(stderr, "Unknown log level %s\n", arg);
            return -1;
        }
        *mask = (1 << (p + 1)) - 1;
        return 0;
    }
    snprintf(buf, sizeof(buf), "%.*s", (int)(dots - arg), arg);
    int from = level_from_name(buf), to = level_from_name(dots + 2);
    if (from < 0 || to < 0) {
        fprintf(stderr, "Failed to parse log level range %s\n", arg);
        return -1;
    }
    if (from > to) {
        int t = from;
        from = to;
        to = t;
    }
    *mask = 0;
    for (int i = from; i <= to; i++)
        *mask |= 1 << i;
    return 0;
}

/* unit_name_mangle(): a glob and a name with a unit type stay as they
 * are; any other name becomes NAME.service. */
static int push_unit(struct strv *units, const char *name)
{
    static const char *const types[] = {".service", ".socket", ".target",   ".timer",
                                        ".mount",   ".path",   ".slice",    ".scope",
                                        ".device",  ".swap",   ".automount"};
    const char *dot = strrchr(name, '.');
    if (strpbrk(name, "*?[") != NULL)
        return strv_push(units, name);
    for (size_t i = 0; dot && i < sizeof(types) / sizeof(types[0]); i++)
        if (strcmp(dot, types[i]) == 0)
            return strv_push(units, name);
    char buf[512];
    if (snprintf(buf, sizeof(buf), "%s.service", name) >= (int)sizeof(buf))
        return strv_push(units, name);
    return strv_push(units, buf);
}

static int add_match(struct jctl_opts *o, const char *m)
{
    const char *eq = strchr(m, '=');
    if (eq && strncmp(m, "_SYSTEMD_UNIT=", 14) == 0)
        return strv_push(&o->units, eq + 1) < 0 ? 1 : 0;
    if (eq && strncmp(m, "SYSLOG_IDENTIFIER=", 18) == 0)
        return strv_push(&o->idents, eq + 1) < 0 ? 1 : 0;
    if (eq && strncmp(m, "_PID=", 5) == 0)
        return strv_push(&o->pids, eq + 1) < 0 ? 1 : 0;
    fprintf(stderr, "journalctl: the match '%s' is not supported by pxinit\n", m);
    return 1;
}

static uint64_t now_usec(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static int parse_time_arg(const char *arg, uint64_t *out)
{
    if (timestamp_parse(arg, now_usec(), out) < 0) {
        fprintf(stderr, "Failed to parse timestamp: %s\n", arg);
        return -1;
    }
    return 0;
}

/* Returns -1 to go on, else the exit code. */
static int parse_argv(int argc, char **argv, struct jctl_opts *o, char boot_id[33])
{
    bool boot = false;
    char want_id[33] = "";
    int offset = 0, c, mode, mode_i = 0, longindex = -1;
    optind = 0;
    while ((c = getopt_long(argc, argv, "hefo:aln::qmb::kD:p:g:c:S:U:t:u:NF:xrM:", options,
                            &longindex)) >= 0) {
        if (c != ARG_UNSUPPORTED)
            longindex = -1;
        switch (c) {
        case 'h':
            help(argv[0]);
            return 0;
        case ARG_VERSION:
            printf("systemd 252 (pxinit %s)\n", PACKAGE_VERSION);
            return 0;
        case ARG_NO_PAGER:
        case 'a':
        case 'l':
        case ARG_NO_FULL:
        case 'x':
            break;
        case 'e':
            if (o->lines == JCTL_LINES_DEFAULT)
                o->lines = 1000;
            boot = true;
            break;
        case 'f':
            o->follow = true;
            break;
        case 'o':
            if (strcmp(optarg, "help") == 0) {
                for (const char *n; (n = jf_mode_name(mode_i)); mode_i++)
                    puts(n);
                return 0;
            }
            mode = jf_mode_from_name(optarg);
            if (mode < 0) {
                fprintf(stderr, "Unknown output format '%s'.\n", optarg);
                return 1;
            }
            o->fmt.mode = (enum jf_mode)mode;
            if (jf_mode_quiet(o->fmt.mode))
                o->quiet = true;
            break;
        case 'n':
            if (optarg) {
                if (!parse_lines(optarg, &o->lines)) {
                    fprintf(stderr, "Failed to parse lines '%s'\n", optarg);
                    return 1;
                }
            } else {
                o->lines = 10;
                if (optind < argc && parse_lines(argv[optind], &o->lines))
                    optind++;
            }
            break;
        case ARG_NO_TAIL:
            o->lines = JCTL_LINES_ALL;
            break;
        case 'q':
            o->quiet = true;
            break;
        case 'b': {
            int r;
            boot = true;
            want_id[0] = '\0';
            offset = 0;
            if (optarg) {
                r = parse_boot(optarg, want_id, &offset);
                if (r < 0) {
                    fprintf(stderr, "Failed to parse boot descriptor '%s'\n", optarg);
                    return 1;
                }
                boot = r == 1;
            } else if (optind < argc && (r = parse_boot(argv[optind], want_id, &offset)) >= 0) {
                boot = r == 1;
                optind++;
            }
            break;
        }
        case ARG_SYSTEM:
            o->user = false;
            break;
        case ARG_USER:
            o->user = true;
            break;
        case 'S':
            if (parse_time_arg(optarg, &o->since) < 0)
                return 1;
            o->since_set = true;
            break;
        case 'U':
            if (parse_time_arg(optarg, &o->until) < 0)
                return 1;
            o->until_set = true;
            break;
        case 'u':
            if (push_unit(&o->units, optarg) < 0)
                return 1;
            break;
        case 't':
            if (strv_push(&o->idents, optarg) < 0)
                return 1;
            break;
        case 'p':
            if (parse_priority(optarg, &o->prio_mask) < 0)
                return 1;
            break;
        case 'r':
            o->reverse = true;
            break;
        case ARG_UTC:
            o->fmt.utc = true;
            o->fmt.zone = tz_utc();
            break;
        case ARG_NO_HOSTNAME:
            o->fmt.no_hostname = true;
            break;
        case '?':
            return 1; /* getopt_long said which */
        default:
            /* A journalctl option pxinit has nothing for. */
            if (c == ARG_UNSUPPORTED)
                fprintf(stderr, "journalctl: --%s is not supported by pxinit\n",
                        options[longindex].name);
            else
                fprintf(stderr, "journalctl: -%c is not supported by pxinit\n", c);
            return 1;
        }
    }
    if (o->follow && !o->since_set && o->lines == JCTL_LINES_DEFAULT)
        o->lines = 10;
    if (o->since_set && o->until_set && o->since > o->until) {
        fprintf(stderr, "--since= must be before --until=.\n");
        return 1;
    }
    if (o->follow && o->reverse) {
        fprintf(stderr, "Please specify either --reverse= or --follow=, not both.\n");
        return 1;
    }
    for (int i = optind; i < argc; i++)
        if (add_match(o, argv[i]) != 0)
            return 1;
    if (boot && check_boot(want_id, offset, boot_id) != 0)
        return 1;
    return -1;
}

int journalctl_main(int argc, char **argv)
{
    static struct jctl_opts o; /* big (the runtime path); one per process */
    char boot_id[33], host[256] = "";
    read_boot_id(boot_id);
    if (gethostname(host, sizeof(host) - 1) < 0)
        host[0] = '\0';
    o.lines = JCTL_LINES_DEFAULT;
    o.prio_mask = 0xff;
    o.fmt.mode = JF_SHORT;
    o.fmt.zone = tz_local();
    o.fmt.hostname = host;
    o.fmt.boot_id = boot_id;
    o.fmt.color = isatty(STDOUT_FILENO) && getenv("NO_COLOR") == NULL &&
                  !(getenv("TERM") && strcmp(getenv("TERM"), "dumb") == 0);
    struct timespec rt, mono;
    clock_gettime(CLOCK_REALTIME, &rt);
    clock_gettime(CLOCK_MONOTONIC, &mono);
    o.fmt.mono_offset_usec =
        ((int64_t)rt.tv_sec - mono.tv_sec) * 1000000 + ((int64_t)rt.tv_nsec - mono.tv_nsec) / 1000;

    int rc = parse_argv(argc, argv, &o, boot_id);
    const char *why;
    if (rc < 0) {
        if (paths_runtime_dir(o.user, o.runtime_dir, sizeof(o.runtime_dir)) < 0) {
            fprintf(stderr, "journalctl: cannot find the %s runtime directory: %s\n",
                    o.user ? "user's" : "system", strerror(errno));
            rc = 1;
        } else if (o.user && (why = paths_runtime_dir_refused(o.runtime_dir))) {
            /* As pxinit --user: another user may have made /tmp/pxinit-UID. */
            fprintf(stderr, "journalctl: runtime directory %s refused: %s\n", o.runtime_dir, why);
            rc = 1;
        } else {
            rc = jctl_run(&o);
        }
    }
    strv_clear(&o.units);
    strv_clear(&o.idents);
    strv_clear(&o.pids);
    return rc;
}
