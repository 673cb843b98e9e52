/*
 * Cán bộ đầu mối: one focal point per unit.  The server shows each
 * person only the units in their scope.  Units and the office may edit
 * (PUT /api/v1/contacts/{unit}); everyone else reads.  The "Nhắc hạn"
 * column says whether the unit gets reminder e-mails and, when they are
 * off, who turned them off; units and the office switch them
 * (PUT /api/v1/contacts/{unit}/reminders).
 */
import {
	api, h, fill, byId, initPage, showMessage, showError, setBusy,
	setFieldError, clearFieldErrors, tableWrap, emptyRow, fmtDateTime,
	fmtNumber, fillSelect, matchesQuery, debounce, badge, roleLabel,
} from './app.js';

const EDIT_ROLES = ['unit', 'office'];

const state = {
	contacts: [],
	districtNames: new Map(),
	canEdit: false,
	editing: null,		/* the contact being edited */
};

const dialog = byId('edit-dialog');
const form = byId('edit-form');
const fields = {
	name: byId('edit-name'),
	position: byId('edit-position'),
	phone: byId('edit-phone'),
	email: byId('edit-email'),
};

/* ---------- The list ---------- */

function columns() {
	const cols = ['Mã', 'Đơn vị', 'Huyện', 'Họ tên', 'Chức vụ', 'Điện thoại', 'Email', 'Cập nhật',
		'Nhắc hạn'];
	if (state.canEdit) cols.push('Thao tác');
	return cols;
}

function orNone(value) {
	return value ? value : h('span', { class: 'muted' }, 'Chưa có');
}

function phoneCell(phone) {
	if (!phone) return h('td', null, orNone(phone));
	return h('td', { class: 'nowrap' }, h('a', { href: 'tel:' + phone.replace(/[^0-9+]/g, '') }, phone));
}

function emailCell(email) {
	if (!email) return h('td', null, h('span', { class: 'muted' }, '—'));
	return h('td', null, h('a', { href: 'mailto:' + email }, email));
}

function editButton(c) {
	return h('button', {
		type: 'button', class: 'btn btn-small btn-secondary', 'data-unit': c.unit,
		'aria-label': 'Sửa đầu mối của ' + (c.unit_name || c.unit),
		onClick: () => openEditor(c),
	}, 'Sửa');
}

/* ---------- Reminders ---------- */

function remindersCell(c) {
	if (c.files === false || c.reminders === undefined)
		return h('td', null, h('span', { class: 'muted' }, '—'));
	const name = c.unit_name || c.unit;
	const parts = [];
	if (c.reminders) {
		parts.push(badge('Đang bật', 'ok'));
	} else {
		parts.push(badge('Đã tắt', 'warn'));
		if (c.reminders_off_by)
			parts.push(h('span', { class: 'cell-sub' }, 'Tắt bởi ' + c.reminders_off_by +
				(c.reminders_off_role ? ' (' + roleLabel(c.reminders_off_role) + ')' : '') +
				(c.reminders_off_at ? ', ' + fmtDateTime(c.reminders_off_at) : '')));
	}
	if (state.canEdit) {
		const label = c.reminders ? 'Tắt nhắc hạn' : 'Bật nhắc hạn';
		parts.push(h('button', {
			type: 'button', class: 'btn btn-small btn-secondary',
			'data-reminders': c.unit, 'aria-label': label + ' của ' + name,
			onClick: (ev) => setReminders(c, !c.reminders, ev.currentTarget),
		}, label));
	}
	return h('td', null, parts);
}

async function setReminders(c, enabled, button) {
	setBusy(button, true, 'Đang lưu…');
	try {
		const res = await api('PUT', '/api/v1/contacts/' + encodeURIComponent(c.unit) +
			'/reminders', { enabled });
		replaceContact({ ...c, ...res });
		render();
		showMessage((enabled ? 'Đã bật' : 'Đã tắt') + ' thư nhắc hạn của ' +
			(c.unit_name || c.unit) + '.', 'success');
		const again = document.querySelector('button[data-reminders="' + CSS.escape(c.unit) + '"]');
		if (again) again.focus();
	} catch (e) {
		setBusy(button, false);
		showError(e);
	}
}

function contactRow(c) {
	return h('tr', null,
		h('td', { class: 'nowrap' }, c.unit),
		h('th', { scope: 'row' }, c.unit_name || c.unit),
		h('td', null, state.districtNames.get(c.district) || c.district || ''),
		h('td', null, orNone(c.name)),
		h('td', null, c.position || h('span', { class: 'muted' }, '—')),
		phoneCell(c.phone),
		emailCell(c.email),
		h('td', { class: 'nowrap' }, c.updated_at ? fmtDateTime(c.updated_at) : '—'),
		remindersCell(c),
		state.canEdit ? h('td', null, editButton(c)) : null);
}

function filtered() {
	const district = byId('filter-district').value;
	const text = byId('filter-text').value;
	const missing = byId('filter-missing').checked;
	return state.contacts.filter((c) =>
		(!district || c.district === district) &&
		(!missing || !c.name) &&
		matchesQuery(text, c.unit, c.unit_name, c.name, c.position, c.phone, c.email));
}

function render() {
	const cols = columns();
	const list = filtered();
	const rows = list.length ? list.map(contactRow)
		: [emptyRow(cols.length, state.contacts.length
			? 'Không có đơn vị nào khớp bộ lọc.' : 'Chưa có đơn vị nào trong phạm vi của bạn.')];
	const table = h('table', null,
		h('thead', null, h('tr', null, cols.map((c) => h('th', { scope: 'col' }, c)))),
		h('tbody', null, rows));
	const area = byId('contacts-table');
	fill(area, tableWrap(table, 'Bảng cán bộ đầu mối'));
	area.setAttribute('aria-busy', 'false');
	const missing = state.contacts.filter((c) => !c.name).length;
	byId('contacts-count').textContent = 'Hiển thị ' + fmtNumber(list.length) + ' / ' +
	    fmtNumber(state.contacts.length) + ' đơn vị; ' + fmtNumber(missing) +
	    ' đơn vị chưa có đầu mối.';
}

function fillDistrictFilter() {
	const codes = [...new Set(state.contacts.map((c) => c.district).filter(Boolean))];
	const options = codes.map((code) => ({ value: code, label: state.districtNames.get(code) || code }))
		.sort((a, b) => a.label.localeCompare(b.label, 'vi'));
	fillSelect(byId('filter-district'), options, 'Tất cả');
	byId('district-field').hidden = options.length < 2;
}

async function load() {
	try {
		const [contacts, districts] = await Promise.all([
			api('GET', '/api/v1/contacts'),
			api('GET', '/api/v1/districts').catch(() => []),
		]);
		state.contacts = Array.isArray(contacts) ? contacts : [];
		state.districtNames = new Map((districts || []).map((d) => [d.code, d.name]));
		fillDistrictFilter();
		render();
	} catch (e) {
		fill(byId('contacts-table'));
		showError(e);
	}
}

/* ---------- The editor ---------- */

function openEditor(c) {
	state.editing = c;
	clearFieldErrors(form);
	fill(byId('edit-status'));
	byId('edit-unit').textContent = (c.unit_name || c.unit) + ' (mã ' + c.unit + ')';
	for (const [key, input] of Object.entries(fields)) input.value = c[key] || '';
	dialog.showModal();
	fields.name.focus();
}

function closeEditor() {
	const code = state.editing ? state.editing.unit : null;
	if (dialog.open) dialog.close();
	state.editing = null;
	if (code) {
		const btn = document.querySelector('button[data-unit="' + CSS.escape(code) + '"]');
		if (btn) btn.focus();
	}
}

/* Required fields, checked before sending; the server checks the rest. */
function checkRequired() {
	let first = null;
	if (fields.name.value.trim() === '') {
		setFieldError(fields.name, 'Nhập họ và tên cán bộ đầu mối.');
		first = first || fields.name;
	}
	if (fields.phone.value.trim() === '') {
		setFieldError(fields.phone, 'Nhập số điện thoại của cán bộ đầu mối.');
		first = first || fields.phone;
	}
	return first;
}

/* 422: each {field, message} next to its input; others in the status. */
function showFieldErrors(e) {
	const general = [];
	let first = null;
	for (const d of Array.isArray(e.details) ? e.details : []) {
		const input = d && fields[d.field];
		if (input) {
			setFieldError(input, d.message);
			first = first || input;
		} else if (d) {
			general.push(d.message || String(d));
		}
	}
	showMessage(e.message, 'error', { target: byId('edit-status'), details: general });
	if (first) first.focus();
}

function replaceContact(updated) {
	const i = state.contacts.findIndex((c) => c.unit === updated.unit);
	if (i >= 0) state.contacts[i] = { ...state.contacts[i], ...updated };
	else state.contacts.push(updated);
}

async function onSave(ev) {
	ev.preventDefault();
	const c = state.editing;
	if (!c) return;
	clearFieldErrors(form);
	fill(byId('edit-status'));
	const missing = checkRequired();
	if (missing) {
		showMessage('Thông tin đầu mối chưa đủ; điền các ô được đánh dấu.', 'error',
			{ target: byId('edit-status') });
		missing.focus();
		return;
	}
	const body = {
		name: fields.name.value.trim(),
		position: fields.position.value.trim(),
		phone: fields.phone.value.trim(),
		email: fields.email.value.trim(),
	};
	const save = byId('edit-save');
	setBusy(save, true, 'Đang lưu…');
	try {
		const updated = await api('PUT', '/api/v1/contacts/' + encodeURIComponent(c.unit), body);
		replaceContact(updated && updated.unit ? updated : { ...c, ...body });
		render();
		closeEditor();
		showMessage('Đã lưu đầu mối của ' + (c.unit_name || c.unit) + '.', 'success');
	} catch (e) {
		if (e.status === 422) showFieldErrors(e);
		else showError(e, { target: byId('edit-status') });
	} finally {
		setBusy(save, false);
	}
}

function introText(role) {
	if (role === 'unit')
		return 'Thông tin cán bộ đầu mối của đơn vị (và các trạm y tế do đơn vị quản lý). ' +
		    'Hãy giữ họ tên, số điện thoại và email luôn đúng để Văn phòng Sở liên hệ khi cần: ' +
		    'cổng gửi email báo cho đầu mối khi báo cáo bị trả lại, được duyệt, và nhắc trước ' +
		    'hạn nộp (tắt thư nhắc hạn ở cột “Nhắc hạn”).';
	if (role === 'office')
		return 'Cán bộ đầu mối của các đơn vị trong tỉnh. Bấm “Sửa” để cập nhật thông tin.';
	if (role === 'admin')
		return 'Cán bộ đầu mối của các đơn vị trong tỉnh (chỉ xem; Văn phòng Sở và ' +
		    'từng đơn vị cập nhật thông tin).';
	return 'Cán bộ đầu mối của các đơn vị trong phạm vi theo dõi (chỉ xem).';
}

async function main() {
	const session = await initPage();
	if (!session) return;
	const role = session.user.role;
	state.canEdit = EDIT_ROLES.includes(role);
	byId('intro').textContent = introText(role);
	form.addEventListener('submit', onSave);
	byId('edit-cancel').addEventListener('click', closeEditor);
	dialog.addEventListener('cancel', (ev) => {
		ev.preventDefault();
		closeEditor();
	});
	byId('filter-district').addEventListener('change', render);
	byId('filter-missing').addEventListener('change', render);
	byId('filter-text').addEventListener('input', debounce(render, 150));
	await load();
}

main();
