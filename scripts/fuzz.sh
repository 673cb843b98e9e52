#!/usr/bin/env bash
# libFuzzer targets of the pure core (tests/fuzz/, see its README.md).
#
#   scripts/fuzz.sh short [TARGET...]          every target ~20 s (make fuzz)
#   scripts/fuzz.sh long SECONDS [TARGET...]   every target SECONDS
#   scripts/fuzz.sh build [TARGET...]          only build them
#   scripts/fuzz.sh run TARGET FILE...         replay inputs (a crash)
#
# Builds with clang -fsanitize=fuzzer,address,undefined into build/fuzz/,
# runs one target at a time on a copy of tests/fuzz/corpus/TARGET in a
# temporary directory (the committed corpus is never written), and exits
# non-zero on any crash, sanitizer report, leak or timeout.  A failing
# input is kept in build/fuzz/crashes/TARGET/, the log in build/fuzz/logs/.
# Installs clang and libFuzzer with apt-get when they are missing and this
# runs as root.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

TARGETS="fuzz_csv fuzz_form fuzz_form_mutate fuzz_report fuzz_docno fuzz_small fuzz_uri fuzz_pdf fuzz_mail"
OUT=build/fuzz
RSS_MB=${FUZZ_RSS_MB:-1024}
TIMEOUT=${FUZZ_TIMEOUT:-5}

usage() {
	sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//' >&2
	exit 2
}

# Sources and the define of each target.
sources() {
	case $1 in
	fuzz_csv)		echo "tests/fuzz/fuzz_csv.c modules/csv.c modules/unitcsv.c modules/period.c" ;;
	fuzz_form)		echo "tests/fuzz/fuzz_form.c modules/form.c modules/form_load.c modules/form_body.c modules/form_derive.c modules/form_diff.c modules/check.c" ;;
	fuzz_form_mutate)	echo "-DFUZZ_FORM_MUTATE tests/fuzz/fuzz_form.c modules/form.c modules/form_load.c modules/form_body.c modules/form_derive.c modules/form_diff.c modules/check.c" ;;
	fuzz_report)		echo "tests/fuzz/fuzz_report.c modules/form.c modules/form_load.c modules/form_body.c modules/form_derive.c modules/form_diff.c modules/check.c" ;;
	fuzz_docno)		echo "-DFUZZ_DOCNO tests/fuzz/fuzz_report.c modules/form.c modules/form_load.c modules/form_body.c modules/form_derive.c modules/form_diff.c modules/check.c" ;;
	fuzz_small)		echo "tests/fuzz/fuzz_small.c modules/unitcsv.c modules/csv.c modules/period.c modules/form.c modules/form_load.c modules/form_body.c modules/form_derive.c modules/form_diff.c modules/webcache.c" ;;
	fuzz_uri)		echo "tests/fuzz/fuzz_uri.c modules/uri.c" ;;
	fuzz_pdf)		echo "tests/fuzz/fuzz_pdf.c modules/pdf_check.c" ;;
	fuzz_mail)		echo "tests/fuzz/fuzz_mail.c modules/mail.c modules/mail_text.c" ;;
	*)			return 1 ;;
	esac
}

# A compiler that links a libFuzzer target with ASan and UBSan.
cc_works() {
	local cc=$1 tmp
	command -v "$cc" >/dev/null 2>&1 || return 1
	tmp=$(mktemp -d) || return 1
	printf '%s\n' '#include <stddef.h>' '#include <stdint.h>' \
	    'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);' \
	    'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)' \
	    '{ (void)d; (void)n; return 0; }' >"$tmp/t.c"
	"$cc" -fsanitize=fuzzer,address,undefined "$tmp/t.c" -o "$tmp/t" \
	    >/dev/null 2>&1
	local rc=$?
	rm -rf "$tmp"
	return $rc
}

find_cc() {
	local c
	for c in ${FUZZ_CC:-} clang clang-19 clang-18 clang-17 clang-16 \
	    clang-15 clang-14; do
		if cc_works "$c"; then
			CC=$c
			return 0
		fi
	done
	return 1
}

# Debian 12: clang-14 and libclang-rt-14-dev (libFuzzer, the sanitizer
# runtimes: libclang_rt.fuzzer-x86_64.a); the "clang" metapackage pulls
# clang-14 and libclang-rt-dev pulls libclang-rt-14-dev.
install_clang() {
	if [ "$(id -u)" != 0 ]; then
		echo "fuzz: clang with libFuzzer is missing; as root:" >&2
		echo "  apt-get install clang-14 libclang-rt-14-dev libjansson-dev libpcre2-dev zlib1g-dev" >&2
		return 1
	fi
	export DEBIAN_FRONTEND=noninteractive
	echo "fuzz: installing clang and libFuzzer (apt-get)" >&2
	apt-get update -qq || return 1
	if apt-cache show libclang-rt-14-dev >/dev/null 2>&1; then
		apt-get install -y -qq clang-14 libclang-rt-14-dev \
		    libjansson-dev libpcre2-dev zlib1g-dev >/dev/null
	else
		apt-get install -y -qq clang libclang-rt-dev libjansson-dev \
		    libpcre2-dev zlib1g-dev >/dev/null
	fi
}

ensure_cc() {
	find_cc && return 0
	install_clang || return 1
	find_cc && return 0
	echo "fuzz: no clang that links -fsanitize=fuzzer" >&2
	return 1
}

build() {
	local t=$1 src
	src=$(sources "$t") || { echo "fuzz: unknown target $t" >&2; return 1; }
	mkdir -p "$OUT"
	# shellcheck disable=SC2086
	$CC -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	    -g -O1 -D_GNU_SOURCE -std=c99 -Imodules \
	    -Wall -Wextra -Wno-unused-parameter \
	    -DFUZZ_FORMS_DIR="\"$root/forms\"" \
	    $src -o "$OUT/$t" -ljansson -lpcre2-8 -lz
}

# A dictionary of the words each input format is made of, from the
# project's own files, written into the run's temporary directory.
make_dict() {
	local t=$1 dict=$2
	{
		case $t in
		fuzz_csv)
			for w in ma_don_vi ten_don_vi loai cong_lap huyen \
			    don_vi_quan_ly cap_gksklx benh_vien cdc \
			    dau_moi_ho_ten dau_moi_chuc_vu dau_moi_dien_thoai \
			    dau_moi_email district_centre commune_station \
			    provincial_hospital private_clinic; do
				printf '"%s"\n' "$w"
			done
			printf '"%s"\n' '\xef\xbb\xbf' '\x0d\x0a' '""' '","' \
			    ';' '\x09' '+84' '@' 'x'
			;;
		fuzz_small)
			printf '"%s"\n' '+84' '84' '0912345678' '02373833123' \
			    '@' '.vn' '2023-' '-H1' '-Y' '-02-29' '\x00' \
			    '\xc2\xa0' 'Nguy\xe1\xbb\x85n'
			;;
		fuzz_docno)
			printf '"%s"\n' '/' '-' 'Q\xc4\x90' 'TTr' 'SYT' '/20' \
			    '/19' '\x0a' 'KH' '\xc4\x90'
			;;
		fuzz_pdf)
			printf '"%s"\n' '%PDF-1.7' '%%EOF' 'startxref' 'xref' \
			    ' 0 obj' '\x0a' '\x0d' '0' '9' 'trailer'
			;;
		fuzz_mail)
			for w in url resolve starttls username password_file \
			    cainfo login_options from from_name reply_to \
			    message_id_domain portal_url office remind_days \
			    digest_hour interval batch attempts retry_base \
			    retry_max connect_timeout timeout unit unit_name \
			    period period_name deadline form forms contact \
			    reason items days_left day late returned \
			    late_total returned_total district_name at name \
			    phone email; do
				printf '"%s"\n' "$w"
			done
			printf '"%s"\n' ' = ' 'smtp://' '@' '.vn' '\x0d\x0a' \
			    '\x00' 'PL1' '2031-05-15' '{' '}' '[' ']' ':' ',' \
			    '\xe1\xbb\x87' '\xc0\xaf' '\xed\xa0\x80'
			;;
		fuzz_uri)
			printf '"%s"\n' 'unit=' 'period=' '&' '=' '+' '%' \
			    '%00' '%C0%AF' '%ED%A0%80' '%F4%8F%BF%BF' '%E1%BB%87' \
			    '%2F' '%75nit' 'x+y=' '\xc3\xa0' '\xff' '\x80'
			;;
		*)
			# Every code and key of the forms, and JSON tokens.
			grep -ohE '"[a-z][a-z0-9_.]*"' forms/PL1.json \
			    forms/PL2.json | sort -u
			printf '"%s"\n' '{' '}' '[' ']' ':' ',' 'null' 'true' \
			    'false' '9007199254740991' '-1' '0.5' '1e999' \
			    '\"' '\\u0000' '\\ud800' 'TYT-XUANHONG' \
			    'TYT-XUANTRUONG' '2023-07-01' '372/Q\xc4\x90-SYT'
			;;
		esac
	} >"$dict"
}

# A timeout whose input runs in time when replayed alone: the harnesses
# are deterministic, so the machine stalled (another job took the cores).
timeout_spurious() {
	local t=$1 log=$2 unit i
	grep -q 'ERROR: libFuzzer: timeout' "$log" || return 1
	unit=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -1)
	[ -n "$unit" ] && [ -f "$unit" ] || return 1
	for i in 1 2 3; do
		"$OUT/$t" -timeout="$TIMEOUT" -rss_limit_mb="$RSS_MB" "$unit" \
		    >/dev/null 2>&1 || return 1
	done
	return 0
}

# Runs one target for $2 seconds; prints its executions; 0 if clean.
# A timeout that does not reproduce is reported and the run done again,
# once.
run_target() {
	local t=$1 secs=$2 try work log art rc execs corpus
	mkdir -p "$OUT/logs" "$OUT/crashes/$t"
	log="$OUT/logs/$t.log"
	art="$OUT/crashes/$t/"
	for try in 1 2; do
		work=$(mktemp -d "${TMPDIR:-/tmp}/fuzz.$t.XXXXXX") || return 1
		corpus="$work/corpus"
		mkdir -p "$corpus"
		if [ -d "tests/fuzz/corpus/$t" ]; then
			cp -R "tests/fuzz/corpus/$t/." "$corpus/"
		fi
		make_dict "$t" "$work/dict"
		ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} \
		UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
		    "$OUT/$t" -max_total_time="$secs" -rss_limit_mb="$RSS_MB" \
		    -timeout="$TIMEOUT" -print_final_stats=1 \
		    -dict="$work/dict" -artifact_prefix="$art" "$corpus" \
		    >"$log" 2>&1
		rc=$?
		rm -rf "$work"
		execs=$(sed -n 's/^stat::number_of_executed_units: *//p' \
		    "$log" | tail -1)
		[ -n "$execs" ] ||
		    execs=$(sed -n 's/^#\([0-9]*\)[[:space:]]*DONE.*/\1/p' \
		    "$log" | tail -1)
		if [ $rc -eq 0 ] && ! grep -qE \
		    '^==[0-9]+==ERROR|runtime error:|^SUMMARY: |deadly signal|ERROR: libFuzzer' \
		    "$log"; then
			printf '  %-18s %12s executions in %ss: ok\n' "$t" \
			    "${execs:-?}" "$secs"
			return 0
		fi
		if [ $try -eq 1 ] && timeout_spurious "$t" "$log"; then
			cp "$log" "$OUT/logs/$t.stalled.log"
			printf '  %-18s %12s executions, then a timeout that does not reproduce\n' \
			    "$t" "${execs:-?}"
			printf '      (the input runs in time alone: the machine stalled; see %s); again\n' \
			    "$OUT/logs/$t.stalled.log"
			continue
		fi
		break
	done
	printf '  %-18s %12s executions: FAILED (exit %d), log %s\n' "$t" \
	    "${execs:-?}" "$rc" "$log"
	grep -E '^==[0-9]+==ERROR|runtime error:|^SUMMARY|invariant broken|ERROR: libFuzzer|Test unit written|^artifact_prefix' \
	    "$log" | head -20 | sed 's/^/      /'
	return 1
}

mode=${1:-short}
[ $# -gt 0 ] && shift
case $mode in
short)	secs=${FUZZ_SECONDS:-20} ;;
long)	[ $# -gt 0 ] || usage
	secs=$1
	shift
	case $secs in ''|*[!0-9]*) usage ;; esac ;;
build)	secs=0 ;;
run)	[ $# -ge 2 ] || usage ;;
-h|--help|help)	usage ;;
*)	usage ;;
esac

ensure_cc || exit 1

if [ "$mode" = run ]; then
	t=$1
	shift
	build "$t" || exit 1
	exec "$OUT/$t" -rss_limit_mb="$RSS_MB" -timeout="$TIMEOUT" "$@"
fi

targets=${*:-$TARGETS}
for t in $targets; do
	sources "$t" >/dev/null || { echo "fuzz: unknown target $t" >&2; exit 2; }
done

echo "== building fuzz targets with $CC"
for t in $targets; do
	build "$t" || { echo "fuzz: build of $t failed" >&2; exit 1; }
done
[ "$mode" = build ] && exit 0

echo "== fuzzing, ${secs}s per target"
failed=0
passed=0
for t in $targets; do
	if run_target "$t" "$secs"; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
	fi
done
echo "fuzz: $passed passed, $failed failed"
[ $failed -eq 0 ]
