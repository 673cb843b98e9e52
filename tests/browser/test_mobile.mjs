/*
 * Every page on a telephone (390 × 844).  A hospital of its own files
 * two past months late through the API; the office returns one with a
 * reason; a third past month stays unfiled.  Signed in as that unit, its
 * home is "Việc cần làm" under the unit's name: the returned report
 * first with the office's reason, then the month open now with its days
 * left, then the late month, each a large link that is on the screen,
 * not covered and clickable, and the done report folded away.  Signed
 * in as the office, the review queue and the progress page are cards
 * whose actions work, and the dashboard's charts are drawn no wider
 * than their boxes, also after the window is resized.  No page of
 * either role scrolls sideways.
 *
 * Needs: PORTAL_MOBILE_UNIT / PORTAL_MOBILE_USER / PORTAL_MOBILE_PASSWORD
 * (a unit of this test alone, password already changed) and
 * PORTAL_OFFICE_USER / PORTAL_OFFICE_PASSWORD.
 */
import assert from 'node:assert/strict';

export const requires = [
	'PORTAL_MOBILE_UNIT', 'PORTAL_MOBILE_USER', 'PORTAL_MOBILE_PASSWORD',
	'PORTAL_OFFICE_USER', 'PORTAL_OFFICE_PASSWORD',
];

const PHONE = { width: 390, height: 844 };
const FORM = 'PL1';
const REASON = 'Kiểm thử trên điện thoại: số hồ sơ BHYT gửi đúng hạn chưa khớp, đề nghị sửa và nộp lại.';
const KIND_RANK = { returned: 0, open: 1, late: 2 };
/* The unit's pages, as its navigation lists them, and the office's. */
const UNIT_PAGES = ['/', '/contacts', '/password'];
const OFFICE_PAGES = ['/', '/review', '/completeness', '/dashboard', '/units', '/areas', '/contacts',
	'/accounts', '/tokens', '/notifications', '/calendar', '/outlines', '/password'];

const VALUES = {
	'bhyt.records_total': 1000, 'bhyt.records_ontime': 950,
	'erx.total': 800, 'erx.linked': 780,
	'birth.total': 20, 'birth.synced': 19,
	'death.total': 3, 'death.synced': 3,
	'pay.total': 2000, 'pay.transfer': 300, 'pay.pos': 200,
	'pay.qr_static': 100, 'pay.qr_dynamic': 400, 'pay.ewallet': 50, 'pay.other': 10,
	'cccd.visits': 1500, 'cccd.used': 1200, 'cccd.insurance_returned': 1100, 'cccd.qr_readers': 6,
	'sign.issued': 40, 'sign.needed': 5,
	'stay.declared': 30,
	'gksklx.issued': 50, 'gksklx.linked': 48,
};

function css(s) {
	return String(s).replace(/["\\]/g, '\\$&');
}

function reportApi(unit, period) {
	return '/api/v1/reports/' + encodeURIComponent(unit) + '/' + encodeURIComponent(period) + '/' + FORM;
}

/* A request through the page, with its cookie and CSRF token. */
async function call(page, method, url, body) {
	return page.evaluate(async ({ method: m, url: u, body: b }) => {
		const s = await (await fetch('/api/v1/session', { cache: 'no-store' })).json();
		const r = await fetch(u, {
			method: m, cache: 'no-store',
			headers: { Accept: 'application/json', 'Content-Type': 'application/json',
				'X-CSRF-Token': s.csrf_token || '' },
			body: b === undefined ? undefined : JSON.stringify(b),
		});
		return { status: r.status, body: await r.json().catch(() => null) };
	}, { method, url, body });
}

async function signIn(t, user, password) {
	const { page } = t;
	await t.context.clearCookies();
	await page.setViewportSize(PHONE);
	await page.goto(t.url('/login'));
	await page.fill('#username', user);
	await page.fill('#password', password);
	await page.click('#login-button');
	await page.waitForURL((u) => new URL(u).pathname !== '/login', { timeout: 20000 });
	assert.notEqual(new URL(page.url()).pathname, '/password', user + ' must change its password first');
}

async function noSideways(page, what) {
	const w = await page.evaluate(() => document.documentElement.scrollWidth);
	assert.ok(w <= PHONE.width, what + ': the page is ' + w + ' px wide at 390 px');
}

/*
 * On the screen once scrolled to, inside its width, tall enough to
 * touch, and not covered: the point at its middle belongs to it, and a
 * trial click (Playwright's actionability checks) succeeds.
 */
async function usable(page, locator, what, minHeight = 44) {
	await locator.scrollIntoViewIfNeeded();
	assert.ok(await locator.isVisible(), what + ' is visible');
	const box = await locator.boundingBox();
	assert.ok(box, what + ' has a box');
	assert.ok(box.x >= 0 && box.x + box.width <= PHONE.width + 0.5,
		what + ' within 390 px: ' + JSON.stringify(box));
	assert.ok(box.y >= 0 && box.y + box.height <= PHONE.height + 0.5,
		what + ' inside the viewport once scrolled to: ' + JSON.stringify(box));
	assert.ok(box.height >= minHeight, what + ' at least ' + minHeight + ' px high: ' + box.height);
	const hit = await locator.evaluate((el) => {
		/* A link wrapped over two lines: the middle of its first line. */
		const r = el.getClientRects()[0] || el.getBoundingClientRect();
		const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
		return Boolean(top && (top === el || el.contains(top)));
	});
	assert.ok(hit, what + ' is not covered by anything');
	/* Not clipped by a scrolling or hidden-overflow ancestor either. */
	const clipped = await locator.evaluate((el) => {
		const r = el.getBoundingClientRect();
		for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
			const s = getComputedStyle(a);
			if (s.overflowX === 'visible' && s.overflowY === 'visible') continue;
			const c = a.getBoundingClientRect();
			if (r.left < c.left - 0.5 || r.right > c.right + 0.5) return a.tagName + '.' + a.className;
		}
		return null;
	});
	assert.equal(clipped, null, what + ' is cut off by its container');
	await locator.click({ trial: true });
}

/* The periods of this year and the last one, as the unit sees them. */
async function periods(page) {
	const year = Number(await page.evaluate(() => new Intl.DateTimeFormat('en', {
		timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric' }).format(new Date())));
	const out = [];
	for (const y of [year - 1, year]) {
		const r = await call(page, 'GET', '/api/v1/periods?year=' + y);
		assert.equal(r.status, 200, 'GET the periods of ' + y);
		out.push(...r.body);
	}
	return out;
}

async function unitFiles(t) {
	const { page } = t;
	const unit = t.env('PORTAL_MOBILE_UNIT');
	await signIn(t, t.env('PORTAL_MOBILE_USER'), t.env('PORTAL_MOBILE_PASSWORD'));
	const all = await periods(page);
	const monthly = (p) => /^\d{4}-\d{2}$/.test(p.code) && (p.forms || []).includes(FORM);
	const open = all.filter((p) => p.state === 'open' && monthly(p));
	const closed = all.filter((p) => p.state === 'closed' && monthly(p))
		.sort((a, b) => b.deadline.localeCompare(a.deadline));
	assert.ok(open.length >= 1, 'a monthly period is open today');
	assert.ok(closed.length >= 3, 'three monthly periods have passed in a year');
	const [returned, late, done] = closed;
	t.state.open = open[0].code;
	t.state.returned = returned.code;
	t.state.late = late.code;
	t.state.done = done.code;
	for (const code of [returned.code, done.code]) {
		const put = await call(page, 'PUT', reportApi(unit, code), { version: 0, values: VALUES });
		assert.equal(put.status, 200, 'save ' + code + ': ' + JSON.stringify(put.body));
		const sub = await call(page, 'POST', reportApi(unit, code) + '/submit', {});
		assert.equal(sub.status, 200, 'submit ' + code + ': ' + JSON.stringify(sub.body));
		assert.equal(sub.body.late, true, code + ' is submitted after its deadline');
	}
	const me = await call(page, 'GET', '/api/v1/session');
	t.state.unitName = me.body.unit_info.name;
	assert.ok(t.state.unitName, 'the session names the unit');
}

async function officeReturns(t) {
	const { page } = t;
	await signIn(t, t.env('PORTAL_OFFICE_USER'), t.env('PORTAL_OFFICE_PASSWORD'));
	const r = await call(page, 'POST', reportApi(t.env('PORTAL_MOBILE_UNIT'), t.state.returned) + '/return',
		{ reason: REASON });
	assert.equal(r.status, 200, 'return: ' + JSON.stringify(r.body));
}

async function unitHome(t) {
	const { page } = t;
	const unit = t.env('PORTAL_MOBILE_UNIT');
	await signIn(t, t.env('PORTAL_MOBILE_USER'), t.env('PORTAL_MOBILE_PASSWORD'));
	if (new URL(page.url()).pathname !== '/') await page.goto(t.url('/'));
	await page.locator('#tasks li[data-kind]').first().waitFor({ timeout: 20000 });
	assert.equal(await page.locator('h1').innerText(), 'Việc cần làm');
	assert.ok((await page.locator('#intro').innerText()).includes(t.state.unitName),
		'the home names the unit');

	/* Returned, then open, then late; each where it should be. */
	const items = await page.locator('#tasks li[data-kind]').evaluateAll((els) => els.map((el) => ({
		kind: el.dataset.kind, period: el.dataset.period, form: el.dataset.form })));
	const ranks = items.map((x) => KIND_RANK[x.kind]);
	assert.deepEqual(ranks, ranks.slice().sort((a, b) => a - b),
		'returned → open → late: ' + JSON.stringify(items));
	const find = (kind, period) => items.find((x) => x.kind === kind && x.period === period && x.form === FORM);
	assert.ok(find('returned', t.state.returned), 'the returned report is a task');
	assert.ok(find('open', t.state.open), 'the open month is a task');
	assert.ok(find('late', t.state.late), 'the month never filed is a late task');
	assert.ok(!items.some((x) => x.period === t.state.done && x.form === FORM), 'the filed month is no task');
	assert.equal(items[0].kind, 'returned', 'the returned report comes first');

	const task = (kind, period) => page.locator('#tasks li[data-kind="' + kind + '"][data-period="' +
	    css(period) + '"][data-form="' + FORM + '"]');
	const returned = task('returned', t.state.returned);
	assert.ok((await returned.locator('.task-reason').innerText()).includes(REASON),
		'the office\'s reason is shown with the returned report');
	assert.match(await task('open', t.state.open).locator('.task-when').innerText(),
		/còn \d+ ngày|hôm nay là hạn cuối/, 'the days left to the deadline');
	assert.match(await task('late', t.state.late).locator('.task-when').innerText(), /đã quá hạn/);

	/* Every task link usable on the telephone, in order on the page. */
	const links = page.locator('#tasks li[data-kind] a.task-link');
	const n = await links.count();
	assert.equal(n, items.length, 'one link per task');
	let lastY = -Infinity;
	for (let i = 0; i < n; i++) {
		const link = links.nth(i);
		await usable(page, link, 'task link ' + (i + 1) + ' (' + items[i].kind + ' ' + items[i].period + ')');
		const y = await link.evaluate((el) => el.getBoundingClientRect().top + window.scrollY);
		assert.ok(y >= lastY, 'task links follow each other down the page');
		lastY = y;
		const href = await link.getAttribute('href');
		assert.equal(href, '/report?unit=' + encodeURIComponent(unit) + '&period=' +
		    encodeURIComponent(items[i].period) + '&form=' + items[i].form);
	}
	await t.shot('unit-home');

	/* What is done is folded away, one tap from view. */
	const done = page.locator('#done-box');
	assert.equal(await done.evaluate((d) => d.open), false, 'the done reports are folded');
	const doneLink = done.locator('li[data-period="' + css(t.state.done) + '"] a');
	assert.equal(await doneLink.isVisible(), false, 'folded away');
	await done.locator('summary').click();
	await doneLink.waitFor({ state: 'visible' });
	assert.equal(await page.locator('#calendar-fold').evaluate((d) => d.open), false,
		'the year\'s calendar is folded too');
	await noSideways(page, 'the unit\'s home');

	/* The returned report's link opens it, with the reason. */
	await Promise.all([
		page.waitForURL((u) => new URL(u).pathname === '/report'),
		returned.locator('a.task-link').click(),
	]);
	await page.locator('#report-status[data-status="returned"]').waitFor({ timeout: 20000 });
	assert.ok((await page.locator('#return-reasons').innerText()).includes(REASON));
	await noSideways(page, 'the returned report');
}

async function unitPages(t) {
	const { page } = t;
	for (const p of UNIT_PAGES) {
		await page.goto(t.url(p));
		await page.locator('#content').waitFor({ timeout: 20000 });
		await page.waitForLoadState('networkidle');
		await noSideways(page, 'the unit\'s ' + p);
	}
	await page.goto(t.url('/report?unit=' + encodeURIComponent(t.env('PORTAL_MOBILE_UNIT')) +
	    '&period=' + encodeURIComponent(t.state.open) + '&form=' + FORM));
	await page.locator('#report-form .rpt-section').first().waitFor({ timeout: 20000 });
	await noSideways(page, 'the open report');
}

/* A table shown as cards: no visible header row, each row a block. */
async function isCards(page, table, what) {
	const shape = await table.evaluate((el) => ({
		table: getComputedStyle(el).display,
		row: getComputedStyle(el.querySelector('tbody tr')).display,
		head: el.tHead ? el.tHead.getBoundingClientRect().width : 0,
	}));
	assert.equal(shape.table, 'block', what + ' is not a table on the telephone');
	assert.equal(shape.row, 'block', what + ': each row is a card');
	assert.ok(shape.head <= 1, what + ': the header row is out of sight');
}

async function officeReview(t) {
	const { page } = t;
	const unit = t.env('PORTAL_MOBILE_UNIT');
	await signIn(t, t.env('PORTAL_OFFICE_USER'), t.env('PORTAL_OFFICE_PASSWORD'));
	await page.goto(t.url('/review?period=' + encodeURIComponent(t.state.done) + '&form=' + FORM));
	await page.locator('#queue table').waitFor({ timeout: 20000 });
	assert.equal(await page.inputValue('#period'), t.state.done);
	await page.fill('#filter-text', unit);
	const row = page.locator('#queue tr[data-unit="' + css(unit) + '"]');
	await row.waitFor({ timeout: 20000 });
	await page.locator('#queue tbody tr').nth(1).waitFor({ state: 'detached' });
	await isCards(page, page.locator('#queue table'), 'the review queue');
	assert.equal(await row.getAttribute('data-status'), 'submitted');
	await usable(page, row.locator('th'), 'the unit\'s name on its card', 1);
	const label = await row.locator('.rv-status').getAttribute('data-label');
	assert.equal(label, 'Trạng thái', 'each value says what it is');
	const view = row.locator('button[data-action="view"]');
	await usable(page, view, 'the "Xem" button');
	for (const b of ['#bulk-return', '#bulk-accept', '#reload-queue'])
		await usable(page, page.locator(b), b, 32);
	await noSideways(page, 'the review queue');
	await t.shot('office-review');
	await view.click();
	const dialog = page.locator('#report-dialog');
	await dialog.waitFor({ state: 'visible' });
	await page.locator('#rv-status').waitFor({ timeout: 20000 });
	assert.equal(await page.locator('#rv-status').getAttribute('data-status'), 'submitted');
	await usable(page, page.locator('#accept-button'), 'the accept button in the report', 32);
	await usable(page, page.locator('#return-button'), 'the return button in the report', 32);
	await noSideways(page, 'the report in the review dialog');
	await page.keyboard.press('Escape');
	await dialog.waitFor({ state: 'hidden' });
}

async function officeProgress(t) {
	const { page } = t;
	const unit = t.env('PORTAL_MOBILE_UNIT');
	await page.goto(t.url('/completeness?period=' + encodeURIComponent(t.state.late)));
	await page.locator('#districts table').waitFor({ timeout: 20000 });
	assert.equal(await page.inputValue('#period'), t.state.late);
	await isCards(page, page.locator('#districts table'), 'progress by area');
	await isCards(page, page.locator('#missing table'), 'the units yet to file');
	const missing = page.locator('#missing tr[data-unit="' + css(unit) + '"]');
	assert.equal(await missing.count(), 1, 'the unit that never filed is listed');
	/* "Xem đơn vị chưa nộp" of the unit's area narrows the list to it. */
	const area = await page.evaluate(async (code) => {
		const r = await fetch('/api/v1/units', { cache: 'no-store' });
		const u = (await r.json()).find((x) => x.code === code);
		return u ? u.area || u.district : null;
	}, unit);
	const areaRow = page.locator('#districts tr[data-district="' + css(area) + '"]');
	const button = areaRow.locator('button');
	await usable(page, areaRow.locator('th'), 'the area\'s name on its card', 1);
	await usable(page, button, 'the area\'s "Xem đơn vị chưa nộp"');
	await noSideways(page, 'the progress page');
	await t.shot('office-progress');
	await button.click();
	assert.equal(await page.inputValue('#district'), area);
	await usable(page, missing.locator('th'), 'the unit yet to file, on its card', 1);
	const contact = missing.locator('a');
	if (await contact.count()) await usable(page, contact.first(), 'the contact link on the card', 1);
	await noSideways(page, 'the progress page filtered by area');
}

/* Each chart's picture no wider than its box, drawn to that width. */
async function chartsFit(page, what) {
	const sizes = await page.evaluate(() => [...document.querySelectorAll('.chart-box')].map((box) => {
		const pic = box.querySelector('svg, canvas');
		if (!pic) return null;
		return {
			id: box.closest('figure') ? box.closest('figure').id : '',
			box: box.clientWidth,
			pic: pic.getBoundingClientRect().width,
			drawn: pic.viewBox && pic.viewBox.baseVal ? pic.viewBox.baseVal.width : pic.width,
			scroll: box.scrollWidth,
		};
	}).filter(Boolean));
	assert.ok(sizes.length >= 2, what + ': the two charts are drawn: ' + JSON.stringify(sizes));
	for (const s of sizes) {
		assert.ok(s.pic <= s.box + 0.5, what + ': chart ' + s.id + ' wider than its box: ' + JSON.stringify(s));
		assert.ok(s.scroll <= s.box, what + ': chart ' + s.id + ' scrolls in its box: ' + JSON.stringify(s));
		assert.ok(Math.abs(s.drawn - Math.max(280, Math.min(1024, s.box))) <= 1,
			what + ': chart ' + s.id + ' drawn to the width of its box: ' + JSON.stringify(s));
	}
	return sizes;
}

async function officeDashboard(t) {
	const { page } = t;
	await page.goto(t.url('/dashboard?period=' + encodeURIComponent(t.state.done)));
	await page.locator('#bars svg[role="img"]').waitFor({ timeout: 20000 });
	await page.locator('#trend svg[role="img"]').waitFor({ timeout: 20000 });
	const narrow = await chartsFit(page, 'at 390 px');
	await noSideways(page, 'the dashboard');
	await t.shot('office-dashboard');
	/* Wider, then narrow again: redrawn each time. */
	await page.setViewportSize({ width: 1280, height: 900 });
	await page.waitForFunction((w) => [...document.querySelectorAll('.chart-box svg')]
		.every((s) => s.viewBox.baseVal.width > w), narrow[0].drawn, { timeout: 10000 });
	await chartsFit(page, 'at 1280 px');
	await page.setViewportSize(PHONE);
	await page.waitForFunction((w) => [...document.querySelectorAll('.chart-box svg')]
		.every((s) => s.viewBox.baseVal.width <= w), narrow[0].drawn + 1, { timeout: 10000 });
	await chartsFit(page, 'at 390 px again');
	await noSideways(page, 'the dashboard, back to 390 px');
}

async function officePages(t) {
	const { page } = t;
	for (const p of OFFICE_PAGES) {
		await page.goto(t.url(p));
		await page.locator('#content').waitFor({ timeout: 20000 });
		await page.waitForLoadState('networkidle');
		await noSideways(page, 'the office\'s ' + p);
	}
}

export const tests = [
	{ name: 'a unit files two past months late through the API', fn: unitFiles },
	{ name: 'the office returns one of them with a reason', fn: officeReturns },
	{ name: 'the unit\'s home at 390 px: returned, open, late, each a usable link', fn: unitHome },
	{ name: 'the unit\'s pages do not scroll sideways at 390 px', fn: unitPages },
	{ name: 'the review queue at 390 px: cards with a usable "Xem"', fn: officeReview },
	{ name: 'the progress page at 390 px: cards with usable actions', fn: officeProgress },
	{ name: 'the dashboard\'s charts fit their boxes at 390 px and after a resize', fn: officeDashboard },
	{ name: 'the office\'s pages do not scroll sideways at 390 px', fn: officePages, timeout: 120000 },
];
