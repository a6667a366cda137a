/* unit_type.h - the seam between what every unit has and what its type
 * adds.
 *
 * Every loaded unit has one runtime record, struct service (service.h):
 * its name, its links to other units, its sub-state and the active state
 * derived from it, its result, its board slot. What a type does with it
 * (a service runs processes through service.c's machine, a target only
 * waits for others) sits behind one struct unit_type_ops per type, chosen by
 * the unit's kind (unit.h: the file's suffix). The generic code (the job
 * queues, dependency propagation, the board, the control verbs) calls the
 * unit_*() wrappers below, never a type's functions.
 *
 * A new type is one file beside service.c and target.c that defines its
 * struct unit_type_ops (declared below), a UNIT_KIND_ of its suffix in
 * unit.h, and an entry in unit_type.c's table. The service type is defined
 * in unit_type.c, wrapping service.c's functions as they are.
 */
#ifndef PXINIT_UNIT_TYPE_H
#define PXINIT_UNIT_TYPE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/service.h"
#include "wire/unit_state.h"

struct unit_type_ops {
    const char *suffix; /* ".service" */
    void (*start)(struct service *s, bool explicit_request);
    void (*stop)(struct service *s);
    /* Stop, then start again: this unit alone (unit_restart() propagates). */
    void (*restart)(struct service *s);
    /* ExecReload= or the type's idea of it (may be NULL: unsupported). */
    enum svc_reload_result (*reload)(struct service *s);
    /* The sub-state as systemd shows it for this type: a code of
     * wire/unit_state.h (the board and the client name it). */
    uint8_t (*sub_code)(const struct service *s);
    /* The active state, a code of wire/unit_state.h; NULL: the one
     * svc_state_of() derives from s->sub. */
    uint8_t (*state_code)(const struct service *s);
    /* One of its processes exited, or could not be spawned; NULL: the
     * service machine's (svc_proc_exited(), svc_spawn_failed()). */
    void (*proc_exited)(struct service *s, struct svc_proc *p, int wait_status);
    void (*spawn_failed)(struct service *s, struct svc_proc *p);
    /* Its one timer (svc_ops.timer) fired; NULL: svc_timer_fired(). */
    void (*timer_fired)(struct service *s);
    /* systemctl reset-failed: failed becomes dead (inactive); other
     * states are left alone. unit_reset_failed() does the rest. */
    void (*reset_failed)(struct service *s);
    /* True when a start pulls in what the unit Wants=/Requires= (run/pull.c). */
    bool pulls_deps;
};

/* The types, each defined in its own file (a new one is added here and in
 * unit_type.c's table). */
extern const struct unit_type_ops target_type_ops; /* target.c */
extern const struct unit_type_ops timer_type_ops;  /* timer.c */
extern const struct unit_type_ops socket_type_ops; /* socket.c */

/* The operations of s's type (its unit's kind). */
const struct unit_type_ops *unit_type_of(const struct service *s);

void unit_start(struct service *s, bool explicit_request);
void unit_stop(struct service *s);
/* Also restarts the active units that Requires=/PartOf= s, as systemctl. */
void unit_restart(struct service *s);
enum svc_reload_result unit_reload(struct service *s);
/* The state codes of s's record (status, list, the board), which
 * wire/unit_state.h names. */
uint8_t unit_state_of(const struct service *s);
/* Events of s's processes, to its type's machine. */
void unit_proc_exited(struct service *s, struct svc_proc *p, int wait_status);
void unit_spawn_failed(struct service *s, struct svc_proc *p);
void unit_timer_fired(struct service *s);
uint8_t unit_sub_of(const struct service *s);
/* systemctl reset-failed on s: a failed unit becomes inactive (dead), and
 * any unit's result, restart count and start-limit counter start afresh,
 * so that a start works at once. */
void unit_reset_failed(struct service *s);
/* Records the times of a state change (systemd's StateChangeTimestamp and
 * its siblings) in s->stamps, at now (realtime usec); called after every
 * sub-state change (svc_ops.changed). */
void unit_stamps_changed(struct service *s, uint64_t now);

#endif
