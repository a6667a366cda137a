/* check_condition.c - path conditions and asserts, with '!' and '|'; the
 * capability, virtualization and AC power ones. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "unit/condition.h"
#include "unit/unit.h"
#include "unit/unit_keys.h"
#include "base/virt.h"

#define CMDS(u) ((struct unit_cmds *)unit_part((u), UNIT_PART_CMDS)) /* allocates it */

static char dir[64];

static void fixture_up(void)
{
    strcpy(dir, "/tmp/check_condition.XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char p[128];
    snprintf(p, sizeof(p), "%s/empty", dir);
    fclose(fopen(p, "w"));
    snprintf(p, sizeof(p), "%s/full", dir);
    FILE *f = fopen(p, "w");
    fputs("x", f);
    fclose(f);
    snprintf(p, sizeof(p), "%s/exe", dir);
    f = fopen(p, "w");
    fclose(f);
    chmod(p, 0755);
    snprintf(p, sizeof(p), "%s/sub", dir);
    mkdir(p, 0755);
    snprintf(p, sizeof(p), "%s/link", dir);
    ck_assert_int_eq(symlink("full", p), 0);
}

static void fixture_down(void)
{
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    ck_assert_int_eq(system(cmd), 0);
}

static void add(struct unit *u, enum condition_kind kind, const char *rel, bool negate,
                bool trigger, bool is_assert)
{
    struct path_condition *v =
        realloc(CMDS(u)->conditions.v, (CMDS(u)->conditions.n + 1) * sizeof(*v));
    ck_assert_ptr_nonnull(v);
    CMDS(u)->conditions.v = v;
    char path[160];
    snprintf(path, sizeof(path), "%s/%s", dir, rel);
    v[CMDS(u)->conditions.n++] = (struct path_condition){.path = strdup(path),
                                                         .negate = negate,
                                                         .trigger = trigger,
                                                         .is_assert = is_assert,
                                                         .kind = kind};
}

static const struct {
    enum condition_kind kind;
    const char *path;
    bool negate;
    bool holds;
} single[] = {
    {COND_PATH_EXISTS, "full", false, true},
    {COND_PATH_EXISTS, "missing", false, false},
    {COND_PATH_EXISTS, "missing", true, true},
    {COND_PATH_EXISTS_GLOB, "f*", false, true},
    {COND_PATH_EXISTS_GLOB, "z*", false, false},
    {COND_PATH_IS_DIRECTORY, "sub", false, true},
    {COND_PATH_IS_DIRECTORY, "full", false, false},
    {COND_PATH_IS_SYMLINK, "link", false, true},
    {COND_PATH_IS_SYMLINK, "full", false, false},
    {COND_DIRECTORY_NOT_EMPTY, "sub", false, false},
    {COND_DIRECTORY_NOT_EMPTY, ".", false, true},
    {COND_FILE_NOT_EMPTY, "full", false, true},
    {COND_FILE_NOT_EMPTY, "empty", false, false},
    {COND_FILE_NOT_EMPTY, "sub", false, false},
    {COND_FILE_IS_EXECUTABLE, "exe", false, true},
    {COND_FILE_IS_EXECUTABLE, "full", false, false},
    {COND_PATH_IS_MOUNT_POINT, "sub", false, false},
    {COND_PATH_IS_MOUNT_POINT, "sub", true, true},
    {COND_PATH_IS_MOUNT_POINT, "missing", false, false},
    {COND_PATH_IS_READ_WRITE, "sub", false, true},
    {COND_PATH_IS_READ_WRITE, "missing", false, false},
};

START_TEST(test_single)
{
    struct unit *u = unit_new("x.service");
    const struct path_condition *c = NULL;
    add(u, single[_i].kind, single[_i].path, single[_i].negate, false, false);
    enum condition_result r = condition_check(u, &c);
    ck_assert_int_eq(r, single[_i].holds ? CONDITION_MET : CONDITION_FAILED);
    if (!single[_i].holds)
        ck_assert_ptr_eq(c, &CMDS(u)->conditions.v[0]);
    unit_free(u);
}
END_TEST

START_TEST(test_triggers)
{
    const struct path_condition *c = NULL;
    struct unit *u = unit_new("x.service");
    /* One of the '|' conditions holding is enough... */
    add(u, COND_PATH_EXISTS, "missing", false, true, false);
    add(u, COND_PATH_EXISTS, "full", false, true, false);
    ck_assert_int_eq(condition_check(u, &c), CONDITION_MET);
    /* ...but every ordinary one must hold too. */
    add(u, COND_PATH_EXISTS, "missing2", false, false, false);
    ck_assert_int_eq(condition_check(u, &c), CONDITION_FAILED);
    unit_free(u);

    u = unit_new("y.service");
    add(u, COND_PATH_EXISTS, "missing", false, true, false);
    add(u, COND_PATH_EXISTS, "missing2", false, true, false);
    ck_assert_int_eq(condition_check(u, &c), CONDITION_FAILED);
    unit_free(u);
}
END_TEST

START_TEST(test_asserts_win)
{
    const struct path_condition *c = NULL;
    struct unit *u = unit_new("x.service");
    add(u, COND_PATH_EXISTS, "missing", false, false, false);
    add(u, COND_PATH_EXISTS, "missing", false, false, true);
    ck_assert_int_eq(condition_check(u, &c), CONDITION_ASSERT_FAILED);
    ck_assert(c->is_assert);
    ck_assert_str_eq(condition_kind_name(c->kind, true), "AssertPathExists");
    unit_free(u);
}
END_TEST

/* A condition on a word (or an absolute path) as written. */
static void add_word(struct unit *u, enum condition_kind kind, const char *word, bool negate,
                     bool trigger)
{
    struct path_condition *v =
        realloc(CMDS(u)->conditions.v, (CMDS(u)->conditions.n + 1) * sizeof(*v));
    ck_assert_ptr_nonnull(v);
    CMDS(u)->conditions.v = v;
    v[CMDS(u)->conditions.n++] = (struct path_condition){
        .path = strdup(word), .negate = negate, .trigger = trigger, .kind = kind};
}

static bool word_holds(enum condition_kind kind, const char *word, bool negate)
{
    const struct path_condition *c = NULL;
    struct unit *u = unit_new("w.service");
    add_word(u, kind, word, negate, false);
    enum condition_result r = condition_check(u, &c);
    unit_free(u);
    return r == CONDITION_MET;
}

START_TEST(test_mount_point_absolute)
{
    ck_assert(word_holds(COND_PATH_IS_MOUNT_POINT, "/", false));
    ck_assert(word_holds(COND_PATH_IS_MOUNT_POINT, "/proc", false));
    ck_assert(!word_holds(COND_PATH_IS_MOUNT_POINT, "/proc/self", false));
}
END_TEST

START_TEST(test_capability)
{
    ck_assert_int_eq(condition_capability_from_name("CAP_SYS_ADMIN"), 21);
    ck_assert_int_eq(condition_capability_from_name("cap_chown"), 0);
    ck_assert_int_eq(condition_capability_from_name("sys_nice"), 23);
    ck_assert_int_eq(condition_capability_from_name("CAP_CHECKPOINT_RESTORE"), 40);
    ck_assert_int_eq(condition_capability_from_name("7"), 7);
    ck_assert_int_eq(condition_capability_from_name("CAP_NOPE"), -1);
    /* The answer is the bounding set's, whatever this test runs with. */
    bool bset = prctl(PR_CAPBSET_READ, 21UL, 0, 0, 0) == 1;
    ck_assert(word_holds(COND_CAPABILITY, "CAP_SYS_ADMIN", false) == bset);
    ck_assert(word_holds(COND_CAPABILITY, "CAP_SYS_ADMIN", true) == !bset);
    ck_assert(!word_holds(COND_CAPABILITY, "CAP_NOPE", false));
    ck_assert(word_holds(COND_CAPABILITY, "CAP_NOPE", true));
}
END_TEST

/* A fake root for virt_detect: paths relative to dir. */
static void touch_in(const char *rel, const char *content)
{
    char p[256], cmd[512];
    snprintf(p, sizeof(p), "%s/root%s", dir, rel);
    snprintf(cmd, sizeof(cmd), "mkdir -p \"$(dirname '%s')\"", p);
    ck_assert_int_eq(system(cmd), 0);
    FILE *f = fopen(p, "w");
    ck_assert_ptr_nonnull(f);
    fputs(content, f);
    fclose(f);
}

static struct virt detect(const char *env, bool pid1)
{
    char root[128];
    struct virt v;
    snprintf(root, sizeof(root), "%s/root", dir);
    virt_detect(&v, root, env, pid1);
    return v;
}

START_TEST(test_virt_detect)
{
    struct virt v = detect(NULL, true);
    ck_assert_int_eq(v.kind, VIRT_NONE);
    ck_assert_str_eq(v.id, "none");

    touch_in("/.dockerenv", "");
    v = detect(NULL, true);
    ck_assert_int_eq(v.kind, VIRT_CONTAINER);
    ck_assert_str_eq(v.id, "docker");
    /* $container wins over files an image may carry; empty means none. */
    ck_assert_str_eq(detect("podman", true).id, "podman");
    ck_assert_str_eq(detect("something-new", true).id, "container-other");
    ck_assert_int_eq(detect("", true).kind, VIRT_NONE);
    ck_assert_str_eq(detect("oci", true).id, "docker");

    touch_in("/run/.containerenv", "");
    ck_assert_str_eq(detect(NULL, true).id, "podman");
    touch_in("/run/host/container-manager", "systemd-nspawn\n");
    ck_assert_str_eq(detect("", true).id, "systemd-nspawn");
}
END_TEST

START_TEST(test_virt_pid1_env)
{
    /* Not PID 1: PID 1's environment says it. */
    static const char environ_data[] = "PATH=/bin\0container=lxc\0HOME=/";
    char p[256];
    snprintf(p, sizeof(p), "%s/root/proc/1", dir);
    char cmd[300];
    snprintf(cmd, sizeof(cmd), "mkdir -p %s", p);
    ck_assert_int_eq(system(cmd), 0);
    strcat(p, "/environ");
    FILE *f = fopen(p, "w");
    fwrite(environ_data, 1, sizeof(environ_data), f);
    fclose(f);
    ck_assert_str_eq(detect(NULL, false).id, "lxc");
    ck_assert_int_eq(detect(NULL, true).kind, VIRT_NONE);
}
END_TEST

START_TEST(test_virt_vm)
{
    touch_in("/proc/cpuinfo", "processor\t: 0\nflags\t\t: fpu vme hypervisor lahf_lm\n\n");
    ck_assert_str_eq(detect(NULL, true).id, "vm-other");
    touch_in("/sys/class/dmi/id/sys_vendor", "QEMU\n");
    struct virt v = detect(NULL, true);
    ck_assert_int_eq(v.kind, VIRT_VM);
    ck_assert_str_eq(v.id, "qemu");
    /* No hypervisor bit on x86: a vendor name alone is a real machine. */
    touch_in("/proc/cpuinfo", "processor\t: 0\nflags\t\t: fpu vme lahf_lm\n");
    ck_assert_int_eq(detect(NULL, true).kind, VIRT_NONE);
}
END_TEST

static const struct {
    enum virt_kind kind;
    const char *id;
    const char *word;
    bool matches;
} virt_words[] = {
    {VIRT_CONTAINER, "docker", "container", true},
    {VIRT_CONTAINER, "docker", "vm", false},
    {VIRT_CONTAINER, "docker", "docker", true},
    {VIRT_CONTAINER, "docker", "podman", false},
    {VIRT_VM, "kvm", "vm", true},
    {VIRT_VM, "kvm", "container", false},
    {VIRT_VM, "kvm", "kvm", true},
    {VIRT_NONE, "none", "container", false},
    {VIRT_NONE, "none", "none", false},
    {VIRT_CONTAINER, "docker", "bogus", false},
};

START_TEST(test_virt_matches)
{
    struct virt v = {.kind = virt_words[_i].kind};
    snprintf(v.id, sizeof(v.id), "%s", virt_words[_i].id);
    ck_assert_msg(virt_matches(&v, virt_words[_i].word) == virt_words[_i].matches, "%s on %s",
                  virt_words[_i].word, virt_words[_i].id);
}
END_TEST

START_TEST(test_virtualization_condition)
{
    /* Booleans mean "any"; '!' negates; the real detection answers. */
    bool any = virt_get()->kind != VIRT_NONE;
    ck_assert(word_holds(COND_VIRTUALIZATION, "yes", false) == any);
    ck_assert(word_holds(COND_VIRTUALIZATION, "no", false) == !any);
    bool container = virt_get()->kind == VIRT_CONTAINER;
    ck_assert(word_holds(COND_VIRTUALIZATION, "container", false) == container);
    ck_assert(word_holds(COND_VIRTUALIZATION, "container", true) == !container);
    /* '|': one of them is enough. */
    const struct path_condition *c = NULL;
    struct unit *u = unit_new("t.service");
    add_word(u, COND_VIRTUALIZATION, "container", false, true);
    add_word(u, COND_VIRTUALIZATION, "container", true, true);
    ck_assert_int_eq(condition_check(u, &c), CONDITION_MET);
    unit_free(u);
}
END_TEST

/* An attribute of power supply name in the fake /sys/class/power_supply. */
static void supply(const char *name, const char *attr, const char *value)
{
    char rel[160];
    snprintf(rel, sizeof(rel), "/ps/%s/%s", name, attr);
    touch_in(rel, value);
}

static bool on_ac(void)
{
    char ps[128];
    snprintf(ps, sizeof(ps), "%s/root/ps", dir);
    return condition_on_ac_power(ps);
}

START_TEST(test_ac_power_nothing_known)
{
    /* No /sys/class/power_supply, and an empty one (a server, a VM, a
     * container): on AC, so logrotate.service's ConditionACPower=true holds. */
    ck_assert(on_ac());
    char ps[128];
    snprintf(ps, sizeof(ps), "%s/root", dir);
    ck_assert_int_eq(mkdir(ps, 0755), 0);
    snprintf(ps, sizeof(ps), "%s/root/ps", dir);
    ck_assert_int_eq(mkdir(ps, 0755), 0);
    ck_assert(on_ac());
    /* A supply without a readable type, or without online, says nothing. */
    supply("weird", "online", "0\n");
    supply("AC0", "type", "Mains\n");
    ck_assert(on_ac());
}
END_TEST

START_TEST(test_ac_power_laptop)
{
    supply("BAT0", "type", "Battery\n");
    supply("BAT0", "status", "Discharging\n");
    supply("AC", "type", "Mains\n");
    supply("AC", "online", "0\n");
    ck_assert(!on_ac());
    /* Plugged in: the adapter is online (2 is online too). */
    supply("AC", "online", "2\n");
    ck_assert(on_ac());
    supply("AC", "online", "1\n");
    supply("BAT0", "status", "Charging\n");
    ck_assert(on_ac());
}
END_TEST

START_TEST(test_ac_power_only_discharging_battery_counts)
{
    /* An adapter that says offline, no battery: systemd says AC. */
    supply("AC", "type", "Mains\n");
    supply("AC", "online", "0\n");
    ck_assert(on_ac());
    /* A battery that is full, charging or not present is not in use. */
    supply("BAT0", "type", "Battery\n");
    supply("BAT0", "status", "Full\n");
    ck_assert(on_ac());
    supply("BAT0", "status", "Discharging\n");
    supply("BAT0", "present", "0\n");
    ck_assert(on_ac());
    supply("BAT0", "present", "1\n");
    ck_assert(!on_ac());
    /* A device's own battery (a mouse) does not power the machine. */
    supply("BAT0", "scope", "Device\n");
    ck_assert(on_ac());
}
END_TEST

START_TEST(test_ac_power_battery_without_status)
{
    /* No status to read: systemd assumes it is discharging. */
    supply("BAT1", "type", "Battery\n");
    ck_assert(!on_ac());
    /* Any supply that is not a battery and online means AC (a UPS). */
    supply("ups", "type", "UPS\n");
    supply("ups", "online", "1\n");
    ck_assert(on_ac());
}
END_TEST

START_TEST(test_ac_power_usb_c)
{
    supply("BAT0", "type", "Battery\n");
    supply("BAT0", "status", "Discharging\n");
    supply("usbc", "type", "USB\n");
    supply("usbc", "online", "1\n");
    /* Its port gives power out: not a source of the machine's power. */
    supply("usbc", "device/typec/port0/power_role", "[source] sink\n");
    ck_assert(!on_ac());
    /* A port that takes power in. */
    supply("usbc", "device/typec/port1/power_role", "source [sink]\n");
    ck_assert(on_ac());
}
END_TEST

int main(void)
{
    Suite *s = suite_create("condition");
    TCase *tc = tcase_create("paths");
    tcase_add_checked_fixture(tc, fixture_up, fixture_down);
    tcase_add_loop_test(tc, test_single, 0, (int)(sizeof(single) / sizeof(single[0])));
    tcase_add_test(tc, test_triggers);
    tcase_add_test(tc, test_asserts_win);
    tcase_add_test(tc, test_mount_point_absolute);
    suite_add_tcase(s, tc);
    tc = tcase_create("container");
    tcase_add_checked_fixture(tc, fixture_up, fixture_down);
    tcase_add_test(tc, test_capability);
    tcase_add_test(tc, test_virt_detect);
    tcase_add_test(tc, test_virt_pid1_env);
    tcase_add_test(tc, test_virt_vm);
    tcase_add_loop_test(tc, test_virt_matches, 0,
                        (int)(sizeof(virt_words) / sizeof(virt_words[0])));
    tcase_add_test(tc, test_virtualization_condition);
    tcase_add_test(tc, test_ac_power_nothing_known);
    tcase_add_test(tc, test_ac_power_laptop);
    tcase_add_test(tc, test_ac_power_only_discharging_battery_counts);
    tcase_add_test(tc, test_ac_power_battery_without_status);
    tcase_add_test(tc, test_ac_power_usb_c);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
