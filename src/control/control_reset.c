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
    struct service **v = calloc((size_t)argc + 1, sizeof(*v));
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
    if (ok && !any) {
        for (size_t i = 0; i < px->table.n; i++)
            if (unit_state_of(px->table.svc[i]) == UNIT_STATE_FAILED)
                log_unit_info(px->table.svc[i]->name, "failed state reset (by uid %u)",
                              (unsigned)c->uid);
        /* The table may change under a state change (an ended instance
         * leaves): walk it by index and look again each time. */
        for (size_t i = 0; i < px->table.n; i++)
            unit_reset_failed(px->table.svc[i]);
    } else if (ok) {
        for (size_t i = 0; i < n; i++) {
            if (unit_state_of(v[i]) == UNIT_STATE_FAILED)
                log_unit_info(v[i]->name, "failed state reset (by uid %u)", (unsigned)c->uid);
            unit_reset_failed(v[i]);
        }
    }
    free(v);
    ctl_request_done(c);
}
