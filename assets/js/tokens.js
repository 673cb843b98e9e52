/*
 * Mã tích hợp (office only): integration tokens that let a unit's
 * hospital information system (HIS/LIS) file that unit's reports with
 * "Authorization: Bearer".  Issuing shows the token once, in a box like
 * the one-time password box of the accounts page; the list shows every
 * token with "Thu hồi" for the active ones.
 */
import {
	api, h, fill, byId, initPage, showMessage, showError, setBusy, setFieldError,
	clearFieldErrors, tableWrap, emptyRow, badge, fmtDate, fmtDateTime, fmtNumber,
	matchesQuery, normalizeText, debounce, copyText,
} from './app.js';

const OFFICE = ['office'];

const COLUMNS = [
	'Đơn vị', 'Tên', 'Ngày cấp', 'Dùng gần nhất', 'Tình trạng', 'Thao tác',
];

/* The name's limit, in characters as the server counts them. */
const NAME_MAX = 100;

const state = {
	tokens: [],
	units: [],
	unitsByCode: new Map(),
};

/* ---------- The one-time token box ---------- */

/* Shows a token once; it is never stored anywhere. */
function showToken(res, name) {
	const unitName = state.unitsByCode.get(res.unit)?.name;
	byId('token-intro').textContent = 'Đã cấp mã tích hợp cho đơn vị ' + res.unit +
		(unitName ? ' (' + unitName + ')' : '') + ', dùng cho “' + name + '”. Mã:';
	byId('token-value').value = res.token;
	byId('token-copy-status').textContent = '';
	const box = byId('token-box');
	box.hidden = false;
	box.scrollIntoView({ block: 'start' });
	box.focus();
}

function hideToken() {
	byId('token-value').value = '';
	byId('token-copy-status').textContent = '';
	byId('token-box').hidden = true;
}

async function onCopy() {
	const input = byId('token-value');
	const ok = await copyText(input.value, input);
	byId('token-copy-status').textContent = ok ? 'Đã sao chép.'
		: 'Không sao chép tự động được: hãy chọn mã và nhấn Ctrl+C.';
}

/* ---------- The create form ---------- */

function fillUnitsDatalist() {
	fill(byId('units-datalist'), state.units
		.filter((u) => u.active !== false)
		.map((u) => h('option', { value: u.code }, u.name)));
}

/* The unit typed: a code (any case) or a unit's full name → the unit. */
function findUnit(text) {
	const t = text.trim();
	if (!t) return null;
	const byCode = state.unitsByCode.get(t.toUpperCase());
	if (byCode) return byCode;
	const n = normalizeText(t);
	const named = state.units.filter((u) => normalizeText(u.name) === n);
	return named.length === 1 ? named[0] : null;
}

function onUnitInput() {
	const u = findUnit(byId('new-unit').value);
	byId('new-unit-name').textContent = u
		? 'Đơn vị: ' + u.name + (u.active === false ? ' (đang ngừng hoạt động)' : '') : '';
}

/* Reads and checks the form; returns {body} or {focus} on a problem. */
function readCreateForm() {
	const unitInput = byId('new-unit');
	const nameInput = byId('new-name');
	const typed = unitInput.value.trim();
	const name = nameInput.value.trim();
	const body = {};
	let focus = null;

	if (!typed) {
		setFieldError(unitInput, 'Nhập mã hoặc tên đơn vị được cấp mã.');
		focus = unitInput;
	} else if (state.units.length) {
		const u = findUnit(typed);
		if (!u) {
			setFieldError(unitInput, 'Không tìm thấy đơn vị “' + typed + '” trong danh mục; ' +
			    'hãy chọn trong danh sách gợi ý.');
			focus = unitInput;
		} else if (u.active === false) {
			setFieldError(unitInput, 'Đơn vị ' + u.code + ' đang ngừng hoạt động, không cấp mã được.');
			focus = unitInput;
		} else {
			body.unit = u.code;
		}
	} else {
		/* No catalogue at hand: the server decides. */
		body.unit = typed.toUpperCase();
	}

	if (!name) {
		setFieldError(nameInput, 'Nhập tên phần mềm hoặc nhà cung cấp sẽ dùng mã.');
		focus = focus || nameInput;
	} else if ([...name].length > NAME_MAX) {
		setFieldError(nameInput, 'Tên dài quá ' + NAME_MAX + ' ký tự; hãy viết gọn lại.');
		focus = focus || nameInput;
	}
	body.name = name;
	return focus ? { focus } : { body };
}

async function onCreate(ev) {
	ev.preventDefault();
	const form = byId('create-form');
	const status = byId('create-status');
	clearFieldErrors(form);
	fill(status);
	const r = readCreateForm();
	if (r.focus) {
		showMessage('Thông tin chưa đủ; sửa các ô được đánh dấu.', 'error', { target: status });
		r.focus.focus();
		return;
	}
	const button = byId('create-button');
	setBusy(button, true, 'Đang cấp mã…');
	try {
		const res = await api('POST', '/api/v1/tokens', r.body);
		form.reset();
		onUnitInput();
		showMessage('Đã cấp mã tích hợp cho đơn vị ' + res.unit + '.', 'success',
			{ target: status });
		showToken(res, r.body.name);
		await reloadTokens();
	} catch (e) {
		showError(e, { target: status });
		if (e.code === 'unknown_unit') {
			setFieldError(byId('new-unit'), e.message);
			byId('new-unit').focus();
		} else if (e.code === 'bad_token_request') {
			byId(r.body.unit ? 'new-name' : 'new-unit').focus();
		}
	} finally {
		setBusy(button, false);
	}
}

/* ---------- Cells ---------- */

function unitCell(t) {
	const name = t.unit_name || state.unitsByCode.get(t.unit)?.name;
	return h('td', null, h('span', { class: 'nowrap' }, t.unit || ''),
		name ? h('span', { class: 'cell-sub' }, name) : null);
}

function createdCell(t) {
	return h('td', null, h('span', { class: 'nowrap' }, fmtDateTime(t.created_at)),
		t.created_by ? h('span', { class: 'cell-sub' }, 'Người cấp: ' + t.created_by) : null);
}

function statusCell(t) {
	return h('td', { class: 'nowrap' }, t.revoked_at
		? badge('Đã thu hồi ' + fmtDate(t.revoked_at), 'closed')
		: badge('Đang dùng', 'ok'));
}

function actionsCell(t) {
	if (t.revoked_at) return h('td', null, h('span', { class: 'muted' }, '—'));
	return h('td', null, h('div', { class: 'row-actions' }, h('button', {
		type: 'button', class: 'btn btn-small btn-danger',
		'aria-label': 'Thu hồi mã “' + (t.name || '') + '” của đơn vị ' + t.unit,
		onClick: (ev) => revoke(t, ev.currentTarget),
	}, 'Thu hồi')));
}

function tokenRow(t) {
	return h('tr', null,
		unitCell(t),
		h('th', { scope: 'row' }, t.name || ''),
		createdCell(t),
		h('td', { class: 'nowrap' }, t.last_used_at ? fmtDateTime(t.last_used_at)
			: h('span', { class: 'muted' }, 'Chưa dùng')),
		statusCell(t),
		actionsCell(t));
}

/* ---------- List ---------- */

function filtered() {
	const st = byId('filter-state').value;
	const text = byId('filter-text').value;
	return state.tokens.filter((t) =>
		(!st || (st === 'active' && !t.revoked_at) || (st === 'revoked' && t.revoked_at)) &&
		matchesQuery(text, t.unit, t.unit_name, t.name, t.created_by));
}

function render() {
	const list = filtered();
	const rows = list.length ? list.map(tokenRow)
		: [emptyRow(COLUMNS.length, state.tokens.length
			? 'Không có mã nào khớp bộ lọc.' : 'Chưa cấp mã tích hợp nào.')];
	const table = h('table', null,
		h('thead', null, h('tr', null, COLUMNS.map((c) => h('th', { scope: 'col' }, c)))),
		h('tbody', null, rows));
	const area = byId('tokens-table');
	fill(area, tableWrap(table, 'Bảng mã tích hợp'));
	area.setAttribute('aria-busy', 'false');
	const active = state.tokens.filter((t) => !t.revoked_at).length;
	byId('tokens-count').textContent = 'Hiển thị ' + fmtNumber(list.length) + ' / ' +
	    fmtNumber(state.tokens.length) + ' mã; ' + fmtNumber(active) + ' mã đang dùng.';
}

async function reloadTokens() {
	try {
		const list = await api('GET', '/api/v1/tokens');
		state.tokens = Array.isArray(list) ? list : [];
		render();
	} catch (e) {
		showError(e);
	}
}

/* ---------- Revoke ---------- */

async function revoke(t, button) {
	const ok = window.confirm('Thu hồi mã tích hợp “' + (t.name || '') + '” của đơn vị ' +
		t.unit + '?\n\nPhần mềm đang dùng mã này sẽ không đọc, lưu hay nộp được báo cáo ' +
		'nữa, ngay lập tức. Không hoàn tác được; nếu cần, hãy cấp mã mới.');
	if (!ok) return;
	setBusy(button, true, 'Đang thu hồi…');
	try {
		await api('DELETE', '/api/v1/tokens/' + encodeURIComponent(t.id));
		showMessage('Đã thu hồi mã “' + (t.name || '') + '” của đơn vị ' + t.unit + '.',
			'success');
	} catch (e) {
		showError(e);
	} finally {
		setBusy(button, false);
	}
	await reloadTokens();
}

/* ---------- Start ---------- */

async function main() {
	const session = await initPage({
		roles: OFFICE,
		deniedMessage: 'Trang Mã tích hợp chỉ dành cho Văn phòng Sở.',
	});
	if (!session) return;
	byId('filter-state').addEventListener('change', render);
	byId('filter-text').addEventListener('input', debounce(render, 150));
	byId('create-form').addEventListener('submit', onCreate);
	byId('new-unit').addEventListener('input', onUnitInput);
	byId('token-copy').addEventListener('click', onCopy);
	byId('token-done').addEventListener('click', hideToken);

	const units = await api('GET', '/api/v1/units').catch(() => []);
	state.units = Array.isArray(units) ? units : [];
	state.unitsByCode = new Map(state.units.map((u) => [u.code, u]));
	fillUnitsDatalist();
	await reloadTokens();
}

main();
