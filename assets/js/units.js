/*
 * Danh mục đơn vị: the registry with filters, and for the office the
 * CSV import (all rows or none; every problem listed with line and
 * column so the file is fixed in one go).
 */
import {
	api, h, fill, byId, initPage, showMessage, showError, clearMessages,
	setBusy, setFieldError, tableWrap, emptyRow, badge, fmtNumber,
	fillSelect, matchesQuery, debounce,
} from './app.js';

const MAX_IMPORT_BYTES = 2 * 1024 * 1024;

const state = {
	units: [],
	kinds: [],
	districts: [],
	unitNames: new Map(),
};

const COLUMNS = [
	'Mã', 'Tên đơn vị', 'Loại', 'Công lập', 'Huyện', 'Đơn vị quản lý',
	'GKSKLX', 'Bệnh viện', 'CDC',
];

/* ---------- The list ---------- */

function yesNo(value) {
	return value ? h('span', null, 'Có') : h('span', { class: 'muted' }, 'Không');
}

function parentCell(u) {
	if (!u.parent) return h('td', null, h('span', { class: 'muted' }, '—'));
	const name = state.unitNames.get(u.parent);
	return h('td', null,
		h('span', { class: 'nowrap' }, u.parent),
		name ? h('span', { class: 'cell-sub' }, name) : null);
}

function unitRow(u) {
	return h('tr', null,
		h('td', { class: 'nowrap' }, u.code),
		h('th', { scope: 'row' }, u.name,
			u.active === false ? [' ', badge('Ngừng hoạt động', 'closed')] : null),
		h('td', null, u.kind_label || u.kind),
		h('td', null, yesNo(u.is_public)),
		h('td', null, u.district_name || u.district),
		parentCell(u),
		h('td', { class: 'center' }, yesNo(u.gksklx)),
		h('td', { class: 'center' }, yesNo(u.hospital)),
		h('td', { class: 'center' }, yesNo(u.cdc)));
}

function filtered() {
	const district = byId('filter-district').value;
	const kind = byId('filter-kind').value;
	const text = byId('filter-text').value;
	return state.units.filter((u) =>
		(!district || u.district === district) &&
		(!kind || u.kind === kind) &&
		matchesQuery(text, u.code, u.name));
}

function render() {
	const list = filtered();
	const rows = list.length ? list.map(unitRow)
		: [emptyRow(COLUMNS.length, state.units.length
			? 'Không có đơn vị nào khớp bộ lọc.' : 'Danh mục chưa có đơn vị nào.')];
	const table = h('table', null,
		h('thead', null, h('tr', null, COLUMNS.map((c) => h('th', { scope: 'col' }, c)))),
		h('tbody', null, rows));
	const area = byId('units-table');
	fill(area, tableWrap(table, 'Bảng danh mục đơn vị'));
	area.setAttribute('aria-busy', 'false');
	byId('units-count').textContent = 'Hiển thị ' + fmtNumber(list.length) + ' / ' +
	    fmtNumber(state.units.length) + ' đơn vị.';
}

function fillFilters() {
	fillSelect(byId('filter-district'),
		state.districts.map((d) => ({ value: d.code, label: d.name })), 'Tất cả');
	fillSelect(byId('filter-kind'),
		state.kinds.map((k) => ({ value: k.code, label: k.label })), 'Tất cả');
}

function explainKinds() {
	if (!state.kinds.length) return;
	const parts = [];
	state.kinds.forEach((k, i) => {
		if (i > 0) parts.push(', ');
		parts.push(h('code', null, k.code), ' (' + k.label + ')');
	});
	fill(byId('kinds-explained'), parts);
}

async function loadUnits() {
	const units = await api('GET', '/api/v1/units');
	state.units = Array.isArray(units) ? units : [];
	state.unitNames = new Map(state.units.map((u) => [u.code, u.name]));
}

async function loadAll() {
	try {
		const [kinds, districts] = await Promise.all([
			api('GET', '/api/v1/unit-kinds'),
			api('GET', '/api/v1/districts'),
			loadUnits(),
		]);
		state.kinds = Array.isArray(kinds) ? kinds : [];
		state.districts = Array.isArray(districts) ? districts : [];
		fillFilters();
		explainKinds();
		render();
	} catch (e) {
		fill(byId('units-table'));
		showError(e);
	}
}

/* ---------- The import ---------- */

/*
 * In the server's order: the file's and the registry's problems by line,
 * and last, past the limit, the one that counts the rest ("the errors
 * above"), which a sort by line would move to the top.
 */
function importErrorsTable(details) {
	const rows = details.map((d) => h('tr', null,
		h('td', { class: 'num' }, d.line > 0 ? fmtNumber(d.line) : 'Cả file'),
		h('td', null, d.column ? h('code', null, d.column) : '—'),
		h('td', null, d.message || '')));
	const table = h('table', null,
		h('caption', null, 'Có ' + fmtNumber(details.length) + ' lỗi cần sửa'),
		h('thead', null, h('tr', null,
			h('th', { scope: 'col' }, 'Dòng'),
			h('th', { scope: 'col' }, 'Cột'),
			h('th', { scope: 'col' }, 'Lỗi'))),
		h('tbody', null, rows));
	return tableWrap(table, 'Bảng lỗi của file nhập');
}

const NOTHING_IMPORTED = 'Chưa nhập dòng nào; sửa các lỗi sau rồi nhập lại.';

function showImportFailure(e) {
	const details = Array.isArray(e.details) ? e.details : [];
	if (e.status === 422) {
		const text = /chưa nhập/i.test(e.message || '') ? e.message
			: (e.message ? e.message + ' ' : '') + NOTHING_IMPORTED;
		showMessage(text, 'error', { target: byId('import-status') });
		fill(byId('import-errors'), details.length ? importErrorsTable(details) : null);
		return;
	}
	showError(e, { target: byId('import-status'), details: details.length ? details : null });
}

function checkFile(file) {
	if (!file) return 'Chọn file CSV cần nhập.';
	if (!/\.csv$/i.test(file.name))
		return 'File phải là CSV (đuôi .csv). Với file Excel, lưu lại dưới dạng “CSV UTF-8 (Comma delimited)” rồi chọn lại file.';
	if (file.size === 0) return 'File đang trống.';
	if (file.size > MAX_IMPORT_BYTES)
		return 'File quá lớn (' + fmtNumber(Math.ceil(file.size / 1024)) +
		    ' KB): tối đa 2 MB. Hãy chia file theo huyện.';
	return null;
}

async function onImport(ev) {
	ev.preventDefault();
	const input = byId('import-file');
	const button = byId('import-button');
	const file = input.files && input.files[0];
	fill(byId('import-status'));
	fill(byId('import-errors'));
	const problem = checkFile(file);
	setFieldError(input, problem);
	if (problem) {
		input.focus();
		return;
	}
	let buf;
	try {
		buf = await file.arrayBuffer();
	} catch (e) {
		setFieldError(input, 'Không đọc được file (có thể file đã bị đổi tên hoặc xóa). Hãy chọn lại file.');
		input.focus();
		return;
	}
	setBusy(button, true, 'Đang kiểm tra và nhập…');
	let r;
	try {
		r = await api('POST', '/api/v1/units/import', null,
			{ rawBody: buf, contentType: 'text/csv; charset=utf-8' });
	} catch (e) {
		showImportFailure(e);
		return;
	} finally {
		setBusy(button, false);
	}
	showMessage('Đã nhập xong ' + fmtNumber(r.total) + ' đơn vị từ file “' + file.name +
	    '”: ' + fmtNumber(r.created) + ' thêm mới, ' + fmtNumber(r.updated) + ' cập nhật.',
	    'success', { target: byId('import-status') });
	input.value = '';
	await reloadList();
}

async function reloadList() {
	try {
		await loadUnits();
		render();
	} catch (e) {
		showError(e);
	}
}

/* ---------- Start ---------- */

async function main() {
	const session = await initPage();
	if (!session) return;
	if (session.user.role === 'office') {
		byId('import-section').hidden = false;
		byId('import-form').addEventListener('submit', onImport);
	}
	const rerender = debounce(render, 150);
	byId('filter-district').addEventListener('change', render);
	byId('filter-kind').addEventListener('change', render);
	byId('filter-text').addEventListener('input', rerender);
	clearMessages();
	await loadAll();
}

main();
