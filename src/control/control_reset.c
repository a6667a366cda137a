/* control_reset.c - the `reset-failed [UNIT...]` request (doc/protocol.md):
 * as systemctl reset-failed, a failed unit becomes inactive (dead), and a
 * named unit's result and start-limit counter start afresh, so that a
 * start works at once. Without a unit, every unit. */
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "control/control_int.h"
#include "control/control_show.h"
#include "core/unit_type.h"
#include "wire/status_line.h"

void ctl_verb_reset_failed(struct ctl_client *c, int argc, char **argv)
{
    struct pxinit *px = c->ctl->px;
    /* The units first, then the resets: a state change may take an ended
     * instance out of the table (it is freed later, when idle), so the
     * table is not walked while it changes. */
    size_t cap = (size_t)argc > px->table.n ? (size_t)argc : px->table.n;
    struct service **v = calloc(cap + 1, sizeof(*v));
    size_t n = 0;
    bool any = false, ok = true;
    if (!v) {
        ctl_error(c, PROTO_EXIT_FAILED, "reset-failed: out of memory");
        ctl_request_done(c);
        return;
    }
    /* Every name first: one unknown and nothing is done, as the other
     * verbs. */
    for (int i = 1; i < argc; i++) {
        if (argv[i][0] == '-')
            continue;
        any = true;
        char *full = proto_unit_name_ok(argv[i]) ? unit_name_normalize(argv[i]) : NULL;
        struct service *s = full ? unit_table_find(&px->table, full) : NULL;
        free(full);
        if (s)
            v[n++] = s;
        else {
            ctl_error(c, PROTO_EXIT_NO_UNIT, "%s: no such unit", argv[i]);
            ok = false;
        }
    }
    if (!any)
        for (size_t i = 0; i < px->table.n; i++)
            v[n++] = px->table.svc[i];
    for (size_t i = 0; ok && i < n; i++) {
        if (unit_state_of(v[i]) == UNIT_STATE_FAILED)
            log_unit_info(v[i]->name, "failed state reset (by uid %u)", (unsigned)c->uid);
        unit_reset_failed(v[i]);
    }
    free(v);
    ctl_request_done(c);
}
