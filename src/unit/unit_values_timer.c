/* unit_values_timer.c - the [Timer] keys of a .timer (systemd.timer(5))
 * that need more than a time span or a boolean: the On*= triggers, Unit=,
 * and the checks once every file of the timer is read.
 *
 * As in systemd, an empty assignment of any On*= key empties the whole list
 * of triggers, not only that key's (load-fragment.c resets them all); a
 * malformed value is an error here where systemd only warns, as for every
 * key pxinit reads.
 */
#include "unit/unit_values.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/calendar.h"
#include "base/timespan.h"
#include "unit/unit_timer.h"

#define UNIT_NAME_MAX 255

static const char out_of_memory[] = "out of memory";

int value_parse_timer(struct unit_parse_ctx *ctx, const struct unit_key *k, const char *value)
{
    struct unit_timer *t = UNIT_KEY_FIELD(ctx, k, struct unit_timer);
    struct timer_value v = {.base = (enum timer_base)k->arg, .lineno = ctx->lineno};

    if (!*value) {
        unit_timer_clear_values(t);
        return 0;
    }
    if (v.base == TIMER_CALENDAR) {
        if (calendar_parse(value, &v.cal) < 0)
            return errno == ENOMEM
                       ? -1
                       : unit_key_invalid(ctx, "not a calendar event, see systemd.time(7)");
    } else if (timespan_parse(value, USEC_PER_SEC, &v.usec) < 0) {
        return unit_key_invalid(ctx, errno == ERANGE ? "out of range" : "not a time span");
    }
    struct timer_value *nv = realloc(t->v, (t->n + 1) * sizeof(*nv));
    if (!nv) {
        calendar_free(v.cal);
        errno = ENOMEM;
        return -1;
    }
    t->v = nv;
    t->v[t->n++] = v;
    return 0;
}

/* Why name cannot be what a timer starts, or NULL when it can: systemd's
 * unit names (a prefix, maybe "@instance", a type suffix), not a template,
 * not another timer. In a template timer (checked, never run) %i is empty,
 * so only the characters and the type are checked there. */
static const char *trigger_name_problem(const char *name, bool in_template)
{
    size_t n = strlen(name);
    const char *at = strchr(name, '@');
    const char *dot = strrchr(name, '.');

    if (n > UNIT_NAME_MAX)
        return "longer than 255 characters";
    for (const char *p = name; *p; p++) {
        char c = *p;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == ':' || c == '_' || c == '.' || c == '@' || c == '-' || c == '\\'))
            return "not a unit name";
    }
    if (n >= strlen(".timer") && strcmp(name + n - strlen(".timer"), ".timer") == 0)
        return "a timer cannot start a timer";
    if (in_template)
        return NULL;
    /* unit_name_normalize() keeps a name that has a type suffix as it is. */
    char *norm = unit_name_normalize(name);
    if (!norm)
        return out_of_memory;
    bool typed = strcmp(norm, name) == 0;
    free(norm);
    if (!typed || !dot || dot == name)
        return "not a unit name: it needs a type suffix such as .service";
    if (at && (at == name || strchr(at + 1, '@') || at > dot))
        return "not a unit name";
    if (at && at + 1 == dot)
        return "a template: name one of its instances";
    return NULL;
}

int value_parse_timer_unit(struct unit_parse_ctx *ctx, const struct unit_key *k, const char *value)
{
    struct unit_timer *t = UNIT_KEY_FIELD(ctx, k, struct unit_timer);

    if (!*value) {
        free(t->unit);
        t->unit = NULL;
        return 0;
    }
    const char *at = strchr(ctx->u->name, '@');
    bool in_template = at && at[1] == '.';
    const char *problem = trigger_name_problem(value, in_template);
    if (problem == out_of_memory) {
        errno = ENOMEM;
        return -1;
    }
    if (problem)
        return unit_key_invalid(ctx, problem);
    if (t->unit) {
        /* systemd keeps the first and warns; an empty Unit= lets a drop-in
         * name another. */
        unit_diag(ctx, DIAG_WARNING, ctx->lineno, "Unit= given again, keeping %s, ignoring %s",
                  t->unit, value);
        return 0;
    }
    if (!(t->unit = strdup(value))) {
        errno = ENOMEM;
        return -1;
    }
    return 0;
}

int unit_timer_finalize(struct unit_parse_ctx *ctx)
{
    struct unit *u = ctx->u;
    const struct unit_timer *t = unit_timer(u);

    /* systemd's check and words (timer_verify()): clock and zone changes
     * count as triggers. */
    if (t->n == 0 && !t->on_clock_change && !t->on_timezone_change)
        unit_diag(ctx, DIAG_ERROR, 0, "Timer unit lacks value setting. Refusing.");
    if (!t->unit) {
        struct unit_timer *w = unit_part(u, UNIT_PART_TIMER);
        if (!w || !(w->unit = unit_timer_default_unit(u->name))) {
            unit_diag(ctx, DIAG_ERROR, 0, "%s",
                      errno == ENOMEM ? "out of memory" : "a timer's name must end in .timer");
            return -1;
        }
    }
    return u->loaded ? 0 : -1;
}
