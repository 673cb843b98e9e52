/*
 * Khu vực: the areas a period is grouped by, as they were on a chosen
 * day; for the office, a new area (or a new name or kind of one from a
 * day) and the end of an area.  An area still holding units on its end
 * day is refused: the answer names them, and they are moved with a
 * registry file first.
 *
 * GET  /api/v1/areas?date=     POST /api/v1/areas
 * POST /api/v1/areas/{code}/end {"date"}
 */
import {
	api, h, fill, byId, initPage, showMessage, showError, clearMessages,
	setBusy, setFieldError, clearFieldErrors, tableWrap, emptyRow, fmtNumber,
	fmtDate, fillSelect, todayVN, queryParam, setQueryParam,
} from './app.js';

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const KINDS = [
	{ value: 'ward', label: 'Phường' },
	{ value: 'commune', label: 'Xã' },
	{ value: 'catchment', label: 'Địa bàn Trung tâm Y tế' },
	{ value: 'other', label: 'Khu vực khác' },
	{ value: 'city', label: 'Thành phố (cấp huyện, trước 01/7/2025)' },
	{ value: 'town', label: 'Thị xã (trước 01/7/2025)' },
	{ value: 'district', label: 'Huyện (trước 01/7/2025)' },
];
const FIELDS = { code: 'edit-code', name: 'edit-name', kind: 'edit-kind', valid_from: 'edit-from' };

const S = { areas: [], office: false, ending: null };

function dayBefore(iso) {
	const m = iso.split('-').map(Number);
	return new Date(Date.UTC(m[0], m[1] - 1, m[2] - 1)).toISOString().slice(0, 10);
}

function validText(a) {
	const from = a.valid_from ? 'từ ' + fmtDate(a.valid_from) : 'từ trước khi có danh mục';
	return from + (a.valid_to ? ' đến hết ' + fmtDate(dayBefore(a.valid_to)) : '');
}

function row(a) {
	const end = S.office ? h('td', null, h('button', {
		type: 'button', class: 'btn btn-small btn-secondary',
		'aria-label': 'Kết thúc khu vực ' + a.name, onClick: () => openEnd(a),
	}, 'Kết thúc')) : null;
	return h('tr', null,
		h('td', { class: 'nowrap' }, a.code),
		h('th', { scope: 'row' }, a.name),
		h('td', null, a.kind_label || a.kind),
		h('td', { class: 'small' }, validText(a)),
		h('td', { class: 'num' }, fmtNumber(a.units)),
		end);
}

function render() {
	const heads = ['Mã', 'Tên khu vực', 'Loại', 'Hiệu lực', 'Số đơn vị'];
	if (S.office) heads.push('Thao tác');
	const rows = S.areas.length ? S.areas.map(row)
		: [emptyRow(heads.length, 'Không có khu vực nào có hiệu lực vào ngày này.')];
	fill(byId('areas-table'), tableWrap(h('table', null,
		h('thead', null, h('tr', null, heads.map((c) => h('th', { scope: 'col' }, c)))),
		h('tbody', null, rows)), 'Bảng khu vực'));
	byId('areas-table').setAttribute('aria-busy', 'false');
	byId('areas-count').textContent = fmtNumber(S.areas.length) +
	    ' khu vực có hiệu lực ngày ' + fmtDate(byId('date').value) + '.';
}

async function load() {
	const day = byId('date').value;
	const area = byId('areas-table');
	area.setAttribute('aria-busy', 'true');
	fill(area, h('p', { class: 'loading' }, 'Đang tải danh sách khu vực…'));
	try {
		const list = await api('GET', '/api/v1/areas?date=' + encodeURIComponent(day));
		S.areas = Array.isArray(list) ? list : [];
		render();
	} catch (e) {
		fill(area);
		area.setAttribute('aria-busy', 'false');
		showError(e);
	}
}

function onDate() {
	const input = byId('date');
	if (!DATE_RE.test(input.value)) {
		setFieldError(input, 'Chọn một ngày (ngày/tháng/năm).');
		return;
	}
	setFieldError(input, null);
	setQueryParam('date', input.value);
	load();
}

/* ---------- New area, or a new name from a day ---------- */

async function onSave(ev) {
	ev.preventDefault();
	const form = byId('edit-form');
	clearFieldErrors(form);
	fill(byId('edit-status'));
	const body = {
		code: byId('edit-code').value.trim().toUpperCase(),
		name: byId('edit-name').value.trim(),
		kind: byId('edit-kind').value,
		valid_from: byId('edit-from').value,
	};
	let bad = false;
	if (!/^[A-Z0-9_-]{2,32}$/.test(body.code)) {
		setFieldError(byId('edit-code'), 'Mã gồm 2–32 chữ in hoa không dấu, số, gạch dưới hoặc gạch ngang.');
		bad = true;
	}
	if (!body.name) {
		setFieldError(byId('edit-name'), 'Nhập tên khu vực.');
		bad = true;
	}
	if (!DATE_RE.test(body.valid_from)) {
		setFieldError(byId('edit-from'), 'Chọn ngày bắt đầu.');
		bad = true;
	}
	if (bad) return;
	const button = byId('edit-save');
	setBusy(button, true, 'Đang lưu…');
	let r;
	try {
		r = await api('POST', '/api/v1/areas', body);
	} catch (e) {
		for (const d of Array.isArray(e.details) ? e.details : [])
			if (d && FIELDS[d.field]) setFieldError(byId(FIELDS[d.field]), d.message);
		showError(e, { target: byId('edit-status') });
		return;
	} finally {
		setBusy(button, false);
	}
	const what = { created: 'Đã thêm khu vực', changed: 'Đã đổi tên hoặc loại của khu vực',
	    reopened: 'Khu vực có hiệu lực trở lại', same: 'Không có gì thay đổi ở khu vực' }[r.result] || 'Đã lưu khu vực';
	showMessage(what + ' “' + r.area.name + '” (' + r.area.code + ') kể từ ngày ' +
	    fmtDate(r.area.valid_from) + '.', 'success', { target: byId('edit-status') });
	form.reset();
	byId('edit-from').value = body.valid_from;
	await load();
}

/* ---------- The end of an area ---------- */

function openEnd(a) {
	S.ending = a;
	fill(byId('end-area'), a.name + ' (' + a.code + '), ' + validText(a) + '.');
	fill(byId('end-status'));
	fill(byId('end-units'));
	byId('end-date').value = byId('date').value;
	setFieldError(byId('end-date'), null);
	byId('end-dialog').showModal();
}

function closeEnd() {
	const d = byId('end-dialog');
	if (d.open) d.close();
	S.ending = null;
}

async function onEnd(ev) {
	ev.preventDefault();
	const a = S.ending;
	if (!a) return;
	const input = byId('end-date');
	if (!DATE_RE.test(input.value)) {
		setFieldError(input, 'Chọn ngày kết thúc.');
		return;
	}
	setFieldError(input, null);
	fill(byId('end-units'));
	const button = byId('end-save');
	setBusy(button, true, 'Đang kết thúc…');
	try {
		await api('POST', '/api/v1/areas/' + encodeURIComponent(a.code) + '/end', { date: input.value });
	} catch (e) {
		const units = e.status === 409 && Array.isArray(e.details) ? e.details : [];
		showError(e, { target: byId('end-status'), details: null });
		if (units.length)
			fill(byId('end-units'), h('ul', null, units.map((u) =>
				h('li', null, u.code + ' — ' + (u.name || '')))));
		return;
	} finally {
		setBusy(button, false);
	}
	closeEnd();
	showMessage('Khu vực “' + a.name + '” kết thúc từ ngày ' + fmtDate(input.value) +
	    ' (dùng đến hết ngày ' + fmtDate(dayBefore(input.value)) + ').', 'success');
	await load();
}

/* ---------- Start ---------- */

async function main() {
	const session = await initPage();
	if (!session) return;
	S.office = session.user.role === 'office';
	const want = queryParam('date');
	byId('date').value = want && DATE_RE.test(want) ? want : todayVN();
	byId('date').addEventListener('change', onDate);
	if (S.office) {
		byId('edit-section').hidden = false;
		fillSelect(byId('edit-kind'), KINDS);
		byId('edit-from').value = todayVN();
		byId('edit-form').addEventListener('submit', onSave);
		byId('end-form').addEventListener('submit', onEnd);
		byId('end-cancel').addEventListener('click', closeEnd);
		byId('end-dialog').addEventListener('close', () => { S.ending = null; });
	}
	clearMessages();
	await load();
}

main();
