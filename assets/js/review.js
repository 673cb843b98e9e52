/*
 * Duyệt báo cáo (office): the queue of one period and form, a read-only
 * view of one report (outline order, the unit's explanations and the
 * checks beside the items, history), and the decisions: accept, return
 * with a reason and per-item remarks, reopen an accepted report, and the
 * two bulk decisions.
 *
 * GET  /api/v1/review/{period}?form=          the queue (filtered here)
 * GET  /api/v1/reports/{unit}/{period}/{form} one report
 * GET  /api/v1/forms/{form}?period=, …/versions/{n}  the outline version
 *                                             the report was filed under
 * POST …/return {reason, items} | …/accept | …/reopen {reason}
 * POST /api/v1/review/{period}/{form}/return-failing | accept-clean
 */
import {
	api, h, fill, byId, initPage, showMessage, showError,
	setBusy, setFieldError, clearFieldErrors, tableWrap, cardLabels, emptyRow, badge,
	fmtDate, fmtDateTime, fmtNumber, fillSelect, formLabel, statusLabel,
	queryParam, setQueryParam, matchesQuery, debounce, todayVN, daysBetween,
	currentYearVN, downloadBlob,
} from './app.js';
import { startPeriodPicker, fillFormSelect, stateBadge } from './periods.js';
import {
	outlineFor, outlineOf as outlineVersionOf, previousNote, versionText,
} from './outline-view.js';

const STATUSES = ['not_started', 'draft', 'submitted', 'returned', 'accepted'];
const STATUS_BADGE = {
	not_started: 'closed', draft: 'info', submitted: 'warn', returned: 'err', accepted: 'ok',
};
const ACTION_LABELS = {
	save: 'Lưu nháp',
	submit: 'Nộp báo cáo',
	return: 'Văn phòng Sở trả lại',
	accept: 'Văn phòng Sở duyệt',
	reopen: 'Văn phòng Sở mở lại',
};
const REASON_MAX = 2000;
const REMARK_MAX = 1000;
const NUMERIC = new Set(['count', 'money', 'level']);
const DERIVED = new Set(['rate', 'sum']);
const enc = encodeURIComponent;

const S = {
	year: 0,
	periods: [],
	period: null,
	form: '',
	rows: [],
	kinds: new Map(),	/* kind code → label */
	forms: new Map(),	/* form code → definition (cached) */
	seq: 0,
	cur: null,	/* {row, report, def, outline} in the dialog */
	mode: '',
	busy: false,
	drafts: new Map(),	/* unit → {reason, remarks: Map} typed, not sent */
	bulk: '',
};

/* ------------------------------------------------------------------ */
/* Period and form                                                    */
/* ------------------------------------------------------------------ */

function selectPeriod(p) {
	S.period = p;
	S.form = fillFormSelect(byId('form'), p, S.form || queryParam('form') || 'PL1');
	setQueryParam('form', S.form && S.form !== 'PL1' ? S.form : null);
	renderPeriodInfo();
	loadQueue();
}

function renderPeriodInfo() {
	const p = S.period;
	const el = byId('period-info');
	if (!p) {
		fill(el);
		return;
	}
	fill(el, 'Số liệu từ ' + fmtDate(p.start) + ' đến ' + fmtDate(p.end) + '; hạn nộp ' +
	    fmtDate(p.deadline) + ' (giờ Việt Nam). ', p.state ? stateBadge(p.state) : null);
}

/* ------------------------------------------------------------------ */
/* The queue                                                          */
/* ------------------------------------------------------------------ */

function checkCounts(row) {
	const checks = Array.isArray(row.checks) ? row.checks : [];
	const errors = checks.filter((c) => c && c.severity === 'error').length;
	const warnings = checks.filter((c) => c && c.severity === 'warning');
	const answered = warnings.filter((c) => c.answered).length;
	return { errors, warnings: warnings.length, answered };
}

/* What the server's bulk return would find failing (an estimate). */
function failing(row) {
	const c = checkCounts(row);
	return c.errors > 0 || c.answered < c.warnings;
}

async function loadQueue(focusUnit) {
	const seq = ++S.seq;
	const area = byId('queue');
	if (!S.period || !S.form) {
		S.rows = [];
		render();
		return;
	}
	area.setAttribute('aria-busy', 'true');
	fill(area, h('p', { class: 'progress' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }),
		'Đang tải danh sách báo cáo ' + S.period.name + ', ' + formLabel(S.form) + '…'));
	fill(byId('queue-count'));
	let rows;
	try {
		rows = await api('GET', '/api/v1/review/' + enc(S.period.code) + '?form=' + enc(S.form));
	} catch (e) {
		if (seq !== S.seq) return;
		S.rows = [];
		area.setAttribute('aria-busy', 'false');
		fill(area);
		showError(e);
		return;
	}
	if (seq !== S.seq) return;
	S.rows = Array.isArray(rows) ? rows : [];
	area.setAttribute('aria-busy', 'false');
	fillFilters();
	render();
	if (focusUnit) {
		const b = document.querySelector('#queue button[data-unit="' + CSS.escape(focusUnit) + '"]');
		if (b) b.focus();
	}
}

function fillFilters() {
	const districts = new Map();
	const kinds = new Set();
	for (const r of S.rows) {
		if (r.district) districts.set(r.district, r.district_name || r.district);
		if (r.kind) kinds.add(r.kind);
	}
	const byName = (a, b) => a.label.localeCompare(b.label, 'vi');
	fillSelect(byId('filter-district'), [...districts].map(([value, label]) => ({ value, label }))
		.sort(byName), 'Tất cả');
	fillSelect(byId('filter-kind'), [...kinds].map((k) => ({ value: k, label: S.kinds.get(k) || k }))
		.sort(byName), 'Tất cả');
}

function baseFiltered() {
	const district = byId('filter-district').value;
	const kind = byId('filter-kind').value;
	const text = byId('filter-text').value;
	return S.rows.filter((r) => (!district || r.district === district) &&
		(!kind || r.kind === kind) && matchesQuery(text, r.unit, r.unit_name));
}

function renderSummary(rows) {
	const current = byId('filter-status').value;
	const counts = new Map(STATUSES.map((s) => [s, 0]));
	for (const r of rows) counts.set(r.status, (counts.get(r.status) || 0) + 1);
	const item = (status, label, n) => h('li', null, h('button', {
		type: 'button', class: ['rv-count', status ? 'rv-count-' + status : ''],
		'data-status': status, 'aria-pressed': String(current === status),
		onClick: () => {
			byId('filter-status').value = current === status ? '' : status;
			render();
		},
	}, h('span', { class: 'rv-count-n' }, fmtNumber(n)), h('span', { class: 'rv-count-label' }, label)));
	fill(byId('status-summary'),
		item('', 'Tất cả', rows.length),
		STATUSES.map((s) => item(s, statusLabel(s), counts.get(s) || 0)));
}

function lateCell(r) {
	if (!r.submitted_at) return h('td', null, '—');
	return h('td', null, r.late ? badge('Muộn', 'err') : badge('Đúng hạn', 'ok'));
}

function queueRow(r) {
	const c = checkCounts(r);
	const name = r.unit_name || r.unit;
	return h('tr', { 'data-unit': r.unit, 'data-status': r.status, 'data-rounds': String(Number(r.rounds) || 0) },
		h('th', { scope: 'row' }, name, h('span', { class: 'cell-sub' }, 'Mã: ' + r.unit)),
		h('td', null, r.district_name || r.district || ''),
		h('td', { class: 'rv-status' }, badge(statusLabel(r.status), STATUS_BADGE[r.status] || 'info'),
			r.signed_at ? h('span', { class: 'cell-sub' }, 'Đã gửi bản ký') : null),
		h('td', { class: 'nowrap' }, r.submitted_at ? fmtDateTime(r.submitted_at) : '—'),
		lateCell(r),
		h('td', { class: 'num' }, c.errors ? badge(fmtNumber(c.errors), 'err') : '0'),
		h('td', { class: 'num' }, c.warnings ? fmtNumber(c.warnings) : '0',
			c.warnings ? h('span', { class: 'cell-sub' }, 'đã giải trình ' + fmtNumber(c.answered)) : null),
		h('td', { class: 'num' }, fmtNumber(Number(r.rounds) || 0)),
		h('td', null, h('button', {
			type: 'button', class: 'btn btn-small btn-secondary', 'data-action': 'view',
			'data-unit': r.unit, 'aria-label': 'Xem báo cáo của ' + name,
			onClick: () => openReport(r),
		}, 'Xem')));
}

const QUEUE_COLS = ['Đơn vị', 'Khu vực', 'Trạng thái', 'Nộp lúc', 'Đúng hạn/Muộn', 'Lỗi',
	'Cảnh báo', 'Lần nộp', 'Thao tác'];

function render() {
	const base = baseFiltered();
	renderSummary(base);
	const status = byId('filter-status').value;
	const rows = status ? base.filter((r) => r.status === status) : base;
	const what = S.period ? S.period.name + ', ' + formLabel(S.form) : '';
	byId('queue-count').textContent = S.period
		? 'Hiển thị ' + fmtNumber(rows.length) + ' trên ' + fmtNumber(S.rows.length) +
		  ' đơn vị phải nộp (' + what + ').'
		: '';
	const body = rows.length ? rows.map(queueRow)
		: [emptyRow(QUEUE_COLS.length, S.rows.length ? 'Không có đơn vị nào khớp bộ lọc.'
			: 'Chưa có đơn vị nào phải nộp báo cáo này.')];
	const table = h('table', {
		class: 'rv-queue', 'data-period': S.period ? S.period.code : null, 'data-form': S.form || null,
	},
		h('caption', null, 'Báo cáo ' + what),
		h('thead', null, h('tr', null, QUEUE_COLS.map((c, i) => h('th', {
			scope: 'col', class: i >= 5 && i <= 7 ? 'num' : null,
		}, c)))),
		h('tbody', null, body));
	fill(byId('queue'), tableWrap(cardLabels(table), 'Danh sách báo cáo ' + what));
}

/* ------------------------------------------------------------------ */
/* One report, read-only                                              */
/* ------------------------------------------------------------------ */

function safe(s) {
	return String(s).replace(/[^A-Za-z0-9_-]/g, '_');
}

function num(v) {
	return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/* Rates and sums of the form from get(code) → number|null, in file order. */
function derive(def, get) {
	const out = new Map();
	const val = (c) => (out.has(c) ? out.get(c) : num(get(c)));
	for (const sec of def.sections || []) {
		for (const it of sec.items || []) {
			if (it.kind === 'rate') {
				const n = val(it.num);
				const d = val(it.den);
				out.set(it.code, n !== null && d !== null && d !== 0
					? Math.round((n * 1000) / d) / 10 : null);
			} else if (it.kind === 'sum') {
				const parts = (it.sum || []).map(val).filter((x) => x !== null);
				out.set(it.code, parts.length ? parts.reduce((a, b) => a + b, 0) : null);
			}
		}
	}
	return out;
}

function fmtValue(it, v) {
	if (v === null || v === undefined || v === '') return '—';
	if (it.kind === 'rate') return fmtNumber(v, 1) + ' %';
	if (it.kind === 'level') return String(v);
	if (it.kind === 'text') return String(v);
	return fmtNumber(v);
}

/*
 * The outline as this unit sees it: sections with the items and lists
 * that apply, a part heading kept only when something under it shows.
 */
function outlineOf(def, report) {
	const applicable = Array.isArray(report.applicable) ? new Set(report.applicable) : null;
	const applies = (c) => !applicable || applicable.has(c);
	const listSections = new Set((def.lists || []).map((l) => String(l.section)));
	const all = (def.sections || []).map((sec) => {
		const items = (sec.items || []).filter((it) => applies(it.code));
		const lists = (def.lists || []).filter((l) => String(l.section) === String(sec.id) &&
			applies(l.code));
		const heading = !(sec.items || []).length && !listSections.has(String(sec.id));
		const prefix = sec.id ? String(sec.id) + '.' : '';
		return {
			sec, items, lists, heading,
			stt: new Map(items.map((it, i) => [it.code, prefix + (i + 1)])),
		};
	});
	const sections = all.filter((s, i) => {
		if (!s.heading) return s.items.length || s.lists.length;
		for (let j = i + 1; j < all.length && !all[j].heading; j++)
			if (all[j].items.length || all[j].lists.length) return true;
		return false;
	});
	const items = new Map();
	for (const s of all) for (const it of s.sec.items || []) items.set(it.code, it);
	const lists = new Map((def.lists || []).map((l) => [l.code, l]));
	return { sections, items, lists };
}

/* Where a warning's explanation is kept: its first item, or its list. */
function commentKey(c) {
	if (Array.isArray(c.items) && c.items.length) return c.items[0];
	return c.list || c.rule;
}

function sevBadge(c) {
	return c.severity === 'warning' ? badge('Cảnh báo', 'warn') : badge('Lỗi', 'err');
}

/* Checks by the item (or list) they name. */
function checksByKey(checks) {
	const map = new Map();
	for (const c of checks) {
		const keys = Array.isArray(c.items) && c.items.length ? c.items : c.list ? [c.list] : [];
		for (const k of keys) {
			if (!map.has(k)) map.set(k, []);
			map.get(k).push(c);
		}
	}
	return map;
}

function stationName(report, code) {
	const st = ((report.unit_info || {}).stations || []).find((s) => s.code === code);
	return st ? st.name || st.code : code;
}

/* The notes beside one item: checks, the unit's explanation, remarks. */
function notesFor(key, ctx) {
	const out = [];
	for (const c of ctx.byKey.get(key) || []) {
		out.push(h('p', { class: ['rv-note', 'rv-note-' + (c.severity === 'warning' ? 'warning' : 'error')],
			'data-rule': c.rule || null },
		sevBadge(c), ' ',
		c.station ? stationName(ctx.report, c.station) + ': ' : '',
		c.message || '',
		c.severity === 'warning' && c.answered ? badge('Đã giải trình', 'ok') : null));
	}
	const comment = (ctx.report.comments || {})[key];
	if (typeof comment === 'string' && comment.trim())
		out.push(h('p', { class: 'rv-note rv-note-comment' },
			h('strong', null, 'Giải trình của đơn vị: '), comment));
	const remark = ctx.remarks[key];
	if (typeof remark === 'string' && remark.trim())
		out.push(h('p', { class: 'rv-note rv-note-remark' },
			h('strong', null, 'Nhận xét của Văn phòng Sở: '), remark));
	return out;
}

function itemRow(it, stt, ctx, values) {
	const depth = Math.min(3, Math.max(0, Number(it.depth) || 0));
	const v = DERIVED.has(it.kind) ? values.derived.get(it.code) : (ctx.report.values || {})[it.code];
	const notes = notesFor(it.code, ctx);
	const attrs = { class: ['rv-item', 'depth-' + depth], 'data-item': it.code };
	if (it.kind === 'text') {
		return h('tr', attrs,
			h('td', { class: 'rpt-stt' }, stt),
			h('th', { scope: 'row', class: 'rpt-label' }, it.label),
			h('td', { colspan: '3' },
				h('p', { class: 'rv-text', 'data-value': '' }, fmtValue(it, v)), notes));
	}
	return h('tr', attrs,
		h('td', { class: 'rpt-stt' }, stt),
		h('th', { scope: 'row', class: 'rpt-label' }, it.label),
		h('td', { class: 'rpt-unit' }, it.unit || ''),
		h('td', { class: ['num', 'rv-value', DERIVED.has(it.kind) ? 'is-derived' : ''], 'data-value': '' },
			fmtValue(it, v), previousNote(ctx.report.previous, it, fmtValue)),
		h('td', { class: 'rv-notes' }, notes));
}

function itemsTable(s, ctx, values) {
	if (!s.items.length) return null;
	return tableWrap(h('table', { class: 'rv-items' },
		h('thead', null, h('tr', null,
			h('th', { scope: 'col', class: 'rpt-stt' }, 'STT'),
			h('th', { scope: 'col' }, 'Nội dung'),
			h('th', { scope: 'col', class: 'rpt-unit' }, 'Đơn vị tính'),
			h('th', { scope: 'col', class: 'num' }, 'Số liệu'),
			h('th', { scope: 'col' }, 'Kiểm tra, giải trình'))),
		h('tbody', null, s.items.map((it) => itemRow(it, s.stt.get(it.code), ctx, values)))),
	'Mục ' + (s.sec.id || '') + ': ' + (s.sec.title || ''));
}

/* Per-station rows of a district centre (items 6 and 7 of Phụ lục 1). */
function stationTable(s, ctx) {
	const stations = (ctx.report.unit_info || {}).stations || [];
	if (!stations.length) return null;
	const perStation = (it) => NUMERIC.has(it.kind) &&
		(it.stations !== undefined ? Boolean(it.stations) : Boolean(s.sec.stations));
	const typed = s.items.filter(perStation);
	if (!typed.length) return null;
	const typedCodes = new Set(typed.map((it) => it.code));
	const refs = (it) => (it.kind === 'rate' ? [it.num, it.den] : it.sum || []);
	const cols = s.items.filter((it) => typedCodes.has(it.code) ||
		(DERIVED.has(it.kind) && refs(it).length && refs(it).every((c) => typedCodes.has(c))));
	const rowsData = ctx.report.stations || {};
	const cellsOf = (get) => {
		const d = derive(ctx.def, get);
		return cols.map((it) => h('td', { class: 'num' },
			fmtValue(it, DERIVED.has(it.kind) ? d.get(it.code) : num(get(it.code)))));
	};
	/* The centre's own figures (keyed by its own code) come first; a report
	 * filed before the own row existed has none. */
	const unit = ctx.report.unit_info || {};
	const ownRow = unit.code && rowsData[unit.code] ? [{ code: unit.code, own: true }] : [];
	const rows = [...ownRow, ...stations];
	const body = rows.map((st) => h('tr', { 'data-station': st.code },
		st.own ? h('th', { scope: 'row' }, 'Riêng đơn vị', h('span', { class: 'cell-sub' },
			(unit.name || st.code) + ' (không gồm các trạm)'))
			: h('th', { scope: 'row' }, st.name || st.code, h('span', { class: 'cell-sub' }, st.code)),
		cellsOf((c) => (rowsData[st.code] || {})[c])));
	const sums = {};
	for (const c of typedCodes) {
		let total = null;
		for (const st of rows) {
			const v = num((rowsData[st.code] || {})[c]);
			if (v !== null) total = (total || 0) + v;
		}
		sums[c] = total;
	}
	return h('div', { class: 'rv-stations' },
		h('h4', null, 'Số liệu từng trạm y tế — mục ' + s.sec.id),
		tableWrap(h('table', null,
			h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Trạm y tế'),
				cols.map((it) => h('th', { scope: 'col', class: 'num' }, it.label,
					it.unit ? h('span', { class: 'cell-sub' }, '(' + it.unit + ')') : null)))),
			h('tbody', null, body),
			h('tfoot', null, h('tr', null, h('th', { scope: 'row' },
				ownRow.length ? 'Riêng đơn vị + các trạm' : 'Cộng các trạm'),
				cellsOf((c) => sums[c])))), 'Số liệu từng trạm y tế, mục ' + s.sec.id));
}

function cellText(col, v) {
	if (v === null || v === undefined || v === '') return '—';
	if (col.kind === 'date') return fmtDate(v);
	if (col.kind === 'count') return fmtNumber(v);
	if (col.kind === 'choice') {
		const c = (col.choices || []).find((x) => x.code === v);
		return c ? c.label : String(v);
	}
	return String(v);
}

function listBlock(l, ctx) {
	const rows = Array.isArray((ctx.report.lists || {})[l.code]) ? ctx.report.lists[l.code] : [];
	const cols = l.columns || [];
	const body = rows.length ? rows.map((row, i) => h('tr', null,
		h('td', { class: 'rpt-stt' }, String(i + 1)),
		cols.map((c) => h('td', { class: c.kind === 'count' ? 'num' : null },
			cellText(c, row ? row[c.code] : null)))))
		: [emptyRow(cols.length + 1, 'Không có dòng nào.')];
	const notes = notesFor(l.code, ctx);
	return h('div', { class: 'rv-list', 'data-list': l.code },
		h('h4', null, l.label),
		tableWrap(h('table', null,
			h('thead', null, h('tr', null, h('th', { scope: 'col', class: 'rpt-stt' }, 'STT'),
				cols.map((c) => h('th', { scope: 'col' }, c.label)))),
			h('tbody', null, body)), l.label),
		notes.length ? h('div', { class: 'rv-notes' }, notes) : null);
}

function metaBlock(report, row) {
	const u = report.unit_info || {};
	const p = report.period_info || {};
	return h('dl', { class: 'rpt-meta' },
		h('div', null, h('dt', null, 'Đơn vị'),
			h('dd', null, u.name || row.unit_name || row.unit,
				h('span', { class: 'cell-sub' }, 'Mã: ' + (u.code || row.unit) +
				    (row.district_name ? ' — ' + row.district_name : '')))),
		h('div', null, h('dt', null, 'Kỳ báo cáo'),
			h('dd', null, (p.name || report.period) + ', ' + formLabel(report.form),
				h('span', { class: 'cell-sub' }, 'Số liệu ' + fmtDate(p.start) + ' – ' +
				    fmtDate(p.end) + '; hạn nộp ' + fmtDate(p.deadline)))),
		h('div', null, h('dt', null, 'Trạng thái'),
			h('dd', { id: 'rv-status', 'data-status': report.status || 'draft' },
				badge(statusLabel(report.status), STATUS_BADGE[report.status] || 'info'),
				report.submitted_at ? (report.late ? badge('Nộp muộn', 'err') : badge('Đúng hạn', 'ok')) : null,
				report.submitted_at ? h('span', { class: 'cell-sub' },
					'Nộp lúc ' + fmtDateTime(report.submitted_at)) : null)),
		h('div', null, h('dt', null, 'Lần nộp'),
			h('dd', null, fmtNumber(Number(row.rounds) || 0),
				h('span', { class: 'cell-sub' }, 'Lần lưu ' + fmtNumber(report.version || 0)))),
		report.form_version ? h('div', null, h('dt', null, 'Đề cương'),
			h('dd', { id: 'rv-outline', 'data-version': String(report.form_version) },
				versionText(report.form_version, report.form_first_period))) : null,
		h('div', null, h('dt', null, 'Bản đã ký'),
			h('dd', { id: 'rv-signed' }, report.signed
				? [badge('Đã gửi', 'ok'), h('span', { class: 'cell-sub' }, 'Lúc ' +
				    fmtDateTime(report.signed.uploaded_at) + (report.signed.earlier
				    ? '; thay ' + report.signed.earlier + ' bản trước' : '')),
				    h('button', { type: 'button', class: 'btn btn-small btn-secondary', id: 'rv-open-signed',
				        onClick: (ev) => openSigned(ev.currentTarget, row.unit) }, 'Mở bản ký')]
				: 'Đơn vị chưa gửi bản ký.')));
}

/* The unit's signed copy, as the unit uploaded it. */
async function openSigned(btn, unit) {
	const name = 'ban-ky-' + unit + '-' + S.period.code + '-' + S.form + '.pdf';
	setBusy(btn, true, 'Đang mở…');
	try {
		const res = await api('GET', reportPath(unit) + '/signed', null,
			{ expect: 'blob', filename: name });
		if (res && res.blob) downloadBlob(res.blob, res.filename || name);
	} catch (e) {
		showError(e);
	} finally {
		setBusy(btn, false);
	}
}

function checksBlock(checks, ctx) {
	const errors = checks.filter((c) => c.severity === 'error');
	const warnings = checks.filter((c) => c.severity === 'warning');
	const answered = warnings.filter((c) => c.answered).length;
	const label = (c) => {
		if (c.list) return (ctx.outline.lists.get(c.list) || { label: c.list }).label;
		return (c.items || []).map((code) => (ctx.outline.items.get(code) || { label: code }).label)
			.join('; ');
	};
	const entries = [...errors, ...warnings].map((c) => {
		const comment = (ctx.report.comments || {})[commentKey(c)];
		return h('li', { 'data-severity': c.severity, 'data-rule': c.rule || null },
			sevBadge(c), ' ', c.message || '',
			c.severity === 'warning' && c.answered ? badge('Đã giải trình', 'ok') : null,
			label(c) ? h('span', { class: 'cell-sub' }, 'Mục: ' + label(c)) : null,
			c.severity === 'warning' && typeof comment === 'string' && comment.trim()
				? h('span', { class: 'cell-sub rv-comment' }, 'Giải trình: ' + comment) : null);
	});
	const clean = !entries.length;
	return h('section', { class: ['rpt-summary', errors.length ? 'has-errors' : ''],
		'aria-labelledby': 'rv-checks-title' },
	h('h3', { id: 'rv-checks-title' }, 'Kết quả kiểm tra'),
	h('p', { id: 'rv-checks-count' }, clean ? 'Không có lỗi hay cảnh báo nào.'
		: fmtNumber(errors.length) + ' lỗi; ' + fmtNumber(warnings.length) + ' cảnh báo' +
		  (warnings.length ? ' (đã giải trình ' + fmtNumber(answered) + ')' : '') + '.'),
	entries.length ? h('ul', { class: 'rpt-check-list' }, entries) : null);
}

function remarksBlock(report, outline) {
	const r = report.remarks;
	if (!r || report.status !== 'returned') return null;
	const items = Object.entries(r.items || {}).map(([code, text]) => h('li', null,
		h('strong', null, ((outline.items.get(code) || outline.lists.get(code) || { label: code }).label) + ': '),
		text));
	return h('div', { class: 'alert alert-warning', role: 'note' },
		h('p', { class: 'alert-title' }, (r.action === 'reopen' ? 'Lý do mở lại' : 'Lý do trả lại') +
		    (r.at ? ' (' + fmtDateTime(r.at) + ')' : '') + ':'),
		h('p', { class: 'rv-text' }, r.reason || ''),
		items.length ? h('ul', null, items) : null);
}

function historyBlock(report) {
	const hist = Array.isArray(report.history) ? report.history : [];
	if (!hist.length) return null;
	const rows = hist.slice().reverse().map((e) => h('tr', null,
		h('td', { class: 'nowrap' }, fmtDateTime(e.at)),
		h('td', null, ACTION_LABELS[e.action] || e.action),
		h('td', null, e.actor || ''),
		h('td', { class: 'rv-text' }, e.note || '')));
	return h('details', { class: 'rpt-history' },
		h('summary', null, 'Lịch sử báo cáo (' + fmtNumber(hist.length) + ')'),
		tableWrap(h('table', null,
			h('thead', null, h('tr', null, ['Thời điểm', 'Việc', 'Người thực hiện', 'Ghi chú']
				.map((c) => h('th', { scope: 'col' }, c)))),
			h('tbody', null, rows)), 'Lịch sử báo cáo'));
}

function renderReport() {
	const { report, def, outline, row } = S.cur;
	const checks = (Array.isArray(report.checks) ? report.checks : []).filter((c) => c && typeof c === 'object');
	const ctx = {
		report, def, outline, byKey: checksByKey(checks),
		remarks: report.status === 'returned' && report.remarks ? report.remarks.items || {} : {},
	};
	const values = { derived: derive(def, (c) => (report.values || {})[c]) };
	const sections = outline.sections.map((s) => {
		const sid = 'rv-sec-' + safe(s.sec.id || 'x');
		return h('section', { class: 'rv-section', 'aria-labelledby': sid },
			h(s.heading || !String(s.sec.id).includes('.') ? 'h3' : 'h4', { id: sid },
				s.sec.id ? h('span', { class: 'rpt-secno' }, s.sec.id + '. ') : null, s.sec.title || ''),
			itemsTable(s, ctx, values),
			stationTable(s, ctx),
			s.lists.map((l) => listBlock(l, ctx)));
	});
	fill(byId('rv-body'),
		metaBlock(report, row),
		remarksBlock(report, outline),
		checksBlock(checks, ctx),
		h('h3', { class: 'rv-outline-title' }, def.name || formLabel(report.form),
			def.title ? h('span', { class: 'cell-sub' }, def.title) : null),
		sections.length ? sections : h('p', { class: 'muted' }, 'Đề cương không có mục nào áp dụng cho đơn vị.'),
		historyBlock(report));
}

/* ------------------------------------------------------------------ */
/* The dialog and its actions                                         */
/* ------------------------------------------------------------------ */

const dialog = byId('report-dialog');

function reportPath(unit) {
	return '/api/v1/reports/' + enc(unit) + '/' + enc(S.period.code) + '/' + enc(S.form);
}

/* The outline version in force in the period chosen (most reports' own). */
function formDef(code) {
	return outlineFor(code, S.period.code);
}

async function openReport(row) {
	S.cur = { row, report: null, def: null, outline: null };
	S.mode = '';
	byId('rv-title').textContent = row.unit_name || row.unit;
	byId('rv-subtitle').textContent = formLabel(S.form) + ' — ' + S.period.name;
	fill(byId('rv-action-status'));
	fill(byId('rv-action-panel'));
	renderActions();
	fill(byId('rv-body'), h('p', { class: 'progress' },
		h('span', { class: 'spinner', 'aria-hidden': 'true' }), 'Đang tải báo cáo…'));
	if (!dialog.open) dialog.showModal();
	byId('rv-close').focus();
	await loadReport();
}

async function loadReport() {
	const cur = S.cur;
	if (!cur) return;
	let def;
	let report;
	try {
		[def, report] = await Promise.all([formDef(S.form), api('GET', reportPath(cur.row.unit))]);
	} catch (e) {
		if (S.cur !== cur) return;
		fill(byId('rv-body'));
		showError(e, { target: byId('rv-action-status') });
		return;
	}
	if (S.cur !== cur) return;
	/* By the version the report was filed under, whatever is in force. */
	try {
		def = await outlineVersionOf(S.form, def, report.form_version);
	} catch (e) {
		if (S.cur !== cur) return;
		fill(byId('rv-body'));
		showError(e, { target: byId('rv-action-status') });
		return;
	}
	if (S.cur !== cur) return;
	cur.def = def;
	cur.report = report;
	cur.outline = outlineOf(def, report);
	renderReport();
	renderActions();
}

function renderActions() {
	const cur = S.cur;
	const status = cur && cur.report ? cur.report.status : null;
	const buttons = [];
	if (status === 'submitted') {
		buttons.push(h('button', { type: 'button', id: 'accept-button', class: 'btn',
			'aria-pressed': String(S.mode === 'accept'), onClick: () => setMode('accept') }, 'Duyệt'));
		buttons.push(h('button', { type: 'button', id: 'return-button', class: 'btn btn-danger',
			'aria-pressed': String(S.mode === 'return'), onClick: () => setMode('return') }, 'Trả lại'));
	} else if (status === 'accepted') {
		buttons.push(h('button', { type: 'button', id: 'reopen-button', class: 'btn btn-danger',
			'aria-pressed': String(S.mode === 'reopen'), onClick: () => setMode('reopen') }, 'Mở lại'));
	} else if (status) {
		buttons.push(h('p', { class: 'small rv-actions-note' }, 'Báo cáo đang ở trạng thái “' +
		    statusLabel(status) + '”: chỉ duyệt hoặc trả lại báo cáo đã nộp, chỉ mở lại báo cáo đã duyệt.'));
	}
	if (cur && cur.row)
		buttons.push(h('a', { class: 'btn btn-secondary', href: '/report?unit=' + enc(cur.row.unit) +
			'&period=' + enc(S.period.code) + '&form=' + enc(S.form) }, 'Mở trang báo cáo'));
	buttons.push(h('button', { type: 'button', id: 'rv-close', class: 'btn btn-secondary',
		onClick: closeDialog }, 'Đóng'));
	const hadFocus = document.activeElement && document.activeElement.id;
	fill(byId('rv-actions'), h('div', { class: 'actions' }, buttons));
	if (hadFocus && byId(hadFocus) && dialog.contains(byId(hadFocus))) byId(hadFocus).focus();
}

function closeDialog() {
	if (S.busy) return;
	const unit = S.cur ? S.cur.row.unit : null;
	saveDraft();
	if (dialog.open) dialog.close();
	S.cur = null;
	S.mode = '';
	if (unit) {
		const b = document.querySelector('#queue button[data-unit="' + CSS.escape(unit) + '"]');
		if (b) b.focus();
	}
}

/* Errors and unanswered warnings, one message a line: the suggested reason. */
function suggestedReason(report) {
	const lines = [];
	for (const c of report.checks || []) {
		if (!c || !c.message) continue;
		if (c.severity === 'error' || (c.severity === 'warning' && !c.answered))
			if (!lines.includes(c.message)) lines.push(c.message);
	}
	return lines.join('\n');
}

function counter(textarea, max, id) {
	const el = h('p', { class: 'rpt-counter', id });
	const update = () => {
		const n = [...textarea.value].length;
		el.textContent = fmtNumber(n) + '/' + fmtNumber(max) + ' ký tự';
		el.classList.toggle('is-over', n > max);
	};
	textarea.addEventListener('input', update);
	update();
	return el;
}

function cancelButton() {
	return h('button', { type: 'button', class: 'btn btn-secondary', onClick: () => setMode('') }, 'Hủy');
}

function setMode(mode) {
	if (S.busy || !S.cur || !S.cur.report) return;
	saveDraft();
	const prev = S.mode;
	S.mode = S.mode === mode ? '' : mode;
	fill(byId('rv-action-status'));
	const panel = byId('rv-action-panel');
	if (S.mode === 'accept') fill(panel, acceptPanel());
	else if (S.mode === 'return') fill(panel, returnPanel());
	else if (S.mode === 'reopen') fill(panel, reopenPanel());
	else fill(panel);
	syncRemarkOptions();
	renderActions();
	const first = panel.querySelector('textarea, button');
	if (first) {
		panel.scrollIntoView({ block: 'nearest' });
		first.focus();
	} else {
		const b = byId((prev || mode) + '-button') || byId('rv-close');
		if (b) b.focus();
	}
}

function unitName() {
	const r = S.cur.report;
	return (r.unit_info && r.unit_info.name) || S.cur.row.unit_name || S.cur.row.unit;
}

function acceptPanel() {
	const checks = S.cur.report.checks || [];
	const errors = checks.filter((c) => c && c.severity === 'error').length;
	const open = checks.filter((c) => c && c.severity === 'warning' && !c.answered).length;
	return h('div', { class: 'panel rv-panel', role: 'group', 'aria-labelledby': 'accept-title' },
		h('h3', { id: 'accept-title' }, 'Duyệt báo cáo'),
		h('p', null, 'Duyệt báo cáo ' + formLabel(S.form) + ', ' + S.period.name + ' của ' + unitName() +
		    '? Sau khi duyệt, báo cáo bị khóa: đơn vị không sửa được nữa (Văn phòng Sở vẫn có thể mở lại).'),
		errors || open ? h('p', { class: 'alert alert-warning' }, 'Lưu ý: theo kiểm tra hiện tại báo cáo còn ' +
		    fmtNumber(errors) + ' lỗi và ' + fmtNumber(open) + ' cảnh báo chưa giải trình.') : null,
		h('div', { class: 'actions' },
			h('button', { type: 'button', id: 'accept-confirm', class: 'btn', onClick: (ev) => doAccept(ev.currentTarget) },
				'Xác nhận duyệt'),
			cancelButton()));
}

/* Items and lists of the outline a remark can be about, in order. */
function remarkChoices() {
	const out = [];
	for (const s of S.cur.outline.sections) {
		for (const it of s.items) out.push({ code: it.code, label: s.stt.get(it.code) + '. ' + it.label });
		for (const l of s.lists) out.push({ code: l.code, label: (s.sec.id ? s.sec.id + '. ' : '') + l.label });
	}
	return out;
}

function shorten(s, n) {
	const chars = [...String(s)];
	return chars.length > n ? chars.slice(0, n - 1).join('') + '…' : String(s);
}

function remarkRow(code, label, text) {
	const id = 'remark-' + safe(code);
	const ta = h('textarea', { id, rows: '2', maxlength: String(REMARK_MAX), 'data-remark': code,
		class: 'rv-remark-text', value: text || '' });
	const li = h('li', { class: 'rv-remark', 'data-remark-item': code },
		h('label', { for: id }, 'Nhận xét cho mục ' + label),
		ta,
		h('div', { class: 'actions' }, h('button', {
			type: 'button', class: 'btn btn-small btn-secondary', 'aria-label': 'Bỏ nhận xét cho mục ' + label,
			onClick: () => {
				li.remove();
				syncRemarkOptions();
				byId('remark-item').focus();
			},
		}, 'Bỏ nhận xét này')));
	return li;
}

function syncRemarkOptions() {
	const sel = byId('remark-item');
	if (!sel) return;
	const used = new Set([...document.querySelectorAll('#remark-list [data-remark]')]
		.map((t) => t.dataset.remark));
	for (const o of sel.options) if (o.value) o.disabled = used.has(o.value);
	if (sel.selectedOptions[0] && sel.selectedOptions[0].disabled) sel.value = '';
}

function addRemark() {
	const sel = byId('remark-item');
	const code = sel.value;
	if (!code) {
		setFieldError(sel, 'Chọn một mục trong đề cương trước.');
		sel.focus();
		return;
	}
	setFieldError(sel, null);
	const choice = remarkChoices().find((c) => c.code === code);
	const li = remarkRow(code, choice ? shorten(choice.label, 120) : code, '');
	byId('remark-list').append(li);
	syncRemarkOptions();
	li.querySelector('textarea').focus();
}

function returnPanel() {
	const draft = S.drafts.get(S.cur.row.unit);
	const reason = h('textarea', {
		id: 'return-reason', rows: '5', maxlength: String(REASON_MAX), required: true,
		'aria-describedby': 'return-reason-hint return-reason-count',
		value: draft ? draft.reason : suggestedReason(S.cur.report),
		placeholder: 'Ví dụ: Số đơn thuốc liên thông lớn hơn tổng số đơn; đề nghị kiểm tra lại mục 2.',
	});
	const choices = remarkChoices();
	const select = h('select', { id: 'remark-item' }, h('option', { value: '' }, '— Chọn mục —'),
		choices.map((c) => h('option', { value: c.code }, shorten(c.label, 100))));
	const list = h('ul', { id: 'remark-list', class: 'rv-remark-list' });
	if (draft) {
		for (const [code, text] of draft.remarks) {
			const c = choices.find((x) => x.code === code);
			list.append(remarkRow(code, c ? shorten(c.label, 120) : code, text));
		}
	}
	const form = h('form', { id: 'return-form', novalidate: true, class: 'panel rv-panel',
		'aria-labelledby': 'return-title', onSubmit: (ev) => {
			ev.preventDefault();
			doReturn(byId('return-confirm'));
		} },
	h('h3', { id: 'return-title' }, 'Trả lại báo cáo cho ' + unitName()),
	h('div', { class: 'field' },
		h('label', { for: 'return-reason' }, 'Lý do trả lại ', h('span', { class: 'required-mark' }, '(bắt buộc)')),
		h('span', { class: 'hint', id: 'return-reason-hint' }, 'Đơn vị sẽ thấy lý do này khi mở báo cáo. ' +
		    'Đã điền sẵn các lỗi và cảnh báo chưa giải trình theo kiểm tra; sửa lại cho rõ yêu cầu.'),
		reason, counter(reason, REASON_MAX, 'return-reason-count')),
	h('fieldset', null,
		h('legend', null, 'Nhận xét theo từng mục (không bắt buộc)'),
		h('div', { class: 'rv-remark-pick' },
			h('div', { class: 'field' }, h('label', { for: 'remark-item' }, 'Mục trong đề cương'), select),
			h('button', { type: 'button', id: 'remark-add', class: 'btn btn-secondary', onClick: addRemark },
				'Thêm nhận xét')),
		list),
	h('div', { class: 'actions' },
		h('button', { type: 'submit', id: 'return-confirm', class: 'btn btn-danger' }, 'Trả lại báo cáo'),
		cancelButton()));
	return form;
}

function reopenPanel() {
	const reason = h('textarea', { id: 'reopen-reason', rows: '3', maxlength: String(REASON_MAX), required: true,
		'aria-describedby': 'reopen-reason-hint' });
	return h('form', { id: 'reopen-form', novalidate: true, class: 'panel rv-panel',
		'aria-labelledby': 'reopen-title', onSubmit: (ev) => {
			ev.preventDefault();
			doReopen(byId('reopen-confirm'));
		} },
	h('h3', { id: 'reopen-title' }, 'Mở lại báo cáo đã duyệt'),
	h('p', null, 'Báo cáo được chuyển về trạng thái “Bị trả lại” để ' + unitName() +
	    ' sửa và nộp lại. Việc mở lại được ghi vào nhật ký.'),
	h('div', { class: 'field' },
		h('label', { for: 'reopen-reason' }, 'Lý do mở lại ', h('span', { class: 'required-mark' }, '(bắt buộc)')),
		h('span', { class: 'hint', id: 'reopen-reason-hint' }, 'Ví dụ: Đơn vị đề nghị sửa số thiết bị đọc QR.'),
		reason),
	h('div', { class: 'actions' },
		h('button', { type: 'submit', id: 'reopen-confirm', class: 'btn btn-danger' }, 'Mở lại báo cáo'),
		cancelButton()));
}

/* Keep what was typed in the return form if the dialog closes. */
function saveDraft() {
	if (!S.cur || S.mode !== 'return' || !byId('return-reason')) return;
	const remarks = new Map([...document.querySelectorAll('#remark-list [data-remark]')]
		.map((t) => [t.dataset.remark, t.value]));
	S.drafts.set(S.cur.row.unit, { reason: byId('return-reason').value, remarks });
}

async function decide(action, body, button, busyText, done) {
	const cur = S.cur;
	const status = byId('rv-action-status');
	fill(status);
	S.busy = true;
	setBusy(button, true, busyText);
	let res;
	try {
		res = await api('POST', reportPath(cur.row.unit) + '/' + action, body);
	} catch (e) {
		S.busy = false;
		setBusy(button, false);
		if (e.redirecting) return;
		if (e.status === 409) {
			showMessage(e.message + ' Trang đã tải lại trạng thái mới nhất của báo cáo.', 'error',
				{ target: status });
			S.mode = '';
			fill(byId('rv-action-panel'));
			await loadReport();
			loadQueue();
		} else {
			showError(e, { target: status });
		}
		return;
	}
	S.busy = false;
	setBusy(button, false);
	S.mode = '';
	if (action === 'return') S.drafts.delete(cur.row.unit);
	closeDialog();
	showMessage(done(res || {}), 'success');
	await loadQueue(cur.row.unit);
}

function doAccept(button) {
	const name = unitName();
	return decide('accept', null, button, 'Đang duyệt…',
		() => 'Đã duyệt báo cáo ' + formLabel(S.form) + ', ' + S.period.name + ' của ' + name +
		    '; báo cáo đã được khóa.');
}

function doReturn(button) {
	const form = byId('return-form');
	clearFieldErrors(form);
	const reasonEl = byId('return-reason');
	const reason = reasonEl.value.trim();
	let bad = null;
	if (!reason) {
		setFieldError(reasonEl, 'Ghi lý do trả lại để đơn vị biết phải sửa gì.');
		bad = reasonEl;
	} else if ([...reason].length > REASON_MAX) {
		setFieldError(reasonEl, 'Lý do dài quá ' + fmtNumber(REASON_MAX) + ' ký tự; hãy rút gọn.');
		bad = reasonEl;
	}
	const items = {};
	for (const ta of document.querySelectorAll('#remark-list [data-remark]')) {
		const t = ta.value.trim();
		if (!t) {
			setFieldError(ta, 'Ghi nhận xét, hoặc bấm “Bỏ nhận xét này” nếu không cần.');
			bad = bad || ta;
		} else if ([...t].length > REMARK_MAX) {
			setFieldError(ta, 'Nhận xét dài quá ' + fmtNumber(REMARK_MAX) + ' ký tự.');
			bad = bad || ta;
		} else {
			items[ta.dataset.remark] = t;
		}
	}
	if (bad) {
		bad.focus();
		return null;
	}
	const body = { reason };
	if (Object.keys(items).length) body.items = items;
	const name = unitName();
	const n = Object.keys(items).length;
	return decide('return', body, button, 'Đang trả lại…',
		() => 'Đã trả lại báo cáo ' + formLabel(S.form) + ', ' + S.period.name + ' của ' + name +
		    ' kèm lý do' + (n ? ' và ' + fmtNumber(n) + ' nhận xét theo mục' : '') +
		    '. Đơn vị sẽ thấy lý do khi mở báo cáo.');
}

function doReopen(button) {
	const el = byId('reopen-reason');
	clearFieldErrors(byId('reopen-form'));
	const reason = el.value.trim();
	if (!reason) {
		setFieldError(el, 'Ghi lý do mở lại.');
		el.focus();
		return null;
	}
	const name = unitName();
	return decide('reopen', { reason }, button, 'Đang mở lại…',
		() => 'Đã mở lại báo cáo của ' + name + '; đơn vị có thể sửa và nộp lại.');
}

/* ------------------------------------------------------------------ */
/* Bulk decisions                                                     */
/* ------------------------------------------------------------------ */

const bulkDialog = byId('bulk-dialog');

function openBulk(kind) {
	if (!S.period || !S.form) return;
	S.bulk = kind;
	const submitted = S.rows.filter((r) => r.status === 'submitted');
	const failingN = submitted.filter(failing).length;
	const what = formLabel(S.form) + ', ' + S.period.name;
	byId('bulk-dialog-title').textContent = kind === 'return'
		? 'Trả lại tất cả báo cáo không đạt' : 'Duyệt tất cả báo cáo đạt';
	fill(byId('bulk-dialog-text'),
		kind === 'return'
			? h('p', null, 'Trả lại mọi báo cáo đã nộp (' + what + ') còn lỗi hoặc cảnh báo chưa giải ' +
			    'trình theo kiểm tra hôm nay. Lý do gửi cho đơn vị là các thông báo kiểm tra.')
			: h('p', null, 'Duyệt mọi báo cáo đã nộp (' + what + ') không còn lỗi và đã giải trình mọi ' +
			    'cảnh báo theo kiểm tra hôm nay. Báo cáo được duyệt sẽ bị khóa.'),
		h('p', { class: 'small muted' }, 'Theo danh sách đang có: ' + fmtNumber(submitted.length) +
		    ' báo cáo đã nộp, khoảng ' + fmtNumber(kind === 'return' ? failingN : submitted.length - failingN) +
		    ' báo cáo sẽ được ' + (kind === 'return' ? 'trả lại' : 'duyệt') +
		    '. Máy chủ kiểm tra lại từng báo cáo nên số thực tế có thể khác.'));
	fill(byId('bulk-dialog-status'));
	const confirm = byId('bulk-confirm');
	confirm.textContent = kind === 'return' ? 'Trả lại các báo cáo không đạt' : 'Duyệt các báo cáo đạt';
	confirm.className = kind === 'return' ? 'btn btn-danger' : 'btn';
	bulkDialog.showModal();
	byId('bulk-cancel').focus();
}

function closeBulk() {
	if (S.busy) return;
	if (bulkDialog.open) bulkDialog.close();
	const b = byId(S.bulk === 'return' ? 'bulk-return' : 'bulk-accept');
	if (b) b.focus();
}

async function runBulk() {
	const kind = S.bulk;
	const button = byId('bulk-confirm');
	const status = byId('bulk-dialog-status');
	const path = '/api/v1/review/' + enc(S.period.code) + '/' + enc(S.form) + '/' +
	    (kind === 'return' ? 'return-failing' : 'accept-clean');
	const names = new Map(S.rows.map((r) => [r.unit, r.unit_name || r.unit]));
	S.busy = true;
	setBusy(button, true, kind === 'return' ? 'Đang kiểm tra và trả lại…' : 'Đang kiểm tra và duyệt…');
	byId('bulk-cancel').disabled = true;
	fill(status, h('p', { class: 'progress' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }),
		'Máy chủ đang kiểm tra lại từng báo cáo đã nộp; việc này có thể mất một lúc.'));
	let res;
	try {
		res = await api('POST', path);
	} catch (e) {
		S.busy = false;
		setBusy(button, false);
		byId('bulk-cancel').disabled = false;
		fill(status);
		showError(e, { target: status });
		return;
	}
	S.busy = false;
	setBusy(button, false);
	byId('bulk-cancel').disabled = false;
	closeBulk();
	const units = Array.isArray(res && res.units) ? res.units : [];
	const count = Number(res && res.count) || units.length;
	const verb = kind === 'return' ? 'trả lại' : 'duyệt';
	if (!count) {
		showMessage('Không có báo cáo nào được ' + verb + ' (' + formLabel(S.form) + ', ' +
		    S.period.name + ').', 'info');
	} else {
		showMessage('Đã ' + verb + ' ' + fmtNumber(count) + ' báo cáo (' + formLabel(S.form) + ', ' +
		    S.period.name + '):', 'success', {
			details: units.map((u) => (names.get(u) && names.get(u) !== u ? names.get(u) + ' (' + u + ')' : u)),
		});
	}
	await loadQueue();
}

/* ------------------------------------------------------------------ */
/* Start                                                              */
/* ------------------------------------------------------------------ */

async function loadKinds() {
	try {
		const kinds = await api('GET', '/api/v1/unit-kinds');
		for (const k of Array.isArray(kinds) ? kinds : []) S.kinds.set(k.code, k.label || k.code);
	} catch (e) {
		/* Codes are shown instead of names. */
	}
}

function wire() {
	fillSelect(byId('filter-status'), STATUSES.map((s) => ({ value: s, label: statusLabel(s) })), 'Tất cả');
	const st = queryParam('status');
	if (STATUSES.includes(st)) byId('filter-status').value = st;
	byId('form').addEventListener('change', () => {
		S.form = byId('form').value;
		setQueryParam('form', S.form && S.form !== 'PL1' ? S.form : null);
		loadQueue();
	});
	for (const id of ['filter-district', 'filter-kind']) byId(id).addEventListener('change', render);
	byId('filter-status').addEventListener('change', () => {
		setQueryParam('status', byId('filter-status').value || null);
		render();
	});
	byId('filter-text').addEventListener('input', debounce(render, 200));
	byId('reload-queue').addEventListener('click', () => loadQueue());
	byId('bulk-return').addEventListener('click', () => openBulk('return'));
	byId('bulk-accept').addEventListener('click', () => openBulk('accept'));
	byId('bulk-confirm').addEventListener('click', runBulk);
	byId('bulk-cancel').addEventListener('click', closeBulk);
	bulkDialog.addEventListener('cancel', (ev) => {
		ev.preventDefault();
		closeBulk();
	});
	dialog.addEventListener('cancel', (ev) => {
		ev.preventDefault();
		if (S.mode && !S.busy) {
			setMode('');
			return;
		}
		closeDialog();
	});
}

async function main() {
	const session = await initPage({
		roles: ['office'],
		deniedMessage: 'Chỉ Văn phòng Sở duyệt báo cáo. Xem tiến độ nộp và số liệu tổng hợp ở các mục ' +
		    '“Tiến độ nộp” và “Tổng hợp”.',
	});
	if (!session) return;
	wire();
	S.form = queryParam('form') || '';
	const kinds = loadKinds();
	await kinds;
	S.periodsOf = await startPeriodPicker(selectPeriod);
}

main();
