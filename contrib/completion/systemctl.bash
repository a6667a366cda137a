# systemctl.bash - bash completion for systemctl when systemctl is a link to pxinit
# (pxinit.bash holds it; when systemctl is not pxinit, it loads the completion
# installed for the real systemctl instead).
# shellcheck disable=SC1091
. "${BASH_SOURCE[0]%/*}/pxinit.bash"
