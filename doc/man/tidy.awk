# tidy.awk - drops the paragraph macros scdoc writes where roff has no
# paragraph to begin (before and after .SH, before .RE, doubled), which
# `mandoc -T lint -W warning` reports. A .P before .RE moves after it, so
# the next list item still starts a paragraph.
function flush() { if (pending) print ".P"; pending = 0 }
/^\.(P|PP)$/ { if (!after_sh) pending = 1; next }
/^\.RE$/ { print; next }
/^\.S[HS]( |$)/ { pending = 0; print; after_sh = 1; next }
{ flush(); after_sh = 0; print }
