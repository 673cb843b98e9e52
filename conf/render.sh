#!/usr/bin/env bash
# Render conf/nginx.conf.in, the portal's front, to standard output.
#   bash conf/render.sh NAME=VALUE... >/etc/nginx/nginx.conf
# NAMEs (the defaults are Debian's nginx paths):
#   LISTEN        what to listen on, as nginx's listen takes it (required):
#                 "443 ssl" in production, "127.0.0.1:8080" in the tests
#   NODES         the Kore nodes, host:port,host:port (required)
#   TLS_CERT, TLS_KEY
#                 the certificate and key files for "listen ... ssl"
#   USER          the workers' user (www-data); "-" for none (nginx not
#                 started as root)
#   WORKERS       worker_processes (auto)
#   PID           pid file (/run/nginx.pid)
#   ERROR_LOG     (/var/log/nginx/error.log)
#   ACCESS_LOG    a file or off (/var/log/nginx/access.log)
#   TEMP          where request bodies and large answers are buffered
#                 (/var/lib/nginx)
#   ERRORS        the JSON error bodies (conf/errors next to this script)
#   READ_TIMEOUT  the longest a node may take to answer (120s)
#   PROXY_BIND    the address this front connects to the nodes from, when
#                 it is not the one the route gives (the nodes' own
#                 PORTAL_TRUSTED_PROXIES must name it); empty by default
#   NODE_HEADER   yes: answers name the node that served them in
#                 X-Portal-Node (the two-node test; not in production)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
declare -A v=(
	[LISTEN]="" [NODES]="" [TLS_CERT]="" [TLS_KEY]=""
	[USER]="www-data" [WORKERS]="auto" [PID]="/run/nginx.pid"
	[ERROR_LOG]="/var/log/nginx/error.log"
	[ACCESS_LOG]="/var/log/nginx/access.log" [TEMP]="/var/lib/nginx"
	[ERRORS]="$here/errors" [READ_TIMEOUT]="120s" [NODE_HEADER]="no"
	[PROXY_BIND]=""
)

die() { echo "render.sh: $*" >&2; exit 2; }

for a in "$@"; do
	k=${a%%=*}
	[ "$k" != "$a" ] || die "expected NAME=VALUE, got '$a'"
	[ -n "${v[$k]+set}" ] || die "unknown name $k"
	val=${a#*=}
	# One value is one nginx word or a few: no way to end a directive.
	case $val in
	*[\;\{\}\$\'\"\\]* | *$'\n'*)
		die "$k: ; { } \$ quotes, backslashes and newlines are not allowed" ;;
	esac
	v[$k]=$val
done

[ -n "${v[LISTEN]}" ] || die "LISTEN is required"
[ -n "${v[NODES]}" ] || die "NODES is required"
[ -f "${v[ERRORS]}/502.json" ] || die "ERRORS: no 502.json in ${v[ERRORS]}"
[[ "${v[READ_TIMEOUT]}" =~ ^[0-9]+(ms|s|m)?$ ]] ||
    die "READ_TIMEOUT: a time such as 120s"

nodes=""
node_re='^[][A-Za-z0-9.:_-]+:[0-9]{1,5}$'
IFS=, read -ra list <<<"${v[NODES]}"
for n in "${list[@]}"; do
	[[ "$n" =~ $node_re ]] ||
	    die "NODES: '$n' is not host:port"
	nodes+=$'\t\t'"server $n max_fails=3 fail_timeout=10s;"$'\n'
done

tls=""
if [ -n "${v[TLS_CERT]}${v[TLS_KEY]}" ]; then
	[ -n "${v[TLS_CERT]}" ] && [ -n "${v[TLS_KEY]}" ] ||
	    die "TLS_CERT and TLS_KEY go together"
	tls+=$'\t\t'"ssl_certificate ${v[TLS_CERT]};"$'\n'
	tls+=$'\t\t'"ssl_certificate_key ${v[TLS_KEY]};"$'\n'
	tls+=$'\t\t'"ssl_protocols TLSv1.2 TLSv1.3;"$'\n'
fi

case ${v[USER]} in
-)	user="# no user: nginx is not started as root" ;;
*)	user="user ${v[USER]};" ;;
esac

bind="# the nodes see this front from the address the route gives"
if [ -n "${v[PROXY_BIND]}" ]; then
	[[ "${v[PROXY_BIND]}" =~ ^[0-9A-Fa-f.:]+$ ]] ||
	    die "PROXY_BIND: an IP address"
	bind="proxy_bind ${v[PROXY_BIND]};"
fi

case ${v[NODE_HEADER]} in
yes)	node_header=$'\t\t\tadd_header X-Portal-Node $upstream_addr always;' ;;
no)	node_header="" ;;
*)	die "NODE_HEADER: yes or no" ;;
esac

out=$(<"$here/nginx.conf.in")
out=${out//@USER@/"$user"}
for k in WORKERS PID ERROR_LOG ACCESS_LOG TEMP ERRORS READ_TIMEOUT LISTEN; do
	out=${out//@$k@/"${v[$k]}"}
done
out=${out//@NODES@/"${nodes%$'\n'}"}
out=${out//@TLS@/"${tls%$'\n'}"}
out=${out//@NODE_HEADER@/"$node_header"}
out=${out//@PROXY_BIND@/"$bind"}
left=$(grep -o '@[A-Z_]*@' <<<"$out" | sort -u | tr '\n' ' ') || true
[ -z "$left" ] || die "placeholders left unfilled: $left"
printf '%s\n' "$out"
