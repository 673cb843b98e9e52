/*
 * Đề cương báo cáo: the versions of each form, and (admin) a new version
 * loaded from a JSON file: checked first (a dry run: every problem with
 * where it is in the file, or the differences against the version
 * before), then activated from its first period.  Nothing typed or chosen
 * is lost on a refusal: the file and the period stay as they were.
 *
 * GET  /api/v1/forms/{form}/versions
 * GET  /api/v1/forms/{form}/versions/{n}
 * POST /api/v1/forms/{form}/versions?first_period=CODE[&dry_run=1]
 */
import {
	api, h, fill, byId, initPage, showMessage, showError, clearMessages,
	setBusy, setFieldError, clearFieldErrors, tableWrap, emptyRow, badge,
	fmtDateTime, fmtNumber, queryParam, setQueryParam, downloadBlob,
} from './app.js';
import { periodLabel, versionText } from './outline-view.js';

const enc = encodeURIComponent;
const FILE_MAX = 256 * 1024;
const PERIOD_RE = /^\d{4}-(0[1-9]|1[0-2]|H1|Y)$/;

const S = {
	role: '',
	form: 'PL1',
	versions: [],
	text: null,		/* the file as read */
	name: '',
	checked: null,		/* {text, first, answer} of the last dry run */
	seq: 0,
};

/* ------------------------------------------------------------------ */
/* The versions                                                       */
/* ------------------------------------------------------------------ */

function downloadButton(v) {
	return h('button', {
		type: 'button', class: 'btn btn-small btn-secondary', 'data-download': String(v.version),
		'aria-label': 'Tải JSON của phiên bản ' + v.version,
		onClick: (ev) => download(v, ev.currentTarget),
	}, 'Tải JSON');
}

function versionRow(v) {
	return h('tr', { 'data-version': String(v.version), class: v.in_force ? 'is-open' : null },
		h('td', null, h('strong', null, 'Phiên bản ' + v.version),
			v.in_force ? h('span', { class: 'cell-sub' }, badge('Đang áp dụng', 'ok')) : null,
			h('span', { class: 'cell-sub' }, v.title || '')),
		h('td', null, 'Từ ' + periodLabel(v.first_period),
			h('span', { class: 'cell-sub' }, v.until ? 'đến trước ' + periodLabel(v.until) : 'về sau')),
		h('td', null, fmtDateTime(v.loaded_at),
			h('span', { class: 'cell-sub' }, v.loaded_by ? 'bởi ' + v.loaded_by : 'tệp forms/ hoặc dữ liệu mẫu')),
		h('td', null, downloadButton(v)));
}

function renderVersions() {
	const cols = ['Phiên bản', 'Áp dụng', 'Nạp lúc', 'Tệp'];
	const rows = S.versions.length ? S.versions.map(versionRow)
		: [emptyRow(cols.length, 'Chưa có phiên bản nào.')];
	fill(byId('versions'), tableWrap(h('table', { id: 'versions-table' },
		h('caption', { class: 'visually-hidden' }, 'Các phiên bản đề cương ' + S.form),
		h('thead', null, h('tr', null, cols.map((c) => h('th', { scope: 'col' }, c)))),
		h('tbody', null, rows)), 'Các phiên bản đề cương ' + S.form));
}

async function loadVersions() {
	const seq = ++S.seq;
	const box = byId('versions');
	box.setAttribute('aria-busy', 'true');
	fill(box, h('p', { class: 'progress' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }),
		'Đang tải các phiên bản…'));
	try {
		const list = await api('GET', '/api/v1/forms/' + enc(S.form) + '/versions');
		if (seq !== S.seq) return;
		S.versions = Array.isArray(list) ? list : [];
		renderVersions();
	} catch (e) {
		if (seq !== S.seq) return;
		fill(box);
		showError(e);
	} finally {
		if (seq === S.seq) box.removeAttribute('aria-busy');
	}
}

/* The definition as loaded, to edit into the next version. */
async function download(v, button) {
	setBusy(button, true, 'Đang tải…');
	try {
		const def = await api('GET', '/api/v1/forms/' + enc(S.form) + '/versions/' + enc(v.version));
		delete def.version;
		delete def.first_period;
		downloadBlob(new Blob([JSON.stringify(def, null, '\t') + '\n'], { type: 'application/json' }),
			S.form + '-phien-ban-' + v.version + '.json');
	} catch (e) {
		showError(e);
	} finally {
		setBusy(button, false);
	}
}

/* ------------------------------------------------------------------ */
/* A new version                                                      */
/* ------------------------------------------------------------------ */

function readFile(file) {
	return new Promise((resolve, reject) => {
		const r = new FileReader();
		r.onload = () => resolve(String(r.result));
		r.onerror = () => reject(r.error);
		r.readAsText(file, 'utf-8');
	});
}

function firstPeriod() {
	return byId('upload-first').value.trim().toUpperCase().replace(/-(H1|Y)$/i, (m) => m.toUpperCase());
}

function uploadPath(first, dry) {
	return '/api/v1/forms/' + enc(S.form) + '/versions?first_period=' + enc(first) +
	    (dry ? '&dry_run=1' : '');
}

/* Every problem with where it is: the part of the file, or the period. */
function problemList(details) {
	const items = (details || []).map((d) => h('li', { 'data-where': d.where || '' },
		d.where ? h('code', null, d.where === 'first_period' ? 'Áp dụng từ kỳ' : d.where) : null,
		d.where ? ': ' : null, d.message || ''));
	return h('ol', { class: 'problems', id: 'upload-problems' }, items);
}

function showProblems(e) {
	const n = Array.isArray(e.details) ? e.details.length : 0;
	fill(byId('upload-result'), h('div', { class: 'alert alert-error', role: 'alert' },
		h('p', { class: 'alert-title' }, e.message),
		n ? h('p', null, fmtNumber(n) + ' lỗi; mỗi lỗi kèm vị trí trong tệp (phần, mục, kiểm tra):') : null,
		n ? problemList(e.details) : null));
	if ((e.details || []).some((d) => d.where === 'first_period'))
		setFieldError(byId('upload-first'), 'Xem lỗi về kỳ bắt đầu bên dưới.');
}

function diffRows(list, kind, key) {
	return list.map((x) => h('tr', { 'data-diff': kind, 'data-code': x[key] },
		h('td', null, badge(kind === 'added' ? 'Thêm' : kind === 'removed' ? 'Bỏ' : 'Sửa',
			kind === 'added' ? 'ok' : kind === 'removed' ? 'err' : 'warn')),
		h('td', null, h('code', null, x[key])),
		h('td', null, x.label || x.message || '',
			x.section ? h('span', { class: 'cell-sub' }, 'Mục ' + x.section) : null,
			x.fields ? h('span', { class: 'cell-sub' }, 'Thay đổi: ' + x.fields.join(', ')) : null)));
}

function diffTable(answer, part, key, title) {
	const rows = ['added', 'removed', 'changed'].flatMap((k) =>
		diffRows(((answer[k] || {})[part]) || [], k, key));
	if (!rows.length) return h('p', { class: 'muted small' }, title + ': không thay đổi.');
	return tableWrap(h('table', { class: 'diff-table', 'data-part': part },
		h('caption', null, title),
		h('thead', null, h('tr', null, ['', 'Mã', 'Nội dung'].map((c) => h('th', { scope: 'col' }, c)))),
		h('tbody', null, rows)), title);
}

function noChange(answer) {
	return answer.previous && ['added', 'removed', 'changed'].every((k) =>
		['items', 'lists', 'checks'].every((p) => !(((answer[k] || {})[p]) || []).length));
}

function showDiff(answer, first) {
	const prev = answer.previous;
	const activate = h('button', { type: 'button', class: 'btn', id: 'upload-activate' },
		'Kích hoạt phiên bản ' + answer.version + ' từ ' + periodLabel(first));
	activate.addEventListener('click', () => activateVersion(activate));
	fill(byId('upload-result'),
		h('div', { class: 'alert alert-success', role: 'status' },
			h('p', { class: 'alert-title' }, 'Tệp hợp lệ: chưa có gì được lưu.'),
			h('p', null, '“' + (answer.title || '') + '”: ' + fmtNumber(answer.items) + ' mục, ' +
			    fmtNumber(answer.lists) + ' danh sách, ' + fmtNumber(answer.checks) + ' kiểm tra. ' +
			    'Sẽ là ' + versionText(answer.version, first) +
			    (prev ? '; so với phiên bản ' + prev.version + ' (áp dụng từ ' +
			        periodLabel(prev.first_period) + '):' : '.'))),
		noChange(answer) ? h('p', { class: 'alert alert-warning', role: 'note' }, 'Tệp không khác gì ' +
		    'phiên bản trước: kích hoạt chỉ thêm một phiên bản giống hệt.') : null,
		diffTable(answer, 'items', 'code', 'Các mục'),
		diffTable(answer, 'lists', 'code', 'Các danh sách'),
		diffTable(answer, 'checks', 'rule', 'Các kiểm tra'),
		h('p', { class: 'small' }, 'Báo cáo các kỳ trước ' + periodLabel(first) + ' giữ nguyên đề cương ' +
		    'đã lập; từ ' + periodLabel(first) + ' các đơn vị báo cáo theo phiên bản mới.'),
		h('div', { class: 'actions' }, activate));
}

async function checkUpload(ev) {
	ev.preventDefault();
	clearMessages();
	clearFieldErrors(byId('upload-form'));
	fill(byId('upload-result'));
	const fileInput = byId('upload-file');
	const file = fileInput.files && fileInput.files[0];
	const first = firstPeriod();
	let bad = false;
	if (!file) {
		setFieldError(fileInput, 'Chọn tệp đề cương (.json).');
		bad = true;
	} else if (file.size > FILE_MAX) {
		setFieldError(fileInput, 'Tệp lớn hơn 256 KiB; chỉ giữ những gì đề cương cần.');
		bad = true;
	}
	if (!PERIOD_RE.test(first)) {
		setFieldError(byId('upload-first'), 'Nhập mã kỳ, ví dụ 2026-01, 2026-H1 hoặc 2026-Y.');
		bad = true;
	}
	if (bad) return;
	const button = byId('upload-check');
	setBusy(button, true, 'Đang kiểm tra…');
	fill(byId('upload-status'), h('p', { class: 'progress' },
		h('span', { class: 'spinner', 'aria-hidden': 'true' }), 'Đang đọc và kiểm tra tệp…'));
	try {
		const text = await readFile(file);
		const answer = await api('POST', uploadPath(first, true), null,
			{ rawBody: text, contentType: 'application/json; charset=utf-8' });
		S.checked = { text, first, answer };
		showDiff(answer, first);
	} catch (e) {
		S.checked = null;
		if (e && e.status && (e.status === 400 || e.status === 413 || e.status === 422))
			showProblems(e);
		else
			showError(e);
	} finally {
		fill(byId('upload-status'));
		setBusy(button, false);
	}
}

async function activateVersion(button) {
	const c = S.checked;
	if (!c) return;
	if (!window.confirm('Kích hoạt ' + versionText(c.answer.version, c.first) + ' cho ' + S.form +
	    '? Phiên bản đã lưu không sửa được; muốn đổi thì nạp phiên bản tiếp theo.'))
		return;
	setBusy(button, true, 'Đang kích hoạt…');
	try {
		const r = await api('POST', uploadPath(c.first, false), null,
			{ rawBody: c.text, contentType: 'application/json; charset=utf-8' });
		S.checked = null;
		fill(byId('upload-result'));
		byId('upload-form').reset();
		showMessage('Đã kích hoạt ' + versionText(r.version, r.first_period) + ' cho ' + S.form +
		    '. Mọi máy chủ dùng phiên bản này ngay, không cần khởi động lại.', 'success');
		await loadVersions();
	} catch (e) {
		setBusy(button, false);
		if (e && (e.status === 422 || e.status === 409)) showProblems(e);
		else showError(e);
	}
}

/* A changed file or period needs a new check before activating. */
function invalidate() {
	if (!S.checked) return;
	S.checked = null;
	fill(byId('upload-result'), h('p', { class: 'muted small' },
		'Tệp hoặc kỳ đã đổi: bấm “Kiểm tra và xem khác biệt” lại.'));
}

async function main() {
	const session = await initPage({ roles: ['admin', 'office'] });
	if (!session) return;
	S.role = session.user.role;
	const sel = byId('form');
	const q = (queryParam('form') || '').toUpperCase();
	if (q === 'PL1' || q === 'PL2') sel.value = q;
	S.form = sel.value;
	sel.addEventListener('change', () => {
		S.form = sel.value;
		setQueryParam('form', S.form === 'PL1' ? null : S.form);
		invalidate();
		loadVersions();
	});
	const upload = byId('upload-form').closest('section');
	if (S.role !== 'admin') {
		upload.replaceChildren(h('p', { class: 'muted small' },
		    'Chỉ quản trị viên nạp phiên bản đề cương mới.'));
	} else {
		byId('upload-form').addEventListener('submit', checkUpload);
		byId('upload-file').addEventListener('change', invalidate);
		byId('upload-first').addEventListener('input', invalidate);
	}
	await loadVersions();
}

main();
