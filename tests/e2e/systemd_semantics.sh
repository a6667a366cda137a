#!/bin/bash
# systemd semantics real units rely on: ExecCondition=, Condition*/Assert*,
# Requires/Requisite/BindsTo/Conflicts, RestartPrevent/ForceExitStatus,
# SendSIGHUP=, OOMScoreAdjust=, NoNewPrivileges=, UnsetEnvironment=, the
# '!'/'+' prefixes ignoring User=, and KillSignal after ExecStop=.
. "${srcdir:-.}/tests/e2e/lib.sh"

chmod 755 "$T"
mkdir -m 777 "$T/w"
touch "$T/empty"
script rec.sh <<'EOF2'
echo "$*" >> "$T/w/runs"
exec sleep 1000
EOF2

# --- ExecCondition= and conditions
unit condskip <<EOF2
[Service]
ExecCondition=/bin/sh -c 'exit 1'
ExecStart=$T/rec.sh condskip
EOF2
unit condfail <<EOF2
[Service]
ExecCondition=/bin/sh -c 'exit 255'
ExecStart=$T/rec.sh condfail
EOF2
unit condpass <<EOF2
[Service]
ExecCondition=/bin/true
ExecStart=$T/rec.sh condpass
EOF2
unit notempty <<EOF2
[Unit]
ConditionFileNotEmpty=$T/empty
[Service]
ExecStart=$T/rec.sh notempty
EOF2
unit trig <<EOF2
[Unit]
ConditionPathIsDirectory=|/nonexistent
ConditionPathIsDirectory=|$T
[Service]
ExecStart=$T/rec.sh trig
EOF2
unit asserted <<EOF2
[Unit]
AssertPathExists=/nonexistent/file
[Service]
ExecStart=$T/rec.sh asserted
EOF2

# --- requirement dependencies
unit broken <<EOF2
[Service]
Type=oneshot
ExecStart=/bin/false
EOF2
unit needy <<EOF2
[Unit]
Requires=broken.service
After=broken.service
[Service]
ExecStart=$T/rec.sh needy
EOF2
unit done <<EOF2
[Service]
Type=oneshot
ExecStart=/bin/true
EOF2
unit requisite <<EOF2
[Unit]
Requisite=done.service
After=done.service
[Service]
ExecStart=$T/rec.sh requisite
EOF2
unit shortlived <<EOF2
[Service]
ExecStart=/bin/sh -c 'while [ ! -e $T/w/bound.up ]; do sleep 0.02; done; exit 0'
EOF2
unit bound <<EOF2
[Unit]
BindsTo=shortlived.service
[Service]
ExecStart=/bin/sh -c 'touch $T/w/bound.up; exec sleep 1000'
EOF2
unit first <<EOF2
[Service]
ExecStart=$T/rec.sh first
EOF2
unit second <<EOF2
[Unit]
After=first.service
Conflicts=first.service
[Service]
ExecStart=$T/rec.sh second
EOF2

unit parent <<EOF2
[Service]
ExecStart=$T/rec.sh parent
EOF2
unit child <<EOF2
[Unit]
PartOf=parent.service
[Service]
ExecStart=$T/rec.sh child
EOF2

# --- prefixes: '-' ignores a failure, ':' keeps \${VAR} as written, '@' sets argv[0]
unit prefixes <<EOF2
[Service]
Environment=WORD=expanded
ExecStartPre=-/bin/false
ExecStartPre=:/bin/sh -c 'echo "\$1" > $T/w/colon' sh \${WORD}
ExecStartPre=/bin/sh -c 'echo "\$1" > $T/w/plain' sh \${WORD}
ExecStart=@/bin/sh custom-argv0 -c 'echo "\$0" > $T/w/argv0; exec sleep 1000'
EOF2

# --- restart overrides
unit prevent <<EOF2
[Service]
ExecStart=/bin/sh -c 'echo run >> $T/w/prevent.runs; exit 3'
Restart=always
RestartSec=10ms
RestartPreventExitStatus=3
EOF2
unit force <<EOF2
[Unit]
StartLimitBurst=100
[Service]
ExecStart=/bin/sh -c 'echo run >> $T/w/force.runs; [ \$(wc -l < $T/w/force.runs) -ge 2 ] && exec sleep 1000; exit 4'
Restart=no
RestartSec=10ms
RestartForceExitStatus=4
EOF2

# --- execution environment
unit sandbox <<EOF2
[Service]
User=nobody
OOMScoreAdjust=500
NoNewPrivileges=yes
UnsetEnvironment=PXTEST_SECRET
ExecStart=/bin/sh -c 'cat /proc/self/oom_score_adj > $T/w/oom; grep NoNewPrivs /proc/self/status > $T/w/nnp; echo "secret=\$PXTEST_SECRET" > $T/w/env; exec sleep 1000'
EOF2
# StandardOutput=null (rsyslog), and a limit above the hard one: without
# CAP_SYS_RESOURCE (most containers) it is clamped, not fatal (redis).
unit quiet <<EOF2
[Service]
StandardOutput=null
LimitNOFILE=100000000
ExecStart=/bin/sh -c 'echo noise; ulimit -Hn > $T/w/quiet.nofile; exec sleep 1000'
EOF2
unit privileged <<EOF2
[Service]
User=nobody
ExecStartPre=+/bin/sh -c 'id -u > $T/w/plus.uid'
ExecStart=!/bin/sh -c 'id -u > $T/w/bang.uid; exec sleep 1000'
EOF2

# --- stop: ExecStop= first, then KillSignal= to what is left; SendSIGHUP=
script hup.sh <<'EOF2'
# TERM and HUP come together: end the loop after TERM, so the HUP trap
# gets its turn whichever the shell handles first.
trap 'echo HUP >> "$T/w/hup.sig"' HUP
trap 'echo TERM >> "$T/w/hup.sig"; stop=1' TERM
echo up > "$T/w/hup.up"
while [ -z "$stop" ]; do sleep 0.05; done
sleep 0.2
exit 0
EOF2
unit hupper <<EOF2
[Service]
ExecStart=$T/hup.sh
ExecStop=/bin/sh -c 'echo stop-ran >> $T/w/hup.sig'
SendSIGHUP=yes
EOF2

PXTEST_SECRET=leak px_start
poll 10 log_has 'condskip: ExecCondition= exited 1, skipping' || fail "ExecCondition= exit 1 did not skip"
poll 5 log_has 'condfail: state failed' || fail "ExecCondition= exit 255 did not fail the unit"
log_has 'condskip: state failed' && fail "a skipped unit ended failed"
poll 10 file_has "$T/w/runs" '^condpass$' || fail "ExecCondition= exit 0 did not start the unit"
grep -q 'condskip\|condfail' "$T/w/runs" && fail "ExecStart= ran after a failing ExecCondition="
pass "ExecCondition="
poll 5 file_has "$T/w/runs" '^trig$' || fail "a met trigger condition did not start the unit"
grep -q notempty "$T/w/runs" && fail "ConditionFileNotEmpty= on an empty file started the unit"
log_has 'notempty: condition ConditionFileNotEmpty=' || fail "no log line for the unmet condition"
poll 5 log_has 'asserted: state failed \(result: assert\)' || fail "a failed assert did not fail the unit"
pass "conditions (with |triggers) skip, asserts fail"

poll 5 log_has 'needy: dependency failed' || fail "Requires= on a failed unit did not stop the start"
grep -q needy "$T/w/runs" && fail "needy started although broken failed"
poll 5 log_has 'requisite: Requisite=done.service is not active' || fail "Requisite= on an inactive unit did not refuse"
poll 10 log_has 'bound: stopping: it is bound to shortlived' || fail "BindsTo= did not stop bound"
poll 10 log_has 'bound: state inactive' || fail "bound not stopped"
poll 10 log_has 'first: stopping: second conflicts with it' || fail "Conflicts= did not stop first"
pass "Requires=, Requisite=, BindsTo=, Conflicts="

poll 5 file_has "$T/w/runs" '^child$' || fail "child did not start"
"$PXINIT" -R "$RUN" restart parent || fail "restart parent failed"
poll 5 log_has 'child: restarting with parent' || fail "PartOf= did not propagate the restart"
poll 5 lines_matching_at_least "$T/w/runs" '^child$' 2 || fail "child did not run again after the restart"
"$PXINIT" -R "$RUN" stop parent || fail "stop parent failed"
poll 5 log_has 'child: stopping: it is part of parent' || fail "PartOf= did not propagate the stop"
pass "PartOf= follows restart and stop"

poll 10 test -s "$T/w/argv0" || fail "prefixes unit did not run (a '-' failure not ignored?)"
[ "$(cat "$T/w/colon")" = '${WORD}' ] || fail "':' expanded: $(cat "$T/w/colon")"
[ "$(cat "$T/w/plain")" = expanded ] || fail "\${WORD} not expanded: $(cat "$T/w/plain")"
[ "$(cat "$T/w/argv0")" = custom-argv0 ] || fail "'@' argv[0]: $(cat "$T/w/argv0")"
pass "prefixes - : @"

poll 10 log_has 'prevent: state failed' || fail "prevent did not end failed"
[ "$(count_lines "$T/w/prevent.runs")" = 1 ] || fail "RestartPreventExitStatus=3 restarted it"
poll 10 lines_at_least "$T/w/force.runs" 2 || fail "RestartForceExitStatus=4 did not restart with Restart=no"
pass "RestartPreventExitStatus=, RestartForceExitStatus="

poll 10 test -s "$T/w/env" || fail "sandbox did not run"
[ "$(cat "$T/w/oom")" = 500 ] || fail "OOMScoreAdjust: $(cat "$T/w/oom")"
grep -q 'NoNewPrivs:[[:space:]]*1' "$T/w/nnp" || fail "NoNewPrivileges: $(cat "$T/w/nnp")"
[ "$(cat "$T/w/env")" = "secret=" ] || fail "UnsetEnvironment: $(cat "$T/w/env")"
pass "OOMScoreAdjust=, NoNewPrivileges=, UnsetEnvironment="
poll 10 test -s "$T/w/quiet.nofile" || fail "StandardOutput=null with a high LimitNOFILE= did not run"
max=$(cat /proc/sys/fs/nr_open)
got=$(cat "$T/w/quiet.nofile")
[ "$got" -le "$max" ] && [ "$got" -ge "$(ulimit -Hn)" ] || fail "LimitNOFILE clamp: hard $got"
grep -q noise "$T/out" && fail "StandardOutput=null output reached pxinit's stdout"
pass "StandardOutput=null; LimitNOFILE= above what is allowed is clamped"
poll 10 test -s "$T/w/bang.uid" || fail "privileged did not run"
[ "$(cat "$T/w/plus.uid")" = 0 ] || fail "'+' ran as $(cat "$T/w/plus.uid")"
[ "$(cat "$T/w/bang.uid")" = 0 ] || fail "'!' ran as $(cat "$T/w/bang.uid") (chrony needs root here)"
pass "'+' and '!' ignore User="

poll 5 test -s "$T/w/hup.up" || fail "hupper did not start"
px_signal TERM
px_wait 15
[ "$PX_RC" = 0 ] || fail "exit code $PX_RC"
[ "$(tr '\n' ' ' < "$T/w/hup.sig")" = "stop-ran TERM " ] && fail "SendSIGHUP=yes sent no SIGHUP"
grep -q '^stop-ran$' "$T/w/hup.sig" || fail "ExecStop= did not run"
head -n 1 "$T/w/hup.sig" | grep -q '^stop-ran$' || fail "a signal came before ExecStop=: $(cat "$T/w/hup.sig")"
grep -q '^TERM$' "$T/w/hup.sig" || fail "no KillSignal after ExecStop= (the dnsmasq case)"
pass "ExecStop=, then KillSignal= and SIGHUP to what is left"
