/*
 * Tổng hợp (office, viewer, admin): the consolidated report of one
 * period and form — key rates, their course over the months, a rate or
 * figure by district, the table in outline order, by district, by kind
 * of unit — and the Excel / CSV downloads.  Every rate comes from the
 * server, recomputed from summed counts.
 *
 * GET /api/v1/consolidated/{period}/{form}[.xlsx|.csv][?only=accepted]
 * GET /api/v1/forms/{form}?period=, …/versions/{n}: the period's outline
 *
 * The months of the trend may have been filed under another outline
 * version: an item their version lacks is "absent" there (the server
 * says which), shown as such, never as 0 or as a fall.
 */
import { renderConsDocs } from './dashboard-docs.js';
import {
	api, h, fill, byId, initPage, showError, tableWrap, emptyRow,
	fmtDate, fmtDateTime, fmtNumber, fillSelect, formLabel, setBusy,
	queryParam, setQueryParam, todayVN, daysBetween, currentYearVN, downloadBlob,
} from './app.js';
import { startPeriodPicker, fillFormSelect, stateBadge } from './periods.js';
import { lineChart, barChart } from './charts.js';
import { ABSENT_TEXT, isAbsent, outlineFor, outlineOf, versionText } from './outline-view.js';

const enc = encodeURIComponent;

/* Short names for the charts when the outline's own label is long. */
const SHORT_LABELS = {
	'bhyt.ontime_pct': 'Tỷ lệ hồ sơ BHYT gửi đúng ngày',
	'cccd.used_pct': 'Tỷ lệ lượt KCB dùng CCCD/VNeID',
	'pay.cashless_pct': 'Tỷ lệ thanh toán không dùng tiền mặt',
	'erx.linked_pct': 'Tỷ lệ đơn thuốc liên thông',
	'birth.synced_pct': 'Tỷ lệ khai sinh đồng bộ',
	'death.synced_pct': 'Tỷ lệ khai tử đồng bộ',
};
const LABEL_MAX = 60;

const S = {
	role: '',
	periods: [],
	period: null,
	form: '',
	only: false,
	data: null,
	def: null,
	defs: new Map(),
	seq: 0,
	barItem: '',
};

/* ------------------------------------------------------------------ */
/* Period and form                                                    */
/* ------------------------------------------------------------------ */

function selectPeriod(p) {
	S.period = p;
	S.form = fillFormSelect(byId('form'), p, S.form || queryParam('form') || 'PL1');
	setQueryParam('form', S.form && S.form !== 'PL1' ? S.form : null);
	load();
}

/* ------------------------------------------------------------------ */
/* Loading                                                            */
/* ------------------------------------------------------------------ */

function basePath() {
	return '/api/v1/consolidated/' + enc(S.period.code) + '/' + enc(S.form);
}

function onlyQuery() {
	return S.only ? '?only=accepted' : '';
}

function formDef(code) {
	return outlineFor(code, S.period.code);
}

function setDownloads(enabled) {
	byId('download-xlsx').disabled = !enabled;
	byId('download-csv').disabled = !enabled;
	byId('download-pdf').disabled = !enabled;
	if (enabled) renderConsDocs(basePath(), S.role);
}

async function load() {
	const seq = ++S.seq;
	const status = byId('db-status');
	if (!S.period || !S.form) {
		S.data = null;
		byId('db-content').hidden = true;
		fill(byId('db-info'));
		setDownloads(false);
		return;
	}
	setDownloads(false);
	fill(status, h('p', { class: 'progress' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }),
		'Đang tổng hợp số liệu ' + S.period.name + ', ' + formLabel(S.form) + '…'));
	byId('db-content').setAttribute('aria-busy', 'true');
	let data;
	let def;
	try {
		[data, def] = await Promise.all([api('GET', basePath() + onlyQuery()), formDef(S.form)]);
		def = await outlineOf(S.form, def, data && data.form_version);
	} catch (e) {
		if (seq !== S.seq) return;
		fill(status);
		S.data = null;
		byId('db-content').hidden = true;
		byId('db-content').removeAttribute('aria-busy');
		fill(byId('db-info'));
		showError(e);
		return;
	}
	if (seq !== S.seq) return;
	fill(status);
	S.data = data || {};
	S.def = def || { sections: [] };
	byId('db-content').removeAttribute('aria-busy');
	byId('db-content').hidden = false;
	setDownloads(true);
	render();
}

/* ------------------------------------------------------------------ */
/* The form's items                                                   */
/* ------------------------------------------------------------------ */

function allItems() {
	const out = [];
	for (const sec of S.def.sections || []) for (const it of sec.items || []) out.push(it);
	return out;
}

function itemOf(code) {
	return allItems().find((it) => it.code === code) || null;
}

function rateItems() {
	return allItems().filter((it) => it.kind === 'rate');
}

/* Counts, money and sums: what adds up across units. */
function figureItems() {
	return allItems().filter((it) => it.kind === 'count' || it.kind === 'money' || it.kind === 'sum');
}

function shortLabel(it) {
	if (it.label && [...it.label].length <= LABEL_MAX) return it.label;
	if (SHORT_LABELS[it.code]) return SHORT_LABELS[it.code];
	const chars = [...String(it.label || it.code)];
	return chars.slice(0, LABEL_MAX - 1).join('') + '…';
}

/* "Hồ sơ" → "hồ sơ" inside a sentence; "GKSKLX" stays as it is. */
function unitInText(unit) {
	const u = String(unit);
	return u === u.toUpperCase() ? u : u.charAt(0).toLowerCase() + u.slice(1);
}

function isNum(v) {
	return typeof v === 'number' && Number.isFinite(v);
}

function fmtRate(v) {
	return fmtNumber(v, 1) + ' %';
}

function fmtItem(it, v) {
	if (!isNum(v)) return '—';
	if (it && it.kind === 'rate') return fmtRate(v);
	return fmtNumber(v);
}

function scopeLabel() {
	return S.role === 'viewer' ? 'Các khu vực theo dõi' : 'Toàn tỉnh';
}

/* "2023-07" → "7/2023" for an axis; anything else as it is. */
function shortPeriod(code) {
	const m = /^(\d{4})-(\d{2})$/.exec(String(code));
	return m ? Number(m[2]) + '/' + m[1] : String(code);
}

/* ------------------------------------------------------------------ */
/* Drawing                                                            */
/* ------------------------------------------------------------------ */

function renderInfo() {
	const d = S.data;
	const p = d.period_info || S.period || {};
	fill(byId('db-info'),
		'Số liệu ' + fmtDate(p.start) + ' – ' + fmtDate(p.end) + ', hạn nộp ' + fmtDate(p.deadline) +
		'. Tổng hợp lúc ' + fmtDateTime(d.generated_at) + ' từ ' + fmtNumber(d.units_reported || 0) +
		' báo cáo ' + (d.only === 'accepted' ? 'đã duyệt' : 'đã nộp hoặc đã duyệt') + '. ',
		d.form_version ? h('span', { id: 'db-outline', 'data-version': String(d.form_version) },
			'Đề cương: ' + versionText(d.form_version, S.def.first_period) + '. ') : null,
		S.period && S.period.state ? stateBadge(S.period.state) : null);
}

function card(label, value, cls, subs, key) {
	return h('li', { class: ['kpi', cls ? 'is-' + cls : ''], 'data-kpi': key || null },
		h('span', { class: 'kpi-label' }, label),
		h('span', { class: 'kpi-value' }, value),
		(subs || []).filter(Boolean).map((s) => h('span', { class: 'kpi-sub' }, s)));
}

/* The change of a rate since the month before, from the trend. */
function change(code) {
	const trend = Array.isArray(S.data.trend) ? S.data.trend : [];
	const i = trend.findIndex((t) => t.period === S.data.period);
	if (i < 1) return null;
	const now = (trend[i].values || {})[code];
	const before = (trend[i - 1].values || {})[code];
	const name = trend[i - 1].name || trend[i - 1].period;
	if (isAbsent(trend[i - 1].absent, code))
		return h('span', { class: 'kpi-change is-absent', 'data-absent': '' },
			name + ': ' + ABSENT_TEXT);
	if (!isNum(now) || !isNum(before)) return null;
	const d = Math.round((now - before) * 10) / 10;
	if (d === 0) return h('span', { class: 'kpi-change' }, 'Không đổi so với ' + name);
	return h('span', { class: ['kpi-change', d > 0 ? 'is-up' : 'is-down'] },
		h('span', { 'aria-hidden': 'true' }, d > 0 ? '▲ ' : '▼ '),
		(d > 0 ? 'Tăng ' : 'Giảm ') + fmtNumber(Math.abs(d), 1) + ' điểm % so với ' + name);
}

function renderKpis() {
	const d = S.data;
	const values = d.values || {};
	const expected = Number(d.units_expected) || 0;
	const reported = Number(d.units_reported) || 0;
	const counts = [
		card(d.only === 'accepted' ? 'Báo cáo đã duyệt được tính' : 'Đơn vị đã nộp',
			fmtNumber(reported) + '/' + fmtNumber(expected), reported < expected ? 'warn' : 'ok',
			[expected ? fmtRate(Math.round(reported * 1000 / expected) / 10) + ' số đơn vị phải nộp' : null],
			'reported'),
		card('Đã duyệt', fmtNumber(d.units_accepted || 0), '', null, 'accepted'),
		card('Nộp muộn', fmtNumber(d.units_late || 0), Number(d.units_late) ? 'warn' : '', null, 'late'),
		card('Chưa nộp', fmtNumber(Math.max(0, expected - reported)),
			expected - reported > 0 ? 'err' : 'ok', [d.only === 'accepted' ? 'Chưa nộp hoặc chưa duyệt' : null],
			'missing'),
	];
	const rates = rateItems().filter((it) => isNum(values[it.code]));
	const cards = [];
	for (const it of rates) {
		const num = itemOf(it.num);
		const den = itemOf(it.den);
		const sub = isNum(values[it.num]) && isNum(values[it.den])
			? fmtNumber(values[it.num]) + ' / ' + fmtNumber(values[it.den]) +
			  (den && den.unit ? ' ' + unitInText(den.unit) : '')
			: null;
		cards.push(h('li', { class: 'kpi kpi-rate', 'data-kpi': it.code },
			h('span', { class: 'kpi-label' }, shortLabel(it)),
			h('span', { class: 'kpi-value' }, fmtRate(values[it.code])),
			h('progress', { class: 'kpi-bar', max: '100', value: String(Math.max(0, Math.min(100, values[it.code]))),
				'aria-hidden': 'true' }),
			sub ? h('span', { class: 'kpi-sub' }, sub, num ? h('span', { class: 'visually-hidden' },
				' (' + num.label + ' trên ' + (den ? den.label : '') + ')') : null) : null,
			change(it.code)));
	}
	const nodes = [h('ul', { class: 'kpi-grid kpi-grid-counts', 'aria-label': 'Tình hình nộp báo cáo' }, counts),
		cards.length ? h('ul', { class: 'kpi-grid', id: 'kpi-list', 'aria-label': 'Các tỷ lệ chính' }, cards) : null];
	if (!rateItems().length)
		nodes.push(h('p', { class: 'muted small' }, formLabel(S.form) + ' không có chỉ tiêu tỷ lệ; xem các số ' +
		    'liệu trong bảng tổng hợp bên dưới.'));
	else if (!rates.length)
		nodes.push(h('p', { class: 'muted small' }, 'Chưa có tỷ lệ nào: chưa có báo cáo được tính trong kỳ này.'));
	fill(byId('kpis'), nodes);
}

function renderTrend() {
	const trend = Array.isArray(S.data.trend) ? S.data.trend : [];
	const rates = rateItems().filter((it) => trend.some((t) => isNum((t.values || {})[it.code])));
	if (!trend.length || !rates.length) {
		fill(byId('trend'), h('p', { class: 'muted' }, rateItems().length
			? 'Chưa có số liệu các tháng để vẽ diễn biến.'
			: 'Diễn biến theo tháng chỉ có cho các tỷ lệ của Phụ lục 1.'));
		return;
	}
	const first = trend[0].name || trend[0].period;
	const last = trend[trend.length - 1].name || trend[trend.length - 1].period;
	/* A month whose outline lacked a rate: a gap, said in words. */
	const gaps = rates.map((it) => {
		const months = trend.filter((t) => isAbsent(t.absent, it.code)).map((t) => t.name || t.period);
		return months.length ? h('li', { 'data-absent': it.code }, shortLabel(it) + ': ' + ABSENT_TEXT +
		    ' (' + months.join(', ') + ').') : null;
	}).filter(Boolean);
	fill(byId('trend'), gaps.length ? h('ul', { class: 'small muted', id: 'trend-absent' }, gaps) : null,
		lineChart({
		id: 'trend-chart',
		title: 'Các tỷ lệ chính qua các tháng (' + first + ' – ' + last + ')',
		note: 'Tính trên báo cáo ' + (S.only ? 'đã duyệt' : 'đã nộp hoặc đã duyệt') + ' của từng tháng; ' +
		    scopeLabel().toLowerCase() + '.',
		labels: trend.map((t) => ({ short: shortPeriod(t.period), full: t.name || t.period })),
		series: rates.map((it) => ({
			key: it.code, name: shortLabel(it),
			values: trend.map((t) => { const v = (t.values || {})[it.code]; return isNum(v) ? v : null; }),
		})),
		max: 100,
		format: fmtRate,
		tickFormat: (v) => fmtNumber(v),
		yLabel: 'Tỷ lệ (%)',
		xLabel: 'Tháng báo cáo',
		categoryLabel: 'Tháng',
	}));
}

function barChoices() {
	return [
		{ group: 'Tỷ lệ', items: rateItems() },
		{ group: 'Số liệu', items: figureItems() },
	].filter((g) => g.items.length);
}

function fillBarSelect() {
	const sel = byId('bar-item');
	const groups = barChoices();
	fill(sel, groups.map((g) => h('optgroup', { label: g.group },
		g.items.map((it) => h('option', { value: it.code }, shortLabel(it) + (it.unit && it.kind !== 'rate'
			? ' (' + it.unit + ')' : ''))))));
	const codes = groups.flatMap((g) => g.items.map((it) => it.code));
	const values = S.data.values || {};
	const firstWithData = codes.find((c) => isNum(values[c])) || codes[0] || '';
	const want = S.barItem || queryParam('item');
	sel.value = codes.includes(want) ? want : firstWithData;
	S.barItem = sel.value;
	sel.disabled = !codes.length;
}

function districtEntries() {
	const byd = S.data.by_district && typeof S.data.by_district === 'object' ? S.data.by_district : {};
	return Object.entries(byd).map(([code, x]) => ({ code, ...(x || {}) }))
		.sort((a, b) => String(a.name || a.code).localeCompare(String(b.name || b.code), 'vi'));
}

function renderBars() {
	const code = S.barItem;
	const it = itemOf(code);
	if (!it) {
		fill(byId('bars'), h('p', { class: 'muted' }, 'Không có chỉ tiêu để so sánh.'));
		return;
	}
	const rate = it.kind === 'rate';
	const rows = districtEntries().map((x) => {
		const v = (x.values || {})[code];
		return {
			key: x.code, label: x.name || x.code, value: isNum(v) ? v : null,
			sub: 'Đã nộp ' + fmtNumber(x.units_reported || 0) + '/' + fmtNumber(x.units_expected || 0) + ' đơn vị',
		};
	}).sort((a, b) => {
		if (a.value === null || b.value === null) return (a.value === null) - (b.value === null);
		return b.value - a.value;
	});
	const province = (S.data.values || {})[code];
	fill(byId('bars'), barChart({
		id: 'district-chart',
		title: shortLabel(it) + ' theo khu vực' + (rate ? '' : ' (' + (it.unit || '') + ')'),
		note: rate ? 'Đường đứt nét: tỷ lệ ' + scopeLabel().toLowerCase() + '.' : null,
		rows,
		format: (v) => fmtItem(it, v),
		tickFormat: (v) => fmtNumber(v),
		max: rate ? 100 : undefined,
		integer: !rate,
		reference: rate && isNum(province) ? { label: scopeLabel(), value: province } : null,
		xLabel: rate ? 'Tỷ lệ (%)' : it.unit || '',
		categoryLabel: 'Khu vực',
		valueLabel: rate ? 'Tỷ lệ' : 'Số liệu' + (it.unit ? ' (' + it.unit + ')' : ''),
		subLabel: 'Đơn vị đã nộp',
		rowNoun: 'khu vực',
	}));
}

/* ---------- The table in outline order ---------- */

/*
 * A level is not added up: the server counts the units at each level
 * ({"1": 0, ..., "5": 2}); the levels no unit is at are left out here.
 */
function levelText(v) {
	if (!v || typeof v !== 'object') return '—';
	const parts = Object.entries(v).filter(([, n]) => isNum(n) && n > 0)
		.sort((a, b) => Number(a[0]) - Number(b[0]))
		.map(([lvl, n]) => 'Mức ' + lvl + ': ' + fmtNumber(n) + ' đơn vị');
	return parts.length ? parts.join('; ') : 'Chưa có đơn vị nào báo mức';
}

function textCell(it) {
	const rows = ((S.data.texts || {})[it.code]) || [];
	if (!rows.length) return h('span', { class: 'muted' }, 'Chưa có nội dung.');
	return h('details', { class: 'db-texts' },
		h('summary', null, 'Nội dung của ' + fmtNumber(rows.length) + ' đơn vị'),
		h('ul', null, rows.map((r) => h('li', null,
			h('strong', null, (r.unit_name || r.unit) + ': '), h('span', { class: 'db-text' }, r.text || '')))));
}

function choiceText(col, v) {
	if (v === null || v === undefined || v === '') return '—';
	if (col.kind === 'date') return fmtDate(v);
	if (col.kind === 'count') return fmtNumber(v);
	if (col.kind === 'choice') {
		const c = (col.choices || []).find((x) => x.code === v);
		return c ? c.label : String(v);
	}
	return String(v);
}

function listBlock(l) {
	const rows = ((S.data.lists || {})[l.code]) || [];
	const units = new Set(rows.map((r) => r.unit));
	const cols = l.columns || [];
	return h('details', { class: 'db-list', 'data-list': l.code },
		h('summary', null, l.label + ' — ' + fmtNumber(rows.length) + ' dòng từ ' + fmtNumber(units.size) +
		    ' đơn vị'),
		rows.length ? tableWrap(h('table', null,
			h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Đơn vị'),
				cols.map((c) => h('th', { scope: 'col', class: c.kind === 'count' ? 'num' : null }, c.label)))),
			h('tbody', null, rows.map((r) => h('tr', null,
				h('th', { scope: 'row' }, r.unit_name || r.unit),
				cols.map((c) => h('td', { class: c.kind === 'count' ? 'num' : null }, choiceText(c, r[c.code]))))))),
		l.label) : h('p', { class: 'muted' }, 'Chưa có dòng nào.'));
}

function renderOutline() {
	const d = S.data;
	const values = d.values || {};
	const st = d.stations && d.stations.values && typeof d.stations.values === 'object' ? d.stations.values : {};
	const hasStations = Object.keys(st).length > 0;
	const monthly = d.monthly && typeof d.monthly === 'object' ? d.monthly : null;
	const mValues = monthly && monthly.values ? monthly.values : {};
	const diffs = monthly && monthly.differences ? monthly.differences : {};
	const cols = ['STT', 'Nội dung', 'Đơn vị tính', scopeLabel()];
	if (hasStations) cols.push('Trong đó: trạm y tế');
	if (monthly) cols.push('Cộng các báo cáo tháng', 'Chênh lệch');
	const n = cols.length;
	const lists = S.def.lists || [];
	const rows = [];
	for (const sec of S.def.sections || []) {
		rows.push(h('tr', { class: 'db-section-row' }, h('th', { scope: 'colgroup', colspan: String(n) },
			sec.id ? sec.id + '. ' : '', sec.title || '')));
		const prefix = sec.id ? sec.id + '.' : '';
		(sec.items || []).forEach((it, i) => {
			const depth = Math.min(3, Math.max(0, Number(it.depth) || 0));
			const attrs = { class: ['db-item', 'depth-' + depth], 'data-item': it.code };
			const head = [h('td', { class: 'rpt-stt' }, prefix + (i + 1)),
				h('th', { scope: 'row', class: 'db-label' }, it.label)];
			if (it.kind === 'text') {
				rows.push(h('tr', attrs, head, h('td', { colspan: String(n - 2) }, textCell(it))));
				return;
			}
			const cells = [h('td', { class: 'rpt-unit' }, it.unit || '')];
			cells.push(h('td', { class: 'num db-value' }, it.kind === 'level' ? levelText(values[it.code])
				: fmtItem(it, values[it.code])));
			if (hasStations) cells.push(h('td', { class: 'num' }, it.kind === 'level' ? ''
				: isNum(st[it.code]) ? fmtItem(it, st[it.code]) : ''));
			if (monthly) {
				const diff = diffs[it.code];
				cells.push(h('td', { class: 'num' }, it.kind === 'level' ? '' : fmtItem(it, mValues[it.code])));
				cells.push(h('td', { class: ['num', diff && diff.difference ? 'is-diff' : ''] },
					diff && isNum(diff.difference) ? (diff.difference > 0 ? '+' : '') + fmtNumber(diff.difference) : ''));
			}
			rows.push(h('tr', attrs, head, cells));
		});
		for (const l of lists.filter((x) => String(x.section) === String(sec.id)))
			rows.push(h('tr', { class: 'db-list-row' }, h('td', { colspan: String(n) }, listBlock(l))));
	}
	const notes = [];
	if (monthly)
		notes.push(h('p', { class: 'muted small' }, 'Cột “Cộng các báo cáo tháng”: cộng các báo cáo tháng đã nộp ' +
		    'trong kỳ (' + ((monthly.from || []).map(shortPeriod).join(', ') || 'chưa có') + '); số thiết bị, ' +
		    'số người lấy theo tháng gần nhất. “Chênh lệch” = số báo cáo kỳ trừ cộng các tháng.'));
	if (hasStations)
		notes.push(h('p', { class: 'muted small' }, 'Cột “Trong đó: trạm y tế”: phần số liệu các Trung tâm Y tế ' +
		    'báo cáo cho các trạm y tế xã, đã gồm trong số ' + scopeLabel().toLowerCase() + '.'));
	fill(byId('outline'), notes, tableWrap(h('table', { class: 'db-outline' },
		h('caption', null, (S.def.name || formLabel(S.form)) + ' — ' + (S.data.period_info || S.period).name +
		    (S.only ? ' (chỉ báo cáo đã duyệt)' : '')),
		h('thead', null, h('tr', null, cols.map((c, i) => h('th', { scope: 'col', class: i >= 3 ? 'num' : null }, c)))),
		h('tbody', null, rows)), 'Bảng số liệu theo từng chỉ tiêu của đề cương'));
}

/* ---------- By district, by kind ---------- */

/* Columns of the district and kind tables: the rates, else the main figures. */
function keyItems() {
	const rates = rateItems();
	if (rates.length) return rates;
	return figureItems().filter((it) => !Number(it.depth));
}

function groupTable(id, caption, firstCol, entries) {
	const items = keyItems();
	const cols = [firstCol, 'Đã nộp/Phải nộp', ...items.map((it) => shortLabel(it) +
		(it.kind !== 'rate' && it.unit ? ' (' + it.unit + ')' : ''))];
	const body = entries.length ? entries.map((x) => h('tr', { 'data-key': x.code },
		h('th', { scope: 'row' }, x.label),
		h('td', { class: 'num nowrap' }, fmtNumber(x.units_reported || 0) + '/' + fmtNumber(x.units_expected || 0)),
		items.map((it) => h('td', { class: 'num' }, fmtItem(it, (x.values || {})[it.code])))))
		: [emptyRow(cols.length, 'Không có số liệu.')];
	const d = S.data;
	const foot = entries.length > 1 ? h('tfoot', null, h('tr', null,
		h('th', { scope: 'row' }, scopeLabel()),
		h('td', { class: 'num nowrap' }, fmtNumber(d.units_reported || 0) + '/' + fmtNumber(d.units_expected || 0)),
		items.map((it) => h('td', { class: 'num' }, fmtItem(it, (d.values || {})[it.code]))))) : null;
	fill(byId(id), tableWrap(h('table', { class: 'db-groups' },
		h('caption', null, caption),
		h('thead', null, h('tr', null, cols.map((c, i) => h('th', { scope: 'col', class: i ? 'num db-col' : null }, c)))),
		h('tbody', null, body), foot), caption));
}

function renderGroups() {
	groupTable('districts', 'Theo khu vực — ' + formLabel(S.form) + ', ' + S.period.name, 'Khu vực',
		districtEntries().map((x) => ({ ...x, label: x.name || x.code })));
	const byk = S.data.by_kind && typeof S.data.by_kind === 'object' ? S.data.by_kind : {};
	const kinds = Object.entries(byk).map(([code, x]) => ({ code, ...(x || {}), label: (x && x.kind_label) || code }))
		.sort((a, b) => a.label.localeCompare(b.label, 'vi'));
	groupTable('kinds', 'Theo loại đơn vị — ' + formLabel(S.form) + ', ' + S.period.name, 'Loại đơn vị', kinds);
}

function render() {
	renderInfo();
	renderKpis();
	renderTrend();
	fillBarSelect();
	renderBars();
	renderOutline();
	renderGroups();
}

/* ------------------------------------------------------------------ */
/* Downloads                                                          */
/* ------------------------------------------------------------------ */

async function download(ext, button) {
	if (!S.period || !S.form) return;
	const name = 'tong-hop-' + S.period.code + '-' + S.form + '.' + ext;
	setBusy(button, true, ext === 'xlsx' ? 'Đang tạo file Excel…' : ext === 'pdf' ?
	    'Đang tạo PDF…' : 'Đang tạo file CSV…');
	try {
		const res = await api('GET', basePath() + '.' + ext + onlyQuery(), null,
			{ expect: 'blob', filename: name });
		if (res && res.blob) downloadBlob(res.blob, res.filename || name);
	} catch (e) {
		showError(e);
	} finally {
		setBusy(button, false);
	}
}

/* ------------------------------------------------------------------ */
/* Start                                                              */
/* ------------------------------------------------------------------ */

async function main() {
	const session = await initPage({ roles: ['office', 'viewer', 'admin'] });
	if (!session) return;
	S.role = session.user.role;
	if (S.role === 'viewer')
		byId('intro').textContent = 'Số liệu cộng từ báo cáo của các đơn vị thuộc các khu vực được phân công ' +
		    'theo dõi; các tỷ lệ được tính lại từ số cộng.';
	S.only = queryParam('only') === 'accepted';
	byId('only-accepted').checked = S.only;
	S.form = queryParam('form') || '';
	byId('form').addEventListener('change', () => {
		S.form = byId('form').value;
		setQueryParam('form', S.form && S.form !== 'PL1' ? S.form : null);
		load();
	});
	byId('only-accepted').addEventListener('change', () => {
		S.only = byId('only-accepted').checked;
		setQueryParam('only', S.only ? 'accepted' : null);
		load();
	});
	byId('bar-item').addEventListener('change', () => {
		S.barItem = byId('bar-item').value;
		setQueryParam('item', S.barItem || null);
		renderBars();
	});
	byId('download-xlsx').addEventListener('click', (ev) => download('xlsx', ev.currentTarget));
	byId('download-csv').addEventListener('click', (ev) => download('csv', ev.currentTarget));
	byId('download-pdf').addEventListener('click', (ev) => download('pdf', ev.currentTarget));
	setDownloads(false);
	S.periodsOf = await startPeriodPicker(selectPeriod);
}

main();
