/*
 * A draft survives a lost connection (assets/js/report-offline.js).  A
 * unit opens an open report and types; the connection is cut
 * (context.setOffline) and it types more: the page says "Chưa gửi được"
 * and keeps every edit in the browser; it is reloaded while offline (the
 * browser's own error page), opened again once the connection is back,
 * and sends what was kept, once.  A save whose requests are aborted
 * (route abort of /api/) is retried with back-off.  When the report
 * changed on the server meanwhile (another session of the unit saves
 * through the API), whether the page was closed or stayed open (409
 * stale), both values are shown per item and the unit chooses; the
 * chosen values are stored.  Signing out leaves nothing of the account
 * in the browser.  The server's side is always read through that other
 * session, never through the page.
 *
 * Needs PORTAL_OFFLINE_UNIT / _USER / _PASSWORD (a unit of its own whose
 * password is already changed) and PORTAL_PERIOD (an open monthly
 * period).
 */
import assert from 'node:assert/strict';
import { request } from 'playwright-core';

import * as offline from '../../assets/js/report-offline.js';

export const requires = [
	'PORTAL_OFFLINE_UNIT', 'PORTAL_OFFLINE_USER', 'PORTAL_OFFLINE_PASSWORD', 'PORTAL_PERIOD',
];

const FORM = 'PL1';
const TITLE = 'Chưa gửi được — sẽ gửi lại khi có mạng';

/* localStorage as the module sees it, in memory. */
class MemStore {
	constructor() {
		this.m = new Map();
	}

	get length() {
		return this.m.size;
	}

	key(i) {
		return [...this.m.keys()][i] ?? null;
	}

	getItem(k) {
		return this.m.has(k) ? this.m.get(k) : null;
	}

	setItem(k, v) {
		this.m.set(k, String(v));
	}

	removeItem(k) {
		this.m.delete(k);
	}
}

function css(s) {
	return String(s).replace(/["\\]/g, '\\$&');
}

const enc = encodeURIComponent;

function reportPath(t) {
	return '/api/v1/reports/' + enc(t.env('PORTAL_OFFLINE_UNIT')) + '/' +
	    enc(t.env('PORTAL_PERIOD')) + '/' + FORM;
}

function reportUrl(t) {
	return t.url('/report?unit=' + enc(t.env('PORTAL_OFFLINE_UNIT')) + '&period=' +
	    enc(t.env('PORTAL_PERIOD')) + '&form=' + FORM);
}

function own(page, code) {
	return page.locator('#report-form [data-item="' + css(code) + '"]:not([data-station])');
}

async function typeValue(page, code, value) {
	await own(page, code).fill(String(value));
	await page.keyboard.press('Tab');
}

async function waitSaved(page, timeout = 30000) {
	try {
		await page.waitForFunction(() => {
			const el = document.getElementById('save-status');
			return el && el.dataset.state === 'saved';
		}, null, { timeout });
	} catch (e) {
		throw new Error('not saved; status: ' + await page.locator('#save-status').innerText());
	}
}

/* The browser's records of this test's account, key → record. */
async function kept(t) {
	const prefixes = [offline.DRAFT_PREFIX, offline.UNSENT_PREFIX]
		.map((p) => p + enc(t.env('PORTAL_OFFLINE_USER')) + ':');
	return t.page.evaluate((pre) => Object.fromEntries(Object.keys(localStorage)
		.filter((k) => pre.some((p) => k.startsWith(p)))
		.map((k) => [k, JSON.parse(localStorage.getItem(k))])), prefixes);
}

function keyOf(t, which) {
	const f = which === 'unsent' ? offline.unsentKey : offline.draftKey;
	return f(t.env('PORTAL_OFFLINE_USER'), t.env('PORTAL_OFFLINE_UNIT'), t.env('PORTAL_PERIOD'),
		FORM);
}

/* The same unit signed in a second time, outside the browser. */
async function otherSession(t) {
	if (t.state.other) return t.state.other;
	const ctx = await request.newContext({ baseURL: t.url('') });
	const r = await ctx.post('/api/v1/session', {
		data: { username: t.env('PORTAL_OFFLINE_USER'), password: t.env('PORTAL_OFFLINE_PASSWORD') },
	});
	assert.equal(r.status(), 200, await r.text());
	t.state.other = { ctx, csrf: (await r.json()).csrf_token };
	return t.state.other;
}

async function stored(t) {
	const o = await otherSession(t);
	const r = await o.ctx.get(reportPath(t));
	assert.equal(r.status(), 200);
	return r.json();
}

/* The other session saves over what is stored, with some values changed. */
async function otherSaves(t, values) {
	const o = await otherSession(t);
	const cur = await stored(t);
	const mine = { ...cur.values, ...values };
	for (const code of t.state.derived) delete mine[code];
	const r = await o.ctx.put(reportPath(t), {
		headers: { 'X-CSRF-Token': o.csrf },
		data: { version: cur.version, values: mine },
	});
	assert.equal(r.status(), 200, await r.text());
	return (await r.json()).version;
}

/* Reloads as a person would (and says yes to "leave the page?"). */
async function reload(page) {
	const accept = (d) => d.accept().catch(() => {});
	page.on('dialog', accept);
	try {
		await page.reload().catch(() => {});
	} finally {
		page.off('dialog', accept);
	}
}

/*
 * Closes the tab and opens a new one.  (A page navigated away while
 * offline is not used for this: Chromium lifts the emulated offline
 * state of the page being left for a moment, and it then sends.)
 */
async function closeTab(t) {
	const next = await t.context.newPage();	/* first: the last tab would end the session */
	await t.page.close();
	t.page = next;
}

/* Until the server's report has a newer version than v (at most 20 s). */
async function storedAfter(t, v) {
	for (let i = 0; i < 80; i++) {
		const r = await stored(t);
		if (r.version > v) return r;
		await new Promise((ok) => setTimeout(ok, 250));
	}
	throw new Error('nothing stored after version ' + v);
}

async function openReport(t) {
	await t.page.goto(reportUrl(t));
	await t.page.locator('#report-form .rpt-section').first().waitFor();
}

/* ------------------------------------------------------------------ */

async function helpers() {
	/* Keyed by user: a name with a colon cannot pass for another's. */
	const k = offline.draftKey('a:b', 'U1', '2026-12', 'PL1');
	assert.equal(k, 'portal-draft:v1:a%3Ab:U1/2026-12/PL1');
	assert.notEqual(k, offline.draftKey('a', 'b:U1', '2026-12', 'PL1'));
	assert.notEqual(offline.unsentKey('a', 'U1', '2026-12', 'PL1'),
		offline.draftKey('a', 'U1', '2026-12', 'PL1'));

	/* Doubling back-off, capped, a bounded number of times. */
	const waits = [];
	for (let n = 1; n <= offline.RETRY_LIMIT + 1; n++) waits.push(offline.retryDelay(n));
	assert.deepEqual(waits, [2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000, null]);
	assert.equal(offline.retryDelay(1, false), offline.RETRY_MAX_MS);
	assert.equal(offline.retryDelay(0), null);

	const rec = offline.makeDraft({ user: 'u1', base: 3, edits: { 'v:a': '5' }, tab: 'A', now: 0 });
	assert.equal(offline.restorePlan(rec, { user: 'u1', version: 3, editable: true }), 'apply');
	assert.equal(offline.restorePlan(rec, { user: 'u1', version: 4, editable: true }), 'compare');
	assert.equal(offline.restorePlan(rec, { user: 'u1', version: 3, editable: false }), 'compare');
	assert.equal(offline.restorePlan(rec, { user: 'u2', version: 3, editable: true }), 'none');
	assert.equal(offline.restorePlan({ ...rec, edits: {} }, { user: 'u1', version: 3, editable: true }),
		'none');
	assert.equal(offline.baseStamp({ history: [{ at: 'x' }, { at: 'y' }] }), 'y');
	assert.equal(offline.baseStamp({}), null);

	/* A tab with nothing left does not drop another tab's edits. */
	const s = new MemStore();
	const key = offline.draftKey('u1', 'U1', '2026-12', 'PL1');
	assert.ok(offline.keepDraft(key, rec, s));
	offline.keepDraft(key, { ...rec, tab: 'B', edits: {} }, s);
	assert.deepEqual(offline.readJson(key, s).edits, { 'v:a': '5' });
	offline.keepDraft(key, { ...rec, edits: {} }, s);
	assert.equal(offline.readJson(key, s), null);

	/* Sign-out forgets that user's records only. */
	const now = Date.parse('2026-12-07T00:00:00Z');
	const put = (k, days) => offline.writeJson(k, offline.makeDraft({
		user: 'x', edits: { 'v:a': 1 }, now: now - days * 86400000,
	}), s);
	put(offline.draftKey('u1', 'U1', '2026-12', 'PL1'), 0);
	put(offline.unsentKey('u1', 'U1', '2026-11', 'PL1'), 0);
	put(offline.draftKey('u10', 'U1', '2026-12', 'PL1'), 0);
	put(offline.draftKey('u2', 'U2', '2026-12', 'PL1'), offline.KEEP_DAYS + 1);
	s.setItem('other-app', 'kept');
	s.setItem(offline.DRAFT_PREFIX + 'broken', '{');
	assert.equal(offline.pendingCount('u1', s), 2);
	assert.equal(offline.pendingCount('u', s), 0);
	assert.equal(offline.forgetUser('u', s), 0);
	assert.equal(offline.forgetUser('u1', s), 2);
	assert.equal(s.length, 4);
	/* Old and unreadable records go at the next visit. */
	assert.equal(offline.prune(now, s), 2);
	assert.deepEqual([...s.m.keys()].sort(),
		[offline.draftKey('u10', 'U1', '2026-12', 'PL1'), 'other-app'].sort());

	const n = offline.unsentNotice('offline', { count: 3, secs: 4 });
	assert.equal(n.title, TITLE);
	assert.match(n.detail, /3 thay đổi .*sau 4 giây/);
	assert.match(offline.unsentNotice('retry', { count: 1, spent: true }).detail, /Gửi lại ngay/);
	assert.equal(offline.unsentNotice('saved', { count: 3 }), null);
	assert.equal(offline.unsentNotice('offline', { count: 0 }), null);
	assert.match(offline.unsentNotice('saving', { count: 2, restored: true }).title, /Chưa gửi được/);
	assert.equal(offline.allDecided([{ done: 'mine' }, { done: false }]), false);
	assert.equal(offline.allDecided([{ done: 'mine' }, { done: 'theirs' }]), true);
}

async function signIn(t) {
	const { page } = t;
	await page.goto(t.url('/login'));
	await page.fill('#username', t.env('PORTAL_OFFLINE_USER'));
	await page.fill('#password', t.env('PORTAL_OFFLINE_PASSWORD'));
	await page.click('#login-button');
	await page.waitForURL((u) => new URL(u).pathname === '/', { timeout: 20000 });
}

async function typesOnline(t) {
	const { page } = t;
	await openReport(t);
	const o = await otherSession(t);
	const form = await (await o.ctx.get('/api/v1/forms/' + FORM + '?period=' +
	    enc(t.env('PORTAL_PERIOD')))).json();
	const rep = await stored(t);
	const applicable = new Set(rep.applicable || []);
	const items = form.sections.flatMap((s) => s.items);
	t.state.derived = items.filter((it) => it.kind === 'rate' || it.kind === 'sum')
		.map((it) => it.code);
	t.state.codes = items.filter((it) => it.kind === 'count' && applicable.has(it.code))
		.map((it) => it.code);
	assert.ok(t.state.codes.length >= 14, 'enough count items: ' + t.state.codes.length);
	assert.equal(rep.version, 0, 'the test starts from an empty report');
	t.state.typed = {};
	for (const code of t.state.codes.slice(0, 2)) {
		t.state.typed[code] = 41 + Object.keys(t.state.typed).length;
		await typeValue(page, code, t.state.typed[code]);
	}
	await waitSaved(page);
	const r = await stored(t);
	t.state.version = r.version;
	assert.equal(r.version, 1);
	for (const [code, v] of Object.entries(t.state.typed)) assert.equal(r.values[code], v, code);
}

async function typesOffline(t) {
	const { page, context } = t;
	await context.setOffline(true);
	const more = t.state.codes.slice(2, 6);
	for (const code of more.slice(0, 2)) {
		t.state.typed[code] = 41 + Object.keys(t.state.typed).length;
		await typeValue(page, code, t.state.typed[code]);
	}
	const mark = page.locator('#unsent-box #unsent-mark');
	await mark.waitFor({ timeout: 20000 });
	assert.ok(await mark.isVisible(), 'the notice is in view');
	assert.equal(await page.locator('#unsent-box').getAttribute('aria-live'), 'polite');
	assert.match(await mark.innerText(), new RegExp(TITLE));
	assert.match(await mark.innerText(), /2 thay đổi/);
	/* Typed while it says so: counted, kept too. */
	for (const code of more.slice(2)) {
		t.state.typed[code] = 41 + Object.keys(t.state.typed).length;
		await typeValue(page, code, t.state.typed[code]);
	}
	await page.waitForFunction(() => /4 thay đổi/.test(
		(document.getElementById('unsent-mark') || {}).textContent || ''));
	await t.shot('offline-unsent');
	const recs = await kept(t);
	assert.deepEqual(Object.keys(recs), [keyOf(t, 'draft')]);
	const rec = recs[keyOf(t, 'draft')];
	assert.equal(rec.user, t.env('PORTAL_OFFLINE_USER'));
	assert.equal(rec.base, t.state.version);
	assert.ok(rec.base_at, 'the stamp of the version it was typed on');
	assert.deepEqual(rec.edits, Object.fromEntries(more.map((c) => ['v:' + c, String(t.state.typed[c])])));
	assert.equal((await stored(t)).version, t.state.version, 'nothing reached the server');
}

async function closedThenReopened(t) {
	await closeTab(t);
	assert.equal((await stored(t)).version, t.state.version, 'nothing sent while closing');
	await t.context.setOffline(false);
	const { page } = t;
	await openReport(t);
	await waitSaved(page);
	for (const [code, v] of Object.entries(t.state.typed))
		assert.equal(await own(page, code).inputValue(), String(v), code);
	assert.equal(await page.locator('#unsent-mark').count(), 0, 'the notice is gone');
	assert.deepEqual(await kept(t), {}, 'nothing left in the browser');
	const r = await stored(t);
	for (const [code, v] of Object.entries(t.state.typed)) assert.equal(r.values[code], v, code);
	/* Once: one save (a version is one save) carried what was kept. */
	assert.equal(r.version, t.state.version + 1);
	t.state.version = r.version;
}

/*
 * Reloaded while offline: the browser's error page, which loads the
 * report again once the network is back.  Which of the two documents
 * sends (see closeTab) varies; what is stored, and how often, does not.
 */
async function reloadedOffline(t) {
	const { page, context } = t;
	await context.setOffline(true);
	for (const code of t.state.codes.slice(6, 8)) {
		t.state.typed[code] = 41 + Object.keys(t.state.typed).length;
		await typeValue(page, code, t.state.typed[code]);
	}
	await page.locator('#unsent-mark').waitFor({ timeout: 20000 });
	await reload(page);
	await page.waitForFunction(() => location.protocol === 'chrome-error:', null, { timeout: 10000 })
		.catch(() => {});
	assert.equal(await page.locator('#report-form').count(), 0, 'the page loaded offline');
	await context.setOffline(false);
	const r = await storedAfter(t, t.state.version);
	await page.locator('#report-form .rpt-section').first().waitFor({ timeout: 10000 })
		.catch(() => openReport(t));
	await page.waitForFunction(() => document.getElementById('save-status').dataset.state !== 'saving');
	await openReport(t);
	for (const [code, v] of Object.entries(t.state.typed)) {
		assert.equal(r.values[code], v, code);
		assert.equal(await page.locator('#report-form [data-item="' + css(code) +
		    '"]:not([data-station])').inputValue(), String(v), code);
	}
	assert.equal(await page.locator('#unsent-mark').count(), 0);
	assert.deepEqual(await kept(t), {});
	assert.equal((await stored(t)).version, t.state.version + 1, 'stored once');
	t.state.version += 1;
}

async function abortedRetried(t) {
	const { page } = t;
	const code = t.state.codes[8];
	let aborted = 0;
	await page.route('**/api/**', (route) => {
		aborted++;
		return route.abort('internetdisconnected');
	});
	t.state.typed[code] = 77;
	await typeValue(page, code, 77);
	const mark = page.locator('#unsent-mark');
	await mark.waitFor({ timeout: 20000 });
	assert.match(await mark.innerText(), /sau 2 giây/);
	/* The next wait is twice as long. */
	await page.waitForFunction(() => /sau 4 giây/.test(
		(document.getElementById('unsent-mark') || {}).textContent || ''), null, { timeout: 15000 });
	await page.unroute('**/api/**');
	assert.ok(aborted >= 2, 'attempts: ' + aborted);
	await waitSaved(page, 20000);
	assert.equal(await page.locator('#unsent-mark').count(), 0);
	const r = await stored(t);
	assert.equal(r.values[code], 77);
	assert.equal(r.version, t.state.version + 1);
	t.state.version = r.version;
}

async function serverChangedWhileClosed(t) {
	const { context } = t;
	let { page } = t;
	const [x, y, z] = t.state.codes.slice(9, 12);
	await context.setOffline(true);
	await typeValue(page, x, 501);
	await typeValue(page, y, 502);
	await typeValue(page, z, 503);
	await page.locator('#unsent-mark').waitFor({ timeout: 20000 });
	await closeTab(t);
	/* Meanwhile the unit's other session stores x differently and z the same. */
	const v = await otherSaves(t, { [x]: 601, [z]: 503 });
	assert.equal(v, t.state.version + 1, 'nothing sent while closing');
	await context.setOffline(false);
	await openReport(t);
	page = t.page;
	const box = page.locator('#conflict-box');
	await box.waitFor();
	const row = (c) => box.locator('tr[data-conflict="v:' + css(c) + '"]');
	assert.equal(await box.locator('tbody tr').count(), 2, 'only the items that differ');
	assert.equal(await row(z).count(), 0);
	assert.equal((await row(x).locator('[data-side="mine"]').innerText()).trim(), '501');
	assert.equal((await row(x).locator('[data-side="theirs"]').innerText()).trim(), '601');
	assert.equal((await row(y).locator('[data-side="mine"]').innerText()).trim(), '502');
	assert.equal((await row(y).locator('[data-side="theirs"]').innerText()).trim(), '(để trống)');
	assert.match(await box.innerText(), /lần mở trang trước/);
	/* Nothing written over anything while the unit has not chosen. */
	assert.equal(await own(page, x).inputValue(), '601');
	assert.equal(await own(page, y).inputValue(), '');
	let r = await stored(t);
	assert.equal(r.version, v);
	assert.equal(r.values[x], 601);
	assert.deepEqual(Object.keys(await kept(t)), [keyOf(t, 'unsent')], 'kept until chosen');
	await t.shot('conflict-on-load');

	await row(x).getByRole('button', { name: 'Giữ giá trị của tôi' }).click();
	await row(y).getByRole('button', { name: 'Lấy giá trị trên máy chủ' }).click();
	assert.equal(await own(page, x).inputValue(), '501');
	assert.equal(await row(x).getAttribute('data-done'), 'mine');
	assert.equal(await row(y).getAttribute('data-done'), 'theirs');
	await waitSaved(page);
	r = await stored(t);
	assert.equal(r.values[x], 501);
	assert.equal(r.values[y] ?? null, null);
	assert.equal(r.values[z], 503);
	assert.equal(r.version, v + 1);
	assert.deepEqual(await kept(t), {});
	assert.match(await page.locator('#conflict-dismiss').innerText(), /Đã xem xong/);
	await page.click('#conflict-dismiss');
	await box.waitFor({ state: 'detached' });
	t.state.version = r.version;
}

async function staleOnRetry(t) {
	const { page, context } = t;
	const x = t.state.codes[12];
	await context.setOffline(true);
	await typeValue(page, x, 701);
	await page.locator('#unsent-mark').waitFor({ timeout: 20000 });
	const v = await otherSaves(t, { [x]: 801 });
	await context.setOffline(false);
	/* The retry meets the newer version: 409, never written over. */
	const stale = page.locator('#stale-box');
	await stale.waitFor({ timeout: 30000 });
	assert.equal(await own(page, x).inputValue(), '701', 'what was typed stays');
	await page.locator('#stale-verdict[data-differ="1"]').waitFor();
	await page.getByRole('button', { name: 'Tải lại báo cáo' }).click();
	const rowOf = (p) => p.locator('#conflict-box tr[data-conflict="v:' + css(x) + '"]');
	await rowOf(page).waitFor();
	assert.equal((await rowOf(page).locator('[data-side="mine"]').innerText()).trim(), '701');
	assert.equal((await rowOf(page).locator('[data-side="theirs"]').innerText()).trim(), '801');
	assert.deepEqual(Object.keys(await kept(t)), [keyOf(t, 'unsent')]);
	/* Not chosen yet when the tab is closed: the choice waits for the next visit. */
	await closeTab(t);
	await openReport(t);
	const row = rowOf(t.page);
	await row.waitFor();
	assert.equal((await row.locator('[data-side="mine"]').innerText()).trim(), '701');
	assert.equal((await row.locator('[data-side="theirs"]').innerText()).trim(), '801');
	await row.getByRole('button', { name: 'Lấy giá trị trên máy chủ' }).click();
	assert.equal(await own(t.page, x).inputValue(), '801');
	assert.deepEqual(await kept(t), {});
	const r = await stored(t);
	assert.equal(r.values[x], 801);
	assert.equal(r.version, v, 'taking the server\'s value sends nothing');
}

async function signOutForgets(t) {
	const { page, context } = t;
	const code = t.state.codes[13];
	await context.setOffline(true);
	await typeValue(page, code, 901);
	await page.locator('#unsent-mark').waitFor({ timeout: 20000 });
	await closeTab(t);
	await context.setOffline(false);
	const home = t.page;
	await home.goto(t.url('/'));
	await home.locator('#content').waitFor();
	assert.deepEqual(Object.keys(await kept(t)), [keyOf(t, 'draft')]);
	/* Asked first: what is not sent goes with it. */
	const asked = [];
	home.once('dialog', (d) => {
		asked.push(d.message());
		d.dismiss().catch(() => {});
	});
	await home.getByRole('button', { name: 'Đăng xuất' }).click();
	for (let i = 0; i < 50 && !asked.length; i++) await new Promise((ok) => setTimeout(ok, 100));
	assert.match(asked.join(), /chưa gửi được của 1 báo cáo/);
	assert.equal(new URL(home.url()).pathname, '/', 'not signed out when the unit says no');
	assert.deepEqual(Object.keys(await kept(t)), [keyOf(t, 'draft')]);
	home.once('dialog', (d) => d.accept().catch(() => {}));
	await home.getByRole('button', { name: 'Đăng xuất' }).click();
	await home.waitForURL((u) => new URL(u).pathname === '/login');
	assert.deepEqual(await kept(t), {}, 'nothing of the account left in the browser');
	const o = t.state.other;
	if (o) await o.ctx.dispose();
}

export const tests = [
	{ name: 'the helpers: keys per user, bounded back-off, what a page does on opening', fn: helpers },
	{ name: 'signs in as a unit', fn: signIn },
	{ name: 'types in an open report; saved', fn: typesOnline },
	{ name: 'offline: typing goes on, "chưa gửi được" shown, kept in the browser', fn: typesOffline },
	{ name: 'closed offline, opened when the connection returns: restored, sent once',
		fn: closedThenReopened },
	{ name: 'reloaded offline (the browser\'s error page), connection back: stored once',
		fn: reloadedOffline },
	{ name: 'requests aborted: retried with back-off, sent once', fn: abortedRetried },
	{ name: 'changed on the server while closed: both shown per item, the unit chooses',
		fn: serverChangedWhileClosed },
	{ name: 'changed on the server while offline: the retry\'s 409 shows both, the unit chooses',
		fn: staleOnRetry },
	{ name: 'sign-out leaves nothing of the account in the browser', fn: signOutForgets },
];
