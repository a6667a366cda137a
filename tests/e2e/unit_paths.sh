#!/bin/bash
# Specifiers cannot walk out of a path (issue 15, item 6): %I turns "-" into
# "/", so an instance named "..-secret-token" made EnvironmentFile=DIR/%I
# read a root-only file into a User=nobody service's environment, and
# StandardOutput=truncate:DIR/%I truncate a root file. Every path-valued
# key refuses a ".." component after expansion, as systemd does, and the
# client that started the instance hears why.
. "${srcdir:-.}/tests/e2e/lib.sh"

mkdir -p "$T/pub" "$T/secret" "$T/logs" "$T/o"
chmod 755 "$T" "$T/pub" "$T/logs"
chmod 777 "$T/o"
chmod 700 "$T/secret"
printf 'SECRET=fine\n' > "$T/pub/ok"
printf 'SECRET=leaked\n' > "$T/secret/token"
chmod 600 "$T/secret/token"
printf 'precious\n' > "$T/victim"
chmod 600 "$T/victim"

unit 'app@' <<EOF2
[Service]
User=nobody
EnvironmentFile=$T/pub/%I
ExecStart=/bin/sh -c 'echo "got:\$SECRET" > $T/o/%i.env; exec sleep 1000'
EOF2
unit 'trunc@' <<EOF2
[Service]
StandardOutput=truncate:$T/logs/%I
ExecStart=/bin/sh -c 'echo written; exec sleep 1000'
EOF2

px_start
ctl() { timeout 10 "$PXINIT" -R "$RUN" "$@"; }
# px_start returns once PID 1 exists; the first request needs its socket
# (a sanitizer build takes a while to get there).
poll 10 test -S "$RUN/control" || fail "no control socket: $(cat "$T/log")"

ctl start app@ok || fail "a harmless instance did not start"
poll 5 test -s "$T/o/ok.env" || fail "app@ok did not run"
[ "$(cat "$T/o/ok.env")" = "got:fine" ] || fail "app@ok: $(cat "$T/o/ok.env")"
pass "an instance whose %I stays inside its directory starts"

for inst in '..-secret-token.service' '..-secret-token' '-..-secret-token' 'x-..-..-secret-token' '\x2e\x2e-secret-token'; do
    ctl start "app@$inst" 2>"$T/err" && fail "app@$inst started"
    grep -q 'EnvironmentFile=' "$T/err" && grep -q '\.\.' "$T/err" ||
        fail "app@$inst: the error does not name the key and the path: $(cat "$T/err")"
    grep -q "app@.service:[0-9]" "$T/err" || fail "app@$inst: no file:line in: $(cat "$T/err")"
done
sleep 0.2 # a service that did start would have written by now (checked again below)
grep -rq leaked "$T/o" && fail "the secret leaked into a User=nobody service: $(cat "$T"/o/*)"
pass "EnvironmentFile=DIR/%I with .. in the instance is refused, the secret stays"

ctl start 'trunc@..-victim' 2>"$T/err" && fail "trunc@..-victim started"
grep -q 'StandardOutput=' "$T/err" || fail "no StandardOutput= in: $(cat "$T/err")"
[ "$(cat "$T/victim")" = precious ] || fail "the root file was truncated: '$(cat "$T/victim")'"
pass "StandardOutput=truncate:DIR/%I with .. in the instance is refused, the file is intact"

ctl status -q app@ok || fail "the daemon lost app@ok"
grep -rq leaked "$T/o" && fail "the secret leaked: $(cat "$T"/o/*)"

# Every other path-valued key, offline: a template instance file named as
# the attacker would name it (check expands %I from the file's name).
mkdir -p "$T/chk"
cat > "$T/chk/k@..-etc.service" <<EOF2
[Unit]
ConditionPathExists=/srv/%I
[Service]
ExecStart=/srv/%I/bin/daemon
WorkingDirectory=/srv/%I
PIDFile=/run/%I/pid
StandardError=append:/var/log/%I
EOF2
"$PXINIT" check "$T/chk/k@..-etc.service" >"$T/chk.out" 2>&1 && fail "check accepted .. in paths"
for key in ConditionPathExists ExecStart WorkingDirectory PIDFile StandardError; do
    grep -q "$key=" "$T/chk.out" || fail "check did not refuse $key=: $(cat "$T/chk.out")"
done
# Tidied as systemd tidies them, not refused: "//" and "/./".
printf '[Service]\nExecStart=/bin/true\nWorkingDirectory=/tmp//./\nPIDFile=x//y.pid\n' > "$T/chk/tidy.service"
"$PXINIT" check "$T/chk/tidy.service" >"$T/chk.out" 2>&1 || fail "check refused // or /./: $(cat "$T/chk.out")"
pass "every path-valued key refuses .. after expansion, // and /./ are tidied"
