/*
 * Unit tests for the unit registry import (modules/unitcsv.c), over
 * the real CSV reader.  The sample files are read from tests/data, so
 * run the binary from the project root (or define TEST_DATA_DIR).
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "csv.h"
#include "unitcsv.h"

#ifndef TEST_DATA_DIR
#define TEST_DATA_DIR	"tests/data"
#endif

/* Every column, ASCII keys, in the template's order. */
#define HDR	"ma_don_vi,ten_don_vi,loai,cong_lap,huyen,don_vi_quan_ly," \
		"cap_gksklx,benh_vien,cdc,dau_moi_ho_ten,dau_moi_chuc_vu," \
		"dau_moi_dien_thoai,dau_moi_email\n"

/* The required columns only. */
#define HDR_MIN	"ma_don_vi,ten_don_vi,loai,huyen,don_vi_quan_ly\n"

struct want {
	size_t		line;
	const char	*column;
	const char	*text;
};

static int	read_str(const char *, struct unitcsv_result *);
static char	*load(const char *, size_t *);
static void	dump(const struct unitcsv_result *);
static void	assert_issue(const struct unitcsv_result *, size_t,
		    const char *, const char *);
static void	assert_issues(const struct unitcsv_result *,
		    const struct want *, size_t);
static void	assert_sane(const struct unitcsv_result *);
static const struct unit_rec	*unit(const struct unitcsv_result *,
		    const char *);
static void	read_one_ok(const char *, struct unitcsv_result *);
static int	teardown(void **);

/* Reads a private copy of exactly strlen(s) bytes. */
static int
read_str(const char *s, struct unitcsv_result *res)
{
	char		*copy;
	size_t		len;
	int		rc;

	len = strlen(s);
	copy = malloc(len > 0 ? len : 1);
	assert_non_null(copy);
	memcpy(copy, s, len);
	rc = unitcsv_read(copy, len, res);
	free(copy);
	assert_sane(res);

	return (rc);
}

static char *
load(const char *name, size_t *len)
{
	FILE		*fp;
	char		path[256], *buf;
	long		size;

	(void)snprintf(path, sizeof(path), "%s/%s", TEST_DATA_DIR, name);
	if ((fp = fopen(path, "rb")) == NULL)
		fail_msg("cannot open %s (run from the project root)", path);
	assert_int_equal(fseek(fp, 0, SEEK_END), 0);
	size = ftell(fp);
	assert_true(size > 0);
	rewind(fp);
	buf = malloc((size_t)size);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)size, fp), (size_t)size);
	fclose(fp);
	*len = (size_t)size;

	return (buf);
}

static void
dump(const struct unitcsv_result *res)
{
	size_t		i;

	for (i = 0; i < res->nissues; i++)
		print_message("  line %zu [%s] %s\n", res->issues[i].line,
		    res->issues[i].column, res->issues[i].message);
}

static void
assert_issue(const struct unitcsv_result *res, size_t line,
    const char *column, const char *text)
{
	size_t		i;

	for (i = 0; i < res->nissues; i++) {
		if (res->issues[i].line == line &&
		    strcmp(res->issues[i].column, column) == 0 &&
		    strstr(res->issues[i].message, text) != NULL)
			return;
	}

	dump(res);
	fail_msg("no issue at line %zu [%s] with \"%s\"", line, column, text);
}

/* Exactly these issues, whatever their order within a line. */
static void
assert_issues(const struct unitcsv_result *res, const struct want *w,
    size_t n)
{
	size_t		i;

	for (i = 0; i < n; i++)
		assert_issue(res, w[i].line, w[i].column, w[i].text);
	if (res->nissues != n) {
		dump(res);
		fail_msg("%zu issues, expected %zu", res->nissues, n);
	}
}

/* What every result must be, whatever the input. */
static void
assert_sane(const struct unitcsv_result *res)
{
	const struct unitcsv_issue	*is;
	size_t				i, len;

	assert_true(res->nunits <= res->nrows);
	for (i = 0; i < res->nissues; i++) {
		is = &res->issues[i];
		len = strlen(is->message);
		assert_true(len > 0 && len < sizeof(is->message));
		/* Whole sentences: nothing was cut by the buffer. */
		assert_int_equal(is->message[len - 1], '.');
		assert_true(csv_utf8_valid(is->message, len));
		assert_true(csv_utf8_valid(is->column, strlen(is->column)));
		if (i > 0 && is->line != 0)
			assert_true(is->line >= res->issues[i - 1].line);
	}
	for (i = 0; i < res->nunits; i++) {
		assert_true(unitcsv_code_valid(res->units[i].code));
		/* A unit that leaves is named by its code alone. */
		if (!res->units[i].closing)
			assert_non_null(unitcsv_kind_find(res->units[i].kind));
	}
}

static const struct unit_rec *
unit(const struct unitcsv_result *res, const char *code)
{
	size_t		i;

	for (i = 0; i < res->nunits; i++) {
		if (strcmp(res->units[i].code, code) == 0)
			return (&res->units[i]);
	}
	fail_msg("no unit %s", code);

	return (NULL);
}

static void
read_one_ok(const char *s, struct unitcsv_result *res)
{
	if (read_str(s, res) != UNITCSV_OK) {
		dump(res);
		fail_msg("file refused");
	}
	assert_int_equal(res->nissues, 0);
}

static int
teardown(void **state)
{
	(void)state;
	unitcsv_cleanup();

	return (0);
}

static void
test_unitcsv_reads_good_sample_file(void **state)
{
	struct unitcsv_result	 res;
	const struct unit_rec	*u;
	char			*buf;
	size_t			 len;

	(void)state;
	buf = load("units_good.csv", &len);
	assert_int_equal(unitcsv_read(buf, len, &res), UNITCSV_OK);
	free(buf);
	assert_sane(&res);
	assert_int_equal(res.nissues, 0);
	assert_int_equal(res.nrows, 10);
	assert_int_equal(res.nunits, 10);
	assert_string_equal(res.units[0].code, "TTYT-THOXUAN");
	assert_int_equal(res.units[0].line, 2);
	assert_int_equal(res.units[9].line, 11);

	u = unit(&res, "TTYT-THOXUAN");
	assert_string_equal(u->name, "Trung tâm Y tế huyện Thọ Xuân");
	assert_string_equal(u->kind, "district_centre");
	assert_string_equal(u->district, "Thọ Xuân");
	assert_string_equal(u->parent, "");
	assert_true(u->is_public && u->gksklx && u->hospital && !u->cdc);
	assert_true(u->has_contact);
	assert_string_equal(u->contact.name, "Lê Văn Hùng");
	assert_string_equal(u->contact.position, "Phó Giám đốc");
	assert_string_equal(u->contact.phone, "02373833123");
	assert_string_equal(u->contact.email, "ttytthoxuan@thanhhoa.gov.vn");

	u = unit(&res, "TYT-XUANHONG");
	assert_string_equal(u->kind, "commune_station");
	assert_string_equal(u->parent, "TTYT-THOXUAN");
	assert_true(u->is_public && !u->gksklx && !u->hospital && !u->cdc);
	assert_string_equal(u->contact.phone, "0912345678");
	assert_string_equal(u->contact.email, "");

	u = unit(&res, "TYT-XUANTRUONG");
	assert_string_equal(u->contact.phone, "0983456789");

	u = unit(&res, "TYT-THOLAP");
	assert_false(u->has_contact);
	assert_string_equal(u->contact.name, "");

	u = unit(&res, "BVDK-TINH");
	assert_string_equal(u->kind, "provincial_hospital");
	assert_true(u->is_public && u->gksklx && u->hospital);
	assert_string_equal(u->contact.position,
	    "Trưởng phòng Kế hoạch, Tổng hợp");
	assert_string_equal(u->contact.phone, "0912345678");
	assert_string_equal(u->contact.email,
	    "khth.bvdktinh@thanhhoa.gov.vn");

	u = unit(&res, "PK-ANBINH");
	assert_string_equal(u->kind, "private_clinic");
	assert_false(u->is_public);
	assert_false(u->hospital);
	assert_string_equal(u->contact.phone, "02373852468");

	u = unit(&res, "BV-HOPLUC");
	assert_string_equal(u->kind, "private_hospital");
	assert_true(!u->is_public && u->gksklx && u->hospital);
	assert_string_equal(u->contact.phone, "0868123456");

	u = unit(&res, "CDC-THANHHOA");
	assert_string_equal(u->kind, "cdc");
	assert_true(u->cdc && !u->hospital && u->is_public);
	assert_false(u->has_contact);

	u = unit(&res, "SYT-VANPHONG");
	assert_string_equal(u->kind, "department_office");
	assert_string_equal(u->contact.phone, "0376543210");

	u = unit(&res, "TTYT-SAMSON");
	assert_string_equal(u->district, "Sầm Sơn");
	assert_string_equal(u->contact.phone, "0589876543");
	unitcsv_free(&res);
}

static void
test_unitcsv_reports_every_bad_row_with_its_line(void **state)
{
	static const struct want	w[] = {
		{ 3, "don_vi_quan_ly", "Trạm Y tế xã phải có đơn vị quản lý" },
		{ 4, "ma_don_vi", "Mã đơn vị \"BV TINH\" không hợp lệ" },
		{ 4, "loai", "Loại đơn vị \"Bệnh viện tỉnh\" không có" },
		{ 5, "cong_lap", "là ngoài công lập" },
		{ 5, "cap_gksklx", "Giá trị \"có thể\" không hợp lệ" },
		{ 6, "don_vi_quan_ly", "Chỉ Trạm Y tế xã mới ghi đơn vị" },
		{ 7, "dau_moi_dien_thoai", "Số điện thoại không hợp lệ" },
		{ 7, "dau_moi_email", "Email không hợp lệ" },
		{ 8, "ma_don_vi", "\"TYT-NGATHANH\" đã có ở dòng 7" },
		{ 8, "dau_moi_ho_ten", "Thiếu họ tên người đầu mối" },
		{ 8, "dau_moi_dien_thoai", "Thiếu số điện thoại" },
		{ 9, "ten_don_vi", "Thiếu tên đơn vị." },
		{ 9, "huyen", "Thiếu khu vực (huyện, xã, phường)" },
		{ 10, "dau_moi_dien_thoai", "thiếu số 0 ở đầu" },
	};
	struct unitcsv_result		res;
	char				*buf;
	size_t				len;

	(void)state;
	buf = load("units_bad.csv", &len);
	assert_int_equal(unitcsv_read(buf, len, &res), UNITCSV_ISSUES);
	free(buf);
	assert_sane(&res);
	assert_issues(&res, w, sizeof(w) / sizeof(w[0]));
	assert_int_equal(res.nrows, 9);
	assert_int_equal(res.nunits, 1);
	assert_string_equal(res.units[0].code, "TTYT-NGASON");
	unitcsv_free(&res);
}

static void
test_unitcsv_reports_every_problem_of_one_row(void **state)
{
	static const struct want	w[] = {
		{ 2, "ma_don_vi", "Mã đơn vị \"?\" không hợp lệ" },
		{ 2, "ten_don_vi", "Thiếu tên đơn vị." },
		{ 2, "loai", "Loại đơn vị \"bệnh xá\"" },
		{ 2, "huyen", "Thiếu khu vực" },
		{ 2, "cap_gksklx", "Giá trị \"2\"" },
		{ 2, "benh_vien", "Giá trị \"có lẽ\"" },
		{ 2, "dau_moi_ho_ten", "phải có chữ cái" },
		{ 2, "dau_moi_dien_thoai", "Số điện thoại không hợp lệ" },
		{ 2, "dau_moi_email", "Email không hợp lệ" },
	};
	struct unitcsv_result		res;

	(void)state;
	assert_int_equal(read_str(HDR "?,,bệnh xá,,,,2,có lẽ,,0912345678,,"
	    "123,a b@c.vn\n", &res), UNITCSV_ISSUES);
	assert_issues(&res, w, sizeof(w) / sizeof(w[0]));
	assert_int_equal(res.nunits, 0);
	unitcsv_free(&res);
}

static void
test_unitcsv_accepts_bom_semicolon_crlf_vietnamese_headers(void **state)
{
	struct unitcsv_result	 res;
	const struct unit_rec	*u;

	(void)state;
	read_one_ok("\xef\xbb\xbf"
	    "Mã đơn vị;Tên đơn vị;Loại đơn vị;Huyện/thị xã/thành phố;"
	    "Đơn vị quản lý;Đầu mối - Họ tên;Đầu mối - Điện thoại\r\n"
	    "TTYT-NGASON;Trung tâm Y tế huyện Nga Sơn;Trung tâm Y tế huyện;"
	    "Nga Sơn;;Trần Văn Bình;0237.3872.111\r\n"
	    "TYT-NGAYEN;\"Trạm Y tế xã Nga Yên; cơ sở 2\";Trạm Y tế xã;"
	    "Nga Sơn;TTYT-NGASON;Đỗ Thị Ngọc Ánh;+84 912 345 678\r\n",
	    &res);
	assert_int_equal(res.nunits, 2);
	u = unit(&res, "TYT-NGAYEN");
	assert_string_equal(u->name, "Trạm Y tế xã Nga Yên; cơ sở 2");
	assert_string_equal(u->parent, "TTYT-NGASON");
	assert_string_equal(u->contact.name, "Đỗ Thị Ngọc Ánh");
	assert_int_equal(u->line, 3);
	unitcsv_free(&res);
}

static void
test_unitcsv_headers_ignore_case_diacritics_and_spacing(void **state)
{
	struct unitcsv_result	res;

	(void)state;
	/*
	 * Upper case with diacritics, none at all, NFD ("Loại" as a +
	 * combining dot below), an en dash from Word, stray spaces, '_'.
	 */
	read_one_ok("  MÃ ĐƠN VỊ ,Ten Don Vi,Loa\xcc\xa3i đơn vị,HUYEN,"
	    "don vi quan ly,Đầu mối – Họ tên,DAU_MOI_DIEN_THOAI,Cấp gksklx\n"
	    "X1,Đơn vị X,other,H,,Nguyễn An,0912345678,có\n", &res);
	assert_int_equal(res.nunits, 1);
	assert_string_equal(res.units[0].contact.name, "Nguyễn An");
	assert_true(res.units[0].gksklx);
	unitcsv_free(&res);
}

static void
test_unitcsv_missing_required_column_is_file_level(void **state)
{
	static const struct want	w[] = {
		{ 1, "", "Thiếu cột bắt buộc \"Loại đơn vị\" (hoặc loai)" },
		{ 1, "", "Thiếu cột bắt buộc \"Khu vực\" (hoặc huyen)" },
	};
	struct unitcsv_result		res;

	(void)state;
	/* The bad code of row 2 is not looked at: columns come first. */
	assert_int_equal(read_str("ma_don_vi,ten_don_vi\n?,X\n", &res),
	    UNITCSV_ISSUES);
	assert_issues(&res, w, sizeof(w) / sizeof(w[0]));
	assert_int_equal(res.nunits, 0);
	unitcsv_free(&res);
}

static void
test_unitcsv_unknown_column_is_file_level_and_named(void **state)
{
	static const struct want	w[] = {
		{ 1, "", "Cột \"dien_thoai\" không có trong mẫu" },
		{ 1, "", "Cột \"Ghi chú\" không có trong mẫu" },
	};
	struct unitcsv_result		res;

	(void)state;
	assert_int_equal(read_str("ma_don_vi,ten_don_vi,loai,huyen,"
	    "dien_thoai,Ghi chú\nX1,X,other,H,0912345678,\n", &res),
	    UNITCSV_ISSUES);
	assert_issues(&res, w, sizeof(w) / sizeof(w[0]));
	unitcsv_free(&res);
}

static void
test_unitcsv_duplicate_column_is_file_level(void **state)
{
	static const struct want	w[] = {
		{ 1, "", "Cột \"Mã đơn vị\" bị lặp lại (cột thứ 1 và thứ 5)" },
	};
	struct unitcsv_result		res;

	(void)state;
	assert_int_equal(read_str("ma_don_vi,ten_don_vi,loai,huyen,"
	    "Mã đơn vị\nX1,X,other,H,X1\n", &res), UNITCSV_ISSUES);
	assert_issues(&res, w, sizeof(w) / sizeof(w[0]));
	unitcsv_free(&res);
}

static void
test_unitcsv_blank_header_cells_ignored_if_column_empty(
    void **state)
{
	struct unitcsv_result	res;

	(void)state;
	read_one_ok("ma_don_vi;ten_don_vi;;loai;huyen;;\n"
	    "X1;X;;other;H;;\n", &res);
	assert_int_equal(res.nunits, 1);
	unitcsv_free(&res);

	assert_int_equal(read_str("ma_don_vi;ten_don_vi;;loai;huyen\n"
	    "X1;X;lost;other;H\n", &res), UNITCSV_ISSUES);
	assert_issue(&res, 2, "", "Ô thứ 3 có dữ liệu nhưng không thuộc cột");
	assert_int_equal(res.nissues, 1);
	unitcsv_free(&res);
}

static void
test_unitcsv_extra_cells_beyond_header_are_reported(void **state)
{
	struct unitcsv_result	res;

	(void)state;
	/* An unquoted comma in a name shifts the row right. */
	assert_int_equal(read_str(HDR_MIN
	    "TYT-A,Trạm Y tế, cơ sở 2,commune_station,H,TTYT-A\n"
	    "X2,Y,other,H,,,,\n", &res), UNITCSV_ISSUES);
	assert_issue(&res, 2, "", "Ô thứ 6 có dữ liệu");
	assert_issue(&res, 2, "loai", "Loại đơn vị \"cơ sở 2\"");
	assert_issue(&res, 2, "don_vi_quan_ly", "Mã đơn vị quản lý \"H\"");
	assert_int_equal(res.nissues, 3);
	assert_int_equal(res.nunits, 1);
	assert_string_equal(res.units[0].code, "X2");
	unitcsv_free(&res);
}

static void
test_unitcsv_upper_cases_and_trims_codes(void **state)
{
	struct unitcsv_result	res;

	(void)state;
	read_one_ok(HDR_MIN " ttyt-ngason ,X, district_centre ,H,\n"
	    "tyt.nga_yen,Y,commune_station,H,\xc2\xa0ttyt-Ngason\t\n", &res);
	assert_string_equal(res.units[0].code, "TTYT-NGASON");
	assert_string_equal(res.units[1].code, "TYT.NGA_YEN");
	assert_string_equal(res.units[1].parent, "TTYT-NGASON");
	unitcsv_free(&res);
}

static void
test_unitcsv_rejects_bad_unit_codes(void **state)
{
	static const char *const	bad[] = {
		"A", "-AB", ".AB", "AB CD", "AB/CD", "MÃ1", "AB+", "ĐK1",
		"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456",	/* 33 */
	};
	struct unitcsv_result		res;
	char				buf[256];
	size_t				i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		(void)snprintf(buf, sizeof(buf), HDR_MIN "%s,X,other,H,\n",
		    bad[i]);
		assert_int_equal(read_str(buf, &res), UNITCSV_ISSUES);
		assert_issue(&res, 2, "ma_don_vi", "không hợp lệ: 2–32 ký tự");
		assert_int_equal(res.nissues, 1);
		unitcsv_free(&res);
	}

	assert_int_equal(read_str(HDR_MIN ",X,other,H,\n", &res),
	    UNITCSV_ISSUES);
	assert_issue(&res, 2, "ma_don_vi", "Thiếu mã đơn vị.");
	unitcsv_free(&res);
}

static void
test_unitcsv_code_valid_follows_the_database_pattern(void **state)
{
	(void)state;
	assert_true(unitcsv_code_valid("AB"));
	assert_true(unitcsv_code_valid("1X"));
	assert_true(unitcsv_code_valid("A.B_C-D"));
	assert_true(unitcsv_code_valid("ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"));
	assert_false(unitcsv_code_valid("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456"));
	assert_false(unitcsv_code_valid("ab"));
	assert_false(unitcsv_code_valid(""));
	assert_false(unitcsv_code_valid(NULL));
	/* '$' must not match before a final newline. */
	assert_false(unitcsv_code_valid("AB\n"));
}

static void
test_unitcsv_rejects_unknown_or_missing_kind(void **state)
{
	struct unitcsv_result	res;

	(void)state;
	assert_int_equal(read_str(HDR_MIN "X1,X,hospital,H,\nX2,Y,,H,\n",
	    &res), UNITCSV_ISSUES);
	assert_issue(&res, 2, "loai", "Loại đơn vị \"hospital\" không có");
	assert_issue(&res, 3, "loai", "Thiếu loại đơn vị.");
	assert_int_equal(res.nissues, 2);
	unitcsv_free(&res);
}

static void
test_unitcsv_kind_find_accepts_code_and_label(void **state)
{
	const struct unit_kind	*k;

	(void)state;
	k = unitcsv_kind_find("commune_station");
	assert_non_null(k);
	assert_string_equal(k->label, "Trạm Y tế xã");
	assert_ptr_equal(unitcsv_kind_find("Trạm Y tế xã"), k);
	assert_ptr_equal(unitcsv_kind_find("TRẠM Y TẾ XÃ"), k);
	assert_ptr_equal(unitcsv_kind_find("tram y te xa"), k);
	assert_ptr_equal(unitcsv_kind_find("Tra\xcc\xa3m Y te\xcc\x82\xcc\x81"
	    " xa\xcc\x83"), k);
	assert_ptr_equal(unitcsv_kind_find("COMMUNE STATION"), k);
	assert_string_equal(unitcsv_kind_find("Trung tâm Kiểm soát bệnh tật")
	    ->code, "cdc");
	assert_string_equal(unitcsv_kind_find("CDC")->code, "cdc");
	assert_string_equal(unitcsv_kind_find("Đơn vị khác")->code, "other");
	assert_null(unitcsv_kind_find("Trạm Y tế"));
	assert_null(unitcsv_kind_find("hospital"));
	assert_null(unitcsv_kind_find(""));
	assert_null(unitcsv_kind_find(NULL));
	/* Malformed UTF-8 from a form must not match nor crash. */
	assert_null(unitcsv_kind_find("Tr\xe1\xba m"));
	assert_null(unitcsv_kind_find("\xc3"));
}

static void
test_unitcsv_kinds_lists_eight_kinds_with_defaults(void **state)
{
	static const char *const	codes[] = {
		"provincial_hospital", "private_hospital", "district_centre",
		"commune_station", "cdc", "private_clinic",
		"department_office", "other",
	};
	const struct unit_kind		*k;
	size_t				n, i;

	(void)state;
	k = unitcsv_kinds(&n);
	assert_int_equal(n, 8);
	for (i = 0; i < n; i++) {
		assert_string_equal(k[i].code, codes[i]);
		assert_ptr_equal(unitcsv_kind_find(k[i].label), &k[i]);
		assert_int_equal(k[i].station, i == 3);
		assert_int_equal(k[i].cdc, i == 4);
		assert_int_equal(k[i].hospital, i <= 2);
		assert_int_equal(k[i].is_public, i != 1 && i != 5);
	}
	assert_non_null(unitcsv_kinds(NULL));
}

static void
test_unitcsv_station_without_parent_is_an_error(void **state)
{
	struct unitcsv_result	res;

	(void)state;
	assert_int_equal(read_str(HDR_MIN "TYT-A,Trạm A,Trạm Y tế xã,H,\n",
	    &res), UNITCSV_ISSUES);
	assert_issue(&res, 2, "don_vi_quan_ly",
	    "Trạm Y tế xã phải có đơn vị quản lý");
	assert_int_equal(res.nissues, 1);
	unitcsv_free(&res);

	/* Without the column at all, the label of the template is shown. */
	assert_int_equal(read_str("ma_don_vi,ten_don_vi,loai,huyen\n"
	    "TYT-A,Trạm A,commune_station,H\n", &res), UNITCSV_ISSUES);
	assert_issue(&res, 2, "Đơn vị quản lý", "phải có đơn vị quản lý");
	unitcsv_free(&res);
}

static void
test_unitcsv_non_station_with_parent_is_an_error(void **state)
{
	struct unitcsv_result	res;

	(void)state;
	assert_int_equal(read_str(HDR_MIN "PK-A,Phòng khám A,private_clinic,"
	    "H,TTYT-A\n", &res), UNITCSV_ISSUES);
	assert_issue(&res, 2, "don_vi_quan_ly", "hãy để trống ô này với "
	    "loại \"Phòng khám ngoài công lập\"");
	assert_int_equal(res.nissues, 1);
	unitcsv_free(&res);
}

static void
test_unitcsv_station_parent_must_be_a_code_and_not_itself(void **state)
{
	struct unitcsv_result	res;

	(void)state;
	assert_int_equal(read_str(HDR_MIN
	    "TYT-A,Trạm A,commune_station,H,TTYT huyện\n"
	    "TYT-B,Trạm B,commune_station,H,tyt-b\n", &res), UNITCSV_ISSUES);
	assert_issue(&res, 2, "don_vi_quan_ly",
	    "Mã đơn vị quản lý \"TTYT huyện\" không hợp lệ");
	assert_issue(&res, 3, "don_vi_quan_ly", "không được là chính");
	assert_int_equal(res.nissues, 2);
	unitcsv_free(&res);
}

static void
test_unitcsv_boolean_values_and_defaults(void **state)
{
	static const struct {
		const char	*v;
		int		 want;
	} vals[] = {
		{ "1", 1 }, { "x", 1 }, { "X", 1 }, { "có", 1 }, { "Có", 1 },
		{ "CÓ", 1 }, { "co", 1 }, { "yes", 1 }, { "YES", 1 },
		{ "true", 1 }, { " True ", 1 }, { "0", 0 }, { "không", 0 },
		{ "KHÔNG", 0 }, { "khong", 0 }, { "no", 0 }, { "No", 0 },
		{ "false", 0 }, { "FALSE", 0 },
	};
	struct unitcsv_result	res;
	char			buf[256];
	size_t			i;

	(void)state;
	for (i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
		(void)snprintf(buf, sizeof(buf), "ma_don_vi,ten_don_vi,loai,"
		    "huyen,cap_gksklx,benh_vien,cdc,cong_lap\n"
		    "X1,X,other,H,%s,%s,%s,%s\n", vals[i].v, vals[i].v,
		    vals[i].v, vals[i].v);
		read_one_ok(buf, &res);
		assert_int_equal(res.units[0].gksklx, vals[i].want);
		assert_int_equal(res.units[0].hospital, vals[i].want);
		assert_int_equal(res.units[0].cdc, vals[i].want);
		assert_int_equal(res.units[0].is_public, vals[i].want);
		unitcsv_free(&res);
	}

	/* Empty cells: the kind's defaults; gksklx no, public yes. */
	read_one_ok("ma_don_vi,ten_don_vi,loai,huyen,cap_gksklx,benh_vien,"
	    "cdc,cong_lap\nUA,X,provincial_hospital,H,,,,\n"
	    "UB,X,cdc,H,,,,\nUC,X,other,H,,,,\n", &res);
	assert_true(res.units[0].hospital && !res.units[0].cdc);
	assert_true(!res.units[1].hospital && res.units[1].cdc);
	assert_true(!res.units[2].hospital && !res.units[2].cdc);
	for (i = 0; i < 3; i++) {
		assert_false(res.units[i].gksklx);
		assert_true(res.units[i].is_public);
	}
	unitcsv_free(&res);

	/* An explicit value beats the kind's default. */
	read_one_ok("ma_don_vi,ten_don_vi,loai,huyen,benh_vien\n"
	    "UA,X,district_centre,H,không\n", &res);
	assert_false(res.units[0].hospital);
	unitcsv_free(&res);
}

static void
test_unitcsv_rejects_bad_boolean_naming_the_column(void **state)
{
	static const struct want	w[] = {
		{ 2, "Công lập", "Giá trị \"2\" không hợp lệ: ghi 1/0" },
		{ 2, "Cấp GKSKLX", "Giá trị \"có thể\"" },
		{ 2, "Bệnh viện", "Giá trị \"-\"" },
		{ 2, "CDC", "Giá trị \"đúng\"" },
	};
	struct unitcsv_result		res;

	(void)state;
	assert_int_equal(read_str("Mã đơn vị,Tên đơn vị,Loại đơn vị,"
	    "Huyện/thị xã/thành phố,Công lập,Cấp GKSKLX,Bệnh viện,CDC\n"
	    "X1,X,other,H,2,có thể,-,đúng\n", &res), UNITCSV_ISSUES);
	assert_issues(&res, w, sizeof(w) / sizeof(w[0]));
	unitcsv_free(&res);
}

static void
test_unitcsv_private_kinds_default_to_not_public(void **state)
{
	struct unitcsv_result	res;

	(void)state;
	read_one_ok("ma_don_vi,ten_don_vi,loai,huyen,cong_lap\n"
	    "UA,X,private_clinic,H,\nUB,X,Bệnh viện ngoài công lập,H,\n"
	    "UC,X,private_clinic,H,0\nUD,X,district_centre,H,\n", &res);
	assert_false(res.units[0].is_public);
	assert_false(res.units[1].is_public);
	assert_true(res.units[1].hospital);
	assert_false(res.units[2].is_public);
	assert_true(res.units[3].is_public);
	unitcsv_free(&res);

	assert_int_equal(read_str("ma_don_vi,ten_don_vi,loai,huyen,cong_lap\n"
	    "UA,X,private_clinic,H,có\n", &res), UNITCSV_ISSUES);
	assert_issue(&res, 2, "cong_lap", "Loại \"Phòng khám ngoài công lập\" "
	    "là ngoài công lập: cột này phải để trống hoặc ghi 0.");
	unitcsv_free(&res);
}

static void
test_unitcsv_rejects_bad_phone_and_email(void **state)
{
	static const struct want	w[] = {
		{ 2, "dau_moi_dien_thoai", "Số điện thoại không hợp lệ: cần "
		    "10 số di động (09…, 03…) hoặc 11 số cố định (02…)." },
		{ 3, "dau_moi_email", "Email không hợp lệ: cần dạng "
		    "ten@ten-mien.vn" },
		{ 4, "dau_moi_dien_thoai", "Số điện thoại không hợp lệ" },
		{ 4, "dau_moi_email", "Email không hợp lệ" },
	};
	struct unitcsv_result		res;

	(void)state;
	assert_int_equal(read_str(HDR
	    "UA,X,other,,H,,,,,Lê An,,0112345678,\n"
	    "UB,X,other,,H,,,,,Lê An,,0912345678,an@localhost\n"
	    "UC,X,other,,H,,,,,Lê An,,0912 345 678 / 0987 654 321,"
	    "lê.an@thanhhoa.gov.vn\n", &res), UNITCSV_ISSUES);
	assert_issues(&res, w, sizeof(w) / sizeof(w[0]));
	unitcsv_free(&res);
}

static void
test_unitcsv_contact_half_given_requires_name_and_phone(void **state)
{
	static const struct want	w[] = {
		{ 2, "dau_moi_ho_ten", "Thiếu họ tên người đầu mối: đã ghi" },
		{ 2, "dau_moi_dien_thoai", "Thiếu số điện thoại người" },
		{ 3, "dau_moi_dien_thoai", "Thiếu số điện thoại người" },
		{ 4, "dau_moi_ho_ten", "Thiếu họ tên người đầu mối" },
		{ 4, "dau_moi_dien_thoai", "Thiếu số điện thoại" },
	};
	struct unitcsv_result		res;

	(void)state;
	assert_int_equal(read_str(HDR
	    "UA,X,other,,H,,,,,,Trưởng trạm,,\n"
	    "UB,X,other,,H,,,,,Lê An,,,\n"
	    "UC,X,other,,H,,,,,,,,an@syt.vn\n"
	    "UD,X,other,,H,,,,,   ,  ,  ,  \n", &res), UNITCSV_ISSUES);
	/* Row 5 has blanks only: no contact, and nothing wrong. */
	assert_issues(&res, w, sizeof(w) / sizeof(w[0]));
	assert_int_equal(res.nunits, 1);
	assert_string_equal(res.units[0].code, "UD");
	assert_false(res.units[0].has_contact);
	unitcsv_free(&res);
}

static void
test_unitcsv_contact_columns_may_be_absent(void **state)
{
	struct unitcsv_result	res;

	(void)state;
	read_one_ok(HDR_MIN "UA,X,other,H,\n", &res);
	assert_false(res.units[0].has_contact);
	unitcsv_free(&res);

	/* A phone column alone: the name is still needed, by its label. */
	assert_int_equal(read_str("ma_don_vi,ten_don_vi,loai,huyen,"
	    "dau_moi_dien_thoai\nUA,X,other,H,0912345678\n", &res),
	    UNITCSV_ISSUES);
	assert_issue(&res, 2, "Đầu mối - Họ tên", "Thiếu họ tên");
	assert_int_equal(res.nissues, 1);
	unitcsv_free(&res);
}

static void
test_unitcsv_duplicate_code_names_first_line(void **state)
{
	static const struct want	w[] = {
		{ 4, "ma_don_vi", "Mã đơn vị \"TYT-A\" đã có ở dòng 2; mỗi "
		    "đơn vị chỉ ghi một lần." },
		{ 6, "ma_don_vi", "\"TYT-A\" đã có ở dòng 2" },
		{ 7, "ma_don_vi", "\"TYT-B\" đã có ở dòng 3" },
		{ 7, "ten_don_vi", "Thiếu tên đơn vị" },
	};
	struct unitcsv_result		res;

	(void)state;
	/* Row 6 is invalid otherwise too; its code still counts. */
	assert_int_equal(read_str(HDR_MIN
	    "TYT-A,A,other,H,\n"
	    "TYT-B,B,other,H,\n"
	    "tyt-a,A2,other,H,\n"
	    "TYT-C,C,other,H,\n"
	    " TYT-A ,A3,other,H,\n"
	    "TYT-B,,other,H,\n", &res), UNITCSV_ISSUES);
	assert_issues(&res, w, sizeof(w) / sizeof(w[0]));
	assert_int_equal(res.nunits, 3);
	unitcsv_free(&res);
}

static void
test_unitcsv_csv_error_becomes_one_issue_with_its_line(void **state)
{
	struct unitcsv_result	res;

	(void)state;
	assert_int_equal(read_str(HDR_MIN "UA,X,other,H,\n"
	    "UB,\"Trạm Y tế,other,H,\nUC,X,other,H,\n", &res), UNITCSV_ISSUES);
	assert_int_equal(res.nissues, 1);
	assert_issue(&res, 3, "", "Dòng 3: thiếu dấu ngoặc kép đóng");
	assert_int_equal(res.nunits, 0);
	assert_int_equal(res.nrows, 0);
	unitcsv_free(&res);

	assert_int_equal(read_str(HDR_MIN "UA,X,other,H,\nUB,C\xe0 ph\xea,"
	    "other,H,\n", &res), UNITCSV_ISSUES);
	assert_int_equal(res.nissues, 1);
	assert_issue(&res, 3, "", "UTF-8");
	unitcsv_free(&res);
}

static void
test_unitcsv_empty_file_and_header_only_are_reported(void **state)
{
	struct unitcsv_result	res;

	(void)state;
	assert_int_equal(unitcsv_read(NULL, 0, &res), UNITCSV_ISSUES);
	assert_issue(&res, 0, "", "Tệp trống");
	unitcsv_free(&res);

	assert_int_equal(read_str("\xef\xbb\xbf\r\n", &res), UNITCSV_ISSUES);
	assert_issue(&res, 0, "", "Tệp trống");
	unitcsv_free(&res);

	assert_int_equal(read_str(HDR, &res), UNITCSV_ISSUES);
	assert_issue(&res, 0, "", "Tệp chưa có đơn vị nào");
	assert_int_equal(res.nissues, 1);
	unitcsv_free(&res);

	assert_int_equal(read_str(HDR ",,,,,,,,,,,,\n", &res),
	    UNITCSV_ISSUES);
	assert_issue(&res, 0, "", "Tệp chưa có đơn vị nào");
	unitcsv_free(&res);
}

static void
test_unitcsv_skips_rows_of_empty_cells(void **state)
{
	struct unitcsv_result	res;

	(void)state;
	read_one_ok("ma_don_vi;ten_don_vi;loai;huyen\n;;;\n\n"
	    "UA;X;other;H\n  ; ;\xc2\xa0;\n;;;\n", &res);
	assert_int_equal(res.nrows, 1);
	assert_int_equal(res.nunits, 1);
	assert_int_equal(res.units[0].line, 4);
	unitcsv_free(&res);
}

static void
test_unitcsv_rejects_long_names_and_control_characters(void **state)
{
	struct unitcsv_result	res;
	char			*buf, *name, *district;
	size_t			len, dlen;

	(void)state;
	/* 67 "ệ" are 201 bytes but only 67 characters. */
	name = malloc(67 * 3 + 1);
	district = malloc(UNIT_DISTRICT_MAX + 2);
	assert_non_null(name);
	assert_non_null(district);
	for (len = 0; len < 67; len++)
		memcpy(name + len * 3, "ệ", 3);
	name[201] = '\0';
	memset(district, 'h', UNIT_DISTRICT_MAX + 1);
	district[UNIT_DISTRICT_MAX + 1] = '\0';
	dlen = 2048;
	buf = malloc(dlen);
	assert_non_null(buf);
	(void)snprintf(buf, dlen, HDR_MIN "UA,%s,other,%s,\n"
	    "UB,\"Trạm\tY tế\",other,\"H\nH\",\n", name, district);
	assert_int_equal(read_str(buf, &res), UNITCSV_ISSUES);
	assert_issue(&res, 2, "ten_don_vi",
	    "Tên đơn vị quá dài (201 byte): tối đa 200 byte");
	assert_issue(&res, 2, "huyen", "quá dài: tối đa 100 byte");
	assert_issue(&res, 3, "ten_don_vi", "ký tự điều khiển");
	assert_issue(&res, 3, "huyen", "ký tự điều khiển");
	assert_int_equal(res.nissues, 4);
	assert_int_equal(res.nunits, 0);
	unitcsv_free(&res);
	free(buf);
	free(name);
	free(district);
}

static void
test_unitcsv_accepts_names_at_the_byte_limits(void **state)
{
	struct unitcsv_result	res;
	char			buf[1024];
	char			name[UNIT_NAME_MAX + 1];
	char			district[UNIT_DISTRICT_MAX + 1];

	(void)state;
	memset(name, 'n', UNIT_NAME_MAX);
	name[UNIT_NAME_MAX] = '\0';
	memset(district, 'h', UNIT_DISTRICT_MAX);
	district[UNIT_DISTRICT_MAX] = '\0';
	(void)snprintf(buf, sizeof(buf), HDR_MIN "UA,%s,other,%s,\n", name,
	    district);
	read_one_ok(buf, &res);
	assert_string_equal(res.units[0].name, name);
	assert_string_equal(res.units[0].district, district);
	unitcsv_free(&res);
}

static void
test_unitcsv_long_bad_value_is_shortened_in_the_message(void **state)
{
	struct unitcsv_result	res;
	char			buf[512], code[201];
	size_t			i;

	(void)state;
	/* 100 "Ă": two bytes each, cut on a character boundary. */
	for (i = 0; i < 100; i++)
		memcpy(code + i * 2, "Ă", 2);
	code[200] = '\0';
	(void)snprintf(buf, sizeof(buf), HDR_MIN "%s,X,other,H,\n", code);
	assert_int_equal(read_str(buf, &res), UNITCSV_ISSUES);
	assert_issue(&res, 2, "ma_don_vi",
	    "Mã đơn vị \"ĂĂĂĂĂĂĂĂĂĂĂĂĂĂĂĂĂĂĂĂ…\" không hợp lệ");
	unitcsv_free(&res);
}

static void
test_unitcsv_caps_the_issue_list(void **state)
{
	struct unitcsv_result	res;
	char			*buf;
	size_t			i, len, cap;

	(void)state;
	cap = strlen(HDR_MIN) + CSV_MAX_ROWS * 32;
	buf = malloc(cap);
	assert_non_null(buf);
	len = (size_t)snprintf(buf, cap, "%s", HDR_MIN);
	for (i = 0; i < CSV_MAX_ROWS; i++)
		len += (size_t)snprintf(buf + len, cap - len,
		    "!%zu,X,other,H,\n", i);
	assert_int_equal(unitcsv_read(buf, len, &res), UNITCSV_ISSUES);
	assert_sane(&res);
	assert_int_equal(res.nrows, CSV_MAX_ROWS);
	assert_int_equal(res.nissues, UNITCSV_MAX_ISSUES + 1);
	assert_int_equal(res.issues[UNITCSV_MAX_ISSUES - 1].line,
	    UNITCSV_MAX_ISSUES + 1);
	assert_int_equal(res.issues[UNITCSV_MAX_ISSUES].line, 0);
	assert_string_equal(res.issues[UNITCSV_MAX_ISSUES].message,
	    "Còn 4000 lỗi khác không được liệt kê; hãy sửa các lỗi trên "
	    "rồi tải tệp lên lại.");
	unitcsv_free(&res);
	free(buf);
}

static void
test_unitcsv_reads_the_maximum_number_of_rows(void **state)
{
	struct unitcsv_result	res;
	char			*buf;
	size_t			i, len, cap;

	(void)state;
	cap = strlen(HDR_MIN) + CSV_MAX_ROWS * 64;
	buf = malloc(cap);
	assert_non_null(buf);
	len = (size_t)snprintf(buf, cap, "%s", HDR_MIN);
	for (i = 0; i < CSV_MAX_ROWS; i++)
		len += (size_t)snprintf(buf + len, cap - len,
		    "TYT-%05zu,Trạm Y tế số %zu,commune_station,H,TTYT\n", i,
		    i);
	assert_int_equal(unitcsv_read(buf, len, &res), UNITCSV_OK);
	assert_int_equal(res.nunits, CSV_MAX_ROWS);
	assert_string_equal(res.units[CSV_MAX_ROWS - 1].code, "TYT-04999");
	unitcsv_free(&res);
	free(buf);
}

static void
test_contact_phone_normalise_accepts_vietnamese_formats(void **state)
{
	static const struct {
		const char	*in;
		const char	*out;
	} ok[] = {
		{ "0912345678", "0912345678" },
		{ "091 234 5678", "0912345678" },
		{ "0912.345.678", "0912345678" },
		{ "0912-345-678", "0912345678" },
		{ "(091) 234-5678", "0912345678" },
		{ "0312345678", "0312345678" },
		{ "0512345678", "0512345678" },
		{ "0712345678", "0712345678" },
		{ "0843456789", "0843456789" },
		{ "+84912345678", "0912345678" },
		{ "+84 91 234 5678", "0912345678" },
		{ "84912345678", "0912345678" },
		{ "(+84) 983.456.789", "0983456789" },
		{ "02373833123", "02373833123" },
		{ "0237 3833 123", "02373833123" },
		{ "(0237) 3.833.123", "02373833123" },
		{ "+842373833123", "02373833123" },
		{ "842373833123", "02373833123" },
	};
	char		out[CONTACT_PHONE_MAX + 1];
	size_t		i;

	(void)state;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		if (contact_phone_normalise(ok[i].in, out, sizeof(out)) != 0)
			fail_msg("refused %s", ok[i].in);
		assert_string_equal(out, ok[i].out);
	}
}

static void
test_contact_phone_normalise_rejects_bad_numbers(void **state)
{
	static const char *const	bad[] = {
		"", "0", "091234567", "09123456789", "0112345678",
		"0212345678", "021234567890", "0412345678", "0612345678",
		"1912345678", "+0912345678", "++84912345678", "849123456789",
		"85912345678", "0912345678x", "09123 45678 ext 1",
		"0912345678/0987654321", "０９１２３４５６７８", "0912,345,678",
		"0912_345_678", "+84 0912345678", "0912345678\n",
	};
	char				out[CONTACT_PHONE_MAX + 1];
	size_t				i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (contact_phone_normalise(bad[i], out, sizeof(out)) != -1)
			fail_msg("accepted \"%s\" as %s", bad[i], out);
	}
	assert_int_equal(contact_phone_normalise(NULL, out, sizeof(out)), -1);
	/* Too small for an 11-digit landline: refused up front. */
	assert_int_equal(contact_phone_normalise("0912345678", out, 11), -1);
}

static void
test_contact_phone_check_hints_at_lost_leading_zero(void **state)
{
	char		out[CONTACT_PHONE_MAX + 1];

	(void)state;
	assert_null(contact_phone_check("0912345678", out, sizeof(out)));
	assert_string_equal(contact_phone_check("912345678", out, sizeof(out)),
	    "Số điện thoại thiếu số 0 ở đầu (Excel bỏ số 0 khi ô có kiểu "
	    "số): hãy định dạng cột là Văn bản (Text) rồi ghi đủ số.");
	assert_non_null(strstr(contact_phone_check("2373833123", out,
	    sizeof(out)), "thiếu số 0"));
	assert_non_null(strstr(contact_phone_check("812345678", out,
	    sizeof(out)), "thiếu số 0"));
	assert_string_equal(contact_phone_check("12345678", out, sizeof(out)),
	    "Số điện thoại không hợp lệ: cần 10 số di động (09…, 03…) hoặc "
	    "11 số cố định (02…).");
	assert_string_equal(contact_phone_check("", out, sizeof(out)),
	    "Thiếu số điện thoại người đầu mối.");
}

static void
test_contact_email_valid_accepts_and_rejects(void **state)
{
	static const char *const	good[] = {
		"a@b.vn", "ttyt.thoxuan@thanhhoa.gov.vn",
		"KHTH.BVDK@ThanhHoa.Gov.VN", "first+tag@gmail.com",
		"x_y-z@sub-domain.example.org", "o'neil@example.com",
	};
	static const char *const	bad[] = {
		"", "a", "a@", "@b.vn", "a@b", "a@b.", "a@.vn", "a@b..vn",
		"a b@c.vn", "a@b c.vn", "a@@b.vn", ".a@b.vn", "a.@b.vn",
		"a..b@c.vn", "lê@thanhhoa.vn", "a@thanhhóa.vn", "a@-b.vn",
		"a@b-.vn", "a@b.v", "a@b.123", "a@b.vn\n", "a,b@c.vn",
		"<a@b.vn>", "a@b.vn.",
	};
	char				buf[300];
	size_t				i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		if (!contact_email_valid(good[i]))
			fail_msg("refused %s", good[i]);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (contact_email_valid(bad[i]))
			fail_msg("accepted \"%s\"", bad[i]);
	}
	assert_false(contact_email_valid(NULL));

	/* 64 bytes of local part pass, 65 do not. */
	memset(buf, 'a', 64);
	(void)snprintf(buf + 64, sizeof(buf) - 64, "@syt.vn");
	assert_true(contact_email_valid(buf));
	memset(buf, 'a', 65);
	(void)snprintf(buf + 65, sizeof(buf) - 65, "@syt.vn");
	assert_false(contact_email_valid(buf));

	/* 254 bytes in all pass, 255 do not. */
	(void)snprintf(buf, sizeof(buf), "a@%.50s.%.50s.%.50s.%.50s.%.45s.vn",
	    "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
	    "cccccccccccccccccccccccccccccccccccccccccccccccccc",
	    "dddddddddddddddddddddddddddddddddddddddddddddddddd",
	    "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee",
	    "ffffffffffffffffffffffffffffffffffffffffffffffffff");
	assert_int_equal(strlen(buf), 254);
	assert_true(contact_email_valid(buf));
	memmove(buf + 1, buf, strlen(buf) + 1);
	assert_int_equal(strlen(buf), 255);
	assert_false(contact_email_valid(buf));
}

static void
test_contact_check_normalises_the_single_contact_form(void **state)
{
	struct contact	c;

	(void)state;
	memset(&c, 'z', sizeof(c));
	assert_null(contact_check("  Lê Thị Mai ", " Trưởng trạm\t",
	    " 091.234.5678 ", " Mai.LT@ThanhHoa.gov.vn ", &c));
	assert_string_equal(c.name, "Lê Thị Mai");
	assert_string_equal(c.position, "Trưởng trạm");
	assert_string_equal(c.phone, "0912345678");
	assert_string_equal(c.email, "mai.lt@thanhhoa.gov.vn");

	assert_null(contact_check("Lê An", NULL, "0912345678", NULL, &c));
	assert_string_equal(c.position, "");
	assert_string_equal(c.email, "");
	assert_null(contact_check("Lê An", "", "0912345678", "", NULL));

	/* The first problem, in form order. */
	assert_string_equal(contact_check("", "", "", "", &c),
	    "Thiếu họ tên người đầu mối.");
	assert_string_equal(contact_check(NULL, NULL, NULL, NULL, &c),
	    "Thiếu họ tên người đầu mối.");
	assert_string_equal(contact_check("Lê An", "", "", "x", &c),
	    "Thiếu số điện thoại người đầu mối.");
	assert_string_equal(contact_check("Lê An", "", "0912345678", "x", &c),
	    "Email không hợp lệ: cần dạng ten@ten-mien.vn, không dấu, không "
	    "khoảng trắng.");
}

static void
test_contact_field_checks_enforce_limits(void **state)
{
	char		buf[400], out[CONTACT_EMAIL_MAX + 1];

	(void)state;
	assert_null(contact_name_check("Nguyễn Văn A"));
	assert_string_equal(contact_name_check("0912345678"),
	    "Họ tên người đầu mối phải có chữ cái, không chỉ gồm chữ số hay "
	    "ký hiệu.");
	assert_non_null(contact_name_check("– – –"));
	assert_non_null(contact_name_check("Lê\nAn"));
	assert_non_null(contact_name_check("Lê\xc2\x85" "An"));
	assert_non_null(contact_name_check("L\xea An"));
	memset(buf, 'a', 101);
	buf[101] = '\0';
	assert_string_equal(contact_name_check(buf),
	    "Họ tên người đầu mối quá dài: tối đa 100 byte.");
	buf[100] = '\0';
	assert_null(contact_name_check(buf));

	assert_null(contact_position_check(""));
	assert_null(contact_position_check(NULL));
	assert_null(contact_position_check(buf));
	memset(buf, 'a', 101);
	buf[101] = '\0';
	assert_string_equal(contact_position_check(buf),
	    "Chức vụ quá dài: tối đa 100 byte.");
	assert_non_null(contact_position_check("Trưởng\ttrạm"));

	assert_null(contact_email_check("", out, sizeof(out)));
	assert_string_equal(out, "");
	/* Each check trims, as contact_check() does, for per-field reports. */
	assert_null(contact_email_check(" An@SYT.vn\t", out, sizeof(out)));
	assert_string_equal(out, "an@syt.vn");
	assert_null(contact_name_check(" \xc2\xa0Lê An\n"));
	assert_string_equal(contact_name_check("   "),
	    "Thiếu họ tên người đầu mối.");
	assert_null(contact_position_check(" Trưởng trạm\n"));
	assert_null(contact_phone_check("\t0912345678\n", out, sizeof(out)));
	assert_string_equal(out, "0912345678");
	assert_string_equal(contact_phone_check(" \n", out, sizeof(out)),
	    "Thiếu số điện thoại người đầu mối.");
	memset(buf, 'a', 300);
	memcpy(buf + 290, "@syt.vn", 8);
	assert_string_equal(contact_email_check(buf, out, sizeof(out)),
	    "Email quá dài: tối đa 254 ký tự.");
	assert_string_equal(contact_email_check("a@b.vn", out, 4),
	    "Email quá dài: tối đa 254 ký tự.");
}

/*
 * A row with problems of its own still gives the registry what could be
 * read of it: its district and managing unit are looked up in the same
 * round.  A cell with a problem comes empty, not half read.
 */
static void
test_unitcsv_rows_keep_what_could_be_read(void **state)
{
	struct unitcsv_result	res;
	const struct unit_rec	*r;

	(void)state;
	assert_int_equal(read_str("Mã đơn vị;Tên đơn vị;Loại đơn vị;"
	    "Huyện/thị xã/thành phố;Đơn vị quản lý;Đầu mối - Họ tên;"
	    "Đầu mối - Điện thoại\n"
	    "TYT-A;Trạm A;Trạm Y tế xã;Nga Sơn;KHONG-CO;Lê A;12345\n"
	    "bad code;Phòng khám B;private_clinic;Huyện Lạ;;;\n"
	    "PK-C;Phòng khám C;private_clinic;Nga Sơn;;;\n"
	    "TYT-D;Trạm D;không rõ;Nga Sơn;TTYT-X;;\n"
	    "TYT-E;Trạm E;commune_station;Nga Sơn;TYT-E;;\n", &res),
	    UNITCSV_ISSUES);
	assert_int_equal(res.nrows, 5);
	assert_int_equal(res.nunits, 1);
	assert_string_equal(res.units[0].code, "PK-C");

	r = &res.rows[0];
	assert_int_equal(r->line, 2);
	assert_string_equal(r->code, "TYT-A");
	assert_string_equal(r->kind, "commune_station");
	assert_string_equal(r->district, "Nga Sơn");
	assert_string_equal(r->parent, "KHONG-CO");
	assert_false(r->has_contact);
	r = &res.rows[1];
	assert_string_equal(r->code, "");
	assert_string_equal(r->district, "Huyện Lạ");
	assert_string_equal(res.rows[2].code, "PK-C");
	/* An unreadable kind: the parent's shape alone was checked. */
	assert_string_equal(res.rows[3].kind, "");
	assert_string_equal(res.rows[3].parent, "TTYT-X");
	/* Its own code as its parent: reported, not looked up. */
	assert_string_equal(res.rows[4].parent, "");

	/* The headers as the file writes them, in the columns' order. */
	assert_string_equal(res.titles[0], "Mã đơn vị");
	assert_string_equal(res.titles[4], "Huyện/thị xã/thành phố");
	/* An absent column: the template's label. */
	assert_string_equal(res.titles[3], "Công lập");
	unitcsv_free(&res);
	assert_null(res.rows);
}

/* The registry's problems join the file's, in line order. */
static void
test_unitcsv_merge_keeps_line_order_and_headers(void **state)
{
	struct unitcsv_result	res;
	struct unitcsv_issue	more[4];
	size_t			i;

	(void)state;
	assert_int_equal(read_str("ma_don_vi;ten_don_vi;loai;HUYỆN;"
	    "don_vi_quan_ly\n"
	    "A1;;other;Nga Sơn;\n"
	    "A2;Hai;other;Không Có;\n"
	    "A3;Ba;other;Nga Sơn;\n"
	    "A1;Bốn;other;Nga Sơn;\n", &res), UNITCSV_ISSUES);
	assert_int_equal(res.nissues, 2);

	memset(more, 0, sizeof(more));
	/* As the statement may send them: not in line order. */
	more[0].line = 5;
	(void)snprintf(more[0].column, sizeof(more[0].column), "loai");
	(void)snprintf(more[0].message, sizeof(more[0].message), "Năm.");
	more[1].line = 3;
	(void)snprintf(more[1].column, sizeof(more[1].column), "huyen");
	(void)snprintf(more[1].message, sizeof(more[1].message), "Ba.");
	more[2].line = 2;
	(void)snprintf(more[2].column, sizeof(more[2].column),
	    "don_vi_quan_ly");
	(void)snprintf(more[2].message, sizeof(more[2].message), "Hai.");
	more[3].line = 3;
	(void)snprintf(more[3].column, sizeof(more[3].column), "no_such");
	(void)snprintf(more[3].message, sizeof(more[3].message), "Ba bis.");
	assert_int_equal(unitcsv_merge(&res, more, 4), 0);
	assert_sane(&res);
	assert_int_equal(res.nissues, 6);
	assert_int_equal(res.issues[0].line, 2);
	assert_string_equal(res.issues[0].column, "ten_don_vi");
	assert_int_equal(res.issues[1].line, 2);
	assert_string_equal(res.issues[1].column, "don_vi_quan_ly");
	/* Under the header as the file wrote it. */
	assert_int_equal(res.issues[2].line, 3);
	assert_string_equal(res.issues[2].column, "HUYỆN");
	assert_string_equal(res.issues[3].message, "Ba bis.");
	assert_string_equal(res.issues[3].column, "no_such");
	assert_int_equal(res.issues[4].line, 5);
	assert_string_equal(res.issues[4].column, "ma_don_vi");
	assert_string_equal(res.issues[5].column, "loai");
	for (i = 1; i < res.nissues; i++)
		assert_true(res.issues[i].line >= res.issues[i - 1].line);

	assert_int_equal(unitcsv_merge(&res, more, 0), 0);
	assert_int_equal(res.nissues, 6);
	assert_int_equal(unitcsv_merge(&res, NULL, 1), -1);
	assert_int_equal(unitcsv_merge(NULL, more, 1), -1);
	unitcsv_free(&res);
}

/* Past the limit the summary counts the registry's problems too. */
static void
test_unitcsv_merge_past_the_limit_counts_the_rest(void **state)
{
	struct unitcsv_result	res;
	struct unitcsv_issue	*more;
	char			*buf;
	size_t			i, len, cap;

	(void)state;
	cap = strlen(HDR_MIN) + CSV_MAX_ROWS * 32;
	assert_non_null(buf = malloc(cap));
	len = (size_t)snprintf(buf, cap, "%s", HDR_MIN);
	for (i = 0; i < 1500; i++)
		len += (size_t)snprintf(buf + len, cap - len,
		    "!%zu,X,other,H,\n", i);
	assert_int_equal(unitcsv_read(buf, len, &res), UNITCSV_ISSUES);
	free(buf);
	assert_int_equal(res.nmore, 500);

	assert_non_null(more = calloc(1500, sizeof(*more)));
	for (i = 0; i < 1500; i++) {
		more[i].line = i + 2;
		(void)snprintf(more[i].column, sizeof(more[i].column),
		    "huyen");
		(void)snprintf(more[i].message, sizeof(more[i].message),
		    "Không có huyện H.");
	}
	assert_int_equal(unitcsv_merge(&res, more, 1500), 0);
	free(more);
	assert_sane(&res);
	assert_int_equal(res.nissues, UNITCSV_MAX_ISSUES + 1);
	/* Lines 2 to 501, each with the file's problem and the registry's. */
	assert_int_equal(res.issues[0].line, 2);
	assert_int_equal(res.issues[1].line, 2);
	assert_string_equal(res.issues[1].column, "huyen");
	assert_int_equal(res.issues[UNITCSV_MAX_ISSUES - 1].line, 501);
	assert_int_equal(res.issues[UNITCSV_MAX_ISSUES].line, 0);
	assert_int_equal(res.nmore, 2000);
	assert_string_equal(res.issues[UNITCSV_MAX_ISSUES].message,
	    "Còn 2000 lỗi khác không được liệt kê; hãy sửa các lỗi trên "
	    "rồi tải tệp lên lại.");
	unitcsv_free(&res);
}

static void
test_unitcsv_init_and_cleanup_can_repeat(void **state)
{
	struct unitcsv_result	res;

	(void)state;
	assert_int_equal(unitcsv_init(), 0);
	assert_int_equal(unitcsv_init(), 0);
	unitcsv_cleanup();
	unitcsv_cleanup();
	/* Used again after cleanup: compiled anew on first use. */
	assert_true(unitcsv_code_valid("AB"));
	unitcsv_cleanup();
	read_one_ok(HDR_MIN "UA,X,other,H,\n", &res);
	unitcsv_free(&res);
	unitcsv_free(&res);
	unitcsv_free(NULL);
	assert_int_equal(unitcsv_read("x", 1, NULL), UNITCSV_ERROR);
}

/* The registry over time: who files, who is taken over, who leaves. */
#define HDR_TIME	"ma_don_vi,ten_don_vi,loai,khu_vuc,don_vi_quan_ly," \
			"tu_bao_cao,sap_nhap_tu,ngung_hoat_dong\n"

static void
test_unitcsv_reads_who_files_takeovers_and_closings(void **state)
{
	struct unitcsv_result	 res;
	const struct unit_rec	*u;

	(void)state;
	read_one_ok(HDR_TIME
	    "TYT-MOI,Trạm mới,commune_station,P-SAMSON,TTYT-SAMSON,có,"
	    "\"tyt-1  TYT-2;TYT-3,tyt-1\",\n"
	    "TYT-CU,Trạm cũ,commune_station,P-SAMSON,TTYT-SAMSON,0,,\n"
	    "TYT-GIU,Trạm giữ,commune_station,P-SAMSON,TTYT-SAMSON,,,\n"
	    "TYT-DONG,,,,,,,x\n", &res);
	assert_int_equal(res.nunits, 4);
	u = unit(&res, "TYT-MOI");
	assert_int_equal(u->files_self, 1);
	assert_false(u->closing);
	/* Upper-cased, each once, in the order written. */
	assert_int_equal(u->npreds, 3);
	assert_string_equal(u->preds[0], "TYT-1");
	assert_string_equal(u->preds[1], "TYT-2");
	assert_string_equal(u->preds[2], "TYT-3");
	assert_int_equal(unit(&res, "TYT-CU")->files_self, 0);
	/* Empty: the registry keeps what it has. */
	assert_int_equal(unit(&res, "TYT-GIU")->files_self, UNITCSV_KEEP);
	u = unit(&res, "TYT-DONG");
	assert_true(u->closing);
	assert_int_equal(u->npreds, 0);
	unitcsv_free(&res);
}

static void
test_unitcsv_closing_rows_need_only_a_code(void **state)
{
	struct unitcsv_result	res;

	(void)state;
	/* With the closing column, name, kind and area are not required. */
	read_one_ok("ma_don_vi;ngung_hoat_dong\nPK-1;1\nPK-2;có\n", &res);
	assert_int_equal(res.nunits, 2);
	unitcsv_free(&res);
	/* A row that stays still needs them. */
	assert_int_equal(read_str("ma_don_vi;ngung_hoat_dong\nPK-1;\n",
	    &res), UNITCSV_ISSUES);
	/* Told under the template's labels: the file has no such column. */
	assert_issue(&res, 2, "Tên đơn vị", "Thiếu tên đơn vị");
	assert_issue(&res, 2, "Loại đơn vị", "Thiếu loại đơn vị");
	assert_issue(&res, 2, "Khu vực", "Thiếu khu vực");
	unitcsv_free(&res);
	/* Without it, the columns are required of the file. */
	assert_int_equal(read_str("ma_don_vi\nPK-1\n", &res), UNITCSV_ISSUES);
	assert_issue(&res, 1, "", "Thiếu cột bắt buộc \"Tên đơn vị\"");
	unitcsv_free(&res);
}

static void
test_unitcsv_rejects_bad_takeovers_and_self_filing(void **state)
{
	static const struct want	w[] = {
		{ 2, "tu_bao_cao", "Chỉ Trạm Y tế xã mới tự báo cáo" },
		{ 3, "sap_nhap_tu", "Mã đơn vị trước \"tyté\"" },
		{ 4, "sap_nhap_tu", "không sáp nhập từ chính nó" },
		{ 5, "sap_nhap_tu", "không ghi đơn vị trước" },
		{ 6, "ngung_hoat_dong", "Giá trị \"sắp\" không hợp lệ" },
		{ 7, "ma_don_vi", "Thiếu mã đơn vị" },
	};
	struct unitcsv_result		res;

	(void)state;
	assert_int_equal(read_str(HDR_TIME
	    "PK-1,Phòng khám,private_clinic,NGASON,,1,,\n"
	    "PK-2,Phòng khám,private_clinic,NGASON,,,\"PK-1 tyt\xc3\xa9\",\n"
	    "PK-3,Phòng khám,private_clinic,NGASON,,,pk-3,\n"
	    "PK-4,,,,,,PK-1,1\n"
	    "PK-5,Phòng khám,private_clinic,NGASON,,,,sắp\n"
	    ",,,,,,,1\n", &res), UNITCSV_ISSUES);
	assert_issues(&res, w, sizeof(w) / sizeof(w[0]));
	unitcsv_free(&res);
}

static void
test_unitcsv_too_many_predecessors_is_told(void **state)
{
	struct unitcsv_result	res;
	char			buf[2048];
	size_t			i, n;

	(void)state;
	n = (size_t)snprintf(buf, sizeof(buf), "%sPK-X,Phòng khám,"
	    "private_clinic,NGASON,,,\"", HDR_TIME);
	for (i = 0; i <= UNIT_PREDS_MAX; i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "PK-%zu ", i);
	(void)snprintf(buf + n, sizeof(buf) - n, "\",\n");
	assert_int_equal(read_str(buf, &res), UNITCSV_ISSUES);
	assert_issue(&res, 2, "sap_nhap_tu", "tối đa 16 đơn vị trước");
	unitcsv_free(&res);
}

static void
test_unitcsv_area_column_has_old_and_new_names(void **state)
{
	struct unitcsv_result	res;

	(void)state;
	read_one_ok("Mã đơn vị;Tên đơn vị;Loại đơn vị;Huyện/thị xã/thành phố\n"
	    "PK-1;A;private_clinic;Nga Sơn\n", &res);
	assert_string_equal(res.units[0].district, "Nga Sơn");
	unitcsv_free(&res);
	read_one_ok("Mã đơn vị;Tên đơn vị;Loại đơn vị;KHU VỰC;Sáp nhập, chia "
	    "tách từ;Tự báo cáo\nPK-1;A;private_clinic;P-SAMSON;PK-0;\n",
	    &res);
	assert_string_equal(res.units[0].district, "P-SAMSON");
	assert_string_equal(res.units[0].preds[0], "PK-0");
	/* Under the file's own header. */
	assert_string_equal(res.titles[4], "KHU VỰC");
	unitcsv_free(&res);
}

static void
test_unitcsv_area_kinds_codes_names_and_dates(void **state)
{
	const struct area_kind	*k;
	char			out[UNIT_DISTRICT_MAX + 1], big[300];
	size_t			n;

	(void)state;
	k = unitcsv_area_kinds(&n);
	assert_int_equal(n, 7);
	assert_non_null(unitcsv_area_kind_find("ward"));
	assert_string_equal(unitcsv_area_kind_find("commune")->label, "Xã");
	assert_null(unitcsv_area_kind_find("province"));
	assert_null(unitcsv_area_kind_find(NULL));
	assert_string_equal(k[0].code, "ward");

	assert_true(unitcsv_area_code_valid("P-SAMSON"));
	assert_true(unitcsv_area_code_valid("NGASON"));
	assert_false(unitcsv_area_code_valid("p-samson"));
	assert_false(unitcsv_area_code_valid("A"));
	assert_false(unitcsv_area_code_valid("P.SAMSON"));
	assert_false(unitcsv_area_code_valid("P-SAMSON\n"));
	assert_false(unitcsv_area_code_valid(
	    "A23456789012345678901234567890123"));

	assert_null(unitcsv_area_name_check("  Phường Hạc Thành ", out,
	    sizeof(out)));
	assert_string_equal(out, "Phường Hạc Thành");
	assert_non_null(unitcsv_area_name_check("", out, sizeof(out)));
	assert_non_null(unitcsv_area_name_check(NULL, out, sizeof(out)));
	assert_non_null(unitcsv_area_name_check("Xã\tA", out, sizeof(out)));
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_non_null(unitcsv_area_name_check(big, out, sizeof(out)));

	assert_true(unitcsv_date_ok("2025-07-01"));
	assert_true(unitcsv_date_ok("2000-01-01"));
	assert_true(unitcsv_date_ok("2100-12-31"));
	assert_false(unitcsv_date_ok("1999-12-31"));
	assert_false(unitcsv_date_ok("2101-01-01"));
	assert_false(unitcsv_date_ok("2025-02-29"));
	assert_false(unitcsv_date_ok("2025-7-1"));
	assert_false(unitcsv_date_ok("01/07/2025"));
	assert_false(unitcsv_date_ok(""));
	assert_false(unitcsv_date_ok(NULL));
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_unitcsv_reads_good_sample_file),
		cmocka_unit_test(
		    test_unitcsv_reads_who_files_takeovers_and_closings),
		cmocka_unit_test(test_unitcsv_closing_rows_need_only_a_code),
		cmocka_unit_test(
		    test_unitcsv_rejects_bad_takeovers_and_self_filing),
		cmocka_unit_test(test_unitcsv_too_many_predecessors_is_told),
		cmocka_unit_test(
		    test_unitcsv_area_column_has_old_and_new_names),
		cmocka_unit_test(
		    test_unitcsv_area_kinds_codes_names_and_dates),
		cmocka_unit_test(
		    test_unitcsv_reports_every_bad_row_with_its_line),
		cmocka_unit_test(test_unitcsv_reports_every_problem_of_one_row),
		cmocka_unit_test(
		    test_unitcsv_accepts_bom_semicolon_crlf_vietnamese_headers),
		cmocka_unit_test(
		    test_unitcsv_headers_ignore_case_diacritics_and_spacing),
		cmocka_unit_test(
		    test_unitcsv_missing_required_column_is_file_level),
		cmocka_unit_test(
		    test_unitcsv_unknown_column_is_file_level_and_named),
		cmocka_unit_test(test_unitcsv_duplicate_column_is_file_level),
		cmocka_unit_test(
		    test_unitcsv_blank_header_cells_ignored_if_column_empty),
		cmocka_unit_test(
		    test_unitcsv_extra_cells_beyond_header_are_reported),
		cmocka_unit_test(test_unitcsv_upper_cases_and_trims_codes),
		cmocka_unit_test(test_unitcsv_rejects_bad_unit_codes),
		cmocka_unit_test(
		    test_unitcsv_code_valid_follows_the_database_pattern),
		cmocka_unit_test(test_unitcsv_rejects_unknown_or_missing_kind),
		cmocka_unit_test(test_unitcsv_kind_find_accepts_code_and_label),
		cmocka_unit_test(
		    test_unitcsv_kinds_lists_eight_kinds_with_defaults),
		cmocka_unit_test(
		    test_unitcsv_station_without_parent_is_an_error),
		cmocka_unit_test(
		    test_unitcsv_non_station_with_parent_is_an_error),
		cmocka_unit_test(
		    test_unitcsv_station_parent_must_be_a_code_and_not_itself),
		cmocka_unit_test(test_unitcsv_boolean_values_and_defaults),
		cmocka_unit_test(
		    test_unitcsv_rejects_bad_boolean_naming_the_column),
		cmocka_unit_test(
		    test_unitcsv_private_kinds_default_to_not_public),
		cmocka_unit_test(test_unitcsv_rejects_bad_phone_and_email),
		cmocka_unit_test(
		    test_unitcsv_contact_half_given_requires_name_and_phone),
		cmocka_unit_test(test_unitcsv_contact_columns_may_be_absent),
		cmocka_unit_test(test_unitcsv_duplicate_code_names_first_line),
		cmocka_unit_test(
		    test_unitcsv_csv_error_becomes_one_issue_with_its_line),
		cmocka_unit_test(
		    test_unitcsv_empty_file_and_header_only_are_reported),
		cmocka_unit_test(test_unitcsv_skips_rows_of_empty_cells),
		cmocka_unit_test(
		    test_unitcsv_rejects_long_names_and_control_characters),
		cmocka_unit_test(
		    test_unitcsv_accepts_names_at_the_byte_limits),
		cmocka_unit_test(
		    test_unitcsv_long_bad_value_is_shortened_in_the_message),
		cmocka_unit_test(test_unitcsv_caps_the_issue_list),
		cmocka_unit_test(test_unitcsv_reads_the_maximum_number_of_rows),
		cmocka_unit_test(
		    test_contact_phone_normalise_accepts_vietnamese_formats),
		cmocka_unit_test(
		    test_contact_phone_normalise_rejects_bad_numbers),
		cmocka_unit_test(
		    test_contact_phone_check_hints_at_lost_leading_zero),
		cmocka_unit_test(test_contact_email_valid_accepts_and_rejects),
		cmocka_unit_test(
		    test_contact_check_normalises_the_single_contact_form),
		cmocka_unit_test(test_contact_field_checks_enforce_limits),
		cmocka_unit_test(test_unitcsv_rows_keep_what_could_be_read),
		cmocka_unit_test(
		    test_unitcsv_merge_keeps_line_order_and_headers),
		cmocka_unit_test(
		    test_unitcsv_merge_past_the_limit_counts_the_rest),
		cmocka_unit_test(test_unitcsv_init_and_cleanup_can_repeat),
	};

	return (cmocka_run_group_tests(tests, NULL, teardown));
}
