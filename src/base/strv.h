/* strv.h - growable NULL-terminated string vectors (argv, envp, lists of names). */
#ifndef PXINIT_STRV_H
#define PXINIT_STRV_H

#include <stdbool.h>
#include <stddef.h>

struct strv {
    char **v; /* NULL-terminated once anything was pushed; may be NULL when empty */
    size_t n;
    size_t cap;
};

/* Appends a copy of s. Returns 0, or -1 with errno ENOMEM. */
int strv_push(struct strv *sv, const char *s);
/* Appends s itself (takes ownership). Returns 0, or -1 (s is freed then). */
int strv_push_owned(struct strv *sv, char *s);
/* Appends copies of all strings of other. */
int strv_extend(struct strv *sv, const struct strv *other);
/* Copies src into dst (dst must be empty). */
int strv_copy(struct strv *dst, const struct strv *src);
bool strv_contains(const struct strv *sv, const char *s);
bool strv_equal(const struct strv *a, const struct strv *b);
/* Frees every string and the vector; leaves sv empty and reusable. */
void strv_clear(struct strv *sv);
/* Always returns a NULL-terminated array (a static empty one when sv is empty). */
char *const *strv_array(const struct strv *sv);

/* Environment helpers over "KEY=VALUE" entries: set replaces an entry with the
 * same key; get returns the value or NULL. */
int env_set(struct strv *env, const char *assignment);
const char *env_get(const struct strv *env, const char *key, size_t keylen);
/* Removes every entry for key. */
void env_unset(struct strv *env, const char *key);

#endif
