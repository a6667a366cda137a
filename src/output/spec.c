/* spec.c - from a unit's output settings to struct output_spec (spec.h). */
#include "output/spec.h"

static void stream_spec(struct output_stream_spec *ss, enum output_kind kind, const char *path,
                        const struct unit_output *uo, const struct manager_config *conf)
{
    *ss = (struct output_stream_spec){.target = OUTPUT_TARGET_NONE};
    if (kind == OUTPUT_JOURNAL) {
        ss->target = OUTPUT_TARGET_CONSOLE;
        return;
    }
    if (kind != OUTPUT_FILE && kind != OUTPUT_APPEND && kind != OUTPUT_TRUNCATE)
        return;
    ss->max_size = uo->log_max_size_set ? uo->log_max_size : conf->log_max_size;
    if (ss->max_size == 0)
        return; /* no rotation: a plain open file, the spawn's own */
    ss->target = OUTPUT_TARGET_FILE;
    ss->path = path;
    ss->truncate = kind == OUTPUT_TRUNCATE;
    ss->max_files = uo->log_max_files_set ? uo->log_max_files : conf->log_max_files;
}

void output_spec_of_unit(struct output_spec *sp, const struct unit *u,
                         const struct manager_config *conf)
{
    const struct unit_output *uo = unit_output(u);
    enum output_kind ko = u->std_output, ke = u->std_error;
    const char *po = uo->std_output_path, *pe = uo->std_error_path;
    if (ke == OUTPUT_DEFAULT) {
        ke = ko;
        pe = po;
    }
    sp->name = unit_name_short(u);
    sp->ident = uo->syslog_identifier;
    stream_spec(&sp->out, ko, po, uo, conf);
    stream_spec(&sp->err, ke, pe, uo, conf);
}
