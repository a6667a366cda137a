/* unit_keys.h - applying one assignment of a unit file to a unit: the
 * section's key table picks the parser, %-specifiers are resolved first,
 * and unknown or unsupported keys are reported. unit_parse.c drives it with
 * what the syntax reader (unit_reader.c) finds. Internal to src/unit/.
 */
#ifndef PXINIT_UNIT_KEYS_H
#define PXINIT_UNIT_KEYS_H

#include "unit/unit_key_table.h"
#include "unit/unit_values.h"

/* Applies key=value, written in section at ctx->lineno, to ctx->u: parses it
 * through the section's key table, or warns about an unknown or unsupported
 * key. Malformed values are reported and parsing goes on. Returns 0, or -1
 * with errno ENOMEM (already reported). */
int unit_keys_apply(struct unit_parse_ctx *ctx, const struct unit_section *section, const char *key,
                    const char *value);

/* At the end of a file: one warning listing the keys accepted but not
 * enforced (sandboxing, resource control), each once. */
void unit_keys_finish(struct unit_parse_ctx *ctx);

#endif
