#!/bin/bash
# Environment=, EnvironmentFile=, WorkingDirectory=, User=, $VAR expansion
# and quoting, observed from inside the service.
. "${srcdir:-.}/tests/e2e/lib.sh"

mkdir -p "$T/work"
chmod 755 "$T" "$T/work"
printf 'FROM_FILE=file value\n# comment\nOVERRIDE=from-file\n' > "$T/env"
unit envy <<EOF2
[Service]
Environment=GREETING=hello "SPACED=a b" OVERRIDE=from-unit
EnvironmentFile=$T/env
EnvironmentFile=-$T/missing
WorkingDirectory=$T/work
ExecStart=/bin/sh -c 'echo "\$GREETING|\$SPACED|\$FROM_FILE|\$OVERRIDE|\$(pwd)" > $T/envy.out; exec sleep 1000'
ExecStartPost=/bin/sh -c 'echo \${GREETING} > $T/envy.expanded'
EOF2

unit nobody <<EOF2
[Service]
User=nobody
ExecStart=/bin/sh -c 'id -u > $T/work/nobody.uid; exec sleep 1000'
EOF2
chmod 777 "$T/work"

unit creds <<EOF2
[Service]
User=nobody
Group=nogroup
SupplementaryGroups=daemon
UMask=0027
Nice=7
LimitNOFILE=1234:2345
LimitCORE=infinity
WorkingDirectory=-~
ExecStart=/bin/sh -c 'echo "\$(id -g) \$(id -G) \$(umask) \$(ulimit -Sn) \$(ulimit -Hn) \$(ulimit -c) \$(cut -d" " -f19 /proc/self/stat) \$(pwd) \$HOME \$USER" > $T/work/creds.out; exec sleep 1000'
EOF2

px_start
poll 5 test -s "$T/envy.out" || fail "envy did not run"
want="hello|a b|file value|from-file|$T/work"
[ "$(cat "$T/envy.out")" = "$want" ] || fail "environment: got '$(cat "$T/envy.out")', want '$want'"
pass "Environment=, EnvironmentFile= (overrides), WorkingDirectory="
poll 5 test -s "$T/envy.expanded" || fail "ExecStartPost did not run"
[ "$(cat "$T/envy.expanded")" = hello ] || fail "\${GREETING} not expanded by pxinit: $(cat "$T/envy.expanded")"
poll 5 test -s "$T/work/nobody.uid" || fail "nobody did not run"
[ "$(cat "$T/work/nobody.uid")" = "$(id -u nobody)" ] || fail "User=nobody ran as $(cat "$T/work/nobody.uid")"
pass "User="
poll 5 test -s "$T/work/creds.out" || fail "creds did not run"
gid=$(getent group nogroup | cut -d: -f3); dgid=$(getent group daemon | cut -d: -f3)
home=$(getent passwd nobody | cut -d: -f6)
want="$gid $gid $dgid 0027 1234 2345 unlimited 7 / $home nobody"  # nobody's home does not exist: "-~" lets it run in /
[ "$(cat "$T/work/creds.out")" = "$want" ] || fail "credentials: got '$(cat "$T/work/creds.out")', want '$want'"
pass "Group=, SupplementaryGroups=, UMask=, Nice=, Limit*=, WorkingDirectory=-~, USER/HOME"
px_signal TERM
px_wait 10
[ "$PX_RC" = 0 ] || fail "exit code $PX_RC"
