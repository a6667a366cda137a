#!/bin/bash
# Packaged units load as systemd loads them (issue 15, items 9 and 16):
# - units that are empty or link to /dev/null are masked, not errors;
# - SuccessExitStatus= and friends take systemd's exit-status names;
# - IgnoreSIGPIPE= (default yes);
# - `pxinit check FILE` applies FILE.d/*.conf as the daemon does.
. "${srcdir:-.}/tests/e2e/lib.sh"

ctl() { timeout 10 "$PXINIT" -R "$RUN" "$@"; }

# Masked: a link to /dev/null, an empty file, a masked template.
ln -s /dev/null "$UNITS/hidden.service"
: > "$UNITS/empty.service"
ln -s /dev/null "$UNITS/mt@.service"

# Exit-status names (Debian's packaged units use them).
unit dataerr <<EOF2
[Service]
Type=oneshot
SuccessExitStatus=DATAERR 3 SIGUSR1
ExecStart=/bin/sh -c 'echo dataerr >> $T/runs; exit 65'
EOF2
unit cantcreat <<EOF2
[Service]
Restart=always
RestartSec=50ms
RestartPreventExitStatus=CANTCREAT
ExecStart=/bin/sh -c 'echo cantcreat >> $T/runs; exit 73'
EOF2

# SIGPIPE: ignored by default, as in systemd; IgnoreSIGPIPE=no restores it.
script sigs.sh <<'EOF2'
awk '/^SigIgn:/ {print $2}' /proc/self/status > "$T/sigign.$1"
exec sleep 1000
EOF2
unit pipeign <<EOF2
[Service]
ExecStart=$T/sigs.sh default
EOF2
unit pipedfl <<EOF2
[Service]
IgnoreSIGPIPE=no
ExecStart=$T/sigs.sh no
EOF2

px_start
poll 5 test -s "$T/sigign.default" || fail "pipeign did not run"
poll 5 test -s "$T/sigign.no" || fail "pipedfl did not run"
(( 0x$(cat "$T/sigign.default") & 0x1000 )) || fail "SIGPIPE not ignored by default: $(cat "$T/sigign.default")"
(( 0x$(cat "$T/sigign.no") & 0x1000 )) && fail "IgnoreSIGPIPE=no left SIGPIPE ignored: $(cat "$T/sigign.no")"
pass "IgnoreSIGPIPE= (default yes)"

log_has 'error.*(hidden|empty)' && fail "masked units reported as errors: $(cat "$T/log")"
ctl status hidden >"$T/st" 2>&1; rc=$?
[ "$rc" = 3 ] || fail "status of a masked unit exited $rc: $(cat "$T/st")"
grep -q 'masked' "$T/st" || fail "status does not say masked: $(cat "$T/st")"
ctl start hidden 2>"$T/err" && fail "a masked unit started"
grep -qx 'pxinit start: Unit hidden.service is masked.' "$T/err" || fail "start said: $(cat "$T/err")"
ctl start empty 2>"$T/err" && fail "an empty unit file started"
grep -q 'Unit empty.service is masked.' "$T/err" || fail "start said: $(cat "$T/err")"
ctl start mt@x 2>"$T/err" && fail "an instance of a masked template started"
grep -q 'Unit mt@x.service is masked.' "$T/err" || fail "start said: $(cat "$T/err")"
ctl status nosuch >/dev/null 2>&1; rc=$?
[ "$rc" = 4 ] || fail "status of a missing unit exited $rc"
pass "links to /dev/null and empty files mask: status says so, start refuses"

poll 5 file_has "$T/runs" '^dataerr$' || fail "dataerr did not run"
poll 5 ctl status dataerr >/dev/null 2>&1
ctl status dataerr >"$T/st" 2>&1
grep -q failed "$T/st" && fail "SuccessExitStatus=DATAERR: exit 65 counted as failure: $(cat "$T/st")"
grep -q inactive "$T/st" || fail "dataerr: $(cat "$T/st")"
poll 5 file_has "$T/runs" '^cantcreat$' || fail "cantcreat did not run"
poll 3 lines_matching_at_least "$T/runs" '^cantcreat$' 2 &&
    fail "RestartPreventExitStatus=CANTCREAT: exit 73 restarted"
pass "exit-status names: DATAERR, CANTCREAT"

# pxinit check: drop-ins beside FILE, as the daemon applies them (Debian's
# bip-config.service gets its ExecStart= from one).
mkdir -p "$T/chk/bip-config.service.d"
printf '[Unit]\nDescription=ExecStart comes from a drop-in\n[Service]\nType=oneshot\n' \
    > "$T/chk/bip-config.service"
printf '[Service]\nExecStart=/bin/true\n' > "$T/chk/bip-config.service.d/exec.conf"
"$PXINIT" check "$T/chk/bip-config.service" >"$T/chk.out" 2>&1 ||
    fail "check ignored the drop-in: $(cat "$T/chk.out")"
printf '[Service]\nSuccessExitStatus=Bogus\n' > "$T/chk/bip-config.service.d/zz.conf"
"$PXINIT" check "$T/chk/bip-config.service" >"$T/chk.out" 2>&1 &&
    fail "check passed a bad drop-in"
grep -q 'zz.conf:2' "$T/chk.out" || fail "check does not name the drop-in's line: $(cat "$T/chk.out")"
printf '[Service]\nExecStart=/bin/true\nSuccessExitStatus=DATAERR CANTCREAT\n' > "$T/chk/names.service"
"$PXINIT" check "$T/chk/names.service" >"$T/chk.out" 2>&1 || fail "check: $(cat "$T/chk.out")"
ln -s /dev/null "$T/chk/masked.service"
"$PXINIT" check "$T/chk/masked.service" >"$T/chk.out" 2>&1 || fail "check of a masked unit: $(cat "$T/chk.out")"
grep -q masked "$T/chk.out" || fail "check does not say masked: $(cat "$T/chk.out")"
pass "check applies FILE.d/*.conf, takes exit-status names, says masked"
