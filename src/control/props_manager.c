/* props_manager.c - the manager's properties (systemctl show without a
 * unit; systemd's dbus-manager.c order), of those pxinit has. */
#include "control/props.h"

#include "base/log.h"

void props_manager(const struct props_out *o, const struct props_manager *m)
{
    props_str(o, "Version", m->version);
    props_str(o, "Features", "");
    props_str(o, "Architecture", "");
    props_str(o, "Tainted", "");
    props_u64(o, "UserspaceTimestamp", m->userspace_timestamp);
    props_str(o, "LogLevel", log_level_name(log_get_level()));
    props_str(o, "LogTarget", "console");
    props_u64(o, "NNames", m->n_names);
    props_u64(o, "NFailedUnits", m->n_failed_units);
    props_u64(o, "NJobs", m->n_jobs);
    props_u64(o, "NInstalledJobs", 0);
    props_u64(o, "NFailedJobs", 0);
    props_str(o, "Progress", m->n_jobs ? "0" : "1");
    props_str(o, "Environment", m->environment);
    props_bool(o, "ConfirmSpawn", false);
    props_bool(o, "ShowStatus", false);
    props_str(o, "UnitPath", m->unit_path);
    props_str(o, "DefaultStandardOutput", "journal");
    props_str(o, "DefaultStandardError", "inherit");
    props_str(o, "SystemState", m->system_state);
}
