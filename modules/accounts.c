/*
 * Accounts issued by the office: one per unit, plus office, viewer and
 * admin accounts.  Every new account gets a one-time password that must be
 * changed at first sign-in (within 14 days, or the office issues a new
 * one); the portal keeps only its hash.  The office may issue, reset,
 * unlock, deactivate and reactivate unit and viewer accounts; only an
 * admin does so for office and admin accounts.  Unit accounts go only
 * to units that file: a commune station's reports are filed by its
 * district health centre, and the office's own unit files none.
 * Integrations' users (behind a token) are not managed here.
 */
#include <sys/types.h>
#include <sys/stat.h>

#include <ctype.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <kore/kore.h>
#include <kore/http.h>
#include <kore/pgsql.h>

#include "api.h"
#include "passwd.h"
#include "period.h"
#include "route.h"
#include "xlsx_accounts.h"

#define ACC_BODY_MAX	(256 * 1024)
#define ACC_BULK_MAX	3000
#define ACC_XLSX_TYPE	\
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

struct acc_one {
	char		username[USERNAME_MAX];
	char		role[16];
	char		unit[CALLER_UNIT_MAX];
	char		otp[PW_OTP_LEN + 1];
	char		hash[PW_HASH_MAX];
	char		actor[32];
	char		*districts;
	char		*full_name;
};

struct acc_bulk_item {
	char		unit[CALLER_UNIT_MAX];
	char		*unit_name;
	char		username[USERNAME_MAX];
	char		otp[PW_OTP_LEN + 1];
	char		hash[PW_HASH_MAX];
};

struct acc_bulk {
	size_t			n;
	struct acc_bulk_item	*items;
	char			*json;
	char			actor[32];
	int			failed;

	/* The sheet of passwords, written on a task thread. */
	struct xlsx_account	*rows;
	size_t			nrows;
	char			tmpdir[256];
	char			date[16];
	char			name[64];
	unsigned char		*file;
	size_t			len;
};

static int	acc_username_ok(const char *);
static int	acc_may_manage(const struct api_ctx *, const char *);
static int	acc_created(struct api_ctx *);
static int	acc_reset_done(struct api_ctx *);
static int	acc_unlocked(struct api_ctx *);
static int	acc_set_active(struct api_ctx *, const char *);
static int	acc_active_done(struct api_ctx *);
static int	acc_refused(struct api_ctx *, const char *);
static int	acc_listed(struct api_ctx *);
static int	acc_bulk_found(struct api_ctx *);
static int	acc_bulk_hash(void *);
static int	acc_bulk_hashed(struct api_ctx *);
static int	acc_bulk_created(struct api_ctx *);
static int	acc_bulk_xlsx(void *);
static int	acc_bulk_sent(struct api_ctx *);
static void	acc_one_free(void *);
static void	acc_bulk_free(void *);

static int
acc_username_ok(const char *s)
{
	size_t		i, n;

	n = strlen(s);
	if (n < 3 || n > USERNAME_MAX - 1)
		return (0);
	for (i = 0; i < n; i++) {
		if ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9'))
			continue;
		if (i > 0 && (s[i] == '.' || s[i] == '_' || s[i] == '-'))
			continue;
		return (0);
	}

	return (1);
}

/* The office manages unit and viewer accounts; admin manages all. */
static int
acc_may_manage(const struct api_ctx *ctx, const char *role)
{
	if (ctx->who.role == ROLE_ADMIN)
		return (1);

	return (!strcmp(role, "unit") || !strcmp(role, "viewer"));
}

static void
acc_one_free(void *p)
{
	struct acc_one	*a = p;

	free(a->districts);
	explicit_bzero(a, sizeof(*a));
	kore_free(a);
}

int
accounts_list(struct api_ctx *ctx)
{
	return (api_then(ctx, Q_ACCOUNTS_LIST, 0, NULL, acc_listed));
}

static int
acc_listed(struct api_ctx *ctx)
{
	return (api_raw(ctx, 200, db_get(&ctx->db, 0, 0)));
}

int
accounts_create(struct api_ctx *ctx)
{
	struct acc_one	*a;
	const char	*role, *unit, *user, *name, *params[7];
	json_t		*d;
	size_t		i;

	if (!api_body_json(ctx, ACC_BODY_MAX))
		return (API_DONE);

	role = api_json_text(ctx->body, "role", 15);
	unit = api_json_text(ctx->body, "unit", CALLER_UNIT_MAX - 1);
	user = api_json_text(ctx->body, "username", USERNAME_MAX - 1);
	name = api_json_chars(ctx->body, "full_name", 100);
	d = json_object_get(ctx->body, "districts");

	if (name == NULL && json_object_get(ctx->body, "full_name") != NULL)
		return (api_error(ctx, 422, "bad_full_name", "Họ tên là chuỗi "
		    "ký tự, tối đa 100 ký tự.", NULL));
	if (role == NULL || api_role_parse(role) == 0)
		return (api_error(ctx, 422, "bad_role", "Vai trò phải là một "
		    "trong: unit, office, viewer, admin.", NULL));
	if (!acc_may_manage(ctx, role))
		return (api_error(ctx, 403, "forbidden", "Chỉ quản trị hệ "
		    "thống được cấp tài khoản Văn phòng hoặc quản trị.", NULL));
	if (!strcmp(role, "unit") && (unit == NULL || *unit == '\0'))
		return (api_error(ctx, 422, "unit_required", "Tài khoản đơn vị "
		    "cần mã đơn vị (unit).", NULL));
	if (strcmp(role, "unit") && unit != NULL && *unit != '\0')
		return (api_error(ctx, 422, "unit_not_allowed", "Chỉ tài khoản "
		    "đơn vị mới gắn với một đơn vị.", NULL));
	/* Not a list of codes: the body's shape is wrong (400). */
	if (d != NULL && !json_is_array(d))
		return (api_error(ctx, 400, "bad_shape", "Danh sách huyện "
		    "(districts) phải là một mảng mã huyện.", json_pack(
		    "[{s:s}]", "part", "districts")));
	for (i = 0; d != NULL && i < json_array_size(d); i++) {
		if (!json_is_string(json_array_get(d, i)))
			return (api_error(ctx, 400, "bad_shape", "Mã huyện "
			    "trong districts phải là chuỗi.", json_pack(
			    "[{s:s}]", "part", "districts")));
	}
	if (d != NULL && strcmp(role, "viewer"))
		return (api_error(ctx, 422, "bad_districts", "Danh sách huyện "
		    "(districts) chỉ dành cho tài khoản theo dõi (viewer).",
		    NULL));

	a = kore_calloc(1, sizeof(*a));
	ctx->priv = a;
	ctx->priv_free = acc_one_free;
	(void)snprintf(a->role, sizeof(a->role), "%s", role);
	if (unit != NULL)
		(void)snprintf(a->unit, sizeof(a->unit), "%s", unit);
	if (user == NULL && unit != NULL) {
		for (i = 0; unit[i] != '\0'; i++)
			a->username[i] = (char)tolower((unsigned char)unit[i]);
	} else if (user != NULL) {
		(void)snprintf(a->username, sizeof(a->username), "%s", user);
	}
	if (!acc_username_ok(a->username))
		return (api_error(ctx, 422, "bad_username", "Tên đăng nhập gồm "
		    "3–63 ký tự: chữ thường không dấu, số, dấu chấm, gạch "
		    "dưới, gạch ngang; bắt đầu bằng chữ hoặc số.", NULL));

	a->districts = d ? json_dumps(d, JSON_COMPACT) : strdup("[]");
	if (pw_otp(a->otp, sizeof(a->otp)) == -1 ||
	    pw_hash_otp(a->otp, a->hash, sizeof(a->hash)) == -1)
		return (api_error(ctx, 500, "internal", NULL, NULL));
	(void)snprintf(a->actor, sizeof(a->actor), "%lld", ctx->who.user_id);

	params[0] = a->username;
	params[1] = a->role;
	params[2] = a->unit[0] ? a->unit : NULL;
	params[3] = a->hash;
	params[4] = name ? name : "";
	params[5] = a->districts;
	params[6] = a->actor;

	return (api_then(ctx, Q_ACCOUNT_CREATE, 7, params, acc_created));
}

static int
acc_created(struct api_ctx *ctx)
{
	struct acc_one	*a = ctx->priv;
	const char	*r;
	json_t		*o;

	r = db_get(&ctx->db, 0, 0);
	if (!strcmp(r, "exists"))
		return (api_error(ctx, 409, "exists", "Tên đăng nhập đã được "
		    "dùng cho một tài khoản khác.", NULL));
	if (!strcmp(r, "reserved"))
		return (api_error(ctx, 422, "bad_username", "Tên đăng nhập bắt "
		    "đầu bằng “api.” dành cho mã tích hợp; hãy chọn tên "
		    "khác.", NULL));
	if (!strcmp(r, "not_filing"))
		return (api_error(ctx, 422, "unit_does_not_file", "Đơn vị này "
		    "không tự nộp báo cáo (trạm y tế xã do trung tâm y tế "
		    "huyện nộp thay; Văn phòng Sở không nộp), nên không cấp "
		    "tài khoản đơn vị.", NULL));
	if (!strcmp(r, "unit_has_account"))
		return (api_error(ctx, 409, "exists", "Đơn vị này đã có tài "
		    "khoản; hãy cấp lại mật khẩu thay vì tạo mới.", NULL));
	if (!strcmp(r, "no_unit"))
		return (api_error(ctx, 422, "unknown_unit", "Không có đơn vị "
		    "với mã này trong danh mục.", NULL));
	if (!strcmp(r, "bad_district"))
		return (api_error(ctx, 422, "bad_districts", "Có mã huyện "
		    "không có trong danh mục.", NULL));

	o = json_pack("{s:s, s:s, s:s}", "username", a->username, "role",
	    a->role, "one_time_password", a->otp);
	json_object_set_new(o, "unit", a->unit[0] ? json_string(a->unit) :
	    json_null());

	return (api_json(ctx, 201, o));
}

int
accounts_reset(struct api_ctx *ctx)
{
	struct acc_one	*a;
	const char	*params[4];

	a = kore_calloc(1, sizeof(*a));
	ctx->priv = a;
	ctx->priv_free = acc_one_free;
	(void)snprintf(a->username, sizeof(a->username), "%s", ctx->args[0]);
	(void)snprintf(a->actor, sizeof(a->actor), "%lld", ctx->who.user_id);
	if (pw_otp(a->otp, sizeof(a->otp)) == -1 ||
	    pw_hash_otp(a->otp, a->hash, sizeof(a->hash)) == -1)
		return (api_error(ctx, 500, "internal", NULL, NULL));

	params[0] = a->username;
	params[1] = a->hash;
	params[2] = a->actor;
	params[3] = ctx->who.role == ROLE_ADMIN ? "admin" : "office";

	return (api_then(ctx, Q_ACCOUNT_RESET, 4, params, acc_reset_done));
}

static int
acc_reset_done(struct api_ctx *ctx)
{
	struct acc_one	*a = ctx->priv;
	const char	*r;

	r = db_rows(&ctx->db) == 1 ? db_get(&ctx->db, 0, 0) : "not_found";
	if (strcmp(r, "ok"))
		return (acc_refused(ctx, r));

	return (api_json(ctx, 200, json_pack("{s:s, s:s}", "username",
	    a->username, "one_time_password", a->otp)));
}

/* Why account_reset, _unlock or _set_active said no. */
static int
acc_refused(struct api_ctx *ctx, const char *r)
{
	if (!strcmp(r, "forbidden"))
		return (api_error(ctx, 403, "forbidden", "Chỉ quản trị hệ "
		    "thống quản lý tài khoản Văn phòng Sở và quản trị.", NULL));
	if (!strcmp(r, "integration"))
		return (api_error(ctx, 409, "integration_account", NULL, NULL));
	if (!strcmp(r, "self"))
		return (api_error(ctx, 409, "own_account", "Không thể ngừng "
		    "tài khoản đang dùng để đăng nhập.", NULL));
	if (!strcmp(r, "unit_has_account"))
		return (api_error(ctx, 409, "exists", "Đơn vị này đã có một tài "
		    "khoản khác đang hoạt động; ngừng tài khoản đó trước.",
		    NULL));

	return (api_error(ctx, 404, "not_found", "Không có tài khoản với tên "
	    "đăng nhập này.", NULL));
}

int
accounts_unlock(struct api_ctx *ctx)
{
	const char	*params[3];
	char		actor[32];

	(void)snprintf(actor, sizeof(actor), "%lld", ctx->who.user_id);
	params[0] = ctx->args[0];
	params[1] = actor;
	params[2] = ctx->who.role == ROLE_ADMIN ? "admin" : "office";

	return (api_then(ctx, Q_ACCOUNT_UNLOCK, 3, params, acc_unlocked));
}

static int
acc_unlocked(struct api_ctx *ctx)
{
	const char	*r;

	r = db_rows(&ctx->db) == 1 ? db_get(&ctx->db, 0, 0) : "not_found";
	if (strcmp(r, "ok"))
		return (acc_refused(ctx, r));

	return (api_nocontent(ctx));
}

int
accounts_deactivate(struct api_ctx *ctx)
{
	return (acc_set_active(ctx, "false"));
}

int
accounts_activate(struct api_ctx *ctx)
{
	return (acc_set_active(ctx, "true"));
}

/* A deactivated account cannot sign in and its sessions end at once. */
static int
acc_set_active(struct api_ctx *ctx, const char *active)
{
	const char	*params[4];
	char		actor[32];

	(void)snprintf(actor, sizeof(actor), "%lld", ctx->who.user_id);
	params[0] = ctx->args[0];
	params[1] = active;
	params[2] = actor;
	params[3] = ctx->who.role == ROLE_ADMIN ? "admin" : "office";

	return (api_then(ctx, Q_ACCOUNT_SET_ACTIVE, 4, params,
	    acc_active_done));
}

static int
acc_active_done(struct api_ctx *ctx)
{
	const char	*r;

	r = db_rows(&ctx->db) == 1 ? db_get(&ctx->db, 0, 0) : "not_found";
	if (strcmp(r, "ok"))
		return (acc_refused(ctx, r));

	return (api_json(ctx, 200, json_pack("{s:s, s:b}", "username",
	    ctx->args[0], "active", ctx->route->handler == accounts_activate)));
}

static void
acc_bulk_free(void *p)
{
	struct acc_bulk	*b = p;
	size_t		i;

	for (i = 0; i < b->n; i++)
		free(b->items[i].unit_name);
	if (b->items != NULL)
		explicit_bzero(b->items, b->n * sizeof(b->items[0]));
	free(b->items);
	free(b->json);
	free(b->rows);
	if (b->file != NULL)
		explicit_bzero(b->file, b->len);
	free(b->file);
	kore_free(b);
}

/*
 * Issue accounts to every unit that files in the request (or, without a
 * list, of a district, or of the province) and has none yet, and answer
 * with the sheet of one-time passwords.
 */
int
accounts_bulk(struct api_ctx *ctx)
{
	struct acc_bulk	*b;
	const char	*params[2], *district;
	json_t		*units;

	if (!api_body_json(ctx, ACC_BODY_MAX))
		return (API_DONE);

	units = json_object_get(ctx->body, "units");
	district = api_json_text(ctx->body, "district", 32);
	if (units != NULL && !json_is_array(units))
		return (api_error(ctx, 400, "bad_request", "\"units\" phải là "
		    "một mảng mã đơn vị.", NULL));

	b = kore_calloc(1, sizeof(*b));
	ctx->priv = b;
	ctx->priv_free = acc_bulk_free;
	(void)snprintf(b->actor, sizeof(b->actor), "%lld", ctx->who.user_id);
	b->json = units ? json_dumps(units, JSON_COMPACT) : NULL;

	params[0] = b->json;
	params[1] = district ? district : "";

	return (api_then(ctx, Q_BULK_CANDIDATES, 2, params, acc_bulk_found));
}

static int
acc_bulk_found(struct api_ctx *ctx)
{
	struct acc_bulk	*b = ctx->priv;
	size_t		i, n;

	n = (size_t)db_rows(&ctx->db);
	if (n == 0)
		return (api_error(ctx, 422, "nothing_to_issue", "Các đơn vị đã "
		    "chọn đều đã có tài khoản, hoặc không tự nộp báo cáo "
		    "(trạm y tế xã do trung tâm y tế huyện nộp thay; Văn "
		    "phòng Sở không nộp).", NULL));
	if (n > ACC_BULK_MAX)
		return (api_error(ctx, 413, "too_large", "Mỗi lần cấp tối đa "
		    "3000 tài khoản; hãy cấp theo từng huyện.", NULL));

	b->items = calloc(n, sizeof(b->items[0]));
	if (b->items == NULL)
		return (api_error(ctx, 500, "internal", NULL, NULL));
	b->n = n;
	for (i = 0; i < n; i++) {
		(void)snprintf(b->items[i].unit, sizeof(b->items[i].unit), "%s",
		    db_get(&ctx->db, (int)i, 0));
		b->items[i].unit_name = strdup(db_get(&ctx->db, (int)i, 1));
		(void)snprintf(b->items[i].username,
		    sizeof(b->items[i].username), "%s",
		    db_get(&ctx->db, (int)i, 2));
	}
	db_clear(&ctx->db);

	return (api_offload(ctx, acc_bulk_hash, acc_bulk_hashed));
}

/* On a task thread: only the bulk structure is touched. */
static int
acc_bulk_hash(void *p)
{
	struct acc_bulk	*b = p;
	size_t		i;

	for (i = 0; i < b->n; i++) {
		if (pw_otp(b->items[i].otp, sizeof(b->items[i].otp)) == -1 ||
		    pw_hash_otp(b->items[i].otp, b->items[i].hash,
		    sizeof(b->items[i].hash)) == -1) {
			b->failed = 1;
			break;
		}
	}

	return (0);
}

static int
acc_bulk_hashed(struct api_ctx *ctx)
{
	struct acc_bulk	*b = ctx->priv;
	const char	*params[2];
	json_t		*arr;
	size_t		i;

	if (b->failed)
		return (api_error(ctx, 500, "internal", NULL, NULL));

	arr = json_array();
	for (i = 0; i < b->n; i++) {
		json_array_append_new(arr, json_pack("{s:s, s:s, s:s}",
		    "username", b->items[i].username, "unit", b->items[i].unit,
		    "hash", b->items[i].hash));
	}
	free(b->json);
	b->json = json_dumps(arr, JSON_COMPACT);
	json_decref(arr);

	params[0] = b->json;
	params[1] = b->actor;

	return (api_then(ctx, Q_ACCOUNTS_BULK_CREATE, 2, params,
	    acc_bulk_created));
}

/*
 * On a task thread (3,000 rows are a tenth of a second of libxlsxwriter):
 * only b.  The file leaves the disk before the task ends.
 */
static int
acc_bulk_xlsx(void *p)
{
	struct acc_bulk	*b = p;
	struct stat	st;
	char		dir[300], path[320];
	int		fd, r;

	(void)snprintf(dir, sizeof(dir), "%s/acc.XXXXXX", b->tmpdir);
	if (mkdtemp(dir) == NULL)
		return (KORE_RESULT_ERROR);
	(void)snprintf(path, sizeof(path), "%s/accounts.xlsx", dir);

	r = -1;
	if (xlsx_accounts_write(path, dir, b->rows, b->nrows, b->date) == 0 &&
	    (fd = open(path, O_RDONLY)) != -1) {
		if (fstat(fd, &st) == 0 &&
		    (b->file = malloc(st.st_size)) != NULL &&
		    read(fd, b->file, st.st_size) == st.st_size) {
			b->len = (size_t)st.st_size;
			r = 0;
		}
		close(fd);
	}
	(void)unlink(path);
	(void)rmdir(dir);
	if (r == -1) {
		free(b->file);
		b->file = NULL;
	}

	return (r == 0 ? KORE_RESULT_OK : KORE_RESULT_ERROR);
}

static int
acc_bulk_sent(struct api_ctx *ctx)
{
	struct acc_bulk	*b = ctx->priv;

	if (b->file == NULL)
		return (api_error(ctx, 500, "internal", NULL, NULL));

	return (api_file(ctx, ACC_XLSX_TYPE, b->name, b->file, b->len));
}

static int
acc_bulk_created(struct api_ctx *ctx)
{
	struct acc_bulk		*b = ctx->priv;
	struct xlsx_account	*rows;
	struct pdate		today;
	const char		*tmp;
	size_t			i, j, n;

	/* Only the accounts the statement really created are handed out. */
	n = (size_t)db_rows(&ctx->db);
	if ((rows = calloc(n ? n : 1, sizeof(*rows))) == NULL)
		return (api_error(ctx, 500, "internal", NULL, NULL));
	b->rows = rows;
	for (i = 0, j = 0; i < b->n && j < n; i++) {
		if (strcmp(b->items[i].username, db_get(&ctx->db, (int)j, 0)))
			continue;
		rows[j].unit = b->items[i].unit;
		rows[j].unit_name = b->items[i].unit_name;
		rows[j].username = b->items[i].username;
		rows[j].password = b->items[i].otp;
		j++;
	}
	b->nrows = j;
	db_clear(&ctx->db);

	if ((tmp = getenv("PORTAL_TMP")) == NULL)
		tmp = "/tmp";
	(void)snprintf(b->tmpdir, sizeof(b->tmpdir), "%s", tmp);
	period_local_date(time(NULL), &today);
	(void)snprintf(b->date, sizeof(b->date), "%02d/%02d/%04d", today.d,
	    today.m, today.y);
	(void)snprintf(b->name, sizeof(b->name), "tai-khoan-%04d%02d%02d.xlsx",
	    today.y, today.m, today.d);

	return (api_offload_export(ctx, acc_bulk_xlsx, acc_bulk_sent));
}
