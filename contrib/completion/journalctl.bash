# journalctl.bash - bash completion for journalctl when journalctl is a link to pxinit
# (pxinit.bash holds it; when journalctl is not pxinit, it loads the completion
# installed for the real journalctl instead).
# shellcheck disable=SC1091
. "${BASH_SOURCE[0]%/*}/pxinit.bash"
