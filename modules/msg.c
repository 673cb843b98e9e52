/*
 * Vietnamese messages for people, keyed by the error codes clients see.
 * Pure C: the one table of interface text outside forms/ and assets/.
 */
#include <stddef.h>
#include <string.h>

#include "msg.h"

static const struct {
	const char	*code;
	const char	*vi;
} msg_table[] = {
	{ "bad_json",
	  "Dữ liệu gửi lên không phải JSON hợp lệ." },
	{ "bad_request",
	  "Yêu cầu không đúng định dạng." },
	{ "unauthenticated",
	  "Bạn chưa đăng nhập hoặc phiên làm việc đã hết hạn. "
	  "Vui lòng đăng nhập lại." },
	{ "forbidden",
	  "Tài khoản của bạn không có quyền thực hiện thao tác này." },
	{ "csrf",
	  "Thiếu hoặc sai mã chống giả mạo (X-CSRF-Token). "
	  "Hãy tải lại trang rồi thử lại." },
	{ "password_change_required",
	  "Bạn cần đổi mật khẩu trước khi tiếp tục." },
	{ "not_found",
	  "Không tìm thấy nội dung yêu cầu." },
	{ "method_not_allowed",
	  "Phương thức không được hỗ trợ cho địa chỉ này." },
	{ "too_large",
	  "Dữ liệu gửi lên quá lớn." },
	{ "login_failed",
	  "Tên đăng nhập hoặc mật khẩu không đúng." },
	{ "locked",
	  "Tài khoản tạm khóa vì đăng nhập sai quá 5 lần trong 15 phút. "
	  "Vui lòng thử lại sau 15 phút hoặc liên hệ Văn phòng Sở." },
	{ "current_password_wrong",
	  "Mật khẩu hiện tại không đúng." },
	{ "db_unavailable",
	  "Cơ sở dữ liệu tạm thời không phản hồi. Dữ liệu của bạn chưa "
	  "được lưu; vui lòng thử lại sau ít phút." },
	{ "internal",
	  "Lỗi hệ thống. Dữ liệu của bạn chưa được lưu; vui lòng thử lại "
	  "hoặc báo cho quản trị viên." },
	{ "bad_year",
	  "Năm không hợp lệ: nhập năm dạng YYYY, từ 2023 đến 2100." },
	{ "bad_period",
	  "Mã kỳ báo cáo không hợp lệ (ví dụ đúng: 2023-07, 2023-H1, "
	  "2023-Y)." },
	{ "bad_date",
	  "Ngày không hợp lệ: nhập theo dạng YYYY-MM-DD." },
	{ "exists",
	  "Đã tồn tại." },
	{ "stale",
	  "Báo cáo đã thay đổi kể từ lúc bạn mở: đã được lưu ở một tab "
	  "khác, bởi người khác, hoặc bởi một lần lưu trước của chính bạn "
	  "mà trang chưa nhận được trả lời. Tải lại báo cáo để xem bản "
	  "đang lưu; nếu khác với những gì bạn vừa nhập, so sánh rồi nhập "
	  "lại phần còn thiếu." },
	{ "period_not_started",
	  "Kỳ báo cáo này chưa bắt đầu nên chưa lưu hay nộp được báo cáo." },
	{ NULL, NULL }
};

const char *
msg_vi(const char *code)
{
	size_t		i;

	for (i = 0; msg_table[i].code != NULL; i++) {
		if (!strcmp(msg_table[i].code, code))
			return (msg_table[i].vi);
	}

	/* A code without text is a programmer error; say something useful. */
	return (msg_vi("internal"));
}
