/*
 * Đăng nhập: POST /api/v1/session {username, password}.  On success go
 * to /password when a change is due, else back where the person came
 * from (?next=, a page of this portal only: login-next.js) or to the
 * home page.
 */
import {
	api, h, byId, loadSession, setSession, showMessage, showError,
	clearMessages, setBusy, setFieldError, queryParam, roleLabel,
} from './app.js';
import { nextPath } from './login-next.js';

const form = byId('login-form');
const userInput = byId('username');
const passInput = byId('password');
const button = byId('login-button');

function destination(session) {
	if (session.must_change_password) return '/password';
	return nextPath(queryParam('next'));
}

/* Already signed in (another tab, back button): say so, offer the way on. */
async function checkExisting() {
	try {
		const s = await loadSession({ allow401: true });
		const u = s.user || {};
		showMessage('Bạn đang đăng nhập với tài khoản ' + u.username + ' (' +
		    roleLabel(u.role) + '). Có thể đăng nhập bằng tài khoản khác ở dưới.',
		    'info', {
			extra: h('p', null, h('a', { href: destination(s) },
				s.must_change_password ? 'Đổi mật khẩu để tiếp tục' : 'Vào trang chủ')),
		});
	} catch (e) {
		/* 401: not signed in, the normal case here.  Others: say nothing yet. */
	}
}

function validate() {
	setFieldError(userInput, null);
	setFieldError(passInput, null);
	if (userInput.value.trim() === '') {
		setFieldError(userInput, 'Nhập tên đăng nhập.');
		userInput.focus();
		return false;
	}
	if (passInput.value === '') {
		setFieldError(passInput, 'Nhập mật khẩu.');
		passInput.focus();
		return false;
	}
	return true;
}

async function onSubmit(ev) {
	ev.preventDefault();
	clearMessages();
	if (!validate()) return;
	setBusy(button, true, 'Đang đăng nhập…');
	try {
		const s = await api('POST', '/api/v1/session', {
			username: userInput.value.trim(),
			password: passInput.value,
		}, { allow401: true });
		setSession(s);
		showMessage('Đăng nhập thành công. Đang chuyển trang…', 'success', { noClose: true });
		location.assign(destination(s));
	} catch (e) {
		setBusy(button, false);
		showError(e);
		if (e.status === 401) {
			passInput.focus();
			passInput.select();
		}
	}
}

function onToggle(ev) {
	passInput.type = ev.target.checked ? 'text' : 'password';
}

form.addEventListener('submit', onSubmit);
byId('show-password').addEventListener('change', onToggle);
userInput.focus();
checkExisting();
