#!/bin/bash
# PIDFile= of a Type=forking unit that runs as another user: a pid in it is
# taken only when it is the unit's process, and a symlink of that user is not
# followed to a file only root may read (whose number is never logged).
. "${srcdir:-.}/tests/e2e/lib.sh"
chmod 755 "$T"
mkdir "$T/w"
chown nobody "$T/w"   # the unit's own directory, as RuntimeDirectory= with User=
SECRET=48611
echo "$SECRET" >"$T/secret"
chmod 600 "$T/secret"
BAD=0
soft_fail() { BAD=1; echo "FAIL: $*" >&2; }

victim_unit
# A daemon in a session of its own, then the PID file as MODE says.
script forker.sh <<'EOF2'
setsid sh -c 'echo $$ > "$T/w/$0.tmp"; mv "$T/w/$0.tmp" "$T/w/$0.daemon"
    trap "exit 0" TERM; while :; do sleep 0.1; done' "$1" &
while [ ! -s "$T/w/$1.daemon" ]; do sleep 0.02; done
case $1 in
foreign) while [ ! -s "$T/victim.child" ]; do sleep 0.05; done
    cp "$T/victim.child" "$T/w/foreign.pid" ;;
link) ln -sf "$T/secret" "$T/w/link.pid" ;;
own) cp "$T/w/own.daemon" "$T/w/own.pid" ;;
esac
exit 0
EOF2
for m in foreign link own; do
    unit "pf_$m" <<EOF2
[Unit]
After=victim.service
[Service]
Type=forking
User=nobody
PIDFile=$T/w/$m.pid
ExecStart=$T/forker.sh $m
EOF2
done

px_start
poll 10 log_has 'pf_foreign: state active' || fail "pf_foreign not active"
poll 10 log_has 'pf_link: state active' || fail "pf_link not active"
poll 10 log_has 'pf_own: state active' || fail "pf_own not active"

# A foreign root pid in the file: refused; stopping the unit leaves it alone.
vc=$(cat "$T/victim.child")
"$PXINIT" -R "$RUN" stop pf_foreign >/dev/null 2>&1
poll 10 log_has 'pf_foreign: state (inactive|failed)' || fail "pf_foreign did not stop"
sleep 0.3
if log_has "pf_foreign: main pid is now $vc\$" || [ -e "$T/victim.term" ] ||
    [ -e "$T/victim.child.term" ] || ! in_ns kill -0 "$vc"; then
    soft_fail "a foreign pid in a User= unit's PIDFile= was taken and signalled"
else
    log_has "pf_foreign: main pid is now $(cat "$T/w/foreign.daemon")\$" \
        || soft_fail "pf_foreign's own daemon not found after the refusal"
    pass "PIDFile= naming another unit's process is refused; stop leaves it alone"
fi

# A symlink of the unit's user to a root-only file: not followed, not logged.
if log_has "$SECRET"; then
    soft_fail "the secret number behind a User= unit's PIDFile= symlink was logged"
elif ! log_has "pf_link: PIDFile=$T/w/link.pid: reached through another user's symlink"; then
    soft_fail "pf_link's PIDFile= symlink was not refused"
else
    pass "PIDFile= through another user's symlink to a root-only file is not read"
fi

# The unit's own daemon in a file the unit wrote: taken.
log_has "pf_own: main pid is now $(cat "$T/w/own.daemon")\$" \
    || soft_fail "pf_own: its own daemon's pid in its PIDFile= not taken"
pass "PIDFile= a User= unit wrote with its own daemon's pid is taken"

[ "$BAD" = 0 ] || fail "see above"
px_signal TERM
px_wait 15
[ "$PX_RC" = 0 ] || fail "exit code $PX_RC"
