/*
 * Thông báo đã gửi (office, admin): the e-mails the portal queued, newest
 * first, 200 at a time (GET /api/v1/notifications?status=&kind=&before=),
 * each a card with its recipient, status, attempts and, when it could
 * not be sent, why; and the units whose focal point turned reminders off,
 * with who did and when (from GET /api/v1/contacts).
 */
import {
	api, h, fill, byId, initPage, showError, setBusy, badge, fmtDateTime,
	fmtNumber, matchesQuery, debounce, roleLabel,
} from './app.js';

const STAFF = ['office', 'admin'];

const KIND_LABELS = Object.freeze({
	returned: 'Trả lại báo cáo',
	accepted: 'Duyệt báo cáo',
	reopened: 'Mở lại báo cáo',
	reminder: 'Nhắc hạn nộp',
	late_digest: 'Tổng hợp hằng ngày',
});

const STATUS = Object.freeze({
	queued: ['Đang chờ gửi', 'warn'],
	sent: ['Đã gửi', 'ok'],
	failed: ['Không gửi được', 'err'],
});

const state = {
	notices: [],
	more: false,		/* the server may have older ones */
	loading: false,
};

function fact(label, value) {
	if (value === null || value === undefined || value === '') return null;
	return [h('dt', null, label), h('dd', null, value)];
}

function card(n) {
	const [label, kind] = STATUS[n.status] || [n.status, null];
	const to = n.to ? (n.to_name ? n.to_name + ' <' + n.to + '>' : n.to)
		: h('span', { class: 'muted' }, 'không có địa chỉ');
	const facts = [
		fact('Gửi tới', to),
		fact('Đơn vị', n.unit ? n.unit + (n.period ? ', kỳ ' + n.period : '') +
			(n.form ? ', ' + n.form : '') : null),
		fact('Tạo lúc', fmtDateTime(n.created_at)),
		fact('Gửi lúc', n.sent_at ? fmtDateTime(n.sent_at) : null),
		fact('Thử lại lúc', n.next_attempt_at && n.attempts > 0
			? fmtDateTime(n.next_attempt_at) : null),
		fact('Số lần gửi', n.attempts ? fmtNumber(n.attempts) : null),
	].filter(Boolean).flat();
	return h('li', { class: ['notice-card', 'is-' + n.status], 'data-id': String(n.id) },
		h('div', null, badge(label, kind), badge(KIND_LABELS[n.kind] || n.kind, 'info')),
		h('h3', { class: 'notice-subject' }, n.subject || '(không có tiêu đề)'),
		h('dl', { class: 'notice-facts' }, facts),
		n.error ? h('p', { class: 'notice-error' }, n.error) : null);
}

function shown() {
	const text = byId('filter-text').value;
	return state.notices.filter((n) =>
		matchesQuery(text, n.unit, n.to, n.to_name, n.subject, n.period));
}

function render() {
	const list = shown();
	const area = byId('notices');
	if (!list.length) {
		fill(area, h('p', { class: 'muted' }, state.notices.length
			? 'Không có thư nào khớp nội dung tìm.'
			: 'Chưa có thư nào ở tình trạng và loại đã chọn.'));
	} else {
		fill(area, h('ul', { class: 'notice-list', 'aria-label': 'Các thư' },
			list.map(card)));
	}
	area.setAttribute('aria-busy', 'false');
	const failed = state.notices.filter((n) => n.status === 'failed').length;
	byId('notices-count').textContent = 'Hiển thị ' + fmtNumber(list.length) +
		' / ' + fmtNumber(state.notices.length) + ' thư đã tải' +
		(failed ? '; ' + fmtNumber(failed) + ' thư không gửi được.' : '.');
	byId('more').hidden = !state.more;
}

function query(before) {
	const q = new URLSearchParams();
	const status = byId('filter-status').value;
	const kind = byId('filter-kind').value;
	if (status) q.set('status', status);
	if (kind) q.set('kind', kind);
	if (before) q.set('before', String(before));
	const s = q.toString();
	return '/api/v1/notifications' + (s ? '?' + s : '');
}

/* The first page again (a filter changed), or the next older one. */
async function load(older) {
	if (state.loading) return;
	state.loading = true;
	const more = byId('more');
	const area = byId('notices');
	area.setAttribute('aria-busy', 'true');
	if (older) {
		setBusy(more, true, 'Đang tải thư cũ hơn…');
	} else {
		fill(area, h('p', { class: 'loading' }, 'Đang tải danh sách thư…'));
	}
	try {
		const last = state.notices.length ? state.notices[state.notices.length - 1].id : null;
		const rows = await api('GET', query(older ? last : null));
		const got = Array.isArray(rows) ? rows : [];
		state.notices = older ? state.notices.concat(got) : got;
		state.more = got.length === 200;
		render();
	} catch (e) {
		area.setAttribute('aria-busy', 'false');
		if (!older) fill(area);
		showError(e);
	} finally {
		state.loading = false;
		setBusy(more, false);
	}
}

function optoutCard(c) {
	const who = c.reminders_off_by
		? c.reminders_off_by + (c.reminders_off_role ? ' (' + roleLabel(c.reminders_off_role) + ')' : '')
		: 'không rõ';
	return h('li', { class: 'notice-card' },
		h('h3', { class: 'notice-subject' }, (c.unit_name || c.unit) + ' (' + c.unit + ')'),
		h('dl', { class: 'notice-facts' }, [
			fact('Tắt bởi', who),
			fact('Lúc', fmtDateTime(c.reminders_off_at)),
			fact('Đầu mối', c.name ? c.name + (c.email ? ', ' + c.email : '') : null),
		].filter(Boolean).flat()));
}

async function loadOptouts() {
	const area = byId('optouts');
	try {
		const contacts = await api('GET', '/api/v1/contacts');
		const off = (Array.isArray(contacts) ? contacts : []).filter((c) => c.reminders === false);
		fill(area, off.length
			? h('ul', { class: 'notice-list', 'aria-label': 'Đơn vị đã tắt thư nhắc hạn' }, off.map(optoutCard))
			: h('p', { class: 'muted' }, 'Chưa đơn vị nào tắt thư nhắc hạn.'));
	} catch (e) {
		fill(area);
		showError(e, { append: true });
	} finally {
		area.setAttribute('aria-busy', 'false');
	}
}

async function main() {
	const session = await initPage({ roles: STAFF });
	if (!session) return;
	byId('filter-status').addEventListener('change', () => load(false));
	byId('filter-kind').addEventListener('change', () => load(false));
	byId('filter-text').addEventListener('input', debounce(render, 150));
	byId('more').addEventListener('click', () => load(true));
	await Promise.all([load(false), loadOptouts()]);
}

main();
