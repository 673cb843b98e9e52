-- Demo data: an EXAMPLE second version of Phụ lục 1, from Tháng 1/2026,
-- adding items for the Sổ sức khỏe điện tử on VNeID (Quyết định số
-- 31/QĐ-BYT of 06/01/2026 lets its data replace paper), with new stable
-- codes (vneid.*).  Its title says it is an example for the office to
-- edit ("Ví dụ — Văn phòng Sở chỉnh sửa trước khi dùng"): it is not the
-- Department's decision.  The JSON is forms/examples/PL1-2026-vneid.json
-- as it is (tests/unit/test_form.c checks that the two agree and that it
-- loads); the office loads its own edited version on the Đề cương page.
--
-- Loaded by `make run` (scripts/run.sh) after the migrations.  The tests
-- and the benchmark leave it out: it would change the outline of the
-- periods they file in (tests/integration/test_outline.py activates the
-- same file from a far period instead).  Safe to run again: stored once,
-- through form_version_add, so only where a version may start (no PL1
-- report saved from 2026-01 on yet); otherwise it says so and stores
-- nothing.
DO $demo$
DECLARE
	r	json;
BEGIN
	IF EXISTS (SELECT 1 FROM form_versions WHERE form = 'PL1'
	    AND first_period = '2026-01') THEN
		RETURN;
	END IF;
	r := form_version_add('PL1', '2026-01', $outline${
	"form": "PL1",
	"name": "Phụ lục 1",
	"title": "Đề cương và hướng dẫn báo cáo kết quả triển khai các nhiệm vụ chuyển đổi số và thực hiện Đề án 06 hàng tháng, bổ sung Sổ sức khỏe điện tử trên VNeID (Ví dụ — Văn phòng Sở chỉnh sửa trước khi dùng)",
	"note": "VÍ DỤ, không phải văn bản của Sở Y tế: phiên bản này minh họa cách thêm mục mới từ kỳ Tháng 1/2026 (Quyết định số 31/QĐ-BYT ngày 06/01/2026 của Bộ Y tế cho phép dùng dữ liệu Sổ sức khỏe điện tử trên VNeID thay giấy tờ). Văn phòng Sở sửa nội dung, mã và kiểm tra cho đúng chỉ đạo trước khi nạp. Đề nghị các đơn vị bám sát các nội dung được yêu cầu báo cáo, nêu rõ số liệu cụ thể. Các báo cáo không đạt yêu cầu về nội dung sẽ bị trả lại để đơn vị thực hiện báo cáo lại.",
	"sections": [
		{
			"id": "1",
			"title": "Việc cập nhật dữ liệu nhóm thông tin cơ bản về y tế vào Cơ sở dữ liệu quốc gia về bảo hiểm theo quy định",
			"who": "Các cơ sở y tế trong và ngoài công lập (TTYT báo cáo cho các Trạm Y tế thuộc phạm vi quản lý)",
			"applies": "all",
			"stations": false,
			"items": [
				{"code": "bhyt.ontime_pct", "label": "Tỷ lệ hồ sơ gửi đúng ngày lên Cổng Tiếp nhận thuộc Hệ thống Thông tin giám định BHYT theo quy định tại Điều 6 Thông tư số 48/2017/TT-BYT ngày 28/12/2017 của Bộ trưởng Bộ Y tế", "unit": "%", "kind": "rate", "depth": 0, "num": "bhyt.records_ontime", "den": "bhyt.records_total", "note": "Tự tính từ hai số liệu dưới đây; không nhập."},
				{"code": "bhyt.records_total", "label": "Tổng số hồ sơ khám bệnh, chữa bệnh BHYT phải gửi lên Cổng Tiếp nhận trong kỳ", "unit": "Hồ sơ", "kind": "count", "depth": 0},
				{"code": "bhyt.records_ontime", "label": "Số hồ sơ gửi đúng ngày lên Cổng Tiếp nhận", "unit": "Hồ sơ", "kind": "count", "depth": 1}
			]
		},
		{
			"id": "2",
			"title": "Việc triển khai thực hiện các quy định về kê đơn thuốc điện tử",
			"who": "Các cơ sở y tế trong và ngoài công lập (TTYT báo cáo cho các Trạm Y tế thuộc phạm vi quản lý)",
			"applies": "all",
			"stations": false,
			"items": [
				{"code": "erx.total", "label": "Số đơn thuốc được kê trong kỳ", "unit": "Đơn", "kind": "count", "depth": 0},
				{"code": "erx.linked", "label": "Số lượng đơn thuốc được liên thông", "unit": "Đơn", "kind": "count", "depth": 1},
				{"code": "erx.linked_pct", "label": "Tỷ lệ đơn thuốc được liên thông", "unit": "%", "kind": "rate", "depth": 1, "num": "erx.linked", "den": "erx.total", "note": "Tự tính; không nhập."}
			]
		},
		{
			"id": "3",
			"title": "Thực hiện liên thông dữ liệu Giấy khám sức khỏe lái xe (GKSKLX) lên Cổng giám định BHYT của Bảo hiểm xã hội Việt Nam",
			"who": "Các cơ sở y tế đủ điều kiện khám và cấp GKSKLX",
			"applies": "gksklx",
			"stations": false,
			"items": [
				{"code": "gksklx.issued", "label": "Số lượng GKSKLX đã cấp", "unit": "GKSKLX", "kind": "count", "depth": 0},
				{"code": "gksklx.linked", "label": "Số GKSKLX đã được liên thông", "unit": "GKSKLX", "kind": "count", "depth": 1},
				{"code": "gksklx.linked_pct", "label": "Tỷ lệ GKSKLX đã được liên thông", "unit": "%", "kind": "rate", "depth": 1, "num": "gksklx.linked", "den": "gksklx.issued", "note": "Tự tính; không nhập."}
			]
		},
		{
			"id": "4",
			"title": "Thực hiện liên thông dữ liệu Giấy chứng sinh, Giấy báo tử lên Cổng giám định BHYT",
			"who": "Các cơ sở y tế trong và ngoài công lập",
			"applies": "all",
			"stations": false,
			"items": [
				{"code": "birth.total", "label": "Số lượng trẻ sinh ra tại cơ sở", "unit": "Trẻ", "kind": "count", "depth": 0},
				{"code": "birth.synced", "label": "Số lượng khai sinh đồng bộ lên cổng", "unit": "Trẻ", "kind": "count", "depth": 1},
				{"code": "birth.synced_pct", "label": "Tỷ lệ khai sinh đồng bộ lên cổng", "unit": "%", "kind": "rate", "depth": 1, "num": "birth.synced", "den": "birth.total", "note": "Tự tính; không nhập."},
				{"code": "death.total", "label": "Số lượng tử vong tại cơ sở", "unit": "Người", "kind": "count", "depth": 0},
				{"code": "death.synced", "label": "Số lượng khai tử đồng bộ lên cổng", "unit": "Người", "kind": "count", "depth": 1},
				{"code": "death.synced_pct", "label": "Tỷ lệ khai tử đồng bộ lên cổng", "unit": "%", "kind": "rate", "depth": 1, "num": "death.synced", "den": "death.total", "note": "Tự tính; không nhập."}
			]
		},
		{
			"id": "5",
			"title": "Thúc đẩy các phương thức thanh toán không dùng tiền mặt",
			"note": "Nêu rõ số giao dịch phát sinh trong từng phương thức thanh toán đã triển khai.",
			"who": "Các cơ sở y tế trong và ngoài công lập",
			"applies": "all",
			"stations": false,
			"items": [
				{"code": "pay.total", "label": "Tổng số lượt thanh toán (cả tiền mặt và không dùng tiền mặt) trong kỳ", "unit": "Lượt", "kind": "count", "depth": 0},
				{"code": "pay.transfer", "label": "Chuyển khoản qua số tài khoản", "unit": "Lượt", "kind": "count", "depth": 1},
				{"code": "pay.pos", "label": "POS", "unit": "Lượt", "kind": "count", "depth": 1},
				{"code": "pay.qr_static", "label": "Mã QR tĩnh", "unit": "Lượt", "kind": "count", "depth": 1},
				{"code": "pay.qr_dynamic", "label": "Mã QR động", "unit": "Lượt", "kind": "count", "depth": 1},
				{"code": "pay.ewallet", "label": "Ví điện tử", "unit": "Lượt", "kind": "count", "depth": 1},
				{"code": "pay.other", "label": "Hình thức không dùng tiền mặt khác", "unit": "Lượt", "kind": "count", "depth": 1},
				{"code": "pay.cashless", "label": "Tổng số lượt thanh toán không dùng tiền mặt", "unit": "Lượt", "kind": "sum", "depth": 1, "sum": ["pay.transfer", "pay.pos", "pay.qr_static", "pay.qr_dynamic", "pay.ewallet", "pay.other"], "note": "Tự tính: cộng sáu phương thức trên; không nhập."},
				{"code": "pay.cashless_pct", "label": "Tỷ lệ lượt thanh toán không dùng tiền mặt", "unit": "%", "kind": "rate", "depth": 1, "num": "pay.cashless", "den": "pay.total", "note": "Tự tính; không nhập."}
			]
		},
		{
			"id": "6",
			"title": "Triển khai Mô hình điểm cấp tỉnh về “Khám chữa bệnh sử dụng thẻ Căn cước công dân gắn chip điện tử và ứng dụng VNeID”",
			"who": "Các cơ sở y tế trong và ngoài công lập (TTYT báo cáo cho các Trạm Y tế thuộc phạm vi quản lý - báo cáo số liệu từng trạm lập thành phụ lục)",
			"applies": "all",
			"stations": true,
			"items": [
				{"code": "cccd.visits", "label": "Tổng số lượt người đến khám chữa bệnh", "unit": "Lượt", "kind": "count", "depth": 0},
				{"code": "cccd.used", "label": "Tổng số lượt người sử dụng thẻ CCCD gắn chip hoặc ứng dụng VNeID để đăng ký KCB BHYT", "unit": "Lượt", "kind": "count", "depth": 1},
				{"code": "cccd.insurance_returned", "label": "Số lượt người sử dụng thẻ CCCD gắn chip có thông tin bảo hiểm trả về", "unit": "Lượt", "kind": "count", "depth": 2},
				{"code": "cccd.used_pct", "label": "Tỷ lệ lượt người sử dụng thẻ CCCD gắn chip hoặc ứng dụng VNeID để đăng ký KCB BHYT", "unit": "%", "kind": "rate", "depth": 1, "num": "cccd.used", "den": "cccd.visits", "note": "Tự tính; không nhập."},
				{"code": "cccd.qr_readers", "label": "Số thiết bị đọc QR code hiện có", "unit": "Thiết bị", "kind": "count", "over_time": "last", "depth": 0}
			]
		},
		{
			"id": "7",
			"title": "Cấp chữ ký số cho đội ngũ cán bộ y tế",
			"who": "Các cơ sở y tế trong và ngoài công lập (TTYT báo cáo cho Trạm Y tế thuộc phạm vi quản lý - báo cáo số liệu từng trạm lập thành phụ lục)",
			"applies": "all",
			"stations": true,
			"items": [
				{"code": "sign.issued", "label": "Số lượng cán bộ đã được cấp chữ ký số", "unit": "Người", "kind": "count", "over_time": "last", "depth": 0},
				{"code": "sign.needed", "label": "Số lượng cán bộ có nhu cầu cấp chữ ký số (nhưng chưa được cấp)", "unit": "Người", "kind": "count", "over_time": "last", "depth": 0}
			]
		},
		{
			"id": "8",
			"title": "Thực hiện khai báo lưu trú trên VNeID để phục vụ công tác phòng ngừa tội phạm, quản lý cư trú, làm giàu dữ liệu dân cư và từng bước số hóa dữ liệu bệnh nhân",
			"who": "Các cơ sở y tế trong và ngoài công lập",
			"applies": "all",
			"stations": false,
			"items": [
				{"code": "stay.declared", "label": "Số lượt được khai báo lưu trú", "unit": "Lượt", "kind": "count", "depth": 0}
			]
		},
		{
			"id": "9",
			"title": "Triển khai Sổ sức khỏe điện tử trên ứng dụng VNeID (Quyết định số 31/QĐ-BYT ngày 06/01/2026 của Bộ Y tế)",
			"note": "Ví dụ — Văn phòng Sở chỉnh sửa trước khi dùng.",
			"who": "Các cơ sở khám bệnh, chữa bệnh trong và ngoài công lập",
			"applies": "all",
			"stations": false,
			"items": [
				{"code": "vneid.hb_updated", "label": "Số lượt khám bệnh, chữa bệnh có dữ liệu được cập nhật lên Sổ sức khỏe điện tử trên VNeID", "unit": "Lượt", "kind": "count", "depth": 0},
				{"code": "vneid.hb_paperless", "label": "Số lượt người bệnh dùng dữ liệu trên Sổ sức khỏe điện tử thay cho giấy tờ", "unit": "Lượt", "kind": "count", "depth": 1},
				{"code": "vneid.hb_paperless_pct", "label": "Tỷ lệ lượt dùng Sổ sức khỏe điện tử thay cho giấy tờ", "unit": "%", "kind": "rate", "depth": 1, "num": "vneid.hb_paperless", "den": "vneid.hb_updated", "note": "Tự tính; không nhập."},
				{"code": "vneid.hb_staff_trained", "label": "Số cán bộ đã được hướng dẫn cập nhật và tra cứu Sổ sức khỏe điện tử", "unit": "Người", "kind": "count", "over_time": "last", "depth": 0}
			]
		}
	],
	"checks": [
		{"rule": "bhyt.ontime_le_total", "type": "parts_le", "parts": ["bhyt.records_ontime"], "whole": "bhyt.records_total",
		 "message": "«Số hồ sơ gửi đúng ngày lên Cổng Tiếp nhận» không được lớn hơn «Tổng số hồ sơ khám bệnh, chữa bệnh BHYT phải gửi lên Cổng Tiếp nhận trong kỳ». Kiểm tra lại hai số liệu này."},
		{"rule": "erx.linked_le_total", "type": "parts_le", "parts": ["erx.linked"], "whole": "erx.total",
		 "message": "«Số lượng đơn thuốc được liên thông» không được lớn hơn «Số đơn thuốc được kê trong kỳ». Kiểm tra lại hai số liệu này."},
		{"rule": "gksklx.linked_le_issued", "type": "parts_le", "parts": ["gksklx.linked"], "whole": "gksklx.issued",
		 "message": "«Số GKSKLX đã được liên thông» không được lớn hơn «Số lượng GKSKLX đã cấp». Kiểm tra lại hai số liệu này."},
		{"rule": "birth.synced_le_total", "type": "parts_le", "parts": ["birth.synced"], "whole": "birth.total",
		 "message": "«Số lượng khai sinh đồng bộ lên cổng» không được lớn hơn «Số lượng trẻ sinh ra tại cơ sở». Kiểm tra lại hai số liệu này."},
		{"rule": "death.synced_le_total", "type": "parts_le", "parts": ["death.synced"], "whole": "death.total",
		 "message": "«Số lượng khai tử đồng bộ lên cổng» không được lớn hơn «Số lượng tử vong tại cơ sở». Kiểm tra lại hai số liệu này."},
		{"rule": "pay.methods_le_total", "type": "parts_le", "parts": ["pay.transfer", "pay.pos", "pay.qr_static", "pay.qr_dynamic", "pay.ewallet", "pay.other"], "whole": "pay.total",
		 "message": "Cộng số lượt của sáu phương thức không dùng tiền mặt (Chuyển khoản qua số tài khoản, POS, Mã QR tĩnh, Mã QR động, Ví điện tử, Hình thức không dùng tiền mặt khác) không được lớn hơn «Tổng số lượt thanh toán (cả tiền mặt và không dùng tiền mặt) trong kỳ». Kiểm tra lại từng phương thức và tổng số lượt."},
		{"rule": "cccd.used_le_visits", "type": "parts_le", "parts": ["cccd.used"], "whole": "cccd.visits",
		 "message": "«Tổng số lượt người sử dụng thẻ CCCD gắn chip hoặc ứng dụng VNeID để đăng ký KCB BHYT» không được lớn hơn «Tổng số lượt người đến khám chữa bệnh». Kiểm tra lại hai số liệu này."},
		{"rule": "cccd.returned_le_used", "type": "parts_le", "parts": ["cccd.insurance_returned"], "whole": "cccd.used",
		 "message": "«Số lượt người sử dụng thẻ CCCD gắn chip có thông tin bảo hiểm trả về» không được lớn hơn «Tổng số lượt người sử dụng thẻ CCCD gắn chip hoặc ứng dụng VNeID để đăng ký KCB BHYT». Kiểm tra lại hai số liệu này."},
		{"rule": "cccd.stations_sum", "type": "stations_sum", "items": ["cccd.visits", "cccd.used", "cccd.insurance_returned", "cccd.qr_readers"],
		 "message": "Số liệu mục 6 của đơn vị phải bằng số liệu riêng của đơn vị cộng số liệu các Trạm Y tế trong phụ lục từng trạm. Sửa số của đơn vị, số riêng của đơn vị hoặc số của trạm cho khớp."},
		{"rule": "sign.stations_sum", "type": "stations_sum", "items": ["sign.issued", "sign.needed"],
		 "message": "Số liệu mục 7 của đơn vị phải bằng số liệu riêng của đơn vị cộng số liệu các Trạm Y tế trong phụ lục từng trạm. Sửa số của đơn vị, số riêng của đơn vị hoặc số của trạm cho khớp."},
		{"rule": "bhyt.records_total.deviation", "type": "deviation", "severity": "warning", "items": ["bhyt.records_total"], "factor": 3.0, "min_delta": 20,
		 "message": "«Tổng số hồ sơ khám bệnh, chữa bệnh BHYT phải gửi lên Cổng Tiếp nhận trong kỳ» khác nhiều so với các kỳ trước của đơn vị (gấp 3 lần trở lên hoặc chỉ bằng một phần ba trở xuống). Kiểm tra lại; nếu số liệu đúng, ghi chú lý do."},
		{"rule": "erx.total.deviation", "type": "deviation", "severity": "warning", "items": ["erx.total"], "factor": 3.0, "min_delta": 20,
		 "message": "«Số đơn thuốc được kê trong kỳ» khác nhiều so với các kỳ trước của đơn vị (gấp 3 lần trở lên hoặc chỉ bằng một phần ba trở xuống). Kiểm tra lại; nếu số liệu đúng, ghi chú lý do."},
		{"rule": "pay.total.deviation", "type": "deviation", "severity": "warning", "items": ["pay.total"], "factor": 3.0, "min_delta": 20,
		 "message": "«Tổng số lượt thanh toán (cả tiền mặt và không dùng tiền mặt) trong kỳ» khác nhiều so với các kỳ trước của đơn vị (gấp 3 lần trở lên hoặc chỉ bằng một phần ba trở xuống). Kiểm tra lại; nếu số liệu đúng, ghi chú lý do."},
		{"rule": "cccd.visits.deviation", "type": "deviation", "severity": "warning", "items": ["cccd.visits"], "factor": 3.0, "min_delta": 20,
		 "message": "«Tổng số lượt người đến khám chữa bệnh» khác nhiều so với các kỳ trước của đơn vị (gấp 3 lần trở lên hoặc chỉ bằng một phần ba trở xuống). Kiểm tra lại; nếu số liệu đúng, ghi chú lý do."},
		{"rule": "bhyt.ontime_pct.jump", "type": "rate_jump", "severity": "warning", "items": ["bhyt.ontime_pct"], "points": 30,
		 "message": "«Tỷ lệ hồ sơ gửi đúng ngày lên Cổng Tiếp nhận» thay đổi hơn 30 điểm phần trăm so với kỳ trước. Kiểm tra lại số hồ sơ; nếu số liệu đúng, ghi chú lý do."},
		{"rule": "cccd.used_pct.jump", "type": "rate_jump", "severity": "warning", "items": ["cccd.used_pct"], "points": 30,
		 "message": "«Tỷ lệ lượt người sử dụng thẻ CCCD gắn chip hoặc ứng dụng VNeID để đăng ký KCB BHYT» thay đổi hơn 30 điểm phần trăm so với kỳ trước. Kiểm tra lại số lượt; nếu số liệu đúng, ghi chú lý do."},
		{"rule": "pay.cashless_pct.jump", "type": "rate_jump", "severity": "warning", "items": ["pay.cashless_pct"], "points": 30,
		 "message": "«Tỷ lệ lượt thanh toán không dùng tiền mặt» thay đổi hơn 30 điểm phần trăm so với kỳ trước. Kiểm tra lại số lượt từng phương thức; nếu số liệu đúng, ghi chú lý do."},
		{"rule": "erx.linked_pct.jump", "type": "rate_jump", "severity": "warning", "items": ["erx.linked_pct"], "points": 30,
		 "message": "«Tỷ lệ đơn thuốc được liên thông» thay đổi hơn 30 điểm phần trăm so với kỳ trước. Kiểm tra lại số đơn thuốc; nếu số liệu đúng, ghi chú lý do."},
		{"rule": "vneid.paperless_le_updated", "type": "parts_le", "parts": ["vneid.hb_paperless"], "whole": "vneid.hb_updated",
		 "message": "«Số lượt người bệnh dùng dữ liệu trên Sổ sức khỏe điện tử thay cho giấy tờ» không được lớn hơn «Số lượt khám bệnh, chữa bệnh có dữ liệu được cập nhật lên Sổ sức khỏe điện tử trên VNeID». Kiểm tra lại hai số liệu này."},
		{"rule": "vneid.updated_le_visits", "type": "parts_le", "parts": ["vneid.hb_updated"], "whole": "cccd.visits",
		 "message": "«Số lượt khám bệnh, chữa bệnh có dữ liệu được cập nhật lên Sổ sức khỏe điện tử trên VNeID» không được lớn hơn «Tổng số lượt người đến khám chữa bệnh» (mục 6). Kiểm tra lại hai số liệu này."},
		{"rule": "values.complete", "type": "complete", "kinds": ["count", "money", "level"],
		 "message": "Phải nhập đủ mọi mục số liệu trước khi nộp; mục nào đơn vị không phát sinh thì nhập 0."}
	]
}$outline$::json,
	    NULL, (SELECT max(version) FROM form_versions WHERE form = 'PL1'));
	IF r->>'result' <> 'ok' THEN
		RAISE NOTICE 'Ví dụ đề cương PL1 từ 2026-01 chưa được nạp: %',
		    r->>'result';
	END IF;
END $demo$;
