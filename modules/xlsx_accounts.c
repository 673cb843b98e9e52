/*
 * The account sheet: an administrative header in the style of Nghị định
 * 30/2020 (Times New Roman), then one row per account.  The passwords
 * exist only here and in the hands of the office: the portal keeps hashes.
 */
#include <stdio.h>
#include <string.h>

#include <xlsxwriter.h>

#include "xlsx_accounts.h"
#include "xlsx_report.h"

static void
xlsx_accounts_header(lxw_workbook *wb, lxw_worksheet *ws, const char *date)
{
	struct xlsx_head	h;
	char			line[96];

	(void)snprintf(line, sizeof(line), "Thanh Hóa, ngày %s", date);
	memset(&h, 0, sizeof(h));
	h.size = 11;
	h.left_last = 1;
	h.right_first = 2;
	h.right_last = 4;
	h.dateline = line;
	xlsx_head_write(wb, ws, &h);

	worksheet_merge_range(ws, 4, 0, 4, 4, "DANH SÁCH TÀI KHOẢN CẤP MỚI - "
	    "CỔNG BÁO CÁO CHUYỂN ĐỔI SỐ VÀ ĐỀ ÁN 06", h.bold);
	worksheet_merge_range(ws, 5, 0, 5, 4, "Mật khẩu chỉ dùng một lần: "
	    "đơn vị phải đổi mật khẩu ở lần đăng nhập đầu tiên.", h.italic);
}

int
xlsx_accounts_write(const char *path, const char *tmpdir,
    const struct xlsx_account *rows, size_t n, const char *date)
{
	lxw_workbook_options	opt = { .constant_memory = 0 };
	lxw_workbook		*wb;
	lxw_worksheet		*ws;
	lxw_format		*th, *td, *mono;
	static const char	*heads[] = { "STT", "Mã đơn vị", "Tên đơn vị",
				    "Tên đăng nhập", "Mật khẩu một lần" };
	size_t			i;
	lxw_row_t		r;
	lxw_col_t		c;

	opt.tmpdir = (char *)tmpdir;
	if ((wb = workbook_new_opt(path, &opt)) == NULL)
		return (-1);
	ws = workbook_add_worksheet(wb, "Tài khoản");

	th = workbook_add_format(wb);
	format_set_font_name(th, "Times New Roman");
	format_set_bold(th);
	format_set_border(th, LXW_BORDER_THIN);
	format_set_bg_color(th, 0xDDEBF7);
	td = workbook_add_format(wb);
	format_set_font_name(td, "Times New Roman");
	format_set_border(td, LXW_BORDER_THIN);
	mono = workbook_add_format(wb);
	format_set_font_name(mono, "Courier New");
	format_set_border(mono, LXW_BORDER_THIN);

	xlsx_accounts_header(wb, ws, date);
	worksheet_set_column(ws, 0, 0, 6, NULL);
	worksheet_set_column(ws, 1, 1, 18, NULL);
	worksheet_set_column(ws, 2, 2, 50, NULL);
	worksheet_set_column(ws, 3, 4, 22, NULL);

	for (c = 0; c < 5; c++)
		worksheet_write_string(ws, 7, c, heads[c], th);
	for (i = 0; i < n; i++) {
		r = (lxw_row_t)(8 + i);
		worksheet_write_number(ws, r, 0, (double)(i + 1), td);
		worksheet_write_string(ws, r, 1, rows[i].unit, td);
		worksheet_write_string(ws, r, 2, rows[i].unit_name, td);
		worksheet_write_string(ws, r, 3, rows[i].username, mono);
		worksheet_write_string(ws, r, 4, rows[i].password, mono);
	}
	worksheet_repeat_rows(ws, 7, 7);
	worksheet_set_landscape(ws);
	worksheet_fit_to_pages(ws, 1, 0);

	return (workbook_close(wb) == LXW_NO_ERROR ? 0 : -1);
}
