# Sourced by pg.sh, run.sh, test.sh and bench.sh: who the Kore workers run
# as, and where they are shut in.
#
# Run as root, the scripts start Kore without -n -r: the workers drop to
# the `runas` user of kore.conf (created here if it is missing: a system
# user with no home and no login shell) and chroot into a jail directory
# that holds the cluster's socket directory and the exports' scratch space.
# The paths the workers are given (PORTAL_DB's host, PORTAL_TMP) are then
# the ones inside the jail.  Run as anyone else, Kore cannot change user or
# chroot, so it runs with -n -r as that (already unprivileged) user, with
# the paths as they are.
#
#   privsep_user              the runas user of kore.conf
#   privsep_active            true when the workers drop privileges
#   privsep_ensure_user       create the user when it is missing (root)
#   privsep_kore_flags        "" or "-n -r"
#   privsep_inside JAIL PATH  PATH as the workers see it
#   privsep_scratch DIR       a scratch directory only the workers use
#   privsep_jail_files JAIL   the read-only files the workers need inside

privsep_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

privsep_user() {
	awk '$1 == "runas" { print $2; exit }' "$privsep_root/kore.conf"
}

privsep_active() {
	[ "$(id -u)" -eq 0 ]
}

privsep_ensure_user() {
	local u
	privsep_active || return 0
	u=$(privsep_user)
	[ -n "$u" ] || { echo "privsep: kore.conf has no runas user" >&2; return 1; }
	getent passwd "$u" >/dev/null && return 0
	echo "privsep: tạo người dùng hệ thống $u / creating system user $u"
	useradd --system --user-group --no-create-home --home-dir /nonexistent \
	    --shell /usr/sbin/nologin --comment "Thanh Hoa reporting portal" "$u"
}

privsep_kore_flags() {
	privsep_active || echo "-n -r"
}

# The workers see the jail as /: JAIL/pg/run is /pg/run to them.
privsep_inside() {
	local jail path
	jail=$(realpath -m "$1")
	path=$(realpath -m "$2")
	if ! privsep_active; then
		echo "$path"
		return 0
	fi
	case "$path/" in
	"$jail"/*)	path=${path#"$jail"}; echo "${path:-/}" ;;
	*)		echo "privsep: $path is outside the jail $jail" >&2
			return 1 ;;
	esac
}

# Exports are written here by the workers and by nobody else.
privsep_scratch() {
	mkdir -p "$1"
	if privsep_active; then
		chown "$(privsep_user):" "$1"
	fi
	chmod 700 "$1"
}

# A jail is a directory of the project's, never the machine's root: with
# an empty or "/" argument the files below would replace /etc/passwd.
privsep_jail_ok() {
	case ${1:-} in
	"" | / | //*)
		echo "privsep: refusing jail '${1:-}' (not the machine's root)" >&2
		return 1 ;;
	esac
	[ -d "$1" ] && [ "$(cd "$1" && pwd -P)" != / ] || {
		echo "privsep: jail '$1' is not a directory of its own" >&2
		return 1; }
}

# What the workers read at run time, put where they find it once shut in:
# the documents' fonts (privsep_jail_fonts), cracklib's dictionary (every password change is checked against it,
# modules/passwd.c), at the same path as outside, and an /etc/passwd with
# the workers' own user alone (cracklib looks the caller up with
# getpwuid and refuses every password when it is not found).  Read-only
# for them.
privsep_jail_files() {
	local jail=$1 dict=${PORTAL_CRACKLIB_DICT:-/var/cache/cracklib/cracklib_dict}
	privsep_active || return 0
	privsep_jail_ok "$jail" || return 1
	mkdir -p "$jail$(dirname "$dict")" "$jail/etc"
	getent passwd "$(privsep_user)" >"$jail/etc/passwd.new" &&
	    chmod 0644 "$jail/etc/passwd.new" &&
	    mv "$jail/etc/passwd.new" "$jail/etc/passwd" || return 1
	for f in "$dict".pwd "$dict".pwi "$dict".hwm; do
		[ -f "$f" ] || { echo "privsep: $f is missing (cracklib-runtime)" >&2; return 1; }
		cmp -s "$f" "$jail$f" || install -m 0644 "$f" "$jail$f"
	done
	privsep_jail_fonts "$jail"
}

# The documents' four font files (modules/pdf_render.c), at the same path
# as outside: fontconfig is set up in Kore's parent from memory, so the
# workers need neither a fonts.conf nor a cache, only the files FreeType
# opens.  PORTAL_FONT_DIR as for the server.
privsep_jail_fonts() {
	local jail=$1 dir=${PORTAL_FONT_DIR:-/usr/share/fonts/truetype/liberation2} f
	privsep_jail_ok "$jail" || return 1
	mkdir -p "$jail$dir"
	for f in Regular Bold Italic BoldItalic; do
		f=$dir/LiberationSerif-$f.ttf
		[ -f "$f" ] || { echo "privsep: $f is missing (fonts-liberation2)" >&2; return 1; }
		cmp -s "$f" "$jail$f" || install -m 0644 "$f" "$jail$f"
	done
}
