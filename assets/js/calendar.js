/*
 * Lịch báo cáo: the periods of a year, and which outline version each of
 * a period's forms uses (form_versions, sql/013).  The office may change
 * a period's dates (PUT /api/v1/periods/{code} {start, end, deadline}).
 */
import {
	api, h, fill, byId, initPage, showMessage, showError, setBusy,
	setFieldError, clearFieldErrors, emptyRow, tableWrap, fmtDate,
} from './app.js';
import {
	PERIOD_HEADINGS, setupYearSelect, fetchPeriods, periodRow, openSummary,
} from './periods.js';

const state = {
	year: 0,
	periods: [],
	canEdit: false,
	editing: null,
};

const dialog = byId('edit-dialog');
const form = byId('edit-form');
const inputs = {
	start: byId('edit-start'),
	end: byId('edit-end'),
	deadline: byId('edit-deadline'),
};

/* ---------- The table ---------- */

/* "PL1: phiên bản 2", one line per form of the period. */
function outlineCell(p) {
	const v = p.form_versions || {};
	const lines = Object.keys(v).sort().map((f) => h('span', {
		class: 'nowrap cal-outline', 'data-form': f, 'data-version': String(v[f]),
	}, f + ': phiên bản ' + v[f]));
	return h('td', null, lines.length ? lines.flatMap((l, i) => (i ? [h('br'), l] : [l])) : '—');
}

function editCell(p) {
	return h('td', null, h('button', {
		type: 'button', class: 'btn btn-small btn-secondary', 'data-period': p.code,
		'aria-label': 'Sửa ngày của kỳ ' + p.name,
		onClick: () => openEditor(p),
	}, 'Sửa'));
}

function render() {
	const cols = PERIOD_HEADINGS.slice();
	cols.push('Phiên bản đề cương');
	if (state.canEdit) cols.push('Thao tác');
	const rows = state.periods.length
		? state.periods.map((p) => periodRow(p, state.canEdit ? [outlineCell(p), editCell(p)]
			: [outlineCell(p)]))
		: [emptyRow(cols.length, 'Chưa có kỳ báo cáo nào trong năm ' + state.year + '.')];
	const table = h('table', null,
		h('caption', null, 'Lịch báo cáo năm ' + state.year),
		h('thead', null, h('tr', null, cols.map((c) => h('th', { scope: 'col' }, c)))),
		h('tbody', null, rows));
	fill(byId('periods'), tableWrap(table, 'Bảng lịch báo cáo năm ' + state.year));
	fill(byId('open-summary'), openSummary(state.periods));
}

async function load(year) {
	state.year = year;
	const area = byId('periods');
	area.setAttribute('aria-busy', 'true');
	fill(area, h('p', { class: 'loading' }, 'Đang tải lịch báo cáo năm ' + year + '…'));
	try {
		const periods = await fetchPeriods(year);
		state.periods = Array.isArray(periods) ? periods : [];
		render();
	} catch (e) {
		state.periods = [];
		fill(area);
		fill(byId('open-summary'));
		showError(e);
	} finally {
		area.setAttribute('aria-busy', 'false');
	}
}

/* ---------- The editor ---------- */

function openEditor(p) {
	state.editing = p;
	clearFieldErrors(form);
	fill(byId('edit-status'));
	byId('edit-period').textContent = p.name + ' (mã ' + p.code + ')';
	inputs.start.value = p.start || '';
	inputs.end.value = p.end || '';
	inputs.deadline.value = p.deadline || '';
	dialog.showModal();
	inputs.start.focus();
}

function closeEditor() {
	const code = state.editing ? state.editing.code : null;
	if (dialog.open) dialog.close();
	state.editing = null;
	if (code) {
		const btn = document.querySelector('button[data-period="' + CSS.escape(code) + '"]');
		if (btn) btn.focus();
	}
}

/* Every date present and in order; returns the first bad input or null. */
function checkDates() {
	const LABELS = {
		start: 'Chọn ngày bắt đầu lấy số liệu.',
		end: 'Chọn ngày kết thúc lấy số liệu.',
		deadline: 'Chọn hạn nộp.',
	};
	for (const [key, input] of Object.entries(inputs)) {
		if (!/^\d{4}-\d{2}-\d{2}$/.test(input.value)) {
			setFieldError(input, LABELS[key] + ' Nhập đủ ngày, tháng, năm.');
			return input;
		}
	}
	if (inputs.start.value > inputs.end.value) {
		setFieldError(inputs.end, 'Ngày kết thúc phải cùng hoặc sau ngày bắt đầu (' +
		    fmtDate(inputs.start.value) + ').');
		return inputs.end;
	}
	if (inputs.end.value > inputs.deadline.value) {
		setFieldError(inputs.deadline, 'Hạn nộp phải cùng hoặc sau ngày kết thúc (' +
		    fmtDate(inputs.end.value) + ').');
		return inputs.deadline;
	}
	return null;
}

function replacePeriod(updated) {
	const i = state.periods.findIndex((p) => p.code === updated.code);
	if (i >= 0) state.periods[i] = { ...state.periods[i], ...updated };
}

async function onSave(ev) {
	ev.preventDefault();
	const p = state.editing;
	if (!p) return;
	const status = byId('edit-status');
	clearFieldErrors(form);
	fill(status);
	const bad = checkDates();
	if (bad) {
		showMessage('Ngày chưa hợp lệ; sửa ô được đánh dấu.', 'error', { target: status });
		bad.focus();
		return;
	}
	const body = { start: inputs.start.value, end: inputs.end.value, deadline: inputs.deadline.value };
	const save = byId('edit-save');
	setBusy(save, true, 'Đang lưu…');
	try {
		const updated = await api('PUT', '/api/v1/periods/' + encodeURIComponent(p.code), body);
		replacePeriod(updated && updated.code ? updated : { ...p, ...body });
		render();
		closeEditor();
		showMessage('Đã lưu kỳ ' + p.name + ': lấy số liệu ' + fmtDate(body.start) + ' – ' +
		    fmtDate(body.end) + ', hạn nộp ' + fmtDate(body.deadline) + '.', 'success');
	} catch (e) {
		showError(e, { target: status });
	} finally {
		setBusy(save, false);
	}
}

/* ---------- Start ---------- */

async function main() {
	const session = await initPage();
	if (!session) return;
	state.canEdit = session.user.role === 'office';
	byId('edit-note').hidden = !state.canEdit;
	if (state.canEdit) {
		form.addEventListener('submit', onSave);
		byId('edit-cancel').addEventListener('click', closeEditor);
		dialog.addEventListener('cancel', (ev) => {
			ev.preventDefault();
			closeEditor();
		});
	}
	const year = setupYearSelect(byId('year'), load);
	await load(year);
}

main();
