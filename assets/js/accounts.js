/*
 * Tài khoản (office and admin): the list with filters, and per account
 * "Cấp lại mật khẩu", "Mở khóa", "Ngừng hoạt động" and "Cho hoạt động
 * lại".  Issuing accounts is in account-issue.js.
 */
import {
	api, h, fill, byId, initPage, showMessage, showError, setBusy, tableWrap,
	emptyRow, badge, fmtDateTime, fmtNumber, roleLabel, fillSelect,
	matchesQuery, debounce, ROLE_LABELS,
} from './app.js';
import { setupIssue, showOtp, updateBulkEstimate } from './account-issue.js';

const STAFF = ['office', 'admin'];

const COLUMNS = [
	'Tên đăng nhập', 'Vai trò', 'Đơn vị / huyện theo dõi', 'Họ tên', 'Tình trạng',
	'Ngày tạo', 'Đăng nhập gần nhất', 'Thao tác',
];

const state = {
	myRole: '',
	myName: '',
	accounts: [],
	units: [],
	districts: [],
	districtNames: new Map(),
	unitNames: new Map(),
};

/* The office manages unit and viewer accounts; an admin manages all. */
function mayManage(role) {
	return state.myRole === 'admin' || role === 'unit' || role === 'viewer';
}

/* ---------- Cells ---------- */

function scopeCell(a) {
	if (a.role === 'unit') {
		const name = a.unit_name || state.unitNames.get(a.unit);
		return h('td', null, h('span', { class: 'nowrap' }, a.unit || ''),
			name ? h('span', { class: 'cell-sub' }, name) : null);
	}
	if (a.role === 'viewer') {
		const list = Array.isArray(a.districts) ? a.districts : [];
		if (!list.length) return h('td', null, h('span', { class: 'muted' }, 'Chưa chọn huyện'));
		if (state.districts.length && list.length === state.districts.length)
			return h('td', null, 'Toàn tỉnh (' + fmtNumber(list.length) + ' huyện)');
		return h('td', null, list.map((c) => state.districtNames.get(c) || c).join(', '));
	}
	return h('td', null, h('span', { class: 'muted' }, 'Toàn tỉnh'));
}

function statusCell(a) {
	const badges = [];
	if (a.active === false) badges.push(badge('Ngừng hoạt động', 'closed'));
	if (a.locked) badges.push(badge('Đang bị khóa', 'err'));
	if (a.otp_expired) badges.push(badge('Mật khẩu dùng một lần đã hết hạn', 'err'));
	else if (a.must_change_password) badges.push(badge('Chưa đổi mật khẩu', 'warn'));
	if (a.role === 'unit' && a.unit_files === false)
		badges.push(badge('Đơn vị không tự nộp báo cáo', 'closed'));
	if (!badges.length) badges.push(badge('Đang hoạt động', 'ok'));
	return h('td', null, badges);
}

/* Its name is what it says and then whose: speech input finds it by its text. */
function actionButton(label, kind, whose, fn) {
	return h('button', {
		type: 'button', class: 'btn btn-small ' + kind, 'aria-label': label + ' ' + whose,
		onClick: (ev) => fn(ev.currentTarget),
	}, label);
}

function actionsCell(a) {
	const buttons = [];
	const mine = a.username === state.myName;
	const account = 'tài khoản ' + a.username;
	if (mayManage(a.role) && a.active !== false) {
		buttons.push(actionButton(a.otp_expired ? 'Cấp mật khẩu mới' : 'Cấp lại mật khẩu',
			'btn-secondary', 'cho ' + a.username, (b) => resetPassword(a, b)));
	}
	if (mayManage(a.role) && a.locked)
		buttons.push(actionButton('Mở khóa', 'btn-danger', account, (b) => unlock(a, b)));
	if (mayManage(a.role) && !mine) {
		buttons.push(a.active === false
			? actionButton('Cho hoạt động lại', 'btn-secondary', account,
				(b) => setActive(a, true, b))
			: actionButton('Ngừng hoạt động', 'btn-danger', account,
				(b) => setActive(a, false, b)));
	}
	return h('td', null, buttons.length ? h('div', { class: 'row-actions' }, buttons)
		: h('span', { class: 'muted' }, '—'));
}

function accountRow(a) {
	return h('tr', null,
		h('th', { scope: 'row', class: 'nowrap' }, a.username),
		h('td', null, roleLabel(a.role)),
		scopeCell(a),
		h('td', null, a.full_name || h('span', { class: 'muted' }, '—')),
		statusCell(a),
		h('td', { class: 'nowrap' }, fmtDateTime(a.created_at)),
		h('td', { class: 'nowrap' }, a.last_login_at ? fmtDateTime(a.last_login_at)
			: h('span', { class: 'muted' }, 'Chưa đăng nhập')),
		actionsCell(a));
}

/* ---------- List ---------- */

function filtered() {
	const role = byId('filter-role').value;
	const st = byId('filter-state').value;
	const text = byId('filter-text').value;
	return state.accounts.filter((a) =>
		(!role || a.role === role) &&
		(!st || (st === 'must_change' && a.must_change_password) ||
			(st === 'otp_expired' && a.otp_expired) ||
			(st === 'locked' && a.locked) || (st === 'inactive' && a.active === false)) &&
		matchesQuery(text, a.username, a.full_name, a.unit, a.unit_name));
}

function render() {
	const list = filtered();
	const rows = list.length ? list.map(accountRow)
		: [emptyRow(COLUMNS.length, state.accounts.length
			? 'Không có tài khoản nào khớp bộ lọc.' : 'Chưa có tài khoản nào.')];
	const table = h('table', null,
		h('thead', null, h('tr', null, COLUMNS.map((c) => h('th', { scope: 'col' }, c)))),
		h('tbody', null, rows));
	const area = byId('accounts-table');
	fill(area, tableWrap(table, 'Bảng tài khoản'));
	area.setAttribute('aria-busy', 'false');
	const waiting = state.accounts.filter((a) => a.must_change_password).length;
	byId('accounts-count').textContent = 'Hiển thị ' + fmtNumber(list.length) + ' / ' +
	    fmtNumber(state.accounts.length) + ' tài khoản; ' + fmtNumber(waiting) +
	    ' tài khoản chưa đổi mật khẩu.';
}

async function reloadAccounts() {
	try {
		const list = await api('GET', '/api/v1/accounts');
		state.accounts = Array.isArray(list) ? list : [];
		render();
		updateBulkEstimate();
	} catch (e) {
		showError(e);
	}
}

/* ---------- Row actions ---------- */

async function resetPassword(a, button) {
	const ok = window.confirm('Cấp lại mật khẩu cho tài khoản “' + a.username + '”?\n\n' +
		'Mật khẩu hiện tại sẽ không dùng được nữa; người dùng phải đăng nhập bằng ' +
		'mật khẩu dùng một lần mới và đổi mật khẩu ngay.');
	if (!ok) return;
	setBusy(button, true, 'Đang cấp lại…');
	try {
		const r = await api('POST', '/api/v1/accounts/' + encodeURIComponent(a.username) + '/reset');
		showOtp(r.username || a.username, r.one_time_password, 'reset');
		await reloadAccounts();
	} catch (e) {
		showError(e);
	} finally {
		setBusy(button, false);
	}
}

async function unlock(a, button) {
	setBusy(button, true, 'Đang mở khóa…');
	try {
		await api('POST', '/api/v1/accounts/' + encodeURIComponent(a.username) + '/unlock');
		showMessage('Đã mở khóa tài khoản ' + a.username + '. Người dùng có thể đăng nhập lại ngay.',
			'success');
		await reloadAccounts();
	} catch (e) {
		showError(e);
	} finally {
		setBusy(button, false);
	}
}

/*
 * Ngừng hoạt động: the account cannot sign in and its sessions end at
 * once; nothing it filed changes.  Cho hoạt động lại undoes it.
 */
async function setActive(a, active, button) {
	const question = active
		? 'Cho tài khoản “' + a.username + '” hoạt động lại?\n\nNgười dùng đăng nhập được ' +
		    'bằng mật khẩu đang có.'
		: 'Ngừng hoạt động tài khoản “' + a.username + '”?\n\nNgười dùng bị đăng xuất ngay ' +
		    'và không đăng nhập được nữa; các báo cáo đã nộp vẫn giữ nguyên. Có thể cho ' +
		    'hoạt động lại sau.';
	if (!window.confirm(question)) return;
	setBusy(button, true, active ? 'Đang mở lại…' : 'Đang ngừng…');
	try {
		await api('POST', '/api/v1/accounts/' + encodeURIComponent(a.username) +
		    (active ? '/activate' : '/deactivate'));
		showMessage(active ? 'Tài khoản ' + a.username + ' đã hoạt động lại.'
			: 'Đã ngừng hoạt động tài khoản ' + a.username + '.', 'success');
		await reloadAccounts();
	} catch (e) {
		showError(e);
	} finally {
		setBusy(button, false);
	}
}

/* ---------- Start ---------- */

async function loadReference() {
	const [units, districts] = await Promise.all([
		api('GET', '/api/v1/units').catch(() => []),
		api('GET', '/api/v1/districts').catch(() => []),
	]);
	state.units = Array.isArray(units) ? units : [];
	state.districts = Array.isArray(districts) ? districts : [];
	state.unitNames = new Map(state.units.map((u) => [u.code, u.name]));
	state.districtNames = new Map(state.districts.map((d) => [d.code, d.name]));
}

async function main() {
	const session = await initPage({
		roles: STAFF,
		deniedMessage: 'Trang Tài khoản chỉ dành cho Văn phòng Sở và quản trị hệ thống.',
	});
	if (!session) return;
	state.myRole = session.user.role;
	state.myName = session.user.username;
	const stateFilter = byId('filter-state');
	if (!stateFilter.querySelector('option[value="otp_expired"]')) {
		stateFilter.querySelector('option[value="must_change"]').after(
			h('option', { value: 'otp_expired' }, 'Mật khẩu dùng một lần đã hết hạn'));
	}
	fillSelect(byId('filter-role'),
		Object.entries(ROLE_LABELS).map(([value, label]) => ({ value, label })), 'Tất cả');
	byId('filter-role').addEventListener('change', render);
	byId('filter-state').addEventListener('change', render);
	byId('filter-text').addEventListener('input', debounce(render, 150));

	await loadReference();
	setupIssue({
		role: state.myRole,
		units: state.units,
		districts: state.districts,
		accounts: () => state.accounts,
		reload: reloadAccounts,
	});
	await reloadAccounts();
}

main();
