/* strv.c - string vectors. */
#include "base/strv.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static int strv_reserve(struct strv *sv, size_t extra)
{
    size_t want = sv->n + extra + 1;
    if (want <= sv->cap)
        return 0;
    size_t cap = sv->cap ? sv->cap * 2 : 4;
    while (cap < want)
        cap *= 2;
    char **v = realloc(sv->v, cap * sizeof(*v));
    if (!v)
        return -1;
    sv->v = v;
    sv->cap = cap;
    return 0;
}

int strv_push_owned(struct strv *sv, char *s)
{
    if (!s) {
        errno = ENOMEM;
        return -1;
    }
    if (strv_reserve(sv, 1) < 0) {
        free(s);
        return -1;
    }
    sv->v[sv->n++] = s;
    sv->v[sv->n] = NULL;
    return 0;
}

int strv_push(struct strv *sv, const char *s)
{
    return strv_push_owned(sv, strdup(s));
}

int strv_extend(struct strv *sv, const struct strv *other)
{
    for (size_t i = 0; i < other->n; i++)
        if (strv_push(sv, other->v[i]) < 0)
            return -1;
    return 0;
}

int strv_copy(struct strv *dst, const struct strv *src)
{
    if (strv_extend(dst, src) < 0) {
        strv_clear(dst);
        return -1;
    }
    return 0;
}

bool strv_contains(const struct strv *sv, const char *s)
{
    for (size_t i = 0; i < sv->n; i++)
        if (strcmp(sv->v[i], s) == 0)
            return true;
    return false;
}

bool strv_equal(const struct strv *a, const struct strv *b)
{
    if (a->n != b->n)
        return false;
    for (size_t i = 0; i < a->n; i++)
        if (strcmp(a->v[i], b->v[i]) != 0)
            return false;
    return true;
}

void strv_clear(struct strv *sv)
{
    for (size_t i = 0; i < sv->n; i++)
        free(sv->v[i]);
    free(sv->v);
    sv->v = NULL;
    sv->n = sv->cap = 0;
}

char *const *strv_array(const struct strv *sv)
{
    static char *const empty[] = {NULL};
    return sv->v ? sv->v : empty;
}

const char *env_get(const struct strv *env, const char *key, size_t keylen)
{
    for (size_t i = env->n; i-- > 0;) {
        const char *e = env->v[i];
        if (strncmp(e, key, keylen) == 0 && e[keylen] == '=')
            return e + keylen + 1;
    }
    return NULL;
}

void env_unset(struct strv *env, const char *key)
{
    size_t keylen = strlen(key), w = 0;
    for (size_t i = 0; i < env->n; i++) {
        if (strncmp(env->v[i], key, keylen) == 0 && env->v[i][keylen] == '=')
            free(env->v[i]);
        else
            env->v[w++] = env->v[i];
    }
    env->n = w;
    if (env->v)
        env->v[w] = NULL;
}

int env_set(struct strv *env, const char *assignment)
{
    const char *eq = strchr(assignment, '=');
    size_t keylen = eq ? (size_t)(eq - assignment) : strlen(assignment);
    for (size_t i = 0; i < env->n; i++) {
        if (strncmp(env->v[i], assignment, keylen) == 0 && env->v[i][keylen] == '=') {
            char *copy = strdup(assignment);
            if (!copy)
                return -1;
            free(env->v[i]);
            env->v[i] = copy;
            return 0;
        }
    }
    return strv_push(env, assignment);
}
