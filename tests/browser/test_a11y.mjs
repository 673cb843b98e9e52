/*
 * Accessibility: axe-core on every page of assets/ for every role that
 * sees it (a unit that files for itself, a district centre, a station's
 * own account, the office, the admin; the login and 404 pages signed
 * out), wide and some at 390 px, and with the dialogs a person opens.
 * No violation of any impact is let through: serious and critical ones
 * are the bar, and the lesser ones (heading-order, landmark-unique) are
 * fixed too, so that they stay fixed.  Every rule axe has is run, the
 * experimental ones (label-content-name-mismatch) and WCAG 2.2's
 * target-size included, except the AAA ones (color-contrast-enhanced,
 * identical-links-same-purpose, meta-refresh-no-exceptions): the portal
 * aims at WCAG AA.  No element is left out.
 *
 * The data are set up first through the API, so that the pages show
 * their real content: the hospital files Phụ lục 1 of the month before
 * the period (accepted, so the dashboard has figures), of the period
 * (returned with a reason and a remark on one item) and Phụ lục 2 of the
 * latest six-month or annual period that has started (submitted).  This
 * file runs before test_report.mjs and test_review.mjs and touches none
 * of the district centre's reports.
 *
 * The pages allow scripts from 'self' only (modules/api.c): an injected
 * <script> would be refused, so axe's source is evaluated through the
 * DevTools protocol (page.evaluate), which the page's CSP does not govern,
 * and the CSP stays as it is.
 *
 * Needs the browser fixture (tests/integration/portal.py browser-fixture).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';

export const requires = [
	'PORTAL_OFFICE_USER', 'PORTAL_OFFICE_PASSWORD', 'PORTAL_ADMIN_USER', 'PORTAL_ADMIN_PASSWORD',
	'PORTAL_UNIT_USER', 'PORTAL_UNIT_PASSWORD', 'PORTAL_UNIT_CODE', 'PORTAL_PERIOD',
	'PORTAL_STATION_USER', 'PORTAL_STATION_PASSWORD',
	'PORTAL_HOSPITAL_CODE', 'PORTAL_HOSPITAL_USER', 'PORTAL_HOSPITAL_PASSWORD',
];

const require = createRequire(import.meta.url);
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const WIDE = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };

const REASON = 'Kiểm thử tiếp cận: đề nghị đối chiếu số đơn thuốc với sổ kê đơn.';
const REMARK_ITEM = 'erx.total';
const REMARK = 'Tổng số đơn thuốc chưa khớp sổ kê đơn.';

/* A consistent Phụ lục 1 of a hospital (tests/integration/test_reports.py). */
const PL1_VALUES = {
	'bhyt.records_total': 1000, 'bhyt.records_ontime': 950,
	'erx.total': 800, 'erx.linked': 780,
	'gksklx.issued': 50, 'gksklx.linked': 48,
	'birth.total': 20, 'birth.synced': 19, 'death.total': 3, 'death.synced': 3,
	'pay.total': 2000, 'pay.transfer': 300, 'pay.pos': 200, 'pay.qr_static': 100,
	'pay.qr_dynamic': 400, 'pay.ewallet': 50, 'pay.other': 10,
	'cccd.visits': 1500, 'cccd.used': 1200, 'cccd.insurance_returned': 1100,
	'cccd.qr_readers': 6, 'sign.issued': 40, 'sign.needed': 5, 'stay.declared': 30,
};

/* And of Phụ lục 2 (tests/integration/test_consolidation.py). */
const PL2_VALUES = {
	'infra.pc_before_2020': 10, 'infra.pc_after_2020': 25, 'infra.printers': 8,
	'infra.routers': 2, 'infra.switches': 4, 'infra.servers': 1, 'emr.level': 4,
	'infosec.systems': 3, 'infosec.approved': 2, 'infosec.level1': 1,
	'infosec.level2': 1, 'infosec.level3': 0,
	'docs.in_total': 500, 'docs.in_online': 480, 'docs.out_total': 200,
	'docs.out_sign_both': 150, 'docs.out_sign_leader': 20, 'docs.out_sign_org': 10,
	'docs.out_unsigned': 20,
	'hr.fulltime': 3, 'hr.fulltime_university': 2, 'hr.fulltime_college': 1,
	'hr.fulltime_other': 0, 'hr.parttime': 2, 'hr.parttime_trained': 1,
	'fund.digital': 1500000000, 'fund.da06': 200000000,
	'eval.advantages': 'Lãnh đạo quan tâm.', 'eval.difficulties': 'Thiếu máy chủ.',
	'plan': 'Hoàn thành bệnh án điện tử.', 'proposals': 'Bổ sung kinh phí.',
};

function pl2Lists(year) {
	return {
		directives: [{
			number: '372/QĐ-SYT', date: year + '-03-15',
			abstract: 'Về việc kiện toàn Ban chỉ đạo chuyển đổi số',
		}],
		'comm.cashless': [{ form: 'banner', quantity: 12, note: 'Treo tại sảnh khám bệnh' }],
	};
}

function reportPath(unit, period, form) {
	const enc = encodeURIComponent;
	return '/api/v1/reports/' + enc(unit) + '/' + enc(period) + '/' + form;
}

function reportPage(unit, period, form) {
	const enc = encodeURIComponent;
	return '/report?unit=' + enc(unit) + '&period=' + enc(period) + '&form=' + form;
}

/* A request through the page, with its session and CSRF token. */
async function apiCall(page, method, url, body) {
	return page.evaluate(async ({ method: m, url: u, body: b }) => {
		const s = await (await fetch('/api/v1/session', { cache: 'no-store' })).json();
		const r = await fetch(u, {
			method: m,
			cache: 'no-store',
			headers: {
				Accept: 'application/json', 'Content-Type': 'application/json',
				'X-CSRF-Token': s.csrf_token,
			},
			body: b === undefined ? undefined : JSON.stringify(b),
		});
		return { status: r.status, body: await r.json().catch(() => null) };
	}, { method, url, body });
}

async function apiOk(page, method, url, body) {
	const r = await apiCall(page, method, url, body);
	assert.equal(r.status, 200, method + ' ' + url + ': ' + JSON.stringify(r.body));
	return r.body;
}

const ACCOUNTS = {
	hospital: ['PORTAL_HOSPITAL_USER', 'PORTAL_HOSPITAL_PASSWORD'],
	centre: ['PORTAL_UNIT_USER', 'PORTAL_UNIT_PASSWORD'],
	station: ['PORTAL_STATION_USER', 'PORTAL_STATION_PASSWORD'],
	office: ['PORTAL_OFFICE_USER', 'PORTAL_OFFICE_PASSWORD'],
	admin: ['PORTAL_ADMIN_USER', 'PORTAL_ADMIN_PASSWORD'],
};

/* Signs in as who (a key of ACCOUNTS), or out (null); once per change. */
async function as(t, who) {
	if (t.state.who === who) return;
	const { page } = t;
	await t.context.clearCookies();
	t.state.who = null;
	if (who === null) {
		t.state.who = null;
		return;
	}
	const [u, p] = ACCOUNTS[who];
	await page.goto(t.url('/login'));
	await page.fill('#username', t.env(u));
	await page.fill('#password', t.env(p));
	await page.click('#login-button');
	await page.waitForURL((x) => new URL(x).pathname !== '/login', { timeout: 20000 });
	assert.notEqual(new URL(page.url()).pathname, '/password', who + ' must change its password');
	t.state.who = who;
}

/* The periods of this year and the last, as the API lists them. */
async function periodsAround(page, period) {
	const year = Number(period.slice(0, 4));
	const out = [];
	for (const y of [year - 1, year])
		out.push(...await apiOk(page, 'GET', '/api/v1/periods?year=' + y));
	return out;
}

async function setUpPeriods(t) {
	await as(t, 'office');
	const period = t.env('PORTAL_PERIOD');
	const all = await periodsAround(t.page, period);
	const months = all.filter((p) => /^\d{4}-\d{2}$/.test(p.code)).sort((a, b) =>
		a.end.localeCompare(b.end));
	const i = months.findIndex((p) => p.code === period);
	assert.ok(i > 0, 'the month before ' + period + ' is in the calendar');
	const started = all.filter((p) => p.forms.includes('PL2') && p.state !== 'upcoming' &&
	    p.start <= months[i].end).sort((a, b) => a.end.localeCompare(b.end));
	assert.ok(started.length, 'a Phụ lục 2 period has started');
	t.state.month = period;
	t.state.before = months[i - 1].code;
	t.state.half = started[started.length - 1].code;
	t.log('kỳ:', t.state.before, t.state.month, t.state.half);
}

/* The hospital files its three reports. */
async function hospitalFiles(t) {
	await as(t, 'hospital');
	const unit = t.env('PORTAL_HOSPITAL_CODE');
	const filings = [
		[t.state.before, 'PL1', { values: PL1_VALUES }],
		[t.state.month, 'PL1', { values: PL1_VALUES }],
		[t.state.half, 'PL2', { values: PL2_VALUES, lists: pl2Lists(t.state.half.slice(0, 4)) }],
	];
	for (const [period, form, body] of filings) {
		const url = reportPath(unit, period, form);
		const cur = await apiOk(t.page, 'GET', url);
		await apiOk(t.page, 'PUT', url, { ...body, version: cur.version });
		const s = await apiOk(t.page, 'POST', url + '/submit', {});
		assert.equal(s.status, 'submitted');
	}
}

/* The office accepts the earlier month and returns the period's. */
async function officeDecides(t) {
	await as(t, 'office');
	const unit = t.env('PORTAL_HOSPITAL_CODE');
	await apiOk(t.page, 'POST', reportPath(unit, t.state.before, 'PL1') + '/accept', {});
	await apiOk(t.page, 'POST', reportPath(unit, t.state.month, 'PL1') + '/return',
		{ reason: REASON, items: { [REMARK_ITEM]: REMARK } });
	const r = await apiOk(t.page, 'GET', reportPath(unit, t.state.month, 'PL1'));
	assert.equal(r.status, 'returned');
}

/* Nothing still loading: no aria-busy region, no request in flight. */
async function settle(page) {
	await page.waitForLoadState('networkidle');
	await page.waitForFunction(() => !document.querySelector('[aria-busy="true"]'));
}

/* axe on the page as it is; its serious and critical violations. */
async function axe(page) {
	if (!await page.evaluate(() => typeof window.axe === 'object')) {
		await page.evaluate(AXE_SOURCE);
		assert.equal(await page.evaluate(() => typeof window.axe), 'object', 'axe-core loaded');
	}
	return page.evaluate(async () => {
		const rules = {};
		for (const r of window.axe.getRules())
			rules[r.ruleId] = { enabled: !r.tags.includes('wcag2aaa') };
		const r = await window.axe.run(document, { rules, resultTypes: ['violations'] });
		return r.violations.map((v) => ({
			id: v.id, impact: v.impact, help: v.help,
			nodes: v.nodes.map((n) => ({ impact: n.impact, target: n.target.join(' ') })),
		}));
	});
}

/* Fails listing rule id, impact, target selector and page of each. */
async function audit(t, label) {
	const { page } = t;
	await settle(page);
	const violations = await axe(page);
	const lines = [];
	for (const v of violations)
		for (const n of v.nodes) {
			const impact = n.impact || v.impact;
			lines.push(v.id + ' (' + impact + ') ' + n.target + ' — ' + label + ': ' + v.help);
		}
	if (lines.length)
		assert.fail(lines.length + ' vi phạm tiếp cận trên ' + label + ':\n' + lines.join('\n'));
}

/*
 * Opens path as who (at the width of a telephone when phone), waits for
 * ready (a selector), does then (opens a dialog, say), and audits.
 */
function step(who, name, path, ready, then, phone) {
	const role = who || 'chưa đăng nhập';
	const title = name + (phone ? ', 390 px' : '') + ' (' + role + ')';
	return {
		name: title,
		timeout: 60000,
		async fn(t) {
			await as(t, who);
			await t.page.setViewportSize(phone ? PHONE : WIDE);
			const p = typeof path === 'function' ? path(t) : path;
			await t.page.goto(t.url(p));
			if (ready) await t.page.locator(ready).first().waitFor({ timeout: 20000 });
			if (then) await then(t);
			await audit(t, p + ' [' + role + (phone ? ', 390 px' : '') + ']');
		},
	};
}

function phone(who, name, path, ready, then) {
	return step(who, name, path, ready, then, true);
}

const hosp = (t) => t.env('PORTAL_HOSPITAL_CODE');
const centre = (t) => t.env('PORTAL_UNIT_CODE');

/* The office opens the hospital's report in the review queue's dialog. */
async function openInReview(t, form) {
	const row = t.page.locator('#queue table[data-form="' + form + '"] tr[data-unit="' +
	    hosp(t) + '"]');
	await row.waitFor({ timeout: 20000 });
	await row.locator('button[data-action="view"]').click();
	await t.page.locator('#report-dialog').waitFor({ state: 'visible' });
	await t.page.locator('#rv-status').waitFor({ timeout: 20000 });
}

/* ... the submitted Phụ lục 2, with the return form open. */
async function returnFormInReview(t) {
	await openInReview(t, 'PL2');
	await t.page.click('#return-button');
	await t.page.locator('#return-reason').waitFor();
}

/* The unit asks to submit its returned report: the confirmation. */
async function submitDialog(t) {
	await t.page.locator('#submit-button').click();
	await t.page.locator('#submit-dialog').waitFor({ state: 'visible' });
}

/* The first row's "Sửa" opens the page's edit dialog. */
async function editDialog(t) {
	await t.page.locator('#content table tbody').getByRole('button', { name: 'Sửa' }).first().click();
	await t.page.locator('#edit-dialog').waitFor({ state: 'visible' });
}

/* A unit's home folds its done months and calendar: audit them open. */
async function openFolds(t) {
	await t.page.evaluate(() => {
		for (const d of document.querySelectorAll('#content details')) d.open = true;
	});
}

const STAFF_PAGES = [
	['home', '/', '#periods table'],
	['progress', (t) => '/completeness?period=' + t.state.month, '#totals-figures'],
	['dashboard PL1', (t) => '/dashboard?period=' + t.state.before, '#outline table'],
	['dashboard PL2', (t) => '/dashboard?period=' + t.state.half + '&form=PL2', '#outline table'],
	['units', '/units', '#content table'],
	['areas', '/areas', '#content table'],
	['contacts', '/contacts', '#content table'],
	['accounts', '/accounts', '#content table'],
	['notifications', '/notifications', '#content'],
	['calendar', '/calendar', '#content table'],
	['outlines', '/outlines', '#content table'],
];

export const tests = [
	{ name: 'the periods of the data: the month before, the month, a Phụ lục 2 period',
		fn: setUpPeriods },
	{ name: 'the hospital files Phụ lục 1 twice and Phụ lục 2', fn: hospitalFiles, timeout: 60000 },
	{ name: 'the office accepts one and returns the other with a remark', fn: officeDecides },

	step(null, 'login', '/login', '#login-button'),
	step(null, '404', '/khong-co-trang-nay', 'h1'),

	step('hospital', 'home', '/', '#tasks li[data-kind]', openFolds),
	step('hospital', 'report PL1 returned', (t) => reportPage(hosp(t), t.state.month, 'PL1'),
		'#report-form input'),
	step('hospital', 'report PL2 submitted', (t) => reportPage(hosp(t), t.state.half, 'PL2'),
		'#report-form'),
	step('hospital', 'report PL1 returned: the submit confirmation',
		(t) => reportPage(hosp(t), t.state.month, 'PL1'), '#report-form input', submitDialog),
	phone('hospital', 'home', '/', '#tasks li[data-kind]', openFolds),
	phone('hospital', 'report PL1 returned', (t) => reportPage(hosp(t), t.state.month, 'PL1'),
		'#report-form input'),
	step('hospital', 'contacts', '/contacts', '#content table'),
	step('hospital', 'contacts: the edit dialog', '/contacts', '#content table', editDialog),
	step('hospital', 'password', '/password', '#content form'),

	step('centre', 'home', '/', '#tasks li[data-kind]', openFolds),
	step('centre', 'report PL1 with stations', (t) => reportPage(centre(t), t.env('PORTAL_PERIOD'),
		'PL1'), '#report-form input'),
	step('centre', 'report PL2 draft', (t) => reportPage(centre(t), t.state.half, 'PL2'),
		'#report-form input'),
	step('centre', 'contacts', '/contacts', '#content table'),

	step('station', 'home', '/', '#content'),

	step('office', 'review queue', (t) => '/review?period=' + t.state.month,
		'#queue table'),
	step('office', 'review dialog of the returned report', (t) => '/review?period=' + t.state.month,
		'#queue table', (t) => openInReview(t, 'PL1')),
	step('office', 'review dialog of Phụ lục 2, returning', (t) => '/review?period=' +
	    t.state.half + '&form=PL2', '#queue table', returnFormInReview),
	phone('office', 'review queue', (t) => '/review?period=' + t.state.month, '#queue table'),
	phone('office', 'progress', (t) => '/completeness?period=' + t.state.month, '#totals-figures'),
	phone('office', 'dashboard PL1', (t) => '/dashboard?period=' + t.state.before,
		'#outline table'),
	step('office', 'calendar: the edit dialog', '/calendar', '#content table', editDialog),
	step('office', 'report read by the office', (t) => reportPage(hosp(t), t.state.month, 'PL1'),
		'#report-form'),
	step('office', 'tokens', '/tokens', '#content form'),
	...STAFF_PAGES.map(([name, path, ready]) => step('office', name, path, ready)),
	...STAFF_PAGES.map(([name, path, ready]) => step('admin', name, path, ready)),
];
