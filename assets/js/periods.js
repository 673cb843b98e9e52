/*
 * The reporting calendar as both the home page and the calendar page
 * show it: the year selector, the period rows and the open-period box.
 */
import {
	api, h, fill, byId, badge, fmtDate, fmtDateTime, fmtNumber, fillSelect,
	formLabel, stateLabel, statusLabel, todayVN, daysBetween, currentYearVN,
	queryParam, setQueryParam, showError,
} from './app.js';

export const FIRST_YEAR = 2023;

export const RULE_TEXT = 'Số liệu tính từ ngày 15 tháng trước đến ngày 14 ' +
	'tháng báo cáo; hạn nộp hết ngày 15 (giờ Việt Nam).';

export const PERIOD_HEADINGS = [
	'Kỳ báo cáo', 'Thời gian lấy số liệu', 'Hạn nộp', 'Đề cương', 'Trạng thái',
];

/* 2023 … next year (in Việt Nam). */
export function yearChoices() {
	const last = currentYearVN() + 1;
	const years = [];
	for (let y = FIRST_YEAR; y <= last; y++) years.push(y);
	return years;
}

/* Fills the <select>, picks ?year= or this year, calls onChange(year). */
export function setupYearSelect(select, onChange) {
	const years = yearChoices();
	const thisYear = currentYearVN();
	let initial = Number(queryParam('year'));
	if (!years.includes(initial)) initial = thisYear;
	fillSelect(select, years.map((y) => ({ value: String(y), label: String(y) })));
	select.value = String(initial);
	select.addEventListener('change', () => {
		const y = Number(select.value);
		setQueryParam('year', y === thisYear ? null : String(y));
		onChange(y);
	});
	return initial;
}

export function fetchPeriods(year) {
	return api('GET', '/api/v1/periods?year=' + encodeURIComponent(String(year)));
}

export function stateBadge(state) {
	return badge(stateLabel(state), state);
}

/* "còn N ngày" while open, "đã quá hạn" once closed. */
export function deadlineNote(p, today = todayVN()) {
	if (p.state === 'open') {
		const n = daysBetween(today, p.deadline);
		if (Number.isNaN(n)) return null;
		if (n <= 0) return { text: 'hôm nay là hạn cuối', cls: 'is-soon' };
		return { text: 'còn ' + fmtNumber(n) + ' ngày', cls: n <= 3 ? 'is-soon' : 'is-left' };
	}
	if (p.state === 'closed') return { text: 'đã quá hạn', cls: 'is-late' };
	return null;
}

export function formsText(forms) {
	return (forms || []).map(formLabel).join(', ');
}

function nameCell(p) {
	return h('th', { scope: 'row' },
		p.name,
		h('span', { class: 'cell-sub' }, 'Mã kỳ: ' + p.code));
}

function rangeCell(p) {
	return h('td', null,
		h('span', { class: 'nowrap' }, fmtDate(p.start)), ' – ',
		h('span', { class: 'nowrap' }, fmtDate(p.end)));
}

function deadlineCell(p) {
	const note = deadlineNote(p);
	return h('td', null,
		h('span', { class: 'nowrap' }, fmtDate(p.deadline)),
		note ? h('span', { class: ['deadline-note', note.cls] }, note.text) : null);
}

/* The five common cells of one period. */
export function periodCells(p) {
	return [
		nameCell(p),
		rangeCell(p),
		deadlineCell(p),
		h('td', null, formsText(p.forms)),
		h('td', null, stateBadge(p.state)),
	];
}

export function periodRow(p, extraCells = []) {
	return h('tr', { class: p.state === 'open' ? 'is-open' : null }, periodCells(p), extraCells);
}

const STATUS_BADGE = {
	draft: 'info',
	submitted: 'ok',
	returned: 'err',
	accepted: 'ok',
};

/* Where a unit enters (or reads) its report of one form for a period. */
export function reportHref(unit, period, form) {
	return '/report?unit=' + encodeURIComponent(unit) + '&period=' +
	    encodeURIComponent(period) + '&form=' + encodeURIComponent(form);
}

/*
 * A unit's reports for one period: one line per form of the period,
 * each a link to the report page when the unit's code is given.
 */
export function reportsCell(p, unit) {
	const reports = p.reports || {};
	const items = (p.forms || []).map((form) => {
		const r = reports[form] || null;
		const status = r && r.status ? r.status : null;
		return h('li', null,
			unit ? h('a', {
				href: reportHref(unit, p.code, form),
				'aria-label': formLabel(form) + ', ' + p.name,
			}, formLabel(form)) : h('span', null, formLabel(form)),
			h('span', null, ': '),
			badge(statusLabel(status), status ? STATUS_BADGE[status] || 'info' : 'closed'),
			r && r.late ? badge('Nộp muộn', 'err') : null,
			r && r.submitted_at
				? h('span', { class: 'cell-sub' }, 'Nộp lúc ' + fmtDateTime(r.submitted_at))
				: null);
	});
	return h('td', null, h('ul', { class: 'form-status-list' }, items));
}

/* The box above the table naming the period(s) open now, or null. */
export function openSummary(periods) {
	const open = periods.filter((p) => p.state === 'open');
	if (open.length === 0) return null;
	const items = open.map((p) => {
		const note = deadlineNote(p);
		return h('li', null,
			h('strong', null, p.name),
			' (' + formsText(p.forms) + '): hạn nộp ' + fmtDate(p.deadline) +
			(note ? ' — ' + note.text : ''));
	});
	return h('div', { class: 'open-summary', role: 'note' },
		h('p', { class: 'alert-title' },
			open.length === 1 ? 'Kỳ báo cáo đang mở' : 'Các kỳ báo cáo đang mở'),
		h('ul', null, items));
}

/* ------------------------------------------------------------------ */
/* The period picker of the review, progress and dashboard pages       */
/* ------------------------------------------------------------------ */

function stateOf(p, today) {
	if (p.state) return p.state;
	if (p.deadline < today) return 'closed';
	return p.start <= today ? 'open' : 'upcoming';
}

/*
 * The period to show first: among those open or past their deadline,
 * the one whose deadline is nearest today (just past, or coming).
 * Periods overlap (months, six months, the year), so "the open one" is
 * not unique.
 */
export function defaultPeriod(periods, today = todayVN()) {
	let best = null;
	let bestGap = Infinity;
	for (const p of periods) {
		const st = stateOf(p, today);
		if (st === 'upcoming') continue;
		const gap = Math.abs(daysBetween(today, p.deadline));
		const n = Number.isNaN(gap) ? Infinity : gap;
		if (best === null || n < bestGap ||
		    (n === bestGap && st === 'closed' && stateOf(best, today) !== 'closed')) {
			best = p;
			bestGap = n;
		}
	}
	return best;
}

/*
 * Wires the #year and #period selects: ?year= and ?period= in the
 * address, the default period, last year's when this year has nothing
 * yet (early January).  Calls onPeriod(period or null) on every change;
 * the returned function gives the periods of the shown year.
 */
export async function startPeriodPicker(onPeriod) {
	const sel = byId('period');
	let periods = [];

	async function loadYear(year, wanted, fallback) {
		sel.disabled = true;
		fill(sel, h('option', { value: '' }, 'Đang tải…'));
		let got;
		try {
			got = await fetchPeriods(year);
		} catch (e) {
			fill(sel);
			showError(e);
			return;
		}
		periods = Array.isArray(got) ? got : [];
		let p = wanted ? periods.find((x) => x.code === wanted) : null;
		if (!p) p = defaultPeriod(periods);
		if (!p && fallback && year - 1 >= FIRST_YEAR) {
			byId('year').value = String(year - 1);
			if (byId('year').value === String(year - 1)) {
				setQueryParam('year', String(year - 1));
				return loadYear(year - 1, null, false);
			}
		}
		if (!p) p = periods[0] || null;
		sel.disabled = false;
		if (!periods.length) {
			fill(sel, h('option', { value: '' }, 'Không có kỳ báo cáo'));
			onPeriod(null);
			return;
		}
		fillSelect(sel, periods.map((x) => ({
			value: x.code, label: x.name + ' — hạn nộp ' + fmtDate(x.deadline),
		})));
		sel.value = p ? p.code : '';
		setQueryParam('period', p ? p.code : null);
		onPeriod(p);
	}

	sel.addEventListener('change', () => {
		const p = periods.find((x) => x.code === sel.value) || null;
		setQueryParam('period', p ? p.code : null);
		onPeriod(p);
	});
	const wanted = queryParam('period');
	if (wanted && /^\d{4}-/.test(wanted) && !queryParam('year')) {
		const y = Number(wanted.slice(0, 4));
		if (y !== currentYearVN()) setQueryParam('year', String(y));
	}
	const explicitYear = Boolean(queryParam('year'));
	const year = setupYearSelect(byId('year'), (y) => loadYear(y, null, false));
	await loadYear(year, wanted, !explicitYear && !wanted);
	return () => periods;
}

/* Fills a form <select> with a period's forms; returns the one chosen. */
export function fillFormSelect(select, period, wanted) {
	const forms = period ? period.forms || [] : [];
	fillSelect(select, forms.map((f) => ({ value: f, label: formLabel(f) })));
	select.value = forms.includes(wanted) ? wanted : forms[0] || '';
	return select.value;
}
