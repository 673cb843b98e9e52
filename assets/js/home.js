/*
 * Trang chủ: the periods of a year; for a unit, where each of its
 * reports stands.  The period(s) open now are highlighted.
 */
import {
	initPage, h, fill, byId, showError, emptyRow, tableWrap, roleLabel,
} from './app.js';
import {
	PERIOD_HEADINGS, setupYearSelect, fetchPeriods, periodRow, reportsCell,
	openSummary,
} from './periods.js';

let isUnit = false;
let unitCode = '';

function introText(user) {
	if (user.role === 'unit')
		return 'Đơn vị ' + (user.unit || user.username) + ': lịch các kỳ báo cáo ' +
		    'và tình trạng báo cáo của đơn vị theo từng phụ lục.';
	if (user.role === 'viewer')
		return 'Lịch các kỳ báo cáo. Tài khoản ' + roleLabel(user.role) +
		    ' chỉ xem, không chỉnh sửa.';
	return 'Lịch các kỳ báo cáo của năm. Quản lý đơn vị, đầu mối, tài khoản ' +
	    'và lịch báo cáo từ thanh điều hướng phía trên.';
}

function headings() {
	const cols = PERIOD_HEADINGS.slice();
	if (isUnit) cols.push('Báo cáo của đơn vị');
	return cols;
}

function renderTable(periods, year) {
	const cols = headings();
	const rows = periods.length
		? periods.map((p) => periodRow(p, isUnit ? [reportsCell(p, unitCode)] : []))
		: [emptyRow(cols.length, 'Chưa có kỳ báo cáo nào trong năm ' + year + '.')];
	const table = h('table', null,
		h('caption', null, 'Các kỳ báo cáo năm ' + year),
		h('thead', null, h('tr', null, cols.map((c) => h('th', { scope: 'col' }, c)))),
		h('tbody', null, rows));
	fill(byId('periods'), tableWrap(table, 'Bảng kỳ báo cáo năm ' + year));
	fill(byId('open-summary'), openSummary(periods));
}

async function load(year) {
	const area = byId('periods');
	area.setAttribute('aria-busy', 'true');
	fill(area, h('p', { class: 'loading' }, 'Đang tải lịch báo cáo năm ' + year + '…'));
	try {
		const periods = await fetchPeriods(year);
		renderTable(Array.isArray(periods) ? periods : [], year);
	} catch (e) {
		fill(area);
		fill(byId('open-summary'));
		showError(e);
	} finally {
		area.setAttribute('aria-busy', 'false');
	}
}

async function main() {
	const session = await initPage();
	if (!session) return;
	isUnit = session.user.role === 'unit';
	unitCode = session.user.unit || '';
	byId('intro').textContent = introText(session.user);
	const year = setupYearSelect(byId('year'), load);
	await load(year);
}

main();
