#!/usr/bin/env bash
# Create the first admin account with a random password, printed once.
#   admin.sh CONNINFO [--reset]
# Without --reset nothing happens when an admin exists already.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
conn=${1:?conninfo}
reset=${2:-}
psql_() { psql "$conn" -X -q -v ON_ERROR_STOP=1 "$@"; }

have=$(psql_ -At -c "SELECT count(*) FROM users WHERE role = 'admin' AND active")
if [ "$have" != "0" ] && [ "$reset" != "--reset" ]; then
	echo "Tài khoản quản trị đã có. Quên mật khẩu: make admin-password"
	exit 0
fi

# A random password that passes the password policy; like any one-time
# password it must be changed at first sign-in, within 14 days.
IFS=$'\t' read -r pw hash < <("$root/build/portalctl" newpass)
[ -n "$hash" ] || { echo "portalctl newpass failed" >&2; exit 1; }
psql_ -v hash="$hash" <<'SQL'
INSERT INTO users (username, role, password_hash, must_change_password,
    full_name, otp_issued_at)
VALUES ('admin', 'admin', :'hash', true, 'Quản trị hệ thống', now())
ON CONFLICT (username) DO UPDATE SET password_hash = EXCLUDED.password_hash,
    must_change_password = true, active = true, otp_issued_at = now();
DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE username = 'admin');
DELETE FROM login_failures WHERE username = 'admin';
INSERT INTO audit (action, object) VALUES ('admin_password_issued', 'user:admin');
SQL
cat <<MSG

  Tài khoản quản trị / admin account
    tên đăng nhập: admin
    mật khẩu:      $pw
  Mật khẩu chỉ hiện một lần; hệ thống yêu cầu đổi ở lần đăng nhập đầu,
  trong vòng 14 ngày (quá hạn: make admin-password).
  (Shown once; change it at first sign-in, within 14 days.)

MSG
