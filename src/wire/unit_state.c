/* unit_state.c - the one table of state and sub-state words (unit_state.h).
 * Arrays of characters, not of pointers: nothing to relocate, so the code
 * that runs before the C library (client/fastpath.c) reads them as they are.
 */
#include "wire/unit_state.h"

#include <stdbool.h>

static const char state_words[][UNIT_WORD_MAX] = {
    [UNIT_STATE_INACTIVE] = "inactive", [UNIT_STATE_ACTIVATING] = "activating",
    [UNIT_STATE_ACTIVE] = "active",     [UNIT_STATE_DEACTIVATING] = "deactivating",
    [UNIT_STATE_FAILED] = "failed",
};
_Static_assert(sizeof(state_words) / sizeof(state_words[0]) == UNIT_STATE__COUNT,
               "a word for every state");

static const char sub_words[][UNIT_WORD_MAX] = {
    [UNIT_SUB_DEAD] = "dead",
    [UNIT_SUB_START_PRE] = "start-pre",
    [UNIT_SUB_START] = "start",
    [UNIT_SUB_START_POST] = "start-post",
    [UNIT_SUB_RUNNING] = "running",
    [UNIT_SUB_EXITED] = "exited",
    [UNIT_SUB_STOP] = "stop",
    [UNIT_SUB_STOP_SIGTERM] = "stop-sigterm",
    [UNIT_SUB_STOP_SIGKILL] = "stop-sigkill",
    [UNIT_SUB_STOP_POST] = "stop-post",
    [UNIT_SUB_FINAL_SIGTERM] = "final-sigterm",
    [UNIT_SUB_FINAL_SIGKILL] = "final-sigkill",
    [UNIT_SUB_FAILED] = "failed",
    [UNIT_SUB_AUTO_RESTART] = "auto-restart",
    [UNIT_SUB_CONDITION] = "condition",
    [UNIT_SUB_RELOAD] = "reload",
    [UNIT_SUB_MASKED] = "masked",
    [UNIT_SUB_ACTIVE] = "active",
    [UNIT_SUB_WAITING] = "waiting",
    [UNIT_SUB_ELAPSED] = "elapsed",
    [UNIT_SUB_LISTENING] = "listening",
    [UNIT_SUB_STOP_PRE] = "stop-pre",
};
_Static_assert(sizeof(sub_words) / sizeof(sub_words[0]) == UNIT_SUB__COUNT,
               "a word for every sub-state");
_Static_assert(UNIT_STATE__COUNT < UNIT_CODE_NONE && UNIT_SUB__COUNT < UNIT_CODE_NONE,
               "codes fit a byte");

const char *unit_state_name(unsigned code)
{
    return code < UNIT_STATE__COUNT ? state_words[code] : "unknown";
}

const char *unit_sub_name(unsigned code)
{
    return code < UNIT_SUB__COUNT ? sub_words[code] : "unknown";
}

static bool word_eq(const char *a, const char *b)
{
    while (*a && *a == *b) {
        a++;
        b++;
    }
    return *a == *b;
}

static uint8_t code_of(const char (*words)[UNIT_WORD_MAX], unsigned n, const char *word)
{
    for (unsigned i = 0; i < n; i++)
        if (word_eq(words[i], word))
            return (uint8_t)i;
    return UNIT_CODE_NONE;
}

uint8_t unit_state_code(const char *word)
{
    return code_of(state_words, UNIT_STATE__COUNT, word);
}

uint8_t unit_sub_code(const char *word)
{
    return code_of(sub_words, UNIT_SUB__COUNT, word);
}
