/*
 * The consolidated workbook and CSV: written from a realistic
 * consolidation (and from an empty or malformed one), then read back by
 * another reader, openpyxl, through tests/unit/xlsx_check.py, when
 * /usr/bin/python3 has it.  Run from the repository's root.
 */
#include <sys/types.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "collate.h"
#include "cons.h"
#include "form.h"
#include "xlsx_report.h"

#define PYTHON		"/usr/bin/python3"
#define CHECK_SCRIPT	"tests/unit/xlsx_check.py"

static struct form	*pl1, *pl2;
static char		 dir[64];	/* this run's directory */
static char		 scratch[96];	/* libxlsxwriter's scratch files */

static const char *pl1_cons =
"{\"period\": \"2023-07\", \"form\": \"PL1\", \"only\": \"submitted\","
" \"period_info\": {\"code\": \"2023-07\", \"name\": \"Tháng 7/2023\","
"  \"start\": \"2023-06-15\", \"end\": \"2023-07-14\","
"  \"deadline\": \"2023-07-15\"},"
/* 01:30 on the 20th in Vietnam is still the 19th in UTC. */
" \"generated_at\": \"2023-07-19T18:30:00.123456+00:00\","
" \"units_expected\": 6, \"units_reported\": 4, \"units_accepted\": 2,"
" \"units_late\": 1,"
" \"values\": {\"bhyt.records_total\": 20000, \"bhyt.records_ontime\": 19020,"
"  \"erx.total\": 12345, \"erx.linked\": 11000, \"gksklx.issued\": 300,"
"  \"gksklx.linked\": 290, \"birth.total\": 150, \"birth.synced\": 140,"
"  \"death.total\": 20, \"death.synced\": 18, \"pay.total\": 50000,"
"  \"pay.transfer\": 5000, \"pay.pos\": 3000, \"pay.qr_static\": 2000,"
"  \"pay.qr_dynamic\": 4000, \"pay.ewallet\": 500, \"pay.other\": 500,"
"  \"cccd.visits\": 40000, \"cccd.used\": 16080,"
"  \"cccd.insurance_returned\": 15000, \"cccd.qr_readers\": 60,"
"  \"sign.issued\": 400, \"sign.needed\": 50, \"stay.declared\": 700},"
" \"by_district\": {"
"  \"NGASON\": {\"name\": \"Huyện Nga Sơn\", \"units_expected\": 3,"
"   \"units_reported\": 2, \"values\": {\"erx.total\": 2345,"
"   \"erx.linked\": 2000, \"cccd.visits\": 8000, \"cccd.used\": 4000,"
"   \"pay.total\": 10000, \"pay.transfer\": 3000}},"
"  \"THANHHOA\": {\"name\": \"Thành phố Thanh Hóa\", \"units_expected\": 2,"
"   \"units_reported\": 1, \"values\": {\"erx.total\": 9000,"
"   \"erx.linked\": 8000, \"cccd.visits\": 30000, \"cccd.used\": 11580,"
"   \"pay.total\": 35000, \"pay.pos\": 3000, \"pay.qr_dynamic\": 3000}},"
"  \"BIMSON\": {\"name\": \"Thị xã Bỉm Sơn\", \"units_expected\": 1,"
"   \"units_reported\": 1, \"values\": {\"erx.total\": 1000,"
"   \"cccd.visits\": 2000, \"cccd.used\": 500, \"pay.total\": 5000,"
"   \"pay.qr_dynamic\": 1000}}},"
" \"by_kind\": {"
"  \"hospital\": {\"label\": \"Bệnh viện\", \"units_expected\": 3,"
"   \"units_reported\": 2, \"values\": {\"erx.total\": 10000}},"
"  \"district_centre\": {\"kind_label\": \"Trung tâm Y tế huyện\","
"   \"units_expected\": 3, \"units_reported\": 2,"
"   \"values\": {\"erx.total\": 2345}}},"
" \"stations\": {\"values\": {\"cccd.visits\": 3000, \"cccd.used\": 900,"
"   \"cccd.insurance_returned\": 800, \"cccd.qr_readers\": 12,"
"   \"sign.issued\": 40, \"sign.needed\": 10},"
"  \"by_district\": {\"NGASON\": {\"name\": \"Huyện Nga Sơn\","
"   \"values\": {\"cccd.visits\": 2000, \"cccd.used\": 700}},"
"   \"BIMSON\": {\"name\": \"Thị xã Bỉm Sơn\","
"   \"values\": {\"cccd.visits\": 1000, \"cccd.used\": 200}}}},"
" \"units\": ["
"  {\"code\": \"BV-DKT\", \"name\": \"Bệnh viện Đa khoa tỉnh Thanh Hóa\","
"   \"district\": \"THANHHOA\", \"district_name\": \"Thành phố Thanh Hóa\","
"   \"kind\": \"hospital\", \"kind_label\": \"Bệnh viện\","
"   \"status\": \"accepted\", \"late\": false,"
"   \"submitted_at\": \"2023-07-14T03:00:00+00:00\","
"   \"values\": {\"erx.total\": 9000, \"erx.linked\": 8000}},"
"  {\"code\": \"TTYT-NS\", \"name\": \"Trung tâm Y tế huyện Nga Sơn\","
"   \"district\": \"NGASON\", \"district_name\": \"Huyện Nga Sơn\","
"   \"kind\": \"district_centre\", \"kind_label\": \"Trung tâm Y tế huyện\","
"   \"status\": \"submitted\", \"late\": true,"
"   \"submitted_at\": \"2023-07-16T01:30:00.5+00:00\","
"   \"values\": {\"erx.total\": 2000, \"cccd.visits\": 8000}},"
"  {\"code\": \"BV-NS\", \"name\": \"Bệnh viện Đa khoa huyện Nga Sơn\","
"   \"district\": \"NGASON\", \"district_name\": \"Huyện Nga Sơn\","
"   \"kind\": \"hospital\", \"status\": \"submitted\", \"late\": false,"
"   \"submitted_at\": \"2023-07-15T10:00:00+07:00\","
"   \"values\": {\"erx.total\": 345}},"
"  {\"code\": \"TTYT-BS\", \"name\": \"Trung tâm Y tế thị xã Bỉm Sơn\","
"   \"district\": \"BIMSON\", \"district_name\": \"Thị xã Bỉm Sơn\","
"   \"kind\": \"district_centre\", \"kind_label\": \"Trung tâm Y tế huyện\","
"   \"status\": \"accepted\", \"late\": false,"
"   \"submitted_at\": \"2023-07-10T09:00:00+07:00\","
"   \"values\": {\"erx.total\": 1000}}],"
" \"missing\": ["
"  {\"code\": \"TTYT-NC\", \"name\": \"Trung tâm Y tế huyện Nga Sơn cũ\","
"   \"district_name\": \"Huyện Nga Sơn\","
"   \"kind_label\": \"Trung tâm Y tế huyện\","
"   \"contact\": {\"name\": \"Nguyễn Thị Lan\","
"    \"position\": \"Phó Giám đốc\", \"phone\": \"0912 345 678\","
"    \"email\": \"lan.nt@ngason.example.vn\"}},"
"  {\"code\": \"PK-TH\", \"name\": \"Phòng khám Thanh Hà\","
"   \"district_name\": \"Thành phố Thanh Hóa\", \"kind_label\": \"Phòng khám\","
"   \"contact\": null}],"
" \"late\": [{\"code\": \"TTYT-NS\","
"  \"name\": \"Trung tâm Y tế huyện Nga Sơn\","
"  \"district_name\": \"Huyện Nga Sơn\","
"  \"submitted_at\": \"2023-07-16T01:30:00+00:00\"}],"
" \"lists\": {}, \"texts\": {},"
" \"trend\": ["
"  {\"period\": \"2023-05\", \"name\": \"Tháng 5/2023\", \"values\": {"
"   \"cccd.visits\": 30000, \"cccd.used\": 6000, \"pay.total\": 40000,"
"   \"pay.transfer\": 8000, \"erx.total\": 10000, \"erx.linked\": 8000}},"
"  {\"period\": \"2023-06\", \"name\": \"Tháng 6/2023\", \"values\": {"
"   \"cccd.visits\": 35000, \"cccd.used\": 10500, \"pay.total\": 45000,"
"   \"pay.transfer\": 11000, \"erx.total\": 11000, \"erx.linked\": 9500}},"
"  {\"period\": \"2023-07\", \"name\": \"Tháng 7/2023\", \"values\": {"
"   \"cccd.visits\": 40000, \"cccd.used\": 16080, \"pay.total\": 50000,"
"   \"pay.transfer\": 15000, \"erx.total\": 12345, \"erx.linked\": 11000}}]"
"}";

static const char *pl2_cons =
"{\"period\": \"2023-H1\", \"form\": \"PL2\", \"only\": \"accepted\","
" \"period_info\": {\"code\": \"2023-H1\", \"name\": \"6 tháng 2023\","
"  \"start\": \"2023-01-01\", \"end\": \"2023-06-14\","
"  \"deadline\": \"2023-06-27\"},"
" \"generated_at\": \"2023-06-28T08:00:00+07:00\","
" \"units_expected\": 2, \"units_reported\": 1, \"units_accepted\": 1,"
" \"units_late\": 0,"
" \"values\": {\"infra.pc_before_2020\": 100, \"infra.pc_after_2020\": 50,"
"  \"emr.level\": 7, \"fund.digital\": 1500000000},"
" \"by_district\": {\"THANHHOA\": {\"name\": \"Thành phố Thanh Hóa\","
"  \"units_expected\": 2, \"units_reported\": 1,"
"  \"values\": {\"infra.pc_before_2020\": 100, \"emr.level\": 13}},"
"  \"DONGSON\": {\"name\": \"Huyện Đông Sơn\", \"units_expected\": 1,"
"  \"units_reported\": 1, \"values\": {}}},"
/* As the statement counts them: two units at level 5, one at 4. */
" \"levels\": {\"values\": {\"emr.level\": {\"4\": 1, \"5\": 2}},"
"  \"by_district\": {\"THANHHOA\": {\"emr.level\": {\"4\": 1, \"5\": 1}},"
"   \"DONGSON\": {\"emr.level\": {\"5\": 1}}}},"
" \"units\": [{\"code\": \"BV-DKT\", \"name\": \"Bệnh viện Đa khoa tỉnh\","
"  \"district_name\": \"Thành phố Thanh Hóa\", \"kind_label\": \"Bệnh viện\","
"  \"status\": \"accepted\", \"late\": false,"
"  \"submitted_at\": \"2023-06-20T08:00:00+07:00\","
"  \"values\": {\"emr.level\": 4, \"infra.pc_before_2020\": 100}}],"
" \"missing\": [], \"late\": [],"
" \"lists\": {"
"  \"directives\": [{\"unit\": \"BV-DKT\","
"   \"unit_name\": \"Bệnh viện Đa khoa tỉnh\", \"number\": \"372/QĐ-SYT\","
"   \"date\": \"2023-03-15\", \"abstract\": \"Về việc triển khai Đề án 06\"}],"
"  \"comm.cccd\": [{\"unit\": \"BV-DKT\","
"   \"unit_name\": \"Bệnh viện Đa khoa tỉnh\", \"form\": \"banner\","
"   \"quantity\": 12, \"note\": \"Treo tại cổng, khoa khám bệnh\"},"
"   {\"unit\": \"BV-DKT\", \"unit_name\": \"Bệnh viện Đa khoa tỉnh\","
"   \"form\": \"not-a-choice\", \"quantity\": \"x\"}, 42]},"
" \"texts\": {"
"  \"eval.advantages\": [{\"unit\": \"BV-DKT\","
"   \"unit_name\": \"Bệnh viện Đa khoa tỉnh\","
"   \"text\": \"Được sự quan tâm chỉ đạo của Sở Y tế.\"}],"
"  \"plan\": [{\"unit\": \"BV-DKT\", \"unit_name\": \"Bệnh viện Đa khoa tỉnh\","
"   \"text\": \"Triển khai bệnh án điện tử toàn viện.\"}]},"
" \"trend\": []"
"}";

/* A six-month PL1 is compared with the sum of its months. */
static const char *h1_monthly =
"{\"from\": [\"2023-01\", \"2023-02\", \"2023-03\", \"2023-04\","
"  \"2023-05\", \"2023-06\"],"
" \"values\": {\"erx.total\": 12000, \"pay.total\": 50000},"
" \"differences\": {"
"  \"erx.total\": {\"reported\": 12345, \"monthly\": 12000,"
"   \"difference\": 345},"
"  \"pay.total\": {\"reported\": 50000, \"monthly\": 50000,"
"   \"difference\": 0}}}";

static int
setup(void **state)
{
	char	err[FORM_ERR_MAX];

	(void)state;
	if ((pl1 = form_load("forms/PL1.json", err, sizeof(err))) == NULL ||
	    (pl2 = form_load("forms/PL2.json", err, sizeof(err))) == NULL) {
		print_error("%s\n", err);
		return (-1);
	}
	(void)snprintf(dir, sizeof(dir), "/tmp/test_xlsx.XXXXXX");
	if (mkdtemp(dir) == NULL)
		return (-1);
	(void)snprintf(scratch, sizeof(scratch), "%s/scratch", dir);
	if (mkdir(scratch, 0700) == -1)
		return (-1);

	return (0);
}

static int
teardown(void **state)
{
	(void)state;
	form_free(pl1);
	form_free(pl2);
	(void)rmdir(scratch);
	(void)rmdir(dir);

	return (0);
}

static json_t *
parse(const char *s)
{
	json_error_t	e;
	json_t		*j;

	if ((j = json_loads(s, 0, &e)) == NULL)
		fail_msg("bad JSON in test, line %d: %s", e.line, e.text);

	return (j);
}

/* As cons_complete does: rates from the summed counts. */
static void
derive_all(const struct form *f, json_t *c)
{
	const char	*key;
	json_t		*m;
	size_t		i;

	form_derive(f, json_object_get(c, "values"), NULL);
	json_object_foreach(json_object_get(c, "by_district"), key, m)
		form_derive(f, json_object_get(m, "values"), NULL);
	json_object_foreach(json_object_get(c, "by_kind"), key, m)
		form_derive(f, json_object_get(m, "values"), NULL);
	m = json_object_get(c, "stations");
	form_derive(f, json_object_get(m, "values"), NULL);
	json_object_foreach(json_object_get(m, "by_district"), key, m)
		form_derive(f, json_object_get(m, "values"), NULL);
	json_array_foreach(json_object_get(c, "units"), i, m)
		form_derive(f, json_object_get(m, "values"), NULL);
	json_array_foreach(json_object_get(c, "trend"), i, m)
		form_derive(f, json_object_get(m, "values"), NULL);
}

static void
path_of(char *buf, size_t len, const char *name)
{
	(void)snprintf(buf, len, "%s/%s", dir, name);
}

/* Write, then check it is a zip and the scratch directory is clean. */
static void
write_ok(const char *path, const struct form *f, json_t *cons)
{
	char		err[256], magic[2];
	FILE		*fp;

	err[0] = '\0';
	if (xlsx_report_write(path, scratch, f, cons, err, sizeof(err)) != 0)
		fail_msg("xlsx_report_write: %s", err);
	assert_non_null(fp = fopen(path, "rb"));
	assert_int_equal(fread(magic, 1, 2, fp), 2);
	(void)fclose(fp);
	assert_memory_equal(magic, "PK", 2);
	assert_int_equal(rmdir(scratch), 0);
	assert_int_equal(mkdir(scratch, 0700), 0);
}

static char *
slurp(FILE *fp)
{
	char		*buf, *nb;
	size_t		len, cap, n;

	cap = 65536;
	len = 0;
	if ((buf = malloc(cap)) == NULL)
		return (NULL);
	while ((n = fread(buf + len, 1, cap - len - 1, fp)) > 0) {
		len += n;
		if (cap - len - 1 == 0) {
			if ((nb = realloc(buf, cap * 2)) == NULL) {
				free(buf);
				return (NULL);
			}
			buf = nb;
			cap *= 2;
		}
	}
	buf[len] = '\0';

	return (buf);
}

/*
 * The workbook as openpyxl reads it, or NULL (the test is skipped) when
 * python3 or openpyxl is not there.
 */
static json_t *
readback(const char *path)
{
	char		cmd[512], *out;
	FILE		*p;
	json_t		*j;
	int		st;

	if (access(PYTHON, X_OK) == -1 || access(CHECK_SCRIPT, R_OK) == -1)
		return (NULL);
	(void)snprintf(cmd, sizeof(cmd), "%s %s '%s'", PYTHON, CHECK_SCRIPT,
	    path);
	assert_non_null(p = popen(cmd, "r"));
	out = slurp(p);
	st = pclose(p);
	if (WIFEXITED(st) && WEXITSTATUS(st) == 3) {
		free(out);
		return (NULL);
	}
	assert_non_null(out);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		fail_msg("xlsx_check.py failed on %s", path);
	j = parse(out);
	free(out);

	return (j);
}

static json_t *
rows_of(json_t *rb, const char *sheet)
{
	json_t	*rows;

	rows = json_object_get(json_object_get(rb, "rows"), sheet);
	if (!json_is_array(rows))
		fail_msg("no sheet %s", sheet);

	return (rows);
}

static const char *
text_at(json_t *rows, size_t r, size_t c)
{
	return (json_string_value(json_array_get(json_array_get(rows, r), c)));
}

static double
num_at(json_t *rows, size_t r, size_t c)
{
	json_t	*v;

	v = json_array_get(json_array_get(rows, r), c);
	if (!json_is_number(v))
		fail_msg("no number at row %zu col %zu", r + 1, c + 1);

	return (json_number_value(v));
}

/* The row whose column c is text; fails when none. */
static size_t
row_with(json_t *rows, size_t c, const char *text)
{
	size_t		r;

	for (r = 0; r < json_array_size(rows); r++)
		if (text_at(rows, r, c) && !strcmp(text_at(rows, r, c), text))
			return (r);
	fail_msg("no row with \"%s\" in column %zu", text, c + 1);

	return (0);
}

static size_t
col_with(json_t *rows, size_t r, const char *text)
{
	size_t		c;

	for (c = 0; c < json_array_size(json_array_get(rows, r)); c++)
		if (text_at(rows, r, c) && !strcmp(text_at(rows, r, c), text))
			return (c);
	fail_msg("no column \"%s\" in row %zu", text, r + 1);

	return (0);
}

static int
has_text(json_t *rows, const char *text)
{
	size_t		r, c;

	for (r = 0; r < json_array_size(rows); r++)
		for (c = 0; c < json_array_size(json_array_get(rows, r)); c++)
			if (text_at(rows, r, c) &&
			    strstr(text_at(rows, r, c), text))
				return (1);

	return (0);
}

static int
has_entry(json_t *rb, const char *name)
{
	json_t		*e;
	size_t		i;

	json_array_foreach(json_object_get(rb, "entries"), i, e)
		if (!strcmp(json_string_value(e), name))
			return (1);

	return (0);
}

static void
assert_sheets(json_t *rb, const char *const *want, size_t n)
{
	json_t		*names;
	size_t		i;

	names = json_object_get(rb, "sheets");
	assert_int_equal(json_array_size(names), n);
	for (i = 0; i < n; i++)
		assert_string_equal(json_string_value(json_array_get(names, i)),
		    want[i]);
}

static const char *
label(const struct form *f, const char *code)
{
	int	i;

	assert_true((i = form_item_index(f, code)) >= 0);

	return (f->items[i].label);
}

/* Only if libreoffice is installed: it must convert the file to PDF. */
static void
libreoffice_opens(const char *path)
{
	char		cmd[512], pdf[256];

	if (system("command -v libreoffice >/dev/null 2>&1") != 0)
		return;
	/* A profile of its own: a running LibreOffice would block it. */
	(void)snprintf(cmd, sizeof(cmd), "cd '%s' && libreoffice --headless "
	    "-env:UserInstallation=file://%s/lo --convert-to pdf '%s' "
	    ">/dev/null 2>&1", dir, dir, path);
	assert_int_equal(system(cmd), 0);
	(void)snprintf(pdf, sizeof(pdf), "%.*s.pdf", (int)(strlen(path) - 5),
	    path);
	assert_int_equal(access(pdf, R_OK), 0);
	(void)unlink(pdf);
	(void)snprintf(cmd, sizeof(cmd), "rm -rf '%s/lo'", dir);
	(void)system(cmd);
}

static void
check_pl1_summary(json_t *rb)
{
	json_t		*rows;
	size_t		r;

	rows = rows_of(rb, "Tổng hợp");
	/* The Department's header of Nghị định 30/2020, not its office's. */
	assert_string_equal(text_at(rows, 0, 0), "UBND TỈNH THANH HÓA");
	assert_string_equal(text_at(rows, 1, 0), "SỞ Y TẾ");
	assert_string_equal(text_at(rows, 2, 0), "Số:       /BC-SYT");
	assert_string_equal(text_at(rows, 0, 2),
	    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
	assert_string_equal(text_at(rows, 1, 2), "Độc lập - Tự do - Hạnh phúc");
	assert_string_equal(text_at(rows, 2, 2),
	    "Thanh Hóa, ngày 20 tháng 7 năm 2023");
	assert_true(has_text(rows, "Kính gửi: Công an tỉnh Thanh Hóa; Chủ "
	    "tịch UBND tỉnh."));
	assert_true(has_text(rows, "Nơi nhận:"));
	assert_true(has_text(rows, "KT. GIÁM ĐỐC"));
	assert_true(has_text(rows, "PHÓ GIÁM ĐỐC"));
	assert_true(has_text(rows, "(Ký tên, đóng dấu)"));
	assert_true(has_text(rows, "BÁO CÁO TỔNG HỢP KẾT QUẢ TRIỂN KHAI CÁC "
	    "NHIỆM VỤ CHUYỂN ĐỔI SỐ VÀ THỰC HIỆN ĐỀ ÁN 06"));
	assert_true(has_text(rows, pl1->title));
	assert_true(has_text(rows, "Kỳ báo cáo: Tháng 7/2023 (số liệu từ "
	    "15/06/2023 đến 14/07/2023)"));
	assert_true(has_text(rows, "Số đơn vị phải báo cáo: 6; đã báo cáo: 4 "
	    "(đúng hạn: 3; muộn: 1); đã duyệt: 2"));
	assert_true(has_text(rows, "Số liệu tổng hợp từ các báo cáo đã nộp"));

	r = row_with(rows, 0, "STT");
	assert_string_equal(text_at(rows, r, 3), "Toàn tỉnh");
	r = row_with(rows, 1, label(pl1, "erx.total"));
	assert_true(num_at(rows, r, 3) == 12345);
	assert_string_equal(text_at(rows, r, 2), "Đơn");
	/* The rate from the sums: 11000 / 12345. */
	r = row_with(rows, 1, label(pl1, "erx.linked_pct"));
	assert_true(num_at(rows, r, 3) == 89.1);
	assert_string_equal(text_at(rows, r, 2), "%");
	r = row_with(rows, 0, "2");
	assert_string_equal(text_at(rows, r, 1), pl1->sections[1].title);
}

static void
check_pl1_others(json_t *rb)
{
	json_t		*rows;
	size_t		h, r, c;

	rows = rows_of(rb, "Theo địa bàn");
	h = row_with(rows, 3, "Toàn tỉnh");
	c = col_with(rows, h, "Huyện Nga Sơn");
	r = row_with(rows, 1, label(pl1, "erx.total"));
	assert_true(num_at(rows, r, c) == 2345);
	r = row_with(rows, 1, "Số đơn vị đã báo cáo / phải báo cáo");
	assert_string_equal(text_at(rows, r, c), "2/3");
	assert_string_equal(text_at(rows, r, 3), "4/6");

	rows = rows_of(rb, "Theo loại đơn vị");
	h = row_with(rows, 3, "Toàn tỉnh");
	(void)col_with(rows, h, "Bệnh viện");
	c = col_with(rows, h, "Trung tâm Y tế huyện");
	r = row_with(rows, 1, label(pl1, "erx.total"));
	assert_true(num_at(rows, r, c) == 2345);

	rows = rows_of(rb, "Phụ lục trạm");
	r = row_with(rows, 1, label(pl1, "cccd.visits"));
	assert_true(num_at(rows, r, 3) == 3000);
	assert_false(has_text(rows, label(pl1, "erx.total")));

	rows = rows_of(rb, "Chi tiết đơn vị");
	c = col_with(rows, 4, "erx.total");
	r = row_with(rows, 0, "TTYT-NS");
	assert_true(num_at(rows, r, c) == 2000);
	assert_string_equal(text_at(rows, r, 4), "Đã nộp");
	assert_string_equal(text_at(rows, r, 6), "Có");
	/* 01:30 UTC is 08:30 in Thanh Hóa. */
	assert_string_equal(text_at(rows, r, 5), "2023-07-16T08:30:00");
	r = row_with(rows, 0, "BV-DKT");
	assert_string_equal(text_at(rows, r, 4), "Đã duyệt");
	assert_string_equal(text_at(rows, r, 6), "Không");

	rows = rows_of(rb, "Chưa nộp, nộp muộn");
	r = row_with(rows, 1, "TTYT-NC");
	assert_string_equal(text_at(rows, r, 5), "Nguyễn Thị Lan");
	assert_string_equal(text_at(rows, r, 7), "0912 345 678");
	assert_string_equal(text_at(rows, r, 8), "lan.nt@ngason.example.vn");
	(void)row_with(rows, 1, "PK-TH");
	r = row_with(rows, 0, "2. Đơn vị nộp muộn: 1 đơn vị");
	assert_string_equal(text_at(rows, r + 2, 1), "TTYT-NS");
	assert_string_equal(text_at(rows, r + 2, 4), "2023-07-16T08:30:00");
}

static void
check_pl1_charts(json_t *rb)
{
	json_t		*rows;
	size_t		h, c;

	rows = rows_of(rb, "Biểu đồ");
	h = row_with(rows, 0, "Kỳ báo cáo");
	c = col_with(rows, h, label(pl1, "cccd.used_pct"));
	(void)col_with(rows, h, label(pl1, "pay.cashless_pct"));
	(void)col_with(rows, h, label(pl1, "erx.linked_pct"));
	assert_string_equal(text_at(rows, h + 1, 0), "Tháng 5/2023");
	assert_string_equal(text_at(rows, h + 3, 0), "Tháng 7/2023");
	assert_true(num_at(rows, h + 1, c) == 20.0);
	/* No month has death counts: no column for that rate. */
	assert_false(has_text(rows, label(pl1, "death.synced_pct")));
	assert_true(has_entry(rb, "xl/charts/chart1.xml"));
	assert_true(has_entry(rb, "xl/charts/chart2.xml"));

	rows = json_object_get(rb, "fonts");
	assert_int_equal(json_array_size(rows), 1);
	assert_string_equal(json_string_value(json_array_get(rows, 0)),
	    "Times New Roman");
}

static void
test_xlsx_pl1_month(void **state)
{
	static const char *const	sheets[] = { "Tổng hợp", "Theo địa bàn",
					    "Theo loại đơn vị", "Phụ lục trạm",
					    "Chi tiết đơn vị",
					    "Chưa nộp, nộp muộn", "Biểu đồ" };
	char				path[128];
	json_t				*c, *rb;

	(void)state;
	c = parse(pl1_cons);
	derive_all(pl1, c);
	path_of(path, sizeof(path), "pl1.xlsx");
	write_ok(path, pl1, c);
	json_decref(c);

	if ((rb = readback(path)) != NULL) {
		assert_sheets(rb, sheets, 7);
		check_pl1_summary(rb);
		check_pl1_others(rb);
		check_pl1_charts(rb);
		json_decref(rb);
	}
	libreoffice_opens(path);
	assert_int_equal(unlink(path), 0);
	if (rb == NULL)
		skip();
}

/* Six months of PL1: the sheet comparing with the months. */
static void
test_xlsx_pl1_half_year(void **state)
{
	char		path[128];
	json_t		*c, *rb, *rows;
	size_t		r;

	(void)state;
	c = parse(pl1_cons);
	derive_all(pl1, c);
	json_object_set_new(c, "period", json_string("2023-H1"));
	json_object_set_new(c, "monthly", parse(h1_monthly));
	json_object_set_new(c, "only", json_string("accepted"));
	path_of(path, sizeof(path), "h1.xlsx");
	write_ok(path, pl1, c);
	json_decref(c);

	if ((rb = readback(path)) != NULL) {
		assert_true(has_text(rows_of(rb, "Tổng hợp"), "Số liệu tổng "
		    "hợp từ các báo cáo đã được duyệt"));
		rows = rows_of(rb, "Đối chiếu tháng");
		assert_true(has_text(rows, "2023-01, 2023-02"));
		r = row_with(rows, 1, label(pl1, "erx.total"));
		assert_true(num_at(rows, r, 3) == 12345);
		assert_true(num_at(rows, r, 4) == 12000);
		assert_true(num_at(rows, r, 5) == 345);
		r = row_with(rows, 1, label(pl1, "pay.total"));
		assert_true(num_at(rows, r, 5) == 0);
		assert_false(has_text(rows, label(pl1, "stay.declared")));
		json_decref(rb);
	}
	assert_int_equal(unlink(path), 0);
	if (rb == NULL)
		skip();
}

static void
check_pl2(json_t *rb)
{
	json_t		*rows;
	size_t		r, h;

	rows = rows_of(rb, "Tổng hợp");
	(void)row_with(rows, 0, "III");
	(void)row_with(rows, 0, "3.1");
	/* Parts made only of lists or texts are not in the table. */
	assert_false(has_text(rows, "Công tác tuyên truyền"));
	assert_false(has_text(rows, "Đánh giá chung"));
	assert_false(has_text(rows, label(pl2, "eval.advantages")));
	r = row_with(rows, 1, label(pl2, "infra.pc_total"));
	assert_true(num_at(rows, r, 3) == 150);
	r = row_with(rows, 1, label(pl2, "fund.digital"));
	assert_true(num_at(rows, r, 3) == 1500000000.0);
	/*
	 * A sum of levels means nothing: the item's cell is empty and the
	 * rows under it count the units at each level.
	 */
	r = row_with(rows, 1, label(pl2, "emr.level"));
	assert_true(json_is_null(json_array_get(json_array_get(rows, r), 3)));
	assert_string_equal(text_at(rows, r + 1, 1), "Mức 1");
	assert_true(num_at(rows, r + 1, 3) == 0);
	assert_string_equal(text_at(rows, r + 4, 1), "Mức 4");
	assert_string_equal(text_at(rows, r + 4, 2), "Đơn vị");
	assert_true(num_at(rows, r + 4, 3) == 1);
	assert_true(num_at(rows, r + 5, 3) == 2);
	assert_string_equal(text_at(rows, r + 7, 1), "Mức 7");
	assert_true(num_at(rows, r + 7, 3) == 0);
	rows = rows_of(rb, "Theo địa bàn");
	h = row_with(rows, 3, "Toàn tỉnh");
	/* Vietnamese order: Đ comes before T (and after D). */
	assert_string_equal(text_at(rows, h, 4), "Huyện Đông Sơn");
	assert_string_equal(text_at(rows, h, 5), "Thành phố Thanh Hóa");
	r = row_with(rows, 1, "Mức 5");
	assert_true(num_at(rows, r, 3) == 2);
	assert_true(num_at(rows, r, 4) == 1);
	assert_true(num_at(rows, r, 5) == 1);
	r = row_with(rows, 1, "Mức 4");
	assert_true(num_at(rows, r, 4) == 0);
	assert_true(num_at(rows, r, 5) == 1);
	rows = rows_of(rb, "Chi tiết đơn vị");
	r = row_with(rows, 0, "BV-DKT");
	assert_true(num_at(rows, r, col_with(rows, 4, "emr.level")) == 4);

	rows = rows_of(rb, "Văn bản, tuyên truyền");
	r = row_with(rows, 2, "372/QĐ-SYT");
	assert_string_equal(text_at(rows, r, 1), "Bệnh viện Đa khoa tỉnh");
	assert_string_equal(text_at(rows, r, 3), "2023-03-15T00:00:00");
	r = row_with(rows, 2, "Băng rôn");
	assert_true(num_at(rows, r, 3) == 12);
	/* An unknown choice is shown as it came, not dropped. */
	(void)row_with(rows, 2, "not-a-choice");
	assert_true(has_text(rows, "Không có"));

	rows = rows_of(rb, "Đánh giá, kiến nghị");
	r = row_with(rows, 3, "Được sự quan tâm chỉ đạo của Sở Y tế.");
	assert_string_equal(text_at(rows, r, 2), label(pl2, "eval.advantages"));
	assert_string_equal(text_at(rows, r, 1), "Bệnh viện Đa khoa tỉnh");
	(void)row_with(rows, 2, label(pl2, "plan"));
}

static void
test_xlsx_pl2(void **state)
{
	static const char *const	sheets[] = { "Tổng hợp", "Theo địa bàn",
					    "Theo loại đơn vị",
					    "Chi tiết đơn vị",
					    "Chưa nộp, nộp muộn",
					    "Văn bản, tuyên truyền",
					    "Đánh giá, kiến nghị" };
	char				path[128];
	json_t				*c, *rb;

	(void)state;
	c = parse(pl2_cons);
	cons_complete(pl2, c);
	path_of(path, sizeof(path), "pl2.xlsx");
	write_ok(path, pl2, c);
	json_decref(c);

	if ((rb = readback(path)) != NULL) {
		assert_sheets(rb, sheets, 7);
		check_pl2(rb);
		assert_false(has_entry(rb, "xl/charts/chart1.xml"));
		json_decref(rb);
	}
	libreoffice_opens(path);
	assert_int_equal(unlink(path), 0);
	if (rb == NULL)
		skip();
}

/* Nothing at all, or everything of the wrong type: still a workbook. */
/*
 * Items a month's outline version lacks: the trend cell and the monthly
 * comparison say "không có trong đề cương kỳ này", never a 0.
 */
static void
test_xlsx_absent_items_say_so(void **state)
{
	struct form	*v2;
	char		path[128];
	json_t		*c, *rb, *rows;
	size_t		r, k;

	(void)state;
	v2 = form_load("forms/examples/PL1-2026-vneid.json", NULL, 0);
	assert_non_null(v2);
	c = parse("{\"period\": \"2026-H1\", \"form\": \"PL1\","
	    " \"values\": {\"vneid.hb_updated\": 900,"
	    "  \"vneid.hb_paperless\": 300},"
	    " \"trend\": ["
	    "  {\"period\": \"2025-12\", \"name\": \"Tháng 12/2025\","
	    "   \"absent\": [\"vneid.hb_updated\", \"vneid.hb_paperless\","
	    "    \"vneid.hb_paperless_pct\", \"vneid.hb_staff_trained\"],"
	    "   \"values\": {\"erx.linked_pct\": 50.0}},"
	    "  {\"period\": \"2026-01\", \"name\": \"Tháng 1/2026\","
	    "   \"absent\": [],"
	    "   \"values\": {\"erx.linked_pct\": 40.0,"
	    "    \"vneid.hb_paperless_pct\": 33.3}}],"
	    " \"monthly\": {\"from\": [\"2025-12\", \"2026-01\"],"
	    "  \"absent\": [\"vneid.hb_updated\"],"
	    "  \"differences\": {\"vneid.hb_updated\": {\"reported\": 900,"
	    "   \"monthly\": null, \"difference\": null, \"absent\": true}}}}");
	path_of(path, sizeof(path), "absent.xlsx");
	write_ok(path, v2, c);
	json_decref(c);

	if ((rb = readback(path)) != NULL) {
		rows = rows_of(rb, "Biểu đồ");
		r = row_with(rows, 0, "Kỳ báo cáo");
		k = col_with(rows, r, label(v2, "vneid.hb_paperless_pct"));
		r = row_with(rows, 0, "Tháng 12/2025");
		assert_string_equal(text_at(rows, r, k),
		    "không có trong đề cương kỳ này");
		r = row_with(rows, 0, "Tháng 1/2026");
		assert_true(num_at(rows, r, k) == 33.3);
		rows = rows_of(rb, "Đối chiếu tháng");
		r = row_with(rows, 1, label(v2, "vneid.hb_updated"));
		assert_true(num_at(rows, r, 3) == 900);
		assert_string_equal(text_at(rows, r, 4),
		    "không có trong đề cương kỳ này");
		json_decref(rb);
	}
	assert_int_equal(unlink(path), 0);
	form_free(v2);
	if (rb == NULL)
		skip();
}

static void
test_xlsx_empty_and_malformed(void **state)
{
	static const char	*bad =
	    "{\"values\": [1, 2], \"by_district\": {\"X\": 5,"
	    " \"Y\": {\"name\": 3,"
	    " \"values\": \"x\", \"units_expected\": \"a\"}},"
	    " \"by_kind\": [],"
	    " \"stations\": {\"values\": {\"cccd.visits\": \"a\"},"
	    " \"by_district\": 7}, \"units\": {\"a\": 1},"
	    " \"missing\": [null, {\"contact\": 5, \"name\": 4},"
	    " {\"name\": \"Trạm\\u0001 \\u001f<&>\\\"'\", \"contact\": {}}],"
	    " \"late\": [{\"submitted_at\": \"2023-13-45T99:00:00\"}, 1],"
	    " \"lists\": 3, \"texts\": [], \"monthly\": {\"differences\": []},"
	    " \"trend\": [1, \"x\", {\"values\": 3}, {\"name\": 4, \"values\":"
	    " {\"erx.linked_pct\": 50}}], \"generated_at\": \"yesterday\","
	    " \"period_info\": {\"start\": \"2023-02-30\"},"
	    " \"units_expected\": -3}";
	char			path[128], name[1200];
	json_t			*c, *rb, *rows;
	size_t			i;

	(void)state;
	path_of(path, sizeof(path), "empty.xlsx");
	c = json_object();
	write_ok(path, pl1, c);
	json_decref(c);
	write_ok(path, pl1, NULL);
	if ((rb = readback(path)) != NULL) {
		rows = rows_of(rb, "Tổng hợp");
		assert_string_equal(text_at(rows, 0, 0), "UBND TỈNH THANH HÓA");
		assert_true(has_text(rows, label(pl1, "erx.total")));
		assert_true(has_text(rows_of(rb, "Biểu đồ"),
		    "Chưa có số liệu"));
		assert_false(has_entry(rb, "xl/charts/chart1.xml"));
		json_decref(rb);
	}

	c = parse(bad);
	/* Longer than any buffer: must not be cut inside a character. */
	for (i = 0; i + 3 < sizeof(name); i += 3)
		memcpy(name + i, "ệ", 3);
	name[i] = '\0';
	json_object_set_new(json_object_get(c, "period_info"), "name",
	    json_string(name));
	write_ok(path, pl1, c);
	if ((rb = readback(path)) != NULL) {
		assert_true(has_text(rows_of(rb, "Chưa nộp, nộp muộn"),
		    "<&>"));
		json_decref(rb);
	}
	libreoffice_opens(path);
	write_ok(path, pl2, c);
	json_decref(c);
	c = json_array();
	write_ok(path, pl2, c);
	json_decref(c);
	if ((rb = readback(path)) != NULL)
		json_decref(rb);
	assert_int_equal(unlink(path), 0);
}

static void
test_xlsx_bad_path(void **state)
{
	char		err[256];

	(void)state;
	err[0] = '\0';
	assert_int_equal(xlsx_report_write("/nonexistent/dir/x.xlsx", scratch,
	    pl1, NULL, err, sizeof(err)), -1);
	assert_true(strlen(err) > 0);
	assert_int_equal(xlsx_report_write("/tmp/x.xlsx", scratch, NULL, NULL,
	    err, sizeof(err)), -1);
}

static char *
csv_of(const struct form *f, json_t *c, int sep)
{
	char		*buf;
	size_t		len;
	FILE		*fp;

	buf = NULL;
	assert_non_null(fp = open_memstream(&buf, &len));
	assert_int_equal(xlsx_report_csv(fp, f, c, sep), 0);
	(void)fclose(fp);

	return (buf);
}

static void
test_csv_pl1(void **state)
{
	char		*s;
	json_t		*c;

	(void)state;
	c = parse(pl1_cons);
	derive_all(pl1, c);
	s = csv_of(pl1, c, ',');
	json_decref(c);

	assert_memory_equal(s, "\xEF\xBB\xBF", 3);
	assert_non_null(strstr(s, "\xEF\xBB\xBFSTT,Mã mục,Nhiệm vụ/nội dung,"
	    "Đơn vị tính,Giá trị toàn tỉnh,Huyện Nga Sơn,Thành phố Thanh Hóa,"
	    "Thị xã Bỉm Sơn\r\n"));
	assert_non_null(strstr(s, "\r\n,erx.total,Số đơn thuốc được kê trong "
	    "kỳ,Đơn,12345,2345,9000,1000\r\n"));
	assert_non_null(strstr(s, "\r\n,erx.linked_pct,Tỷ lệ đơn thuốc được "
	    "liên thông,%,89.1,85.3,88.9,\r\n"));
	/* Section 8's title has commas: quoted, empty cells after it. */
	assert_non_null(strstr(s, "\r\n8,,\"Thực hiện khai báo lưu trú trên "
	    "VNeID để phục vụ công tác phòng ngừa tội phạm, quản lý cư trú, "));
	assert_non_null(strstr(s, "số hóa dữ liệu bệnh nhân\",,,,,\r\n"));
	free(s);
}

static void
test_csv_quoting_and_empty(void **state)
{
	static const char	*def = "{\"form\": \"T1\", \"title\": \"Thử\","
	    " \"sections\": [{\"id\": \"1\", \"title\": \"Mục một\","
	    " \"who\": \"\","
	    " \"applies\": \"all\", \"items\": [{\"code\": \"a.b\", \"label\":"
	    " \"Số \\\"đặc biệt\\\", có dấu phẩy\", \"unit\": \"Lượt\","
	    " \"kind\": \"count\"}]}]}";
	struct form		*f;
	char			*s, err[FORM_ERR_MAX];
	json_t			*d, *c;

	(void)state;
	d = parse(def);
	if ((f = form_load_json(d, err, sizeof(err))) == NULL)
		fail_msg("%s", err);
	json_decref(d);
	c = parse("{\"values\": {\"a.b\": 7}, \"by_district\": {\"D\":"
	    " {\"name\": \"Huyện \\\"A\\\", B\", \"values\": {\"a.b\": 7}}}}");
	s = csv_of(f, c, ',');
	json_decref(c);
	assert_string_equal(s, "\xEF\xBB\xBFSTT,Mã mục,Nhiệm vụ/nội dung,"
	    "Đơn vị tính,Giá trị toàn tỉnh,\"Huyện \"\"A\"\", B\"\r\n"
	    "1,,Mục một,,,\r\n"
	    ",a.b,\"Số \"\"đặc biệt\"\", có dấu phẩy\",Lượt,7,7\r\n");
	free(s);

	s = csv_of(f, NULL, ',');
	assert_string_equal(s, "\xEF\xBB\xBFSTT,Mã mục,Nhiệm vụ/nội dung,"
	    "Đơn vị tính,Giá trị toàn tỉnh\r\n1,,Mục một,,\r\n"
	    ",a.b,\"Số \"\"đặc biệt\"\", có dấu phẩy\",Lượt,\r\n");
	free(s);
	form_free(f);
}

/*
 * Excel under Vietnamese settings splits at ';' and reads a decimal
 * comma: the default file opens in columns, its rates as numbers.
 */
static void
test_csv_semicolons_for_vietnamese_excel(void **state)
{
	char		*s;
	json_t		*c;
	FILE		*fp;
	size_t		len;

	(void)state;
	c = parse(pl1_cons);
	derive_all(pl1, c);
	s = csv_of(pl1, c, ';');
	assert_memory_equal(s, "\xEF\xBB\xBF", 3);
	assert_non_null(strstr(s, "\xEF\xBB\xBFSTT;Mã mục;Nhiệm vụ/nội dung;"
	    "Đơn vị tính;Giá trị toàn tỉnh;Huyện Nga Sơn;Thành phố Thanh Hóa;"
	    "Thị xã Bỉm Sơn\r\n"));
	assert_non_null(strstr(s, "\r\n;erx.linked_pct;Tỷ lệ đơn thuốc được "
	    "liên thông;%;89,1;85,3;88,9;\r\n"));
	/* Commas in a title need no quotes now; a ';' would. */
	assert_non_null(strstr(s, "\r\n8;;Thực hiện khai báo lưu trú trên "
	    "VNeID để phục vụ công tác phòng ngừa tội phạm, quản lý cư trú, "));
	assert_null(strstr(s, "89.1"));
	free(s);

	s = NULL;
	assert_non_null(fp = open_memstream(&s, &len));
	assert_int_equal(xlsx_report_csv(fp, pl1, c, '\t'), -1);
	(void)fclose(fp);
	free(s);
	json_decref(c);
}

/* Districts in Vietnamese order: "Đ" after "D", "Hà" before "Hoằng". */
static void
test_csv_districts_in_vietnamese_order(void **state)
{
	char		*s;
	json_t		*c;

	(void)state;
	c = parse("{\"values\": {\"erx.total\": 5}, \"by_district\": {"
	    "\"HOANGHOA\": {\"name\": \"Huyện Hoằng Hóa\", \"values\": {}},"
	    "\"YENDINH\": {\"name\": \"Huyện Yên Định\", \"values\": {}},"
	    "\"DONGSON\": {\"name\": \"Huyện Đông Sơn\", \"values\": {}},"
	    "\"HATRUNG\": {\"name\": \"Huyện Hà Trung\", \"values\": {}},"
	    "\"HAULOC\": {\"name\": \"Huyện Hậu Lộc\", \"values\": {}},"
	    "\"DUONG\": {\"name\": \"Huyện Dương\", \"values\": {}},"
	    "\"CAMTHUY\": {\"name\": \"Huyện Cẩm Thủy\", \"values\": {}}}}");
	s = csv_of(pl1, c, ';');
	json_decref(c);
	assert_non_null(strstr(s, "Giá trị toàn tỉnh;Huyện Cẩm Thủy;"
	    "Huyện Dương;Huyện Đông Sơn;Huyện Hà Trung;Huyện Hậu Lộc;"
	    "Huyện Hoằng Hóa;Huyện Yên Định\r\n"));
	free(s);
	assert_true(collate_vi("Hà Trung", "Hoằng Hóa") < 0);
	assert_true(collate_vi("Dương", "Đông Sơn") < 0);
	assert_true(collate_vi("Đông Sơn", "Em") < 0);
	assert_true(collate_vi("a", "a") == 0);
	assert_true(collate_vi("A", "a") != 0);
}

/* The units at each level, one row per level, as in the workbook. */
static void
test_csv_levels_count_units(void **state)
{
	char		*s;
	json_t		*c;

	(void)state;
	c = parse(pl2_cons);
	cons_complete(pl2, c);
	s = csv_of(pl2, c, ';');
	json_decref(c);
	/* Toàn tỉnh, Huyện Đông Sơn, Thành phố Thanh Hóa. */
	assert_non_null(strstr(s, "\r\n;emr.level;"));
	assert_non_null(strstr(s, ";Mức 1/2/3/4/5/6/7;;;\r\n"));
	assert_non_null(strstr(s, "\r\n;emr.level=1;Mức 1;Đơn vị;0;0;0\r\n"));
	assert_non_null(strstr(s, "\r\n;emr.level=4;Mức 4;Đơn vị;1;0;1\r\n"));
	assert_non_null(strstr(s, "\r\n;emr.level=5;Mức 5;Đơn vị;2;1;1\r\n"));
	assert_non_null(strstr(s, "\r\n;emr.level=7;Mức 7;Đơn vị;0;0;0\r\n"));
	/* Not the sum the statement may have made (13). */
	assert_null(strstr(s, ";13"));
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_xlsx_pl1_month),
		cmocka_unit_test(test_xlsx_pl1_half_year),
		cmocka_unit_test(test_xlsx_pl2),
		cmocka_unit_test(test_xlsx_absent_items_say_so),
		cmocka_unit_test(test_xlsx_empty_and_malformed),
		cmocka_unit_test(test_xlsx_bad_path),
		cmocka_unit_test(test_csv_pl1),
		cmocka_unit_test(test_csv_quoting_and_empty),
		cmocka_unit_test(test_csv_semicolons_for_vietnamese_excel),
		cmocka_unit_test(test_csv_districts_in_vietnamese_order),
		cmocka_unit_test(test_csv_levels_count_units),
	};

	return (cmocka_run_group_tests(tests, setup, teardown));
}
