# completion_zsh.zsh - prints the matches zsh's completion offers for
# $ZC_LINE<TAB> with the completion functions of $ZC_DIR, one a line
# (tests/completion.sh). zsh completes only in its line editor, so an
# interactive zsh runs on a pseudo-terminal (zpty), and compadd is wrapped
# to print what it would add (its -A: the words that match) between marks.
zmodload zsh/zpty || exit 1
zpty z zsh -f -i || exit 1
zpty -w z "PS1= PROMPT= RPROMPT=; unsetopt zle_bracketed_paste 2>/dev/null; fpath=(${(q)ZC_DIR} \$fpath)"
zpty -w z 'autoload -Uz compinit && compinit -u -D'
zpty -w z 'compadd() {
    if [[ " $* " == *" -"[OAD]" "* ]]; then builtin compadd "$@"; return; fi
    local -a hits
    builtin compadd -A hits "$@"
    local h
    for h in $hits; do print -r -- "<<M>>$h<<"; done
    builtin compadd "$@"
}'
zpty -w z 'comppostfuncs=(_zc_end); _zc_end() { print -r -- "<<END>>"; }'
zpty -w z 'print -r -- "<<READY>>"'
zpty -r -m z line '*<<READY>>*' >/dev/null || exit 1
# The line and a TAB, no newline: completion runs on it.
zpty -w -n z "$ZC_LINE"$'\t'
out=
while zpty -r -t z line 2>/dev/null || { sleep 0.05; zpty -r z line; }; do
    out+=$line
    [[ $out == *'<<END>>'* ]] && break
done
zpty -d z
print -r -- $out | tr -d '\r' | grep -o '<<M>>[^<]*<<' | sed 's/^<<M>>//; s/<<$//' | sort -u
