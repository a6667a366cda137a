/* spec.h - a unit file's output settings as the output layer takes them
 * (struct output_spec): the one place that reads StandardOutput=,
 * StandardError=, SyslogIdentifier= and X-LogMax*= for capture. */
#ifndef PXINIT_OUTPUT_SPEC_H
#define PXINIT_OUTPUT_SPEC_H

#include "config/conf.h"
#include "output/output.h"
#include "unit/unit.h"

/* Fills sp from u (strings borrowed from u), pxinit.conf giving the
 * defaults of rotation. A file is captured only when it rotates; else, as
 * inherit, null and the rest, the spawn opens it (OUTPUT_TARGET_NONE). */
void output_spec_of_unit(struct output_spec *sp, const struct unit *u,
                         const struct manager_config *conf);

#endif
