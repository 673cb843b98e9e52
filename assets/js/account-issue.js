/*
 * Issuing accounts (used by accounts.js): the one-time password box,
 * the single-account form and the bulk issue with its .xlsx download.
 */
import {
	api, h, fill, byId, showMessage, showError, setBusy, setFieldError,
	clearFieldErrors, fmtNumber, roleLabel, fillSelect, copyText, downloadBlob,
} from './app.js';

const USERNAME_RE = /^[a-z0-9][a-z0-9._-]{2,62}$/;
const USERNAME_RULE = '3–63 ký tự: chữ thường không dấu, số, dấu chấm, gạch dưới, ' +
	'gạch ngang; bắt đầu bằng chữ hoặc số.';

/* ctx: {role, units, districts, accounts(), reload()} set by setupIssue. */
let ctx = null;

/*
 * Units that file their own reports, as the server's unit_files_reports:
 * a commune station's district health centre files for it and the
 * office's own unit files none, so neither gets a unit account.
 */
const NOT_FILING = new Set(['commune_station', 'department_office']);

function files(u) {
	return u.active !== false && !NOT_FILING.has(u.kind);
}

/* ---------- The one-time password box ---------- */

/* Shows a one-time password once; it is never stored anywhere. */
export function showOtp(username, otp, reason) {
	const box = byId('otp-box');
	byId('otp-intro').textContent = (reason === 'reset'
		? 'Đã cấp lại mật khẩu cho tài khoản ' : 'Đã tạo tài khoản ') + '“' + username +
		'”. Mật khẩu dùng một lần:';
	byId('otp-value').value = otp;
	byId('otp-copy-status').textContent = '';
	box.hidden = false;
	box.scrollIntoView({ block: 'start' });
	box.focus();
}

function hideOtp() {
	byId('otp-value').value = '';
	byId('otp-copy-status').textContent = '';
	byId('otp-box').hidden = true;
}

async function onCopy() {
	const input = byId('otp-value');
	const ok = await copyText(input.value, input);
	byId('otp-copy-status').textContent = ok ? 'Đã sao chép.'
		: 'Không sao chép tự động được: hãy chọn mật khẩu và nhấn Ctrl+C.';
}

/* ---------- One account ---------- */

function rolesAllowed(myRole) {
	return myRole === 'admin' ? ['unit', 'viewer', 'office', 'admin'] : ['unit', 'viewer'];
}

function fillRoleSelect() {
	fillSelect(byId('new-role'), rolesAllowed(ctx.role).map((r) => ({ value: r, label: roleLabel(r) })));
	byId('new-role').value = 'unit';
}

function fillUnitsDatalist() {
	fill(byId('units-datalist'), ctx.units.filter(files)
		.map((u) => h('option', { value: u.code }, u.name)));
}

function fillDistrictChecks() {
	const items = ctx.districts.map((d) => {
		const id = 'district-' + d.code;
		return h('label', { class: 'check', for: id },
			h('input', { type: 'checkbox', id, value: d.code, name: 'districts' }),
			d.name);
	});
	fill(byId('districts-list'), items);
}

function districtChecks() {
	return [...byId('districts-list').querySelectorAll('input[type="checkbox"]')];
}

/* Shows the fields the chosen role needs. */
function onRoleChange() {
	const role = byId('new-role').value;
	const isUnit = role === 'unit';
	byId('unit-field').hidden = !isUnit;
	byId('districts-field').hidden = role !== 'viewer';
	byId('username-required').hidden = isUnit;
	byId('new-username-hint').textContent = isUnit
		? 'Không bắt buộc: để trống thì dùng mã đơn vị viết thường (ví dụ ttyt-vinhloc).'
		: 'Bắt buộc. ' + USERNAME_RULE;
	clearFieldErrors(byId('create-form'));
	setDistrictError(null);
}

function setDistrictError(message) {
	const el = byId('districts-error');
	el.textContent = message || '';
	el.hidden = !message;
	const fs = byId('districts-field');
	if (message) fs.setAttribute('aria-describedby', 'districts-error');
	else fs.removeAttribute('aria-describedby');
}

/* Reads and checks the form; returns {body} or {focus} on a problem. */
function readCreateForm() {
	const role = byId('new-role').value;
	const unitInput = byId('new-unit');
	const userInput = byId('new-username');
	const unit = unitInput.value.trim().toUpperCase();
	const username = userInput.value.trim().toLowerCase();
	const fullName = byId('new-fullname').value.trim();
	const body = { role };
	let focus = null;

	if (role === 'unit') {
		if (!unit) {
			setFieldError(unitInput, 'Nhập mã đơn vị của tài khoản.');
			focus = focus || unitInput;
		} else if (ctx.units.length && !ctx.units.some((u) => u.code === unit)) {
			setFieldError(unitInput, 'Không có đơn vị với mã “' + unit + '” trong danh mục.');
			focus = focus || unitInput;
		} else if (ctx.units.some((u) => u.code === unit && !files(u))) {
			setFieldError(unitInput, 'Đơn vị “' + unit + '” không tự nộp báo cáo (trạm y tế xã ' +
			    'do trung tâm y tế huyện nộp thay; Văn phòng Sở không nộp), nên không cấp ' +
			    'tài khoản đơn vị.');
			focus = focus || unitInput;
		}
		body.unit = unit;
	}
	if (username) {
		if (!USERNAME_RE.test(username)) {
			setFieldError(userInput, 'Tên đăng nhập chưa hợp lệ: ' + USERNAME_RULE);
			focus = focus || userInput;
		}
		body.username = username;
	} else if (role !== 'unit') {
		setFieldError(userInput, 'Nhập tên đăng nhập. ' + USERNAME_RULE);
		focus = focus || userInput;
	}
	if (fullName) body.full_name = fullName;
	if (role === 'viewer') {
		body.districts = districtChecks().filter((c) => c.checked).map((c) => c.value);
		if (!body.districts.length) {
			setDistrictError('Chọn ít nhất một huyện để tài khoản theo dõi thấy được số liệu.');
			focus = focus || districtChecks()[0] || null;
		}
	}
	return focus ? { focus } : { body };
}

async function onCreate(ev) {
	ev.preventDefault();
	const form = byId('create-form');
	const status = byId('create-status');
	clearFieldErrors(form);
	setDistrictError(null);
	fill(status);
	const r = readCreateForm();
	if (r.focus) {
		showMessage('Thông tin tài khoản chưa đủ; sửa các ô được đánh dấu.', 'error', { target: status });
		r.focus.focus();
		return;
	}
	const button = byId('create-button');
	setBusy(button, true, 'Đang tạo tài khoản…');
	try {
		const res = await api('POST', '/api/v1/accounts', r.body);
		const role = byId('new-role').value;
		form.reset();
		byId('new-role').value = role;
		onRoleChange();
		showMessage('Đã tạo tài khoản ' + res.username + ' (' + roleLabel(res.role) + ').',
			'success', { target: status });
		showOtp(res.username, res.one_time_password, 'create');
		await ctx.reload();
	} catch (e) {
		showError(e, { target: status });
		if (e.code === 'unknown_unit' || e.code === 'unit_required' ||
		    e.code === 'unit_does_not_file') byId('new-unit').focus();
		else if (e.code === 'bad_username' || e.code === 'exists') byId('new-username').focus();
	} finally {
		setBusy(button, false);
	}
}

/* ---------- Bulk ---------- */

/* Units the bulk issue would cover, as the server chooses them. */
function bulkCandidates(district) {
	const accounts = ctx.accounts();
	const taken = new Set(accounts.map((a) => a.username));
	const withAccount = new Set(accounts
		.filter((a) => a.role === 'unit' && a.active !== false && a.unit)
		.map((a) => a.unit));
	return ctx.units.filter((u) => files(u) &&
		(!district || u.district === district) &&
		!withAccount.has(u.code) && !taken.has(u.code.toLowerCase()));
}

function scopeLabel(district) {
	if (!district) return 'toàn tỉnh';
	const d = ctx.districts.find((x) => x.code === district);
	return d ? d.name : district;
}

export function updateBulkEstimate() {
	if (!ctx) return;
	const district = byId('bulk-district').value;
	const n = bulkCandidates(district).length;
	byId('bulk-estimate').textContent = n
		? 'Phạm vi ' + scopeLabel(district) + ': ' + fmtNumber(n) + ' đơn vị chưa có tài khoản sẽ ' +
		    'được cấp (trạm y tế xã và Văn phòng Sở không tự nộp báo cáo nên không cấp).'
		: 'Phạm vi ' + scopeLabel(district) + ': mọi đơn vị tự nộp báo cáo đều đã có tài khoản.';
}

function setBulkBusy(busy) {
	setBusy(byId('bulk-button'), busy, 'Đang tạo…');
	byId('bulk-district').disabled = busy;
	byId('bulk-progress').hidden = !busy;
}

async function onBulk(ev) {
	ev.preventDefault();
	const status = byId('bulk-status');
	const district = byId('bulk-district').value;
	const n = bulkCandidates(district).length;
	fill(status);
	const question = 'Cấp tài khoản cho ' + (n ? fmtNumber(n) + ' ' : 'các ') +
		'đơn vị chưa có tài khoản (' + scopeLabel(district) + ')?\n\n' +
		'File Excel chứa mật khẩu dùng một lần sẽ được tải về ngay sau đó.';
	if (!window.confirm(question)) return;
	setBulkBusy(true);
	try {
		const body = district ? { district } : {};
		const r = await api('POST', '/api/v1/accounts/bulk', body,
			{ expect: 'blob', filename: 'tai-khoan.xlsx' });
		if (!r || !r.blob) throw new Error('no file');
		downloadBlob(r.blob, r.filename);
		showMessage('Đã cấp tài khoản và tải về file “' + r.filename + '”. Mở file trong ' +
		    'thư mục Tải về; gửi mật khẩu cho từng đơn vị rồi xóa file.', 'success', { target: status });
	} catch (e) {
		if (e && e.code === 'network') {
			showError(e, { target: status, details: ['Nếu yêu cầu đã tới máy chủ, một số ' +
			    'tài khoản có thể đã được tạo: xem lại danh sách bên dưới; tài khoản nào ' +
			    'chưa nhận được mật khẩu thì dùng “Cấp lại mật khẩu”.'] });
		} else if (e && e.status !== undefined) showError(e, { target: status });
		else showMessage('Máy chủ không trả về file mật khẩu. Tải lại danh sách để xem ' +
		    'tài khoản nào đã được tạo; có thể dùng “Cấp lại mật khẩu” cho từng tài khoản.',
		    'error', { target: status });
	} finally {
		setBulkBusy(false);
	}
	await ctx.reload();
}

/* ---------- Start ---------- */

export function setupIssue(context) {
	ctx = context;
	fillRoleSelect();
	fillUnitsDatalist();
	fillDistrictChecks();
	fillSelect(byId('bulk-district'),
		ctx.districts.map((d) => ({ value: d.code, label: d.name })), 'Toàn tỉnh');
	onRoleChange();
	updateBulkEstimate();

	byId('new-role').addEventListener('change', onRoleChange);
	byId('create-form').addEventListener('submit', onCreate);
	byId('districts-all').addEventListener('click', () => {
		for (const c of districtChecks()) c.checked = true;
		setDistrictError(null);
	});
	byId('districts-none').addEventListener('click', () => {
		for (const c of districtChecks()) c.checked = false;
	});
	byId('bulk-district').addEventListener('change', updateBulkEstimate);
	byId('bulk-form').addEventListener('submit', onBulk);
	byId('otp-copy').addEventListener('click', onCopy);
	byId('otp-done').addEventListener('click', hideOtp);
}
