/*
 * Trang chủ: the periods of a year; for a unit, where each of its
 * reports stands.  The period(s) open now are highlighted.  A unit that
 * does not file (a commune station, whose district health centre files
 * for it; the office's own unit) is told so and who files, instead of
 * being shown reports it cannot open.  Who files can change on a date
 * (the registry over time): each period says, by the registry of its
 * last day, whether the unit files it or who files for it.
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

/* A period the unit does not file itself: who does, or why not. */
function filerCell(p) {
	if (p.in_registry === false)
		return h('td', null, h('span', { class: 'muted' },
			'Đơn vị không có trong danh mục ở kỳ này.'));
	if (p.filed_by)
		return h('td', null, 'Do ' + (p.filed_by.name || p.filed_by.code) +
		    ' nộp thay (phụ lục từng trạm).');
	return h('td', null, h('span', { class: 'muted' }, 'Không nộp báo cáo ở kỳ này.'));
}

function unitCell(p) {
	if (p.in_registry === false || 'filed_by' in p) return filerCell(p);
	return reportsCell(p, unitCode);
}

/* Who files for a unit that does not: what its people need to know. */
function filerText(info) {
	const name = info.name || info.code;
	if (info.filed_by) {
		const by = info.filed_by.name || info.filed_by.code;
		return name + ' không tự nộp báo cáo trên cổng. ' + by + ' nộp báo cáo thay cho ' +
		    'đơn vị: số liệu của đơn vị nằm trong phụ lục theo từng trạm (mục 6 và 7 của ' +
		    'Phụ lục 1) trong báo cáo của ' + by + '. Hãy gửi số liệu của đơn vị cho đầu mối ' +
		    'của ' + by + '.';
	}
	if (info.kind === 'department_office')
		return name + ' không nộp báo cáo định kỳ trên cổng: Văn phòng Sở là nơi tiếp nhận ' +
		    'và tổng hợp báo cáo của các đơn vị.';
	if (info.active === false)
		return name + ' đã ngừng hoạt động trong danh mục đơn vị nên không nộp báo cáo. ' +
		    'Nếu đây là nhầm lẫn, liên hệ Văn phòng Sở.';
	return name + ' không thuộc diện nộp báo cáo trên cổng. Liên hệ Văn phòng Sở nếu ' +
	    'cần biết đơn vị nào nộp thay.';
}

function showFiler(info) {
	const note = h('section', { id: 'filer-note', class: 'panel', 'aria-labelledby': 'filer-title' },
		h('h2', { id: 'filer-title' }, info.filed_by
			? 'Báo cáo của đơn vị do ' + (info.filed_by.name || info.filed_by.code) + ' nộp'
			: 'Đơn vị của bạn không tự nộp báo cáo'),
		h('p', null, filerText(info)));
	byId('intro').after(note);
}

function introText(user, files) {
	if (user.role === 'unit' && !files)
		return 'Đơn vị ' + (user.unit || user.username) + ': lịch các kỳ báo cáo, để ' +
		    'theo dõi hạn nộp.';
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
		? periods.map((p) => periodRow(p, isUnit ? [unitCell(p)] : []))
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
	const info = session.unit_info || null;
	const files = !info || info.files !== false;
	/*
	 * Report links only in the periods the unit files itself: the server
	 * says, period by period, who files for it otherwise.
	 */
	isUnit = session.user.role === 'unit';
	unitCode = session.user.unit || '';
	byId('intro').textContent = introText(session.user, files);
	if (session.user.role === 'unit' && !files) showFiler(info);
	const year = setupYearSelect(byId('year'), load);
	await load(year);
}

main();
