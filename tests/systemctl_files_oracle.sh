#!/bin/bash
# systemctl_files_oracle.sh - pxinit's systemctl unit-file verbs against
# Debian's systemctl 252 with --root (the oracle) on identical trees: the
# same sequence of enable, disable, reenable, mask, unmask, is-enabled and
# list-unit-files. After each step the link trees (find -printf '%p -> %l')
# must be the same, and so must the exit codes, stdout, and stderr's lines
# (as a set: systemctl removes links in hash order), the root's path
# replaced by ROOT.
#
# pxinit answers as systemctl through a link named systemctl to the binary;
# while the binary does not yet answer to that name (the personality's
# argv), tests/e2e/helpers/sdfiles-systemctl runs the same code.
#
# The oracle is unpacked under /var/cache/pxinit-oracle/systemd (or
# $PXINIT_ORACLE_DIR) by contrib/install-deps.sh; without it this test
# skips (77), saying so.
set -u
srcdir=${srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
PXINIT=${PXINIT:-$srcdir/src/pxinit}
HELPERS=${HELPERS:-$(dirname "$PXINIT")/../tests/e2e/helpers}
ORACLE_DIR=${PXINIT_ORACLE_DIR:-/var/cache/pxinit-oracle/systemd}
ORACLE=$ORACLE_DIR/bin/systemctl
ORACLE_LIBS=$ORACLE_DIR/usr/lib/x86_64-linux-gnu/systemd

if [ ! -x "$ORACLE" ]; then
    echo "SKIP: no oracle at $ORACLE (contrib/install-deps.sh unpacks it)"
    exit 77
fi
unset PXINIT_UNITS

tmp=$(mktemp -d /tmp/systemctl_files_oracle.XXXXXX) || exit 1
trap 'rm -rf "$tmp"' EXIT
fails=0

fail() {
    echo "FAIL: $*"
    fails=$((fails + 1))
}

# The tree both sides start from.
make_tree() {
    local r=$1 lib=$1/usr/lib/systemd/system
    mkdir -p "$lib" "$r/etc/systemd/system" "$r/run/systemd/system/multi-user.target.wants"
    local svc=$'[Service]\nExecStart=/bin/true\n'
    printf '%s[Install]\nWantedBy=multi-user.target\nRequiredBy=bar.target\nAlias=foo2.service\nAlso=baz.service\n' "$svc" >"$lib/foo.service"
    printf '%s[Install]\nWantedBy=default.target\n' "$svc" >"$lib/baz.service"
    printf '%s' "$svc" >"$lib/st.service"
    printf '%s[Install]\nWantedBy=multi-user.target\nDefaultInstance=def\n' "$svc" >"$lib/tpl@.service"
    printf '%s[Install]\nWantedBy=multi-user.target\n' "$svc" >"$lib/t2@.service"
    printf '%s[Install]\nAlso=foo.service\n' "$svc" >"$lib/al.service"
    printf '%s[Install]\nWantedBy=multi-user.target\n' "$svc" >"$lib/rt.service"
    printf '%s[Install]\nWantedBy=sockets.target\n' '[Socket]
ListenStream=/run/x.sock
' >"$lib/x.socket"
    printf '[Unit]\nDescription=Multi-User\n' >"$lib/multi-user.target"
    printf '%s[Install]\nWantedBy=multi-user.target\n' "$svc" >"$r/etc/systemd/system/real.service"
    mkdir -p "$r/etc/systemd/system/dropin.service.d"
    printf '%s' "$svc" >"$lib/dropin.service"
    printf '[Install]\nWantedBy=multi-user.target\nAlias=dropin-alias.service\n' \
        >"$r/etc/systemd/system/dropin.service.d/install.conf"
    printf '%s[Install]\nWantedBy=multi-user.target foo@%%i.target\nAlias=sp-%%p-%%i@.service\nAlias=%%N-x.service\n' "$svc" >"$lib/sp@.service"
    printf '%s[Install]\nAlias=conflict.service\nWantedBy=multi-user.target\n' "$svc" >"$lib/conf.service"
    ln -s /usr/lib/systemd/system/baz.service "$r/etc/systemd/system/conflict.service"
    printf '%s[Install]\nWantedBy=getty@.target\nDefaultInstance=tty1\n' "$svc" >"$lib/gt@.service"
    printf '%s[Install]\nWantedBy=multi-user.target\nAlias=loc-alias.service\n' "$svc" >"$r/etc/systemd/system/local.service"
    mkdir -p "$r/opt"
    printf '%s[Install]\nWantedBy=multi-user.target\n' "$svc" >"$r/opt/ext.service"
    ln -s /opt/ext.service "$r/etc/systemd/system/ext.service"
    ln -s ../../../usr/lib/systemd/system/st.service "$r/etc/systemd/system/rel.service"
    ln -s /dev/null "$r/run/systemd/system/rtmask.service"
    : >"$r/etc/systemd/system/empty.service"
    ln -s /usr/lib/systemd/system/rt.service "$r/run/systemd/system/multi-user.target.wants/rt.service"
}

ours_root=$tmp/ours
oracle_root=$tmp/oracle
make_tree "$ours_root"
make_tree "$oracle_root"

# Ours: the personality if the binary answers as systemctl, else the helper.
mkdir -p "$tmp/bin"
ln -s "$PXINIT" "$tmp/bin/systemctl"
if [ "$("$tmp/bin/systemctl" --root="$ours_root" is-enabled foo.service 2>/dev/null)" = disabled ]; then
    OURS=$tmp/bin/systemctl
elif [ -x "$HELPERS/sdfiles-systemctl" ]; then
    OURS=$HELPERS/sdfiles-systemctl
else
    echo "FAIL: neither $PXINIT as systemctl nor $HELPERS/sdfiles-systemctl runs"
    exit 1
fi
echo "ours: $OURS"

tree() {
    (cd "$1" && find . -path ./usr -prune -o -printf '%p -> %l\n' | sort)
}

step() {
    "$OURS" --root="$ours_root" "$@" >"$tmp/o.out" 2>"$tmp/o.err"
    local ro=$?
    LD_LIBRARY_PATH=$ORACLE_LIBS "$ORACLE" --root="$oracle_root" "$@" >"$tmp/s.out" 2>"$tmp/s.err"
    local rs=$?
    [ "$ro" = "$rs" ] || fail "systemctl $*: exit $ro, oracle $rs"
    diff -u "$tmp/s.out" "$tmp/o.out" >"$tmp/d" || fail "systemctl $*: stdout differs: $(cat "$tmp/d")"
    sed "s|$ours_root|ROOT|g" "$tmp/o.err" | sort >"$tmp/o.errs"
    sed "s|$oracle_root|ROOT|g" "$tmp/s.err" | sort >"$tmp/s.errs"
    diff -u "$tmp/s.errs" "$tmp/o.errs" >"$tmp/d" || fail "systemctl $*: stderr differs: $(cat "$tmp/d")"
    tree "$ours_root" >"$tmp/o.tree"
    tree "$oracle_root" >"$tmp/s.tree"
    diff -u "$tmp/s.tree" "$tmp/o.tree" >"$tmp/d" || fail "systemctl $*: link trees differ: $(cat "$tmp/d")"
}

step is-enabled foo.service
step is-enabled st.service al.service tpl@.service tpl@x.service t2@.service rt.service
step is-enabled dropin.service real.service x.socket
step is-enabled nope.service
step list-unit-files
step enable foo.service
step is-enabled foo.service foo2.service baz.service
step enable foo.service
step -q is-enabled foo.service
step enable st.service
step -q enable st.service
step enable tpl@.service
step enable tpl@y.service
step is-enabled tpl@.service tpl@y.service tpl@x.service tpl@def.service
step enable t2@.service
step enable t2@q.service
step is-enabled t2@q.service t2@r.service
step disable t2@q.service
step enable al.service
step is-enabled al.service foo.service
step enable dropin.service x.socket
step is-enabled dropin.service dropin-alias.service x.socket
step list-unit-files
step list-unit-files --no-legend
step list-unit-files --type=socket
step list-unit-files --state=enabled,alias
step list-unit-files 'tpl*'
step mask st.service
step mask st.service
step is-enabled st.service
step enable st.service
step disable st.service
step unmask st.service
step unmask st.service
step mask real.service
step mask nope.service
step is-enabled nope.service
step unmask nope.service
step enable nope.service
step disable nope.service
step reenable foo.service
step disable foo.service
step is-enabled foo.service baz.service
step disable tpl@.service
step enable foo2.service
step is-enabled foo.service foo2.service
step disable foo2.service
step disable dropin.service x.socket
step enable sp@a.service
step is-enabled sp@a.service sp@b.service sp-sp-a@a.service sp@.service
step disable sp@a.service
step enable conf.service
step is-enabled conf.service conflict.service
step enable gt@.service
step enable gt@tty2.service
step is-enabled gt@.service gt@tty2.service gt@tty3.service
step disable gt@.service
step enable baz.service nope.service foo.service
step is-enabled local.service ext.service rel.service rtmask.service empty.service
step enable local.service
step is-enabled local.service loc-alias.service
step enable ext.service
step is-enabled ext.service
step disable ext.service local.service
step is-enabled ext.service local.service
step enable rel.service
step disable rel.service
step is-enabled st.service
step enable st
step is-enabled st foo
step list-unit-files

# preset (systemd.preset(5)): the preset files come last, so the steps
# above see no preset file (systemd's default: enable).
for r in "$ours_root" "$oracle_root"; do
    mkdir -p "$r/etc/systemd/system-preset" "$r/usr/lib/systemd/system-preset"
    printf '# ours\ndisable baz.service\nenable st.service\n' >"$r/etc/systemd/system-preset/50-t.preset"
    printf 'disable local.service\nenable baz.service\nenable *\n' >"$r/usr/lib/systemd/system-preset/90-d.preset"
    printf 'disable *\n' >"$r/usr/lib/systemd/system-preset/50-t.preset" # hidden by /etc's
done
step enable baz.service
step --preset-mode=enable-only preset baz.service
step --preset-mode=disable-only preset foo.service
step preset baz.service
step is-enabled baz.service
step --preset-mode=enable-only preset foo.service rt.service
step preset local.service
step is-enabled local.service
step preset st.service
step -q preset real.service
step preset nope.service
step preset rtmask.service
step --preset-mode=full preset baz.service foo.service
step --preset-mode=bogus preset foo.service
step list-unit-files

if [ "$fails" -gt 0 ]; then
    echo "$fails differences"
    exit 1
fi
echo "ok: the same links, answers and messages as systemctl 252"
