/* condition.c - evaluates path conditions: every ordinary one must hold,
 * and of the '|' (trigger) ones at least one, as systemd does. */
#include "condition.h"

#include <dirent.h>
#include <glob.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool dir_not_empty(const char *path)
{
    DIR *d = opendir(path);
    if (!d)
        return false;
    struct dirent *de;
    bool found = false;
    while (!found && (de = readdir(d)))
        found = strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0;
    closedir(d);
    return found;
}

static bool holds(const struct path_condition *c)
{
    struct stat st;
    bool r = false;
    switch (c->kind) {
    case COND_PATH_EXISTS:
        r = access(c->path, F_OK) == 0;
        break;
    case COND_PATH_EXISTS_GLOB: {
        glob_t g;
        r = glob(c->path, GLOB_NOSORT, NULL, &g) == 0;
        if (r)
            globfree(&g);
        break;
    }
    case COND_PATH_IS_DIRECTORY:
        r = stat(c->path, &st) == 0 && S_ISDIR(st.st_mode);
        break;
    case COND_PATH_IS_SYMLINK:
        r = lstat(c->path, &st) == 0 && S_ISLNK(st.st_mode);
        break;
    case COND_DIRECTORY_NOT_EMPTY:
        r = dir_not_empty(c->path);
        break;
    case COND_FILE_NOT_EMPTY:
        r = stat(c->path, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0;
        break;
    case COND_FILE_IS_EXECUTABLE:
        r = stat(c->path, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 0111) &&
            access(c->path, X_OK) == 0;
        break;
    }
    return r != c->negate;
}

enum condition_result condition_check(const struct unit *u, const struct path_condition **what)
{
    const struct condition_list *l = &unit_cmds(u)->conditions;
    /* Asserts first: an assert failure is an error even when a condition
     * would also have skipped the unit. */
    for (int pass = 0; pass < 2; pass++) {
        bool want_assert = pass == 0;
        bool any_trigger = false, trigger_met = false;
        const struct path_condition *first_trigger = NULL;
        for (size_t i = 0; i < l->n; i++) {
            const struct path_condition *c = &l->v[i];
            if (c->is_assert != want_assert)
                continue;
            if (c->trigger) {
                any_trigger = true;
                if (!first_trigger)
                    first_trigger = c;
                if (holds(c))
                    trigger_met = true;
            } else if (!holds(c)) {
                *what = c;
                return want_assert ? CONDITION_ASSERT_FAILED : CONDITION_FAILED;
            }
        }
        if (any_trigger && !trigger_met) {
            *what = first_trigger;
            return want_assert ? CONDITION_ASSERT_FAILED : CONDITION_FAILED;
        }
    }
    return CONDITION_MET;
}

const char *condition_kind_name(enum condition_kind kind, bool is_assert)
{
    static const char *const names[][2] = {
        [COND_PATH_EXISTS] = {"ConditionPathExists", "AssertPathExists"},
        [COND_PATH_EXISTS_GLOB] = {"ConditionPathExistsGlob", "AssertPathExistsGlob"},
        [COND_PATH_IS_DIRECTORY] = {"ConditionPathIsDirectory", "AssertPathIsDirectory"},
        [COND_PATH_IS_SYMLINK] = {"ConditionPathIsSymbolicLink", "AssertPathIsSymbolicLink"},
        [COND_DIRECTORY_NOT_EMPTY] = {"ConditionDirectoryNotEmpty", "AssertDirectoryNotEmpty"},
        [COND_FILE_NOT_EMPTY] = {"ConditionFileNotEmpty", "AssertFileNotEmpty"},
        [COND_FILE_IS_EXECUTABLE] = {"ConditionFileIsExecutable", "AssertFileIsExecutable"},
    };
    return names[kind][is_assert ? 1 : 0];
}
