/*
 * The office reviews the report test_report.mjs has just submitted (the
 * runner takes files in alphabetical order): find it in the queue as
 * "Đã nộp", read it, return it with a reason and a remark on one item;
 * the unit (in a browser of its own) sees the reason, and the remark
 * both in the return box (a link to the item) and at the item itself, on
 * a wide screen and at 390 px, and submits again; the office accepts it.  Then the progress page and the dashboard of
 * the period open without a page error and with their figures.
 *
 * Needs: PORTAL_OFFICE_USER / PORTAL_OFFICE_PASSWORD (an office account
 * whose password is already changed), PORTAL_UNIT_USER /
 * PORTAL_UNIT_PASSWORD and PORTAL_UNIT_CODE (the unit of test_report),
 * PORTAL_PERIOD (the period it filed; its PL1 is "submitted" now).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';

export const requires = [
	'PORTAL_OFFICE_USER', 'PORTAL_OFFICE_PASSWORD', 'PORTAL_UNIT_USER', 'PORTAL_UNIT_PASSWORD',
	'PORTAL_UNIT_CODE', 'PORTAL_PERIOD',
];

const FORM = 'PL1';
const REASON = 'Kiểm thử tự động: đề nghị đối chiếu lại số đơn thuốc với sổ kê đơn và nộp lại.';
const REMARK_ITEM = 'erx.total';
const REMARK = 'Tổng số đơn thuốc trong kỳ chưa khớp sổ kê đơn; kiểm tra lại.';

function css(s) {
	return String(s).replace(/["\\]/g, '\\$&');
}

function reportPath(t) {
	const enc = encodeURIComponent;
	return '/api/v1/reports/' + enc(t.env('PORTAL_UNIT_CODE')) + '/' +
	    enc(t.env('PORTAL_PERIOD')) + '/' + FORM;
}

/* GET through the page, with its session cookie. */
async function apiGet(page, p) {
	return page.evaluate(async (url) => {
		const r = await fetch(url, { headers: { Accept: 'application/json' }, cache: 'no-store' });
		return { status: r.status, body: await r.json().catch(() => null) };
	}, p);
}

async function signIn(t, page, user, password) {
	await page.goto(t.url('/login'));
	await page.fill('#username', user);
	await page.fill('#password', password);
	await page.click('#login-button');
	const error = page.locator('#messages .alert-error');
	await Promise.race([
		page.waitForURL((u) => new URL(u).pathname !== '/login', { timeout: 20000 }),
		error.waitFor({ timeout: 20000 }).then(async () => {
			throw new Error('sign-in refused for ' + user + ': ' + await error.innerText());
		}),
	]);
	assert.notEqual(new URL(page.url()).pathname, '/password',
		user + ' must change its password first; use an account that already did');
}

/* Console errors of the page while fn runs (failed requests included). */
async function withoutConsoleErrors(page, fn) {
	const errors = [];
	const onConsole = (msg) => {
		if (msg.type() === 'error') errors.push(msg.text());
	};
	page.on('console', onConsole);
	try {
		await fn();
	} finally {
		page.off('console', onConsole);
	}
	assert.deepEqual(errors, [], 'errors in the browser console');
}

/* The queue row of the unit, in the table of this period and form. */
function queueRow(t, status) {
	return t.page.locator('#queue table[data-period="' + css(t.env('PORTAL_PERIOD')) +
	    '"][data-form="' + FORM + '"] tr[data-unit="' + css(t.env('PORTAL_UNIT_CODE')) + '"]' +
	    (status ? '[data-status="' + status + '"]' : ''));
}

async function pick(page, id, value) {
	await page.locator('#' + id + ' option[value="' + css(value) + '"]').waitFor({ state: 'attached' });
	if (await page.inputValue('#' + id) !== value) await page.selectOption('#' + id, value);
}

async function officeSignsIn(t) {
	await signIn(t, t.page, t.env('PORTAL_OFFICE_USER'), t.env('PORTAL_OFFICE_PASSWORD'));
	await t.page.goto(t.url('/'));
	const nav = t.page.locator('.main-nav');
	await nav.locator('a').first().waitFor({ timeout: 20000 });
	for (const label of ['Duyệt báo cáo', 'Tiến độ nộp', 'Tổng hợp'])
		assert.equal(await nav.getByRole('link', { name: label, exact: true }).count(), 1,
			'the office has "' + label + '" in the navigation');
}

async function findSubmitted(t) {
	const { page } = t;
	const period = t.env('PORTAL_PERIOD');
	await Promise.all([
		page.waitForURL((u) => new URL(u).pathname === '/review'),
		page.locator('.main-nav').getByRole('link', { name: 'Duyệt báo cáo', exact: true }).click(),
	]);
	await page.locator('#content').waitFor();
	await pick(page, 'year', period.slice(0, 4));
	await pick(page, 'period', period);
	await pick(page, 'form', FORM);
	const row = queueRow(t);
	await row.waitFor({ timeout: 20000 });
	assert.equal(await row.getAttribute('data-status'), 'submitted',
		'test_report.mjs should have submitted ' + t.env('PORTAL_UNIT_CODE') + ' for ' + period);
	assert.match(await row.locator('.rv-status').innerText(), /Đã nộp/);
	/* The count of "Đã nộp" in the summary includes it. */
	const n = Number((await page.locator('#status-summary button[data-status="submitted"] .rv-count-n')
		.innerText()).replace(/\./g, ''));
	assert.ok(n >= 1, 'the summary counts the submitted report');
	/* The status filter keeps it; "Bị trả lại" hides it. */
	await page.selectOption('#filter-status', 'returned');
	await row.waitFor({ state: 'detached' });
	await page.selectOption('#filter-status', 'submitted');
	await row.waitFor();
	await t.shot('queue-submitted');
}

async function openReport(t) {
	const { page } = t;
	await queueRow(t).locator('button[data-action="view"]').click();
	const dialog = page.locator('#report-dialog');
	await dialog.waitFor({ state: 'visible' });
	await page.locator('#rv-status').waitFor({ timeout: 20000 });
	return dialog;
}

async function returnWithReason(t) {
	const { page } = t;
	const dialog = await openReport(t);
	assert.equal(await page.locator('#rv-status').getAttribute('data-status'), 'submitted');
	/* Read-only outline in form order, the values formatted. */
	const item = page.locator('#rv-body tr[data-item="' + REMARK_ITEM + '"]');
	await item.waitFor();
	assert.match(await item.locator('[data-value]').innerText(), /^\d{1,3}(\.\d{3})*$/);
	const rate = page.locator('#rv-body tr[data-item="erx.linked_pct"] [data-value]');
	if (await rate.count()) assert.match(await rate.innerText(), /^(\d{1,3}(\.\d{3})*,\d %|—)$/);
	assert.equal(await page.locator('#rv-body input, #rv-body textarea').count(), 0, 'read-only');
	/* The centre's appendix: its own row first, then its stations. */
	const ownRow = page.locator('#rv-body .rv-stations tbody tr').first();
	assert.equal(await ownRow.getAttribute('data-station'), t.env('PORTAL_UNIT_CODE'));
	assert.match(await ownRow.innerText(), /Riêng đơn vị/);
	await t.shot('report-view');

	await page.click('#return-button');
	const reason = page.locator('#return-reason');
	await reason.waitFor();
	await reason.fill(REASON);
	await page.selectOption('#remark-item', REMARK_ITEM);
	await page.click('#remark-add');
	const remark = page.locator('textarea[data-remark="' + REMARK_ITEM + '"]');
	await remark.waitFor();
	assert.equal(await remark.evaluate((el) => el === document.activeElement), true,
		'the new remark has the focus');
	await remark.fill(REMARK);
	await t.shot('return-form');
	await page.click('#return-confirm');
	try {
		await dialog.waitFor({ state: 'hidden', timeout: 20000 });
	} catch (e) {
		throw new Error('not returned: ' + await page.locator('#rv-action-status').innerText());
	}
	await page.locator('#messages .alert-success').waitFor();
	assert.match(await page.locator('#messages').innerText(), /Đã trả lại báo cáo/);
	/* The queue reloaded: still filtered on "Đã nộp", so show all first. */
	await page.selectOption('#filter-status', '');
	const row = queueRow(t, 'returned');
	await row.waitFor({ timeout: 20000 });
	assert.match(await row.locator('.rv-status').innerText(), /Bị trả lại/);
	await t.shot('queue-returned');
}

async function apiSaysReturned(t) {
	const rep = await apiGet(t.page, reportPath(t));
	assert.equal(rep.status, 200, 'GET the report as the office');
	const r = rep.body;
	assert.equal(r.status, 'returned');
	assert.ok(r.remarks, 'the report carries the office\'s remarks');
	assert.equal(r.remarks.reason, REASON);
	assert.equal((r.remarks.items || {})[REMARK_ITEM], REMARK);
	const actions = (r.history || []).filter((e) => e.action !== 'save');
	assert.equal(actions[actions.length - 1].action, 'return');
	assert.equal(actions[actions.length - 1].note, REASON);
}

/* The unit, in a browser of its own (its own cookies), files again. */
async function unitSubmitsAgain(t) {
	const browser = await chromium.launch({
		executablePath: process.env.PORTAL_CHROMIUM || '/usr/bin/chromium',
		headless: true,
		args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
			'--disable-background-networking', '--disable-component-update', '--disable-sync'],
	});
	const problems = [];
	try {
		const context = await browser.newContext({
			viewport: { width: 1280, height: 900 }, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh',
		});
		const page = await context.newPage();
		page.setDefaultTimeout(15000);
		page.on('pageerror', (e) => problems.push('lỗi JavaScript trên trang: ' + e.message));
		page.on('console', (msg) => {
			if (/Content Security Policy|Refused to (execute|apply|load)/i.test(msg.text()))
				problems.push('vi phạm CSP: ' + msg.text());
		});
		const shot = async (name) => {
			const dir = process.env.PORTAL_SHOTS;
			if (!dir) return;
			fs.mkdirSync(dir, { recursive: true });
			await page.screenshot({ path: path.join(dir, 'test-review-unit-' + name + '.png'), fullPage: true });
		};

		await signIn(t, page, t.env('PORTAL_UNIT_USER'), t.env('PORTAL_UNIT_PASSWORD'));
		await page.goto(t.url('/report?unit=' + encodeURIComponent(t.env('PORTAL_UNIT_CODE')) +
		    '&period=' + encodeURIComponent(t.env('PORTAL_PERIOD')) + '&form=' + FORM));
		await page.locator('#report-status[data-status="returned"]').waitFor({ timeout: 20000 });
		const reasons = page.locator('#return-reasons');
		await reasons.waitFor();
		assert.ok((await reasons.innerText()).includes(REASON), 'the unit sees the reason');

		/* The remark in the return box, linking to its item... */
		const listed = page.locator('#return-remarks li[data-remark-item="' + REMARK_ITEM + '"]');
		assert.ok((await listed.innerText()).includes(REMARK), 'the remark is in the return box');
		const link = listed.locator('a.rpt-jump');
		assert.match(await link.innerText(), /đơn thuốc/i, 'the link names the item');
		/* ...and at the item itself, where the figure is fixed. */
		const rowId = 'row-' + REMARK_ITEM.replace(/[^A-Za-z0-9_-]/g, '_');
		const atItem = page.locator('#' + rowId + ' [data-remark-for="' + REMARK_ITEM + '"]');
		assert.ok((await atItem.innerText()).includes(REMARK), 'the unit sees the remark at the item');
		await link.click();
		assert.equal(await page.evaluate(() => document.activeElement && document.activeElement.id),
			rowId, 'the link takes the unit to the item');
		await shot('returned');

		/* On a telephone: both readable, nothing cut off at the right. */
		await page.setViewportSize({ width: 390, height: 844 });
		for (const el of [listed, atItem]) {
			await el.scrollIntoViewIfNeeded();
			const box = await el.boundingBox();
			assert.ok(box && box.x >= 0 && box.x + box.width <= 390 + 0.5,
				'within 390 px: ' + JSON.stringify(box));
			assert.ok(await el.isVisible());
		}
		assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= 390 + 1), true,
			'no sideways scrolling of the page at 390 px');
		await shot('returned-390');
		await page.setViewportSize({ width: 1280, height: 900 });

		await page.click('#submit-button');
		const dialog = page.locator('#submit-dialog');
		try {
			await dialog.waitFor({ state: 'visible' });
		} catch (e) {
			throw new Error('no confirmation: ' + await page.locator('#messages').innerText());
		}
		await page.click('#submit-confirm');
		try {
			await page.locator('#report-status[data-status="submitted"]').waitFor({ timeout: 20000 });
		} catch (e) {
			throw new Error('not submitted again: ' + await page.locator('#messages').innerText());
		}
		await shot('submitted-again');
		assert.deepEqual(problems, [], 'the report page had errors');
	} finally {
		await browser.close().catch(() => {});
	}
}

async function officeAccepts(t) {
	const { page } = t;
	await page.click('#reload-queue');
	const row = queueRow(t, 'submitted');
	await row.waitFor({ timeout: 20000 });
	assert.ok(Number(await row.getAttribute('data-rounds')) >= 2, 'two submissions counted');
	await openReport(t);
	assert.equal(await page.locator('#rv-status').getAttribute('data-status'), 'submitted');
	await page.click('#accept-button');
	await page.locator('#accept-confirm').waitFor();
	await page.click('#accept-confirm');
	try {
		await page.locator('#report-dialog').waitFor({ state: 'hidden', timeout: 20000 });
	} catch (e) {
		throw new Error('not accepted: ' + await page.locator('#rv-action-status').innerText());
	}
	const accepted = queueRow(t, 'accepted');
	await accepted.waitFor({ timeout: 20000 });
	assert.match(await accepted.locator('.rv-status').innerText(), /Đã duyệt/);
	assert.match(await page.locator('#messages').innerText(), /Đã duyệt báo cáo/);
	await t.shot('queue-accepted');
	const rep = await apiGet(page, reportPath(t));
	assert.equal(rep.body.status, 'accepted');
}

async function completeness(t) {
	const { page } = t;
	const period = t.env('PORTAL_PERIOD');
	await withoutConsoleErrors(page, async () => {
		await page.goto(t.url('/completeness?period=' + encodeURIComponent(period)));
		await page.locator('#totals-figures').waitFor({ timeout: 20000 });
		assert.equal(await page.inputValue('#period'), period);
		const reported = Number((await page.locator('[data-stat="reported"] .kpi-value').innerText())
			.replace(/\./g, ''));
		assert.ok(reported >= 1, 'at least the accepted report is counted');
		await page.locator('#districts table').waitFor();
		assert.ok(await page.locator('#districts progress').count() >= 1, 'progress bars per district');
		await page.locator('#missing table').waitFor();
		assert.equal(await page.locator('#missing tr[data-unit="' + css(t.env('PORTAL_UNIT_CODE')) +
		    '"]').count(), 0, 'the unit has filed: not in the missing list');
		/* Contact links, where there are any, are tel: and mailto:. */
		for (const href of await page.locator('#missing a[href^="tel:"], #missing a[href^="mailto:"]')
			.evaluateAll((as) => as.map((a) => a.getAttribute('href'))))
			assert.match(href, /^(tel:\+?[0-9]+|mailto:[^\s@]+@[^\s@]+)$/);
		await t.shot('completeness');
	});
}

async function dashboard(t) {
	const { page } = t;
	const period = t.env('PORTAL_PERIOD');
	await withoutConsoleErrors(page, async () => {
		await page.goto(t.url('/dashboard?period=' + encodeURIComponent(period)));
		await page.locator('#outline table').waitFor({ timeout: 20000 });
		assert.equal(await page.inputValue('#period'), period);
		assert.equal(await page.inputValue('#form'), FORM);
		/* The rate cards, the chart by district with its title and description. */
		assert.ok(await page.locator('#kpi-list .kpi-rate').count() >= 1, 'key rates shown');
		const bars = page.locator('#bars svg[role="img"]');
		await bars.waitFor();
		assert.ok((await bars.locator('title').first().textContent()).length > 0);
		assert.ok((await bars.locator('desc').first().textContent()).length > 0);
		const trend = page.locator('#trend svg[role="img"]');
		assert.equal(await trend.count(), 1, 'the trend chart of the months');
		/* The same numbers as a table. */
		await page.locator('#bars .chart-toggle').click();
		await page.locator('#bars .chart-table table').waitFor({ state: 'visible' });
		assert.equal(await bars.isVisible(), false);
		await page.locator('#bars .chart-toggle').click();
		await bars.waitFor({ state: 'visible' });
		await t.shot('dashboard');

		/* Only accepted reports: the accepted one is still counted. */
		await page.check('#only-accepted');
		await page.waitForFunction(() => new URL(location.href).searchParams.get('only') === 'accepted');
		await page.locator('#outline caption').filter({ hasText: 'chỉ báo cáo đã duyệt' })
			.waitFor({ timeout: 20000 });
		const counted = await page.locator('[data-kpi="reported"] .kpi-value').innerText();
		assert.ok(Number(counted.split('/')[0].replace(/\./g, '')) >= 1, 'accepted report counted');

		/* The CSV comes as a download named after the period and form. */
		const [file] = await Promise.all([
			page.waitForEvent('download', { timeout: 30000 }),
			page.click('#download-csv'),
		]);
		assert.match(file.suggestedFilename(), /\.csv$/);
	});
}

export const tests = [
	{ name: 'the office signs in and has the review pages in the navigation', fn: officeSignsIn },
	{ name: 'the review queue shows the unit\'s report as submitted', fn: findSubmitted },
	{ name: 'returns the report with a reason and a remark on one item', fn: returnWithReason },
	{ name: 'the API has the report returned with the reason and the remark', fn: apiSaysReturned },
	{ name: 'the unit sees the reason and submits again', fn: unitSubmitsAgain, timeout: 120000 },
	{ name: 'the office accepts the report filed again', fn: officeAccepts },
	{ name: 'the progress page of the period opens without errors', fn: completeness },
	{ name: 'the dashboard of the period opens without errors', fn: dashboard },
];
