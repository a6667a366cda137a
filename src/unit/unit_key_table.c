/* unit_key_table.c - every key pxinit reads, one row per key: {section, key,
 * parser, field, argument}, one array per section, and the keys systemd has
 * that pxinit accepts without acting on them. The meaning is systemd's
 * (systemd.unit(5), systemd.service(5), systemd.exec(5), systemd.kill(5),
 * systemd.timer(5), systemd.socket(5));
 * the parsers are in unit_values*.c and unit_sched.c.
 *
 * To add a key: a row in its section's array (a new section: an array, its
 * list of accepted-but-not-enforced keys, and a line in sections[]).
 * tests/fuzz/run.sh reads the rows' key names from this file for the unit
 * file fuzzer's dictionary.
 */
#include "unit/unit_key_table.h"

#include <signal.h>
#include <stdbool.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>

#define FIELD(f) UNIT_KEY_AT(UNIT_PART_NONE, struct unit, f)
/* Fields of the optional parts of struct unit (unit.h). */
#define DEPS(f) UNIT_KEY_AT(UNIT_PART_DEPS, struct unit_deps, f)
#define EXEC(f) UNIT_KEY_AT(UNIT_PART_EXEC, struct unit_exec, f)
#define DIRS(f) UNIT_KEY_AT(UNIT_PART_DIRS, struct unit_dirs, f)
#define CMDS(f) UNIT_KEY_AT(UNIT_PART_CMDS, struct unit_cmds, f)
#define STATUS(f) UNIT_KEY_AT(UNIT_PART_STATUS, struct unit_status, f)
#define OUTPUT(f) UNIT_KEY_AT(UNIT_PART_OUTPUT, struct unit_output, f)
#define TIMER(f) UNIT_KEY_AT(UNIT_PART_TIMER, struct unit_timer, f)
#define SOCK(f) UNIT_KEY_AT(UNIT_PART_SOCKET, struct unit_socket, f)
#define IN(part) UNIT_KEY_IN(UNIT_PART_##part)
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define U "Unit"
#define S "Service"
#define I "Install"
#define T "Timer"
#define K "Socket"

/* ---- [Unit] --------------------------------------------------------------- */

static const struct unit_key unit_keys[] = {
    {U, "Description", value_parse_string, FIELD(description), 0},
    {U, "After", value_parse_unit_list, DEPS(after), 0},
    {U, "Before", value_parse_unit_list, DEPS(before), 0},
    {U, "Requires", value_parse_unit_list, DEPS(requires), 0},
    {U, "Wants", value_parse_unit_list, DEPS(wants), 0},
    {U, "Requisite", value_parse_unit_list, DEPS(requisite), 0},
    {U, "BindsTo", value_parse_unit_list, DEPS(binds_to), 0},
    {U, "PartOf", value_parse_unit_list, DEPS(part_of), 0},
    {U, "Conflicts", value_parse_unit_list, DEPS(conflicts), 0},
    {U, "StartLimitIntervalSec", value_parse_timespan, FIELD(start_limit_interval_usec), 10000000},
    {U, "StartLimitInterval", value_parse_timespan, FIELD(start_limit_interval_usec), 10000000},
    {U, "StartLimitBurst", value_parse_unsigned, FIELD(start_limit_burst), 5},
    {U, "ConditionPathExists", value_parse_condition_path, CMDS(conditions), COND_PATH_EXISTS},
    {U, "ConditionPathExistsGlob", value_parse_condition_path, CMDS(conditions),
     COND_PATH_EXISTS_GLOB},
    {U, "ConditionPathIsDirectory", value_parse_condition_path, CMDS(conditions),
     COND_PATH_IS_DIRECTORY},
    {U, "ConditionPathIsSymbolicLink", value_parse_condition_path, CMDS(conditions),
     COND_PATH_IS_SYMLINK},
    {U, "ConditionDirectoryNotEmpty", value_parse_condition_path, CMDS(conditions),
     COND_DIRECTORY_NOT_EMPTY},
    {U, "ConditionFileNotEmpty", value_parse_condition_path, CMDS(conditions), COND_FILE_NOT_EMPTY},
    {U, "ConditionFileIsExecutable", value_parse_condition_path, CMDS(conditions),
     COND_FILE_IS_EXECUTABLE},
    {U, "ConditionPathIsMountPoint", value_parse_condition_path, CMDS(conditions),
     COND_PATH_IS_MOUNT_POINT},
    {U, "ConditionPathIsReadWrite", value_parse_condition_path, CMDS(conditions),
     COND_PATH_IS_READ_WRITE},
    {U, "ConditionCapability", value_parse_condition_word, CMDS(conditions), COND_CAPABILITY},
    {U, "ConditionVirtualization", value_parse_condition_word, CMDS(conditions),
     COND_VIRTUALIZATION},
    {U, "ConditionACPower", value_parse_condition_word, CMDS(conditions), COND_AC_POWER},
    {U, "AssertPathExists", value_parse_condition_path, CMDS(conditions),
     COND_ASSERT | COND_PATH_EXISTS},
    {U, "AssertPathExistsGlob", value_parse_condition_path, CMDS(conditions),
     COND_ASSERT | COND_PATH_EXISTS_GLOB},
    {U, "AssertPathIsDirectory", value_parse_condition_path, CMDS(conditions),
     COND_ASSERT | COND_PATH_IS_DIRECTORY},
    {U, "AssertPathIsSymbolicLink", value_parse_condition_path, CMDS(conditions),
     COND_ASSERT | COND_PATH_IS_SYMLINK},
    {U, "AssertDirectoryNotEmpty", value_parse_condition_path, CMDS(conditions),
     COND_ASSERT | COND_DIRECTORY_NOT_EMPTY},
    {U, "AssertFileNotEmpty", value_parse_condition_path, CMDS(conditions),
     COND_ASSERT | COND_FILE_NOT_EMPTY},
    {U, "AssertFileIsExecutable", value_parse_condition_path, CMDS(conditions),
     COND_ASSERT | COND_FILE_IS_EXECUTABLE},
    {U, "AssertPathIsMountPoint", value_parse_condition_path, CMDS(conditions),
     COND_ASSERT | COND_PATH_IS_MOUNT_POINT},
    {U, "AssertPathIsReadWrite", value_parse_condition_path, CMDS(conditions),
     COND_ASSERT | COND_PATH_IS_READ_WRITE},
    {U, "AssertCapability", value_parse_condition_word, CMDS(conditions),
     COND_ASSERT | COND_CAPABILITY},
    {U, "AssertVirtualization", value_parse_condition_word, CMDS(conditions),
     COND_ASSERT | COND_VIRTUALIZATION},
    {U, "AssertACPower", value_parse_condition_word, CMDS(conditions), COND_ASSERT | COND_AC_POWER},
    {U, "SuccessAction", value_parse_action, 0, 0},
    {U, "FailureAction", value_parse_action, 0, 1},
};

/* Keys systemd has and we accept without acting on them (sandboxing, cgroup
 * resource control, other dependency kinds...): a warning, not "unknown". */
/* clang-format off */
static const char *const unsupported_unit_keys[] = {
    "Documentation", "DefaultDependencies",
    "Upholds", "PropagatesReloadTo", "ReloadPropagatedFrom", "PropagatesStopTo",
    "StopPropagatedFrom", "JoinsNamespaceOf", "RequiresMountsFor", "WantsMountsFor",
    "OnFailure", "OnSuccess", "OnFailureJobMode", "IgnoreOnIsolate", "StopWhenUnneeded",
    "RefuseManualStart", "RefuseManualStop", "AllowIsolate", "CollectMode",
    "JobTimeoutSec", "JobRunningTimeoutSec", "JobTimeoutAction", "JobTimeoutRebootArgument",
    "StartLimitAction", "RebootArgument", "SourcePath", "FailureActionExitStatus",
    "SuccessActionExitStatus", "SurviveFinalKillSignal", NULL,
};
/* clang-format on */

/* Condition*= and Assert*= we do not know: also accepted, not enforced. */
static const char *const unsupported_unit_prefixes[] = {"Condition", "Assert", NULL};

/* ---- [Service] ------------------------------------------------------------ */

static const struct unit_key service_keys[] = {
    {S, "Type", value_parse_type, 0, 0},
    {S, "ExecStart", value_parse_exec, FIELD(exec_start), 0},
    {S, "ExecStartPre", value_parse_exec, CMDS(exec_start_pre), 0},
    {S, "ExecStartPost", value_parse_exec, CMDS(exec_start_post), 0},
    {S, "ExecStop", value_parse_exec, CMDS(exec_stop), 0},
    {S, "ExecStopPost", value_parse_exec, CMDS(exec_stop_post), 0},
    {S, "ExecReload", value_parse_exec, CMDS(exec_reload), 0},
    {S, "ExecCondition", value_parse_exec, CMDS(exec_condition), 0},
    {S, "PIDFile", value_parse_pid_file, FIELD(pid_file), 0},
    {S, "RemainAfterExit", value_parse_flag, FIELD(remain_after_exit), 0},
    {S, "Restart", value_parse_enum, 0, KEY_ENUM_RESTART},
    {S, "RestartSec", value_parse_timespan, FIELD(restart_usec), 100000},
    {S, "RestartSteps", value_parse_unsigned, FIELD(restart_steps), 0},
    {S, "RestartMaxDelaySec", value_parse_timespan, FIELD(restart_max_delay_usec), -1},
    {S, "SuccessExitStatus", value_parse_exit_status, STATUS(success_exit_status), 0},
    {S, "RestartPreventExitStatus", value_parse_exit_status, STATUS(restart_prevent), 0},
    {S, "RestartForceExitStatus", value_parse_exit_status, STATUS(restart_force), 0},
    {S, "TimeoutStartSec", value_parse_timeout, 0, 1},
    {S, "TimeoutStopSec", value_parse_timeout, 0, 2},
    {S, "TimeoutSec", value_parse_timeout, 0, 3},
    {S, "KillMode", value_parse_enum, 0, KEY_ENUM_KILL_MODE},
    {S, "KillSignal", value_parse_signal, FIELD(kill_signal), SIGTERM},
    {S, "SendSIGKILL", value_parse_flag, FIELD(send_sigkill), 1},
    {S, "SendSIGHUP", value_parse_flag, FIELD(send_sighup), 0},
    {S, "RestartKillSignal", value_parse_signal, FIELD(restart_kill_signal), 0},
    {S, "FinalKillSignal", value_parse_signal, FIELD(final_kill_signal), SIGKILL},
    {S, "NoNewPrivileges", value_parse_flag, EXEC(no_new_privileges), 0},
    {S, "IgnoreSIGPIPE", value_parse_flag, FIELD(ignore_sigpipe), 1},
    {S, "OOMScoreAdjust", value_parse_oom_score_adjust, IN(EXEC), 0},
    {S, "PassEnvironment", value_parse_env_names, EXEC(pass_environment), 0},
    {S, "UnsetEnvironment", value_parse_env_names, EXEC(unset_environment), 0},
    {S, "User", value_parse_user, EXEC(user), 0},
    {S, "Group", value_parse_user, EXEC(group), 0},
    {S, "SupplementaryGroups", value_parse_groups, EXEC(supplementary_groups), 0},
    {S, "WorkingDirectory", value_parse_working_directory, IN(EXEC), 0},
    {S, "Environment", value_parse_environment, EXEC(environment), 0},
    {S, "EnvironmentFile", value_parse_environment_file, EXEC(environment_files), 0},
    {S, "UMask", value_parse_mode, EXEC(umask), 0022},
    {S, "RuntimeDirectory", value_parse_exec_dirs, IN(DIRS), EXEC_DIR_RUNTIME},
    {S, "StateDirectory", value_parse_exec_dirs, IN(DIRS), EXEC_DIR_STATE},
    {S, "CacheDirectory", value_parse_exec_dirs, IN(DIRS), EXEC_DIR_CACHE},
    {S, "LogsDirectory", value_parse_exec_dirs, IN(DIRS), EXEC_DIR_LOGS},
    {S, "ConfigurationDirectory", value_parse_exec_dirs, IN(DIRS), EXEC_DIR_CONFIGURATION},
    {S, "RuntimeDirectoryMode", value_parse_mode, DIRS(mode[EXEC_DIR_RUNTIME]), 0755},
    {S, "StateDirectoryMode", value_parse_mode, DIRS(mode[EXEC_DIR_STATE]), 0755},
    {S, "CacheDirectoryMode", value_parse_mode, DIRS(mode[EXEC_DIR_CACHE]), 0755},
    {S, "LogsDirectoryMode", value_parse_mode, DIRS(mode[EXEC_DIR_LOGS]), 0755},
    {S, "ConfigurationDirectoryMode", value_parse_mode, DIRS(mode[EXEC_DIR_CONFIGURATION]), 0755},
    {S, "RuntimeDirectoryPreserve", value_parse_dir_preserve, 0, 0},
    {S, "Nice", value_parse_nice, IN(EXEC), 0},
    {S, "CPUSchedulingPolicy", value_parse_sched, IN(EXEC), KEY_SCHED_POLICY},
    {S, "CPUSchedulingPriority", value_parse_sched, IN(EXEC), KEY_SCHED_PRIORITY},
    {S, "CPUSchedulingResetOnFork", value_parse_sched, IN(EXEC), KEY_SCHED_RESET_ON_FORK},
    {S, "IOSchedulingClass", value_parse_sched, IN(EXEC), KEY_IOPRIO_CLASS},
    {S, "IOSchedulingPriority", value_parse_sched, IN(EXEC), KEY_IOPRIO_LEVEL},
    {S, "LimitCPU", value_parse_limit, IN(LIMITS), RLIMIT_CPU},
    {S, "LimitFSIZE", value_parse_limit, IN(LIMITS), RLIMIT_FSIZE},
    {S, "LimitDATA", value_parse_limit, IN(LIMITS), RLIMIT_DATA},
    {S, "LimitSTACK", value_parse_limit, IN(LIMITS), RLIMIT_STACK},
    {S, "LimitCORE", value_parse_limit, IN(LIMITS), RLIMIT_CORE},
    {S, "LimitRSS", value_parse_limit, IN(LIMITS), RLIMIT_RSS},
    {S, "LimitNOFILE", value_parse_limit, IN(LIMITS), RLIMIT_NOFILE},
    {S, "LimitAS", value_parse_limit, IN(LIMITS), RLIMIT_AS},
    {S, "LimitNPROC", value_parse_limit, IN(LIMITS), RLIMIT_NPROC},
    {S, "LimitMEMLOCK", value_parse_limit, IN(LIMITS), RLIMIT_MEMLOCK},
    {S, "LimitLOCKS", value_parse_limit, IN(LIMITS), RLIMIT_LOCKS},
    {S, "LimitSIGPENDING", value_parse_limit, IN(LIMITS), RLIMIT_SIGPENDING},
    {S, "LimitMSGQUEUE", value_parse_limit, IN(LIMITS), RLIMIT_MSGQUEUE},
    {S, "LimitNICE", value_parse_limit, IN(LIMITS), RLIMIT_NICE},
    {S, "LimitRTPRIO", value_parse_limit, IN(LIMITS), RLIMIT_RTPRIO},
    {S, "LimitRTTIME", value_parse_limit, IN(LIMITS), RLIMIT_RTTIME},
    {S, "StandardOutput", value_parse_output, 0, 0},
    {S, "StandardError", value_parse_output, 0, 1},
    {S, "SyslogIdentifier", value_parse_string, OUTPUT(syslog_identifier), 0},
    {S, "X-LogMaxSize", value_parse_log_rotation, IN(OUTPUT), 0},
    {S, "X-LogMaxFiles", value_parse_log_rotation, IN(OUTPUT), 1},
    {S, "WatchdogSec", value_parse_timespan, FIELD(watchdog_usec), 0},
    {S, "NotifyAccess", value_parse_notify_access, 0, KEY_ENUM_NOTIFY_ACCESS},
    {S, "Sockets", value_parse_sockets, DEPS(sockets), 0},
    {S, "FileDescriptorStoreMax", value_parse_unsigned, EXEC(fd_store_max), 0},
    {S, "StandardInput", value_parse_input, IN(EXEC), 0},
    /* Older spellings and [Unit] keys systemd also takes in [Service]. */
    {S, "StartLimitIntervalSec", value_parse_timespan, FIELD(start_limit_interval_usec), 10000000},
    {S, "StartLimitInterval", value_parse_timespan, FIELD(start_limit_interval_usec), 10000000},
    {S, "StartLimitBurst", value_parse_unsigned, FIELD(start_limit_burst), 5},
    {S, "SuccessAction", value_parse_action, 0, 0},
    {S, "FailureAction", value_parse_action, 0, 1},
};

/* clang-format off */
static const char *const unsupported_service_keys[] = {
    /* service */
    "RestartMode",
    "TimeoutAbortSec", "TimeoutStartFailureMode", "TimeoutStopFailureMode",
    "RuntimeMaxSec", "RuntimeRandomizedExtraSec", "GuessMainPID", "PermissionsStartOnly",
    "RootDirectoryStartOnly", "NonBlocking",
    "FileDescriptorStorePreserve", "USBFunctionDescriptors", "USBFunctionStrings", "OOMPolicy",
    "OpenFile", "ReloadSignal", "BusName", "ExitType", "WatchdogSignal",
    /* exec: sandboxing and credentials */
    "PrivateTmp", "PrivateDevices", "PrivateNetwork", "PrivateUsers", "PrivateIPC",
    "PrivateMounts", "PrivatePIDs", "ProtectSystem", "ProtectHome", "ProtectKernelTunables",
    "ProtectKernelModules", "ProtectKernelLogs", "ProtectControlGroups", "ProtectClock",
    "ProtectHostname", "ProtectProc", "ProcSubset", "CapabilityBoundingSet",
    "AmbientCapabilities", "SecureBits", "SystemCallFilter", "SystemCallArchitectures",
    "SystemCallErrorNumber", "SystemCallLog", "RestrictAddressFamilies",
    "RestrictNamespaces", "RestrictRealtime", "RestrictSUIDSGID", "RestrictFileSystems",
    "LockPersonality", "MemoryDenyWriteExecute", "RemoveIPC", "ReadWritePaths",
    "ReadWriteDirectories", "ReadOnlyDirectories", "InaccessibleDirectories",
    "ReadOnlyPaths", "InaccessiblePaths", "ExecPaths", "NoExecPaths", "TemporaryFileSystem",
    "BindPaths", "BindReadOnlyPaths", "RootDirectory", "RootImage", "RootImageOptions",
    "MountAPIVFS", "MountFlags", "DynamicUser", "KeyringMode", "Personality",
    "PAMName", "LoadCredential", "LoadCredentialEncrypted", "SetCredential",
    "SetCredentialEncrypted", "ImportCredential", "SELinuxContext", "AppArmorProfile",
    "SmackProcessLabel", "NetworkNamespacePath", "IPCNamespacePath",
    /* exec: scheduling, I/O, logging, directories */
    "CPUAffinity", "NUMAPolicy",
    "NUMAMask", "TimerSlackNSec", "StandardInputText", "StandardInputData",
    "TTYPath", "TTYReset", "TTYVHangup", "TTYVTDisallocate", "TTYRows", "TTYColumns",
    "SyslogFacility", "SyslogLevel", "SyslogLevelPrefix", "LogLevelMax", "LogExtraFields",
    "LogRateLimitIntervalSec", "LogRateLimitBurst", "LogNamespace", "LogFilterPatterns",
    "UtmpIdentifier", "UtmpMode",
    /* resource control */
    "Slice", "Delegate", "DelegateSubgroup", "CPUAccounting", "CPUWeight", "StartupCPUWeight",
    "CPUShares", "StartupCPUShares", "CPUQuota", "CPUQuotaPeriodSec", "AllowedCPUs",
    "StartupAllowedCPUs", "AllowedMemoryNodes", "MemoryAccounting", "MemoryMin", "MemoryLow",
    "MemoryHigh", "MemoryMax", "MemorySwapMax", "MemoryZSwapMax", "MemoryLimit",
    "TasksAccounting", "TasksMax", "IOAccounting", "IOWeight", "StartupIOWeight",
    "IODeviceWeight", "IOReadBandwidthMax", "IOWriteBandwidthMax", "IOReadIOPSMax",
    "IOWriteIOPSMax", "IODeviceLatencyTargetSec", "BlockIOAccounting", "BlockIOWeight",
    "BlockIODeviceWeight", "BlockIOReadBandwidth", "BlockIOWriteBandwidth", "IPAccounting",
    "IPAddressAllow", "IPAddressDeny", "IPIngressFilterPath", "IPEgressFilterPath",
    "DeviceAllow", "DevicePolicy", "ManagedOOMSwap", "ManagedOOMMemoryPressure",
    "ManagedOOMMemoryPressureLimit", "ManagedOOMPreference", "CoredumpReceive", NULL,
};
/* clang-format on */

/* ---- [Timer] -------------------------------------------------------------- */

/* Read only in a .timer (unit_section_fits()). */
static const struct unit_key timer_keys[] = {
    {T, "OnActiveSec", value_parse_timer, IN(TIMER), TIMER_ACTIVE},
    {T, "OnBootSec", value_parse_timer, IN(TIMER), TIMER_BOOT},
    {T, "OnStartupSec", value_parse_timer, IN(TIMER), TIMER_STARTUP},
    {T, "OnUnitActiveSec", value_parse_timer, IN(TIMER), TIMER_UNIT_ACTIVE},
    {T, "OnUnitInactiveSec", value_parse_timer, IN(TIMER), TIMER_UNIT_INACTIVE},
    {T, "OnCalendar", value_parse_timer, IN(TIMER), TIMER_CALENDAR},
    {T, "AccuracySec", value_parse_timespan, TIMER(accuracy_usec), 60000000},
    {T, "RandomizedDelaySec", value_parse_timespan, TIMER(randomized_delay_usec), 0},
    {T, "FixedRandomDelay", value_parse_flag, TIMER(fixed_random_delay), 0},
    {T, "Persistent", value_parse_flag, TIMER(persistent), 0},
    {T, "WakeSystem", value_parse_flag, TIMER(wake_system), 0},
    {T, "RemainAfterElapse", value_parse_flag, TIMER(remain_after_elapse), 1},
    {T, "OnClockChange", value_parse_flag, TIMER(on_clock_change), 0},
    {T, "OnTimezoneChange", value_parse_flag, TIMER(on_timezone_change), 0},
    {T, "Unit", value_parse_timer_unit, IN(TIMER), 0},
};

/* ---- [Socket] ------------------------------------------------------------- */

/* Read only in a .socket (unit_section_fits()). */
static const struct unit_key socket_keys[] = {
    {K, "ListenStream", value_parse_listen, IN(SOCKET), SOCKET_LISTEN_STREAM},
    {K, "ListenDatagram", value_parse_listen, IN(SOCKET), SOCKET_LISTEN_DATAGRAM},
    {K, "ListenSequentialPacket", value_parse_listen, IN(SOCKET), SOCKET_LISTEN_SEQPACKET},
    {K, "ListenFIFO", value_parse_listen, IN(SOCKET), SOCKET_LISTEN_FIFO},
    {K, "Accept", value_parse_flag, SOCK(accept), 0},
    {K, "Service", value_parse_socket_service, IN(SOCKET), 0},
    {K, "FileDescriptorName", value_parse_fd_name, IN(SOCKET), 0},
    {K, "Backlog", value_parse_unsigned, SOCK(backlog), SOMAXCONN},
    {K, "BindIPv6Only", value_parse_bind_ipv6_only, IN(SOCKET), 0},
    {K, "ReusePort", value_parse_flag, SOCK(reuse_port), 0},
    {K, "FreeBind", value_parse_flag, SOCK(free_bind), 0},
    {K, "SocketUser", value_parse_user, SOCK(socket_user), 0},
    {K, "SocketGroup", value_parse_user, SOCK(socket_group), 0},
    {K, "SocketMode", value_parse_mode, SOCK(socket_mode), 0666},
    {K, "DirectoryMode", value_parse_mode, SOCK(directory_mode), 0755},
    {K, "RemoveOnStop", value_parse_flag, SOCK(remove_on_stop), 0},
    {K, "Symlinks", value_parse_symlinks, IN(SOCKET), 0},
    {K, "MaxConnections", value_parse_max_connections, IN(SOCKET), 0},
    {K, "MaxConnectionsPerSource", value_parse_max_connections, IN(SOCKET), 1},
    {K, "PassCredentials", value_parse_flag, SOCK(pass_credentials), 0},
    {K, "KeepAlive", value_parse_flag, SOCK(keep_alive), 0},
    {K, "NoDelay", value_parse_flag, SOCK(no_delay), 0},
    {K, "ReceiveBuffer", value_parse_socket_buffer, IN(SOCKET), 0},
    {K, "SendBuffer", value_parse_socket_buffer, IN(SOCKET), 1},
    {K, "TriggerLimitIntervalSec", value_parse_timespan, SOCK(trigger_limit_interval_usec),
     2000000},
    {K, "TriggerLimitBurst", value_parse_trigger_burst, IN(SOCKET), 0},
    {K, "ExecStartPre", value_parse_exec, CMDS(exec_start_pre), 0},
    {K, "ExecStartPost", value_parse_exec, CMDS(exec_start_post), 0},
    {K, "ExecStopPre", value_parse_exec, CMDS(exec_stop), 0},
    {K, "ExecStopPost", value_parse_exec, CMDS(exec_stop_post), 0},
};

/* The keys of systemd.exec(5) and systemd.kill(5) a socket's commands
 * take, read by [Service]'s rows into the same fields ('*': a prefix). */
/* clang-format off */
static const char *const socket_exec_keys[] = {
    "User", "Group", "SupplementaryGroups", "WorkingDirectory", "Environment",
    "EnvironmentFile", "PassEnvironment", "UnsetEnvironment", "UMask", "NoNewPrivileges",
    "IgnoreSIGPIPE", "OOMScoreAdjust", "Nice", "CPUScheduling*", "IOScheduling*", "Limit*",
    "RuntimeDirectory*", "StateDirectory*", "CacheDirectory*", "LogsDirectory*",
    "ConfigurationDirectory*", "StandardOutput", "StandardError", "SyslogIdentifier",
    "KillMode", "KillSignal", "SendSIGKILL", "SendSIGHUP", "RestartKillSignal",
    "FinalKillSignal", "TimeoutSec", NULL,
};

/* systemd's [Socket] keys pxinit does not act on; [Service]'s list is
 * also read here (sandboxing and the like, which sockets take too). */
static const char *const unsupported_socket_keys[] = {
    "ListenNetlink", "ListenSpecial", "ListenMessageQueue", "ListenUSBFunction",
    "SocketProtocol", "BindToDevice", "IPTOS", "IPTTL", "Mark", "Priority",
    "DeferAcceptSec", "KeepAliveTimeSec", "KeepAliveIntervalSec", "KeepAliveProbes",
    "Transparent", "Broadcast", "PassSecurity", "PassPacketInfo", "PassFileDescriptorsToExec",
    "Timestamping", "TCPCongestion", "PipeSize", "MessageQueueMaxMessages",
    "MessageQueueMessageSize", "FlushPending", "Writable", "SELinuxContextFromNet",
    "PollLimitIntervalSec", "PollLimitBurst", "DeferTrigger", "DeferTriggerMaxSec",
    "PassPIDFD", "AcceptFileDescriptors", "StandardInput", NULL,
};
static const char *const unsupported_socket_prefixes[] = {"Smack", "Defer", NULL};
/* clang-format on */

/* ---- [Install] ------------------------------------------------------------ */

/* Read by `pxinit enable`-style tools, not by the daemon: accepted and kept
 * nowhere, but Alias= (a second name to start the unit by). */
/* clang-format off */
static const struct unit_key install_keys[] = {
    {I, "WantedBy", NULL, 0, 0},
    {I, "RequiredBy", NULL, 0, 0},
    {I, "UpheldBy", NULL, 0, 0},
    {I, "Alias", value_parse_unit_list, DEPS(install_alias), 0},
    {I, "Also", NULL, 0, 0},
    {I, "DefaultInstance", NULL, 0, 0},
};
/* clang-format on */

static const char *const no_keys[] = {NULL};

static const struct unit_section sections[] = {
    {U, unit_keys, ARRAY_SIZE(unit_keys), unsupported_unit_keys, unsupported_unit_prefixes, NULL, 0,
     NULL, NULL},
    {S, service_keys, ARRAY_SIZE(service_keys), unsupported_service_keys, no_keys, NULL, 0, NULL,
     NULL},
    {T, timer_keys, ARRAY_SIZE(timer_keys), no_keys, no_keys, NULL, 0, NULL, NULL},
    {K, socket_keys, ARRAY_SIZE(socket_keys), unsupported_socket_keys, unsupported_socket_prefixes,
     service_keys, ARRAY_SIZE(service_keys), socket_exec_keys, unsupported_service_keys},
    {I, install_keys, ARRAY_SIZE(install_keys), no_keys, no_keys, NULL, 0, NULL, NULL},
};

const struct unit_section *unit_section_find(const char *name)
{
    for (size_t i = 0; i < ARRAY_SIZE(sections); i++)
        if (strcmp(sections[i].name, name) == 0)
            return &sections[i];
    return NULL;
}

static bool name_matches(const char *const *list, const char *name)
{
    for (; list && *list; list++) {
        size_t n = strlen(*list);
        if ((*list)[n - 1] == '*' ? strncmp(*list, name, n - 1) == 0 : strcmp(*list, name) == 0)
            return true;
    }
    return false;
}

const struct unit_key *unit_section_key(const struct unit_section *s, const char *key)
{
    for (size_t i = 0; i < s->nkeys; i++)
        if (strcmp(s->keys[i].name, key) == 0)
            return &s->keys[i];
    if (!name_matches(s->borrowed, key))
        return NULL;
    for (size_t i = 0; i < s->nborrow_keys; i++)
        if (strcmp(s->borrow_keys[i].name, key) == 0)
            return &s->borrow_keys[i];
    return NULL;
}

bool unit_section_not_enforced(const struct unit_section *s, const char *key)
{
    const char *const *lists[] = {s->unsupported, s->borrow_unsupported};
    for (int k = 0; k < 2; k++)
        for (const char *const *p = lists[k]; p && *p; p++)
            if (strcmp(*p, key) == 0)
                return true;
    for (const char *const *p = s->unsupported_prefixes; p && *p; p++)
        if (strncmp(*p, key, strlen(*p)) == 0)
            return true;
    return false;
}

const struct unit_section *unit_section_at(size_t i)
{
    return i < ARRAY_SIZE(sections) ? &sections[i] : NULL;
}
