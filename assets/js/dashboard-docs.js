/*
 * The consolidation page's "Văn bản gửi đi" box: the number, date,
 * recipients and signer of the Department's report, filled in once per
 * period and form by the office (stored: GET/PUT …/document), which both
 * the PDF and the workbook print.
 */
import {
	api, byId, clearFieldErrors, fill, h, setBusy, setFieldError, showError,
	showMessage,
} from './app.js';

function input(id, label, value, attrs, hint) {
	return h('div', { class: 'field' },
		h('label', { for: id }, label),
		h(attrs && attrs.rows ? 'textarea' : 'input', { id, value: value || '', ...attrs },
			attrs && attrs.rows ? value || '' : null),
		hint ? h('p', { class: 'muted small' }, hint) : null);
}

async function save(path, btn) {
	const form = byId('cons-docs-form');
	clearFieldErrors(form);
	const body = {
		number: byId('cd-number').value.trim(),
		date: byId('cd-date').value,
		to: byId('cd-to').value.trim(),
		signer: byId('cd-signer').value.trim(),
		capacity: byId('cd-capacity').value.trim(),
	};
	setBusy(btn, true, 'Đang lưu…');
	try {
		await api('PUT', path + '/document', body);
		showMessage('Đã lưu. Bản PDF và Excel tải về từ nay in các thông tin này.', 'success',
			{ target: byId('cd-messages') });
	} catch (e) {
		setFieldError(byId('cd-number'), e.message);
		showError(e, { target: byId('cd-messages') });
	} finally {
		setBusy(btn, false);
	}
}

/* path: /api/v1/consolidated/{period}/{form}; role: the caller's. */
export async function renderConsDocs(path, role) {
	const box = byId('cons-docs');
	if (!box) return;
	let d = {};
	try {
		d = await api('GET', path + '/document');
	} catch (e) {
		box.hidden = true;
		return;
	}
	const office = role === 'office';
	const ro = office ? {} : { readonly: '' };
	fill(box, h('details', { id: 'cons-docs-details' },
		h('summary', null, 'Thông tin văn bản gửi đi (số, ngày, nơi nhận, người ký)'),
		h('form', { id: 'cons-docs-form', novalidate: '', onSubmit: (ev) => ev.preventDefault() },
			h('div', { id: 'cd-messages', 'aria-live': 'polite' }),
			input('cd-number', 'Số văn bản', d.number, { type: 'text', maxlength: '32', ...ro },
				'In là “Số: …/BC-SYT”. Để trống nếu văn thư cấp số khi ký.'),
			input('cd-date', 'Ngày văn bản', d.date, { type: 'date', ...ro },
				'Để trống: ngày tải về.'),
			input('cd-to', 'Kính gửi', d.to || 'Công an tỉnh Thanh Hóa; Chủ tịch UBND tỉnh',
				{ rows: '2', maxlength: '500', ...ro }, 'Nhiều nơi: cách nhau bằng dấu chấm phẩy.'),
			input('cd-capacity', 'Chức vụ ký', d.capacity || 'KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC',
				{ rows: '2', maxlength: '100', ...ro }),
			input('cd-signer', 'Họ tên người ký', d.signer, { type: 'text', maxlength: '100', ...ro }),
			office ? h('div', { class: 'actions' }, h('button', {
				type: 'button', class: 'btn btn-secondary', id: 'cd-save',
				onClick: (ev) => save(path, ev.currentTarget),
			}, 'Lưu thông tin văn bản')) : null)));
	box.hidden = false;
}
