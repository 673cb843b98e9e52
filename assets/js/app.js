/*
 * Shared by every page: the API client, the one DOM builder, formatting
 * helpers, labels, the page header and the message area.
 *
 * Rule of the house: data never becomes markup through innerHTML.  Text
 * goes through h() (textContent / createTextNode) and nothing else.
 */
import { forgetUser, pendingCount } from './report-offline.js';

export const PORTAL_TITLE =
	'Cổng báo cáo chuyển đổi số và Đề án 06 — Sở Y tế Thanh Hóa';

export const NETWORK_MESSAGE =
	'Không kết nối được máy chủ. Dữ liệu chưa được gửi; vui lòng thử lại.';

/* UTC+7, no daylight saving: Asia/Ho_Chi_Minh. */
const VN_OFFSET_MS = 7 * 3600 * 1000;
const DAY_MS = 86400 * 1000;

/* The CSRF token and the session live in memory only, never in storage. */
let csrfToken = null;
let currentSession = null;

/* ------------------------------------------------------------------ */
/* Labels                                                             */
/* ------------------------------------------------------------------ */

export const STATUS_LABELS = Object.freeze({
	draft: 'Bản nháp',
	submitted: 'Đã nộp',
	returned: 'Bị trả lại',
	accepted: 'Đã duyệt',
	not_started: 'Chưa bắt đầu',
});

export const ROLE_LABELS = Object.freeze({
	unit: 'Đơn vị',
	office: 'Văn phòng Sở',
	viewer: 'Ban chỉ đạo (theo dõi)',
	admin: 'Quản trị hệ thống',
});

export const STATE_LABELS = Object.freeze({
	upcoming: 'Chưa đến kỳ',
	open: 'Đang mở',
	closed: 'Đã hết hạn',
});

export const FORM_LABELS = Object.freeze({
	PL1: 'Phụ lục 1',
	PL2: 'Phụ lục 2',
});

export function statusLabel(status) {
	if (!status) return STATUS_LABELS.not_started;
	return STATUS_LABELS[status] || status;
}

export function roleLabel(role) {
	return ROLE_LABELS[role] || role || '';
}

export function stateLabel(state) {
	return STATE_LABELS[state] || state || '';
}

export function formLabel(form) {
	return FORM_LABELS[form] || form || '';
}

/* ------------------------------------------------------------------ */
/* The DOM builder: the only place data turns into nodes              */
/* ------------------------------------------------------------------ */

const BOOLEAN_PROPS = new Set([
	'hidden', 'disabled', 'checked', 'selected', 'required', 'readOnly',
	'readonly', 'multiple', 'open', 'autofocus', 'indeterminate',
]);

const FORBIDDEN_ATTRS = new Set([
	'style', 'innerhtml', 'outerhtml', 'srcdoc',
]);

function setAttr(el, key, value) {
	if (value === undefined || value === null || value === false) {
		if (BOOLEAN_PROPS.has(key)) el[key === 'readonly' ? 'readOnly' : key] = false;
		return;
	}
	const lower = key.toLowerCase();
	if (FORBIDDEN_ATTRS.has(lower))
		throw new Error('h(): thuộc tính "' + key + '" không được phép');
	if (lower.startsWith('on')) {
		if (typeof value !== 'function')
			throw new Error('h(): sự kiện "' + key + '" phải là hàm');
		el.addEventListener(lower.slice(2), value);
		return;
	}
	if (key === 'class' || key === 'className') {
		el.className = Array.isArray(value) ? value.filter(Boolean).join(' ') : String(value);
		return;
	}
	if (key === 'for' || key === 'htmlFor') {
		el.htmlFor = String(value);
		return;
	}
	if (key === 'value') {
		el.value = String(value);
		return;
	}
	if (key === 'text') {
		el.textContent = String(value);
		return;
	}
	if (BOOLEAN_PROPS.has(key)) {
		el[key === 'readonly' ? 'readOnly' : key] = Boolean(value);
		return;
	}
	if (key === 'href' || key === 'src' || key === 'action') {
		const v = String(value);
		if (/^\s*javascript:/i.test(v))
			throw new Error('h(): địa chỉ javascript: không được phép');
	}
	el.setAttribute(key, value === true ? '' : String(value));
}

function appendChild(el, child) {
	if (child === undefined || child === null || child === false || child === true)
		return;
	if (Array.isArray(child)) {
		for (const c of child) appendChild(el, c);
		return;
	}
	if (child instanceof Node) {
		el.appendChild(child);
		return;
	}
	el.appendChild(document.createTextNode(String(child)));
}

/**
 * h('a', {href: '/', class: 'x', onClick: fn}, 'text', otherNode, [more])
 * Text is always a text node; there is no way to pass markup.
 */
export function h(tag, attrs, ...children) {
	const el = document.createElement(tag);
	if (attrs) {
		for (const [k, v] of Object.entries(attrs)) setAttr(el, k, v);
	}
	appendChild(el, children);
	return el;
}

/* Replace all children of el with the given nodes / text. */
export function fill(el, ...children) {
	el.replaceChildren();
	appendChild(el, children);
	return el;
}

export function byId(id) {
	return document.getElementById(id);
}

/* A table inside a horizontally scrollable, keyboard-focusable region. */
export function tableWrap(table, label) {
	return h('div', {
		class: 'table-wrap', role: 'region', 'aria-label': label, tabindex: '0',
	}, table);
}

/*
 * A table that becomes cards on a telephone (table.cards in app.css):
 * each body and footer cell gets its column's heading as data-label,
 * shown before its value once the header row is out of sight.
 */
export function cardLabels(table) {
	const heads = [];
	for (const th of table.querySelectorAll('thead tr:last-child th')) {
		const span = Number(th.getAttribute('colspan')) || 1;
		for (let i = 0; i < span; i++) heads.push(th.textContent.trim());
	}
	for (const tr of table.querySelectorAll('tbody tr, tfoot tr')) {
		let col = 0;
		for (const cell of tr.children) {
			const span = Number(cell.getAttribute('colspan')) || 1;
			if (span === 1 && heads[col] && !cell.hasAttribute('data-label'))
				cell.setAttribute('data-label', heads[col]);
			col += span;
		}
	}
	table.classList.add('cards');
	return table;
}

export function emptyRow(colspan, text) {
	return h('tr', null, h('td', { class: 'empty', colspan: String(colspan) }, text));
}

export function badge(text, kind) {
	return h('span', { class: ['badge', kind ? 'badge-' + kind : ''] }, text);
}

/* ------------------------------------------------------------------ */
/* Formatting                                                         */
/* ------------------------------------------------------------------ */

function pad2(n) {
	return String(n).padStart(2, '0');
}

/* "2023-07-15T03:04:05.123456+00:00" (PostgreSQL JSON) → ms, or NaN. */
export function parseTimestamp(ts) {
	if (ts === null || ts === undefined || ts === '') return NaN;
	let s = String(ts).trim().replace(' ', 'T');
	s = s.replace(/(\.\d{3})\d+/, '$1');	/* microseconds → ms */
	s = s.replace(/([+-]\d{2})$/, '$1:00');	/* "+07" → "+07:00" */
	s = s.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
	if (/^\d{4}-\d{2}-\d{2}$/.test(s)) s += 'T00:00:00+07:00';
	return Date.parse(s);
}

/* Fields of a moment as seen on a wall clock in Việt Nam. */
function vnParts(ms) {
	const d = new Date(ms + VN_OFFSET_MS);
	return {
		y: d.getUTCFullYear(), m: d.getUTCMonth() + 1, d: d.getUTCDate(),
		hh: d.getUTCHours(), mi: d.getUTCMinutes(),
	};
}

/* "2023-07-15" → "15/07/2023"; a timestamp → its date in UTC+7. */
export function fmtDate(value) {
	if (value === null || value === undefined || value === '') return '';
	const s = String(value);
	const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
	if (m) return m[3] + '/' + m[2] + '/' + m[1];
	const ms = parseTimestamp(s);
	if (Number.isNaN(ms)) return s;
	const p = vnParts(ms);
	return pad2(p.d) + '/' + pad2(p.m) + '/' + p.y;
}

/* A timestamp → "15/07/2023 10:05" (giờ Việt Nam). */
export function fmtDateTime(value) {
	if (value === null || value === undefined || value === '') return '';
	const ms = parseTimestamp(value);
	if (Number.isNaN(ms)) return String(value);
	const p = vnParts(ms);
	return pad2(p.d) + '/' + pad2(p.m) + '/' + p.y + ' ' + pad2(p.hh) + ':' + pad2(p.mi);
}

/* 1234567.5 → "1.234.567,5" (Vietnamese grouping and decimal comma). */
export function fmtNumber(value, fractionDigits) {
	if (value === null || value === undefined || value === '') return '';
	const n = Number(value);
	if (!Number.isFinite(n)) return String(value);
	let text;
	if (fractionDigits === undefined) {
		text = Number.isInteger(n) ? Math.abs(n).toFixed(0)
			: String(Math.round(Math.abs(n) * 100) / 100);
	} else {
		text = Math.abs(n).toFixed(fractionDigits);
	}
	let [intPart, frac] = text.split('.');
	intPart = intPart.replace(/\B(?=(\d{3})+(?!\d))/g, '.');
	const sign = n < 0 && Number(text) !== 0 ? '-' : '';
	return sign + intPart + (frac ? ',' + frac : '');
}

/* Today in Việt Nam as "YYYY-MM-DD". */
export function todayVN() {
	const p = vnParts(Date.now());
	return p.y + '-' + pad2(p.m) + '-' + pad2(p.d);
}

export function currentYearVN() {
	return vnParts(Date.now()).y;
}

/* Whole days from date a to date b (both "YYYY-MM-DD"). */
export function daysBetween(a, b) {
	const pa = /^(\d{4})-(\d{2})-(\d{2})$/.exec(a);
	const pb = /^(\d{4})-(\d{2})-(\d{2})$/.exec(b);
	if (!pa || !pb) return NaN;
	const ta = Date.UTC(+pa[1], +pa[2] - 1, +pa[3]);
	const tb = Date.UTC(+pb[1], +pb[2] - 1, +pb[3]);
	return Math.round((tb - ta) / DAY_MS);
}

/* Lower case, no diacritics, đ → d: for searching Vietnamese text. */
export function normalizeText(s) {
	return String(s ?? '')
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.replace(/đ/g, 'd')
		.replace(/Đ/g, 'D')
		.toLowerCase()
		.trim();
}

/* True when every word of the query appears in one of the texts. */
export function matchesQuery(query, ...texts) {
	const q = normalizeText(query);
	if (!q) return true;
	const hay = normalizeText(texts.filter((t) => t !== null && t !== undefined).join(' '));
	return q.split(/\s+/).every((w) => hay.includes(w));
}

export function debounce(fn, ms = 200) {
	let t = null;
	return (...args) => {
		clearTimeout(t);
		t = setTimeout(() => fn(...args), ms);
	};
}

/* ------------------------------------------------------------------ */
/* The API client                                                     */
/* ------------------------------------------------------------------ */

export class ApiError extends Error {
	constructor(status, code, message, details = null) {
		super(message);
		this.name = 'ApiError';
		this.status = status;
		this.code = code;
		this.details = details;
		this.redirecting = false;
	}
}

function fallbackMessage(status) {
	if (status === 413)
		return 'Dữ liệu gửi lên quá lớn. Dữ liệu chưa được lưu.';
	if (status === 502 || status === 503 || status === 504)
		return 'Máy chủ tạm thời không phản hồi. Dữ liệu chưa được lưu; ' +
		    'vui lòng thử lại sau ít phút.';
	return 'Máy chủ báo lỗi (mã ' + status + '). Dữ liệu chưa được lưu; ' +
	    'vui lòng thử lại hoặc báo cho quản trị viên.';
}

function isJson(res) {
	return (res.headers.get('content-type') || '').toLowerCase().includes('json');
}

async function readError(res) {
	let body = null;
	if (isJson(res)) {
		try {
			body = await res.json();
		} catch (e) {
			body = null;
		}
	}
	const err = body && body.error ? body.error : null;
	if (err && typeof err.message === 'string' && err.message)
		return new ApiError(res.status, err.code || 'error', err.message,
		    err.details ?? null);
	return new ApiError(res.status, (err && err.code) || 'http_' + res.status,
	    fallbackMessage(res.status), err ? err.details ?? null : null);
}

/* attachment; filename="tai-khoan-20230715.xlsx" → the name. */
export function filenameFrom(disposition, fallback) {
	if (!disposition) return fallback;
	const star = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(disposition);
	if (star) {
		try {
			return decodeURIComponent(star[1].trim());
		} catch (e) { /* fall through */ }
	}
	const plain = /filename\s*=\s*"([^"]*)"|filename\s*=\s*([^;]+)/i.exec(disposition);
	const name = plain ? (plain[1] ?? plain[2] ?? '').trim() : '';
	/* Never let a header pick a path: keep only the last component. */
	const base = name.split(/[\\/]/).pop();
	return base || fallback;
}

async function readOk(res, opts) {
	if (res.status === 204) return null;
	if (opts.expect === 'blob' && !isJson(res)) {
		const blob = await res.blob();
		return {
			blob,
			type: res.headers.get('content-type') || blob.type,
			filename: filenameFrom(res.headers.get('content-disposition'),
			    opts.filename || 'tai-ve'),
		};
	}
	const text = await res.text();
	if (text === '') return null;
	try {
		return JSON.parse(text);
	} catch (e) {
		throw new ApiError(res.status, 'bad_response',
		    'Máy chủ trả lời không đúng định dạng. Vui lòng thử lại hoặc ' +
		    'báo cho quản trị viên.');
	}
}

function onPage(path) {
	return location.pathname === path;
}

/* /login?next=/units — to come back after signing in. */
export function loginUrl() {
	const here = location.pathname + location.search;
	if (here === '/' || onPage('/login') || onPage('/password')) return '/login';
	return '/login?next=' + encodeURIComponent(here);
}

function redirectFor(err, opts) {
	if (err.status === 401 && !opts.allow401 && !onPage('/login')) {
		err.redirecting = true;
		location.assign(loginUrl());
	} else if (err.status === 403 && err.code === 'password_change_required' &&
	    !onPage('/password')) {
		err.redirecting = true;
		location.assign('/password');
	}
}

/**
 * api(method, path, body, opts) → parsed JSON, null (204) or, with
 * opts.expect === 'blob', {blob, filename, type}.  Throws ApiError.
 *
 * opts.rawBody      an ArrayBuffer/Blob/string sent as is (body ignored)
 * opts.contentType  its Content-Type
 * opts.expect       'json' (default) or 'blob'
 * opts.allow401     do not redirect to /login on 401 (sign-in itself)
 */
export async function api(method, path, body, opts = {}) {
	const m = String(method).toUpperCase();
	const headers = {
		Accept: opts.expect === 'blob' ? '*/*' : 'application/json',
	};
	const init = { method: m, headers, credentials: 'same-origin', cache: 'no-store' };

	if (opts.rawBody !== undefined) {
		init.body = opts.rawBody;
		headers['Content-Type'] = opts.contentType || 'application/octet-stream';
	} else if (body !== undefined && body !== null) {
		init.body = JSON.stringify(body);
		headers['Content-Type'] = 'application/json; charset=utf-8';
	} else if (m === 'POST' || m === 'PUT') {
		/*
		 * Kore keeps its 10-second header timer running for a POST
		 * with an empty body, so a submit that waits behind a deadline
		 * rush could be cut off with 408: always send a body.
		 */
		init.body = '{}';
		headers['Content-Type'] = 'application/json; charset=utf-8';
	}

	if (m !== 'GET' && m !== 'HEAD') {
		if (!csrfToken && !opts.allow401) {
			try {
				await loadSession();
			} catch (e) {
				/* The write below gets its own, clearer answer. */
			}
		}
		if (csrfToken) headers['X-CSRF-Token'] = csrfToken;
	}

	let res;
	try {
		res = await fetch(path, init);
	} catch (e) {
		throw new ApiError(0, 'network', NETWORK_MESSAGE);
	}

	if (!res.ok) {
		const err = await readError(res);
		redirectFor(err, opts);
		throw err;
	}

	try {
		return await readOk(res, opts);
	} catch (e) {
		if (e instanceof ApiError) throw e;
		throw new ApiError(0, 'network', NETWORK_MESSAGE);
	}
}

/* GET /api/v1/session: the user and the CSRF token (kept in memory). */
export async function loadSession(opts = {}) {
	const s = await api('GET', '/api/v1/session', null, opts);
	setSession(s);
	return s;
}

export function setSession(s) {
	currentSession = s || null;
	csrfToken = s && s.csrf_token ? s.csrf_token : null;
}

export function getSession() {
	return currentSession;
}

export function getUser() {
	return currentSession ? currentSession.user : null;
}

/* ------------------------------------------------------------------ */
/* Messages                                                           */
/* ------------------------------------------------------------------ */

const KIND_CLASS = {
	info: 'alert',
	success: 'alert alert-success',
	error: 'alert alert-error',
	warning: 'alert alert-warning',
};

function messageArea() {
	let el = byId('messages');
	if (!el) {
		el = h('div', { id: 'messages', class: 'messages', 'aria-live': 'polite' });
		const main = document.querySelector('main') || document.body;
		main.prepend(el);
	}
	return el;
}

/* One line of error.details, whatever its shape. */
export function describeDetail(d) {
	if (d === null || d === undefined) return '';
	if (typeof d !== 'object') return String(d);
	const where = [];
	if (d.line !== undefined && d.line !== null)
		where.push(Number(d.line) > 0 ? 'Dòng ' + fmtNumber(d.line) : 'Cả file');
	if (d.column) where.push('cột “' + d.column + '”');
	if (d.field) where.push('ô “' + d.field + '”');
	const msg = d.message ? String(d.message) : JSON.stringify(d);
	return where.length ? where.join(', ') + ': ' + msg : msg;
}

/**
 * showMessage(text, kind, {target, details, append, focus})
 * kind: info | success | error | warning.  Text only, never markup.
 * details: strings, nodes, or {line, column, field, message} objects.
 */
export function showMessage(text, kind = 'info', opts = {}) {
	const area = opts.target || messageArea();
	const box = h('div', { class: KIND_CLASS[kind] || KIND_CLASS.info });
	box.append(h('p', null, text));
	if (Array.isArray(opts.details) && opts.details.length) {
		box.append(h('ul', null, opts.details.map((d) =>
			h('li', null, d instanceof Node ? d : describeDetail(d)))));
	}
	if (opts.extra) appendChild(box, opts.extra);
	if (!opts.noClose) {
		box.append(h('button', {
			type: 'button', class: 'alert-close', 'aria-label': 'Đóng thông báo',
			title: 'Đóng thông báo', onClick: () => box.remove(),
		}, '×'));
	}
	if (!opts.append) area.replaceChildren();
	area.append(box);
	if (kind === 'error' && !opts.target && box.scrollIntoView)
		box.scrollIntoView({ block: 'nearest' });
	return box;
}

/* An ApiError (or anything thrown) shown the way people need it. */
export function showError(err, opts = {}) {
	if (err && err.redirecting) return null;
	const text = (err && err.message) || NETWORK_MESSAGE;
	const details = opts.details !== undefined ? opts.details
		: (err && Array.isArray(err.details) ? err.details : null);
	if (!(err instanceof ApiError) && window.console) console.error(err);
	return showMessage(text, 'error', { ...opts, details });
}

export function clearMessages(target) {
	(target || messageArea()).replaceChildren();
}

/* A button that says what is happening and cannot be pressed twice. */
export function setBusy(button, busy, busyText) {
	if (!button) return;
	if (busy) {
		if (button.dataset.idleText === undefined)
			button.dataset.idleText = button.textContent;
		button.disabled = true;
		button.setAttribute('aria-busy', 'true');
		if (busyText) button.textContent = busyText;
	} else {
		button.disabled = false;
		button.removeAttribute('aria-busy');
		if (button.dataset.idleText !== undefined) {
			button.textContent = button.dataset.idleText;
			delete button.dataset.idleText;
		}
	}
}

/* Field-level error next to an input: aria-invalid + aria-describedby. */
export function setFieldError(input, message) {
	if (!input) return;
	const errId = input.id + '-error';
	let el = byId(errId);
	if (!el) {
		el = h('p', { id: errId, class: 'field-error', hidden: true });
		input.insertAdjacentElement('afterend', el);
	}
	const described = (input.getAttribute('aria-describedby') || '')
		.split(/\s+/).filter((x) => x && x !== errId);
	if (message) {
		el.textContent = message;
		el.hidden = false;
		input.setAttribute('aria-invalid', 'true');
		described.push(errId);
	} else {
		el.textContent = '';
		el.hidden = true;
		input.removeAttribute('aria-invalid');
	}
	if (described.length) input.setAttribute('aria-describedby', described.join(' '));
	else input.removeAttribute('aria-describedby');
}

export function clearFieldErrors(form) {
	for (const input of form.querySelectorAll('[aria-invalid="true"]'))
		setFieldError(input, null);
}

/* ------------------------------------------------------------------ */
/* Header, navigation, sign-out                                       */
/* ------------------------------------------------------------------ */

const ALL_ROLES = ['unit', 'office', 'viewer', 'admin'];

const NAV_ITEMS = [
	{ href: '/', label: 'Trang chủ', roles: ALL_ROLES },
	{ href: '/review', label: 'Duyệt báo cáo', roles: ['office'] },
	{ href: '/completeness', label: 'Tiến độ nộp', roles: ['office', 'viewer', 'admin'] },
	{ href: '/dashboard', label: 'Tổng hợp', roles: ['office', 'viewer', 'admin'] },
	{ href: '/units', label: 'Đơn vị', roles: ['office', 'admin', 'viewer'] },
	{ href: '/areas', label: 'Khu vực', roles: ['office', 'admin', 'viewer'] },
	{ href: '/contacts', label: 'Đầu mối', roles: ALL_ROLES },
	{ href: '/accounts', label: 'Tài khoản', roles: ['office', 'admin'] },
	{ href: '/tokens', label: 'Mã tích hợp', roles: ['office'] },
	{ href: '/notifications', label: 'Thông báo', roles: ['office', 'admin'] },
	{ href: '/calendar', label: 'Lịch báo cáo', roles: ['office', 'admin', 'viewer'] },
	{ href: '/outlines', label: 'Đề cương', roles: ['admin', 'office'] },
];

export function navItemsFor(role) {
	return NAV_ITEMS.filter((item) => item.roles.includes(role));
}

export async function logout(button) {
	const user = currentSession && currentSession.user ? currentSession.user.username : '';
	const unsent = pendingCount(user);
	if (unsent && !window.confirm('Trình duyệt này còn giữ số liệu chưa gửi được của ' + unsent +
	    ' báo cáo. Đăng xuất sẽ xóa các số liệu đó khỏi trình duyệt. Vẫn đăng xuất?')) return;
	setBusy(button, true, 'Đang đăng xuất…');
	try {
		await api('DELETE', '/api/v1/session', null, { allow401: true });
	} catch (e) {
		if (e.status !== 401) {
			setBusy(button, false);
			showError(e);
			return;
		}
	}
	/* Nothing typed by this account stays in the browser after it. */
	forgetUser(user);
	setSession(null);
	location.assign('/login');
}

function userBox(session) {
	const u = session.user || {};
	const parts = [
		h('span', { class: 'visually-hidden' }, 'Đang đăng nhập: '),
		h('span', { class: 'user-name' }, u.username || ''),
		h('span', { class: 'user-meta' }, roleLabel(u.role)),
	];
	if (u.unit) parts.push(h('span', { class: 'user-meta' }, 'Mã đơn vị: ' + u.unit));
	if (!onPage('/password') || !session.must_change_password)
		parts.push(h('a', { class: 'header-link', href: '/password' }, 'Đổi mật khẩu'));
	const out = h('button', { type: 'button', class: 'header-button' }, 'Đăng xuất');
	out.addEventListener('click', () => logout(out));
	parts.push(out);
	return h('div', { class: 'user-box' }, parts);
}

function navBar(session) {
	const here = location.pathname;
	const items = navItemsFor(session.user.role).map((item) =>
		h('li', null, h('a', {
			href: item.href,
			'aria-current': item.href === here ? 'page' : null,
		}, item.label)));
	return h('nav', { class: 'main-nav', 'aria-label': 'Điều hướng chính' },
		h('ul', { class: 'container nav-list' }, items));
}

/* The header: title, who is signed in, navigation (none before a due change). */
export function renderHeader(session) {
	let header = byId('site-header');
	if (!header) {
		header = h('header', { id: 'site-header', class: 'site-header' });
		document.body.prepend(header);
	}
	const top = h('div', { class: 'container header-top' },
		h('a', { class: 'site-title', href: '/' }, PORTAL_TITLE));
	if (session && session.user) top.append(userBox(session));
	fill(header, top);
	if (session && session.user && !session.must_change_password)
		header.append(navBar(session));
}

/**
 * Every signed-in page starts here: load the session (401 → /login),
 * send a due password change to /password, draw the header, check the
 * role, reveal #content.  Returns the session or null.
 */
export async function initPage(opts = {}) {
	let session;
	try {
		session = await loadSession();
	} catch (e) {
		renderHeader(null);
		showError(e);
		return null;
	}
	if (session.must_change_password && !onPage('/password')) {
		location.replace('/password');
		return null;
	}
	renderHeader(session);
	if (opts.roles && !opts.roles.includes(session.user.role)) {
		showMessage(opts.deniedMessage ||
		    'Tài khoản của bạn không có quyền xem trang này. Hãy chọn một ' +
		    'mục trong thanh điều hướng.', 'error', { noClose: true });
		return null;
	}
	const content = byId('content');
	if (content) content.hidden = false;
	return session;
}

/* ------------------------------------------------------------------ */
/* Small utilities shared by pages                                    */
/* ------------------------------------------------------------------ */

/* Save a Blob under a file name through a temporary <a download>. */
export function downloadBlob(blob, filename) {
	const url = URL.createObjectURL(blob);
	const a = h('a', { href: url, download: filename, class: 'visually-hidden' }, filename);
	document.body.append(a);
	a.click();
	a.remove();
	setTimeout(() => URL.revokeObjectURL(url), 60000);
}

/* Copy text to the clipboard; true if it worked. */
export async function copyText(text, fallbackInput) {
	try {
		if (navigator.clipboard && window.isSecureContext) {
			await navigator.clipboard.writeText(text);
			return true;
		}
	} catch (e) { /* try the old way */ }
	if (fallbackInput) {
		fallbackInput.focus();
		fallbackInput.select();
		try {
			return document.execCommand('copy');
		} catch (e) {
			return false;
		}
	}
	return false;
}

/* <option>s for a <select>, keeping the current value when possible. */
export function fillSelect(select, options, firstLabel) {
	const keep = select.value;
	const nodes = [];
	if (firstLabel !== undefined) nodes.push(h('option', { value: '' }, firstLabel));
	for (const o of options) nodes.push(h('option', { value: o.value }, o.label));
	fill(select, nodes);
	if (options.some((o) => String(o.value) === keep)) select.value = keep;
}

/* Reads ?name= from the address bar. */
export function queryParam(name) {
	return new URLSearchParams(location.search).get(name);
}

/* Writes ?name=value without reloading (null removes it). */
export function setQueryParam(name, value) {
	const url = new URL(location.href);
	if (value === null || value === undefined || value === '') url.searchParams.delete(name);
	else url.searchParams.set(name, value);
	history.replaceState(null, '', url.pathname + url.search + url.hash);
}
