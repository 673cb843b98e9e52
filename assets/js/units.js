/*
 * Danh mục đơn vị: the registry as it is today or was on a chosen day,
 * with filters; for the office, registry changes by CSV with an
 * effective day: first a preview of the differences (nothing stored),
 * then the same file applied (all rows or none; every problem listed
 * with line and column so the file is fixed in one go).
 *
 * GET  /api/v1/units[?date=]      GET /api/v1/areas?date=
 * POST /api/v1/units/import?effective=YYYY-MM-DD[&dry_run=1]
 */
import {
	api, h, fill, byId, initPage, showMessage, showError, clearMessages,
	setBusy, setFieldError, tableWrap, emptyRow, badge, fmtNumber, fmtDate,
	fillSelect, matchesQuery, debounce, todayVN, queryParam, setQueryParam,
} from './app.js';

const MAX_IMPORT_BYTES = 2 * 1024 * 1024;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

const state = {
	units: [],
	kinds: [],
	areas: [],
	unitNames: new Map(),
	areaNames: new Map(),
	date: '',
	/* The file and day last previewed: only those may be applied. */
	preview: null,
};

const COLUMNS = [
	'Mã', 'Tên đơn vị', 'Loại', 'Khu vực', 'Báo cáo', 'Hiệu lực', 'Kế thừa',
	'Công lập', 'GKSKLX', 'Bệnh viện', 'CDC',
];

const FIELD_LABELS = {
	name: 'Tên', kind: 'Loại', is_public: 'Công lập', area: 'Khu vực',
	parent: 'Đơn vị quản lý', files_self: 'Tự báo cáo', gksklx: 'GKSKLX',
	hospital: 'Bệnh viện', cdc: 'CDC',
};

/* ---------- The list ---------- */

function yesNo(value) {
	return value ? h('span', null, 'Có') : h('span', { class: 'muted' }, 'Không');
}

function nameOf(code) {
	const name = state.unitNames.get(code);
	return name ? code + ' (' + name + ')' : code;
}

function filerCell(u) {
	if (u.kind === 'department_office')
		return h('td', null, h('span', { class: 'muted' }, 'Không nộp'));
	if (!u.filed_by || u.filed_by === u.code)
		return h('td', null, u.parent ? 'Tự nộp' : h('span', { class: 'muted' }, 'Tự nộp'));
	return h('td', null, h('span', { class: 'cell-sub' }, 'Nộp thay:'),
		h('span', { class: 'nowrap' }, nameOf(u.filed_by)));
}

function validCell(u) {
	const from = u.valid_from ? 'từ ' + fmtDate(u.valid_from) : 'từ đầu';
	const to = u.valid_to ? ' đến hết ' + fmtDate(dayBefore(u.valid_to)) : '';
	return h('td', { class: 'small' }, from + to);
}

function linksCell(u) {
	const parts = [];
	if (u.predecessors && u.predecessors.length)
		parts.push(h('span', { class: 'cell-sub' }, 'Tiếp nhận: ' + u.predecessors.join(', ')));
	if (u.successors && u.successors.length)
		parts.push(h('span', { class: 'cell-sub' }, 'Chuyển sang: ' + u.successors.join(', ')));
	return h('td', null, parts.length ? parts : h('span', { class: 'muted' }, '—'));
}

function unitRow(u) {
	return h('tr', null,
		h('td', { class: 'nowrap' }, u.code),
		h('th', { scope: 'row' }, u.name,
			u.active === false ? [' ', badge('Không còn trong danh mục', 'closed')] : null),
		h('td', null, u.kind_label || u.kind),
		h('td', null, u.area_name || u.district_name || u.area || ''),
		filerCell(u),
		validCell(u),
		linksCell(u),
		h('td', null, yesNo(u.is_public)),
		h('td', { class: 'center' }, yesNo(u.gksklx)),
		h('td', { class: 'center' }, yesNo(u.hospital)),
		h('td', { class: 'center' }, yesNo(u.cdc)));
}

function dayBefore(iso) {
	const m = DATE_RE.exec(iso) && iso.split('-').map(Number);
	if (!m) return iso;
	const d = new Date(Date.UTC(m[0], m[1] - 1, m[2] - 1));
	return d.toISOString().slice(0, 10);
}

function filtered() {
	const area = byId('filter-district').value;
	const kind = byId('filter-kind').value;
	const text = byId('filter-text').value;
	return state.units.filter((u) =>
		(!area || u.area === area) &&
		(!kind || u.kind === kind) &&
		matchesQuery(text, u.code, u.name));
}

function render() {
	const list = filtered();
	const rows = list.length ? list.map(unitRow)
		: [emptyRow(COLUMNS.length, state.units.length
			? 'Không có đơn vị nào khớp bộ lọc.' : 'Danh mục chưa có đơn vị nào vào ngày này.')];
	const table = h('table', null,
		h('thead', null, h('tr', null, COLUMNS.map((c) => h('th', { scope: 'col' }, c)))),
		h('tbody', null, rows));
	const area = byId('units-table');
	fill(area, tableWrap(table, 'Bảng danh mục đơn vị'));
	area.setAttribute('aria-busy', 'false');
	byId('units-count').textContent = 'Hiển thị ' + fmtNumber(list.length) + ' / ' +
	    fmtNumber(state.units.length) + ' đơn vị' +
	    (state.date ? ' trong danh mục ngày ' + fmtDate(state.date) : ' (danh mục hôm nay)') + '.';
}

function fillFilters() {
	fillSelect(byId('filter-district'),
		state.areas.map((d) => ({ value: d.code, label: d.name })), 'Tất cả');
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
	const q = state.date ? '?date=' + encodeURIComponent(state.date) : '';
	const [units, areas] = await Promise.all([
		api('GET', '/api/v1/units' + q),
		api('GET', '/api/v1/areas' + q),
	]);
	state.units = Array.isArray(units) ? units : [];
	state.areas = Array.isArray(areas) ? areas : [];
	state.unitNames = new Map(state.units.map((u) => [u.code, u.name]));
	state.areaNames = new Map(state.areas.map((a) => [a.code, a.name]));
}

async function loadAll() {
	const area = byId('units-table');
	area.setAttribute('aria-busy', 'true');
	fill(area, h('p', { class: 'loading' }, 'Đang tải danh mục đơn vị…'));
	try {
		if (!state.kinds.length) {
			const kinds = await api('GET', '/api/v1/unit-kinds');
			state.kinds = Array.isArray(kinds) ? kinds : [];
			explainKinds();
		}
		await loadUnits();
		fillFilters();
		render();
	} catch (e) {
		fill(area);
		area.setAttribute('aria-busy', 'false');
		showError(e);
	}
}

function onDate() {
	const input = byId('filter-date');
	const v = input.value;
	if (v && !DATE_RE.test(v)) {
		setFieldError(input, 'Nhập ngày theo dạng ngày/tháng/năm.');
		return;
	}
	setFieldError(input, null);
	state.date = v;
	setQueryParam('date', v || null);
	loadAll();
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

const NOTHING_IMPORTED = 'Chưa thay đổi gì; sửa các lỗi sau rồi xem trước lại.';

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
		    ' KB): tối đa 2 MB. Hãy chia file theo khu vực.';
	return null;
}

function areaLabel(code) {
	if (code === null || code === undefined) return '—';
	const name = state.areaNames.get(code);
	return name ? name + ' (' + code + ')' : String(code);
}

function valueLabel(field, v) {
	if (v === null || v === undefined) return '—';
	if (typeof v === 'boolean') return v ? 'Có' : 'Không';
	if (field === 'area') return areaLabel(v);
	if (field === 'kind') {
		const k = state.kinds.find((x) => x.code === v);
		return k ? k.label : v;
	}
	return String(v);
}

function diffTable(caption, heads, rows) {
	if (!rows.length) return null;
	return tableWrap(h('table', null,
		h('caption', null, caption),
		h('thead', null, h('tr', null, heads.map((c) => h('th', { scope: 'col' }, c)))),
		h('tbody', null, rows)), caption);
}

function renderDiff(d) {
	const newRows = (d.new || []).map((u) => h('tr', null,
		h('td', { class: 'num' }, fmtNumber(u.line)),
		h('td', { class: 'nowrap' }, u.code),
		h('th', { scope: 'row' }, u.name || ''),
		h('td', null, valueLabel('kind', u.kind)),
		h('td', null, areaLabel(u.area)),
		h('td', null, u.kind === 'commune_station'
			? (u.files_self ? 'Tự nộp' : 'Nộp thay: ' + (u.parent || '')) : 'Tự nộp')));
	const changedRows = (d.changed || []).map((u) => h('tr', null,
		h('td', { class: 'num' }, fmtNumber(u.line)),
		h('td', { class: 'nowrap' }, u.code),
		h('th', { scope: 'row' }, u.name || ''),
		h('td', null, u.reopened ? 'Hoạt động trở lại'
			: h('ul', { class: 'plain-list' }, Object.entries(u.changes || {}).map(([f, c]) =>
				h('li', null, (FIELD_LABELS[f] || f) + ': ' + valueLabel(f, c.from) +
				    ' → ' + valueLabel(f, c.to)))))));
	const mergedRows = (d.merged || []).map((u) => h('tr', null,
		h('td', { class: 'num' }, fmtNumber(u.line)),
		h('td', { class: 'nowrap' }, u.code),
		h('th', { scope: 'row' }, u.name || ''),
		h('td', null, { merge: 'Sáp nhập', split: 'Chia tách', successor: 'Tiếp nhận' }[u.kind] || u.kind),
		h('td', null, (u.from || []).map(nameOf).join(', '))));
	const closedRows = (d.closed || []).map((u) => h('tr', null,
		h('td', { class: 'num' }, fmtNumber(u.line)),
		h('td', { class: 'nowrap' }, u.code),
		h('th', { scope: 'row' }, u.name || ''),
		h('td', null, u.into && u.into.length ? 'Chuyển sang ' + u.into.join(', ') : 'Ngừng hoạt động'),
		h('td', { class: 'num' }, u.reports_after
			? fmtNumber(u.reports_after) + ' báo cáo không còn được tổng hợp' : '—')));
	const total = newRows.length + changedRows.length + mergedRows.length + closedRows.length;
	fill(byId('import-diff'),
		h('h3', null, (d.dry_run ? 'Xem trước: ' : 'Đã áp dụng: ') + 'thay đổi từ ngày ' + fmtDate(d.effective)),
		h('p', null, fmtNumber((d.new || []).length) + ' đơn vị mới, ' +
		    fmtNumber((d.changed || []).length) + ' đơn vị thay đổi, ' +
		    fmtNumber((d.merged || []).length) + ' sáp nhập hoặc chia tách, ' +
		    fmtNumber((d.closed || []).length) + ' đơn vị ngừng hoạt động; ' +
		    fmtNumber(d.unchanged || 0) + ' đơn vị giữ nguyên.'),
		total ? null : h('p', { class: 'muted' }, 'File không làm thay đổi danh mục.'),
		diffTable('Đơn vị mới', ['Dòng', 'Mã', 'Tên', 'Loại', 'Khu vực', 'Báo cáo'], newRows),
		diffTable('Đơn vị thay đổi', ['Dòng', 'Mã', 'Tên', 'Thay đổi'], changedRows),
		diffTable('Sáp nhập, chia tách', ['Dòng', 'Mã', 'Tên', 'Hình thức', 'Đơn vị trước'], mergedRows),
		diffTable('Đơn vị ngừng hoạt động', ['Dòng', 'Mã', 'Tên', 'Lý do', 'Báo cáo các kỳ sau ngày hiệu lực'], closedRows));
}

/* The chosen file and day, checked; null after telling what is wrong. */
async function readChoice() {
	const input = byId('import-file');
	const eff = byId('import-effective');
	const file = input.files && input.files[0];
	const problem = checkFile(file);
	setFieldError(input, problem);
	const day = eff.value;
	const dayProblem = DATE_RE.test(day) ? null : 'Chọn ngày hiệu lực (ngày/tháng/năm).';
	setFieldError(eff, dayProblem);
	if (problem || dayProblem) {
		(problem ? input : eff).focus();
		return null;
	}
	try {
		return { file, day, buf: await file.arrayBuffer() };
	} catch (e) {
		setFieldError(input, 'Không đọc được file (có thể file đã bị đổi tên hoặc xóa). Hãy chọn lại file.');
		input.focus();
		return null;
	}
}

async function send(choice, dry) {
	return api('POST', '/api/v1/units/import?effective=' + encodeURIComponent(choice.day) +
	    (dry ? '&dry_run=1' : ''), null,
	    { rawBody: choice.buf, contentType: 'text/csv; charset=utf-8' });
}

function resetPreview() {
	state.preview = null;
	byId('import-apply').disabled = true;
}

async function onPreview(ev) {
	ev.preventDefault();
	fill(byId('import-status'));
	fill(byId('import-errors'));
	fill(byId('import-diff'));
	resetPreview();
	const choice = await readChoice();
	if (!choice) return;
	const button = byId('import-preview');
	setBusy(button, true, 'Đang kiểm tra file…');
	showMessage('Đang kiểm tra “' + choice.file.name + '” với danh mục ngày ' +
	    fmtDate(choice.day) + '…', 'info', { target: byId('import-status'), noClose: true });
	let d;
	try {
		d = await send(choice, true);
	} catch (e) {
		showImportFailure(e);
		return;
	} finally {
		setBusy(button, false);
	}
	renderDiff(d);
	state.preview = choice;
	byId('import-apply').disabled = false;
	showMessage('File hợp lệ. Kiểm tra các thay đổi bên dưới rồi bấm “Áp dụng thay đổi”; chưa có gì được lưu.',
	    'success', { target: byId('import-status') });
}

async function onApply() {
	const choice = state.preview;
	if (!choice) return;
	const input = byId('import-file');
	const same = input.files && input.files[0] === choice.file &&
	    byId('import-effective').value === choice.day;
	if (!same) {
		resetPreview();
		showMessage('File hoặc ngày hiệu lực đã đổi sau lần xem trước: hãy xem trước lại.',
		    'warning', { target: byId('import-status') });
		return;
	}
	const button = byId('import-apply');
	setBusy(button, true, 'Đang áp dụng…');
	let d;
	try {
		d = await send(choice, false);
	} catch (e) {
		setBusy(button, false);
		showImportFailure(e);
		return;
	}
	setBusy(button, false);
	resetPreview();
	renderDiff(d);
	showMessage('Đã áp dụng danh mục từ file “' + choice.file.name + '” kể từ ngày ' +
	    fmtDate(d.effective) + ': ' + fmtNumber(d.created) + ' đơn vị thêm mới, ' +
	    fmtNumber(d.updated) + ' đơn vị đã có.', 'success', { target: byId('import-status') });
	input.value = '';
	await loadAll();
}

/* ---------- Start ---------- */

async function main() {
	const session = await initPage();
	if (!session) return;
	if (session.user.role === 'office') {
		byId('import-section').hidden = false;
		byId('import-effective').value = todayVN();
		byId('import-form').addEventListener('submit', onPreview);
		byId('import-apply').addEventListener('click', onApply);
		byId('import-file').addEventListener('change', resetPreview);
		byId('import-effective').addEventListener('change', resetPreview);
	}
	const want = queryParam('date');
	if (want && DATE_RE.test(want)) {
		state.date = want;
		byId('filter-date').value = want;
	}
	const rerender = debounce(render, 150);
	byId('filter-date').addEventListener('change', onDate);
	byId('filter-district').addEventListener('change', render);
	byId('filter-kind').addEventListener('change', render);
	byId('filter-text').addEventListener('input', rerender);
	clearMessages();
	await loadAll();
}

main();
