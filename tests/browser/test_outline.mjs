/*
 * Outline versions from the pages, on a telephone's width (390 px): the
 * admin uploads a broken outline and sees every problem with its place,
 * nothing lost (the file and the period stay chosen); uploads the demo's
 * example (forms/examples/PL1-2026-vneid.json), sees what it adds,
 * activates it from December 2100 (after every version and report of
 * the integration tests); the calendar
 * names that version for the period; the unit's report of that period
 * renders the new items while its report of the open period (an older
 * version) does not.
 *
 * Needs: PORTAL_ADMIN_USER / PORTAL_ADMIN_PASSWORD, PORTAL_UNIT_USER /
 * PORTAL_UNIT_PASSWORD / PORTAL_UNIT_CODE and PORTAL_PERIOD (the open
 * monthly period), all with passwords already changed.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const requires = [
	'PORTAL_ADMIN_USER', 'PORTAL_ADMIN_PASSWORD', 'PORTAL_UNIT_USER',
	'PORTAL_UNIT_PASSWORD', 'PORTAL_UNIT_CODE', 'PORTAL_PERIOD',
];

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const EXAMPLE = fs.readFileSync(path.join(ROOT, 'forms', 'examples', 'PL1-2026-vneid.json'), 'utf8');

async function signIn(t, user, password) {
	const { page } = t;
	await page.context().clearCookies();
	await page.goto(t.url('/login'));
	await page.fill('#username', user);
	await page.fill('#password', password);
	await page.click('#login-button');
	await page.waitForURL((u) => new URL(u).pathname !== '/login', { timeout: 20000 });
	assert.notEqual(new URL(page.url()).pathname, '/password', user + ' must have changed its password');
}

async function apiGet(page, p) {
	return page.evaluate(async (url) => {
		const r = await fetch(url, { headers: { Accept: 'application/json' }, cache: 'no-store' });
		return { status: r.status, body: await r.json().catch(() => null) };
	}, p);
}

async function noSideways(page, what) {
	assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= 390 + 1), true,
		'no sideways scrolling at 390 px: ' + what);
}

async function choose(page, text, name) {
	await page.setInputFiles('#upload-file', {
		name, mimeType: 'application/json', buffer: Buffer.from(text, 'utf8'),
	});
}

async function brokenUpload(t) {
	const { page } = t;
	await page.setViewportSize({ width: 390, height: 844 });
	await signIn(t, t.env('PORTAL_ADMIN_USER'), t.env('PORTAL_ADMIN_PASSWORD'));
	await page.goto(t.url('/outlines'));
	await page.locator('#versions-table tr[data-version="1"]').waitFor({ timeout: 20000 });

	/*
	 * December 2100, the last month the portal takes: after every
	 * version and report of the integration tests (test_outline.py
	 * files 2100 up to June; the others random years to 2099).
	 */
	const list = (await apiGet(page, '/api/v1/forms/PL1/versions')).body;
	t.state.first = '2100-12';
	assert.ok(list.every((v) => v.first_period < t.state.first), 'a version from 2100-12 is there already');
	t.state.next = list[list.length - 1].version + 1;

	const d = JSON.parse(EXAMPLE);
	d.sections[1].items[0].kind = 'cnt';
	d.sections[2].items[1].lable = 'x';
	d.checks[0].whole = 'no.such_item';
	await choose(page, JSON.stringify(d, null, '\t'), 'broken.json');
	await page.fill('#upload-first', t.state.first);
	await page.click('#upload-check');
	const problems = page.locator('#upload-problems li');
	await problems.first().waitFor({ timeout: 20000 });
	const wheres = await problems.evaluateAll((els) => els.map((e) => e.dataset.where));
	for (const w of ['sections[1].items[0] (erx.total)', 'sections[2].items[1] (gksklx.linked)',
		'checks[0] (bhyt.ontime_le_total)'])
		assert.ok(wheres.includes(w), 'the problem at ' + w + ' is told: ' + wheres.join(' | '));
	assert.match(await problems.first().innerText(), /«cnt»|lable|no\.such_item/);
	/* Nothing lost: the file and the period are still chosen. */
	assert.equal(await page.inputValue('#upload-first'), t.state.first);
	assert.equal(await page.locator('#upload-file').evaluate((el) => el.files.length), 1);
	assert.equal(await page.locator('#upload-activate').count(), 0, 'nothing to activate');
	await noSideways(page, 'the problems');
	await t.shot('outline-problems-390');
}

async function activate(t) {
	const { page } = t;
	await choose(page, EXAMPLE, 'PL1-2026-vneid.json');
	await page.click('#upload-check');
	await page.locator('#upload-activate').waitFor({ timeout: 20000 });
	/* What the example adds to the latest version, as the page lists it. */
	const latest = (await apiGet(page, '/api/v1/forms/PL1/versions/' + (t.state.next - 1))).body;
	const had = new Set(latest.sections.flatMap((s) => s.items.map((it) => it.code)));
	const want = JSON.parse(EXAMPLE).sections.flatMap((s) => s.items.map((it) => it.code))
		.filter((c) => !had.has(c));
	const added = page.locator('table.diff-table[data-part="items"] tr[data-diff="added"]');
	assert.deepEqual(await added.evaluateAll((els) => els.map((e) => e.dataset.code)), want);
	assert.match(await page.locator('#upload-result').innerText(), /chưa có gì được lưu/);
	await noSideways(page, 'the differences');
	await t.shot('outline-diff-390');

	page.once('dialog', (dlg) => dlg.accept());
	await page.click('#upload-activate');
	const row = page.locator('#versions-table tr[data-version="' + t.state.next + '"]');
	await row.waitFor({ timeout: 20000 });
	assert.match(await row.innerText(), /Tháng 12\/2100/);
	assert.match(await page.locator('#messages').innerText(), /Đã kích hoạt/);
	await noSideways(page, 'the versions');
}

async function calendar(t) {
	const { page } = t;
	await page.goto(t.url('/calendar'));
	await page.locator('#year option').first().waitFor({ state: 'attached' });
	const year = t.state.first.slice(0, 4);
	/* The year list stops a year ahead: the API says the same then. */
	if (await page.locator('#year option[value="' + year + '"]').count())
		await page.selectOption('#year', year);
	const cal = (await apiGet(page, '/api/v1/periods?year=' + year)).body;
	const p = cal.find((x) => x.code === t.state.first);
	assert.deepEqual(p.form_versions, { PL1: t.state.next });
	if (await page.inputValue('#year') === year) {
		const cellOf = page.locator('.cal-outline[data-form="PL1"][data-version="' + t.state.next + '"]');
		await cellOf.first().waitFor({ timeout: 20000 });
		await noSideways(page, 'the calendar');
	}
}

async function reportsByVersion(t) {
	const { page } = t;
	await signIn(t, t.env('PORTAL_UNIT_USER'), t.env('PORTAL_UNIT_PASSWORD'));
	const unit = encodeURIComponent(t.env('PORTAL_UNIT_CODE'));
	const item = '#report-form [data-item="vneid.hb_updated"]:not([data-station])';

	await page.goto(t.url('/report?unit=' + unit + '&period=' + t.state.first + '&form=PL1'));
	await page.locator('#report-form .rpt-section').first().waitFor({ timeout: 20000 });
	assert.equal(await page.locator(item).count(), 1, 'the new version\'s item is there');
	assert.equal(await page.getAttribute('#report-outline', 'data-version'), String(t.state.next));
	await noSideways(page, 'a report of the new version');
	await t.shot('report-new-version-390');

	await page.goto(t.url('/report?unit=' + unit + '&period=' + t.env('PORTAL_PERIOD') + '&form=PL1'));
	await page.locator('#report-form .rpt-section').first().waitFor({ timeout: 20000 });
	assert.equal(await page.locator(item).count(), 0, 'an older version has no VNeID item');
	const own = (await apiGet(page, '/api/v1/reports/' + unit + '/' + t.env('PORTAL_PERIOD') + '/PL1')).body;
	assert.equal(await page.getAttribute('#report-outline', 'data-version'), String(own.form_version));
	assert.ok(own.form_version < t.state.next);
	await page.setViewportSize({ width: 1280, height: 900 });
}

/*
 * Absent, never 0, on the pages.  The months of the consolidation of
 * 2100-03 (filed by test_outline.py under two versions) are beyond the
 * year picker: the dashboard is given that real answer for the month it
 * opens on.  The report page is given its own answer with a previous
 * period whose version lacked the VNeID items.
 */
async function absentOnPages(t) {
	const { page } = t;
	await page.setViewportSize({ width: 390, height: 844 });
	await signIn(t, t.env('PORTAL_ADMIN_USER'), t.env('PORTAL_ADMIN_PASSWORD'));
	const real = await apiGet(page, '/api/v1/consolidated/2100-03/PL1');
	assert.equal(real.status, 200, 'the consolidation of test_outline.py');
	const before = real.body.trend.find((p) => p.period === '2100-02');
	assert.ok(before && before.absent.includes('vneid.hb_paperless_pct'));
	await page.route(/\/api\/v1\/consolidated\/[^/]+\/PL1(\?.*)?$/, (route) =>
		route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(real.body) }));
	await page.goto(t.url('/dashboard'));
	const kpi = page.locator('[data-kpi="vneid.hb_paperless_pct"] .kpi-change.is-absent');
	await kpi.waitFor({ timeout: 20000 });
	assert.match(await kpi.innerText(), /Tháng 2\/2100: không có trong đề cương kỳ này/);
	assert.match(await page.locator('#trend-absent').innerText(), /không có trong đề cương kỳ này/);
	assert.equal(await page.getAttribute('#db-outline', 'data-version'), String(real.body.form_version));
	await noSideways(page, 'the dashboard');
	await t.shot('dashboard-absent-390');
	await page.unroute(/\/api\/v1\/consolidated\//);

	await signIn(t, t.env('PORTAL_UNIT_USER'), t.env('PORTAL_UNIT_PASSWORD'));
	const unit = encodeURIComponent(t.env('PORTAL_UNIT_CODE'));
	const rpath = '/api/v1/reports/' + unit + '/' + t.state.first + '/PL1';
	const rep = (await apiGet(page, rpath)).body;
	rep.previous = { period: '2100-11', form_version: 1, values: { 'erx.total': 1234 },
		absent: ['vneid.hb_updated', 'vneid.hb_paperless', 'vneid.hb_paperless_pct',
			'vneid.hb_staff_trained'] };
	await page.route((u) => u.pathname === rpath, (route) =>
		route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(rep) }));
	await page.goto(t.url('/report?unit=' + unit + '&period=' + t.state.first + '&form=PL1'));
	const note = page.locator('[data-prev="vneid.hb_updated"]');
	await note.waitFor({ timeout: 20000 });
	assert.match(await note.innerText(), /Kỳ trước \(Tháng 11\/2100\): không có trong đề cương kỳ này/);
	assert.match(await page.locator('[data-prev="erx.total"]').innerText(), /1\.234/);
	await page.unroute((u) => u.pathname === rpath);
	await noSideways(page, 'a report with its previous period');
	await page.setViewportSize({ width: 1280, height: 900 });
}

export const tests = [
	{ name: 'a broken outline is refused with every problem and its place, nothing lost', fn: brokenUpload },
	{ name: 'the example outline shows what it adds and is activated', fn: activate },
	{ name: 'the calendar names the version of the period', fn: calendar },
	{ name: 'each report renders by its own version', fn: reportsByVersion },
	{ name: 'absent items are said so on the dashboard and the report, never 0', fn: absentOnPages },
];
