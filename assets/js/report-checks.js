/*
 * The report page's model, without the DOM: the form definition as the
 * page needs it, Vietnamese numbers in and out, derived items (rates,
 * totals), the simple checks run live while typing, and the body of a
 * PUT.  The server checks everything again; its answer is the one that
 * counts (report.js shows it after each save).
 *
 * Raw values are what the person typed (strings); parsed values are
 * numbers, strings or null (empty).
 */
import { fmtNumber, fmtDate } from './app.js';

export const NUMERIC_KINDS = new Set(['count', 'money', 'level']);
export const DERIVED_KINDS = new Set(['rate', 'sum']);

/* Check types the page runs itself; the others only come from the server. */
export const LIVE_TYPES = new Set([
	'parts_le', 'parts_eq', 'stations_sum', 'required', 'complete', 'pattern',
	'date_in_period',
]);

/* Check types that say "not filled in yet", shown quietly beside fields. */
export const FILL_TYPES = new Set(['required', 'complete']);

export function isNumeric(item) {
	return NUMERIC_KINDS.has(item.kind);
}

export function isDerived(item) {
	return DERIVED_KINDS.has(item.kind);
}

/* Characters as the server counts them (code points, not UTF-16 units). */
export function charCount(s) {
	let n = 0;
	for (const _ of String(s ?? '')) n++;	// eslint-disable-line no-unused-vars
	return n;
}

/* ------------------------------------------------------------------ */
/* The form, for one unit                                             */
/* ------------------------------------------------------------------ */

/*
 * Everything the page needs to know about the form for this report:
 * sections with their applicable items and lists, which items have
 * per-station rows, lookups by code.  `applicable` null means all.
 *
 * A unit with stations (a district health centre) has, beside its
 * stations' rows, a row of its own figures keyed by its own code
 * (`own`): its totals are that row plus the stations'.  `rows` is the
 * appendix in order: its own row first, then the stations.
 */
export function buildModel(form, report) {
	const applicable = Array.isArray(report.applicable)
		? new Set(report.applicable) : null;
	const applies = (code) => !applicable || applicable.has(code);
	const stations = (report.unit_info && Array.isArray(report.unit_info.stations))
		? report.unit_info.stations : [];
	const unit = report.unit_info || {};
	const own = stations.length && unit.code
		? { code: String(unit.code), name: unit.name || String(unit.code), own: true } : null;

	const items = new Map();
	const itemSection = new Map();
	const lists = new Map();
	const sections = [];
	const stationItems = new Set();
	const listSections = new Set((form.lists || []).map((l) => String(l.section)));

	for (const sec of form.sections || []) {
		const shownItems = [];
		for (const it of sec.items || []) {
			items.set(it.code, it);
			itemSection.set(it.code, sec);
			if (!applies(it.code)) continue;
			shownItems.push(it);
			const perStation = it.stations !== undefined ? Boolean(it.stations)
				: Boolean(sec.stations);
			if (perStation && stations.length && isNumeric(it))
				stationItems.add(it.code);
		}
		/* A part heading ("II. Công tác tuyên truyền") has only sub-sections. */
		const heading = !(sec.items || []).length && !listSections.has(String(sec.id));
		sections.push({
			def: sec, items: shownItems, lists: [], stationItems: [], stationColumns: [],
			heading, level: String(sec.id).includes('.') ? 3 : 2,
		});
	}
	/* Station columns: the typed items kept per station, and the rates
	 * and totals computed from them alone. */
	const refs = (it) => (it.kind === 'rate' ? [it.num, it.den] : it.sum || []);
	for (const s of sections) {
		s.stationItems = s.items.filter((it) => stationItems.has(it.code));
		s.stationColumns = s.items.filter((it) => stationItems.has(it.code) ||
			(isDerived(it) && s.stationItems.length && refs(it).length &&
			 refs(it).every((c) => stationItems.has(c))));
	}

	const orphanLists = [];
	for (const l of form.lists || []) {
		lists.set(l.code, l);
		if (!applies(l.code)) continue;
		const s = sections.find((x) => String(x.def.id) === String(l.section));
		if (s) s.lists.push(l);
		else orphanLists.push(l);
	}
	if (orphanLists.length) {
		sections.push({
			def: { id: '', title: 'Danh sách kèm theo', who: '' },
			items: [], lists: orphanLists, stationItems: [],
		});
	}

	const checkTypes = new Map();
	for (const c of form.checks || []) checkTypes.set(c.rule, c.type);

	/* Shown: sections with something to fill, and the headings of those. */
	const shown = sections.filter((s, i) => {
		if (!s.heading) return s.items.length || s.lists.length;
		for (let j = i + 1; j < sections.length && !sections[j].heading; j++)
			if (sections[j].items.length || sections[j].lists.length) return true;
		return false;
	});

	return {
		form,
		items,
		itemSection,
		lists,
		sections: shown,
		stations,
		own,
		rows: own ? [own, ...stations] : [],
		stationItems,
		checkTypes,
		applies,
		period: report.period_info || {},
		/* Typed items shown on the page, in outline order. */
		typedItems() {
			const out = [];
			for (const s of this.sections)
				for (const it of s.items) if (!isDerived(it)) out.push(it);
			return out;
		},
		listsShown() {
			const out = [];
			for (const s of this.sections) out.push(...s.lists);
			return out;
		},
	};
}

/* ------------------------------------------------------------------ */
/* Numbers                                                            */
/* ------------------------------------------------------------------ */

/*
 * A whole number as people write it here: "1.234.567", "1 234 567" or
 * "1234567".  → {value} (null when empty) or {error}.
 */
export function parseWhole(raw) {
	const s = String(raw ?? '').replace(/[\s\u00a0\u202f]/g, '');
	if (s === '') return { value: null };
	if (/^[-−]/.test(s)) return { error: 'Không nhập số âm.' };
	let digits;
	if (/^\d+$/.test(s)) digits = s;
	else if (/^\d{1,3}(\.\d{3})+$/.test(s)) digits = s.replace(/\./g, '');
	else if (/^[\d.]*\d,\d*$/.test(s))
		return { error: 'Chỉ nhập số nguyên, không có phần thập phân.' };
	else
		return { error: 'Chỉ nhập chữ số; có thể tách hàng nghìn bằng dấu chấm, ví dụ 1.234.567.' };
	const n = Number(digits);
	if (!Number.isSafeInteger(n)) return { error: 'Số quá lớn.' };
	return { value: n };
}

function num(v) {
	return v === null || v === undefined || v === '' ? null : Number(v);
}

/* Longest explanation of a warning the server takes (forms/README.md). */
export const COMMENT_MAX = 1000;
/* Longest document number (a docno cell). */
const DOCNO_MAX = 64;

/* Texts may hold newlines and tabs, no other control character. */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/u;
const CONTROL_ERROR = 'Có ký tự điều khiển không in được (thường do dán từ phần mềm khác); ' +
	'hãy gõ lại đoạn đó.';

/* A typed item's raw text → {value} or {error}, with its bounds. */
export function parseItem(item, raw) {
	if (item.kind === 'text') {
		const s = String(raw ?? '');
		const t = s.trim();
		if (t === '') return { value: null };
		if (CONTROL.test(t)) return { error: CONTROL_ERROR };
		const max = num(item.maxlen);
		const n = charCount(t);
		if (max !== null && n > max)
			return { error: 'Dài quá ' + fmtNumber(n - max) + ' ký tự (tối đa ' +
			    fmtNumber(max) + ' ký tự); phần này chưa được lưu.' };
		return { value: t };
	}
	const r = parseWhole(raw);
	if (r.error || r.value === null) return r;
	const min = num(item.min);
	const max = num(item.max);
	if (item.kind === 'level' && min !== null && max !== null &&
	    (r.value < min || r.value > max))
		return { error: 'Nhập một số từ ' + fmtNumber(min) + ' đến ' + fmtNumber(max) + '.' };
	if (min !== null && r.value < min)
		return { error: 'Không nhỏ hơn ' + fmtNumber(min) + '.' };
	if (max !== null && r.value > max)
		return { error: 'Không lớn hơn ' + fmtNumber(max) + '.' };
	return r;
}

/* A stored value as the page shows it in an input. */
export function rawOf(item, value) {
	if (value === null || value === undefined) return '';
	if (item && item.kind === 'text') return String(value);
	if (typeof value === 'number') return item && item.kind === 'level'
		? String(value) : fmtNumber(value);
	return String(value);
}

/* "95,5 %" for rates, grouped digits for totals, "" when empty. */
export function fmtDerived(item, value) {
	if (value === null || value === undefined || Number.isNaN(value)) return '';
	if (item.kind === 'rate') return fmtNumber(value, 1) + ' %';
	return fmtNumber(value);
}

/*
 * Every derived item of the form from get(code) → number|null.  Rates:
 * 100 × num / den to one decimal, empty when either is empty or den is
 * 0.  Sums: of the filled items, empty when none is.
 */
export function computeDerived(model, get) {
	const out = new Map();
	const busy = new Set();
	const value = (code) => {
		const it = model.items.get(code);
		if (!it || !isDerived(it)) return get(code);
		if (out.has(code)) return out.get(code);
		if (busy.has(code)) return null;	/* a loop in the form: give up */
		busy.add(code);
		let v = null;
		if (it.kind === 'rate') {
			const n = value(it.num);
			const d = value(it.den);
			if (n !== null && d !== null && d !== 0)
				v = Math.round((n * 1000) / d) / 10;
		} else {
			for (const c of it.sum || []) {
				const x = value(c);
				if (x !== null) v = (v || 0) + x;
			}
		}
		busy.delete(code);
		out.set(code, v);
		return v;
	};
	for (const it of model.items.values()) if (isDerived(it)) value(it.code);
	return out;
}

/* ------------------------------------------------------------------ */
/* Live checks                                                        */
/* ------------------------------------------------------------------ */

function label(model, code) {
	const it = model.items.get(code);
	return it && it.label ? it.label : code;
}

function result(c, extra) {
	return {
		rule: c.rule,
		type: c.type,
		severity: c.severity === 'warning' ? 'warning' : 'error',
		message: c.message || 'Số liệu chưa hợp lệ.',
		items: [],
		source: 'live',
		...extra,
	};
}

/*
 * The form's PCRE2 pattern as a JavaScript RegExp ('u' flag), or null
 * when it does not compile (the server checks it again).  PCRE's \A and
 * \z (start and very end of the subject) are JavaScript's ^ and $
 * without the 'm' flag; nothing else is translated.
 */
export function compileRe(pattern) {
	if (typeof pattern !== 'string' || pattern === '') return null;
	const js = pattern.replace(/\\(.)/gu, (m, ch) => (ch === 'A' ? '^' : ch === 'z' ? '$' : m));
	try {
		return new RegExp(js, 'u');
	} catch (e) {
		return null;
	}
}

/* Strict "YYYY-MM-DD" naming a real day. */
export function validDate(s) {
	const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
	if (!m) return false;
	const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
	return +m[1] >= 1 && d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 &&
	    d.getUTCDate() === +m[3];
}

/*
 * Parts against their whole (modules/check.c, check_parts_row): nothing
 * when all are empty, "enter the whole" when only parts are filled.
 */
/* "Trạm X: " before a station row's message, "Riêng đơn vị: " for the own row. */
export function rowPrefix(model, station) {
	if (!station) return '';
	return model.own && station === model.own.code ? 'Riêng đơn vị: ' : 'Trạm ' + station + ': ';
}

/* The own row counts once it has a value; a report filed before it has none. */
function ownPresent(model, snap) {
	if (!model.own) return false;
	return [...model.stationItems].some((code) => typeof snap.station(model.own.code, code) === 'number');
}

function partsRow(model, c, get, station) {
	const prefix = rowPrefix(model, station);
	let sum = 0;
	let n = 0;
	for (const p of c.parts) {
		const v = get(p);
		if (typeof v !== 'number') continue;
		n++;
		sum += v;
	}
	const w = get(c.whole);
	const hasWhole = typeof w === 'number';
	let message;
	if (!hasWhole && n === 0) return null;
	if (!hasWhole) {
		message = prefix + 'Chưa nhập «' + label(model, c.whole) +
		    '» trong khi đã nhập số liệu trong đó.';
	} else if (c.type === 'parts_eq' ? sum === w : sum <= w) {
		return null;
	} else {
		message = prefix + c.message + ' (trong đó: ' + fmtNumber(sum) + '; tổng số: ' +
		    fmtNumber(w) + ')';
	}
	const extra = { items: [...c.parts, c.whole], message };
	if (station) extra.station = station;
	return result(c, extra);
}

/*
 * snap: value(code) → number|string|null for the unit's own items,
 * station(st, code) → number|null, rows(list) → [{column: value}].
 * Returns the failing checks the page can run itself, shaped and worded
 * as the server's (modules/check.c): {rule, severity, message, items,
 * station, list, row (from 1), column}.
 */
export function runLiveChecks(model, snap) {
	const out = [];
	const numeric = (code) => {
		const v = snap.value(code);
		return typeof v === 'number' ? v : null;
	};
	for (const c of model.form.checks || []) {
		if (!LIVE_TYPES.has(c.type)) continue;
		switch (c.type) {
		case 'parts_le':
		case 'parts_eq': {
			const parts = c.parts || [];
			if (!c.whole || !parts.length) break;
			/* Half a relation means nothing: skipped when one item does not apply. */
			if (![c.whole, ...parts].every((x) => model.applies(x) && model.items.has(x))) break;
			const chk = { ...c, parts };
			const r = partsRow(model, chk, numeric, null);
			if (r) out.push(r);
			if (![c.whole, ...parts].every((x) => model.stationItems.has(x))) break;
			const rows = ownPresent(model, snap) ? model.rows : model.stations;
			for (const st of rows) {
				const rs = partsRow(model, chk, (code) => snap.station(st.code, code), st.code);
				if (rs) out.push(rs);
			}
			break;
		}
		case 'stations_sum': {
			if (!model.stations.length) break;
			const codes = (c.items || []).filter((x) => model.applies(x) && model.items.has(x));
			const ownRow = ownPresent(model, snap) ? model.own.code : null;
			let nonzero = false;
			for (const code of codes) {
				const r = stationsSumItem(model, c, code, numeric(code), ownRow, snap);
				if (r.nonzero) nonzero = true;
				if (r.result) out.push(r.result);
			}
			if (!nonzero) break;
			const missing = model.stations.filter((st) =>
				!codes.some((code) => typeof snap.station(st.code, code) === 'number'))
				.map((st) => st.code);
			if (missing.length)
				out.push(result(c, {
					rule: c.rule + '.missing_station',
					items: codes,
					stations: missing,
					message: 'Chưa có số liệu của trạm: ' + missing.join(', ') + '. Nhập số ' +
					    'liệu của từng trạm (trạm không có thì nhập 0): số của đơn vị bằng ' +
					    'riêng đơn vị cộng các trạm.',
				}));
			break;
		}
		case 'complete': {
			const kinds = new Set(c.kinds || []);
			const empty = (v) => v === null || v === undefined ||
				(typeof v === 'string' && v.trim() === '');
			const wanted = [...model.items.values()].filter((it) => kinds.has(it.kind) &&
				!isDerived(it) && model.applies(it.code));
			const unitMissing = wanted.filter((it) => empty(snap.value(it.code))).map((it) => it.code);
			if (unitMissing.length) out.push(completeResult(model, c, unitMissing, null));
			if (!model.stations.length) break;
			const perStation = wanted.filter((it) => model.stationItems.has(it.code));
			const rows = ownPresent(model, snap) ? model.rows : model.stations;
			for (const st of rows) {
				const missing = perStation.filter((it) => empty(snap.station(st.code, it.code)))
					.map((it) => it.code);
				if (missing.length) out.push(completeResult(model, c, missing, st.code));
			}
			break;
		}
		case 'required': {
			const missing = (c.items || []).filter((code) => {
				if (!model.applies(code) || !model.items.has(code)) return false;
				const v = snap.value(code);
				return v === null || v === undefined || (typeof v === 'string' && v.trim() === '');
			});
			if (missing.length) out.push(result(c, { items: missing }));
			break;
		}
		case 'pattern': {
			const re = compileRe(c.pattern);
			if (!re || !c.list || !model.applies(c.list)) break;
			snap.rows(c.list).forEach((row, i) => {
				const v = row[c.column];
				if (typeof v === 'string' && v.trim() !== '' && !re.test(v))
					out.push(result(c, { items: [c.list], list: c.list, row: i + 1, column: c.column }));
			});
			break;
		}
		case 'date_in_period': {
			const p = model.period;
			if (!c.list || !model.applies(c.list) || !validDate(p.start || '') ||
			    !validDate(p.end || '')) break;
			snap.rows(c.list).forEach((row, i) => {
				const v = row[c.column];
				if (typeof v !== 'string' || v.trim() === '') return;
				let message;
				if (!validDate(v))
					message = c.message + ' (ngày không hợp lệ, ghi theo dạng năm-tháng-ngày)';
				else if (v < p.start || v > p.end)
					message = c.message + ' (ngày ' + fmtDate(v) + ' nằm ngoài kỳ số liệu ' +
					    fmtDate(p.start) + ' – ' + fmtDate(p.end) + ')';
				else return;
				out.push(result(c, {
					items: [c.list], list: c.list, row: i + 1, column: c.column, message,
				}));
			});
			break;
		}
		default:
			break;
		}
	}
	return out;
}

/*
 * One item of a stations_sum check (modules/check.c,
 * check_stations_item): the unit's figure against its own row plus the
 * stations', the own row counted 0 when the report has none.
 */
function stationsSumItem(model, c, code, w, ownRow, snap) {
	let any = false;
	let sum = 0;
	for (const st of model.stations) {
		const v = snap.station(st.code, code);
		if (typeof v === 'number') {
			any = true;
			sum += v;
		}
	}
	const o = ownRow ? snap.station(ownRow, code) : null;
	const hasOwn = typeof o === 'number';
	const total = sum + (hasOwn ? o : 0);
	const name = '«' + label(model, code) + '»: ';
	let detail;
	if (w === null && !any && !hasOwn) return { nonzero: false, result: null };
	if (w === null && !hasOwn)
		detail = 'số của đơn vị chưa nhập; cộng các trạm ' + fmtNumber(sum);
	else if (w === null)
		detail = 'số của đơn vị chưa nhập; riêng đơn vị ' + fmtNumber(o) + ' + các trạm ' +
		    fmtNumber(sum) + ' = ' + fmtNumber(total);
	else if (w === total)
		return { nonzero: w !== 0, result: null };
	else if (!hasOwn)
		detail = 'số của đơn vị ' + fmtNumber(w) + '; cộng các trạm ' + fmtNumber(sum) +
		    '; riêng đơn vị chưa nhập';
	else
		detail = 'số của đơn vị ' + fmtNumber(w) + '; riêng đơn vị ' + fmtNumber(o) +
		    ' + các trạm ' + fmtNumber(sum) + ' = ' + fmtNumber(total);
	return {
		nonzero: w !== null && w !== 0,
		result: result(c, { items: [code], message: c.message + ' (' + name + detail + ')' }),
	};
}

/* The items of one row left empty (modules/check.c, check_complete_row). */
function completeResult(model, c, items, station) {
	const extra = {
		items,
		message: rowPrefix(model, station) + c.message + ' (còn trống: ' +
		    fmtNumber(items.length) + ' mục)',
	};
	if (station) extra.station = station;
	return result(c, extra);
}

/*
 * What the page shows: while the page holds unsaved changes, the live
 * results for the checks it can run, plus the server's results of the
 * others (warnings on previous periods, anything the page skipped);
 * right after a read or a save, the server's results alone.
 */
export function mergeChecks(model, live, server, fresh) {
	const serverChecks = (server || []).filter((c) => c && typeof c === 'object')
		.map((c) => ({ ...c, severity: c.severity === 'warning' ? 'warning' : 'error',
			source: 'server' }));
	if (fresh) return serverChecks;
	const liveRules = new Set();
	for (const c of model.form.checks || []) {
		if (!LIVE_TYPES.has(c.type)) continue;
		if (c.type === 'pattern' && !compileRe(c.pattern)) continue;
		liveRules.add(c.rule);
	}
	const base = (rule) => String(rule || '').replace(/\.missing_station$/, '');
	return [...live, ...serverChecks.filter((c) => !liveRules.has(base(c.rule)))];
}

/*
 * Where a warning's explanation is kept: its first item (a list's code
 * for a list row).  The server takes a comment on any of its items.
 */
export function commentKey(check) {
	if (Array.isArray(check.items) && check.items.length) return check.items[0];
	return check.list || check.rule;
}

/* ------------------------------------------------------------------ */
/* List cells                                                         */
/* ------------------------------------------------------------------ */

/*
 * A date as people write it here, whatever the browser's language: day,
 * month, year ("05/01/2026", "5/1/2026", "5-1-2026", "5.1.2026") or the
 * eight digits "05012026"; a stored "2026-01-05" reads too.  → {value:
 * "YYYY-MM-DD"} (null when empty) or {error} saying what is wrong.
 */
export function parseDayMonthYear(raw) {
	const t = String(raw ?? '').trim();
	if (t === '') return { value: null };
	let m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(t);
	if (!m) m = /^(\d{2})(\d{2})(\d{4})$/.exec(t);
	let y, mo, d;
	if (m) {
		[d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
	} else {
		const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t);
		if (!iso) return { error: 'Ghi ngày theo dạng ngày/tháng/năm, ví dụ 05/01/2026.' };
		[y, mo, d] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
	}
	if (mo < 1 || mo > 12) return { error: 'Không có tháng ' + mo + '; ghi ngày/tháng/năm.' };
	const value = String(y).padStart(4, '0') + '-' + String(mo).padStart(2, '0') + '-' +
	    String(d).padStart(2, '0');
	if (!validDate(value))
		return { error: 'Không có ngày ' + d + ' tháng ' + mo + ' năm ' + y + '.' };
	if (value < '1900-01-01' || value > '2100-12-31')
		return { error: 'Năm phải từ 1900 đến 2100.' };
	return { value };
}

/* "2026-01-05" → "05/01/2026", as a date cell shows it. */
export function showDayMonthYear(iso) {
	const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(iso ?? ''));
	return m ? m[3] + '/' + m[2] + '/' + m[1] : String(iso ?? '');
}

export function parseCell(col, raw) {
	const s = String(raw ?? '');
	if (col.kind === 'count') return parseWhole(s);
	const t = s.trim();
	if (t === '') return { value: null };
	if (col.kind === 'date') return parseDayMonthYear(t);
	if (col.kind === 'choice') {
		if (!(col.choices || []).some((ch) => ch.code === t))
			return { error: 'Chọn một giá trị trong danh sách.' };
		return { value: t };
	}
	if (CONTROL.test(t)) return { error: CONTROL_ERROR };
	const max = col.kind === 'docno' ? DOCNO_MAX : num(col.maxlen);
	if (max !== null && charCount(t) > max)
		return { error: 'Dài quá ' + fmtNumber(charCount(t) - max) +
		    ' ký tự (tối đa ' + fmtNumber(max) + ').' };
	return { value: t };
}

/* One list row: {values, errors: {column: message}, empty}. */
export function parseRow(list, row) {
	const values = {};
	const errors = {};
	let empty = true;
	for (const col of list.columns || []) {
		const raw = row[col.code];
		if (raw !== undefined && raw !== null && String(raw).trim() !== '') empty = false;
		const r = parseCell(col, raw);
		if (r.error) errors[col.code] = r.error;
		else if (r.value !== null) values[col.code] = r.value;
	}
	if (!empty) {
		for (const col of list.columns || []) {
			if (col.required && values[col.code] === undefined && !errors[col.code])
				errors[col.code] = 'Cột “' + col.label + '” phải điền; dòng này chưa được lưu ' +
				    'cho đến khi đủ các cột bắt buộc (*).';
		}
	}
	return { values, errors, empty };
}

/* ------------------------------------------------------------------ */
/* The body of a PUT                                                  */
/* ------------------------------------------------------------------ */

/*
 * From the page's raw values: {body, problems, rowMaps}.  A value that
 * cannot be read (text in a count, too long a text) is not sent: the
 * stored one is kept, and `problems` says which fields were held back,
 * so the page can say so.  List rows that are empty are left out; rows
 * with a missing required cell or a bad cell are held back too.
 * rowMaps[list][i] is the page's row for the i-th row sent.
 */
export function buildPayload(model, local, stored) {
	const problems = [];
	const values = {};
	for (const it of model.typedItems()) {
		const r = parseItem(it, local.values[it.code]);
		if (r.error) {
			problems.push({ key: 'v:' + it.code, message: r.error });
			const old = stored.values ? stored.values[it.code] : undefined;
			if (old !== undefined && old !== null) values[it.code] = old;
		} else if (r.value !== null) {
			values[it.code] = r.value;
		}
	}

	const stations = {};
	for (const st of model.rows) {
		const row = {};
		for (const code of model.stationItems) {
			const raw = local.stations[st.code] ? local.stations[st.code][code] : '';
			const r = parseItem(model.items.get(code), raw);
			if (r.error) {
				problems.push({ key: 's:' + st.code + '|' + code, message: r.error });
				const old = stored.stations && stored.stations[st.code]
					? stored.stations[st.code][code] : undefined;
				if (typeof old === 'number') row[code] = old;
			} else if (r.value !== null) {
				row[code] = r.value;
			}
		}
		if (Object.keys(row).length) stations[st.code] = row;
	}

	const lists = {};
	const rowMaps = {};
	for (const l of model.listsShown()) {
		const rows = [];
		const map = [];
		(local.lists[l.code] || []).forEach((row, i) => {
			const r = parseRow(l, row);
			if (r.empty) return;
			const bad = Object.keys(r.errors);
			if (bad.length) {
				for (const col of bad)
					problems.push({ key: 'l:' + l.code + '|' + i + '|' + col,
					    message: r.errors[col] });
				return;
			}
			rows.push(r.values);
			map.push(i);
		});
		lists[l.code] = rows;
		rowMaps[l.code] = map;
	}

	const comments = {};
	for (const [k, v] of Object.entries(local.comments || {})) {
		const t = String(v ?? '').trim();
		/* The server refuses comments on codes that do not apply. */
		if (t === '' || !model.applies(k) || !(model.items.has(k) || model.lists.has(k))) continue;
		const n = charCount(t);
		const bad = n > COMMENT_MAX ? 'Giải trình dài quá ' + fmtNumber(n - COMMENT_MAX) +
			' ký tự (tối đa ' + fmtNumber(COMMENT_MAX) + ').' : CONTROL.test(t) ? CONTROL_ERROR : null;
		if (bad) {
			problems.push({ key: 'c:' + k, message: bad });
			const old = stored.comments ? stored.comments[k] : undefined;
			if (typeof old === 'string' && old.trim() !== '') comments[k] = old;
		} else {
			comments[k] = t;
		}
	}

	const body = { values, comments };
	if (model.stations.length && model.stationItems.size) body.stations = stations;
	if (model.listsShown().length) body.lists = lists;
	return { body, problems, rowMaps };
}

/* ------------------------------------------------------------------ */
/* The local copy from a stored report                                */
/* ------------------------------------------------------------------ */

export function localFromReport(model, report) {
	const values = {};
	for (const it of model.typedItems())
		values[it.code] = rawOf(it, report.values ? report.values[it.code] : null);
	const stations = {};
	for (const st of model.rows) {
		stations[st.code] = {};
		const stored = report.stations ? report.stations[st.code] || {} : {};
		for (const code of model.stationItems)
			stations[st.code][code] = rawOf(model.items.get(code), stored[code]);
	}
	const lists = {};
	for (const l of model.listsShown()) {
		const rows = report.lists && Array.isArray(report.lists[l.code])
			? report.lists[l.code] : [];
		lists[l.code] = rows.map((row) => {
			const o = {};
			for (const col of l.columns || []) {
				const v = row ? row[col.code] : null;
				o[col.code] = v === null || v === undefined ? ''
					: col.kind === 'count' && typeof v === 'number' ? fmtNumber(v)
						: col.kind === 'date' ? showDayMonthYear(v) : String(v);
			}
			return o;
		});
	}
	const comments = { ...(report.comments || {}) };
	return { values, stations, lists, comments };
}

/* ------------------------------------------------------------------ */
/* Edits against another version (stale saves, drafts left behind)    */
/* ------------------------------------------------------------------ */

/* The raw value of one field key from a local copy. */
export function rawAt(local, key) {
	const [kind, rest] = [key.slice(0, 1), key.slice(2)];
	if (kind === 'v') return local.values[rest] ?? '';
	if (kind === 'c') return local.comments[rest] ?? '';
	if (kind === 's') {
		const [st, code] = rest.split('|');
		return local.stations[st] ? local.stations[st][code] ?? '' : '';
	}
	if (kind === 'l') return local.lists[rest] || [];
	return '';
}

/* A comparable form of a raw value: parsed when it parses. */
function norm(model, key, raw) {
	const kind = key.slice(0, 1);
	const rest = key.slice(2);
	if (kind === 'v' || kind === 's') {
		const code = kind === 'v' ? rest : rest.split('|')[1];
		const it = model.items.get(code);
		if (!it) return JSON.stringify(raw);
		const r = parseItem(it, raw);
		return r.error ? 'raw:' + String(raw) : JSON.stringify(r.value);
	}
	if (kind === 'c') return JSON.stringify(String(raw ?? '').trim());
	if (kind === 'l') {
		const l = model.lists.get(rest);
		if (!l) return JSON.stringify(raw);
		return JSON.stringify((raw || []).map((row) => parseRow(l, row))
			.filter((r) => !r.empty).map((r) => r.values));
	}
	return JSON.stringify(raw);
}

export function sameValue(model, key, a, b) {
	return norm(model, key, a) === norm(model, key, b);
}

/* What a person reads for a field key: "2.3 — Đơn điện tử liên thông". */
export function keyLabel(model, key) {
	const kind = key.slice(0, 1);
	const rest = key.slice(2);
	if (kind === 'v') return label(model, rest);
	if (kind === 'c') return 'Giải trình cho “' + label(model, rest) + '”';
	if (kind === 's') {
		const [st, code] = rest.split('|');
		return label(model, code) + ' — ' + rowName(model, st);
	}
	if (kind === 'l') {
		const l = model.lists.get(rest);
		return 'Danh sách “' + (l ? l.label : rest) + '”';
	}
	return key;
}

/* How a row of the appendix is named: a station's name, or the unit's own. */
export function rowName(model, code) {
	if (model.own && code === model.own.code) return 'Riêng đơn vị (' + model.own.name + ')';
	const s = model.stations.find((x) => x.code === code);
	return s ? s.name || s.code : code;
}

/* A raw value as one line of text. */
export function showRaw(model, key, raw) {
	if (key.startsWith('l:')) {
		const rows = (raw || []).filter((r) => Object.values(r || {})
			.some((v) => String(v ?? '').trim() !== ''));
		return rows.length ? fmtNumber(rows.length) + ' dòng: ' + rows.map((r) =>
			Object.values(r).filter((v) => String(v ?? '').trim() !== '').join(', '))
			.join(' | ') : '(không có dòng nào)';
	}
	const s = String(raw ?? '').trim();
	return s === '' ? '(để trống)' : s;
}

/*
 * The edits (key → raw) that differ from `other` (a local copy of
 * another version): [{key, label, mine, theirs}] for the person to
 * re-enter if still wanted.
 */
export function conflictsOf(model, edits, other) {
	const out = [];
	for (const [key, raw] of Object.entries(edits || {})) {
		const theirs = rawAt(other, key);
		if (sameValue(model, key, raw, theirs)) continue;
		out.push({
			key,
			label: keyLabel(model, key),
			mine: raw,
			theirs: JSON.parse(JSON.stringify(theirs ?? '')),
			mineText: showRaw(model, key, raw),
			theirsText: showRaw(model, key, theirs),
		});
	}
	return out;
}
