/* unit_keys.c - applies one assignment to a unit through its section's key
 * table (unit_key_table.c): resolves %-specifiers (unit_specifier.c), runs
 * the row's parser, and reports what it cannot take.
 *
 * systemd's rules: a repeated list key appends and an empty assignment
 * resets it; a scalar key's last assignment wins and an empty one restores
 * the default (the parsers do this). A malformed value is an error (the unit
 * will not load) but parsing goes on, so that one run of `pxinit check` shows
 * every mistake. A key systemd has and pxinit does not enforce is named once
 * per file (unit_keys_finish); an unknown one is a warning.
 */
#include "unit/unit_keys.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit/unit_specifier.h"

/* Runs row k's parser on value (specifiers already resolved) and reports a
 * malformed value; shown is the value as written. */
static int unit_key_run(struct unit_parse_ctx *ctx, const struct unit_key *k, const char *value,
                        const char *shown)
{
    ctx->reason = NULL;
    /* The part the key writes exists from now on, even when the value turns
     * out malformed or resets the key: unit_equal() reads a part holding
     * defaults like a missing one. */
    if (unit_part(ctx->u, UNIT_KEY_PART(k)) && k->parse(ctx, k, value) == 0)
        return 0;
    if (errno == ENOMEM) {
        unit_diag(ctx, DIAG_ERROR, ctx->lineno, "out of memory while parsing %s=", k->name);
        return -1;
    }
    /* With specifiers, what they expanded to too: an instance name can be
     * what made the value bad. */
    bool expanded = value != shown;
    unit_diag(ctx, DIAG_ERROR, ctx->lineno, "invalid value for %s=: '%s'%s%s%s%s%s%s", k->name,
              shown, expanded ? " (expands to '" : "", expanded ? value : "", expanded ? "')" : "",
              ctx->reason ? " (" : "", ctx->reason ? ctx->reason : "", ctx->reason ? ")" : "");
    return 0;
}

/* Resolves value's specifiers and runs row k on it. */
static int unit_key_expand_run(struct unit_parse_ctx *ctx, const struct unit_key *k,
                               const char *value)
{
    char *expanded, bad = 0;
    int r;

    if (!k->parse)
        return 0;
    if (!strchr(value, '%'))
        return unit_key_run(ctx, k, value, value);
    expanded = unit_specifier_expand(ctx->u, value, &bad);
    if (!expanded && errno == ENOMEM) {
        unit_diag(ctx, DIAG_ERROR, ctx->lineno, "out of memory while parsing %s=", k->name);
        return -1;
    }
    if (!expanded) {
        unit_diag(ctx, DIAG_ERROR, ctx->lineno,
                  "invalid value for %s=: '%s' (unknown specifier '%%%c'; write %%%% for "
                  "a literal %%)",
                  k->name, value, bad ? bad : ' ');
        return 0;
    }
    r = unit_key_run(ctx, k, expanded, value);
    free(expanded);
    return r;
}

/* Letters and digits, shorter than any line a status shows: systemd's keys. */
static bool key_name_plain(const char *key)
{
    size_t n = 0;
    for (; key[n]; n++)
        if (n >= 63 || !((key[n] >= 'A' && key[n] <= 'Z') || (key[n] >= 'a' && key[n] <= 'z') ||
                         (key[n] >= '0' && key[n] <= '9')))
            return false;
    return n > 0;
}

/* Sandboxing and resource keys are common in packaged units: one warning
 * per file lists each of them once, with its first line. */
static void unit_key_not_enforced(struct unit_parse_ctx *ctx, const char *key)
{
    char probe[128];
    struct unit_deps *d = unit_part(ctx->u, UNIT_PART_DEPS);

    /* Kept on the unit for `status` and the boot's summary; bounded. A
     * failed allocation only makes the list shorter. A name a prefix let in
     * (Condition...=) is kept only when it looks like a key: short, letters
     * and digits (not 1 MiB, nor blanks that split show's list). */
    if (d && key_name_plain(key) && !strv_contains(&d->not_enforced, key) &&
        d->not_enforced.n < UNIT_NOT_ENFORCED_MAX)
        (void)strv_push(&d->not_enforced, key);

    snprintf(probe, sizeof(probe), "%s= ", key);
    ctx->not_enforced[ctx->not_enforced_len] = '\0';
    const char *seen = strstr(ctx->not_enforced, probe);
    if (seen && (seen == ctx->not_enforced || seen[-1] == ' '))
        return;
    size_t left = sizeof(ctx->not_enforced) - ctx->not_enforced_len;
    int n = snprintf(ctx->not_enforced + ctx->not_enforced_len, left, "%s%s= (line %u)",
                     ctx->not_enforced_len ? ", " : "", key, ctx->lineno);
    if (n > 0 && (size_t)n < left)
        ctx->not_enforced_len += (size_t)n;
    else
        ctx->not_enforced_more++;
}

int unit_keys_apply(struct unit_parse_ctx *ctx, const struct unit_section *section, const char *key,
                    const char *value)
{
    const struct unit_key *k = unit_section_key(section, key);
    if (k)
        return unit_key_expand_run(ctx, k, value);
    if (strncmp(key, "X-", 2) == 0)
        return 0; /* systemd's convention for extensions (ours are in the table) */
    if (strcmp(key, "Documentation") == 0)
        return 0; /* only for humans: nothing to enforce */
    if (unit_section_not_enforced(section, key))
        unit_key_not_enforced(ctx, key);
    else
        unit_diag(ctx, DIAG_WARNING, ctx->lineno, "unknown key '%s' in section [%s], ignoring", key,
                  section->name);
    return 0;
}

void unit_keys_finish(struct unit_parse_ctx *ctx)
{
    ctx->not_enforced[ctx->not_enforced_len] = '\0';
    if (ctx->diag.sink && ctx->diag.sink->not_enforced_quiet)
        return; /* the daemon sums them up once (unit_notice.c) */
    if (ctx->not_enforced_len && ctx->not_enforced_more)
        unit_diag(ctx, DIAG_WARNING, 0, "accepted, not enforced: %s and %u more", ctx->not_enforced,
                  ctx->not_enforced_more);
    else if (ctx->not_enforced_len)
        unit_diag(ctx, DIAG_WARNING, 0, "accepted, not enforced: %s", ctx->not_enforced);
}
