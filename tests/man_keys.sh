#!/bin/bash
# Every key name in the unit key tables (src/unit/unit_key_table.c: the
# rows, the accepted-but-not-enforced lists) appears as `Key=` in
# pxinit.unit(5), so the page cannot fall behind the tables.
set -u
: "${PXINIT:?PXINIT must point at the built binary}"
: "${srcdir:?srcdir must be the source tree}"
B=$(cd "$(dirname "$PXINIT")/.." && pwd)
table="$srcdir/src/unit/unit_key_table.c"
page="$B/doc/man/pxinit.unit.5"
[ -f "$page" ] || page="$srcdir/doc/man/pxinit.unit.5"
[ -f "$page" ] || { echo "FAIL: pxinit.unit.5 was not built" >&2; exit 1; }

# The quoted names of the file, but #define lines (the section names) and
# the prefix lists ("Condition", "Smack": no key of their own); a name
# ending in '*' is a prefix too.
keys=$(awk '
    /^#define/ { next }
    /_prefixes\[\] = / { skip = 1 }
    skip { if (/;/) skip = 0; next }
    { while (match($0, /"[A-Z][A-Za-z0-9-]*"/)) {
          print substr($0, RSTART + 1, RLENGTH - 2)
          $0 = substr($0, RSTART + RLENGTH)
      } }' "$table" | sort -u)
n=$(printf '%s\n' "$keys" | grep -c .)
# Sanity: the parse found the tables (a few hundred keys, these among them).
[ "$n" -gt 300 ] || { echo "FAIL: only $n keys read from $table" >&2; exit 1; }
for k in ExecStart PrivateTmp OnCalendar ListenStream WantedBy ListenNetlink; do
    printf '%s\n' "$keys" | grep -qx "$k" || { echo "FAIL: $k not read from $table" >&2; exit 1; }
done

# scdoc writes '-' as '\-' in roff.
text=$(sed 's/\\-/-/g' "$page")
missing=""
for k in $keys; do
    grep -qF -- "$k=" <<<"$text" || missing="$missing $k"
done
if [ -n "$missing" ]; then
    echo "FAIL: keys of $table missing from pxinit.unit(5) (doc/man/pxinit.unit.5.scd):$missing" >&2
    exit 1
fi
echo "ok: all $n keys of the key tables are in pxinit.unit(5)"
