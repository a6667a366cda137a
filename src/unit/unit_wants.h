/* unit_wants.h - what a unit's file does not say but its surroundings do:
 * the NAME.wants/ and NAME.requires/ directories beside it (which `enable`
 * fills from [Install]), and the implicit dependencies of a .target. */
#ifndef PXINIT_UNIT_WANTS_H
#define PXINIT_UNIT_WANTS_H

#include <stdbool.h>

#include "base/strv.h"
#include "unit/unit.h"

/* Adds to u's Wants=/Requires= every entry (a link or a file: its name is
 * the unit's) of DIR/NAME.wants/ and DIR/NAME.requires/ for each DIR of
 * dirs, as systemd does for every unit. links, when not NULL, lists the
 * names of such directories that exist (unit_wants_note()): the others are
 * not looked for, which saves two failing opendir() per unit and directory
 * (6 us each here: 120 ms for 10,000 units). 0, or -1 with errno ENOMEM. */
int unit_wants_apply(struct unit *u, const struct strv *dirs, const struct strv *links);

/* One entry of a unit directory, as the loader lists it: a NAME.wants or
 * NAME.requires goes to links; with log_skipped, a unit of a type pxinit
 * does not run (.mount, .path, ...) gets its one info line. */
void unit_wants_note(const char *entry, struct strv *links, bool log_skipped);

/* Whether a [section] belongs in a file of u's kind: [Service] only in a
 * .service, [Timer] only in a .timer, [Socket] only in a .socket (elsewhere it is "unknown", a
 * warning). */
bool unit_section_fits(const struct unit *u, const char *section);

/* A target's default dependencies (systemd.target(5)): After= on every
 * unit it Wants= or Requires=, so that it is active once they are up.
 * 0, or -1 with errno ENOMEM. */
int unit_target_finalize(struct unit *u);

/* A target with no file: its Wants=/Requires= from the directories beside
 * where its file would be in dirs. NULL with errno ENOMEM. */
struct unit *unit_wants_empty_target(const char *name, const struct strv *dirs);

#endif
