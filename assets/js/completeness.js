/*
 * Tiến độ nộp (office, viewer, admin): for one period, how many reports
 * are expected, filed, on time, late and missing, by district; the units
 * still to file with their focal points to chase; the late ones.
 * Viewers see only the districts assigned to them (the server decides).
 *
 * GET /api/v1/completeness/{period}
 */
import {
	api, h, fill, byId, initPage, showMessage, showError, tableWrap, cardLabels, emptyRow,
	badge, fmtDate, fmtDateTime, fmtNumber, fillSelect, formLabel, statusLabel,
	queryParam, setQueryParam, todayVN, daysBetween, currentYearVN, copyText,
} from './app.js';
import { startPeriodPicker, stateBadge } from './periods.js';

const STATUS_BADGE = {
	not_started: 'closed', draft: 'info', submitted: 'warn', returned: 'err', accepted: 'ok',
};
const enc = encodeURIComponent;

const S = {
	periods: [],
	period: null,
	data: null,
	seq: 0,
};

/* ------------------------------------------------------------------ */
/* Period                                                             */
/* ------------------------------------------------------------------ */

function selectPeriod(p) {
	S.period = p;
	load();
}

/* ------------------------------------------------------------------ */
/* Loading                                                            */
/* ------------------------------------------------------------------ */

async function load() {
	const seq = ++S.seq;
	const status = byId('cp-status');
	if (!S.period) {
		S.data = null;
		render();
		return;
	}
	fill(status, h('p', { class: 'progress' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }),
		'Đang tải tiến độ nộp ' + S.period.name + '…'));
	let data;
	try {
		data = await api('GET', '/api/v1/completeness/' + enc(S.period.code));
	} catch (e) {
		if (seq !== S.seq) return;
		fill(status);
		S.data = null;
		render();
		showError(e);
		return;
	}
	if (seq !== S.seq) return;
	fill(status);
	S.data = data && typeof data === 'object' ? data : null;
	fillDistricts();
	render();
}

function fillDistricts() {
	const sel = byId('district');
	const list = (S.data && Array.isArray(S.data.by_district)) ? S.data.by_district : [];
	fillSelect(sel, list.map((d) => ({ value: d.code, label: d.name || d.code })), 'Tất cả');
	const want = queryParam('district');
	if (want && list.some((d) => d.code === want)) sel.value = want;
}

/* ------------------------------------------------------------------ */
/* Drawing                                                            */
/* ------------------------------------------------------------------ */

function pct(part, whole) {
	const w = Number(whole) || 0;
	if (!w) return null;
	return Math.round((Number(part) || 0) * 1000 / w) / 10;
}

function pctText(part, whole) {
	const v = pct(part, whole);
	return v === null ? '—' : fmtNumber(v, 1) + ' %';
}

function progressBar(reported, expected, label) {
	const max = Math.max(1, Number(expected) || 0);
	return h('progress', {
		class: 'cp-progress', max: String(max), value: String(Math.min(max, Number(reported) || 0)),
		'aria-label': label,
	}, pctText(reported, expected));
}

function stat(label, value, cls, sub, key) {
	return h('li', { class: ['kpi', cls ? 'is-' + cls : ''], 'data-stat': key },
		h('span', { class: 'kpi-label' }, label),
		h('span', { class: 'kpi-value' }, fmtNumber(Number(value) || 0)),
		sub ? h('span', { class: 'kpi-sub' }, sub) : null);
}

function renderTotals(d) {
	const forms = (d.period && d.period.forms) || (S.period && S.period.forms) || [];
	const expected = Number(d.expected) || 0;
	fill(byId('totals'),
		h('ul', { class: 'kpi-grid', id: 'totals-figures' },
			stat('Báo cáo phải nộp', d.expected, '', forms.length > 1
				? 'Mỗi đơn vị nộp ' + forms.map(formLabel).join(' và ') : null, 'expected'),
			stat('Đã nộp', d.reported, 'ok', pctText(d.reported, expected) + ' số phải nộp', 'reported'),
			stat('Đúng hạn', d.on_time, 'ok', pctText(d.on_time, expected) + ' số phải nộp', 'on_time'),
			stat('Nộp muộn', d.late, Number(d.late) ? 'warn' : '', null, 'late'),
			stat('Chưa nộp', d.missing, Number(d.missing) ? 'err' : 'ok', null, 'missing'),
			stat('Đã gửi bản ký', d.signed, 'ok', 'Bản PDF có chữ ký, đóng dấu', 'signed')),
		h('div', { class: 'cp-overall' },
			h('span', { class: 'cp-overall-label', id: 'overall-label' }, 'Tiến độ chung: ' +
			    fmtNumber(Number(d.reported) || 0) + '/' + fmtNumber(expected) + ' (' +
			    pctText(d.reported, expected) + ')'),
			progressBar(d.reported, expected, 'Tiến độ nộp toàn tỉnh')));
}

function showMissingOf(code) {
	const sel = byId('district');
	sel.value = code;
	setQueryParam('district', code || null);
	renderLists();
	const t = byId('missing-title');
	t.focus();
	t.scrollIntoView({ block: 'start' });
}

function renderDistricts(d) {
	const list = Array.isArray(d.by_district) ? d.by_district : [];
	const cols = ['Khu vực', 'Phải nộp', 'Đã nộp', 'Tiến độ', 'Đúng hạn', 'Muộn', 'Chưa nộp', 'Đôn đốc'];
	const rows = list.length ? list.map((x) => h('tr', { 'data-district': x.code },
		h('th', { scope: 'row' }, x.name || x.code),
		h('td', { class: 'num' }, fmtNumber(x.expected)),
		h('td', { class: 'num' }, fmtNumber(x.reported)),
		h('td', { class: 'cp-progress-cell' },
			progressBar(x.reported, x.expected, 'Tiến độ nộp ' + (x.name || x.code)),
			h('span', { class: 'cp-pct' }, pctText(x.reported, x.expected))),
		h('td', { class: 'num' }, fmtNumber(x.on_time)),
		h('td', { class: 'num' }, Number(x.late) ? badge(fmtNumber(x.late), 'warn') : '0'),
		h('td', { class: 'num' }, Number(x.missing) ? badge(fmtNumber(x.missing), 'err') : '0'),
		h('td', null, Number(x.missing) ? h('button', {
			type: 'button', class: 'btn btn-small btn-secondary',
			'aria-label': 'Xem ' + fmtNumber(x.missing) + ' báo cáo chưa nộp của ' + (x.name || x.code),
			onClick: () => showMissingOf(x.code),
		}, 'Xem đơn vị chưa nộp') : h('span', { class: 'muted' }, 'Đủ')))) : [emptyRow(cols.length, 'Không có khu vực nào.')];
	const foot = list.length > 1 ? h('tfoot', null, h('tr', null,
		h('th', { scope: 'row' }, 'Cộng'),
		h('td', { class: 'num' }, fmtNumber(d.expected)),
		h('td', { class: 'num' }, fmtNumber(d.reported)),
		h('td', { class: 'cp-progress-cell' }, h('span', { class: 'cp-pct' }, pctText(d.reported, d.expected))),
		h('td', { class: 'num' }, fmtNumber(d.on_time)),
		h('td', { class: 'num' }, fmtNumber(d.late)),
		h('td', { class: 'num' }, fmtNumber(d.missing)),
		h('td', null))) : null;
	fill(byId('districts'), tableWrap(cardLabels(h('table', { class: 'cp-districts' },
		h('caption', null, 'Tiến độ nộp theo khu vực — ' + ((d.period && d.period.name) || '')),
		h('thead', null, h('tr', null, cols.map((c, i) => h('th', {
			scope: 'col', class: (i >= 1 && i <= 2) || (i >= 4 && i <= 6) ? 'num' : null,
		}, c)))),
		h('tbody', null, rows), foot)), 'Tiến độ nộp theo khu vực'));
}

function telHref(phone) {
	const digits = String(phone).replace(/[^0-9+]/g, '');
	return digits ? 'tel:' + digits : null;
}

function validEmail(email) {
	return /^[^\s@<>()",;:]+@[^\s@<>()",;:]+\.[^\s@<>()",;:]+$/.test(String(email));
}

function contactCells(c) {
	if (!c || (!c.name && !c.phone && !c.email)) {
		return [h('td', { colspan: '3' }, h('span', { class: 'muted' }, 'Chưa có đầu mối trong danh bạ. '),
			h('a', { href: '/contacts' }, 'Cập nhật đầu mối'))];
	}
	const tel = c.phone ? telHref(c.phone) : null;
	return [
		h('td', null, c.name || '—', c.position ? h('span', { class: 'cell-sub' }, c.position) : null),
		h('td', { class: 'nowrap' }, c.phone ? (tel ? h('a', { href: tel,
			'aria-label': 'Gọi ' + (c.name || 'đầu mối') + ': ' + c.phone }, c.phone) : c.phone) : '—'),
		h('td', null, c.email ? (validEmail(c.email) ? h('a', { href: 'mailto:' + c.email,
			'aria-label': 'Gửi email cho ' + (c.name || 'đầu mối') + ': ' + c.email }, c.email) : c.email) : '—'),
	];
}

function unitCell(u) {
	return h('th', { scope: 'row' }, u.unit_name || u.unit, h('span', { class: 'cell-sub' }, 'Mã: ' + u.unit));
}

function filteredUnits() {
	const district = byId('district').value;
	const units = (S.data && Array.isArray(S.data.units)) ? S.data.units : [];
	return units.filter((u) => !district || u.district === district);
}

function multiForm() {
	const forms = (S.data && S.data.period && S.data.period.forms) || [];
	return forms.length > 1;
}

function districtLabel() {
	const sel = byId('district');
	return sel.value ? ' — ' + sel.selectedOptions[0].textContent : '';
}

function renderMissing() {
	const units = filteredUnits().filter((u) => !u.filed);
	const showForm = multiForm();
	const cols = ['Đơn vị', 'Khu vực', showForm ? 'Phụ lục' : null, 'Tình trạng', 'Đầu mối', 'Điện thoại',
		'Email'].filter(Boolean);
	const rows = units.length ? units.map((u) => h('tr', { 'data-unit': u.unit, 'data-form': u.form },
		unitCell(u),
		h('td', null, u.district_name || u.district || ''),
		showForm ? h('td', null, formLabel(u.form)) : null,
		h('td', null, badge(statusLabel(u.status), STATUS_BADGE[u.status] || 'info')),
		contactCells(u.contact))) : [emptyRow(cols.length, S.data ? 'Tất cả đơn vị đã nộp báo cáo.' : '')];
	byId('missing-count').textContent = S.data
		? fmtNumber(units.length) + ' báo cáo chưa nộp' + districtLabel() + '.' : '';
	fill(byId('missing'), tableWrap(cardLabels(h('table', { class: 'cp-missing' },
		h('caption', { class: 'visually-hidden' }, 'Đơn vị chưa nộp' + districtLabel()),
		h('thead', null, h('tr', null, cols.map((c) => h('th', { scope: 'col' }, c)))),
		h('tbody', null, rows))), 'Đơn vị chưa nộp'));
	byId('copy-emails').disabled = !units.some((u) => u.contact && u.contact.email);
}

/* Days after the deadline, from the submission time in Việt Nam. */
function daysLate(submittedAt) {
	const deadline = S.data && S.data.period ? S.data.period.deadline : null;
	const d = fmtDate(submittedAt);
	const m = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(d);
	if (!deadline || !m) return null;
	const n = daysBetween(deadline, m[3] + '-' + m[2] + '-' + m[1]);
	return Number.isNaN(n) || n <= 0 ? null : n;
}

function renderLate() {
	const units = filteredUnits().filter((u) => u.filed && u.late)
		.sort((a, b) => String(a.submitted_at).localeCompare(String(b.submitted_at)));
	const showForm = multiForm();
	const cols = ['Đơn vị', 'Khu vực', showForm ? 'Phụ lục' : null, 'Nộp lúc', 'Trễ hạn', 'Trạng thái']
		.filter(Boolean);
	const rows = units.length ? units.map((u) => {
		const n = daysLate(u.submitted_at);
		return h('tr', { 'data-unit': u.unit, 'data-form': u.form },
			unitCell(u),
			h('td', null, u.district_name || u.district || ''),
			showForm ? h('td', null, formLabel(u.form)) : null,
			h('td', { class: 'nowrap' }, fmtDateTime(u.submitted_at)),
			h('td', { class: 'nowrap' }, n ? fmtNumber(n) + ' ngày' : 'Muộn'),
			h('td', null, badge(statusLabel(u.status), STATUS_BADGE[u.status] || 'info')));
	}) : [emptyRow(cols.length, S.data ? 'Không có báo cáo nào nộp muộn.' : '')];
	byId('late-count').textContent = S.data
		? fmtNumber(units.length) + ' báo cáo nộp muộn' + districtLabel() + '.' : '';
	fill(byId('late'), tableWrap(cardLabels(h('table', { class: 'cp-late' },
		h('caption', { class: 'visually-hidden' }, 'Đơn vị nộp muộn' + districtLabel()),
		h('thead', null, h('tr', null, cols.map((c) => h('th', { scope: 'col' }, c)))),
		h('tbody', null, rows))), 'Đơn vị nộp muộn'));
}

function renderLists() {
	renderMissing();
	renderLate();
}

function render() {
	const d = S.data;
	const info = byId('period-info');
	if (!d) {
		fill(info);
		fill(byId('totals'));
		fill(byId('districts'));
		renderLists();
		return;
	}
	const p = d.period || S.period || {};
	fill(info, 'Số liệu từ ' + fmtDate(p.start) + ' đến ' + fmtDate(p.end) + '; hạn nộp ' +
	    fmtDate(p.deadline) + ' (giờ Việt Nam). Phụ lục phải nộp: ' +
	    (p.forms || []).map(formLabel).join(', ') + '. ',
	S.period && S.period.state ? stateBadge(S.period.state) : null);
	renderTotals(d);
	renderDistricts(d);
	renderLists();
}

async function copyEmails() {
	const emails = [...new Set(filteredUnits().filter((u) => !u.filed && u.contact && u.contact.email)
		.map((u) => u.contact.email.trim()).filter(validEmail))];
	if (!emails.length) return;
	const text = emails.join('; ');
	const ok = await copyText(text);
	if (ok) {
		showMessage('Đã sao chép ' + fmtNumber(emails.length) + ' địa chỉ email; dán vào ô người nhận ' +
		    'của thư đôn đốc.', 'success');
	} else {
		showMessage('Trình duyệt không cho sao chép tự động. Các địa chỉ email:', 'info',
			{ details: [text] });
	}
}

/* ------------------------------------------------------------------ */
/* Start                                                              */
/* ------------------------------------------------------------------ */

async function main() {
	const session = await initPage({ roles: ['office', 'viewer', 'admin'] });
	if (!session) return;
	if (session.user.role === 'viewer')
		byId('intro').textContent = 'Tiến độ nộp báo cáo của các khu vực được phân công theo dõi: ' +
		    'đơn vị đã nộp, nộp muộn và đơn vị chưa nộp cùng đầu mối.';
	if (session.user.role === 'viewer') byId('totals-title').textContent = 'Các khu vực theo dõi';
	byId('district').addEventListener('change', () => {
		setQueryParam('district', byId('district').value || null);
		renderLists();
	});
	byId('copy-emails').addEventListener('click', copyEmails);
	S.periodsOf = await startPeriodPicker(selectPeriod);
}

main();
