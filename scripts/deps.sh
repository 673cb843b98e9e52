#!/usr/bin/env bash
# Install the Debian packages the portal needs, once; with --test also
# what only the tests need (Python's openpyxl, Chromium, Node.js, nginx
# for the front, slowhttptest to attack it, poppler-utils to read the
# PDFs back, LibreOffice to open the workbook, aiosmtpd and openssl for
# the mail server the notices go to).
set -euo pipefail

pkgs=(make gcc pkg-config kore libjansson-dev libxlsxwriter-dev libpcre2-dev
      libcmocka-dev libargon2-dev libpq-dev libpwquality-dev cracklib-runtime
      libicu-dev zlib1g-dev postgresql-15 postgresql-client-15 procps passwd
      libcairo2-dev libpango1.0-dev libfontconfig-dev fonts-liberation2
      libpoppler-glib-dev libcurl4-openssl-dev ca-certificates)
if [ "${1:-}" = "--test" ]; then
	pkgs+=(python3 python3-openpyxl python3-aiosmtpd openssl chromium
	    nginx-light clang-14 libclang-rt-14-dev slowhttptest poppler-utils
	    libreoffice-calc-nogui)
	# Keep a newer Node.js the machine may already have.
	command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 ||
	    pkgs+=(nodejs npm)
fi

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
	    grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Cài các gói còn thiếu / installing: ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
	echo "Run as root, or: sudo apt-get install ${missing[*]}" >&2
	exit 1
fi
# The portal runs its own cluster under var/: no system-wide one.
if [ ! -e /etc/postgresql-common/createcluster.conf ]; then
	mkdir -p /etc/postgresql-common
	echo "create_main_cluster = false" >/etc/postgresql-common/createcluster.conf
fi
export DEBIAN_FRONTEND=noninteractive
# Packages such as nginx start a system service on install, listening on
# every interface: the tests start their own, on loopback, so forbid that.
if [ ! -e /usr/sbin/policy-rc.d ]; then
	printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
	chmod +x /usr/sbin/policy-rc.d
	trap 'rm -f /usr/sbin/policy-rc.d' EXIT
fi
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
