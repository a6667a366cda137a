/* service_states.c - a service's sub-states: the active state each belongs
 * to, and their words, which are wire/unit_state.c's (service.h). */
#include "core/service.h"

#include "wire/unit_state.h"

/* The words are wire/unit_state.c's, whose codes are these enums' values:
 * the board stores s->sub as it is, and every printed state is named there. */
#define SAME_CODE(mine, wire) _Static_assert((int)(mine) == (int)(wire), #mine " is " #wire)
SAME_CODE(SVC_INACTIVE, UNIT_STATE_INACTIVE);
SAME_CODE(SVC_ACTIVATING, UNIT_STATE_ACTIVATING);
SAME_CODE(SVC_ACTIVE, UNIT_STATE_ACTIVE);
SAME_CODE(SVC_DEACTIVATING, UNIT_STATE_DEACTIVATING);
SAME_CODE(SVC_FAILED, UNIT_STATE_FAILED);
SAME_CODE(SUB_DEAD, UNIT_SUB_DEAD);
SAME_CODE(SUB_START_PRE, UNIT_SUB_START_PRE);
SAME_CODE(SUB_START, UNIT_SUB_START);
SAME_CODE(SUB_START_POST, UNIT_SUB_START_POST);
SAME_CODE(SUB_RUNNING, UNIT_SUB_RUNNING);
SAME_CODE(SUB_EXITED, UNIT_SUB_EXITED);
SAME_CODE(SUB_STOP, UNIT_SUB_STOP);
SAME_CODE(SUB_STOP_SIGTERM, UNIT_SUB_STOP_SIGTERM);
SAME_CODE(SUB_STOP_SIGKILL, UNIT_SUB_STOP_SIGKILL);
SAME_CODE(SUB_STOP_POST, UNIT_SUB_STOP_POST);
SAME_CODE(SUB_FINAL_SIGTERM, UNIT_SUB_FINAL_SIGTERM);
SAME_CODE(SUB_FINAL_SIGKILL, UNIT_SUB_FINAL_SIGKILL);
SAME_CODE(SUB_FAILED, UNIT_SUB_FAILED);
SAME_CODE(SUB_AUTO_RESTART, UNIT_SUB_AUTO_RESTART);
SAME_CODE(SUB_CONDITION, UNIT_SUB_CONDITION);
SAME_CODE(SUB_RELOAD, UNIT_SUB_RELOAD);

static const enum svc_state sub_state[] = {
    [SUB_DEAD] = SVC_INACTIVE,
    [SUB_START_PRE] = SVC_ACTIVATING,
    [SUB_START] = SVC_ACTIVATING,
    [SUB_START_POST] = SVC_ACTIVATING,
    [SUB_RUNNING] = SVC_ACTIVE,
    [SUB_EXITED] = SVC_ACTIVE,
    [SUB_STOP] = SVC_DEACTIVATING,
    [SUB_STOP_SIGTERM] = SVC_DEACTIVATING,
    [SUB_STOP_SIGKILL] = SVC_DEACTIVATING,
    [SUB_STOP_POST] = SVC_DEACTIVATING,
    [SUB_FINAL_SIGTERM] = SVC_DEACTIVATING,
    [SUB_FINAL_SIGKILL] = SVC_DEACTIVATING,
    [SUB_FAILED] = SVC_FAILED,
    [SUB_AUTO_RESTART] = SVC_ACTIVATING,
    [SUB_CONDITION] = SVC_ACTIVATING,
    [SUB_RELOAD] = SVC_ACTIVE,
};

enum svc_state svc_state_of(enum svc_sub sub)
{
    return sub_state[sub];
}
const char *svc_state_name(enum svc_state state)
{
    return unit_state_name(state);
}
const char *svc_sub_name(enum svc_sub sub)
{
    return unit_sub_name(sub);
}
