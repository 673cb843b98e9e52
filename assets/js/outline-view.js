/*
 * Outline versions on the pages: a report, a review and a consolidation
 * are shown by the outline version the server names (report.form_version,
 * consolidation.form_version), fetched once per page; an item a month's
 * version did not have is shown as absent, never as 0.
 *
 * GET /api/v1/forms/{form}?period=CODE   the version in force in a period
 * GET /api/v1/forms/{form}/versions/{n}  one version
 */
import { api, h } from './app.js';

export const ABSENT_TEXT = 'không có trong đề cương kỳ này';

const byVersion = new Map();	/* "PL1/2" → definition */
const byPeriod = new Map();	/* "PL1@2026-01" → definition */

const enc = encodeURIComponent;

function keep(def) {
	if (def && def.form && def.version) byVersion.set(def.form + '/' + def.version, def);
	return def;
}

/* Version n of a form. */
export async function outlineVersion(form, n) {
	const key = form + '/' + n;
	if (!byVersion.has(key))
		keep(await api('GET', '/api/v1/forms/' + enc(form) + '/versions/' + enc(n)));
	return byVersion.get(key);
}

/* The version in force in a period (period '' or absent: today's). */
export async function outlineFor(form, period) {
	const key = form + '@' + (period || '');
	if (!byPeriod.has(key)) {
		const q = period ? '?period=' + enc(period) : '';
		byPeriod.set(key, keep(await api('GET', '/api/v1/forms/' + enc(form) + q)));
	}
	return byPeriod.get(key);
}

/*
 * The definition a thing made by version n needs: the one fetched for its
 * period when it is that version (the usual case, fetched beside it),
 * else version n itself.
 */
export async function outlineOf(form, guess, n) {
	if (!n || (guess && guess.version === n)) return guess;
	return outlineVersion(form, n);
}

/* "2026-01" → "Tháng 1/2026", "2026-H1" → "6 tháng 2026", "2026-Y" → "Năm 2026". */
export function periodLabel(code) {
	const s = String(code || '');
	let m = /^(\d{4})-(\d{2})$/.exec(s);
	if (m) return 'Tháng ' + Number(m[2]) + '/' + m[1];
	m = /^(\d{4})-H1$/.exec(s);
	if (m) return '6 tháng ' + m[1];
	m = /^(\d{4})-Y$/.exec(s);
	if (m) return 'Năm ' + m[1];
	return s;
}

/* "Phiên bản 2 (áp dụng từ Tháng 1/2026)". */
export function versionText(version, first) {
	if (!version) return '';
	return 'Phiên bản ' + version + (first ? ' (áp dụng từ ' + periodLabel(first) + ')' : '');
}

/* 1 when codes (an array, or absent) lists code. */
export function isAbsent(codes, code) {
	return Array.isArray(codes) && codes.includes(code);
}

/* The marker of an absent figure, as the pages show it. */
export function absentMark(extra) {
	return h('span', { class: 'absent', 'data-absent': '' }, ABSENT_TEXT, extra || null);
}

/*
 * "Kỳ trước (Tháng 12/2025): 1.234" beside an item, from a report's
 * "previous" (the unit's latest earlier report of the kind): its figure,
 * or that its version did not have the item.  null when there is nothing
 * to say.  fmt(it, v) formats a figure.
 */
export function previousNote(previous, it, fmt) {
	if (!previous || !it || it.kind === 'text') return null;
	const head = 'Kỳ trước (' + periodLabel(previous.period) + '): ';
	const attrs = { class: 'rpt-prev', 'data-prev': it.code };
	if (isAbsent(previous.absent, it.code))
		return h('span', attrs, head, absentMark());
	const v = (previous.values || {})[it.code];
	if (v === undefined || v === null || v === '') return null;
	return h('span', attrs, head + fmt(it, v));
}
