/*
 * Đổi mật khẩu: POST /api/v1/password {current, new} → 204 → home.
 * The rules the server applies are shown and checked as the person
 * types, so most mistakes are fixed before anything is sent.  Whether a
 * password is too easy to guess (a dictionary word, 12345, aaaa…) only
 * the server knows (libpwquality): its reason is shown at the field.
 */
import {
	api, h, byId, initPage, showMessage, showError, clearMessages, setBusy,
	setFieldError, clearFieldErrors,
} from './app.js';

const MIN_LENGTH = 10;

const form = byId('password-form');
const currentInput = byId('current');
const newInput = byId('new');
const confirmInput = byId('confirm');
const button = byId('password-button');

let username = '';

/* Length in characters (code points), as the server counts them. */
function charCount(s) {
	return [...s].length;
}

function containsUsername(pw) {
	return username.length >= 3 && pw.toLowerCase().includes(username.toLowerCase());
}

/* Each rule: {id, ok(values), message} — message is what to fix. */
const RULES = [
	{
		id: 'rule-length', field: newInput,
		ok: (v) => charCount(v.new) >= MIN_LENGTH,
		message: 'Mật khẩu mới phải có ít nhất ' + MIN_LENGTH + ' ký tự.',
	},
	{
		id: 'rule-username', field: newInput,
		ok: (v) => !containsUsername(v.new),
		message: 'Mật khẩu mới không được chứa tên đăng nhập.',
	},
	{
		id: 'rule-different', field: newInput,
		ok: (v) => v.new === '' || v.new !== v.current,
		message: 'Mật khẩu mới phải khác mật khẩu hiện tại.',
	},
	{
		id: 'rule-match', field: confirmInput,
		ok: (v) => v.confirm === v.new,
		message: 'Mật khẩu nhập lại chưa trùng với mật khẩu mới.',
	},
];

function values() {
	return { current: currentInput.value, new: newInput.value, confirm: confirmInput.value };
}

/* The server's own rule, listed with the others; set by its answer. */
function qualityRule() {
	let li = byId('rule-quality');
	if (!li) {
		li = h('li', { id: 'rule-quality' }, 'Không dễ đoán: không phải từ trong từ điển, ' +
		    'không là dãy như 12345 hay abcde, không lặp một ký tự nhiều lần ' +
		    '(máy chủ kiểm tra khi bạn bấm Đổi mật khẩu)');
		byId('new-rules').append(li);
	}
	return li;
}

function showQuality(reason) {
	const li = qualityRule();
	li.classList.toggle('is-unmet', Boolean(reason));
	let sr = li.querySelector('.visually-hidden');
	if (!sr) {
		sr = h('span', { class: 'visually-hidden' });
		li.append(sr);
	}
	sr.textContent = reason ? ' (chưa đạt: ' + reason + ')' : '';
}

/* Marks each rule met / not met; neutral until the field has input. */
function showRules() {
	const v = values();
	for (const rule of RULES) {
		const li = byId(rule.id);
		const touched = rule.field.value !== '';
		const ok = rule.ok(v);
		li.classList.toggle('is-met', touched && ok);
		li.classList.toggle('is-unmet', touched && !ok);
		let sr = li.querySelector('.visually-hidden');
		if (!sr) {
			sr = h('span', { class: 'visually-hidden' });
			li.append(sr);
		}
		sr.textContent = touched ? (ok ? ' (đạt)' : ' (chưa đạt)') : '';
	}
}

/* Field errors for every broken rule; returns the first bad input. */
function validate() {
	clearFieldErrors(form);
	const v = values();
	const problems = new Map();
	if (v.current === '') problems.set(currentInput, 'Nhập mật khẩu hiện tại.');
	if (v.new === '') problems.set(newInput, 'Nhập mật khẩu mới.');
	for (const rule of RULES) {
		if (!problems.has(rule.field) && !rule.ok(v)) problems.set(rule.field, rule.message);
	}
	for (const [input, msg] of problems) setFieldError(input, msg);
	return problems.size ? problems.keys().next().value : null;
}

async function onSubmit(ev) {
	ev.preventDefault();
	clearMessages();
	showRules();
	const bad = validate();
	if (bad) {
		showMessage('Mật khẩu chưa đạt yêu cầu; sửa các ô được đánh dấu.', 'error');
		bad.focus();
		return;
	}
	setBusy(button, true, 'Đang đổi mật khẩu…');
	try {
		await api('POST', '/api/v1/password', { current: currentInput.value, new: newInput.value });
		form.reset();
		showMessage('Đã đổi mật khẩu. Đang chuyển về trang chủ…', 'success', { noClose: true });
		location.assign('/');
	} catch (e) {
		setBusy(button, false);
		showError(e);
		if (e.code === 'current_password_wrong') {
			setFieldError(currentInput, e.message);
			currentInput.focus();
		} else if (e.code === 'weak_password') {
			setFieldError(newInput, e.message);
			showQuality(e.message);
			newInput.focus();
		}
	}
}

function onToggle(ev) {
	const type = ev.target.checked ? 'text' : 'password';
	for (const input of [currentInput, newInput, confirmInput]) input.type = type;
}

async function main() {
	const session = await initPage();
	if (!session) return;
	username = session.user.username || '';
	const mustChange = Boolean(session.must_change_password);
	byId('first-login').hidden = !mustChange;
	byId('regular-intro').hidden = mustChange;
	byId('cancel-link').hidden = mustChange;
	form.addEventListener('submit', onSubmit);
	for (const input of [currentInput, newInput, confirmInput])
		input.addEventListener('input', showRules);
	qualityRule();
	newInput.addEventListener('input', () => showQuality(null));
	byId('show-passwords').addEventListener('change', onToggle);
	currentInput.focus();
}

main();
