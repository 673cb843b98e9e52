/*
 * The report page's DOM: the header (unit, period, deadline, status,
 * the office's reasons), the outline built from the form definition
 * (sections, items, per-station tables, lists) and the check messages.
 * Every node comes from h(); nothing about an item is written here.
 *
 * Inputs carry data-key: "v:<item>" for the unit's own values,
 * "s:<station>|<item>" for station rows (a district centre's own row is
 * "s:<its own code>|<item>"), "l:<list>|<row>|<column>" for list cells,
 * "c:<item>" for explanations of warnings.  report.js listens on the
 * form and keeps the values.
 */
import {
	h, fill, byId, badge, tableWrap, fmtDate, fmtDateTime, fmtNumber,
	statusLabel, formLabel, todayVN, daysBetween,
} from './app.js';
import { previousNote, versionText } from './outline-view.js';
import {
	isDerived, fmtDerived, charCount, commentKey, COMMENT_MAX, FILL_TYPES, rowName,
	parseDayMonthYear,
} from './report-checks.js';

const STATUS_BADGE = { draft: 'info', submitted: 'ok', returned: 'err', accepted: 'ok' };

const ACTION_LABELS = {
	save: 'Lưu nháp',
	submit: 'Nộp báo cáo',
	return: 'Văn phòng Sở trả lại',
	accept: 'Văn phòng Sở duyệt',
	reopen: 'Mở lại để sửa',
};

/* Element ids from codes: "erx.total" → "erx_total". */
export function safe(s) {
	return String(s).replace(/[^A-Za-z0-9_-]/g, '_');
}

export function fieldId(key) {
	const kind = key.slice(0, 1);
	const rest = key.slice(2);
	if (kind === 'v') return 'f-' + safe(rest);
	if (kind === 'c') return 'c-' + safe(rest);
	if (kind === 's') {
		const [st, code] = rest.split('|');
		return 's-' + safe(st) + '--' + safe(code);
	}
	if (kind === 'l') {
		const [list, row, col] = rest.split('|');
		return 'l-' + safe(list) + '-' + row + '-' + safe(col);
	}
	return safe(key);
}

/* The DOM the page keeps track of; rebuilt by renderOutline(). */
export const view = {
	fields: new Map(),	/* key → input, select, textarea or output */
	msgBoxes: new Map(),	/* anchor ("v:code", "l:list") → element */
	msgSigs: new Map(),
	commentBoxes: new Map(),	/* comment key → wrapper */
	commentHomes: new Map(),	/* comment key → where it goes */
	totals: new Map(),	/* item → {sum, own, item} cells under a station table */
	dateEchoes: new Map(),	/* list cell key → what the date typed was read as */
	stationDerived: new Map(),	/* "station|item" → output */
	derived: new Map(),	/* item → output */
	counters: new Map(),	/* key → counter element */
	listAreas: new Map(),	/* list → container */
	summarySig: '',
};

/* ------------------------------------------------------------------ */
/* Header                                                             */
/* ------------------------------------------------------------------ */

/*
 * "Hạn nộp: 15/07/2023 — còn 3 ngày", or the overdue warning; computed
 * on today's date in Việt Nam.
 */
export function deadlineInfo(period, report, today = todayVN(), forUnit = true) {
	const due = fmtDate(period.deadline);
	if (report.status === 'submitted' || report.status === 'accepted') {
		const when = report.submitted_at ? ' lúc ' + fmtDateTime(report.submitted_at) : '';
		return {
			cls: report.late ? 'is-late' : 'is-done',
			text: 'Hạn nộp: ' + due + '. Báo cáo đã nộp' + when +
			    (report.late ? ' — nộp muộn.' : ' — đúng hạn.'),
		};
	}
	const n = daysBetween(today, period.deadline);
	if (Number.isNaN(n)) return { cls: 'is-left', text: 'Hạn nộp: ' + due };
	if (n > 0)
		return { cls: n <= 3 ? 'is-soon' : 'is-left',
		    text: 'Hạn nộp: ' + due + ' — còn ' + fmtNumber(n) + ' ngày' };
	if (n === 0)
		return { cls: 'is-soon', text: 'Hạn nộp: ' + due + ' — hôm nay là hạn cuối (hết ngày, giờ Việt Nam)' };
	return {
		cls: 'is-late',
		text: 'Đã quá hạn nộp ' + fmtNumber(-n) + ' ngày: ' + (forUnit
			? 'báo cáo nộp bây giờ sẽ được ghi là nộp muộn'
			: 'đơn vị chưa nộp báo cáo') + ' (hạn nộp ' + due + ').',
	};
}

/* The office's remarks per item while the report is returned: {code: text}. */
export function remarkItems(report) {
	const r = report && report.status === 'returned' ? report.remarks : null;
	const items = r && r.items && typeof r.items === 'object' ? r.items : {};
	const out = new Map();
	for (const [code, text] of Object.entries(items))
		if (typeof text === 'string' && text.trim() !== '') out.set(code, text.trim());
	return out;
}

/* Where a remark's item is on the page: its field, or its list. */
function remarkTarget(S, code) {
	if (S.model.lists.has(code)) return 'list-' + safe(code);
	return 'row-' + safe(code);
}

function remarkLabel(S, code) {
	const it = S.model.items.get(code);
	if (it) return it.label;
	const l = S.model.lists.get(code);
	return l ? l.label : code;
}

function returnReasons(S, report) {
	const returns = (report.history || []).filter((e) => e.action === 'return' ||
		e.action === 'reopen');
	if (report.status !== 'returned' || !returns.length) return null;
	const items = returns.slice().reverse().map((e, i) => h('li', { class: i ? 'muted' : null },
		h('strong', null, fmtDateTime(e.at)),
		e.actor ? ' (' + e.actor + ')' : '', ': ',
		e.note ? e.note : 'không ghi lý do.'));
	const remarks = [...remarkItems(report)];
	const remarkList = remarks.length ? [
		h('p', { class: 'rpt-remarks-title' }, 'Nhận xét theo từng mục (bấm để đến mục đó):'),
		h('ul', { class: 'rpt-remark-list', id: 'return-remarks' }, remarks.map(([code, text]) =>
			h('li', { 'data-remark-item': code },
				jumpLink(remarkTarget(S, code), remarkLabel(S, code)), ': ', text))),
	] : null;
	return h('div', { id: 'return-reasons', class: 'alert alert-warning', role: 'note' },
		h('p', { class: 'alert-title' }, 'Văn phòng Sở đã trả lại báo cáo. Lý do:'),
		h('ul', null, items),
		remarkList,
		h('p', null, 'Sửa theo yêu cầu, lưu và nộp lại.'));
}

/* The office's remark at its item: said where the figure is fixed. */
function remarkNote(S, code) {
	const text = S.remarks ? S.remarks.get(code) : null;
	if (!text) return null;
	return h('p', { class: 'rpt-remark', role: 'note', 'data-remark-for': code },
		h('strong', null, 'Nhận xét của Văn phòng Sở: '), text);
}

export function renderHead(S) {
	const r = S.report;
	const u = r.unit_info || {};
	const p = r.period_info || {};
	const name = S.form.name || formLabel(S.formCode);
	byId('report-title').textContent = name + ' — ' + (p.name || S.period);
	document.title = formLabel(S.formCode) + ' ' + (p.name || S.period) + ' — ' +
	    (u.name || S.unit) + ' — Cổng báo cáo Sở Y tế Thanh Hóa';

	const dl = deadlineInfo(p, r, todayVN(), S.session.user.role === 'unit');
	const status = h('dd', { id: 'report-status' },
		badge(statusLabel(r.status), STATUS_BADGE[r.status] || 'info'),
		r.late ? badge('Nộp muộn', 'err') : null,
		r.submitted_at ? h('span', { class: 'cell-sub' },
			'Nộp lúc ' + fmtDateTime(r.submitted_at)) : null);
	status.dataset.status = r.status;

	fill(byId('report-head'),
		S.form.title ? h('p', { class: 'lead rpt-form-title' }, S.form.title) : null,
		h('dl', { class: 'rpt-meta' },
			h('div', null, h('dt', null, 'Đơn vị'),
				h('dd', { id: 'report-unit' }, u.name || S.unit,
					h('span', { class: 'cell-sub' }, 'Mã đơn vị: ' + (u.code || S.unit)))),
			h('div', null, h('dt', null, 'Kỳ báo cáo'),
				h('dd', { id: 'report-period' }, p.name || S.period,
					h('span', { class: 'cell-sub' }, 'Mã kỳ: ' + (p.code || S.period)))),
			h('div', null, h('dt', null, 'Thời gian lấy số liệu'),
				h('dd', { id: 'report-window' },
					h('span', { class: 'nowrap' }, fmtDate(p.start)), ' – ',
					h('span', { class: 'nowrap' }, fmtDate(p.end)))),
			h('div', null, h('dt', null, 'Trạng thái'), status),
			r.form_version ? h('div', null, h('dt', null, 'Đề cương'),
				h('dd', { id: 'report-outline', 'data-version': String(r.form_version) },
					versionText(r.form_version, r.form_first_period))) : null),
		h('p', { id: 'deadline-banner', class: ['rpt-deadline', dl.cls] }, dl.text),
		returnReasons(S, r),
		S.form.note ? h('p', { class: 'rpt-form-note' }, S.form.note) : null);
	renderHistory(r);
}

function renderHistory(report) {
	const box = byId('report-history');
	const hist = report.history || [];
	box.hidden = hist.length === 0;
	if (!hist.length) return;
	const rows = hist.slice().reverse().map((e) => h('tr', null,
		h('td', { class: 'nowrap' }, fmtDateTime(e.at)),
		h('td', null, ACTION_LABELS[e.action] || e.action),
		h('td', null, e.actor || ''),
		h('td', null, e.note || '')));
	fill(box,
		h('summary', null, 'Lịch sử báo cáo (' + fmtNumber(hist.length) + ')'),
		tableWrap(h('table', null,
			h('thead', null, h('tr', null, ['Thời điểm', 'Việc', 'Người thực hiện', 'Ghi chú']
				.map((c) => h('th', { scope: 'col' }, c)))),
			h('tbody', null, rows)), 'Lịch sử báo cáo'));
}

/* ------------------------------------------------------------------ */
/* The outline                                                        */
/* ------------------------------------------------------------------ */

function numberInput(key, attrs) {
	return h('input', {
		type: 'text', inputmode: 'numeric', autocomplete: 'off',
		spellcheck: 'false', maxlength: '30', class: 'rpt-num', ...attrs,
		'data-key': key,
	});
}

function msgBox(anchor, id) {
	const el = h('div', { class: 'rpt-msgs', id });
	view.msgBoxes.set(anchor, el);
	return el;
}

function describe(el, ...ids) {
	el.setAttribute('aria-describedby', ids.filter(Boolean).join(' '));
}

/*
 * STT: the section's number and the row's place in it ("6.3"), so a row
 * can be named on the telephone; depth shows as indentation only (a rate
 * may sit between a part and the part's own part).
 */
function numbering(sec) {
	const prefix = sec.def.id ? String(sec.def.id) + '.' : '';
	return sec.items.map((it, i) => prefix + (i + 1));
}

function derivedHint(S, it) {
	const name = (c) => (S.model.items.get(c) || { label: c }).label;
	if (it.kind === 'rate')
		return 'Tự tính = ' + name(it.num) + ' / ' + name(it.den) + ' × 100';
	return 'Tự tính = tổng ' + (it.sum || []).map(name).join(' + ');
}

function valueCell(S, it) {
	const key = 'v:' + it.code;
	const id = fieldId(key);
	const mid = 'm-' + safe(it.code);
	if (isDerived(it)) {
		const out = h('output', {
			id, class: 'rpt-derived', 'data-item': it.code, 'data-derived': '',
		});
		view.derived.set(it.code, out);
		const hid = 'hint-' + safe(it.code);
		describe(out, hid);
		return [out, h('span', { class: 'hint', id: hid }, it.note || derivedHint(S, it)),
			prevNote(S, it), msgBox(key, mid)];
	}
	if (!S.editable) {
		const v = S.local.values[it.code];
		return [h(it.kind === 'text' ? 'p' : 'span', {
			id, class: ['rpt-value', it.kind === 'text' ? 'rpt-value-text' : ''],
			'data-item': it.code,
		}, v === '' || v === undefined ? '—' : v), prevNote(S, it), msgBox(key, mid)];
	}
	if (it.kind === 'text') {
		const cid = 'cnt-' + safe(it.code);
		const ta = h('textarea', {
			id, rows: '4', 'data-item': it.code, 'data-key': key,
			class: 'rpt-text', value: S.local.values[it.code] || '',
		});
		const nid = it.note ? 'hint-' + safe(it.code) : null;
		describe(ta, nid, cid, mid);
		view.fields.set(key, ta);
		const counter = h('p', { class: 'rpt-counter', id: cid });
		view.counters.set(key, { el: counter, max: it.maxlen });
		return [nid ? h('span', { class: 'hint', id: nid }, it.note) : null, ta, counter,
			msgBox(key, mid)];
	}
	const hints = [];
	if (it.note) hints.push(it.note);
	if (it.kind === 'level' && it.min !== undefined && it.max !== undefined)
		hints.push('Từ ' + it.min + ' đến ' + it.max);
	const hid = hints.length ? 'hint-' + safe(it.code) : null;
	const input = numberInput(key, {
		id, 'data-item': it.code, value: S.local.values[it.code] || '',
		class: ['rpt-num', it.kind === 'money' ? 'rpt-money' : ''],
	});
	describe(input, hid, mid);
	view.fields.set(key, input);
	return [input, hid ? h('span', { class: 'hint', id: hid }, hints.join('; ')) : null,
		prevNote(S, it), msgBox(key, mid)];
}

/*
 * The unit's figure of its previous period beside an item, or that the
 * outline of that period did not have it (never a 0).
 */
function prevNote(S, it) {
	return previousNote(S.report && S.report.previous, it, (item, v) =>
		(item.kind === 'rate' ? fmtNumber(v, 1) + ' %' : fmtNumber(v)));
}

function itemRow(S, it, stt) {
	const id = fieldId('v:' + it.code);
	const labelEl = isDerived(it) || S.editable
		? h('label', { for: id }, it.label)
		: h('span', null, it.label);
	const depth = Math.min(3, Math.max(0, Number(it.depth) || 0));
	const cls = ['rpt-row', 'depth-' + depth, 'kind-' + it.kind];
	if (it.kind === 'text') {
		const cell = h('td', { class: 'rpt-text-cell', colspan: '3' },
			h('div', { class: 'rpt-label' }, labelEl), remarkNote(S, it.code), valueCell(S, it));
		view.commentHomes.set(it.code, cell);
		return h('tr', { class: cls, id: 'row-' + safe(it.code), 'data-row-item': it.code },
			h('td', { class: 'rpt-stt' }, stt), cell);
	}
	const cell = h('td', { class: 'rpt-input' }, valueCell(S, it));
	view.commentHomes.set(it.code, cell);
	return h('tr', { class: cls, id: 'row-' + safe(it.code), 'data-row-item': it.code },
		h('td', { class: 'rpt-stt' }, stt),
		h('th', { scope: 'row', class: 'rpt-label' }, labelEl, remarkNote(S, it.code)),
		h('td', { class: 'rpt-unit' }, it.unit || ''),
		cell);
}

function itemsTable(S, sec) {
	if (!sec.items.length) return null;
	const stts = numbering(sec);
	const rows = sec.items.map((it, i) => itemRow(S, it, stts[i]));
	return h('table', { class: 'rpt-items' },
		h('thead', null, h('tr', null,
			h('th', { scope: 'col', class: 'rpt-stt' }, 'STT'),
			h('th', { scope: 'col' }, 'Nội dung'),
			h('th', { scope: 'col', class: 'rpt-unit' }, 'Đơn vị tính'),
			h('th', { scope: 'col' }, 'Số liệu'))),
		h('tbody', null, rows));
}

/* ---------- Per-station table (district health centres) ---------- */

/* The first cell of an appendix row: the centre's own row, or a station. */
function rowHead(st, rid) {
	if (st.own)
		return h('th', { scope: 'row', id: rid, class: 'rpt-st-name' }, 'Riêng đơn vị',
			h('span', { class: 'cell-sub' }, st.name + ' (không gồm các trạm)'));
	return h('th', { scope: 'row', id: rid, class: 'rpt-st-name' }, st.name || st.code,
		h('span', { class: 'cell-sub' }, st.code));
}

function stationTable(S, sec) {
	const cols = sec.stationColumns;
	const rows = S.model.rows;
	if (!sec.stationItems.length || !S.model.stations.length) return null;
	const sid = safe(sec.def.id);
	const head = h('tr', null, h('th', { scope: 'col', class: 'rpt-st-name' }, 'Đơn vị, trạm y tế'),
		cols.map((it) => h('th', { scope: 'col', id: 'sh-' + sid + '-' + safe(it.code) },
			it.label, it.unit ? h('span', { class: 'cell-sub' }, '(' + it.unit + ')') : null)));
	const body = rows.map((st) => {
		const rid = 'sr-' + sid + '-' + safe(st.code);
		return h('tr', { 'data-station-row': st.code, class: st.own ? 'rpt-own-row' : null,
			'data-own-row': st.own ? '' : null },
			rowHead(st, rid),
			cols.map((it) => {
				const key = 's:' + st.code + '|' + it.code;
				const labelledby = 'sh-' + sid + '-' + safe(it.code) + ' ' + rid;
				if (isDerived(it)) {
					const out = h('output', {
						id: fieldId(key), class: 'rpt-derived', 'data-item': it.code,
						'data-station': st.code, 'data-derived': '', 'aria-labelledby': labelledby,
					});
					view.stationDerived.set(st.code + '|' + it.code, out);
					return h('td', { class: 'num' }, out);
				}
				const raw = (S.local.stations[st.code] || {})[it.code] || '';
				if (!S.editable)
					return h('td', { class: 'num', 'data-item': it.code, 'data-station': st.code },
						raw === '' ? '—' : raw);
				const input = numberInput(key, {
					id: fieldId(key), 'data-item': it.code, 'data-station': st.code,
					value: raw, 'aria-labelledby': labelledby,
				});
				view.fields.set(key, input);
				const mid = 'm-' + fieldId(key);
				describe(input, mid);
				return h('td', null, input, msgBox(key, mid));
			}));
	});
	const sums = [];
	const owns = [];
	for (const it of cols) {
		const sum = h('td', { class: 'num', 'data-total-for': it.code });
		const own = h('td', { class: 'num', 'data-own-for': it.code });
		view.totals.set(it.code, { sum, own, item: it });
		sums.push(sum);
		owns.push(own);
	}
	const foot = h('tfoot', null,
		h('tr', { class: 'rpt-total' }, h('th', { scope: 'row' }, 'Riêng đơn vị + các trạm'), sums),
		h('tr', { class: 'rpt-own' }, h('th', { scope: 'row' }, 'Số của đơn vị (bảng trên)'), owns));
	const table = h('table', { class: 'rpt-stations', 'data-section': sec.def.id },
		h('caption', null, 'Số liệu riêng của đơn vị và từng trạm y tế — mục ' + sec.def.id),
		h('thead', null, head), h('tbody', null, body), foot);
	return h('div', { class: 'rpt-stations-block' },
		h(subHeading(sec), null, 'Phụ lục: số liệu riêng của đơn vị và từng trạm y tế'),
		h('p', { class: 'muted small' }, 'Dòng đầu là số liệu riêng của đơn vị (người bệnh, cán bộ ' +
		    'của chính đơn vị, không gồm các trạm); mỗi dòng sau là một trạm. Số của đơn vị ở ' +
		    'bảng trên bằng riêng đơn vị cộng các trạm; mục nào không có thì nhập 0. Tỷ lệ được ' +
		    'tính tự động. Bảng rộng có thể cuộn ngang.'),
		tableWrap(table, 'Số liệu riêng của đơn vị và từng trạm y tế, mục ' + sec.def.id),
		S.editable ? h('div', { class: 'actions' }, h('button', {
			type: 'button', class: 'btn btn-secondary btn-small',
			'data-action': 'use-station-totals', 'data-section': sec.def.id,
		}, 'Lấy riêng đơn vị + các trạm làm số của đơn vị')) : null,
		S.editable ? h('div', { class: 'rpt-totals-confirm', id: 'totals-confirm-' + sid,
			'aria-live': 'polite' }) : null);
}

/* ---------- Lists (Phụ lục 2) ---------- */

function cellInput(S, list, col, i, raw, labelledby) {
	const key = 'l:' + list.code + '|' + i + '|' + col.code;
	const attrs = {
		id: fieldId(key), 'data-key': key, 'data-list': list.code,
		'data-row': String(i), 'data-column': col.code, 'aria-labelledby': labelledby,
	};
	let el;
	if (col.kind === 'choice') {
		el = h('select', attrs, h('option', { value: '' }, '— Chọn —'),
			(col.choices || []).map((c) => h('option', { value: c.code }, c.label)));
		el.value = raw || '';
	} else if (col.kind === 'date') {
		/* Not <input type=date>: it follows the browser's language (10 January
		 * reads 01/10/2025 in an English Chromium).  Typed as ngày/tháng/năm,
		 * and what was understood is said beside it. */
		const echoId = 'echo-' + fieldId(key);
		el = h('input', {
			...attrs, type: 'text', inputmode: 'numeric', autocomplete: 'off', value: raw || '',
			maxlength: '10', placeholder: 'dd/mm/yyyy', class: 'rpt-date',
			'aria-describedby': echoId,
		});
		const echo = h('span', { class: 'rpt-date-echo', id: echoId, 'aria-live': 'polite' });
		view.dateEchoes.set(key, echo);
		updateDateEcho(key, raw || '');
		view.fields.set(key, el);
		if (col.required) el.setAttribute('aria-required', 'true');
		return [el, echo];
	} else if (col.kind === 'count') {
		el = numberInput(key, { ...attrs, value: raw || '' });
	} else {
		el = h('input', {
			...attrs, type: 'text', value: raw || '', autocomplete: 'off',
			maxlength: col.maxlen ? String(col.maxlen) : col.kind === 'docno' ? '64' : null,
			placeholder: col.kind === 'docno' ? 'Ví dụ: 372/QĐ-SYT' : null,
		});
	}
	if (col.required) el.setAttribute('aria-required', 'true');
	view.fields.set(key, el);
	return el;
}

/* "→ 5 tháng 1 năm 2026" under a date cell, or why it is not a date. */
export function updateDateEcho(key, raw) {
	const echo = view.dateEchoes.get(key);
	if (!echo) return;
	const r = parseDayMonthYear(raw);
	echo.classList.toggle('is-error', Boolean(r.error));
	if (r.value) {
		const [y, m, d] = r.value.split('-').map(Number);
		echo.textContent = '→ ' + d + ' tháng ' + m + ' năm ' + y;
	} else {
		echo.textContent = r.error || '';
	}
}

function choiceLabel(col, v) {
	const c = (col.choices || []).find((x) => x.code === v);
	return c ? c.label : v;
}

export function renderList(S, code) {
	const area = view.listAreas.get(code);
	const list = S.model.lists.get(code);
	if (!area || !list) return;
	for (const k of [...view.fields.keys()])
		if (k.startsWith('l:' + code + '|')) view.fields.delete(k);
	const rows = S.local.lists[code] || [];
	const lid = safe(code);
	const cols = list.columns || [];
	const head = h('tr', null, h('th', { scope: 'col', class: 'rpt-stt' }, 'STT'),
		cols.map((c) => h('th', { scope: 'col', id: 'lh-' + lid + '-' + safe(c.code) }, c.label,
			c.required && S.editable ? h('span', { class: 'required-mark', 'aria-hidden': 'true' }, ' *') : null)),
		S.editable ? h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Thao tác')) : null);
	const body = rows.length ? rows.map((row, i) => {
		const rid = 'lr-' + lid + '-' + i;
		return h('tr', { 'data-list-row': String(i) },
			h('th', { scope: 'row', id: rid, class: 'rpt-stt' },
				h('span', { class: 'visually-hidden' }, 'Dòng '), String(i + 1)),
			cols.map((c) => {
				const raw = row[c.code] ?? '';
				if (!S.editable) {
					const text = c.kind === 'choice' ? choiceLabel(c, raw) : raw;
					return h('td', { class: c.kind === 'count' ? 'num' : null }, text || '—');
				}
				return h('td', { class: 'rpt-cell-' + c.kind },
					cellInput(S, list, c, i, raw, 'lh-' + lid + '-' + safe(c.code) + ' ' + rid));
			}),
			S.editable ? h('td', null, h('button', {
				type: 'button', class: 'btn btn-danger btn-small', 'data-action': 'remove-row',
				'data-list': code, 'data-row': String(i),
				'aria-label': 'Xóa dòng ' + (i + 1) + ' của danh sách ' + list.label,
			}, 'Xóa dòng')) : null);
	}) : [h('tr', null, h('td', { class: 'empty', colspan: String(cols.length + (S.editable ? 2 : 1)) },
		'Chưa có dòng nào.'))];
	const max = Number(list.max_rows) || 0;
	const full = max > 0 && rows.length >= max;
	const undo = S.lastRemoved && S.lastRemoved.list === code
		? h('button', { type: 'button', class: 'btn btn-secondary btn-small', 'data-action': 'undo-remove',
			'data-list': code }, 'Hoàn tác: khôi phục dòng ' + (S.lastRemoved.index + 1) + ' vừa xóa')
		: null;
	fill(area,
		tableWrap(h('table', { class: 'rpt-list', 'data-list': code },
			h('caption', { class: 'visually-hidden' }, list.label),
			h('thead', null, head), h('tbody', null, body)), list.label),
		S.editable ? h('div', { class: 'actions' },
			h('button', {
				type: 'button', class: 'btn btn-secondary btn-small', 'data-action': 'add-row',
				'data-list': code, disabled: full, id: 'add-' + lid,
			}, 'Thêm dòng'),
			h('span', { class: 'muted small' }, fmtNumber(rows.length) + ' dòng' +
				(max ? ' (tối đa ' + fmtNumber(max) + ')' : '') +
				(full ? ' — đã đủ số dòng tối đa.' : '')),
			undo) : null,
		msgBox('l:' + code, 'm-list-' + lid));
	view.msgSigs.delete('l:' + code);
	view.commentHomes.set(code, area);
}

/* The heading of a block inside a section: one level below the section's. */
function subHeading(sec) {
	return sec.level === 3 ? 'h4' : 'h3';
}

function listBlock(S, sec, list) {
	const area = h('div', { class: 'rpt-list-area', id: 'list-' + safe(list.code) });
	view.listAreas.set(list.code, area);
	return h('div', { class: 'rpt-list-block' },
		h(subHeading(sec), { class: 'rpt-list-title' }, list.label),
		list.unit ? h('p', { class: 'hint' }, 'Nêu: ' + list.unit) : null,
		remarkNote(S, list.code),
		area);
}

export function renderOutline(S) {
	view.fields.clear();
	view.msgBoxes.clear();
	view.msgSigs.clear();
	view.commentBoxes.clear();
	view.commentHomes.clear();
	view.totals.clear();
	view.dateEchoes.clear();
	view.stationDerived.clear();
	view.derived.clear();
	view.counters.clear();
	view.listAreas.clear();
	view.summarySig = '';
	fill(byId('orphan-comments'));
	const sections = S.model.sections.map((sec) => {
		const sid = 'sec-' + safe(sec.def.id || 'x');
		const node = h('section', {
			class: ['rpt-section', sec.heading ? 'rpt-part' : '', 'level-' + sec.level],
			id: sid, 'aria-labelledby': sid + '-title',
		},
			h(sec.level === 3 ? 'h3' : 'h2', { id: sid + '-title' },
				sec.def.id ? h('span', { class: 'rpt-secno' }, sec.def.id + '. ') : null,
				sec.def.title || ''),
			sec.def.who ? h('p', { class: 'rpt-who' },
				h('span', { class: 'rpt-who-label' }, 'Đơn vị báo cáo: '), sec.def.who) : null,
			sec.def.note ? h('p', { class: 'rpt-note' }, sec.def.note) : null,
			itemsTable(S, sec),
			stationTable(S, sec),
			sec.lists.map((l) => listBlock(S, sec, l)));
		return node;
	});
	fill(byId('report-form'), sections.length ? sections
		: h('p', { class: 'alert' }, 'Đề cương này không có mục nào áp dụng cho đơn vị.'));
	for (const code of view.listAreas.keys()) renderList(S, code);
	for (const [key] of view.counters) updateCounter(S, key);
}

/* ------------------------------------------------------------------ */
/* Live parts of the page                                             */
/* ------------------------------------------------------------------ */

export function updateCounter(S, key) {
	const c = view.counters.get(key);
	const el = view.fields.get(key);
	if (!c || !el) return;
	const n = charCount(el.value.trim());
	const max = Number(c.max) || 0;
	c.el.classList.toggle('is-over', max > 0 && n > max);
	if (!max) c.el.textContent = fmtNumber(n) + ' ký tự';
	else if (n > max)
		c.el.textContent = fmtNumber(n) + '/' + fmtNumber(max) + ' ký tự — vượt quá ' +
		    fmtNumber(n - max) + ' ký tự, cần rút gọn.';
	else c.el.textContent = fmtNumber(n) + '/' + fmtNumber(max) + ' ký tự';
}

export function updateDerived(S, derived) {
	for (const [code, out] of view.derived) {
		const it = S.model.items.get(code);
		const v = derived.get(code);
		out.value = v === null || v === undefined ? '—' : fmtDerived(it, v);
		out.textContent = out.value;
	}
}

/*
 * The station tables' live parts: rates of each station row, and the
 * "Cộng các trạm" / "Số của đơn vị" rows.  perStation(st) → Map of the
 * station's derived values; sums(code) and own(code) → number or null
 * (for derived items: computed from the sums, and the unit's own).
 */
export function updateStationTotals(S, perStation, sums, own) {
	const show = (it, v) => (v === null || v === undefined ? '—'
		: isDerived(it) ? fmtDerived(it, v) : fmtNumber(v));
	const byStation = new Map();
	for (const [key, out] of view.stationDerived) {
		const [st, code] = key.split('|');
		if (!byStation.has(st)) byStation.set(st, perStation(st));
		out.value = show(S.model.items.get(code), byStation.get(st).get(code));
		out.textContent = out.value;
	}
	for (const [code, cells] of view.totals) {
		const s = sums(code);
		const o = own(code);
		cells.sum.textContent = show(cells.item, s);
		cells.own.textContent = show(cells.item, o);
		const bad = !isDerived(cells.item) && (s !== null || o !== null) && s !== o;
		cells.sum.classList.toggle('is-mismatch', bad);
		cells.own.classList.toggle('is-mismatch', bad);
		cells.own.title = bad ? 'Khác cộng các trạm' : '';
	}
}

/* ------------------------------------------------------------------ */
/* Checks                                                             */
/* ------------------------------------------------------------------ */

function focusTarget(S, key) {
	const f = view.fields.get(key);
	if (f) return f.id;
	const code = key.slice(2);
	if (view.derived.has(code)) return view.derived.get(code).id;
	const el = byId(fieldId(key));
	return el ? el.id : null;
}

function jumpLink(id, text) {
	return h('a', { href: '#' + id, 'data-focus': id, class: 'rpt-jump' }, text);
}

function sevText(sev) {
	return sev === 'warning' ? 'Cảnh báo' : 'Lỗi';
}

/* "Not filled yet" is said quietly beside the field: it is where every
 * report starts, not a mistake.  The summary still counts it. */
function isRequired(S, c) {
	return FILL_TYPES.has(S.model.checkTypes.get(c.rule));
}

/* Beside an empty field, "complete" says it shortly; the summary says all. */
const FILL_HINT = 'Chưa nhập (không có thì nhập 0).';

function msgLine(S, c, beside) {
	const quiet = c.severity === 'error' && isRequired(S, c);
	const short = beside && quiet && S.model.checkTypes.get(c.rule) === 'complete';
	return h('p', {
		class: ['rpt-msg', quiet ? 'rpt-msg-required' : 'rpt-msg-' + c.severity],
		'data-rule': c.rule || null,
		'data-severity': c.severity,
	},
	quiet ? null : h('strong', null, sevText(c.severity) + ': '),
	short ? FILL_HINT : c.list ? listMessage(c) : c.message,
	c.detail ? ' ' + c.detail : '',
	c.severity === 'warning' && c.answered ? h('span', { class: 'badge badge-ok' }, 'Đã giải trình') : null);
}

/* c.row counts from 1, as the server's results do. */
function rowLabel(S, c) {
	const row = c.row !== undefined && c.row !== null ? 'Dòng ' + Number(c.row) : '';
	const list = S.model.lists.get(c.list);
	const col = list && c.column ? (list.columns || []).find((x) => x.code === c.column) : null;
	return [row, col ? 'cột “' + col.label + '”' : ''].filter(Boolean).join(', ');
}

/* A comment box for a warning, made once and kept (typing is not lost). */
function commentBox(S, key) {
	let box = view.commentBoxes.get(key);
	if (box) return box;
	const ck = 'c:' + key;
	const id = fieldId(ck);
	const value = S.local.comments[key] || '';
	let field;
	let counter = null;
	if (S.editable) {
		const cid = 'cnt-' + id;
		field = h('textarea', {
			id, rows: '2', class: 'rpt-comment-text', 'data-key': ck, 'data-comment': key, value,
			'aria-describedby': cid,
		});
		view.fields.set(ck, field);
		counter = h('p', { class: 'rpt-counter', id: cid });
		view.counters.set(ck, { el: counter, max: COMMENT_MAX });
	} else {
		field = h('p', { id, class: 'rpt-value rpt-value-text', 'data-comment': key }, value || '—');
	}
	box = h('div', { class: 'rpt-comment' },
		S.editable ? h('label', { for: id }, 'Giải trình cho cảnh báo') : h('span', { class: 'rpt-comment-label' }, 'Giải trình:'),
		S.editable ? h('span', { class: 'hint' }, 'Nêu lý do số liệu khác thường; cần có để nộp báo cáo.') : null,
		field, counter);
	view.commentBoxes.set(key, box);
	if (counter) updateCounter(S, ck);
	return box;
}

/*
 * Messages next to the items they name and in the summary at the top.
 * checks: merged results; problems: [{key, message}] for fields that
 * cannot be read; serverErrors: Map key → message from a 422.
 */
export function renderChecks(S, checks, problems, serverErrors) {
	const anchors = new Map();	/* anchor → [node spec] */
	const invalid = new Set();
	const push = (anchor, spec) => {
		if (!anchors.has(anchor)) anchors.set(anchor, []);
		anchors.get(anchor).push(spec);
	};
	const warnKeys = new Set();
	const related = new Map();	/* key → ids of messages about it shown elsewhere */
	const missingStations = new Set();

	for (const p of problems) {
		invalid.add(p.key);
		const anchor = p.key.startsWith('l:') ? 'l:' + p.key.slice(2).split('|')[0] : p.key;
		push(anchor, { kind: 'field', key: p.key, message: p.message });
	}
	for (const [key, message] of serverErrors) {
		invalid.add(key);
		const anchor = key.startsWith('l:') ? 'l:' + key.slice(2).split('|')[0] : key;
		push(anchor, { kind: 'server', key, message });
	}
	for (const c of checks) {
		if (c.severity === 'warning') warnKeys.add(commentKey(c));
		if (c.list) {
			push('l:' + c.list, { kind: 'check', check: c });
			if (c.severity === 'error' && c.row !== undefined && c.row !== null && c.column)
				invalid.add(cellKey(c));
			continue;
		}
		/* Read-only: "not filled" is said once, in the summary; so it is for
		 * the empty cells of an appendix row, which would crowd the table. */
		if (isRequired(S, c) && (!S.editable || c.station)) continue;
		const keys = (c.items || []).map((code) => {
			const key = c.station ? 's:' + c.station + '|' + code : 'v:' + code;
			return view.msgBoxes.has(key) ? key : 'v:' + code;
		});
		if (c.severity === 'error' && !isRequired(S, c)) for (const k of keys) invalid.add(k);
		/* Beside each item it names; a check naming many items is said once,
		 * at the topmost, and the others point to it. */
		const shown = [...view.msgBoxes.keys()].filter((k) => keys.includes(k));
		if (isRequired(S, c) || shown.length <= 2) {
			for (const k of shown) push(k, { kind: 'check', check: c });
		} else {
			push(shown[0], { kind: 'check', check: c });
			for (const k of shown.slice(1)) {
				if (!related.has(k)) related.set(k, new Set());
				related.get(k).add(view.msgBoxes.get(shown[0]).id);
			}
		}
		if (Array.isArray(c.stations)) for (const st of c.stations) missingStations.add(st);
	}

	/* Each box is rebuilt only when what it says changes. */
	for (const [anchor, box] of view.msgBoxes) {
		const specs = anchors.get(anchor) || [];
		const sig = JSON.stringify(specs.map((s) => s.kind === 'check'
			? [s.check.rule, s.check.severity, s.check.message, s.check.detail || '', s.check.row ?? '',
				s.check.answered || false]
			: [s.kind, s.key, s.message]));
		if (view.msgSigs.get(anchor) === sig) continue;
		view.msgSigs.set(anchor, sig);
		fill(box, specs.map((s) => {
			if (s.kind !== 'check')
				return h('p', { class: 'rpt-msg rpt-msg-error', 'data-field-error': s.key },
					h('strong', null, 'Lỗi: '),
					s.key.startsWith('l:') ? rowLabelFromKey(S, s.key) + ': ' : '', s.message);
			const node = msgLine(S, s.check, true);
			const where = s.check.list ? rowLabel(S, s.check) : '';
			if (where) node.prepend(where + ' — ');
			return node;
		}));
	}

	for (const [key, el] of view.fields) {
		if (key.startsWith('c:')) continue;
		if (invalid.has(key)) el.setAttribute('aria-invalid', 'true');
		else el.removeAttribute('aria-invalid');
		if (el.dataset.baseDescribedby === undefined)
			el.dataset.baseDescribedby = el.getAttribute('aria-describedby') || '';
		const ids = [el.dataset.baseDescribedby, ...(related.get(key) || [])].filter(Boolean);
		if (ids.length) el.setAttribute('aria-describedby', ids.join(' '));
		else el.removeAttribute('aria-describedby');
	}
	for (const row of document.querySelectorAll('#report-form tr[data-station-row]'))
		row.classList.toggle('is-missing', missingStations.has(row.dataset.stationRow));

	/* Explanations: beside the warning's first item, else in the summary. */
	const orphanArea = byId('orphan-comments');
	const keys = new Set([...warnKeys, ...Object.keys(S.local.comments)
		.filter((k) => String(S.local.comments[k] || '').trim() !== '')]);
	for (const key of keys) {
		const shown = warnKeys.has(key) || String(S.local.comments[key] || '').trim() !== '';
		const home = view.commentHomes.get(key);
		if (!shown) continue;
		const box = commentBox(S, key);
		const where = home || orphanArea;
		if (box.parentNode !== where) where.append(box);
	}
	for (const [key, box] of view.commentBoxes)
		box.hidden = !keys.has(key) && !box.contains(document.activeElement);
	orphanArea.hidden = ![...orphanArea.children].some((c) => !c.hidden);
	renderSummary(S, checks, problems, serverErrors);
}

function rowLabelFromKey(S, key) {
	const [list, row, col] = key.slice(2).split('|');
	return rowLabel(S, { list, row: Number(row) + 1, column: col });
}

/* The server's messages about a list row start "Dòng N: " on its own
 * numbering; the page says which of its rows instead. */
function listMessage(c) {
	return String(c.message || '').replace(/^Dòng \d+: /, '');
}

function cellKey(c) {
	const row = c.row !== undefined && c.row !== null ? Number(c.row) - 1 : 0;
	return 'l:' + c.list + '|' + row + '|' + (c.column || '');
}

function checkLinks(S, c) {
	if (c.list) {
		const id = focusTarget(S, cellKey(c)) || 'list-' + safe(c.list);
		const l = S.model.lists.get(c.list);
		return [jumpLink(id, (l ? l.label : c.list) + (c.row !== undefined && c.row !== null
			? ', ' + rowLabel(S, c) : ''))];
	}
	return (c.items || []).map((code) => {
		const key = c.station ? 's:' + c.station + '|' + code : 'v:' + code;
		const id = focusTarget(S, key) || focusTarget(S, 'v:' + code);
		const it = S.model.items.get(code);
		return id ? jumpLink(id, it ? it.label : code) : null;
	}).filter(Boolean);
}

function renderSummary(S, checks, problems, serverErrors) {
	const box = byId('checks-summary');
	const bodyEl = byId('checks-body');
	const errors = checks.filter((c) => c.severity === 'error');
	const warnings = checks.filter((c) => c.severity === 'warning');
	const answered = warnings.filter((c) => c.answered).length;
	const fieldCount = problems.length + serverErrors.size;
	const sig = JSON.stringify([checks.map((c) => [c.rule, c.severity, c.message, c.detail || '',
		c.items || [], c.list || '', c.row ?? '', c.answered || false, c.source]),
	problems, [...serverErrors], S.checksFresh]);
	if (sig === view.summarySig) return;
	view.summarySig = sig;

	const parts = [];
	if (errors.length) parts.push(fmtNumber(errors.length) + ' lỗi phải sửa trước khi nộp');
	if (warnings.length)
		parts.push(fmtNumber(warnings.length) + ' cảnh báo cần giải trình' +
		    (answered ? ' (đã giải trình ' + fmtNumber(answered) + ')' : ''));
	if (fieldCount) parts.push(fmtNumber(fieldCount) + ' ô nhập chưa hợp lệ');
	const clean = !parts.length;
	box.classList.toggle('is-clean', clean);
	box.classList.toggle('has-errors', errors.length + fieldCount > 0);

	const entries = [];
	for (const p of problems) entries.push(h('li', { class: 'rpt-check rpt-check-error', 'data-field-error': p.key },
		badge('Ô nhập', 'err'), ' ', jumpLink(focusTarget(S, p.key) || fieldId(p.key), labelForKey(S, p.key)),
		': ', p.message));
	for (const [key, message] of serverErrors) entries.push(h('li', { class: 'rpt-check rpt-check-error',
		'data-field-error': key }, badge('Máy chủ từ chối', 'err'), ' ',
	jumpLink(focusTarget(S, key) || fieldId(key), labelForKey(S, key)), ': ', message));
	for (const c of [...errors, ...warnings]) {
		entries.push(h('li', {
			class: ['rpt-check', 'rpt-check-' + c.severity], 'data-rule': c.rule || null,
			'data-severity': c.severity,
		},
		badge(sevText(c.severity), c.severity === 'warning' ? 'warn' : 'err'), ' ',
		c.list ? rowLabel(S, c) + (c.row ? ': ' : '') + listMessage(c) : c.message,
		c.detail ? ' ' + c.detail : '',
		c.severity === 'warning' && c.answered ? badge('Đã giải trình', 'ok') : null,
		(() => {
			const links = checkLinks(S, c);
			if (!links.length) return null;
			const out = [h('span', { class: 'visually-hidden' }, ' Đến mục: ')];
			links.forEach((a, i) => out.push(i ? ', ' : ' → ', a));
			return h('span', { class: 'rpt-check-links' }, out);
		})()));
	}

	const nodes = [
		h('h2', { id: 'checks-title' }, 'Kết quả kiểm tra'),
		h('p', { id: 'checks-count' }, clean ? 'Chưa phát hiện lỗi hay cảnh báo nào.'
			: parts.join('; ') + '.'),
		h('p', { class: 'muted small' }, S.checksFresh
			? 'Theo kiểm tra của máy chủ ở lần đọc hoặc lưu gần nhất.'
			: 'Các lỗi được kiểm tra ngay khi nhập; máy chủ kiểm tra lại khi lưu.'),
	];
	if (entries.length) nodes.push(h('ul', { class: 'rpt-check-list' }, entries));
	fill(bodyEl, nodes);
	box.hidden = false;
}

function labelForKey(S, key) {
	const kind = key.slice(0, 1);
	const rest = key.slice(2);
	if (kind === 'l') {
		const [list] = rest.split('|');
		const l = S.model.lists.get(list);
		return (l ? l.label : list) + ', ' + rowLabelFromKey(S, key);
	}
	if (kind === 's') {
		const [st, code] = rest.split('|');
		const it = S.model.items.get(code);
		return (it ? it.label : code) + ' — ' + rowName(S.model, st);
	}
	const it = S.model.items.get(rest);
	return it ? it.label : rest;
}
