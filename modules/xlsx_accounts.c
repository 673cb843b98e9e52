/*
 * The account sheet: an administrative header in the style of Nghị định
 * 30/2020 (Times New Roman), then one row per account.  The passwords
 * exist only here and in the hands of the office: the portal keeps hashes.
 */
#include <stdio.h>

#include <xlsxwriter.h>

#include "xlsx_accounts.h"

static void
xlsx_accounts_header(lxw_workbook *wb, lxw_worksheet *ws, const char *date)
{
	lxw_format	*bold, *center, *italic;
	char		line[96];

	bold = workbook_add_format(wb);
	format_set_font_name(bold, "Times New Roman");
	format_set_bold(bold);
	format_set_align(bold, LXW_ALIGN_CENTER);
	center = workbook_add_format(wb);
	format_set_font_name(center, "Times New Roman");
	format_set_align(center, LXW_ALIGN_CENTER);
	italic = workbook_add_format(wb);
	format_set_font_name(italic, "Times New Roman");
	format_set_italic(italic);
	format_set_align(italic, LXW_ALIGN_CENTER);

	worksheet_merge_range(ws, 0, 0, 0, 1, "SỞ Y TẾ THANH HÓA", center);
	worksheet_merge_range(ws, 1, 0, 1, 1, "VĂN PHÒNG", bold);
	worksheet_merge_range(ws, 0, 2, 0, 4,
	    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold);
	worksheet_merge_range(ws, 1, 2, 1, 4,
	    "Độc lập - Tự do - Hạnh phúc", bold);
	(void)snprintf(line, sizeof(line), "Thanh Hóa, ngày %s", date);
	worksheet_merge_range(ws, 2, 2, 2, 4, line, italic);
	worksheet_merge_range(ws, 4, 0, 4, 4, "DANH SÁCH TÀI KHOẢN CẤP MỚI - "
	    "CỔNG BÁO CÁO CHUYỂN ĐỔI SỐ VÀ ĐỀ ÁN 06", bold);
	worksheet_merge_range(ws, 5, 0, 5, 4, "Mật khẩu chỉ dùng một lần: "
	    "đơn vị phải đổi mật khẩu ở lần đăng nhập đầu tiên.", italic);
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
