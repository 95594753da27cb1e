# apt_mirror.sh: the Debian mirror of this machine's apt configuration
# (sourced by compile_check.sh and run_tests_pg17.sh; no host is written
# into the scripts).
#
# lfdw_apt_mirror prints the base URI of the first Debian archive that apt
# uses here (not the security archive): the URIs: of a deb822 source in
# /etc/apt/sources.list.d/*.sources, else the first "deb" line of
# /etc/apt/sources.list or /etc/apt/sources.list.d/*.list.  The callers add
# the suite (bullseye, trixie, sid, ...) to it, so the release this machine
# runs does not matter.  Prints nothing, and returns 1, when none is found.
lfdw_apt_mirror() {
    local f uri
    for f in /etc/apt/sources.list.d/*.sources; do
        [ -f "$f" ] || continue
        # stanzas are separated by blank lines; take a URIs: of a stanza
        # whose Suites are not a -security suite
        uri=$(awk '
            BEGIN { RS = ""; FS = "\n" }
            {
                u = ""; s = ""
                for (i = 1; i <= NF; i++) {
                    if ($i ~ /^URIs:/) { u = $i; sub(/^URIs:[ \t]*/, "", u); sub(/[ \t].*/, "", u) }
                    if ($i ~ /^Suites:/) s = $i
                }
                if (u != "" && s !~ /-security/) { print u; exit }
            }' "$f")
        [ -n "$uri" ] && { echo "${uri%/}"; return 0; }
    done
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
        [ -f "$f" ] || continue
        # deb [options] URI SUITE COMPONENTS...
        uri=$(awk '$1 == "deb" && $0 !~ /-security/ {
                  i = 2; if ($2 ~ /^\[/) { while ($i !~ /\]$/) i++; i++ }
                  print $i; exit }' "$f")
        [ -n "$uri" ] && { echo "${uri%/}"; return 0; }
    done
    return 1
}
