/*
 * The reminders switch and the office's list of e-mails, on a telephone
 * (390 px): the unit turns its reminders off on the contacts page, the
 * office sees on "Thông báo đã gửi" who did, with every e-mail the API
 * lists as a card readable without sideways scrolling, and a status
 * filter that keeps only that status; the unit turns reminders on again.
 *
 * Needs: PORTAL_OFFICE_USER / PORTAL_OFFICE_PASSWORD, PORTAL_UNIT_USER /
 * PORTAL_UNIT_PASSWORD and PORTAL_UNIT_CODE (accounts whose passwords are
 * already changed).
 */
import assert from 'node:assert/strict';

export const requires = [
	'PORTAL_OFFICE_USER', 'PORTAL_OFFICE_PASSWORD', 'PORTAL_UNIT_USER',
	'PORTAL_UNIT_PASSWORD', 'PORTAL_UNIT_CODE',
];

const PHONE = { width: 390, height: 844 };

function css(s) {
	return String(s).replace(/["\\]/g, '\\$&');
}

async function apiGet(page, p) {
	return page.evaluate(async (url) => {
		const r = await fetch(url, { headers: { Accept: 'application/json' }, cache: 'no-store' });
		return { status: r.status, body: await r.json().catch(() => null) };
	}, p);
}

async function signIn(t, user, password) {
	const page = t.page;
	await t.context.clearCookies();
	await page.setViewportSize(PHONE);
	await page.goto(t.url('/login'));
	await page.fill('#username', user);
	await page.fill('#password', password);
	await page.click('#login-button');
	await page.waitForURL((u) => new URL(u).pathname !== '/login', { timeout: 20000 });
}

async function noSideways(page, what) {
	assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= 390 + 1), true,
		'no sideways scrolling of the page at 390 px: ' + what);
}

async function within(page, locator, what) {
	await locator.scrollIntoViewIfNeeded();
	assert.ok(await locator.isVisible(), what + ' is visible');
	const box = await locator.boundingBox();
	assert.ok(box && box.x >= 0 && box.x + box.width <= PHONE.width + 0.5,
		what + ' within 390 px: ' + JSON.stringify(box));
}

function unitButton(t) {
	return t.page.locator('button[data-reminders="' + css(t.env('PORTAL_UNIT_CODE')) + '"]');
}

async function contactsRow(t) {
	const r = await apiGet(t.page, '/api/v1/contacts');
	assert.equal(r.status, 200);
	return r.body.find((c) => c.unit === t.env('PORTAL_UNIT_CODE'));
}

/* The unit turns its reminders off. */
async function unitTurnsOff(t) {
	await signIn(t, t.env('PORTAL_UNIT_USER'), t.env('PORTAL_UNIT_PASSWORD'));
	const page = t.page;
	await page.goto(t.url('/contacts'));
	await page.locator('#contacts-table[aria-busy="false"]').waitFor();
	let row = await contactsRow(t);
	if (row.reminders === false) {
		await unitButton(t).click();
		await page.locator('#messages .alert-success').waitFor();
	}
	const button = unitButton(t);
	assert.equal((await button.innerText()).trim(), 'Tắt nhắc hạn');
	await button.click();
	await page.locator('#messages .alert-success').waitFor();
	assert.match(await page.locator('#messages').innerText(), /Đã tắt thư nhắc hạn/);
	const cell = unitButton(t).locator('xpath=..');
	assert.match(await cell.innerText(), new RegExp('Đã tắt[\\s\\S]*Tắt bởi ' + t.env('PORTAL_UNIT_USER')));
	row = await contactsRow(t);
	assert.equal(row.reminders, false);
	assert.equal(row.reminders_off_by, t.env('PORTAL_UNIT_USER'));
	await within(page, unitButton(t), 'the switch');
	await noSideways(page, '/contacts');
	await t.shot('contacts-reminders-off-390');
}

/* The office sees every e-mail as a card, and who turned reminders off. */
async function officeSeesTheList(t) {
	await signIn(t, t.env('PORTAL_OFFICE_USER'), t.env('PORTAL_OFFICE_PASSWORD'));
	const page = t.page;
	const link = page.locator('.main-nav a[href="/notifications"]');
	assert.equal((await link.innerText()).trim(), 'Thông báo');
	await link.click();
	await page.waitForURL((u) => new URL(u).pathname === '/notifications');
	await page.locator('#notices[aria-busy="false"]').waitFor();
	const api = await apiGet(page, '/api/v1/notifications');
	assert.equal(api.status, 200);
	const cards = page.locator('#notices .notice-card');
	assert.equal(await cards.count(), api.body.length, 'a card per e-mail');
	if (api.body.length) {
		const first = cards.first();
		assert.equal(await first.locator('.notice-subject').innerText(), api.body[0].subject);
		await within(page, first, 'the newest card');
	}
	await noSideways(page, '/notifications');

	const optouts = page.locator('#optouts .notice-card', { hasText: '(' + t.env('PORTAL_UNIT_CODE') + ')' });
	await optouts.waitFor();
	assert.match(await optouts.innerText(), new RegExp('Tắt bởi\\s*' + t.env('PORTAL_UNIT_USER') +
		' \\(Đơn vị\\)'));
	await within(page, optouts, 'the unit that turned reminders off');

	/* A status filter asks the server, and keeps that status only. */
	for (const status of ['sent', 'failed']) {
		const want = await apiGet(page, '/api/v1/notifications?status=' + status);
		await page.selectOption('#filter-status', status);
		await page.waitForFunction((n) => document.querySelector('#notices[aria-busy="false"]') &&
			document.querySelectorAll('#notices .notice-card').length === n, want.body.length);
		assert.equal(await page.locator('#notices .notice-card:not(.is-' + status + ')').count(), 0);
		await noSideways(page, '/notifications?status=' + status);
	}
	/* A failure says why, in words. */
	const failed = page.locator('#notices .notice-card');
	const n = await failed.count();
	assert.equal(await page.locator('#notices .notice-card .notice-error').count(), n);
	if (n) await within(page, failed.first().locator('.notice-error'), 'the reason of a failure');
	await t.shot('notifications-failed-390');
}

/* The unit turns them on again. */
async function unitTurnsOn(t) {
	await signIn(t, t.env('PORTAL_UNIT_USER'), t.env('PORTAL_UNIT_PASSWORD'));
	const page = t.page;
	await page.goto(t.url('/contacts'));
	await page.locator('#contacts-table[aria-busy="false"]').waitFor();
	const button = unitButton(t);
	assert.equal((await button.innerText()).trim(), 'Bật nhắc hạn');
	await button.click();
	await page.locator('#messages .alert-success').waitFor();
	const row = await contactsRow(t);
	assert.equal(row.reminders, true);
	assert.equal(row.reminders_off_by, null);
	assert.equal((await unitButton(t).innerText()).trim(), 'Tắt nhắc hạn');
	await page.setViewportSize({ width: 1280, height: 900 });
}

export const tests = [
	{ name: 'the unit turns its reminders off on the contacts page at 390 px', fn: unitTurnsOff },
	{ name: 'the office sees every e-mail as a card and who turned reminders off', fn: officeSeesTheList },
	{ name: 'the unit turns its reminders on again', fn: unitTurnsOn },
];
