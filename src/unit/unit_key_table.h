/* unit_key_table.h - the sections of a unit file pxinit reads and the key
 * table of each (unit_key_table.c). Internal to src/unit/. */
#ifndef PXINIT_UNIT_KEY_TABLE_H
#define PXINIT_UNIT_KEY_TABLE_H

#include <stdbool.h>
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
    /* Rows of another section also read here (the exec keys of [Service]
     * in [Socket]): those whose names are in borrowed ('*' ends a prefix);
     * borrow_unsupported is that section's list of keys not enforced. */
    const struct unit_key *borrow_keys;
    size_t nborrow_keys;
    const char *const *borrowed;
    const char *const *borrow_unsupported;
};

/* The row of s (or of the section it borrows from) for key; NULL when s
 * reads no such key. */
const struct unit_key *unit_section_key(const struct unit_section *s, const char *key);

/* True for a key systemd has in s that pxinit accepts without acting on it. */
bool unit_section_not_enforced(const struct unit_section *s, const char *key);

/* The section called name, or NULL for one pxinit does not read. */
const struct unit_section *unit_section_find(const char *name);

/* The i-th section, NULL past the last (for tests). */
const struct unit_section *unit_section_at(size_t i);

#endif
