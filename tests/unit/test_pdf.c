/*
 * The documents to sign: the layout with a measuring function of fixed
 * advance (pages, breaks, repeated headers, page numbers, margins), then
 * the unit's report and the consolidated report drawn by cairo and pango
 * and read back with poppler-utils (pdftotext, pdfinfo) when installed.
 * Run from the repository's root.
 */
#include <sys/types.h>
#include <sys/stat.h>

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "cons.h"
#include "form.h"
#include "pdf_check.h"
#include "pdf_layout.h"
#include "pdf_nd30.h"
#include "pdf_render.h"

static struct form	*pl1, *pl2;
static char		 dir[64];

/* Every character is half its size wide; lines break at spaces. */
static int
fake_measure(void *arg, const char *text, const struct pdf_style *st,
    double width, struct pdf_line **lines, size_t *n)
{
	struct pdf_line	*out;
	size_t		len, i, start, cap, cnt, lastsp, chars;
	double		adv;

	(void)arg;
	adv = st->size / 2;
	len = strlen(text);
	cap = len + 2;
	if ((out = calloc(cap, sizeof(*out))) == NULL)
		return (-1);
	cnt = 0;
	start = 0;
	lastsp = (size_t)-1;
	chars = 0;
	for (i = 0; i <= len; i++) {
		if (i == len || text[i] == '\n') {
			out[cnt].off = start;
			out[cnt].len = i - start;
			out[cnt++].width = (double)chars * adv;
			start = i + 1;
			chars = 0;
			lastsp = (size_t)-1;
			if (i == len)
				break;
			continue;
		}
		if (((unsigned char)text[i] & 0xC0) == 0x80)
			continue;
		if (text[i] == ' ')
			lastsp = i;
		chars++;
		if ((double)chars * adv > width && lastsp != (size_t)-1 &&
		    lastsp > start) {
			out[cnt].off = start;
			out[cnt].len = lastsp - start;
			out[cnt].width = (double)(lastsp - start) * adv;
			cnt++;
			start = lastsp + 1;
			chars = i - lastsp;
			lastsp = (size_t)-1;
		}
	}
	if (start > len && cnt == 0) {
		out[0].off = 0;
		cnt = 1;
	}
	*lines = out;
	*n = cnt;

	return (0);
}

static int
setup(void **state)
{
	char	err[FORM_ERR_MAX];

	(void)state;
	if ((pl1 = form_load("forms/PL1.json", err, sizeof(err))) == NULL ||
	    (pl2 = form_load("forms/PL2.json", err, sizeof(err))) == NULL) {
		fprintf(stderr, "%s\n", err);
		return (-1);
	}
	(void)snprintf(dir, sizeof(dir), "/tmp/test_pdf.XXXXXX");
	if (mkdtemp(dir) == NULL)
		return (-1);
	if (pdf_fonts_init(NULL, err, sizeof(err)) == -1) {
		fprintf(stderr, "%s\n", err);
		return (-1);
	}

	return (0);
}

static int
teardown(void **state)
{
	char	cmd[128];

	(void)state;
	form_free(pl1);
	form_free(pl2);
	if (getenv("KEEP_PDF") == NULL) {
		(void)snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		(void)system(cmd);
	} else
		fprintf(stderr, "PDFs kept in %s\n", dir);

	return (0);
}

/* How many text boxes of a page hold exactly text. */
static size_t
boxes_with(const struct pdf_page *p, const char *text)
{
	size_t	i, n;

	for (i = 0, n = 0; i < p->nboxes; i++)
		if (p->boxes[i].kind == PDF_BOX_TEXT && p->boxes[i].text &&
		    !strcmp(p->boxes[i].text, text))
			n++;

	return (n);
}

/* A table of n rows under a header row. */
static struct pdf_doc *
long_table(size_t n)
{
	static const double	w[] = { 1, 4, 1 };
	const char		*head[] = { "STT", "Nội dung", "Số" };
	const char		*cells[3];
	struct pdf_doc		*d;
	struct pdf_block	*b;
	char			stt[32], num[32];
	size_t			i;

	d = pdf_doc_new("test");
	(void)pdf_para_new(d, "Tiêu đề", 14, PDF_BOLD, PDF_CENTER);
	b = pdf_table_new(d, w, 3, 1, 1);
	(void)pdf_row_texts(d, b, head, 3, 12, PDF_BOLD, NULL);
	for (i = 0; i < n; i++) {
		(void)snprintf(stt, sizeof(stt), "%zu", i + 1);
		(void)snprintf(num, sizeof(num), "v%zu", i + 1);
		cells[0] = stt;
		cells[1] = "Một dòng nội dung";
		cells[2] = num;
		(void)pdf_row_texts(d, b, cells, 3, 12, 0, NULL);
	}

	return (d);
}

static void
test_layout_long_table_breaks_and_repeats_its_header(void **state)
{
	struct pdf_doc		*d;
	struct pdf_pages	*ps;
	size_t			i, j, seen;
	char			v[32];

	(void)state;
	d = long_table(200);
	assert_false(d->failed);
	ps = pdf_layout(d, fake_measure, NULL);
	assert_non_null(ps);
	assert_true(ps->n > 2);
	for (i = 0; i < ps->n; i++) {
		/* The header row on every page the table is on. */
		assert_int_equal(boxes_with(&ps->pages[i], "STT"), 1);
		assert_true(ps->pages[i].w > 595 && ps->pages[i].w < 596);
	}
	/* Every row once, in order, none lost at a break. */
	for (j = 1, seen = 0; j <= 200; j++) {
		(void)snprintf(v, sizeof(v), "v%zu", j);
		for (i = 0; i < ps->n; i++)
			seen += boxes_with(&ps->pages[i], v);
	}
	assert_int_equal(seen, 200);
	pdf_pages_free(ps);
	pdf_doc_free(d);
}

static void
test_layout_numbers_pages_from_the_second_at_the_top(void **state)
{
	struct pdf_doc		*d;
	struct pdf_pages	*ps;
	size_t			i;
	char			num[32];

	(void)state;
	d = long_table(200);
	ps = pdf_layout(d, fake_measure, NULL);
	assert_non_null(ps);
	assert_int_equal(boxes_with(&ps->pages[0], "1"), 1);	/* a row, not a number */
	for (i = 1; i < ps->n; i++) {
		size_t	k, found = 0;

		(void)snprintf(num, sizeof(num), "%zu", i + 1);
		for (k = 0; k < ps->pages[i].nboxes; k++) {
			const struct pdf_box	*b = &ps->pages[i].boxes[k];

			if (b->kind != PDF_BOX_TEXT || strcmp(b->text, num))
				continue;
			if (b->y + b->h <= d->mt) {
				found++;
				/* Centred between the margins. */
				assert_true(b->x + b->w / 2 > d->ml +
				    (ps->pages[i].w - d->ml - d->mr) / 2 - 1);
				assert_true(b->x + b->w / 2 < d->ml +
				    (ps->pages[i].w - d->ml - d->mr) / 2 + 1);
			}
		}
		assert_int_equal(found, 1);
	}
	pdf_pages_free(ps);
	pdf_doc_free(d);
}

static void
test_layout_keeps_inside_the_decree_margins(void **state)
{
	struct pdf_doc		*d;
	struct pdf_pages	*ps;
	const struct pdf_box	*b;
	size_t			i, k;

	(void)state;
	d = long_table(120);
	/* Nghị định 30: top, bottom 20-25 mm, left 30-35 mm, right 15-20. */
	assert_true(d->mt >= PDF_MM(20) && d->mt <= PDF_MM(25));
	assert_true(d->mb >= PDF_MM(20) && d->mb <= PDF_MM(25));
	assert_true(d->ml >= PDF_MM(30) && d->ml <= PDF_MM(35));
	assert_true(d->mr >= PDF_MM(15) && d->mr <= PDF_MM(20));
	ps = pdf_layout(d, fake_measure, NULL);
	assert_non_null(ps);
	for (i = 0; i < ps->n; i++)
		for (k = 0; k < ps->pages[i].nboxes; k++) {
			b = &ps->pages[i].boxes[k];
			if (b->kind == PDF_BOX_WATERMARK || b->y < d->mt)
				continue;	/* the page number */
			assert_true(b->x >= d->ml - 0.01);
			assert_true(b->x + b->w <= ps->pages[i].w - d->mr + 0.01);
			assert_true(b->y + b->h <= ps->pages[i].h - d->mb +
			    0.01);
		}
	pdf_pages_free(ps);
	pdf_doc_free(d);
}

static void
test_layout_cuts_a_cell_taller_than_a_page_between_lines(void **state)
{
	struct pdf_doc		*d;
	struct pdf_block	*b;
	struct pdf_row		*r;
	struct pdf_pages	*ps;
	char			*text, *p;
	size_t			i, total;

	(void)state;
	/* 300 short paragraphs in one cell: several pages. */
	text = calloc(300, 16);
	for (i = 0, p = text; i < 300; i++)
		p += sprintf(p, "%sdòng%zu", i ? "\n" : "", i);
	d = pdf_doc_new("tall");
	b = pdf_table_new(d, (const double []){ 1, 5 }, 2, 1, 1);
	(void)pdf_row_texts(d, b, (const char *[]){ "STT", "Ý kiến" }, 2, 12,
	    PDF_BOLD, NULL);
	r = pdf_row_new(d, b);
	(void)pdf_cell_para(d, pdf_cell_new(d, r, 1), "1", 12, 0, PDF_LEFT);
	(void)pdf_cell_para(d, pdf_cell_new(d, r, 1), text, 12, 0, PDF_LEFT);
	ps = pdf_layout(d, fake_measure, NULL);
	assert_non_null(ps);
	assert_true(ps->n >= 3);
	for (i = 0, total = 0; i < ps->n; i++) {
		size_t	k;

		assert_int_equal(boxes_with(&ps->pages[i], "Ý kiến"), 1);
		for (k = 0; k < ps->pages[i].nboxes; k++)
			if (ps->pages[i].boxes[k].kind == PDF_BOX_TEXT &&
			    !strncmp(ps->pages[i].boxes[k].text, "dòng", 5))
				total++;
	}
	assert_int_equal(total, 300);
	pdf_pages_free(ps);
	pdf_doc_free(d);
	free(text);
}

static void
test_layout_moves_a_kept_block_to_the_next_page(void **state)
{
	struct pdf_doc		*d;
	struct pdf_block	*b;
	struct pdf_pages	*ps;
	size_t			i;

	(void)state;
	d = long_table(40);	/* most of a page */
	b = pdf_table_new(d, NULL, 1, 0, 0);
	b->keep = 1;
	for (i = 0; i < 12; i++)
		(void)pdf_row_texts(d, b, (const char *[]){ i == 0 ?
		    "KÝ TÊN" : "dòng" }, 1, 13, 0, NULL);
	ps = pdf_layout(d, fake_measure, NULL);
	assert_non_null(ps);
	assert_int_equal(ps->n, 2);
	assert_int_equal(boxes_with(&ps->pages[0], "KÝ TÊN"), 0);
	assert_int_equal(boxes_with(&ps->pages[1], "KÝ TÊN"), 1);
	assert_int_equal(boxes_with(&ps->pages[1], "dòng"), 11);
	pdf_pages_free(ps);
	pdf_doc_free(d);
}

static void
test_layout_turns_pages_for_a_landscape_block(void **state)
{
	struct pdf_doc		*d;
	struct pdf_block	*b;
	struct pdf_pages	*ps;

	(void)state;
	d = pdf_doc_new("orient");
	(void)pdf_para_new(d, "dọc", 13, 0, PDF_LEFT);
	b = pdf_para_new(d, "ngang", 13, 0, PDF_LEFT);
	b->orient = PDF_LANDSCAPE;
	b = pdf_para_new(d, "dọc lại", 13, 0, PDF_LEFT);
	b->orient = PDF_PORTRAIT;
	ps = pdf_layout(d, fake_measure, NULL);
	assert_non_null(ps);
	assert_int_equal(ps->n, 3);
	assert_true(ps->pages[0].w < ps->pages[0].h);
	assert_true(ps->pages[1].w > ps->pages[1].h);
	assert_true(ps->pages[2].w < ps->pages[2].h);
	pdf_pages_free(ps);
	pdf_doc_free(d);
}

static void
test_format_vietnamese_numbers(void **state)
{
	char	b[64];

	(void)state;
	pdf_fmt_int(0, b, sizeof(b));
	assert_string_equal(b, "0");
	pdf_fmt_int(999, b, sizeof(b));
	assert_string_equal(b, "999");
	pdf_fmt_int(1234567, b, sizeof(b));
	assert_string_equal(b, "1.234.567");
	pdf_fmt_int(9007199254740991LL, b, sizeof(b));
	assert_string_equal(b, "9.007.199.254.740.991");
	pdf_fmt_rate(95.1, b, sizeof(b));
	assert_string_equal(b, "95,1");
	nd30_dateline("2024-01-05", b, sizeof(b));
	assert_string_equal(b, "Thanh Hóa, ngày 05 tháng 01 năm 2024");
	nd30_dateline("2023-07-15", b, sizeof(b));
	assert_string_equal(b, "Thanh Hóa, ngày 15 tháng 7 năm 2023");
	nd30_upper("Trung tâm Y tế huyện Nga Sơn", b, sizeof(b));
	assert_string_equal(b, "TRUNG TÂM Y TẾ HUYỆN NGA SƠN");
	assert_string_equal(pdf_roman(4), "IV");
}

/* The PDF's text (pdftotext -layout) or NULL when poppler is missing. */
static char *
pdf_text(const char *path, const char *args)
{
	char	cmd[512], *buf;
	FILE	*fp;
	size_t	n, cap;

	if (system("command -v pdftotext >/dev/null 2>&1") != 0)
		return (NULL);
	(void)snprintf(cmd, sizeof(cmd), "pdftotext %s '%s' -", args, path);
	if ((fp = popen(cmd, "r")) == NULL)
		return (NULL);
	cap = 1 << 20;
	buf = calloc(1, cap);
	n = fread(buf, 1, cap - 1, fp);
	buf[n] = '\0';
	assert_int_equal(pclose(fp), 0);

	return (buf);
}

static char *
pdf_page_text(const char *path, int page)
{
	char	args[64];

	(void)snprintf(args, sizeof(args), "-f %d -l %d", page, page);

	return (pdf_text(path, args));
}

static void
write_file(const char *path, const unsigned char *data, size_t len)
{
	FILE	*fp;

	assert_non_null(fp = fopen(path, "w"));
	assert_int_equal(fwrite(data, 1, len, fp), len);
	fclose(fp);
}

static const char *centre_report =
"{\"unit\": \"TTYT-NS\", \"period\": \"2023-07\", \"form\": \"PL1\","
" \"status\": \"submitted\", \"submitted_at\": \"2023-07-14T03:00:00+00:00\","
" \"unit_info\": {\"code\": \"TTYT-NS\", \"name\": \"Trung tâm Y tế huyện Nga"
" Sơn\", \"kind\": \"district_centre\", \"gksklx\": true, \"hospital\": true,"
"  \"cdc\": false, \"stations\": [{\"code\": \"TYT-NS-1\", \"name\":"
"  \"Trạm Y tế xã Nga Thạch\"}, {\"code\": \"TYT-NS-2\", \"name\":"
"  \"Trạm Y tế xã Nga Điền\"}]},"
" \"period_info\": {\"code\": \"2023-07\", \"name\": \"Tháng 7/2023\","
"  \"start\": \"2023-06-15\", \"end\": \"2023-07-14\", \"deadline\":"
"  \"2023-07-15\"},"
" \"values\": {\"bhyt.records_total\": 2000, \"bhyt.records_ontime\": 1902,"
"  \"erx.total\": 12345, \"erx.linked\": 11000, \"gksklx.issued\": 300,"
"  \"gksklx.linked\": 290, \"birth.total\": 150, \"birth.synced\": 140,"
"  \"death.total\": 20, \"death.synced\": 18, \"pay.total\": 50000,"
"  \"pay.transfer\": 5000, \"pay.pos\": 3000, \"pay.qr_static\": 2000,"
"  \"pay.qr_dynamic\": 4000, \"pay.ewallet\": 500, \"pay.other\": 500,"
"  \"cccd.visits\": 4100, \"cccd.used\": 1700,"
"  \"cccd.insurance_returned\": 1500, \"cccd.qr_readers\": 16,"
"  \"sign.issued\": 47, \"sign.needed\": 9, \"stay.declared\": 77},"
" \"stations\": {\"TTYT-NS\": {\"cccd.visits\": 3000, \"cccd.used\": 1200,"
"  \"cccd.insurance_returned\": 1100, \"cccd.qr_readers\": 10,"
"  \"sign.issued\": 40, \"sign.needed\": 5},"
"  \"TYT-NS-1\": {\"cccd.visits\": 600, \"cccd.used\": 300,"
"  \"cccd.insurance_returned\": 250, \"cccd.qr_readers\": 3,"
"  \"sign.issued\": 4, \"sign.needed\": 2},"
"  \"TYT-NS-2\": {\"cccd.visits\": 500, \"cccd.used\": 200,"
"  \"cccd.insurance_returned\": 150, \"cccd.qr_readers\": 3,"
"  \"sign.issued\": 3, \"sign.needed\": 2}},"
" \"lists\": {}, \"comments\": {}}";

static void
test_report_pdf_of_a_centre_reads_back(void **state)
{
	struct nd30_details	det = { .number = "27", .date = "2023-07-14",
				    .signer = "Lê Văn Thành" };
	struct pdf_doc		*d;
	unsigned char		*pdf;
	char			path[128], err[256], *text, *first, *last;
	size_t			len, pages;
	json_t			*rep;

	(void)state;
	rep = json_loads(centre_report, 0, NULL);
	assert_non_null(rep);
	d = nd30_report(pl1, rep, &det);
	assert_non_null(d);
	assert_int_equal(pdf_render(d, &pdf, &len, &pages, err, sizeof(err)),
	    0);
	assert_true(len > 1000);
	assert_memory_equal(pdf, "%PDF-", 5);
	(void)snprintf(path, sizeof(path), "%s/centre.pdf", dir);
	write_file(path, pdf, len);
	free(pdf);
	pdf_doc_free(d);
	json_decref(rep);

	if ((text = pdf_text(path, "-layout")) == NULL) {
		skip();
		return;
	}
	/* Labels with their diacritics, every figure, derived rates. */
	assert_non_null(strstr(text, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"));
	assert_non_null(strstr(text, "Độc lập - Tự do - Hạnh phúc"));
	assert_non_null(strstr(text, "TRUNG TÂM Y TẾ HUYỆN"));
	assert_non_null(strstr(text, "Số: 27/BC-TTYT-NS"));
	assert_non_null(strstr(text, "Thanh Hóa, ngày 14 tháng 7 năm 2023"));
	assert_non_null(strstr(text, "BÁO CÁO"));
	assert_non_null(strstr(text, "Kính gửi: Sở Y tế Thanh Hóa (qua Văn "
	    "phòng Sở)."));
	assert_non_null(strstr(text, "12.345"));
	assert_non_null(strstr(text, "11.000"));
	assert_non_null(strstr(text, "95,1"));	/* 1902 of 2000 on time */
	assert_non_null(strstr(text, "89,1"));	/* e-prescriptions linked */
	assert_non_null(strstr(text, "Trạm Y tế xã Nga Thạch"));
	assert_non_null(strstr(text, "Trạm Y tế xã Nga Điền"));
	assert_non_null(strstr(text, "PHỤ LỤC I"));
	assert_null(strstr(text, "BẢN NHÁP"));
	assert_null(strstr(text, "Tự tính"));
	/* The centre's own row comes before the stations. */
	assert_true(strstr(text, "(số liệu tại Trung tâm)") <
	    strstr(text, "Trạm Y tế xã Nga Thạch"));
	free(text);

	first = pdf_page_text(path, 1);
	assert_non_null(strstr(first, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"));
	free(first);
	last = pdf_page_text(path, (int)pages);
	assert_non_null(strstr(last, "THỦ TRƯỞNG ĐƠN VỊ"));
	assert_non_null(strstr(last, "(Ký tên, đóng dấu)"));
	assert_non_null(strstr(last, "Lê Văn Thành"));
	assert_non_null(strstr(last, "Nơi nhận:"));
	free(last);
}

static void
test_report_pdf_of_a_draft_is_marked(void **state)
{
	struct nd30_details	det = { .number = NULL };
	struct pdf_doc		*d;
	unsigned char		*pdf;
	char			path[128], err[256], *text;
	size_t			len, pages;
	json_t			*rep;

	(void)state;
	rep = json_loads(centre_report, 0, NULL);
	json_object_set_new(rep, "status", json_string("draft"));
	d = nd30_report(pl1, rep, &det);
	assert_int_equal(pdf_render(d, &pdf, &len, &pages, err, sizeof(err)),
	    0);
	(void)snprintf(path, sizeof(path), "%s/draft.pdf", dir);
	write_file(path, pdf, len);
	free(pdf);
	pdf_doc_free(d);
	json_decref(rep);
	if ((text = pdf_text(path, "")) == NULL) {
		skip();
		return;
	}
	assert_non_null(strstr(text, "BẢN NHÁP"));
	/* No number yet: a blank for the clerk, the date too. */
	assert_non_null(strstr(text, "/BC-TTYT-NS"));
	free(text);
}

static void
test_consolidated_pdf_splits_the_areas(void **state)
{
	struct nd30_details	det = { .number = "350", .date = "2023-07-20",
				    .signer = "Nguyễn Bá Cần" };
	struct pdf_doc		*d;
	unsigned char		*pdf;
	char			path[128], err[256], *text, key[32], name[64];
	size_t			len, pages, i;
	json_t			*cons, *areas;

	(void)state;
	cons = json_pack("{s:s, s:s, s:{s:s, s:s, s:s}, s:i, s:i, s:i,"
	    " s:{s:i, s:i, s:i}, s:{}, s:{}}",
	    "period", "2023-07", "form", "PL1", "period_info", "name",
	    "Tháng 7/2023", "start", "2023-06-15", "end", "2023-07-14",
	    "units_expected", 300, "units_reported", 280, "units_late", 3,
	    "values", "erx.total", 987654, "erx.linked", 876543,
	    "cccd.visits", 55555, "by_kind", "stations");
	areas = json_object_get(cons, "by_kind");
	(void)areas;
	areas = json_object();
	for (i = 0; i < 27; i++) {
		(void)snprintf(key, sizeof(key), "D%02zu", i);
		(void)snprintf(name, sizeof(name), "Huyện thử %02zu", i);
		json_object_set_new(areas, key, json_pack("{s:s, s:i, s:i, "
		    "s:{s:i, s:i}}", "name", name, "units_expected", 10,
		    "units_reported", 9, "values", "erx.total", 1000 + (int)i,
		    "erx.linked", 900 + (int)i));
	}
	json_object_set_new(cons, "by_district", areas);
	cons_complete(pl1, cons);
	d = nd30_consolidated(pl1, cons, &det);
	assert_int_equal(pdf_render(d, &pdf, &len, &pages, err, sizeof(err)),
	    0);
	(void)snprintf(path, sizeof(path), "%s/cons.pdf", dir);
	write_file(path, pdf, len);
	free(pdf);
	pdf_doc_free(d);
	json_decref(cons);
	if ((text = pdf_text(path, "-layout")) == NULL) {
		skip();
		return;
	}
	assert_non_null(strstr(text, "UBND TỈNH THANH HÓA"));
	assert_non_null(strstr(text, "SỞ Y TẾ"));
	assert_non_null(strstr(text, "Số: 350/BC-SYT"));
	assert_non_null(strstr(text, "Công an tỉnh Thanh Hóa;"));
	assert_non_null(strstr(text, "Chủ tịch UBND tỉnh."));
	assert_non_null(strstr(text, "987.654"));
	assert_non_null(strstr(text, "88,8"));
	assert_non_null(strstr(text, "KT. GIÁM ĐỐC"));
	assert_non_null(strstr(text, "PHÓ GIÁM ĐỐC"));
	for (i = 0; i < 27; i++) {
		(void)snprintf(name, sizeof(name), "1.0%02zu", i);
		assert_non_null(strstr(text, name));
	}
	free(text);
	/* 27 areas: never more than six on one page. */
	for (i = 1; i <= pages; i++) {
		char	*pt;
		size_t	k, n;

		pt = pdf_page_text(path, (int)i);
		for (k = 0, n = 0; k < 27; k++) {
			(void)snprintf(name, sizeof(name), "Huyện thử %02zu",
			    k);
			n += strstr(pt, name) != NULL;
		}
		assert_true(n <= 6);
		free(pt);
	}
}

/* The structure of a PDF, not its name: what an upload must have. */
static void
test_check_knows_a_pdf_by_its_content(void **state)
{
	struct nd30_details	det = { .number = NULL };
	struct pdf_doc		*d;
	unsigned char		*pdf, *cut;
	char			err[256];
	size_t			len, pages;
	json_t			*rep;
	static const unsigned char png[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
	static const char	fake[] = "%PDF-1.4\n1 0 obj\n<<>>\nendobj\n"
				    "startxref\n999999\n%%EOF\n";
	static const char	tiny[] = "%PDF-1.4\nxref\n0 1\ntrailer\n<<>>\n"
				    "startxref\n9\n%%EOF";

	(void)state;
	rep = json_loads(centre_report, 0, NULL);
	d = nd30_report(pl1, rep, &det);
	assert_int_equal(pdf_render(d, &pdf, &len, &pages, err, sizeof(err)),
	    0);
	assert_int_equal(pdf_check(pdf, len), PDF_CHECK_OK);
	assert_int_equal(pdf_check(pdf, 0), PDF_CHECK_EMPTY);
	assert_int_equal(pdf_check(NULL, 10), PDF_CHECK_EMPTY);
	assert_int_equal(pdf_check(png, sizeof(png)), PDF_CHECK_NO_HEADER);
	assert_int_equal(pdf_check(pdf, len / 2), PDF_CHECK_NO_EOF);
	assert_int_equal(pdf_check((const unsigned char *)fake, strlen(fake)),
	    PDF_CHECK_NO_XREF);
	assert_int_equal(pdf_check((const unsigned char *)tiny, strlen(tiny)),
	    PDF_CHECK_OK);
	/* The header must open the file (give or take a kilobyte). */
	cut = malloc(len + 2000);
	memset(cut, ' ', 2000);
	memcpy(cut + 2000, pdf, len);
	assert_int_equal(pdf_check(cut, len + 2000), PDF_CHECK_NO_HEADER);
	assert_string_equal(pdf_check_problem(PDF_CHECK_NO_HEADER), "not_pdf");
	free(cut);
	free(pdf);
	pdf_doc_free(d);
	json_decref(rep);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(
		    test_layout_long_table_breaks_and_repeats_its_header),
		cmocka_unit_test(
		    test_layout_numbers_pages_from_the_second_at_the_top),
		cmocka_unit_test(test_layout_keeps_inside_the_decree_margins),
		cmocka_unit_test(
		    test_layout_cuts_a_cell_taller_than_a_page_between_lines),
		cmocka_unit_test(
		    test_layout_moves_a_kept_block_to_the_next_page),
		cmocka_unit_test(test_layout_turns_pages_for_a_landscape_block),
		cmocka_unit_test(test_format_vietnamese_numbers),
		cmocka_unit_test(test_report_pdf_of_a_centre_reads_back),
		cmocka_unit_test(test_report_pdf_of_a_draft_is_marked),
		cmocka_unit_test(test_consolidated_pdf_splits_the_areas),
		cmocka_unit_test(test_check_knows_a_pdf_by_its_content),
	};

	return (cmocka_run_group_tests(tests, setup, teardown));
}
