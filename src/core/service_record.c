/* service_record.c - a service beside its state machine: the record's life
 * (init, a new unit definition, release), its links to other units (shared
 * empty by default), the $INVOCATION_ID of its run, and what the rest of
 * pxinit asks of its state (settled? starting?). Requests that are
 * compositions of the machine's own are here too: a restart is a stop and
 * then a start, carried to the units that need this one; a new run's
 * bookkeeping (start limit, result). None of it decides a transition;
 * service.c is the machine.
 */
#include <stdio.h>
#include <stdlib.h>

#include "base/log.h"
#include "core/service.h"

void svc_init(struct service *s, struct unit *u, const struct svc_ops *ops, void *ctx)
{
    memset(s, 0, sizeof(*s));
    svc_set_unit(s, u);
    s->ops = ops;
    s->ctx = ctx;
    s->sub = SUB_DEAD;
    s->stop_wanted = true;
    s->board_slot = -1;
    s->links = &svc_links_none;
    svc_proc_reset(&s->main);
    svc_proc_reset(&s->control);
}

bool svc_run_reset(struct service *s)
{
    if (!start_limit_allow(&s->start_limit, s->unit, s->ops->now(s))) {
        /* A unit on its way to failed says so in its "failed:" line. */
        log_msg(s->sub == SUB_FAILED ? LOG_LEVEL_ERROR : LOG_LEVEL_INFO, s->name,
                "start request repeated too quickly, refusing to start");
        return false;
    }
    s->result = RESULT_SUCCESS;
    s->started_ok = false;
    s->start_idx = 0;
    s->have_invocation_id = false; /* a new run, a new $INVOCATION_ID (launch.c) */
    s->mainpid_refused = false;
    return true;
}

const struct svc_links svc_links_none;

struct svc_links *svc_links_edit(struct service *s)
{
    if (s->links != &svc_links_none)
        return (struct svc_links *)s->links; /* its own, allocated below */
    struct svc_links *l = calloc(1, sizeof(*l));
    if (!l)
        return NULL;
    s->links = l;
    return l;
}

/* Back to the shared empty set once nothing is left. */
static void links_drop_if_empty(struct service *s)
{
    const struct svc_links *l = s->links;
    if (l != &svc_links_none && !l->succ && !l->pred && !l->rdeps && !l->deps) {
        free((void *)l);
        s->links = &svc_links_none;
    }
}

void svc_links_clear_order(struct service *s)
{
    if (s->links == &svc_links_none)
        return;
    struct svc_links *l = (struct svc_links *)s->links;
    free(l->succ);
    free(l->pred);
    l->succ = l->pred = NULL;
    l->nsucc = l->npred = 0;
    links_drop_if_empty(s);
}

void svc_links_clear_requirements(struct service *s)
{
    if (s->links == &svc_links_none)
        return;
    struct svc_links *l = (struct svc_links *)s->links;
    free(l->rdeps);
    free(l->deps);
    l->rdeps = l->deps = NULL;
    l->nrdeps = l->ndeps = 0;
    links_drop_if_empty(s);
}

void svc_links_free(struct service *s)
{
    svc_links_clear_order(s);
    svc_links_clear_requirements(s);
    if (s->links != &svc_links_none) { /* counted, never filled (out of memory) */
        free((void *)s->links);
        s->links = &svc_links_none;
    }
}

void svc_invocation_id(const struct service *s, char out[33])
{
    out[0] = '\0';
    if (!s->have_invocation_id)
        return;
    for (int i = 0; i < 16; i++)
        snprintf(out + 2 * i, 3, "%02x", s->invocation_id[i]);
}

void svc_set_unit(struct service *s, struct unit *u)
{
    s->unit = u;
    s->name = unit_name_short(u); /* lives in u: it must follow u */
}

void svc_release(struct service *s)
{
    free(s->status_text);
    s->status_text = NULL;
    s->name = NULL;
    svc_links_free(s);
}

bool svc_is_settled(const struct service *s)
{
    enum svc_state st = svc_state_of(s->sub);
    return st == SVC_INACTIVE || st == SVC_FAILED;
}

bool svc_is_busy_starting(const struct service *s)
{
    return s->sub == SUB_CONDITION || s->sub == SUB_START_PRE || s->sub == SUB_START ||
           s->sub == SUB_START_POST;
}

/* EXTEND_TIMEOUT_USEC= changes no state: it moves the timer of a timed phase. */
void svc_notify_extend_timeout(struct service *s, uint64_t usec)
{
    /* Where a start or stop timeout runs; not ExecCondition= or the final
     * phases, as systemd. */
    bool timed = (svc_is_busy_starting(s) && s->sub != SUB_CONDITION) || s->sub == SUB_STOP ||
                 s->sub == SUB_STOP_SIGTERM || s->sub == SUB_STOP_POST;
    if (timed && s->ops->timer_extend)
        s->ops->timer_extend(s, usec);
}
