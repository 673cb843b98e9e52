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
	  "Tài khoản tạm khóa vì nhập sai mật khẩu 5 lần trong 15 phút "
	  "(khi đăng nhập hoặc khi đổi mật khẩu). Vui lòng thử lại sau 15 "
	  "phút hoặc liên hệ Văn phòng Sở để mở khóa." },
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
	{ "bad_form",
	  "Đề cương (form) phải là PL1 hoặc PL2." },
	{ "bad_status",
	  "Trạng thái (status) phải là một trong: draft (bản nháp), "
	  "submitted (đã nộp), returned (bị trả lại), accepted (đã duyệt)." },
	{ "bad_unit_code",
	  "Mã đơn vị (unit) không hợp lệ: chỉ gồm chữ in hoa không dấu, "
	  "chữ số và . _ -, từ 2 đến 32 ký tự." },
	{ "bad_district_code",
	  "Mã huyện (district) không hợp lệ: chỉ gồm chữ in hoa không dấu, "
	  "chữ số, _ và -, từ 2 đến 32 ký tự." },
	{ "bad_kind",
	  "Loại đơn vị (kind) không hợp lệ: dùng một mã trong danh sách "
	  "loại đơn vị (ví dụ district_centre, private_clinic)." },
	{ "bad_review_status",
	  "Trạng thái (status) phải là một trong: not_started (chưa làm), "
	  "draft (bản nháp), submitted (đã nộp), returned (bị trả lại), "
	  "accepted (đã duyệt)." },
	{ "bad_date",
	  "Ngày không hợp lệ: nhập theo dạng YYYY-MM-DD." },
	{ "bad_registry_date",
	  "Ngày (date) không hợp lệ: nhập theo dạng YYYY-MM-DD, từ năm "
	  "2000 đến 2100, ví dụ 2025-07-01." },
	{ "bad_effective",
	  "Ngày hiệu lực (effective) không hợp lệ: nhập theo dạng "
	  "YYYY-MM-DD, từ năm 2000 đến 2100, ví dụ 2025-07-01." },
	{ "bad_dry_run",
	  "Tham số dry_run chỉ nhận 1 (xem trước, không lưu) hoặc 0." },
	{ "exists",
	  "Đã tồn tại." },
	/* The request line (route.c, api_qs_error): %s is the argument. */
	{ "bad_path",
	  "Địa chỉ (URL) có ký tự không hợp lệ: mã %XX sai, ký tự điều "
	  "khiển hoặc không phải chữ UTF-8. Hãy mở lại trang từ menu của "
	  "cổng." },
	{ "qs_too_long",
	  "Giá trị của tham số «%s» trên địa chỉ (URL) dài quá mức cho "
	  "phép; kiểm tra lại giá trị." },
	{ "qs_malformed",
	  "Giá trị của tham số «%s» trên địa chỉ (URL) có ký tự không hợp "
	  "lệ (mã %%XX sai, ký tự điều khiển hoặc không phải chữ UTF-8)." },
	{ "qs_repeated",
	  "Tham số «%s» xuất hiện nhiều lần trên địa chỉ (URL); chỉ ghi "
	  "một lần." },
	{ "qs_not_allowed",
	  "Giá trị của tham số «%s» trên địa chỉ (URL) không hợp lệ." },
	/* A body of the wrong shape (400); a wrong value is 422. */
	{ "bad_shape",
	  "Dữ liệu gửi lên không đúng cấu trúc (xem chi tiết ở từng phần); "
	  "chưa có gì được lưu." },
	{ "busy",
	  "Máy chủ đang bận kiểm tra nhiều lượt đăng nhập cùng lúc. "
	  "Vui lòng chờ vài giây rồi thử lại." },
	{ "throttled",
	  "Có quá nhiều lần đăng nhập sai từ địa chỉ mạng của bạn trong "
	  "15 phút qua. Vui lòng chờ rồi thử lại; nếu quên mật khẩu, liên "
	  "hệ Văn phòng Sở để được cấp lại." },
	{ "otp_expired",
	  "Mật khẩu dùng một lần này đã hết hạn (quá 14 ngày kể từ khi "
	  "cấp). Liên hệ Văn phòng Sở để được cấp lại mật khẩu mới." },
	{ "integration_account",
	  "Đây là tài khoản của một mã tích hợp: không đăng nhập, không "
	  "đặt hay cấp lại mật khẩu được. Quản lý ở trang Mã tích hợp." },
	{ "pw_short",
	  "Mật khẩu phải có ít nhất 10 ký tự." },
	{ "pw_long",
	  "Mật khẩu quá dài (tối đa 256 byte)." },
	{ "pw_empty",
	  "Nhập mật khẩu mới." },
	{ "pw_username",
	  "Mật khẩu không được chứa tên đăng nhập." },
	{ "pw_dictionary",
	  "Mật khẩu dựa trên một từ có trong từ điển (như password, "
	  "admin), rất dễ bị đoán. Hãy ghép vài từ ít gặp, thêm số hoặc "
	  "ký tự." },
	{ "pw_few_different",
	  "Mật khẩu có quá ít ký tự khác nhau." },
	{ "pw_whitespace",
	  "Mật khẩu không được chỉ gồm khoảng trắng." },
	{ "pw_simplistic",
	  "Mật khẩu theo quy luật quá đơn giản (như abcd, 1234, qwerty), "
	  "rất dễ bị đoán." },
	{ "pw_guessable",
	  "Mật khẩu quá dễ đoán; hãy chọn mật khẩu khác." },
	{ "pw_palindrome",
	  "Mật khẩu đọc xuôi hay ngược đều như nhau (như aaaaaaaaaa, "
	  "hay mười dấu cách), rất dễ bị đoán." },
	{ "pw_case_only",
	  "Mật khẩu mới chỉ đổi chữ hoa, chữ thường so với mật khẩu hiện "
	  "tại." },
	{ "pw_similar",
	  "Mật khẩu mới quá giống mật khẩu hiện tại." },
	{ "pw_same",
	  "Mật khẩu mới phải khác mật khẩu hiện tại." },
	{ "pw_repeat",
	  "Mật khẩu có một ký tự lặp lại quá 3 lần liền nhau." },
	{ "pw_sequence",
	  "Mật khẩu chứa một dãy liên tiếp dài (như 12345, abcde)." },
	{ "pw_common_word",
	  "Mật khẩu chứa từ ai cũng nghĩ tới (như matkhau, thanhhoa, "
	  "soyte)." },
	{ "pw_variety",
	  "Mật khẩu cần kết hợp nhiều loại ký tự hơn." },
	{ "pw_no_dictionary",
	  "Chưa kiểm tra được độ mạnh của mật khẩu: máy chủ thiếu từ điển "
	  "mật khẩu. Vui lòng báo quản trị viên." },
	{ "pw_unchecked",
	  "Chưa kiểm tra được độ mạnh của mật khẩu. Vui lòng thử lại hoặc "
	  "báo quản trị viên." },
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
