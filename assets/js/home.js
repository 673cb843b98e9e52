/*
 * Trang chủ.  For a unit that files its own reports: its task list
 * ("Việc cần làm"), the reports the office returned first with the
 * office's reason, then those open now with the days left to the
 * deadline, then those past their deadline and never submitted (newest
 * first); each a large link to the report.  What is done (submitted,
 * accepted) and the year's calendar are folded away below.  For
 * everyone else, and for a unit that does not file (a commune station,
 * whose district health centre files for it; the office's own unit),
 * the calendar of the year with the period(s) open now highlighted.
 * Who files can change on a date (the registry over time): each period
 * says, by the registry of its last day, whether the unit files it or
 * who files for it.
 */
import {
	initPage, h, fill, byId, showError, emptyRow, tableWrap, cardLabels, roleLabel,
	fmtDate, fmtNumber, formLabel, todayVN, daysBetween, currentYearVN, badge,
	statusLabel, fmtDateTime,
} from './app.js';
import {
	PERIOD_HEADINGS, setupYearSelect, fetchPeriods, periodRow, reportsCell,
	openSummary, reportHref, deadlineNote,
} from './periods.js';

/* A past deadline counts as owed for a year: older ones are history. */
const LATE_WINDOW_DAYS = 366;

let isUnit = false;
let unitCode = '';
let taskMode = false;
const years = new Map();	/* year → promise of its periods */

function periodsOf(year) {
	if (!years.has(year)) {
		const p = fetchPeriods(year).then((got) => (Array.isArray(got) ? got : []));
		p.catch(() => years.delete(year));
		years.set(year, p);
	}
	return years.get(year);
}

/* ------------------------------------------------------------------ */
/* The calendar of a year                                             */
/* ------------------------------------------------------------------ */

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

function filesIn(p) {
	return p.in_registry !== false && !('filed_by' in p);
}

function unitCell(p) {
	if (!filesIn(p)) return filerCell(p);
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

function introText(user, info, files) {
	const name = (info && info.name) || user.unit || user.username;
	if (user.role === 'unit' && !files)
		return 'Đơn vị: ' + name + '. Lịch các kỳ báo cáo, để theo dõi hạn nộp.';
	if (user.role === 'unit')
		return 'Đơn vị: ' + name + '. Các báo cáo đơn vị cần nộp hoặc sửa, việc gấp nhất ' +
		    'ở trên cùng.';
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
	fill(byId('periods'), tableWrap(cardLabels(table), 'Bảng kỳ báo cáo năm ' + year));
	/* A unit's open periods are in its task list already. */
	fill(byId('open-summary'), taskMode ? null : openSummary(periods));
}

async function load(year) {
	const area = byId('periods');
	area.setAttribute('aria-busy', 'true');
	fill(area, h('p', { class: 'loading' }, 'Đang tải lịch báo cáo năm ' + year + '…'));
	try {
		renderTable(await periodsOf(year), year);
	} catch (e) {
		fill(area);
		fill(byId('open-summary'));
		showError(e);
	} finally {
		area.setAttribute('aria-busy', 'false');
	}
}

/* ------------------------------------------------------------------ */
/* The unit's task list                                               */
/* ------------------------------------------------------------------ */

const KIND_ORDER = { returned: 0, open: 1, late: 2 };

/*
 * One task per form of a period the unit files: returned (whatever the
 * period's state), open and not yet submitted, or closed within the
 * window and never submitted; done (submitted, accepted) otherwise.
 * Upcoming periods are neither.
 */
function classify(periods, today) {
	const tasks = [];
	const done = [];
	for (const p of periods) {
		if (!filesIn(p) || p.state === 'upcoming') continue;
		for (const form of p.forms || []) {
			const r = (p.reports || {})[form] || null;
			const status = r && r.status ? r.status : null;
			const item = { p, form, r, status };
			if (status === 'returned') tasks.push({ ...item, kind: 'returned' });
			else if (status === 'submitted' || status === 'accepted') done.push(item);
			else if (p.state === 'open') tasks.push({ ...item, kind: 'open' });
			else if (daysBetween(p.deadline, today) <= LATE_WINDOW_DAYS)
				tasks.push({ ...item, kind: 'late' });
		}
	}
	const byDeadline = (a, b) => String(a.p.deadline).localeCompare(String(b.p.deadline)) ||
	    String(a.form).localeCompare(String(b.form));
	/* Late ones newest first: the month just missed is the one chased. */
	tasks.sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] ||
	    (a.kind === 'late' ? byDeadline(b, a) : byDeadline(a, b)));
	done.sort((a, b) => byDeadline(b, a));
	return { tasks, done };
}

function deadlineText(t, today) {
	const base = 'Hạn nộp ' + fmtDate(t.p.deadline);
	if (t.p.state === 'open') {
		const note = deadlineNote(t.p, today);
		return { text: base + (note ? ' — ' + note.text : ''), cls: note ? note.cls : '' };
	}
	const n = daysBetween(t.p.deadline, today);
	return {
		text: base + ' — đã quá hạn' + (n > 0 ? ' ' + fmtNumber(n) + ' ngày' : ''),
		cls: 'is-late',
	};
}

const ACTION_TEXT = {
	returned: 'Sửa và nộp lại',
	open: 'Nhập và nộp báo cáo',
	late: 'Nộp báo cáo (muộn)',
};

function taskItem(t, today) {
	const when = deadlineText(t, today);
	const title = formLabel(t.form) + ' — ' + t.p.name;
	const action = t.kind === 'open' && t.status === 'draft' ? 'Tiếp tục nhập và nộp' : ACTION_TEXT[t.kind];
	const reason = t.r && t.r.reason ? String(t.r.reason) : '';
	return h('li', {
		class: ['task', 'is-' + t.kind], 'data-kind': t.kind, 'data-period': t.p.code,
		'data-form': t.form,
	},
	h('a', { class: 'task-link', href: reportHref(unitCode, t.p.code, t.form) },
		h('span', { class: 'task-title' }, title),
		h('span', { class: 'task-action' }, action)),
	h('p', { class: ['task-when', when.cls] }, when.text),
	t.kind === 'returned' ? h('p', { class: 'task-reason' },
		h('strong', null, 'Lý do trả lại: '),
		reason || 'Văn phòng Sở không ghi lý do; mở báo cáo để xem nhận xét từng chỉ tiêu.') : null);
}

const GROUPS = [
	{ kind: 'returned', title: 'Bị trả lại — cần sửa và nộp lại' },
	{ kind: 'open', title: 'Đang mở — cần nộp' },
	{ kind: 'late', title: 'Quá hạn — chưa nộp' },
];

function taskGroups(tasks, today) {
	return GROUPS.map((g) => {
		const mine = tasks.filter((t) => t.kind === g.kind);
		if (!mine.length) return null;
		const id = 'tasks-' + g.kind;
		return h('section', { class: 'task-group', 'aria-labelledby': id + '-title', id },
			h('h2', { id: id + '-title' }, g.title + ' (' + fmtNumber(mine.length) + ')'),
			h('ul', { class: 'task-list' }, mine.map((t) => taskItem(t, today))));
	});
}

function doneItem(d) {
	return h('li', { 'data-period': d.p.code, 'data-form': d.form },
		h('a', { href: reportHref(unitCode, d.p.code, d.form) },
			formLabel(d.form) + ' — ' + d.p.name),
		' ', badge(statusLabel(d.status), 'ok'),
		d.r && d.r.late ? badge('Nộp muộn', 'err') : null,
		d.r && d.r.submitted_at
			? h('span', { class: 'cell-sub' }, 'Nộp lúc ' + fmtDateTime(d.r.submitted_at)) : null);
}

function renderTasks(periods) {
	const today = todayVN();
	const { tasks, done } = classify(periods, today);
	const box = byId('tasks');
	fill(box,
		tasks.length ? null : h('p', { class: 'alert alert-success', id: 'tasks-none' },
			'Đơn vị không còn báo cáo nào phải nộp hoặc sửa. Kỳ tiếp theo sẽ hiện ở đây khi ' +
			'đến thời gian nộp.'),
		taskGroups(tasks, today),
		h('details', { class: 'task-done', id: 'done-box' },
			h('summary', null, 'Các kỳ đã xong (' + fmtNumber(done.length) + ' báo cáo đã nộp)'),
			done.length ? h('ul', { class: 'form-status-list task-done-list' }, done.map(doneItem))
				: h('p', { class: 'muted' }, 'Chưa có báo cáo nào đã nộp trong năm nay và năm trước.')));
	box.hidden = false;
}

async function loadTasks() {
	const year = currentYearVN();
	try {
		const [last, now] = await Promise.all([periodsOf(year - 1), periodsOf(year)]);
		renderTasks(last.concat(now));
	} catch (e) {
		showError(e);
	}
}

/*
 * The unit's page: the task list on top, the year's calendar folded
 * below it (it is there to look up a date, not to find the work).
 */
function setupTaskPage() {
	byId('page-title').textContent = 'Việc cần làm';
	document.title = 'Việc cần làm — Cổng báo cáo Sở Y tế Thanh Hóa';
	const cal = byId('calendar');
	const fold = h('details', { class: 'calendar-fold', id: 'calendar-fold' },
		h('summary', null, 'Lịch báo cáo cả năm'));
	cal.before(fold);
	fold.append(cal);
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
	taskMode = isUnit && files && unitCode !== '';
	byId('intro').textContent = introText(session.user, info, files);
	if (isUnit && !files) showFiler(info);
	if (taskMode) setupTaskPage();
	const year = setupYearSelect(byId('year'), load);
	await Promise.all([load(year), taskMode ? loadTasks() : null]);
}

main();
