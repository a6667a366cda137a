/* unit_values_creds.c - the parsers of who a service runs as (User=,
 * Group=, SupplementaryGroups=) and of its environment (Environment=,
 * PassEnvironment=, UnsetEnvironment=; EnvironmentFile= is a path, in
 * unit_values_paths.c).
 */
#include "unit/unit_values.h"

#include <errno.h>
#include <string.h>

#define AT(ctx, k, type) UNIT_KEY_FIELD(ctx, k, type)

/* User=, Group=: a name or a numeric id; systemd is lenient about names, we
 * only refuse what can never be one. */
int value_parse_user(struct unit_parse_ctx *ctx, const struct unit_key *k, const char *value)
{
    if (*value && !value_user_name_valid(value))
        return unit_key_invalid(ctx, "not a valid user or group name");
    return value_parse_string(ctx, k, value);
}

int value_parse_groups(struct unit_parse_ctx *ctx, const struct unit_key *k, const char *value)
{
    struct strv *field = AT(ctx, k, struct strv);
    struct strv words = {0};
    int r;

    if (!*value) {
        strv_clear(field);
        return 0;
    }
    if (value_words(ctx, value, &words) < 0)
        return -1;
    for (size_t i = 0; i < words.n; i++) {
        if (!value_user_name_valid(words.v[i])) {
            strv_clear(&words);
            return unit_key_invalid(ctx, "not a valid group name");
        }
    }
    r = strv_extend(field, &words);
    strv_clear(&words);
    return r;
}

static bool env_name_valid(const char *s, size_t n)
{
    if (n == 0 || (*s >= '0' && *s <= '9'))
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z') ||
              (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
            return false;
    return true;
}

/* Environment=: one or more "KEY=VALUE" words, quoted as systemd quotes;
 * no variable expansion ("$" has no special meaning here). */
int value_parse_environment(struct unit_parse_ctx *ctx, const struct unit_key *k, const char *value)
{
    struct strv *env = AT(ctx, k, struct strv);
    struct strv words = {0};
    int r = 0;

    if (!*value) {
        strv_clear(env);
        return 0;
    }
    if (value_words(ctx, value, &words) < 0)
        return -1;
    for (size_t i = 0; i < words.n; i++) {
        const char *eq = strchr(words.v[i], '=');
        if (!eq || !env_name_valid(words.v[i], (size_t)(eq - words.v[i]))) {
            strv_clear(&words);
            return unit_key_invalid(ctx, "not a list of KEY=VALUE assignments");
        }
    }
    for (size_t i = 0; i < words.n && r == 0; i++)
        r = env_set(env, words.v[i]);
    strv_clear(&words);
    return r;
}

/* PassEnvironment=, UnsetEnvironment=: words (names, or KEY=VALUE for the
 * latter), repeatable, empty resets. */
int value_parse_env_names(struct unit_parse_ctx *ctx, const struct unit_key *k, const char *value)
{
    struct strv *l = AT(ctx, k, struct strv);
    struct strv words = {0};

    if (!*value) {
        strv_clear(l);
        return 0;
    }
    if (value_words(ctx, value, &words) < 0)
        return -1;
    for (size_t i = 0; i < words.n; i++) {
        if (!strv_contains(l, words.v[i]) && strv_push(l, words.v[i]) < 0) {
            strv_clear(&words);
            return -1;
        }
    }
    strv_clear(&words);
    return 0;
}
