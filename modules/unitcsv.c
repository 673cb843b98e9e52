/*
 * The unit registry import: header mapping, per-row validation, unit
 * kinds and the focal-point validators.  Pure C over csv.c and PCRE2.
 *
 * The office edits these files by hand in Excel, so the reader is lax
 * where nothing can go wrong and strict where a typo would land in the
 * database: headers, kinds and yes/no values are compared after folding
 * (case, Vietnamese diacritics, precomposed or combining, and '_' versus
 * space do not matter), while an unknown column is refused because it
 * is most often a misspelt known one whose data would be lost.
 *
 * Every problem of every row is reported, not the first one only, and
 * a row with any problem is kept out of res->units.  res->rows keeps
 * every row with what could be read of it, so that the registry checks
 * (districts, managing units: sql/011) run over the whole file in the
 * same round, and unitcsv_merge() adds what they find.
 *
 * PCRE2 is used without JIT (the worker's seccomp filter refuses the
 * executable mappings JIT needs).  The patterns and one match block are
 * static: Kore workers are single-threaded processes.
 */

#define PCRE2_CODE_UNIT_WIDTH	8

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcre2.h>

#include "csv.h"
#include "period.h"
#include "unitcsv.h"

#define FOLD_MAX	256	/* folded text; longer input matches nothing */
#define EXCERPT_MAX	40	/* bytes of a bad value quoted in a message */
#define PHONE_RAW_MAX	24	/* digits and '+' once separators are gone */
#define ISSUES_INITIAL	16
#define NOCOL		SIZE_MAX

/* What fold_cp() returns besides a letter or digit. */
#define FOLD_SEP	' '
#define FOLD_DROP	0
#define FOLD_KEEP	-1

#define MSG_EMPTY	\
	"Tệp trống: cần dòng tiêu đề và ít nhất một dòng đơn vị."
#define MSG_NO_ROWS	\
	"Tệp chưa có đơn vị nào: dưới dòng tiêu đề cần ít nhất một dòng " \
	"đơn vị."
#define MSG_MORE	\
	"Còn %zu lỗi khác không được liệt kê; hãy sửa các lỗi trên rồi " \
	"tải tệp lên lại."
#define MSG_COL_UNKNOWN	\
	"Cột \"%s\" không có trong mẫu; hãy sửa tên cột cho đúng mẫu " \
	"hoặc xoá cột này."
#define MSG_COL_DUP	\
	"Cột \"%s\" bị lặp lại (cột thứ %zu và thứ %zu); hãy giữ một cột."
#define MSG_COL_MISSING	\
	"Thiếu cột bắt buộc \"%s\" (hoặc %s) ở dòng tiêu đề."
#define MSG_ORPHAN	\
	"Ô thứ %zu có dữ liệu nhưng không thuộc cột nào có tiêu đề; hãy " \
	"xoá dữ liệu thừa hoặc bao ô có dấu phân cách trong dấu \"."
#define MSG_CODE_MISSING	"Thiếu mã đơn vị."
#define MSG_CODE_BAD	\
	"Mã đơn vị \"%s\" không hợp lệ: 2–32 ký tự gồm chữ không dấu, " \
	"chữ số, dấu chấm, gạch dưới, gạch ngang; bắt đầu bằng chữ hoặc số."
#define MSG_CODE_DUP	\
	"Mã đơn vị \"%s\" đã có ở dòng %zu; mỗi đơn vị chỉ ghi một lần."
#define MSG_NAME_MISSING	"Thiếu tên đơn vị."
#define MSG_NAME_LONG	\
	"Tên đơn vị quá dài (%zu byte): tối đa %d byte, chữ có dấu chiếm " \
	"2–3 byte."
#define MSG_NAME_CTRL	\
	"Tên đơn vị có ký tự điều khiển (xuống dòng, tab…); hãy viết tên " \
	"trên một dòng."
#define MSG_KIND_MISSING	"Thiếu loại đơn vị."
#define MSG_KIND_BAD	\
	"Loại đơn vị \"%s\" không có trong danh sách; ghi tên loại (ví dụ " \
	"\"Trạm Y tế xã\") hoặc mã loại (ví dụ commune_station)."
#define MSG_DISTRICT_MISSING	\
	"Thiếu khu vực (huyện, xã, phường): ghi mã hoặc tên."
#define MSG_DISTRICT_LONG	\
	"Tên khu vực (huyện, xã, phường) quá dài: tối đa %d byte."
#define MSG_DISTRICT_CTRL	\
	"Khu vực (huyện, xã, phường) có ký tự điều khiển (xuống dòng, " \
	"tab…)."
#define MSG_PARENT_MISSING	\
	"Trạm Y tế xã phải có đơn vị quản lý: ghi mã Trung tâm Y tế " \
	"huyện quản lý trạm."
#define MSG_PARENT_BAD	\
	"Mã đơn vị quản lý \"%s\" không hợp lệ: ghi mã đơn vị (chữ không " \
	"dấu, chữ số, dấu chấm, gạch dưới, gạch ngang)."
#define MSG_PARENT_SELF	"Đơn vị quản lý không được là chính đơn vị này."
#define MSG_PARENT_EXTRA	\
	"Chỉ Trạm Y tế xã mới ghi đơn vị quản lý; hãy để trống ô này " \
	"với loại \"%s\"."
#define MSG_BOOL_BAD	\
	"Giá trị \"%s\" không hợp lệ: ghi 1/0, x, có/không, yes/no, " \
	"true/false hoặc để trống."
#define MSG_FILES_EXTRA	\
	"Chỉ Trạm Y tế xã mới tự báo cáo thay cho Trung tâm Y tế; hãy để " \
	"trống ô này với loại \"%s\"."
#define MSG_PRED_BAD	\
	"Mã đơn vị trước \"%s\" không hợp lệ: ghi các mã đơn vị cách " \
	"nhau bởi dấu cách, dấu phẩy hoặc dấu chấm phẩy."
#define MSG_PRED_SELF	"Đơn vị không sáp nhập từ chính nó được."
#define MSG_PRED_MANY	\
	"Ghi tối đa %d đơn vị trước trên một dòng."
#define MSG_CLOSE_PREDS	\
	"Đơn vị ngừng hoạt động không ghi đơn vị trước: ghi việc sáp " \
	"nhập ở dòng của đơn vị tiếp nhận."
#define MSG_AREA_NAME_MISSING	"Thiếu tên khu vực."
#define MSG_AREA_NAME_LONG	"Tên khu vực quá dài: tối đa 100 byte."
#define MSG_AREA_NAME_CTRL	\
	"Tên khu vực có ký tự điều khiển (xuống dòng, tab…); hãy viết " \
	"trên một dòng."
#define MSG_PRIVATE_PUBLIC	\
	"Loại \"%s\" là ngoài công lập: cột này phải để trống hoặc ghi 0."
#define MSG_CNAME_MISSING	\
	"Thiếu họ tên người đầu mối: đã ghi thông tin đầu mối thì cần cả " \
	"họ tên và số điện thoại."
#define MSG_CPHONE_MISSING	\
	"Thiếu số điện thoại người đầu mối: đã ghi thông tin đầu mối thì " \
	"cần cả họ tên và số điện thoại."

#define MSG_NAME_REQUIRED	"Thiếu họ tên người đầu mối."
#define MSG_PNAME_LONG		\
	"Họ tên người đầu mối quá dài: tối đa 100 byte."
#define MSG_PNAME_CTRL		\
	"Họ tên người đầu mối có ký tự không hợp lệ (xuống dòng, tab, ký " \
	"tự điều khiển); hãy viết trên một dòng."
#define MSG_PNAME_NOLETTER	\
	"Họ tên người đầu mối phải có chữ cái, không chỉ gồm chữ số hay " \
	"ký hiệu."
#define MSG_POSITION_LONG	"Chức vụ quá dài: tối đa 100 byte."
#define MSG_POSITION_CTRL	\
	"Chức vụ có ký tự không hợp lệ (xuống dòng, tab, ký tự điều " \
	"khiển); hãy viết trên một dòng."
#define MSG_PHONE_REQUIRED	"Thiếu số điện thoại người đầu mối."
#define MSG_PHONE_BAD		\
	"Số điện thoại không hợp lệ: cần 10 số di động (09…, 03…) hoặc " \
	"11 số cố định (02…)."
#define MSG_PHONE_ZERO		\
	"Số điện thoại thiếu số 0 ở đầu (Excel bỏ số 0 khi ô có kiểu " \
	"số): hãy định dạng cột là Văn bản (Text) rồi ghi đủ số."
#define MSG_EMAIL_LONG		"Email quá dài: tối đa 254 ký tự."
#define MSG_EMAIL_BAD		\
	"Email không hợp lệ: cần dạng ten@ten-mien.vn, không dấu, không " \
	"khoảng trắng."

enum {
	RE_CODE,
	RE_PHONE,
	RE_EMAIL,
	RE_AREA,
	RE_MAX
};

/*
 * PCRE2_DOLLAR_ENDONLY everywhere: a plain '$' also matches before a
 * final newline, which would let "ABC\n" through as a unit code.
 */
static const char *const re_src[RE_MAX] = {
	"^[A-Z0-9][A-Z0-9._-]{1,31}$",
	/* The leading 0 or 84 is dropped by the capture: it is re-added. */
	"^(?:0|\\+?84)([35789][0-9]{8}|2[0-9]{9})$",
	"^(?=[^@]{1,64}@)"
	"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
	"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+"
	"[A-Za-z]{2,63}$",
	"^[A-Z0-9_-]{2,32}$",
};

static pcre2_code		*re_code[RE_MAX];
static pcre2_match_data		*re_md;

enum {
	COL_CODE,
	COL_NAME,
	COL_KIND,
	COL_PUBLIC,
	COL_DISTRICT,
	COL_PARENT,
	COL_GKSKLX,
	COL_HOSPITAL,
	COL_CDC,
	COL_FILES,
	COL_PREDS,
	COL_CLOSE,
	COL_CNAME,
	COL_CPOSITION,
	COL_CPHONE,
	COL_CEMAIL,
	COL_MAX
};

/* Fails to compile when unitcsv.h's count of columns is wrong. */
typedef char	unitcsv_columns_check[COL_MAX == UNITCSV_COLUMNS ? 1 : -1];

/*
 * required: 1 always, 2 unless the file has the closing column (a row
 * that leaves needs only its code).  The area column keeps its key
 * huyen and the district label of the files made before 2025.
 */
static const struct column {
	const char	*key;
	const char	*label;
	const char	*alias[2];
	int		required;
} columns[COL_MAX] = {
	{ "ma_don_vi",		"Mã đơn vị",		{ NULL },	1 },
	{ "ten_don_vi",		"Tên đơn vị",		{ NULL },	2 },
	{ "loai",		"Loại đơn vị",		{ NULL },	2 },
	{ "cong_lap",		"Công lập",		{ NULL },	0 },
	{ "huyen",		"Khu vực",
	    { "khu_vuc", "Huyện/thị xã/thành phố" },			2 },
	{ "don_vi_quan_ly",	"Đơn vị quản lý",	{ NULL },	0 },
	{ "cap_gksklx",		"Cấp GKSKLX",		{ NULL },	0 },
	{ "benh_vien",		"Bệnh viện",		{ NULL },	0 },
	{ "cdc",		"CDC",			{ NULL },	0 },
	{ "tu_bao_cao",		"Tự báo cáo",		{ NULL },	0 },
	{ "sap_nhap_tu",	"Sáp nhập, chia tách từ",
	    { "don_vi_truoc", "Đơn vị trước" },				0 },
	{ "ngung_hoat_dong",	"Ngừng hoạt động",	{ NULL },	0 },
	{ "dau_moi_ho_ten",	"Đầu mối - Họ tên",	{ NULL },	0 },
	{ "dau_moi_chuc_vu",	"Đầu mối - Chức vụ",	{ NULL },	0 },
	{ "dau_moi_dien_thoai",	"Đầu mối - Điện thoại",	{ NULL },	0 },
	{ "dau_moi_email",	"Đầu mối - Email",	{ NULL },	0 },
};

static const struct unit_kind kinds[] = {
	{ "provincial_hospital", "Bệnh viện tuyến tỉnh",	1, 0, 1, 0 },
	{ "private_hospital", "Bệnh viện ngoài công lập",	1, 0, 0, 0 },
	{ "district_centre", "Trung tâm Y tế huyện",		1, 0, 1, 0 },
	{ "commune_station", "Trạm Y tế xã",			0, 0, 1, 1 },
	{ "cdc", "Trung tâm Kiểm soát bệnh tật",		0, 1, 1, 0 },
	{ "private_clinic", "Phòng khám ngoài công lập",	0, 0, 0, 0 },
	{ "department_office", "Văn phòng Sở Y tế",		0, 0, 1, 0 },
	{ "other", "Đơn vị khác",				0, 0, 1, 0 },
};

#define NKINDS		(sizeof(kinds) / sizeof(kinds[0]))

static const struct area_kind area_kinds[] = {
	{ "ward",	"Phường" },
	{ "commune",	"Xã" },
	{ "catchment",	"Địa bàn Trung tâm Y tế" },
	{ "city",	"Thành phố (cấp huyện, trước 01/7/2025)" },
	{ "town",	"Thị xã (trước 01/7/2025)" },
	{ "district",	"Huyện (trước 01/7/2025)" },
	{ "other",	"Khu vực khác" },
};

#define NAREA_KINDS	(sizeof(area_kinds) / sizeof(area_kinds[0]))

struct ctx {
	struct unitcsv_result	*res;
	size_t			cap;		/* issues allocated */
	size_t			total;		/* issues found, kept or not */
	size_t			row_issues;	/* of the row being checked */
	int			nomem;
	const struct csv_row	*header;
	size_t			col[COL_MAX];	/* field index or NOCOL */
	char			title[COL_MAX][64];
	struct unit_rec		*recs;		/* one per non-blank row */
	size_t			*hash;		/* rec index + 1, 0 free */
	size_t			hmask;
};

static void	read_doc(struct ctx *, const struct csv_doc *);
static void	header_map(struct ctx *, const struct csv_row *);
static void	rows_check(struct ctx *, const struct csv_doc *);
static void	row_check(struct ctx *, const struct csv_row *, size_t);
static void	check_orphans(struct ctx *, const struct csv_row *);
static void	check_code(struct ctx *, const struct csv_row *,
		    struct unit_rec *);
static void	check_name(struct ctx *, const struct csv_row *,
		    struct unit_rec *);
static const struct unit_kind	*check_kind(struct ctx *,
		    const struct csv_row *, struct unit_rec *);
static void	check_district(struct ctx *, const struct csv_row *,
		    struct unit_rec *);
static void	check_parent(struct ctx *, const struct csv_row *,
		    struct unit_rec *, const struct unit_kind *);
static void	check_flags(struct ctx *, const struct csv_row *,
		    struct unit_rec *, const struct unit_kind *);
static int	check_bool(struct ctx *, const struct csv_row *, int, int *);
static void	check_contact(struct ctx *, const struct csv_row *,
		    struct unit_rec *);
static int	check_closing(struct ctx *, const struct csv_row *,
		    struct unit_rec *);
static void	check_files(struct ctx *, const struct csv_row *,
		    struct unit_rec *, const struct unit_kind *);
static void	check_preds(struct ctx *, const struct csv_row *,
		    struct unit_rec *);
static void	check_duplicate(struct ctx *, size_t);
static int	finish(struct ctx *);
static int	row_blank(const struct csv_row *);
static size_t	cell(const struct ctx *, const struct csv_row *, int,
		    char *, size_t);
static int	column_find(const char *);
static int	fold_eq(const char *, const char *);
static int	fold(const char *, char *, size_t);
static int	fold_cp(uint32_t);
static size_t	utf8_decode(const unsigned char *, uint32_t *);
static int	bool_parse(const char *, int *);
static size_t	trim(const char *, char *, size_t);
static size_t	blank_len(const char *);
static int	is_space(char);
static int	text_ok(const char *);
static int	has_letter(const char *);
static void	upper(char *);
static int	code_take(const char *, char *, size_t);
static void	copy_utf8(char *, size_t, const char *);
static const char	*excerpt(const char *, char *, size_t);
static int	phone_strip(const char *, char *, size_t);
static int	re_match(int, const char *, size_t, size_t *, size_t *);
static int	issue_grow(struct ctx *);
static void	issue_add(struct ctx *, size_t, int, const char *, ...)
		    __attribute__((format(printf, 4, 5)));

int
unitcsv_init(void)
{
	PCRE2_SIZE	erroff;
	int		i, errcode;

	if (re_md != NULL)
		return (0);

	for (i = 0; i < RE_MAX; i++) {
		if (re_code[i] != NULL)
			continue;
		re_code[i] = pcre2_compile((PCRE2_SPTR)re_src[i],
		    PCRE2_ZERO_TERMINATED, PCRE2_DOLLAR_ENDONLY, &errcode,
		    &erroff, NULL);
		if (re_code[i] == NULL) {
			unitcsv_cleanup();
			return (-1);
		}
	}

	/* Created last: re_md != NULL means everything is ready. */
	if ((re_md = pcre2_match_data_create(2, NULL)) == NULL) {
		unitcsv_cleanup();
		return (-1);
	}

	return (0);
}

void
unitcsv_cleanup(void)
{
	int		i;

	pcre2_match_data_free(re_md);
	re_md = NULL;
	for (i = 0; i < RE_MAX; i++) {
		pcre2_code_free(re_code[i]);
		re_code[i] = NULL;
	}
}

int
unitcsv_read(const char *buf, size_t len, struct unitcsv_result *res)
{
	struct ctx	c;
	struct csv_doc	doc;
	char		err[CSV_ERR_MAX];

	if (res == NULL)
		return (UNITCSV_ERROR);

	memset(res, 0, sizeof(*res));
	if (unitcsv_init() == -1)
		return (UNITCSV_ERROR);

	memset(&c, 0, sizeof(c));
	c.res = res;

	if (csv_parse(buf, len, &doc, err, sizeof(err)) == -1) {
		if (doc.nomem)
			return (UNITCSV_ERROR);
		issue_add(&c, doc.errline, -1, "%s", err);
	} else {
		read_doc(&c, &doc);
		csv_free(&doc);
	}

	return (finish(&c));
}

void
unitcsv_free(struct unitcsv_result *res)
{
	if (res == NULL)
		return;

	free(res->units);
	free(res->rows);
	free(res->issues);
	memset(res, 0, sizeof(*res));
}

/* Where a later problem goes: its line, and its place among equals. */
struct merge_key {
	size_t		line;
	size_t		idx;
};

static int
merge_cmp(const void *a, const void *b)
{
	const struct merge_key	*p = a, *q = b;

	if (p->line != q->line)
		return (p->line < q->line ? -1 : 1);

	return (p->idx < q->idx ? -1 : p->idx > q->idx);
}

/* The file's own header of the column with that key, else the key. */
static const char *
column_title(const struct unitcsv_result *res, const char *key)
{
	int		k;

	for (k = 0; k < COL_MAX; k++) {
		if (strcmp(columns[k].key, key) == 0)
			return (res->titles[k][0] != '\0' ? res->titles[k] :
			    columns[k].label);
	}

	return (key);
}

int
unitcsv_merge(struct unitcsv_result *res, const struct unitcsv_issue *more,
    size_t n)
{
	struct unitcsv_issue	*all, *is;
	struct merge_key	*keys;
	size_t			nold, i, j, kept, total;

	if (res == NULL || (n > 0 && more == NULL))
		return (-1);
	if (n == 0)
		return (0);

	/* The old summary goes: it is counted again below. */
	nold = res->nissues - (res->nmore > 0 && res->nissues > 0);
	total = nold + res->nmore + n;
	if (n > SIZE_MAX / sizeof(*keys) - 1)
		return (-1);
	keys = calloc(n, sizeof(*keys));
	all = calloc(UNITCSV_MAX_ISSUES + 1, sizeof(*all));
	if (keys == NULL || all == NULL) {
		free(keys);
		free(all);
		return (-1);
	}
	for (j = 0; j < n; j++) {
		keys[j].line = more[j].line;
		keys[j].idx = j;
	}
	qsort(keys, n, sizeof(*keys), merge_cmp);

	for (i = 0, j = 0, kept = 0; (i < nold || j < n) &&
	    kept < UNITCSV_MAX_ISSUES; kept++) {
		is = &all[kept];
		if (j == n || (i < nold &&
		    res->issues[i].line <= keys[j].line)) {
			*is = res->issues[i++];
			continue;
		}
		is->line = more[keys[j].idx].line;
		copy_utf8(is->column, sizeof(is->column),
		    column_title(res, more[keys[j].idx].column));
		copy_utf8(is->message, sizeof(is->message),
		    more[keys[j++].idx].message);
	}
	free(keys);

	res->nmore = total - kept;
	if (res->nmore > 0) {
		is = &all[kept++];
		is->line = 0;
		is->column[0] = '\0';
		(void)snprintf(is->message, sizeof(is->message), MSG_MORE,
		    res->nmore);
	}
	free(res->issues);
	res->issues = all;
	res->nissues = kept;

	return (0);
}

const struct unit_kind *
unitcsv_kinds(size_t *n)
{
	if (n != NULL)
		*n = NKINDS;

	return (kinds);
}

const struct unit_kind *
unitcsv_kind_find(const char *code_or_label)
{
	size_t		i;

	if (code_or_label == NULL || *code_or_label == '\0')
		return (NULL);

	for (i = 0; i < NKINDS; i++) {
		if (fold_eq(code_or_label, kinds[i].code) ||
		    fold_eq(code_or_label, kinds[i].label))
			return (&kinds[i]);
	}

	return (NULL);
}

const struct area_kind *
unitcsv_area_kinds(size_t *n)
{
	if (n != NULL)
		*n = NAREA_KINDS;

	return (area_kinds);
}

const struct area_kind *
unitcsv_area_kind_find(const char *code)
{
	size_t		i;

	if (code == NULL)
		return (NULL);
	for (i = 0; i < NAREA_KINDS; i++) {
		if (!strcmp(code, area_kinds[i].code))
			return (&area_kinds[i]);
	}

	return (NULL);
}

int
unitcsv_area_code_valid(const char *code)
{
	size_t		len;

	if (code == NULL || (len = strlen(code)) > 32)
		return (0);

	return (re_match(RE_AREA, code, len, NULL, NULL) == 1);
}

const char *
unitcsv_area_name_check(const char *name, char *out, size_t outlen)
{
	char		t[CSV_MAX_FIELD + 1];
	size_t		len;

	if (out == NULL || outlen == 0)
		return (MSG_AREA_NAME_MISSING);
	out[0] = '\0';
	if (name == NULL || (len = trim(name, t, sizeof(t))) == 0)
		return (MSG_AREA_NAME_MISSING);
	if (len > UNIT_DISTRICT_MAX || len >= outlen)
		return (MSG_AREA_NAME_LONG);
	if (!text_ok(t))
		return (MSG_AREA_NAME_CTRL);
	memcpy(out, t, len + 1);

	return (NULL);
}

int
unitcsv_date_ok(const char *s)
{
	struct pdate	d;

	if (period_date_parse(s, &d) == -1)
		return (0);

	return (d.y >= 2000 && d.y <= 2100);
}

int
unitcsv_code_valid(const char *code)
{
	size_t		len;

	if (code == NULL || (len = strlen(code)) > UNIT_CODE_MAX)
		return (0);

	return (re_match(RE_CODE, code, len, NULL, NULL) == 1);
}

int
contact_phone_normalise(const char *in, char *out, size_t outlen)
{
	char		raw[PHONE_RAW_MAX + 1];
	size_t		so, eo;

	if (in == NULL || out == NULL || outlen < CONTACT_PHONE_MAX + 1)
		return (-1);
	if (phone_strip(in, raw, sizeof(raw)) == -1)
		return (-1);
	if (re_match(RE_PHONE, raw, strlen(raw), &so, &eo) != 1)
		return (-1);

	/* The capture is 9 or 10 digits; with the 0 it fits the maximum. */
	out[0] = '0';
	memcpy(out + 1, raw + so, eo - so);
	out[1 + eo - so] = '\0';

	return (0);
}

int
contact_email_valid(const char *s)
{
	size_t		len;

	if (s == NULL || (len = strlen(s)) == 0 || len > CONTACT_EMAIL_MAX)
		return (0);

	return (re_match(RE_EMAIL, s, len, NULL, NULL) == 1);
}

const char *
contact_name_check(const char *name)
{
	char		t[CSV_MAX_FIELD + 1];
	size_t		len;

	if (name == NULL || (len = trim(name, t, sizeof(t))) == 0)
		return (MSG_NAME_REQUIRED);
	if (len > CONTACT_NAME_MAX)
		return (MSG_PNAME_LONG);
	if (!text_ok(t))
		return (MSG_PNAME_CTRL);
	/* A phone number typed in the wrong column, most of the time. */
	if (!has_letter(t))
		return (MSG_PNAME_NOLETTER);

	return (NULL);
}

const char *
contact_position_check(const char *position)
{
	char		t[CSV_MAX_FIELD + 1];

	if (position == NULL)
		return (NULL);
	if (trim(position, t, sizeof(t)) > CONTACT_POSITION_MAX)
		return (MSG_POSITION_LONG);
	if (!text_ok(t))
		return (MSG_POSITION_CTRL);

	return (NULL);
}

const char *
contact_phone_check(const char *phone, char *out, size_t outlen)
{
	char		t[CSV_MAX_FIELD + 1], raw[PHONE_RAW_MAX + 1];
	size_t		len;

	if (phone == NULL || trim(phone, t, sizeof(t)) == 0)
		return (MSG_PHONE_REQUIRED);
	if (contact_phone_normalise(t, out, outlen) == 0)
		return (NULL);

	/* Excel turns 0912345678 into the number 912345678: say so. */
	if (phone_strip(t, raw, sizeof(raw)) == 0) {
		len = strlen(raw);
		if (len > 0 && strspn(raw, "0123456789") == len &&
		    ((len == 9 && strchr("35789", raw[0]) != NULL) ||
		    (len == 10 && raw[0] == '2')))
			return (MSG_PHONE_ZERO);
	}

	return (MSG_PHONE_BAD);
}

const char *
contact_email_check(const char *email, char *out, size_t outlen)
{
	char		t[CSV_MAX_FIELD + 1];
	size_t		i, len;

	if (out == NULL || outlen == 0)
		return (MSG_EMAIL_BAD);

	out[0] = '\0';
	if (email == NULL || (len = trim(email, t, sizeof(t))) == 0)
		return (NULL);
	if (len > CONTACT_EMAIL_MAX || len >= outlen)
		return (MSG_EMAIL_LONG);
	if (!contact_email_valid(t))
		return (MSG_EMAIL_BAD);

	/* The pattern only lets ASCII through, so this is the whole job. */
	for (i = 0; i < len; i++) {
		out[i] = t[i];
		if (out[i] >= 'A' && out[i] <= 'Z')
			out[i] += 'a' - 'A';
	}
	out[len] = '\0';

	return (NULL);
}

const char *
contact_check(const char *name, const char *position, const char *phone,
    const char *email, struct contact *out)
{
	struct contact	c;
	char		n[CSV_MAX_FIELD + 1], p[CSV_MAX_FIELD + 1];
	char		ph[CSV_MAX_FIELD + 1], em[CSV_MAX_FIELD + 1];
	const char	*msg;

	/* An over-long input is cut here, still over every limit. */
	(void)trim(name != NULL ? name : "", n, sizeof(n));
	(void)trim(position != NULL ? position : "", p, sizeof(p));
	(void)trim(phone != NULL ? phone : "", ph, sizeof(ph));
	(void)trim(email != NULL ? email : "", em, sizeof(em));

	memset(&c, 0, sizeof(c));
	if ((msg = contact_name_check(n)) != NULL ||
	    (msg = contact_position_check(p)) != NULL ||
	    (msg = contact_phone_check(ph, c.phone, sizeof(c.phone))) != NULL ||
	    (msg = contact_email_check(em, c.email, sizeof(c.email))) != NULL)
		return (msg);

	/* Lengths were checked above. */
	memcpy(c.name, n, strlen(n) + 1);
	memcpy(c.position, p, strlen(p) + 1);
	if (out != NULL)
		*out = c;

	return (NULL);
}

static void
read_doc(struct ctx *c, const struct csv_doc *doc)
{
	if (doc->nrows == 0) {
		issue_add(c, 0, -1, MSG_EMPTY);
		return;
	}

	header_map(c, &doc->rows[0]);
	if (c->total > 0)
		return;

	rows_check(c, doc);
}

/*
 * Every header problem is listed at once: several typos are fixed in
 * one go.  A blank header cell is not a problem (Excel exports trailing
 * formatted columns as ";;"); its column must then stay empty.
 */
static void
header_map(struct ctx *c, const struct csv_row *hdr)
{
	char		t[CSV_MAX_FIELD + 1], ex[EXCERPT_MAX + 4];
	size_t		i;
	int		k;

	c->header = hdr;
	for (k = 0; k < COL_MAX; k++) {
		c->col[k] = NOCOL;
		copy_utf8(c->title[k], sizeof(c->title[k]), columns[k].label);
	}

	for (i = 0; i < hdr->nfields; i++) {
		if (trim(hdr->fields[i], t, sizeof(t)) == 0)
			continue;
		if ((k = column_find(t)) == -1) {
			issue_add(c, hdr->line, -1, MSG_COL_UNKNOWN,
			    excerpt(t, ex, sizeof(ex)));
		} else if (c->col[k] != NOCOL) {
			issue_add(c, hdr->line, -1, MSG_COL_DUP,
			    excerpt(t, ex, sizeof(ex)), c->col[k] + 1, i + 1);
		} else {
			c->col[k] = i;
			copy_utf8(c->title[k], sizeof(c->title[k]), t);
		}
	}

	for (k = 0; k < COL_MAX; k++) {
		if (c->col[k] != NOCOL || columns[k].required == 0 ||
		    (columns[k].required == 2 && c->col[COL_CLOSE] != NOCOL))
			continue;
		issue_add(c, hdr->line, -1, MSG_COL_MISSING, columns[k].label,
		    columns[k].key);
	}
}

static void
rows_check(struct ctx *c, const struct csv_doc *doc)
{
	struct unitcsv_result	*res;
	unsigned char		*bad;
	size_t			i, n, k, cap;

	res = c->res;
	n = doc->nrows - 1;
	if (n == 0) {
		issue_add(c, 0, -1, MSG_NO_ROWS);
		return;
	}

	/* Open addressing at most half full; csv.c bounds n anyway. */
	if (n > SIZE_MAX / 4) {
		c->nomem = 1;
		return;
	}
	cap = 16;
	while (cap < n * 2)
		cap *= 2;
	c->recs = calloc(n, sizeof(*c->recs));
	c->hash = calloc(cap, sizeof(*c->hash));
	bad = calloc(n, 1);
	if (c->recs == NULL || c->hash == NULL || bad == NULL) {
		c->nomem = 1;
		goto out;
	}
	c->hmask = cap - 1;

	for (i = 1; i < doc->nrows; i++) {
		if (row_blank(&doc->rows[i]))
			continue;
		c->row_issues = 0;
		row_check(c, &doc->rows[i], res->nrows);
		bad[res->nrows++] = c->row_issues > 0;
	}

	if (res->nrows == 0)
		issue_add(c, 0, -1, MSG_NO_ROWS);

	/* Every row for the registry checks, the clean ones to import. */
	for (i = 0, k = 0; i < res->nrows; i++)
		k += !bad[i];
	if (k > 0 && (res->units = calloc(k, sizeof(*res->units))) == NULL) {
		c->nomem = 1;
		goto out;
	}
	for (i = 0, k = 0; i < res->nrows; i++) {
		if (!bad[i])
			res->units[k++] = c->recs[i];
	}
	res->nunits = k;
	if (res->nrows > 0) {
		res->rows = c->recs;
		c->recs = NULL;
	}

out:
	free(c->recs);
	free(c->hash);
	free(bad);
	c->recs = NULL;
	c->hash = NULL;
}

static void
row_check(struct ctx *c, const struct csv_row *row, size_t idx)
{
	const struct unit_kind	*kind;
	struct unit_rec		*rec;

	rec = &c->recs[idx];
	rec->line = row->line;
	rec->files_self = UNITCSV_KEEP;

	check_orphans(c, row);
	check_code(c, row, rec);
	/* A unit that leaves is named by its code; the rest is not read. */
	if (check_closing(c, row, rec)) {
		check_duplicate(c, idx);
		return;
	}
	check_name(c, row, rec);
	kind = check_kind(c, row, rec);
	check_district(c, row, rec);
	check_parent(c, row, rec, kind);
	check_flags(c, row, rec, kind);
	check_files(c, row, rec, kind);
	check_preds(c, row, rec);
	check_contact(c, row, rec);
	check_duplicate(c, idx);
}

/* 1 if the row says the unit leaves the registry. */
static int
check_closing(struct ctx *c, const struct csv_row *row, struct unit_rec *rec)
{
	char		v[CSV_MAX_FIELD + 1];
	int		yes;

	if (check_bool(c, row, COL_CLOSE, &yes) != 1 || !yes)
		return (0);
	rec->closing = 1;
	if (cell(c, row, COL_PREDS, v, sizeof(v)) > 0)
		issue_add(c, row->line, COL_PREDS, MSG_CLOSE_PREDS);

	return (1);
}

/* Empty keeps what the registry says; only a station files itself. */
static void
check_files(struct ctx *c, const struct csv_row *row, struct unit_rec *rec,
    const struct unit_kind *kind)
{
	int		v;

	if (check_bool(c, row, COL_FILES, &v) != 1)
		return;
	if (v && kind != NULL && !kind->station) {
		issue_add(c, row->line, COL_FILES, MSG_FILES_EXTRA,
		    kind->label);
		return;
	}
	rec->files_self = v;
}

/* Codes separated by spaces, commas, semicolons or '+'; each once. */
static void
check_preds(struct ctx *c, const struct csv_row *row, struct unit_rec *rec)
{
	char		v[CSV_MAX_FIELD + 1], code[UNIT_CODE_MAX + 1];
	char		ex[EXCERPT_MAX + 4], *p, *tok;
	size_t		i;
	int		dup;

	if (cell(c, row, COL_PREDS, v, sizeof(v)) == 0)
		return;

	for (p = v; (tok = strsep(&p, " \t,;+")) != NULL;) {
		if (*tok == '\0')
			continue;
		if (code_take(tok, code, sizeof(code)) == -1) {
			issue_add(c, row->line, COL_PREDS, MSG_PRED_BAD,
			    excerpt(tok, ex, sizeof(ex)));
			continue;
		}
		if (rec->code[0] != '\0' && !strcmp(code, rec->code)) {
			issue_add(c, row->line, COL_PREDS, MSG_PRED_SELF);
			continue;
		}
		for (i = 0, dup = 0; i < rec->npreds; i++)
			dup |= !strcmp(rec->preds[i], code);
		if (dup)
			continue;
		if (rec->npreds == UNIT_PREDS_MAX) {
			issue_add(c, row->line, COL_PREDS, MSG_PRED_MANY,
			    UNIT_PREDS_MAX);
			return;
		}
		memcpy(rec->preds[rec->npreds++], code, strlen(code) + 1);
	}
}

/* Data beyond the header, or under a blank header cell, would be lost. */
static void
check_orphans(struct ctx *c, const struct csv_row *row)
{
	char		v[CSV_MAX_FIELD + 1];
	size_t		i;

	for (i = 0; i < row->nfields; i++) {
		if (trim(row->fields[i], v, sizeof(v)) == 0)
			continue;
		if (i >= c->header->nfields ||
		    trim(c->header->fields[i], v, sizeof(v)) == 0) {
			issue_add(c, row->line, -1, MSG_ORPHAN, i + 1);
			return;
		}
	}
}

static void
check_code(struct ctx *c, const struct csv_row *row, struct unit_rec *rec)
{
	char		v[CSV_MAX_FIELD + 1], ex[EXCERPT_MAX + 4];

	if (cell(c, row, COL_CODE, v, sizeof(v)) == 0) {
		issue_add(c, row->line, COL_CODE, MSG_CODE_MISSING);
		return;
	}

	if (code_take(v, rec->code, sizeof(rec->code)) == -1)
		issue_add(c, row->line, COL_CODE, MSG_CODE_BAD,
		    excerpt(v, ex, sizeof(ex)));
}

static void
check_name(struct ctx *c, const struct csv_row *row, struct unit_rec *rec)
{
	char		v[CSV_MAX_FIELD + 1];
	size_t		len;

	len = cell(c, row, COL_NAME, v, sizeof(v));
	if (len == 0)
		issue_add(c, row->line, COL_NAME, MSG_NAME_MISSING);
	else if (len > UNIT_NAME_MAX)
		issue_add(c, row->line, COL_NAME, MSG_NAME_LONG, len,
		    UNIT_NAME_MAX);
	else if (!text_ok(v))
		issue_add(c, row->line, COL_NAME, MSG_NAME_CTRL);
	else
		memcpy(rec->name, v, len + 1);
}

static const struct unit_kind *
check_kind(struct ctx *c, const struct csv_row *row, struct unit_rec *rec)
{
	const struct unit_kind	*kind;
	char			v[CSV_MAX_FIELD + 1], ex[EXCERPT_MAX + 4];

	if (cell(c, row, COL_KIND, v, sizeof(v)) == 0) {
		issue_add(c, row->line, COL_KIND, MSG_KIND_MISSING);
		return (NULL);
	}

	if ((kind = unitcsv_kind_find(v)) == NULL) {
		issue_add(c, row->line, COL_KIND, MSG_KIND_BAD,
		    excerpt(v, ex, sizeof(ex)));
		return (NULL);
	}

	copy_utf8(rec->kind, sizeof(rec->kind), kind->code);

	return (kind);
}

static void
check_district(struct ctx *c, const struct csv_row *row,
    struct unit_rec *rec)
{
	char		v[CSV_MAX_FIELD + 1];
	size_t		len;

	len = cell(c, row, COL_DISTRICT, v, sizeof(v));
	if (len == 0)
		issue_add(c, row->line, COL_DISTRICT, MSG_DISTRICT_MISSING);
	else if (len > UNIT_DISTRICT_MAX)
		issue_add(c, row->line, COL_DISTRICT, MSG_DISTRICT_LONG,
		    UNIT_DISTRICT_MAX);
	else if (!text_ok(v))
		issue_add(c, row->line, COL_DISTRICT, MSG_DISTRICT_CTRL);
	else
		memcpy(rec->district, v, len + 1);
}

/* Without a valid kind, only the shape of a given parent is checked. */
static void
check_parent(struct ctx *c, const struct csv_row *row, struct unit_rec *rec,
    const struct unit_kind *kind)
{
	char		v[CSV_MAX_FIELD + 1], ex[EXCERPT_MAX + 4];

	if (cell(c, row, COL_PARENT, v, sizeof(v)) == 0) {
		if (kind != NULL && kind->station)
			issue_add(c, row->line, COL_PARENT,
			    MSG_PARENT_MISSING);
		return;
	}

	if (kind != NULL && !kind->station) {
		issue_add(c, row->line, COL_PARENT, MSG_PARENT_EXTRA,
		    kind->label);
		return;
	}

	if (code_take(v, rec->parent, sizeof(rec->parent)) == -1)
		issue_add(c, row->line, COL_PARENT, MSG_PARENT_BAD,
		    excerpt(v, ex, sizeof(ex)));
	else if (strcmp(rec->parent, rec->code) == 0) {
		issue_add(c, row->line, COL_PARENT, MSG_PARENT_SELF);
		rec->parent[0] = '\0';
	}
}

/* Empty cells take the kind's defaults; an unknown kind leaves 0. */
static void
check_flags(struct ctx *c, const struct csv_row *row, struct unit_rec *rec,
    const struct unit_kind *kind)
{
	int		v;

	rec->is_public = kind != NULL ? kind->is_public : 1;
	if (check_bool(c, row, COL_PUBLIC, &v) == 1) {
		if (v && kind != NULL && !kind->is_public)
			issue_add(c, row->line, COL_PUBLIC,
			    MSG_PRIVATE_PUBLIC, kind->label);
		rec->is_public = v;
	}

	rec->gksklx = 0;
	if (check_bool(c, row, COL_GKSKLX, &v) == 1)
		rec->gksklx = v;

	rec->hospital = kind != NULL ? kind->hospital : 0;
	if (check_bool(c, row, COL_HOSPITAL, &v) == 1)
		rec->hospital = v;

	rec->cdc = kind != NULL ? kind->cdc : 0;
	if (check_bool(c, row, COL_CDC, &v) == 1)
		rec->cdc = v;
}

/* 1 if given (value in *out), 0 if empty, -1 if wrong (reported). */
static int
check_bool(struct ctx *c, const struct csv_row *row, int col, int *out)
{
	char		v[CSV_MAX_FIELD + 1], ex[EXCERPT_MAX + 4];

	if (cell(c, row, col, v, sizeof(v)) == 0)
		return (0);

	if (bool_parse(v, out) == -1) {
		issue_add(c, row->line, col, MSG_BOOL_BAD,
		    excerpt(v, ex, sizeof(ex)));
		return (-1);
	}

	return (1);
}

/*
 * The four fields are optional together; once one is given, name and
 * phone are needed.
 */
static void
check_contact(struct ctx *c, const struct csv_row *row,
    struct unit_rec *rec)
{
	struct contact	ct;
	char		n[CSV_MAX_FIELD + 1], p[CSV_MAX_FIELD + 1];
	char		ph[CSV_MAX_FIELD + 1], em[CSV_MAX_FIELD + 1];
	const char	*msg;
	size_t		before;

	if (cell(c, row, COL_CNAME, n, sizeof(n)) +
	    cell(c, row, COL_CPOSITION, p, sizeof(p)) +
	    cell(c, row, COL_CPHONE, ph, sizeof(ph)) +
	    cell(c, row, COL_CEMAIL, em, sizeof(em)) == 0)
		return;

	memset(&ct, 0, sizeof(ct));
	before = c->row_issues;

	if (n[0] == '\0')
		issue_add(c, row->line, COL_CNAME, MSG_CNAME_MISSING);
	else if ((msg = contact_name_check(n)) != NULL)
		issue_add(c, row->line, COL_CNAME, "%s", msg);

	if ((msg = contact_position_check(p)) != NULL)
		issue_add(c, row->line, COL_CPOSITION, "%s", msg);

	if (ph[0] == '\0')
		issue_add(c, row->line, COL_CPHONE, MSG_CPHONE_MISSING);
	else if ((msg = contact_phone_check(ph, ct.phone,
	    sizeof(ct.phone))) != NULL)
		issue_add(c, row->line, COL_CPHONE, "%s", msg);

	if ((msg = contact_email_check(em, ct.email, sizeof(ct.email))) != NULL)
		issue_add(c, row->line, COL_CEMAIL, "%s", msg);

	if (c->row_issues != before)
		return;

	/* Both passed their length checks above. */
	memcpy(ct.name, n, strlen(n) + 1);
	memcpy(ct.position, p, strlen(p) + 1);
	rec->contact = ct;
	rec->has_contact = 1;
}

/* The first row with a code owns it; later ones name that row's line. */
static void
check_duplicate(struct ctx *c, size_t idx)
{
	struct unit_rec		*rec, *other;
	const unsigned char	*s;
	uint32_t		h;
	size_t			slot;

	rec = &c->recs[idx];
	if (rec->code[0] == '\0')
		return;

	/* FNV-1a; the codes are short and the table half empty. */
	h = 2166136261u;
	for (s = (const unsigned char *)rec->code; *s != '\0'; s++)
		h = (h ^ *s) * 16777619u;

	for (slot = h & c->hmask; c->hash[slot] != 0;
	    slot = (slot + 1) & c->hmask) {
		other = &c->recs[c->hash[slot] - 1];
		if (strcmp(other->code, rec->code) == 0) {
			issue_add(c, rec->line, COL_CODE, MSG_CODE_DUP,
			    rec->code, other->line);
			return;
		}
	}

	c->hash[slot] = idx + 1;
}

static int
finish(struct ctx *c)
{
	struct unitcsv_issue	*is;
	int			k;

	for (k = 0; k < COL_MAX; k++)
		copy_utf8(c->res->titles[k], sizeof(c->res->titles[k]),
		    c->header != NULL ? c->title[k] : columns[k].label);
	if (c->total > UNITCSV_MAX_ISSUES && !c->nomem &&
	    issue_grow(c) == 0) {
		c->res->nmore = c->total - UNITCSV_MAX_ISSUES;
		is = &c->res->issues[c->res->nissues++];
		is->line = 0;
		is->column[0] = '\0';
		(void)snprintf(is->message, sizeof(is->message), MSG_MORE,
		    c->res->nmore);
	}

	if (c->nomem) {
		unitcsv_free(c->res);
		return (UNITCSV_ERROR);
	}

	return (c->res->nissues > 0 ? UNITCSV_ISSUES : UNITCSV_OK);
}

/* A line of separators only (",,,") is what Excel leaves of a row. */
static int
row_blank(const struct csv_row *row)
{
	char		v[CSV_MAX_FIELD + 1];
	size_t		i;

	for (i = 0; i < row->nfields; i++) {
		if (trim(row->fields[i], v, sizeof(v)) > 0)
			return (0);
	}

	return (1);
}

/* The trimmed cell of column col ("" if absent); returns its length. */
static size_t
cell(const struct ctx *c, const struct csv_row *row, int col, char *out,
    size_t outlen)
{
	if (c->col[col] == NOCOL || c->col[col] >= row->nfields) {
		out[0] = '\0';
		return (0);
	}

	return (trim(row->fields[c->col[col]], out, outlen));
}

static int
column_find(const char *title)
{
	int		k;

	for (k = 0; k < COL_MAX; k++) {
		if (fold_eq(title, columns[k].key) ||
		    fold_eq(title, columns[k].label) ||
		    (columns[k].alias[0] != NULL &&
		    fold_eq(title, columns[k].alias[0])) ||
		    (columns[k].alias[1] != NULL &&
		    fold_eq(title, columns[k].alias[1])))
			return (k);
	}

	return (-1);
}

static int
fold_eq(const char *a, const char *b)
{
	char		fa[FOLD_MAX], fb[FOLD_MAX];

	if (fold(a, fa, sizeof(fa)) == -1 || fold(b, fb, sizeof(fb)) == -1)
		return (0);

	return (strcmp(fa, fb) == 0);
}

/*
 * Folds s for comparison: letters to lower-case ASCII without marks,
 * combining marks dropped (NFD text from some input methods), runs of
 * anything else (' ', '_', '-', '/', NBSP) to one space, other letters
 * kept as they are.  "Mã đơn vị", "MA DON VI" and "ma_don_vi" all give
 * "ma don vi".  -1 if the result does not fit.
 */
static int
fold(const char *s, char *out, size_t outlen)
{
	const unsigned char	*p;
	size_t			n, len, sep;
	uint32_t		cp;
	int			f;

	p = (const unsigned char *)s;
	n = 0;
	sep = 0;
	while (*p != '\0') {
		len = utf8_decode(p, &cp);
		f = fold_cp(cp);
		if (f == FOLD_SEP) {
			sep = (n > 0);
		} else if (f != FOLD_DROP) {
			if (n + sep + (f == FOLD_KEEP ? len : 1) >= outlen)
				return (-1);
			if (sep)
				out[n++] = ' ';
			sep = 0;
			if (f == FOLD_KEEP) {
				memcpy(out + n, p, len);
				n += len;
			} else {
				out[n++] = (char)f;
			}
		}
		p += len;
	}
	out[n] = '\0';

	return (0);
}

static int
fold_cp(uint32_t cp)
{
	/* U+00C0 to U+00DF; U+00E0 to U+00FF are the same but for U+00FF. */
	static const char	latin1[] = "aaaaaaaceeeeiiiidnooooo ouuuuyts";

	if (cp >= 'A' && cp <= 'Z')
		return ((int)(cp - 'A' + 'a'));
	if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9'))
		return ((int)cp);
	if (cp < 0xc0)
		return (FOLD_SEP);
	if (cp == 0xff)
		return ('y');
	if (cp <= 0xff)
		return (latin1[(cp - 0xc0) & 0x1f]);

	switch (cp) {
	case 0x102: case 0x103:
		return ('a');
	case 0x110: case 0x111:
		return ('d');
	case 0x128: case 0x129:
		return ('i');
	case 0x168: case 0x169: case 0x1af: case 0x1b0:
		return ('u');
	case 0x1a0: case 0x1a1:
		return ('o');
	}

	/* Combining marks, zero-width spaces and a stray BOM carry nothing. */
	if ((cp >= 0x300 && cp <= 0x36f) || (cp >= 0x200b && cp <= 0x200d) ||
	    cp == 0xfeff)
		return (FOLD_DROP);
	/* General punctuation: Word turns " - " into an en dash. */
	if (cp >= 0x2000 && cp <= 0x206f)
		return (FOLD_SEP);
	if (cp < 0x1ea0 || cp > 0x1ef9)
		return (FOLD_KEEP);

	/* Latin Extended Additional: the Vietnamese letters with tones. */
	if (cp <= 0x1eb7)
		return ('a');
	if (cp <= 0x1ec7)
		return ('e');
	if (cp <= 0x1ecb)
		return ('i');
	if (cp <= 0x1ee3)
		return ('o');
	if (cp <= 0x1ef1)
		return ('u');

	return ('y');
}

/*
 * One code point of a NUL-terminated string; a malformed byte gives
 * U+FFFD and a length of 1 (form input reaches here unchecked).
 */
static size_t
utf8_decode(const unsigned char *p, uint32_t *cp)
{
	size_t		n, i;

	if (p[0] < 0x80) {
		*cp = p[0];
		return (1);
	}

	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 1;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		n = 2;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		n = 3;
	else
		n = 0;

	*cp = n == 0 ? 0xfffd : (uint32_t)(p[0] & (0x3f >> n));
	for (i = 1; i <= n; i++) {
		/* Stops at the NUL too: it is not a continuation byte. */
		if ((p[i] & 0xc0) != 0x80) {
			*cp = 0xfffd;
			return (1);
		}
		*cp = (*cp << 6) | (p[i] & 0x3f);
	}

	return (n == 0 ? 1 : n + 1);
}

static int
bool_parse(const char *v, int *out)
{
	static const char *const	yes[] = { "1", "x", "co", "yes",
					    "true" };
	static const char *const	no[] = { "0", "khong", "no",
					    "false" };
	char				f[FOLD_MAX];
	size_t				i;

	if (fold(v, f, sizeof(f)) == -1)
		return (-1);

	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (strcmp(f, yes[i]) == 0) {
			*out = 1;
			return (0);
		}
	}
	for (i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
		if (strcmp(f, no[i]) == 0) {
			*out = 0;
			return (0);
		}
	}

	return (-1);
}

/*
 * Copies s without surrounding white space (ASCII or NBSP, which comes
 * with text pasted from the web) into out, cut to fit; returns the
 * trimmed length, which callers compare with their limits.
 */
static size_t
trim(const char *s, char *out, size_t outlen)
{
	const char	*end;
	size_t		n, len;

	while ((n = blank_len(s)) > 0)
		s += n;

	end = s + strlen(s);
	for (;;) {
		if (end > s && is_space(end[-1]))
			end--;
		else if (end - s >= 2 && (unsigned char)end[-2] == 0xc2 &&
		    (unsigned char)end[-1] == 0xa0)
			end -= 2;
		else
			break;
	}

	len = (size_t)(end - s);
	n = len < outlen - 1 ? len : outlen - 1;
	memcpy(out, s, n);
	out[n] = '\0';

	return (len);
}

static size_t
blank_len(const char *p)
{
	if (is_space(*p))
		return (1);
	if ((unsigned char)p[0] == 0xc2 && (unsigned char)p[1] == 0xa0)
		return (2);

	return (0);
}

static int
is_space(char c)
{
	return (c == ' ' || (c >= '\t' && c <= '\r'));
}

/* Valid UTF-8 without C0 or C1 controls (newlines, tabs, DEL...). */
static int
text_ok(const char *s)
{
	const unsigned char	*p;

	if (!csv_utf8_valid(s, strlen(s)))
		return (0);

	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p < 0x20 || *p == 0x7f)
			return (0);
		if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
			return (0);
	}

	return (1);
}

static int
has_letter(const char *s)
{
	char		f[FOLD_MAX];
	size_t		i;

	if (fold(s, f, sizeof(f)) == -1)
		return (1);

	for (i = 0; f[i] != '\0'; i++) {
		if ((f[i] >= 'a' && f[i] <= 'z') || (unsigned char)f[i] >= 0x80)
			return (1);
	}

	return (0);
}

static void
upper(char *s)
{
	for (; *s != '\0'; s++) {
		if (*s >= 'a' && *s <= 'z')
			*s -= 'a' - 'A';
	}
}

/*
 * The upper-cased form of a trimmed code into out (UNIT_CODE_MAX + 1
 * bytes), or -1 if it is not a valid code.  The input stays as typed,
 * so that a message quotes what the office wrote.
 */
static int
code_take(const char *v, char *out, size_t outlen)
{
	size_t		len;

	if ((len = strlen(v)) > UNIT_CODE_MAX || len >= outlen)
		return (-1);

	memcpy(out, v, len + 1);
	upper(out);
	if (!unitcsv_code_valid(out)) {
		out[0] = '\0';
		return (-1);
	}

	return (0);
}

/* strlcpy() that never leaves half a UTF-8 sequence at the end. */
static void
copy_utf8(char *dst, size_t dstlen, const char *src)
{
	size_t		len;

	if (dstlen == 0)
		return;

	len = strlen(src);
	if (len > dstlen - 1)
		len = dstlen - 1;
	memcpy(dst, src, len);
	dst[len] = '\0';
	csv_utf8_cut(dst);
}


/*
 * A bad value as quoted back in a message: at most EXCERPT_MAX bytes,
 * cut on a character boundary and marked with "…", controls blanked
 * so a stray newline does not break the report.
 */
static const char *
excerpt(const char *s, char *buf, size_t buflen)
{
	size_t		i, len;

	len = strlen(s);
	copy_utf8(buf, buflen < EXCERPT_MAX + 1 ? buflen : EXCERPT_MAX + 1, s);
	for (i = 0; buf[i] != '\0'; i++) {
		if ((unsigned char)buf[i] < 0x20 || buf[i] == 0x7f)
			buf[i] = ' ';
	}
	if (i < len && i + 3 < buflen)
		memcpy(buf + i, "\xe2\x80\xa6", 4);

	return (buf);
}

static int
phone_strip(const char *in, char *out, size_t outlen)
{
	size_t		n;

	for (n = 0; *in != '\0'; in++) {
		if (strchr(" \t.-()", *in) != NULL)
			continue;
		if (n + 1 >= outlen)
			return (-1);
		out[n++] = *in;
	}
	out[n] = '\0';

	return (0);
}

/* 1 match, 0 no match, -1 error; so/eo get group 1 when asked for. */
static int
re_match(int which, const char *s, size_t len, size_t *so, size_t *eo)
{
	PCRE2_SIZE	*ov;
	int		rc;

	if (unitcsv_init() == -1)
		return (-1);

	rc = pcre2_match(re_code[which], (PCRE2_SPTR)s, len, 0, 0, re_md,
	    NULL);
	if (rc == PCRE2_ERROR_NOMATCH)
		return (0);
	if (rc < 0)
		return (-1);

	if (so != NULL && eo != NULL) {
		if (rc < 2)
			return (-1);
		ov = pcre2_get_ovector_pointer(re_md);
		*so = ov[2];
		*eo = ov[3];
	}

	return (1);
}

/* Room for one more issue; the summary of finish() is the +1. */
static int
issue_grow(struct ctx *c)
{
	struct unitcsv_issue	*is;
	size_t			cap;

	if (c->res->nissues < c->cap)
		return (0);

	cap = c->cap == 0 ? ISSUES_INITIAL : c->cap * 2;
	if (cap > UNITCSV_MAX_ISSUES + 1)
		cap = UNITCSV_MAX_ISSUES + 1;
	if (cap <= c->cap || cap > SIZE_MAX / sizeof(*is)) {
		c->nomem = 1;
		return (-1);
	}

	if ((is = realloc(c->res->issues, cap * sizeof(*is))) == NULL) {
		c->nomem = 1;
		return (-1);
	}
	c->res->issues = is;
	c->cap = cap;

	return (0);
}

static void
issue_add(struct ctx *c, size_t line, int col, const char *fmt, ...)
{
	struct unitcsv_issue	*is;
	va_list			ap;

	c->row_issues++;
	c->total++;
	if (c->nomem || c->res->nissues >= UNITCSV_MAX_ISSUES)
		return;
	if (issue_grow(c) == -1)
		return;

	is = &c->res->issues[c->res->nissues++];
	is->line = line;
	if (col >= 0)
		copy_utf8(is->column, sizeof(is->column), c->title[col]);
	else
		is->column[0] = '\0';

	va_start(ap, fmt);
	(void)vsnprintf(is->message, sizeof(is->message), fmt, ap);
	va_end(ap);
	csv_utf8_cut(is->message);
}
