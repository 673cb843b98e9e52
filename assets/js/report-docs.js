/*
 * The report page's "Văn bản để ký" box: the number and the signer the
 * unit fills in, one "Tải PDF để ký" button (the PDF the server makes in
 * the layout of Nghị định 30/2020), and, once the report is submitted,
 * the signed copy sent back (PUT …/signed) and opened again.  The office
 * sees the signed copy here too.
 */
import {
	api, byId, downloadBlob, fill, fmtDateTime, h, setBusy, setFieldError,
	clearFieldErrors, showError, showMessage,
} from './app.js';

const SIGNED_MAX = 10 * 1024 * 1024;

let D = null;

function field(id, label, value, max, hint) {
	return h('div', { class: 'field' },
		h('label', { for: id }, label),
		h('input', { id, type: 'text', maxlength: String(max), value: value || '',
			autocomplete: 'off', 'aria-describedby': id + '-hint' }),
		h('p', { class: 'muted small', id: id + '-hint' }, hint));
}

async function downloadPdf(btn) {
	const form = byId('docs-form');
	clearFieldErrors(form);
	const number = byId('docs-number').value.trim();
	const signer = byId('docs-signer').value.trim();
	setBusy(btn, true, 'Đang tạo PDF…');
	try {
		/* Stored with the report: the same number comes back next time. */
		const stored = D.report.document || {};
		if (D.role === 'unit' && (stored.number || '') !== number ||
		    D.role === 'unit' && (stored.signer || '') !== signer) {
			D.report.document = await api('PUT', D.path + '/document', { number, signer });
		}
		const name = D.pdfName;
		const res = await api('GET', D.path + '.pdf', null, { expect: 'blob', filename: name });
		if (res && res.blob) downloadBlob(res.blob, res.filename || name);
		showMessage('Đã tạo PDF. In hoặc ký số, đóng dấu, rồi tải bản ký lên tại đây.', 'success',
			{ target: byId('docs-messages') });
	} catch (e) {
		if (e && e.status === 422) setFieldError(byId('docs-number'), e.message);
		showError(e, { target: byId('docs-messages') });
	} finally {
		setBusy(btn, false);
	}
}

async function uploadSigned(btn) {
	const input = byId('docs-file');
	clearFieldErrors(byId('docs-form'));
	const file = input.files && input.files[0];
	if (!file) {
		setFieldError(input, 'Chọn tệp PDF đã ký trước khi tải lên.');
		input.focus();
		return;
	}
	if (file.size === 0) {
		setFieldError(input, 'Tệp trống: hãy chọn tệp PDF đã ký của báo cáo.');
		return;
	}
	if (file.size > SIGNED_MAX) {
		setFieldError(input, 'Tệp lớn hơn 10 MB: hãy lưu bản ký ở độ phân giải thấp hơn.');
		return;
	}
	setBusy(btn, true, 'Đang tải lên…');
	try {
		const signed = await api('PUT', D.path + '/signed', null,
			{ rawBody: file, contentType: 'application/pdf' });
		D.report.signed = { ...signed, earlier: D.report.signed ? (D.report.signed.earlier || 0) + 1 : 0 };
		render();
		showMessage('Đã nhận bản ký (' + Math.round(signed.size / 1024) + ' KB).', 'success',
			{ target: byId('docs-messages') });
	} catch (e) {
		setFieldError(input, e.message || 'Không tải lên được.');
		showError(e, { target: byId('docs-messages') });
	} finally {
		setBusy(btn, false);
	}
}

async function openSigned(btn) {
	setBusy(btn, true, 'Đang mở…');
	try {
		const name = 'ban-ky-' + D.pdfName.replace(/^bao-cao-/, '');
		const res = await api('GET', D.path + '/signed', null, { expect: 'blob', filename: name });
		if (res && res.blob) downloadBlob(res.blob, res.filename || name);
	} catch (e) {
		showError(e, { target: byId('docs-messages') });
	} finally {
		setBusy(btn, false);
	}
}

function signedLine(s) {
	if (!s) return h('p', { class: 'muted' }, 'Chưa gửi bản ký.');
	return h('p', null,
		'Đã gửi bản ký lúc ' + fmtDateTime(s.uploaded_at) +
		(s.earlier ? ' (thay cho ' + s.earlier + ' bản trước, vẫn được lưu)' : '') + '. ',
		h('button', { type: 'button', class: 'btn btn-link', id: 'docs-open-signed',
			onClick: (ev) => openSigned(ev.currentTarget) }, 'Xem bản ký'));
}

function render() {
	const box = byId('docs-box');
	if (!box || !D) return;
	const r = D.report;
	const filed = r.status === 'submitted' || r.status === 'accepted';
	const doc = r.document || {};
	const parts = [h('h2', { id: 'docs-title' }, 'Văn bản để ký')];
	parts.push(h('div', { id: 'docs-messages', 'aria-live': 'polite' }));
	if (D.role === 'unit') {
		parts.push(h('p', { class: 'muted small' }, filed
			? 'Tải báo cáo dạng PDF theo thể thức Nghị định 30/2020, trình thủ trưởng ký, đóng dấu (hoặc ký số), rồi tải bản ký lên.'
			: 'Báo cáo chưa nộp: PDF có dấu “BẢN NHÁP”, chỉ để xem trước. Nộp báo cáo rồi tải PDF để ký.'));
		parts.push(field('docs-number', 'Số văn bản', doc.number, 32,
			'Ví dụ 12 → “Số: 12/BC-' + (r.unit || '') + '”. Để trống nếu văn thư cấp số khi ký.'));
		parts.push(field('docs-signer', 'Họ tên người ký', doc.signer, 100,
			'In dưới chữ ký “THỦ TRƯỞNG ĐƠN VỊ”.'));
	}
	parts.push(h('div', { class: 'actions' },
		h('button', { type: 'button', class: 'btn', id: 'docs-pdf',
			onClick: (ev) => downloadPdf(ev.currentTarget) }, 'Tải PDF để ký')));
	if (filed) {
		parts.push(h('h3', null, 'Bản đã ký'));
		parts.push(signedLine(r.signed));
		if (D.role === 'unit') {
			parts.push(h('div', { class: 'field' },
				h('label', { for: 'docs-file' }, r.signed ? 'Thay bằng bản ký khác (PDF, tối đa 10 MB)' :
				    'Tệp PDF đã ký (tối đa 10 MB)'),
				h('input', { id: 'docs-file', type: 'file', accept: 'application/pdf,.pdf' })));
			parts.push(h('div', { class: 'actions' },
				h('button', { type: 'button', class: 'btn btn-secondary', id: 'docs-upload',
					onClick: (ev) => uploadSigned(ev.currentTarget) }, 'Tải bản ký lên')));
		}
	}
	fill(box, h('form', { id: 'docs-form', class: 'docs-form', novalidate: '',
		onSubmit: (ev) => ev.preventDefault() }, ...parts));
	box.hidden = false;
}

/* Called by report.js whenever the report is (re)read or submitted. */
export function renderDocs(report, path, role) {
	D = {
		report, path, role,
		pdfName: 'bao-cao-' + report.unit + '-' + report.period + '-' + report.form + '.pdf',
	};
	render();
}
