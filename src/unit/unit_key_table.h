/* unit_key_table.h - the sections of a unit file pxinit reads and the key
 * table of each (unit_key_table.c). Internal to src/unit/. */
#ifndef PXINIT_UNIT_KEY_TABLE_H
#define PXINIT_UNIT_KEY_TABLE_H

#include <stddef.h>

#include "unit/unit_values.h"

struct unit_section {
    const char *name; /* "Service" for [Service] */
    const struct unit_key *keys;
    size_t nkeys;
    /* systemd's keys we accept without acting on them, by name and by
     * prefix; both NULL-terminated. */
    const char *const *unsupported;
    const char *const *unsupported_prefixes;
};

/* The section called name, or NULL for one pxinit does not read. */
const struct unit_section *unit_section_find(const char *name);

/* The i-th section, NULL past the last (for tests). */
const struct unit_section *unit_section_at(size_t i);

#endif
