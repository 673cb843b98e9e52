/*
 * Nhập báo cáo: one unit's report for one period and form, at
 * /report?unit=&period=&form=.  The outline is the version the report
 * is filed under (its form_version): the version in force in the period
 * (GET /api/v1/forms/{form}?period=), fetched beside the report, which
 * is that one except for a report kept from before a version changed;
 * the values come from GET /api/v1/reports/{unit}/{period}/{form}.
 *
 * Nothing typed may be lost: every change is kept in memory and in the
 * browser's localStorage, per user (report-offline.js), until the server
 * has it; saved a few seconds after the last change with the version
 * last read, retried with a bounded backoff and at once when the network
 * returns, shown as not yet sent meanwhile, sent when the page is opened
 * again after being closed; never written over another person's save
 * (409 stale: the report changed since it was read, by another tab,
 * another person or an earlier save whose answer was lost; the page
 * offers to reload it and shows, per item where they differ, what the
 * person typed beside the stored value, to keep one or the other; the
 * same when a draft left from an earlier visit meets a newer version).
 * Nothing typed is overwritten without
 * asking: the helper that fills a centre's totals from its appendix asks
 * before replacing a figure already typed.
 */
import { renderDocs } from './report-docs.js';
import {
	api, h, fill, byId, initPage, showMessage, showError, clearMessages,
	queryParam, fmtDate, fmtDateTime, fmtNumber, setBusy, todayVN, daysBetween,
} from './app.js';
import {
	buildModel, localFromReport, buildPayload, runLiveChecks, mergeChecks,
	computeDerived, parseItem, parseWhole, parseCell, rawOf, rawAt, conflictsOf,
	commentKey, sameValue,
} from './report-checks.js';
import {
	view, renderHead, renderOutline, renderList, renderChecks, updateDerived,
	updateStationTotals, updateCounter, updateDateEcho, fieldId, remarkItems, safe,
} from './report-render.js';
import { outlineFor, outlineOf } from './outline-view.js';
import * as offline from './report-offline.js';

const AUTOSAVE_MS = 2500;
const FORMS = ['PL1', 'PL2'];
const OFFLINE_TEXT = 'Mất kết nối; các thay đổi được giữ trong trình duyệt này và sẽ được ' +
	'lưu khi có mạng lại';

/* The page's state.  `local` holds raw values as typed; `edits` the
 * field keys changed since the last successful save, with their values. */
const S = {
	unit: '', period: '', formCode: '', path: '', storeKey: '', conflictKey: '',
	session: null, form: null, model: null, report: null, version: 0,
	editable: false, readOnlyReason: '',
	local: { values: {}, stations: {}, lists: {}, comments: {} },
	edits: new Map(),
	seq: 0,
	saving: null, again: false,
	timer: null, retryTimer: null, attempts: 0, retrySecs: 0,
	tab: Math.random().toString(36).slice(2), restored: false,
	state: 'idle', blocked: null, heldSeq: -1,
	serverChecks: [], checksFresh: true, serverErrors: new Map(), rowMaps: {},
	problems: [], shownChecks: [], typing: null, lastRemoved: null,
	conflicts: [],
	remarks: new Map(),	/* item or list → the office's remark, while returned */
	pendingTotals: null,	/* [item, sum] a person is asked about */
};

const clone = (v) => (v === undefined ? v : JSON.parse(JSON.stringify(v)));

/* ------------------------------------------------------------------ */
/* Browser storage: unsent edits and the list of edits not applied    */
/* ------------------------------------------------------------------ */

const storeGet = (key) => offline.readJson(key);
const storeSet = (key, value) => offline.writeJson(key, value);

function writeDraft() {
	offline.keepDraft(S.storeKey, offline.makeDraft({
		user: S.session.user.username, base: S.version, baseAt: offline.baseStamp(S.report),
		edits: Object.fromEntries(S.edits), tab: S.tab,
	}));
}

/* ------------------------------------------------------------------ */
/* Reading the local values                                           */
/* ------------------------------------------------------------------ */

function parsedValue(code) {
	const it = S.model.items.get(code);
	if (!it) return null;
	const r = parseItem(it, S.local.values[code]);
	return r.error ? null : r.value;
}

function stationValue(st, code) {
	const row = S.local.stations[st];
	const r = parseWhole(row ? row[code] : '');
	return r.error ? null : r.value;
}

/* A list's rows as the server reads them (dates as YYYY-MM-DD). */
function parsedRows(list) {
	const l = S.model.lists.get(list);
	return (S.local.lists[list] || []).map((row) => {
		const out = {};
		for (const col of (l && l.columns) || []) {
			const r = parseCell(col, row[col.code]);
			out[col.code] = r.error ? null : r.value;
		}
		return out;
	});
}

/* A centre's own row plus its stations, per item: null when all are empty. */
function appendixSum(code) {
	let sum = null;
	for (const st of S.model.rows) {
		const v = stationValue(st.code, code);
		if (v !== null) sum = (sum || 0) + v;
	}
	return sum;
}

/* Server rows (from 1, of what was sent) → the page's rows (from 1). */
function localRow(list, row) {
	const map = S.rowMaps[list];
	if (!map || row === undefined || row === null) return row;
	const i = map[Number(row) - 1];
	return i === undefined ? row : i + 1;
}

function serverChecksForPage() {
	return (S.serverChecks || []).map((c) => (c && c.list
		? { ...c, row: localRow(c.list, c.row) } : c));
}

/* Recompute what depends on the values: totals, rates, checks. */
function refresh() {
	const typed = (code) => {
		const v = parsedValue(code);
		return typeof v === 'number' ? v : null;
	};
	const derived = computeDerived(S.model, typed);
	updateDerived(S, derived);

	if (S.model.stations.length && S.model.stationItems.size) {
		const sums = new Map();
		for (const code of S.model.stationItems) sums.set(code, appendixSum(code));
		const sumDerived = computeDerived(S.model, (code) => sums.get(code) ?? null);
		updateStationTotals(S,
			(st) => computeDerived(S.model, (code) => stationValue(st, code)),
			(code) => (sums.has(code) ? sums.get(code) : sumDerived.get(code) ?? null),
			(code) => (derived.has(code) ? derived.get(code) : typed(code)));
	}

	const snap = {
		value: (code) => (derived.has(code) ? derived.get(code) : parsedValue(code)),
		station: stationValue,
		rows: parsedRows,
	};
	const live = S.editable ? runLiveChecks(S.model, snap) : [];
	const checks = mergeChecks(S.model, live, serverChecksForPage(),
		S.checksFresh || !S.editable);
	for (const c of checks) {
		if (c.severity !== 'warning') continue;
		const keys = [commentKey(c), ...(c.items || [])];
		const text = keys.some((k) => String(S.local.comments[k] || '').trim() !== '');
		c.answered = S.editable ? text : Boolean(c.answered || text);
	}
	S.shownChecks = checks;
	if (S.report.prefill) renderPrefill();
	S.problems = S.editable
		? buildPayload(S.model, S.local, S.report).problems.filter((p) => p.key !== S.typing)
		: [];
	renderChecks(S, checks, S.problems, S.serverErrors);
}

/* ------------------------------------------------------------------ */
/* Save status                                                        */
/* ------------------------------------------------------------------ */

function hhmm(ms) {
	return fmtDateTime(new Date(ms).toISOString()).slice(-5);
}

function lastSaveText() {
	const saves = (S.report.history || []).filter((e) => e.action === 'save');
	if (!saves.length) return S.version ? 'Không có thay đổi chưa lưu.'
		: 'Chưa nhập số liệu nào. Số liệu được tự động lưu vài giây sau khi nhập.';
	return 'Không có thay đổi chưa lưu. Lưu lần cuối lúc ' +
	    fmtDateTime(saves[saves.length - 1].at) + '.';
}

function setState(state, text) {
	S.state = state;
	const el = byId('save-status');
	el.dataset.state = state;
	let t = text;
	if (t === undefined) {
		switch (state) {
		case 'idle': t = lastSaveText(); break;
		case 'dirty': t = 'Có thay đổi chưa lưu — sẽ tự động lưu sau vài giây.'; break;
		case 'saving': t = 'Đang lưu…'; break;
		case 'saved': t = 'Đã lưu lúc ' + hhmm(S.lastSavedAt) + '.'; break;
		case 'offline': t = OFFLINE_TEXT + '.'; break;
		case 'stale': t = 'Chưa lưu: báo cáo đã được thay đổi ở tab khác hoặc bởi người khác.'; break;
		default: t = '';
		}
	}
	el.textContent = t;
	el.className = 'rpt-save-status is-' + state;
	const btn = byId('save-button');
	if (btn) btn.disabled = state === 'saving' || Boolean(S.blocked);
	renderUnsent();
}

/* "Chưa gửi được": edits the server has not stored, in plain sight. */
function renderUnsent() {
	const box = byId('unsent-box');
	if (!box) return;
	const note = S.blocked || !S.editable ? null : offline.unsentNotice(S.state, {
		count: S.edits.size, secs: S.retrySecs, restored: S.restored,
		spent: S.attempts > offline.RETRY_LIMIT,
	});
	const text = note ? note.title + ' ' + note.detail : '';
	if (box.dataset.text === text) return;
	box.dataset.text = text;
	if (!note) {
		fill(box);
		return;
	}
	const btn = note.retry ? h('button', { type: 'button', class: 'btn btn-secondary btn-small',
		id: 'unsent-retry' }, 'Gửi lại ngay') : null;
	if (btn) btn.addEventListener('click', () => {
		S.attempts = 0;
		save('retry');
	});
	fill(box, h('div', { class: 'rpt-unsent', id: 'unsent-mark' },
		h('p', { class: 'rpt-unsent-title' }, note.title),
		h('p', { class: 'rpt-unsent-detail' }, note.detail), btn));
}

function problemNote(problems) {
	if (!problems.length) return '';
	return ' Còn ' + fmtNumber(problems.length) + ' ô nhập chưa hợp lệ nên chưa được lưu ' +
	    '(vẫn giữ trên trang) — xem các ô được đánh dấu.';
}

/* ------------------------------------------------------------------ */
/* Editing                                                            */
/* ------------------------------------------------------------------ */

function setLocal(key, value) {
	const kind = key.slice(0, 1);
	const rest = key.slice(2);
	if (kind === 'v') {
		if (!(rest in S.local.values)) return false;
		S.local.values[rest] = value;
	} else if (kind === 'c') {
		S.local.comments[rest] = value;
	} else if (kind === 's') {
		const [st, code] = rest.split('|');
		if (!S.local.stations[st] || !(code in S.local.stations[st])) return false;
		S.local.stations[st][code] = value;
	} else if (kind === 'l') {
		const parts = rest.split('|');
		if (!(parts[0] in S.local.lists)) return false;
		if (parts.length === 1) {
			S.local.lists[parts[0]] = clone(value) || [];
		} else {
			const row = S.local.lists[parts[0]][Number(parts[1])];
			if (!row) return false;
			row[parts[2]] = value;
		}
	} else {
		return false;
	}
	return true;
}

function editKeyOf(key) {
	return key.startsWith('l:') ? 'l:' + key.slice(2).split('|')[0] : key;
}

function markEdited(editKey) {
	S.edits.set(editKey, clone(rawAt(S.local, editKey)));
	S.seq++;
	S.checksFresh = false;
	writeDraft();
	if (S.blocked || S.state === 'offline' || S.state === 'retry') {
		renderUnsent();
		return;
	}
	setState('dirty');
	scheduleAutosave();
}

/* The raw value of one field (a list cell included). */
function currentRaw(key) {
	if (!key.startsWith('l:')) return rawAt(S.local, key);
	const [list, row, col] = key.slice(2).split('|');
	const r = (S.local.lists[list] || [])[Number(row)];
	return r ? r[col] ?? '' : '';
}

function onValue(el) {
	const key = el.dataset.key;
	if (!key || !S.editable) return;
	if (currentRaw(key) === el.value) return;
	if (!setLocal(key, el.value)) return;
	S.serverErrors.delete(key);
	S.typing = el.tagName === 'SELECT' || el.type === 'date' ? null : key;
	markEdited(editKeyOf(key));
	updateCounter(S, key);
	updateDateEcho(key, el.value);
	refresh();
}

/* Numbers read back as "1.234.567" when the field is left. */
function onLeave(el) {
	const key = el.dataset.key;
	if (!key) return;
	if (el.classList.contains('rpt-num')) {
		const r = parseWhole(el.value);
		if (!r.error && r.value !== null) {
			const code = el.dataset.item;
			const it = code ? S.model.items.get(code) : null;
			const shown = rawOf(it || { kind: 'count' }, r.value);
			if (shown !== el.value) {
				el.value = shown;
				setLocal(key, shown);
				if (S.edits.has(editKeyOf(key)))
					S.edits.set(editKeyOf(key), clone(rawAt(S.local, editKeyOf(key))));
				writeDraft();
			}
		}
	}
	if (S.typing === key) S.typing = null;
	refresh();
}

function focusField(id) {
	const el = byId(id);
	if (!el) return;
	if (el.tabIndex < 0 && !el.matches('input, select, textarea, button, a[href]'))
		el.setAttribute('tabindex', '-1');
	el.focus({ preventScroll: true });
	el.scrollIntoView({ block: 'center', behavior: 'auto' });
}

function nextField(from) {
	const all = [...byId('report-form').querySelectorAll('input, select, textarea')]
		.filter((x) => !x.disabled && !x.hidden && x.offsetParent !== null);
	const i = all.indexOf(from);
	return i >= 0 ? all[i + 1] : null;
}

/* ---------- Lists: add, remove, undo ---------- */

function emptyRow(list) {
	const row = {};
	for (const c of list.columns || []) row[c.code] = '';
	return row;
}

function onAction(btn) {
	const action = btn.dataset.action;
	const code = btn.dataset.list;
	if (action === 'add-row') {
		const l = S.model.lists.get(code);
		const rows = S.local.lists[code];
		const max = Number(l.max_rows) || 0;
		if (max && rows.length >= max) return;
		rows.push(emptyRow(l));
		S.lastRemoved = null;
		markEdited('l:' + code);
		renderList(S, code);
		refresh();
		const first = (l.columns || [])[0];
		if (first) focusField(fieldId('l:' + code + '|' + (rows.length - 1) + '|' + first.code));
	} else if (action === 'remove-row') {
		const i = Number(btn.dataset.row);
		const rows = S.local.lists[code];
		const [row] = rows.splice(i, 1);
		S.lastRemoved = { list: code, index: i, row };
		markEdited('l:' + code);
		renderList(S, code);
		refresh();
		const undo = byId('list-' + code.replace(/[^A-Za-z0-9_-]/g, '_'))
			.querySelector('[data-action="undo-remove"]');
		if (undo) undo.focus();
	} else if (action === 'undo-remove') {
		const r = S.lastRemoved;
		if (!r || r.list !== code) return;
		S.local.lists[code].splice(Math.min(r.index, S.local.lists[code].length), 0, r.row);
		S.lastRemoved = null;
		markEdited('l:' + code);
		renderList(S, code);
		refresh();
		const l = S.model.lists.get(code);
		const first = (l.columns || [])[0];
		if (first) focusField(fieldId('l:' + code + '|' + r.index + '|' + first.code));
	} else if (action === 'use-station-totals') {
		useAppendixTotals(btn.dataset.section);
	} else if (action === 'totals-replace' || action === 'totals-keep') {
		const box = byId('totals-confirm-' + safe(btn.dataset.section));
		const pending = S.pendingTotals;
		S.pendingTotals = null;
		if (box) fill(box);
		if (action === 'totals-replace' && pending) {
			for (const [it, sum] of pending) putTotal(it, sum);
			refresh();
			showMessage('Đã thay ' + fmtNumber(pending.length) + ' số của đơn vị bằng riêng đơn ' +
			    'vị cộng các trạm; trang sẽ tự lưu.', 'success');
		}
		const from = byId('report-form').querySelector('[data-action="use-station-totals"][data-section="' +
		    btn.dataset.section + '"]');
		if (from) from.focus();
	}
}

function putTotal(it, sum) {
	const key = 'v:' + it.code;
	const shown = rawOf(it, sum);
	setLocal(key, shown);
	const input = view.fields.get(key);
	if (input) input.value = shown;
	S.serverErrors.delete(key);
	markEdited(key);
}

/*
 * The unit's figures of a section from its appendix (own row + stations).
 * Empty figures are filled at once; a figure already typed that differs
 * is only replaced once the person says so, beside the button.
 */
function useAppendixTotals(section) {
	const sec = S.model.sections.find((s) => String(s.def.id) === section);
	const ask = [];
	let filled = 0;
	for (const it of sec ? sec.stationItems : []) {
		const sum = appendixSum(it.code);
		if (sum === null) continue;
		const typed = parseItem(it, S.local.values[it.code]);
		if (!typed.error && typed.value === sum) continue;
		if (String(S.local.values[it.code] ?? '').trim() === '') {
			putTotal(it, sum);
			filled++;
		} else {
			ask.push([it, sum]);
		}
	}
	refresh();
	const box = byId('totals-confirm-' + safe(section));
	if (!ask.length) {
		S.pendingTotals = null;
		if (box) fill(box);
		showMessage(filled ? 'Đã điền ' + fmtNumber(filled) + ' số của đơn vị từ riêng đơn vị cộng ' +
		    'các trạm.' : 'Số của đơn vị đã bằng riêng đơn vị cộng các trạm; không cần thay.', 'success');
		return;
	}
	S.pendingTotals = ask;
	if (!box) return;
	fill(box, h('div', { class: 'alert alert-warning', role: 'alertdialog',
		'aria-labelledby': 'totals-ask-' + safe(section) },
	h('p', { class: 'alert-title', id: 'totals-ask-' + safe(section) },
		'Thay ' + fmtNumber(ask.length) + ' số đã nhập?'),
	filled ? h('p', null, 'Đã điền ' + fmtNumber(filled) + ' ô còn trống.') : null,
	h('p', null, 'Các số dưới đây đã được nhập và khác với riêng đơn vị cộng các trạm. ' +
	    'Kiểm tra lại: nếu số đã nhập đúng, hãy sửa số riêng của đơn vị hoặc của trạm.'),
	h('ul', { class: 'rpt-totals-list' }, ask.map(([it, sum]) => h('li', { 'data-total-item': it.code },
		it.label + ': đã nhập ' + S.local.values[it.code] + ' → riêng đơn vị + các trạm: ' +
		rawOf(it, sum)))),
	h('div', { class: 'actions' },
		h('button', { type: 'button', class: 'btn', 'data-action': 'totals-replace',
			'data-section': section }, 'Thay bằng riêng đơn vị + các trạm'),
		h('button', { type: 'button', class: 'btn btn-secondary', 'data-action': 'totals-keep',
			'data-section': section }, 'Giữ số đã nhập'))));
	const first = box.querySelector('[data-action="totals-keep"]');
	if (first) first.focus();
}

/* ------------------------------------------------------------------ */
/* Saving                                                             */
/* ------------------------------------------------------------------ */

function scheduleAutosave(ms = AUTOSAVE_MS) {
	clearTimeout(S.timer);
	if (!S.editable || S.blocked) return;
	S.timer = setTimeout(() => save('auto'), ms);
}

/* Seconds to the next attempt; 0 once they are spent (then: online, a click). */
function scheduleRetry() {
	clearTimeout(S.retryTimer);
	const wait = offline.retryDelay(++S.attempts, navigator.onLine);
	S.retrySecs = wait === null ? 0 : Math.round(wait / 1000);
	if (wait !== null) S.retryTimer = setTimeout(() => save('retry'), wait);
	return S.retrySecs;
}

function retryText(secs) {
	return secs ? 'thử lại sau ' + fmtNumber(secs) + ' giây' : 'sẽ thử lại khi có mạng';
}

async function save(reason) {
	if (!S.editable || S.blocked) return false;
	if (S.saving) {
		S.again = true;
		return S.saving;
	}
	if (!S.edits.size) {
		if (reason === 'manual') setState(S.state === 'saved' ? 'saved' : 'idle',
			'Không có thay đổi nào cần lưu.');
		else if (S.state !== 'saved') setState('idle');
		return true;
	}
	if (reason === 'auto' && S.heldSeq === S.seq) return false;
	clearTimeout(S.timer);
	clearTimeout(S.retryTimer);
	let ok = false;
	S.saving = doSave();
	try {
		ok = await S.saving;
	} finally {
		S.saving = null;
	}
	if (S.again) {
		S.again = false;
		if (ok && S.edits.size) scheduleAutosave(300);
	}
	return ok;
}

async function doSave() {
	const seq = S.seq;
	const snapshot = new Map([...S.edits].map(([k, v]) => [k, clone(v)]));
	const { body, problems, rowMaps } = buildPayload(S.model, S.local, S.report);
	body.version = S.version;
	setState('saving');
	let rep;
	try {
		rep = await api('PUT', S.path, body);
	} catch (e) {
		return saveFailed(e, rowMaps, seq);
	}

	S.report = rep;
	S.version = rep.version;
	S.serverChecks = rep.checks || [];
	S.rowMaps = rowMaps;
	S.serverErrors.clear();
	S.attempts = 0;
	S.retrySecs = 0;
	S.lastSavedAt = Date.now();
	const held = new Set(problems.map((p) => editKeyOf(p.key)));
	for (const [k, v] of snapshot) {
		if (held.has(k)) continue;
		/* Unchanged since sent ("1234" shown as "1.234" counts as unchanged). */
		if (S.edits.has(k) && sameValue(S.model, k, S.edits.get(k), v)) S.edits.delete(k);
	}
	S.checksFresh = S.seq === seq;
	writeDraft();
	renderHead(S);
	const newer = S.seq !== seq;
	if (newer) {
		setState('dirty');
		scheduleAutosave();
	} else {
		S.heldSeq = problems.length ? seq : -1;
		if (!S.edits.size) S.restored = false;
		setState('saved', 'Đã lưu lúc ' + hhmm(S.lastSavedAt) + '.' + problemNote(problems));
	}
	refresh();
	return true;
}

function detailKey(d, rowMaps) {
	if (!d || typeof d !== 'object') return null;
	if (d.station && d.item) return 's:' + d.station + '|' + d.item;
	/* A comment's problem names its item too: the comment when only it has a field. */
	if (d.item) return view.fields.has('v:' + d.item) || !view.fields.has('c:' + d.item)
		? 'v:' + d.item : 'c:' + d.item;
	if (d.list) {
		/* Rows count from 1, as in the check results. */
		const map = rowMaps[d.list];
		const sent = d.row !== undefined && d.row !== null ? Number(d.row) - 1 : 0;
		const row = map && map[sent] !== undefined ? map[sent] : Math.max(0, sent);
		return 'l:' + d.list + '|' + row + '|' + (d.column || '');
	}
	return null;
}

function saveFailed(e, rowMaps, seq) {
	if (e && e.redirecting) {
		setState('error', 'Phiên đăng nhập đã hết; các thay đổi được giữ trong trình duyệt này ' +
		    'và sẽ được lưu sau khi đăng nhập lại.');
		return false;
	}
	const status = e ? e.status : 0;
	if (!status) {
		const secs = scheduleRetry();
		setState('offline', OFFLINE_TEXT + ' (' + retryText(secs) + ').');
		return false;
	}
	if (status === 409 && e.code === 'stale') {
		showStale(e.message);
		return false;
	}
	if (status === 409) {
		S.blocked = 'locked';
		setState('error', e.message);
		showLocked(e.message);
		return false;
	}
	if (status === 422 && e.code === 'invalid_values') {
		S.serverErrors.clear();
		const other = [];
		for (const d of Array.isArray(e.details) ? e.details : []) {
			const key = detailKey(d, rowMaps);
			if (key) S.serverErrors.set(key, d.message || 'Giá trị không hợp lệ.');
			else other.push(d);
		}
		S.heldSeq = seq;
		setState('error', 'Chưa lưu: ' + e.message);
		refresh();
		if (other.length) showMessage(e.message, 'error', { details: other });
		return false;
	}
	if (status >= 500 || status === 429 || status === 408) {
		const secs = scheduleRetry();
		setState('retry', (e.message || 'Máy chủ báo lỗi.') + ' Các thay đổi được giữ trong ' +
		    'trình duyệt này; ' + retryText(secs) + '.');
		return false;
	}
	S.heldSeq = seq;
	setState('error', 'Chưa lưu: ' + (e.message || 'lỗi không xác định.'));
	return false;
}

/* ------------------------------------------------------------------ */
/* Another version: stale saves, drafts left from an earlier visit    */
/* ------------------------------------------------------------------ */

function syncBox(...children) {
	fill(byId('sync-box'), children);
}

/*
 * 409 stale: the stored report is not the one this page read.  It may be
 * another tab's or person's save, or this page's own earlier save whose
 * answer was lost (the retry then meets its own work).  The page never
 * writes over it: it says so, offers to reload, and looks at the stored
 * version at once to tell whether what was typed is already in it.
 */
function showStale(message) {
	S.blocked = 'stale';
	clearTimeout(S.timer);
	clearTimeout(S.retryTimer);
	setState('stale');
	const btn = h('button', { type: 'button', class: 'btn', id: 'reload-latest' },
		'Tải lại báo cáo');
	btn.addEventListener('click', () => reloadLatest(btn));
	const verdict = h('p', { id: 'stale-verdict' }, 'Đang so sánh với bản đang lưu…');
	syncBox(h('div', { class: 'alert alert-warning', id: 'stale-box', role: 'alert' },
		h('p', { class: 'alert-title' }, 'Báo cáo đã thay đổi kể từ lúc bạn mở trang.'),
		h('p', null, message || 'Báo cáo đã được lưu ở một tab khác, bởi người khác, hoặc bởi ' +
		    'một lần lưu trước của chính bạn mà trang chưa nhận được trả lời.'),
		verdict,
		h('p', null, 'Trang không ghi đè lên bản đang lưu. Những gì bạn đã nhập vẫn còn trên ' +
		    'trang; bấm “Tải lại báo cáo” để xem bản đang lưu, những mục bạn nhập khác với ' +
		    'bản đó sẽ được liệt kê để so sánh và nhập lại.'),
		h('div', { class: 'actions' }, btn)));
	compareStale(verdict);
}

async function compareStale(el) {
	let fresh;
	try {
		fresh = await api('GET', S.path);
	} catch (e) {
		el.textContent = '';
		return;
	}
	if (!el.isConnected) return;
	const model = buildModel(S.form, fresh);
	const differ = conflictsOf(model, Object.fromEntries(S.edits), localFromReport(model, fresh));
	el.dataset.differ = String(differ.length);
	el.textContent = differ.length
		? 'Bản đang lưu khác với những gì bạn vừa nhập ở ' + fmtNumber(differ.length) + ' mục.'
		: 'Bản đang lưu đã có đúng những gì bạn vừa nhập (lần lưu trước đã được ghi lại).';
}

function showLocked(message) {
	const btn = h('button', { type: 'button', class: 'btn', id: 'reload-latest' },
		'Tải lại báo cáo');
	btn.addEventListener('click', () => reloadLatest(btn));
	syncBox(h('div', { class: 'alert alert-error', role: 'alert' },
		h('p', { class: 'alert-title' }, message ||
			'Báo cáo không còn sửa được (đã nộp hoặc đã được duyệt).'),
		h('p', null, 'Các thay đổi chưa lưu của bạn sẽ được liệt kê sau khi tải lại.'),
		h('div', { class: 'actions' }, btn)));
}

async function reloadLatest(btn) {
	setBusy(btn, true, 'Đang tải…');
	let fresh;
	try {
		fresh = await api('GET', S.path);
	} catch (e) {
		setBusy(btn, false);
		showError(e);
		return;
	}
	const edits = Object.fromEntries(S.edits);
	adopt(fresh);
	const conflicts = conflictsOf(S.model, edits, S.local);
	storeSet(S.storeKey, null);
	renderAll();
	setConflicts(conflicts, 'stale');
	if (!conflicts.length)
		showMessage('Đã tải lại báo cáo. Bản đang lưu đã có đủ những gì bạn nhập; không cần ' +
		    'nhập lại.', 'success');
	byId('report-title').scrollIntoView({ block: 'start' });
}

/*
 * The edits that met another version, each beside the server's value,
 * until the person has chosen one or the other for every item: kept in
 * the browser meanwhile (the fields show the server's values).
 */
function setConflicts(conflicts, reason, typedAt) {
	const fresh = conflicts.map((c) => ({ ...c, done: false }));
	const keys = new Set(fresh.map((c) => c.key));
	S.conflicts = [...(S.conflicts || []).filter((c) => !c.done && !keys.has(c.key)), ...fresh];
	S.conflictReason = reason;
	S.conflictAt = { typed: typedAt || new Date().toISOString(), server: offline.baseStamp(S.report) };
	keepConflicts();
	renderConflicts();
}

function keepConflicts() {
	const open = (S.conflicts || []).length && !offline.allDecided(S.conflicts);
	storeSet(S.conflictKey, open ? {
		reason: S.conflictReason, items: S.conflicts, at: S.conflictAt,
	} : null);
}

function conflictIntro() {
	const at = S.conflictAt || {};
	const typed = at.typed ? ' (lúc ' + fmtDateTime(at.typed) + ')' : '';
	const server = at.server ? ' Bản trên máy chủ được lưu lúc ' + fmtDateTime(at.server) + '.' : '';
	const how = S.editable
		? ' Với mỗi mục, chọn giữ giá trị của bạn hoặc lấy giá trị trên máy chủ; các ô đang ' +
		  'hiển thị giá trị trên máy chủ, giá trị được chọn sẽ được tự lưu.'
		: ' Báo cáo hiện không sửa được nên không thể nhập lại.';
	return (S.conflictReason === 'draft'
		? 'Những thay đổi dưới đây được nhập ở lần mở trang trước' + typed + ' nhưng chưa gửi ' +
		  'được, và sau đó báo cáo đã được lưu lại (ở tab khác hoặc bởi người khác).'
		: 'Báo cáo đã thay đổi kể từ lúc bạn mở trang; những gì bạn đã nhập dưới đây khác ' +
		  'với bản đó.') + server + how;
}

function conflictChoice(c, i) {
	if (!S.editable) return null;
	if (c.done) return h('td', null, h('span', { class: 'badge badge-ok' },
		c.done === 'theirs' ? 'Đã lấy giá trị trên máy chủ' : 'Đã giữ giá trị của bạn'));
	return h('td', null, h('div', { class: 'rpt-choice' },
		h('button', { type: 'button', class: 'btn btn-small', 'data-action': 'reapply',
			'data-index': String(i) }, 'Giữ giá trị của tôi'),
		h('button', { type: 'button', class: 'btn btn-secondary btn-small',
			'data-action': 'take-theirs', 'data-index': String(i) }, 'Lấy giá trị trên máy chủ')));
}

function renderConflicts() {
	const list = S.conflicts || [];
	if (!list.length) {
		syncBox();
		return;
	}
	const rows = list.map((c, i) => h('tr', { 'data-conflict': c.key,
		'data-done': c.done ? String(c.done) : null },
	h('th', { scope: 'row' }, c.label),
	h('td', { 'data-side': 'mine' }, c.mineText),
	h('td', { 'data-side': 'theirs' }, c.theirsText),
	conflictChoice(c, i)));
	const left = S.editable && !offline.allDecided(list);
	const dismiss = h('button', { type: 'button', class: 'btn btn-secondary', id: 'conflict-dismiss' },
		left ? 'Lấy giá trị trên máy chủ cho các mục còn lại' : 'Đã xem xong, ẩn danh sách');
	dismiss.addEventListener('click', () => {
		S.conflicts = [];
		storeSet(S.conflictKey, null);
		renderConflicts();
	});
	const box = h('div', { class: 'alert alert-warning rpt-conflicts', id: 'conflict-box', role: 'region',
		'aria-label': 'Các thay đổi chưa được lưu' },
	h('p', { class: 'alert-title' }, 'Các thay đổi chưa được lưu: chọn giá trị cho từng mục'),
	h('p', null, conflictIntro()),
	h('div', { class: 'table-wrap' }, h('table', null,
		h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Mục'),
			h('th', { scope: 'col' }, 'Bạn đã nhập (chưa gửi)'),
			h('th', { scope: 'col' }, 'Trên máy chủ'),
			S.editable ? h('th', { scope: 'col' }, 'Chọn') : null)),
		h('tbody', null, rows))),
	h('div', { class: 'actions' }, dismiss));
	box.addEventListener('click', (ev) => {
		const b = ev.target.closest('button[data-action]');
		if (b) chooseConflict(Number(b.dataset.index), b.dataset.action === 'reapply' ? 'mine' : 'theirs');
	});
	syncBox(box);
}

/* Puts raw into a field (a whole list: redrawn) and marks it to save. */
function putField(key, raw) {
	if (!setLocal(key, clone(raw))) return false;
	if (key.startsWith('l:')) {
		renderList(S, key.slice(2));
	} else {
		const el = view.fields.get(key);
		if (el) el.value = raw;
	}
	S.serverErrors.delete(key);
	markEdited(key);
	return true;
}

function chooseConflict(i, side) {
	const c = S.conflicts[i];
	if (!c || c.done || !S.editable) return;
	const key = c.key;
	const want = side === 'mine' ? c.mine : c.theirs;
	/* The field shows the server's value unless typed into since. */
	if (want !== undefined && !sameValue(S.model, key, rawAt(S.local, key), want) &&
	    !putField(key, want)) {
		showMessage('Mục này không còn trên trang nên không nhập lại được.', 'warning');
		return;
	}
	c.done = side;
	keepConflicts();
	refresh();
	renderConflicts();
	const el = view.fields.get(key);
	if (el && side === 'mine') focusField(el.id);
}

/*
 * At load: the edits left in this browser by this user.  Typed on the
 * version the server still has: put back and sent; the server changed
 * since (or the report is no longer editable): listed beside its values.
 */
function restoreDraft() {
	const d = storeGet(S.storeKey);
	const left = storeGet(S.conflictKey);
	if (left && Array.isArray(left.items) && left.items.length) {
		/* Beside the server's values as they are now. */
		const open = left.items.filter((c) => !c.done);
		const now = conflictsOf(S.model, Object.fromEntries(open.map((c) => [c.key, c.mine])), S.local);
		S.conflicts = now.map((c) => ({ ...c, done: false }));
		S.conflictReason = left.reason;
		S.conflictAt = { ...(left.at || {}), server: offline.baseStamp(S.report) };
		keepConflicts();
	}
	const plan = offline.restorePlan(d, {
		user: S.session.user.username, version: S.version, editable: S.editable,
	});
	if (plan === 'none') {
		if (d) storeSet(S.storeKey, null);
		return 0;
	}
	if (plan === 'apply') {
		let n = 0;
		for (const [key, raw] of Object.entries(d.edits)) {
			if (!setLocal(key, clone(raw))) continue;
			S.edits.set(key, clone(raw));
			n++;
		}
		if (n) {
			S.seq++;
			S.checksFresh = false;
			S.restored = true;
		}
		writeDraft();
		return n;
	}
	const conflicts = conflictsOf(S.model, d.edits, S.local);
	storeSet(S.storeKey, null);
	if (conflicts.length) setConflicts(conflicts, 'draft', d.saved_at);
	else showMessage('Những gì bạn nhập ở lần mở trang trước đã có trong bản trên máy chủ.', 'success');
	return 0;
}

/* ------------------------------------------------------------------ */
/* Six-month reports pre-filled from the monthly ones (GET "prefill")  */
/* ------------------------------------------------------------------ */

/* [key, item, number] for each empty field the months can fill. */
function prefillable() {
	const pre = S.report.prefill;
	if (!S.editable || !pre || typeof pre !== 'object') return [];
	const out = [];
	const values = pre.values || {};
	for (const it of S.model.typedItems()) {
		const v = values[it.code];
		if (typeof v === 'number' && String(S.local.values[it.code] ?? '').trim() === '')
			out.push(['v:' + it.code, it, v]);
	}
	const stations = pre.stations || {};
	for (const st of S.model.rows) {
		for (const code of S.model.stationItems) {
			const v = (stations[st.code] || {})[code];
			const cur = (S.local.stations[st.code] || {})[code];
			if (typeof v === 'number' && String(cur ?? '').trim() === '')
				out.push(['s:' + st.code + '|' + code, S.model.items.get(code), v]);
		}
	}
	return out;
}

function renderPrefill() {
	const box = byId('prefill-box');
	const todo = prefillable();
	if (box.dataset.count === String(todo.length)) return;
	box.dataset.count = String(todo.length);
	if (!todo.length) {
		fill(box);
		return;
	}
	const from = (S.report.prefill.from || []).map((p) => String(p));
	const btn = h('button', { type: 'button', class: 'btn btn-secondary', id: 'prefill-apply' },
		'Điền vào ' + fmtNumber(todo.length) + ' ô còn trống');
	btn.addEventListener('click', applyPrefill);
	/* Items some month's outline did not ask: no sum to offer. */
	const absent = (S.report.prefill.absent || []).map((c) => (S.model.items.get(c) || {}).label)
		.filter(Boolean);
	fill(box, h('div', { class: 'alert rpt-prefill', role: 'note' },
		h('p', { class: 'alert-title' }, 'Có số liệu tổng hợp từ các báo cáo tháng'),
		h('p', null, 'Từ ' + fmtNumber(from.length) + ' báo cáo tháng đã nộp trong kỳ' +
		    (from.length ? ' (' + from.join(', ') + ')' : '') + ': số lượt, số tiền được cộng ' +
		    'dồn; số thiết bị, số người lấy theo tháng gần nhất. Chỉ điền vào các ô đang để ' +
		    'trống; kiểm tra và sửa lại nếu cần trước khi nộp.'),
		absent.length ? h('p', { class: 'rpt-prefill-absent' }, 'Không điền sẵn ' +
		    fmtNumber(absent.length) + ' mục vì có tháng mà mục đó không có trong đề cương kỳ ' +
		    'này (đề cương tháng đó chưa có mục): ' + absent.join('; ') + '.') : null,
		h('div', { class: 'actions' }, btn)));
}

function applyPrefill() {
	const todo = prefillable();
	for (const [key, it, v] of todo) {
		const shown = rawOf(it, v);
		if (!setLocal(key, shown)) continue;
		const el = view.fields.get(key);
		if (el) el.value = shown;
		S.serverErrors.delete(key);
		markEdited(key);
	}
	refresh();
	renderPrefill();
	showMessage('Đã điền ' + fmtNumber(todo.length) + ' ô từ số liệu các báo cáo tháng; ' +
	    'trang sẽ tự lưu. Kiểm tra lại trước khi nộp.', 'success');
}

/* ------------------------------------------------------------------ */
/* Submitting                                                         */
/* ------------------------------------------------------------------ */

/* Save until nothing is left (a save may be running already). */
async function flush() {
	for (let i = 0; i < 4; i++) {
		if (S.saving) {
			try {
				await S.saving;
			} catch (e) { /* the next round says why */ }
			continue;
		}
		if (!S.edits.size) return true;
		if (!(await save('submit'))) return false;
	}
	return !S.edits.size && !S.saving;
}

function focusSummary() {
	const t = byId('checks-title');
	if (t) {
		t.setAttribute('tabindex', '-1');
		t.focus();
		t.scrollIntoView({ block: 'start' });
	}
}

async function submit() {
	if (!S.editable) return;
	clearMessages();
	S.typing = null;
	refresh();
	if (S.blocked) {
		const b = byId('reload-latest');
		showMessage('Chưa nộp được: báo cáo đã thay đổi kể từ lúc bạn mở. Tải lại báo cáo trước.',
			'error');
		if (b) b.focus();
		return;
	}
	if (S.problems.length) {
		showMessage('Chưa nộp được: còn ' + fmtNumber(S.problems.length) + ' ô nhập chưa hợp lệ.', 'error');
		focusField(fieldId(S.problems[0].key));
		return;
	}
	if (S.edits.size || S.saving) {
		const button = byId('submit-button');
		setBusy(button, true, 'Đang lưu…');
		let ok;
		try {
			ok = await flush();
		} finally {
			setBusy(button, false);
		}
		if (!ok) {
			showMessage('Chưa nộp được vì báo cáo chưa lưu xong: ' + byId('save-status').textContent,
				'error');
			return;
		}
	}
	if (!S.version) {
		showMessage('Báo cáo chưa có số liệu nào; hãy nhập và lưu trước khi nộp.', 'error');
		return;
	}
	const errors = S.shownChecks.filter((c) => c.severity === 'error');
	if (errors.length) {
		showMessage('Chưa nộp được: báo cáo còn ' + fmtNumber(errors.length) +
		    ' lỗi phải sửa (xem “Kết quả kiểm tra”).', 'error');
		focusSummary();
		return;
	}
	const open = S.shownChecks.filter((c) => c.severity === 'warning' && !c.answered);
	if (open.length) {
		showMessage('Chưa nộp được: còn ' + fmtNumber(open.length) + ' cảnh báo chưa có giải ' +
		    'trình. Ghi giải trình vào ô “Giải trình cho cảnh báo”.', 'error');
		const f = view.fields.get('c:' + commentKey(open[0]));
		if (f) focusField(f.id);
		else focusSummary();
		return;
	}
	openSubmitDialog();
}

function openSubmitDialog() {
	const dlg = byId('submit-dialog');
	const p = S.report.period_info || {};
	const n = daysBetween(todayVN(), p.deadline);
	fill(byId('submit-dialog-text'),
		h('p', null, 'Nộp ' + byId('report-title').textContent + ', kỳ ' + (p.name || S.period) +
		    ', cho Văn phòng Sở Y tế?'),
		h('p', null, 'Sau khi nộp, báo cáo không sửa được nữa, trừ khi Văn phòng Sở trả lại.'),
		n < 0 ? h('p', { class: 'alert alert-warning' }, 'Đã quá hạn nộp ' + fmtNumber(-n) +
			' ngày: báo cáo sẽ được ghi là nộp muộn.') : null);
	if (typeof dlg.showModal === 'function') dlg.showModal();
	else dlg.setAttribute('open', '');
	byId('submit-confirm').focus();
}

function closeSubmitDialog() {
	const dlg = byId('submit-dialog');
	if (dlg.open) {
		if (typeof dlg.close === 'function') dlg.close();
		else dlg.removeAttribute('open');
	}
}

async function confirmSubmit() {
	const btn = byId('submit-confirm');
	setBusy(btn, true, 'Đang nộp…');
	let res;
	try {
		res = await api('POST', S.path + '/submit');
	} catch (e) {
		setBusy(btn, false);
		closeSubmitDialog();
		if (e.redirecting) return;
		if (e.status === 422 && e.code === 'checks_failed') {
			S.serverChecks = Array.isArray(e.details) ? e.details : [];
			S.checksFresh = true;
			refresh();
			showMessage(e.message, 'error');
			focusSummary();
		} else if (e.status === 409 && e.code === 'stale') {
			showStale(e.message);
		} else if (e.status === 409) {
			showLocked(e.message);
		} else {
			showError(e);
		}
		byId('submit-button').focus();
		return;
	}
	setBusy(btn, false);
	closeSubmitDialog();
	storeSet(S.storeKey, null);
	let fresh = null;
	try {
		fresh = await api('GET', S.path);
	} catch (e) { /* show what the submit said */ }
	if (fresh) {
		adopt(fresh);
	} else {
		S.report = { ...S.report, status: res.status || 'submitted', late: Boolean(res.late),
			submitted_at: new Date().toISOString() };
		S.editable = false;
		S.readOnlyReason = readOnlyReason(S.report);
	}
	renderAll();
	const late = fresh ? fresh.late : res.late;
	showMessage('Đã nộp báo cáo lúc ' + fmtDateTime(S.report.submitted_at || new Date().toISOString()) +
	    '.' + (late ? ' Báo cáo được ghi là nộp muộn.' : ' Nộp đúng hạn.') +
	    ' Văn phòng Sở sẽ xem và duyệt hoặc trả lại kèm lý do.', 'success');
	const box = byId('messages');
	box.setAttribute('tabindex', '-1');
	box.focus();
	box.scrollIntoView({ block: 'start' });
}

/* ------------------------------------------------------------------ */
/* Loading and drawing                                                */
/* ------------------------------------------------------------------ */

function readOnlyReason(report) {
	const role = S.session.user.role;
	const p = report.period_info || {};
	if (role !== 'unit') return 'Tài khoản của bạn chỉ xem, không sửa báo cáo của đơn vị.';
	if (p.start && todayVN() < p.start && (report.status === 'draft' || !report.status))
		return 'Kỳ báo cáo ' + (p.name || S.period) + ' chưa bắt đầu: nhập và nộp báo cáo từ ngày ' +
		    fmtDate(p.start) + '.';
	if (report.status === 'submitted') return 'Báo cáo đã nộp, đang chờ Văn phòng Sở duyệt; không sửa được.';
	if (report.status === 'accepted') return 'Báo cáo đã được duyệt và khóa.';
	return '';
}

function adopt(report) {
	S.report = report;
	S.version = Number(report.version) || 0;
	S.model = buildModel(S.form, report);
	S.local = localFromReport(S.model, report);
	S.remarks = remarkItems(report);
	S.pendingTotals = null;
	S.edits.clear();
	S.serverErrors.clear();
	S.serverChecks = report.checks || [];
	S.checksFresh = true;
	S.rowMaps = {};
	S.blocked = null;
	S.heldSeq = -1;
	S.lastRemoved = null;
	S.attempts = 0;
	S.retrySecs = 0;
	clearTimeout(S.timer);
	clearTimeout(S.retryTimer);
	S.readOnlyReason = readOnlyReason(report);
	S.editable = S.readOnlyReason === '' &&
	    (report.status === 'draft' || report.status === 'returned' || !report.status);
	if (!S.editable && !S.readOnlyReason) S.readOnlyReason = 'Báo cáo không sửa được.';
}

function renderAll() {
	renderHead(S);
	renderOutline(S);
	byId('report-toolbar').hidden = !S.editable;
	byId('report-form').classList.toggle('is-readonly', !S.editable);
	byId('readonly-note').hidden = S.editable;
	byId('readonly-note').textContent = S.readOnlyReason;
	for (const el of document.querySelectorAll('.rpt-howto')) el.hidden = !S.editable;
	delete byId('prefill-box').dataset.count;
	setState('idle');
	refresh();
	renderConflicts();
	renderPrefill();
	renderDocs(S.report, S.path, S.session.user.role);
}

function wire() {
	const content = byId('content');
	content.addEventListener('input', (ev) => {
		const el = ev.target;
		if (el.dataset && el.dataset.key) onValue(el);
	});
	content.addEventListener('change', (ev) => {
		const el = ev.target;
		if (el.dataset && el.dataset.key) onValue(el);
	});
	content.addEventListener('focusout', (ev) => {
		const el = ev.target;
		if (el.dataset && el.dataset.key) onLeave(el);
	});
	content.addEventListener('click', (ev) => {
		const jump = ev.target.closest('a[data-focus]');
		if (jump) {
			ev.preventDefault();
			focusField(jump.dataset.focus);
			return;
		}
		const btn = ev.target.closest('button[data-action]');
		if (btn && byId('report-form').contains(btn)) onAction(btn);
	});
	byId('report-form').addEventListener('keydown', (ev) => {
		const el = ev.target;
		if (ev.key !== 'Enter' || ev.shiftKey || ev.ctrlKey || ev.altKey || ev.metaKey) return;
		if (el.tagName !== 'INPUT') return;
		ev.preventDefault();
		const next = nextField(el);
		if (next) next.focus();
	});
	byId('report-form').addEventListener('submit', (ev) => {
		ev.preventDefault();
		save('manual');
	});
	byId('save-button').addEventListener('click', () => save('manual'));
	byId('submit-button').addEventListener('click', () => submit());
	byId('submit-confirm').addEventListener('click', () => confirmSubmit());
	byId('submit-cancel').addEventListener('click', () => {
		closeSubmitDialog();
		byId('submit-button').focus();
	});
	document.addEventListener('keydown', (ev) => {
		if ((ev.ctrlKey || ev.metaKey) && !ev.altKey && (ev.key === 's' || ev.key === 'S')) {
			ev.preventDefault();
			if (S.editable) save('manual');
		}
	});
	window.addEventListener('online', () => {
		if (S.state === 'offline' || S.state === 'retry') {
			S.attempts = 0;
			save('retry');
		}
	});
	/* Said at once, not at the next save's failure. */
	window.addEventListener('offline', () => {
		if (S.edits.size && !S.saving && S.state !== 'offline') save('retry');
	});
	document.addEventListener('visibilitychange', () => {
		if (document.visibilityState === 'hidden' && S.edits.size && !S.blocked &&
		    S.state !== 'offline') save('auto');
		/* Back to a page whose attempts were spent: once more. */
		if (document.visibilityState === 'visible' && S.attempts > offline.RETRY_LIMIT &&
		    S.edits.size && !S.saving) {
			S.attempts = 0;
			save('retry');
		}
	});
	window.addEventListener('beforeunload', (ev) => {
		if (!S.editable || (!S.saving && !S.edits.size)) return;
		writeDraft();
		ev.preventDefault();
		ev.returnValue = '';
	});
}

function badAddress(text) {
	showMessage(text, 'error', {
		noClose: true,
		extra: h('p', null, h('a', { href: '/' }, 'Về trang chủ để chọn báo cáo')),
	});
}

async function main() {
	const session = await initPage();
	/* Opened without a network: try again when it returns. */
	const again = () => window.addEventListener('online', () => location.reload(), { once: true });
	if (!session) {
		again();
		return;
	}
	S.session = session;
	S.formCode = (queryParam('form') || '').toUpperCase();
	S.period = queryParam('period') || '';
	S.unit = queryParam('unit') || session.user.unit || '';
	if (!FORMS.includes(S.formCode) || !S.period || !S.unit) {
		byId('content').hidden = true;
		badAddress('Địa chỉ trang chưa đủ: cần đơn vị, kỳ báo cáo và phụ lục (PL1 hoặc PL2).');
		return;
	}
	const enc = encodeURIComponent;
	S.path = '/api/v1/reports/' + enc(S.unit) + '/' + enc(S.period) + '/' + enc(S.formCode);
	const who = [session.user.username, S.unit, S.period, S.formCode];
	S.storeKey = offline.draftKey(...who);
	S.conflictKey = offline.unsentKey(...who);
	offline.prune(Date.now());

	const form = byId('report-form');
	fill(form, h('p', { class: 'loading' }, 'Đang tải báo cáo…'));
	let report;
	try {
		let inForce;
		[inForce, report] = await Promise.all([
			outlineFor(S.formCode, S.period),
			api('GET', S.path),
		]);
		S.form = await outlineOf(S.formCode, inForce, report.form_version);
	} catch (e) {
		fill(form);
		byId('content').hidden = true;
		if (!e.status) again();
		if (!e.redirecting) {
			showError(e, { noClose: true });
			byId('messages').append(h('p', null, h('a', { href: '/' }, 'Về trang chủ')));
		}
		return;
	}
	adopt(report);
	const restored = restoreDraft();
	renderAll();
	wire();
	if (restored) {
		setState('dirty', 'Đã khôi phục ' + fmtNumber(restored) + ' thay đổi chưa lưu từ lần mở ' +
		    'trang trước; đang lưu…');
		scheduleAutosave(500);
	}
}

main();
