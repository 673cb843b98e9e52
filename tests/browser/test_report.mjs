/*
 * A district health centre files its monthly report (Phụ lục 1) the way
 * a person does: sign in, follow the link on the home page, see that a
 * blank report lists every empty item, fill every item, its own row and
 * the per-station rows, see a live error and fix it, let the totals
 * helper fill from the appendix (it asks before replacing a typed
 * figure), let the page save by itself; a save whose answer is lost and
 * a save over another tab's both offer to reload and lose nothing typed;
 * reload, submit.  Then Phụ lục 2's document dates in an English
 * browser: typed and shown as ngày/tháng/năm, stored as YYYY-MM-DD.
 *
 * Needs: PORTAL_UNIT_USER / PORTAL_UNIT_PASSWORD (a TTYT account with
 * stations whose password is already changed), PORTAL_UNIT_CODE and
 * PORTAL_PERIOD (an open monthly period whose PL1 is not submitted yet).
 * Values are derived from the form definition, not written here, so the
 * test follows forms/PL1.json.
 */
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

export const requires = [
	'PORTAL_UNIT_USER', 'PORTAL_UNIT_PASSWORD', 'PORTAL_UNIT_CODE', 'PORTAL_PERIOD',
];

const FORM = 'PL1';
const NUMERIC = new Set(['count', 'money', 'level']);
const DERIVED = new Set(['rate', 'sum']);

/* 1234567 → "1.234.567", as the page shows numbers. */
function vn(n) {
	return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
}

function vnRate(x) {
	const [i, f] = x.toFixed(1).split('.');
	return vn(i) + ',' + f + ' %';
}

function css(s) {
	return String(s).replace(/["\\]/g, '\\$&');
}

function reportPath(t) {
	const enc = encodeURIComponent;
	return '/api/v1/reports/' + enc(t.env('PORTAL_UNIT_CODE')) + '/' +
	    enc(t.env('PORTAL_PERIOD')) + '/' + FORM;
}

/* The unit's own field of an item (not a station cell). */
function own(page, code) {
	return page.locator('#report-form [data-item="' + css(code) + '"]:not([data-station])');
}

function cell(page, station, code) {
	return page.locator('#report-form [data-item="' + css(code) + '"][data-station="' +
	    css(station) + '"]');
}

/* GET through the page, with its session cookie. */
async function apiGet(page, p) {
	return page.evaluate(async (url) => {
		const r = await fetch(url, { headers: { Accept: 'application/json' }, cache: 'no-store' });
		return { status: r.status, body: await r.json().catch(() => null) };
	}, p);
}

async function errorTexts(page) {
	return page.locator('#checks-summary [data-severity="error"], #checks-summary [data-field-error]')
		.allInnerTexts();
}

/*
 * Values that pass every relational check of the form: each item a small
 * distinct number, wholes raised to cover their parts (or to equal them),
 * station rows solved the same way and the unit's station items set to
 * their sums.
 */
function plan(form, report) {
	const applicable = new Set(report.applicable || []);
	const items = new Map();
	const sectionOf = new Map();
	for (const s of form.sections)
		for (const it of s.items) {
			items.set(it.code, it);
			sectionOf.set(it.code, s);
		}
	const shown = [...items.values()].filter((it) => applicable.has(it.code));
	const numeric = shown.filter((it) => NUMERIC.has(it.kind)).map((it) => it.code);
	const stations = (report.unit_info && report.unit_info.stations) || [];
	/* The centre's own row comes first in its appendix, keyed by its code. */
	const ownCode = report.unit_info.code;
	const perStation = new Set(numeric.filter((c) => {
		const it = items.get(c);
		const flag = it.stations !== undefined ? it.stations : sectionOf.get(c).stations;
		return Boolean(flag) && stations.length > 0;
	}));
	const parts = (form.checks || []).filter((c) =>
		(c.type === 'parts_le' || c.type === 'parts_eq') && c.whole &&
		[c.whole, ...(c.parts || [])].every((x) => applicable.has(x)));

	function start(code, seed) {
		const it = items.get(code);
		if (it.kind === 'level') {
			const min = Number(it.min ?? 1);
			const max = Number(it.max ?? min);
			return Math.min(max, min + 1);
		}
		if (it.kind === 'money') return 1234567 + seed;
		return 3 + seed;
	}

	function solve(codes, seedBase, fixed = {}) {
		const v = { ...fixed };
		codes.forEach((c, i) => {
			if (!(c in v)) v[c] = start(c, seedBase + (i % 7) * 2);
		});
		for (let round = 0; round < 50; round++) {
			let changed = false;
			for (const c of parts) {
				if (!(c.whole in v) || !c.parts.every((p) => p in v)) continue;
				const sum = c.parts.reduce((a, p) => a + v[p], 0);
				const want = c.type === 'parts_eq' ? sum : Math.max(v[c.whole], sum);
				if (v[c.whole] !== want) {
					assert.ok(!(c.whole in fixed), 'cannot satisfy ' + c.rule);
					v[c.whole] = c.type === 'parts_eq' ? want : sum + 5;
					changed = true;
				}
			}
			if (!changed) return v;
		}
		throw new Error('the form\'s parts checks do not settle');
	}

	const byStation = {};
	stations.forEach((st, i) => {
		byStation[st.code] = solve([...perStation], 1 + i * 3);
	});
	/* Its own figures are the larger part: the totals are own + stations. */
	const own = solve([...perStation], 500);
	const fixed = {};
	for (const c of perStation)
		fixed[c] = own[c] + stations.reduce((a, st) => a + byStation[st.code][c], 0);
	const values = solve(numeric, 11, fixed);
	const texts = {};
	for (const it of shown) {
		if (it.kind !== 'text') continue;
		const max = Number(it.maxlen) || 200;
		texts[it.code] = ('Kiểm thử tự động: ' + it.label).slice(0, max);
	}
	const rates = {};
	for (const it of shown) {
		if (it.kind !== 'rate') continue;
		const n = values[it.num];
		const d = values[it.den];
		if (typeof n === 'number' && typeof d === 'number' && d !== 0)
			rates[it.code] = vnRate(Math.round((n * 1000) / d) / 10);
	}
	return {
		items, shown, numeric, perStation, stations, byStation, own, ownCode, values, texts,
		rates, parts,
	};
}

/* The text a number input shows once left. */
function shownValue(it, n) {
	return it.kind === 'level' ? String(n) : vn(n);
}

async function signIn(t) {
	const { page } = t;
	await page.goto(t.url('/login'));
	await page.fill('#username', t.env('PORTAL_UNIT_USER'));
	await page.fill('#password', t.env('PORTAL_UNIT_PASSWORD'));
	await page.click('#login-button');
	const error = page.locator('#messages .alert-error');
	await Promise.race([
		page.waitForURL((u) => new URL(u).pathname !== '/login', { timeout: 20000 }),
		error.waitFor({ timeout: 20000 }).then(async () => {
			throw new Error('sign-in refused: ' + await error.innerText());
		}),
	]);
	assert.notEqual(new URL(page.url()).pathname, '/password',
		'the account must change its password first; use one that already did');
}

async function followLink(t) {
	const { page } = t;
	const period = t.env('PORTAL_PERIOD');
	if (new URL(page.url()).pathname !== '/') await page.goto(t.url('/'));
	await page.locator('#content').waitFor();
	const href = '/report?unit=' + encodeURIComponent(t.env('PORTAL_UNIT_CODE')) +
	    '&period=' + encodeURIComponent(period) + '&form=' + FORM;
	/* The open period is on the unit's task list (the calendar is folded). */
	const link = page.locator('#tasks li[data-kind] a[href="' + css(href) + '"]');
	await link.waitFor({ timeout: 20000 });
	await t.shot('home');
	await Promise.all([
		page.waitForURL((u) => new URL(u).pathname === '/report'),
		link.click(),
	]);
	assert.equal(new URL(page.url()).searchParams.get('form'), FORM);
}

async function outline(t) {
	const { page } = t;
	await page.locator('#report-form .rpt-section').first().waitFor({ timeout: 20000 });
	const form = await apiGet(page, '/api/v1/forms/' + FORM);
	const rep = await apiGet(page, reportPath(t));
	assert.equal(form.status, 200, 'GET the form');
	assert.equal(rep.status, 200, 'GET the report');
	const report = rep.body;
	assert.ok(['draft', 'returned'].includes(report.status),
		'PL1 of ' + t.env('PORTAL_PERIOD') + ' is "' + report.status + '": the test needs one ' +
		'not submitted yet');
	assert.ok((report.unit_info.stations || []).length > 0,
		'PORTAL_UNIT_USER must be a district health centre with stations');
	const p = plan(form.body, report);
	t.state.plan = p;

	/* Header: unit, deadline, status. */
	assert.match(await page.locator('#report-unit').innerText(), new RegExp(
		report.unit_info.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
	assert.match(await page.locator('#deadline-banner').innerText(),
		/Hạn nộp: \d{2}\/\d{2}\/\d{4}|Đã quá hạn nộp \d+ ngày/);
	assert.ok(await page.locator('#save-button').isVisible(), 'the unit may edit');

	/* Every applicable item, and only those, from the form definition. */
	for (const it of p.items.values()) {
		const loc = own(page, it.code);
		if (!report.applicable.includes(it.code)) {
			assert.equal(await loc.count(), 0, it.code + ' does not apply but is shown');
			continue;
		}
		assert.equal(await loc.count(), 1, it.code + ' should have one field');
		const tag = await loc.evaluate((el) => el.tagName.toLowerCase());
		if (DERIVED.has(it.kind)) assert.equal(tag, 'output', it.code + ' is derived');
		else if (it.kind === 'text') assert.equal(tag, 'textarea', it.code);
		else {
			assert.equal(tag, 'input', it.code);
			assert.equal(await loc.getAttribute('inputmode'), 'numeric', it.code);
		}
		if (!DERIVED.has(it.kind)) {
			const id = await loc.getAttribute('id');
			assert.equal(await page.locator('label[for="' + css(id) + '"]').count(), 1,
				it.code + ' has a label');
		}
	}
	for (const st of p.stations)
		for (const code of p.perStation)
			assert.equal(await cell(page, st.code, code).count(), 1,
				'station ' + st.code + ' × ' + code);
	/* Each appendix starts with the centre's own row, then its stations. */
	for (const table of await page.locator('table.rpt-stations').all()) {
		const first = table.locator('tbody tr').first();
		assert.equal(await first.getAttribute('data-station-row'), p.ownCode);
		assert.match(await first.locator('th').innerText(), /Riêng đơn vị/);
		assert.equal(await table.locator('tbody tr').count(), p.stations.length + 1);
	}
	for (const code of p.perStation)
		assert.equal(await cell(page, p.ownCode, code).count(), 1, 'own row × ' + code);

	/* Blank: every empty item is listed, said quietly beside each field. */
	const blank = page.locator('#checks-summary li[data-rule="values.complete"]');
	await blank.first().waitFor();
	assert.match(await blank.first().innerText(), /nhập 0/);
	assert.ok(await blank.first().locator('a.rpt-jump').count() >= p.numeric.length,
		'the summary links every empty item');
	const beside = page.locator('#row-' + p.numeric[0].replace(/[^A-Za-z0-9_-]/g, '_') +
	    ' .rpt-msg-required[data-rule="values.complete"]');
	assert.match(await beside.innerText(), /Chưa nhập \(không có thì nhập 0\)/);
	assert.equal(await own(page, p.numeric[0]).getAttribute('aria-invalid'), null,
		'an empty field is not an error');
	await t.shot('blank');
}

async function liveError(t) {
	const { page } = t;
	const p = t.state.plan;
	const single = p.parts.filter((c) => c.type === 'parts_le' && c.parts.length === 1 &&
		!p.perStation.has(c.whole));
	const check = single.find((c) => c.whole === 'erx.total') || single[0];
	assert.ok(check, 'the form has a parts_le check on one part');
	const part = check.parts[0];
	await own(page, check.whole).fill('100');
	await own(page, part).fill('150');
	const shown = page.locator('#checks-summary [data-rule="' + css(check.rule) +
	    '"][data-severity="error"]');
	await shown.first().waitFor();
	await page.locator('#row-' + part.replace(/[^A-Za-z0-9_-]/g, '_') +
	    ' .rpt-msg-error[data-rule="' + css(check.rule) + '"]').waitFor();
	assert.equal(await own(page, part).getAttribute('aria-invalid'), 'true');
	await t.shot('live-error');
	await own(page, part).fill('40');
	await shown.first().waitFor({ state: 'detached' });
	assert.equal(await own(page, part).getAttribute('aria-invalid'), null);
}

async function fillAll(t) {
	const { page } = t;
	const p = t.state.plan;
	for (const code of p.numeric) {
		const it = p.items.get(code);
		/* Money typed the Vietnamese way, counts plain. */
		const typed = it.kind === 'money' ? vn(p.values[code]) : String(p.values[code]);
		await own(page, code).fill(typed);
	}
	for (const [code, text] of Object.entries(p.texts)) await own(page, code).fill(text);
	for (const code of p.perStation) await cell(page, p.ownCode, code).fill(String(p.own[code]));
	for (const st of p.stations)
		for (const code of p.perStation)
			await cell(page, st.code, code).fill(String(p.byStation[st.code][code]));
	await page.keyboard.press('Tab');

	/* Numbers read back formatted; rates computed in the page. */
	for (const code of p.numeric) {
		const it = p.items.get(code);
		assert.equal(await own(page, code).inputValue(), shownValue(it, p.values[code]), code);
	}
	for (const [code, text] of Object.entries(p.rates))
		assert.equal((await own(page, code).innerText()).trim(), text, code);

	/* Station totals match the unit's figures. */
	for (const code of p.perStation) {
		const total = page.locator('[data-total-for="' + css(code) + '"]');
		assert.equal((await total.innerText()).trim(), vn(p.values[code]), 'total of ' + code);
		assert.equal(await total.evaluate((el) => el.classList.contains('is-mismatch')), false);
	}

	/* No error left (warnings from earlier periods may remain). */
	try {
		await page.waitForFunction(() => !document.querySelector(
			'#checks-summary [data-severity="error"], #checks-summary [data-field-error]'));
	} catch (e) {
		throw new Error('errors left after filling: ' + (await errorTexts(page)).join(' | '));
	}
	await t.shot('filled');
}

async function waitSaved(page) {
	const status = page.locator('#save-status');
	try {
		await page.waitForFunction(() => {
			const el = document.getElementById('save-status');
			return el && el.dataset.state === 'saved';
		}, null, { timeout: 30000 });
	} catch (e) {
		throw new Error('not saved; status: ' + await status.innerText());
	}
	assert.match(await status.innerText(), /Đã lưu lúc \d{2}:\d{2}/);
}

async function autosave(t) {
	const { page } = t;
	const p = t.state.plan;
	/* Nothing pressed: the page saves by itself. */
	await waitSaved(page);

	const rep = await apiGet(page, reportPath(t));
	assert.equal(rep.status, 200);
	const r = rep.body;
	for (const code of p.numeric) assert.equal(r.values[code], p.values[code], 'stored ' + code);
	for (const [code, text] of Object.entries(p.texts)) assert.equal(r.values[code], text, code);
	for (const st of p.stations)
		for (const code of p.perStation)
			assert.equal((r.stations[st.code] || {})[code], p.byStation[st.code][code],
				'stored ' + st.code + ' × ' + code);
	for (const code of p.perStation)
		assert.equal((r.stations[p.ownCode] || {})[code], p.own[code], 'stored own row × ' + code);
	const errors = (r.checks || []).filter((c) => c.severity === 'error');
	assert.deepEqual(errors.map((c) => c.message), [], 'the server finds errors');

	/* Warnings (a value far from earlier months) need an explanation. */
	const open = (r.checks || []).filter((c) => c.severity === 'warning' && !c.answered);
	if (open.length) {
		for (const c of open) {
			const key = (c.items && c.items[0]) || c.list;
			await page.locator('textarea[data-comment="' + css(key) + '"]')
				.fill('Giải trình kiểm thử tự động: số liệu đã được đối chiếu.');
		}
		await waitSaved(page);
	}
}

async function reloadKeeps(t) {
	const { page } = t;
	const p = t.state.plan;
	await page.reload();
	await page.locator('#report-form .rpt-section').first().waitFor();
	const drafts = await page.evaluate(() => Object.keys(localStorage)
		.filter((k) => k.startsWith('portal-draft:') || k.startsWith('portal-unsent:')));
	assert.deepEqual(drafts, [], 'nothing left unsaved in the browser');
	for (const code of p.numeric) {
		const it = p.items.get(code);
		assert.equal(await own(page, code).inputValue(), shownValue(it, p.values[code]), code);
	}
	for (const [code, text] of Object.entries(p.texts))
		assert.equal(await own(page, code).inputValue(), text, code);
	for (const st of p.stations)
		for (const code of p.perStation)
			assert.equal(await cell(page, st.code, code).inputValue(),
				shownValue(p.items.get(code), p.byStation[st.code][code]), st.code + ' × ' + code);
	for (const [code, text] of Object.entries(p.rates))
		assert.equal((await own(page, code).innerText()).trim(), text, code);
	for (const code of p.perStation)
		assert.equal(await cell(page, p.ownCode, code).inputValue(),
			shownValue(p.items.get(code), p.own[code]), 'own row × ' + code);
	assert.equal(await page.locator('#save-status').getAttribute('data-state'), 'idle');
}

/* The totals helper fills empty figures and asks before replacing one. */
async function totalsHelper(t) {
	const { page } = t;
	const p = t.state.plan;
	const [a, b] = [...p.perStation].filter((c) => p.items.get(c).label && !['cccd.used',
		'cccd.insurance_returned'].includes(c));
	assert.ok(a && b, 'two station items');
	const section = await page.locator('#row-' + a.replace(/[^A-Za-z0-9_-]/g, '_'))
		.evaluate((el) => el.closest('section').id.replace(/^sec-/, ''));
	await own(page, a).fill('60000');
	await own(page, b).fill('');
	await page.keyboard.press('Tab');
	const btn = page.locator('button[data-action="use-station-totals"][data-section="' +
	    css(section) + '"]');
	await btn.click();
	/* The empty figure is filled at once; the typed one is asked about. */
	assert.equal(await own(page, b).inputValue(), shownValue(p.items.get(b), p.values[b]));
	const ask = page.locator('#totals-confirm-' + section + ' .alert');
	await ask.waitFor();
	assert.match(await ask.innerText(), /đã nhập 60\.000/);
	assert.ok((await ask.innerText()).includes(vn(p.values[a])), 'says the figure it would put');
	assert.equal(await own(page, a).inputValue(), '60.000', 'not replaced without asking');
	await t.shot('totals-ask');
	await page.click('#totals-confirm-' + section + ' [data-action="totals-keep"]');
	await ask.waitFor({ state: 'detached' });
	assert.equal(await own(page, a).inputValue(), '60.000', 'kept as typed');
	await btn.click();
	await ask.waitFor();
	await page.click('#totals-confirm-' + section + ' [data-action="totals-replace"]');
	await ask.waitFor({ state: 'detached' });
	assert.equal(await own(page, a).inputValue(), shownValue(p.items.get(a), p.values[a]));
	await waitSaved(page);
	const rep = await apiGet(page, reportPath(t));
	assert.equal(rep.body.values[a], p.values[a]);
	assert.equal(rep.body.values[b], p.values[b]);
}

/*
 * PUT through the page with its session, as another tab of it would: the
 * stored figures (derived ones left out, as a page sends them) with some
 * changed.
 */
async function otherTabSaves(page, plan, p, values) {
	const derived = [...plan.items.values()].filter((it) => DERIVED.has(it.kind)).map((it) => it.code);
	return page.evaluate(async ({ url, values: v, derived: d }) => {
		const s = await (await fetch('/api/v1/session', { cache: 'no-store' })).json();
		const cur = await (await fetch(url, { cache: 'no-store' })).json();
		const mine = { ...cur.values, ...v };
		for (const code of d) delete mine[code];
		const r = await fetch(url, {
			method: 'PUT',
			headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': s.csrf_token },
			body: JSON.stringify({ version: cur.version, values: mine }),
		});
		return r.status;
	}, { url: p, values, derived });
}

/* Types a standalone figure (not in any check) and waits for the page. */
async function typeStandalone(page, code, value) {
	await own(page, code).fill(String(value));
	await page.keyboard.press('Tab');
}

async function lostAnswer(t) {
	const { page } = t;
	const p = t.state.plan;
	const code = 'stay.declared';
	assert.ok(p.numeric.includes(code));
	/* The first save reaches the server, but its answer is lost. */
	let lost = 0;
	await page.route('**/api/v1/reports/**', async (route) => {
		if (route.request().method() !== 'PUT' || lost) return route.continue();
		lost++;
		await route.fetch();
		await route.abort('connectionreset');
	});
	await typeStandalone(page, code, p.values[code] + 1);
	const box = page.locator('#stale-box');
	await box.waitFor({ timeout: 30000 });
	await page.unroute('**/api/v1/reports/**');
	assert.equal(lost, 1);
	assert.match(await box.innerText(), /đã thay đổi kể từ lúc bạn mở/);
	assert.match(await box.innerText(), /lần lưu trước của chính bạn/);
	await page.locator('#stale-verdict[data-differ="0"]').waitFor();
	assert.match(await page.locator('#stale-verdict').innerText(), /đã có đúng những gì bạn vừa nhập/);
	assert.equal(await own(page, code).inputValue(), vn(p.values[code] + 1), 'what was typed stays');
	await t.shot('stale-lost-answer');
	await page.getByRole('button', { name: 'Tải lại báo cáo' }).click();
	await box.waitFor({ state: 'detached' });
	assert.match(await page.locator('#messages').innerText(), /không cần nhập lại/);
	assert.equal(await page.locator('#conflict-box').count(), 0);
	assert.equal(await own(page, code).inputValue(), vn(p.values[code] + 1));
	await typeStandalone(page, code, p.values[code]);
	await waitSaved(page);
}

async function otherTab(t) {
	const { page } = t;
	const p = t.state.plan;
	const code = 'stay.declared';
	assert.equal(await otherTabSaves(page, p, reportPath(t), { [code]: p.values[code] + 100 }), 200);
	await typeStandalone(page, code, p.values[code] + 7);
	const box = page.locator('#stale-box');
	await box.waitFor({ timeout: 30000 });
	await page.locator('#stale-verdict[data-differ="1"]').waitFor();
	assert.match(await page.locator('#stale-verdict').innerText(), /khác với những gì bạn vừa nhập ở 1 mục/);
	/* Nothing typed is lost: it is still in the field until the reload... */
	assert.equal(await own(page, code).inputValue(), vn(p.values[code] + 7));
	await page.getByRole('button', { name: 'Tải lại báo cáo' }).click();
	/* ...and listed beside the stored figure after it. */
	const row = page.locator('#conflict-box tr[data-conflict="v:' + code + '"]');
	await row.waitFor();
	const text = await row.innerText();
	assert.ok(text.includes(vn(p.values[code] + 7)), 'mine: ' + text);
	assert.ok(text.includes(vn(p.values[code] + 100)), 'stored: ' + text);
	assert.equal(await own(page, code).inputValue(), vn(p.values[code] + 100));
	await t.shot('stale-other-tab');
	await row.locator('button[data-action="reapply"]').click();
	assert.equal(await own(page, code).inputValue(), vn(p.values[code] + 7));
	await waitSaved(page);
	await page.click('#conflict-dismiss');
	await typeStandalone(page, code, p.values[code]);
	await waitSaved(page);
	const rep = await apiGet(page, reportPath(t));
	assert.equal(rep.body.values[code], p.values[code]);
}

async function submit(t) {
	const { page } = t;
	await page.click('#submit-button');
	const dialog = page.locator('#submit-dialog');
	try {
		await dialog.waitFor({ state: 'visible' });
	} catch (e) {
		throw new Error('no confirmation: ' + await page.locator('#messages').innerText());
	}
	await t.shot('submit-dialog');
	await page.click('#submit-confirm');
	const status = page.locator('#report-status[data-status="submitted"]');
	try {
		await status.waitFor({ timeout: 20000 });
	} catch (e) {
		throw new Error('not submitted: ' + await page.locator('#messages').innerText() + ' ' +
		    (await errorTexts(page)).join(' | '));
	}
	assert.match(await status.innerText(), /Đã nộp/);
	assert.match(await page.locator('#messages').innerText(), /Đã nộp báo cáo lúc/);
	/* Read-only now: no field, no button. */
	assert.equal(await page.locator('#report-form input, #report-form textarea').count(), 0);
	assert.equal(await page.locator('#report-toolbar').isVisible(), false);
	await t.shot('submitted');

	const rep = await apiGet(page, reportPath(t));
	assert.equal(rep.body.status, 'submitted');
}

/*
 * Phụ lục 2 "Ngày ban hành" in an English browser: ngày/tháng/năm typed
 * and shown, the date understood said beside it, impossible dates
 * refused, YYYY-MM-DD stored.
 */
async function datesInEnglishBrowser(t) {
	const year = Number(t.env('PORTAL_PERIOD').slice(0, 4));
	const period = year + '-H1';
	const browser = await chromium.launch({
		executablePath: process.env.PORTAL_CHROMIUM || '/usr/bin/chromium',
		headless: true,
		args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
			'--disable-background-networking', '--disable-component-update', '--disable-sync',
			'--lang=en-US'],
	});
	const problems = [];
	try {
		const context = await browser.newContext({
			viewport: { width: 390, height: 844 }, locale: 'en-US', timezoneId: 'America/New_York',
		});
		const page = await context.newPage();
		page.setDefaultTimeout(15000);
		page.on('pageerror', (e) => problems.push('lỗi JavaScript trên trang: ' + e.message));
		await signIn({ ...t, page });
		const enc = encodeURIComponent;
		await page.goto(t.url('/report?unit=' + enc(t.env('PORTAL_UNIT_CODE')) + '&period=' +
		    enc(period) + '&form=PL2'));
		await page.locator('#add-directives').click();
		const cellOf = (col) => page.locator('[data-list="directives"][data-row="0"][data-column="' +
		    col + '"]');
		const date = cellOf('date');
		assert.equal(await date.getAttribute('type'), 'text', 'not the browser\'s date picker');
		assert.equal(await date.getAttribute('placeholder'), 'dd/mm/yyyy');
		const echo = page.locator('#' + (await date.getAttribute('aria-describedby')));
		await date.fill('10/01/' + year);
		assert.equal(await echo.innerText(), '→ 10 tháng 1 năm ' + year);
		await date.fill('0501' + year);
		assert.equal(await echo.innerText(), '→ 5 tháng 1 năm ' + year);
		await date.fill('31/02/' + year);
		assert.match(await echo.innerText(), new RegExp('Không có ngày 31 tháng 2 năm ' + year));
		await cellOf('number').fill('372/QĐ-SYT');
		await cellOf('abstract').fill('Kế hoạch chuyển đổi số');
		const bad = page.locator('#list-directives [data-field-error="l:directives|0|date"]');
		await bad.waitFor();
		assert.match(await bad.innerText(), /Không có ngày 31 tháng 2/);
		await date.fill('05/01/' + year);
		await page.keyboard.press('Tab');
		await bad.waitFor({ state: 'detached' });
		await waitSaved(page);
		const path = '/api/v1/reports/' + enc(t.env('PORTAL_UNIT_CODE')) + '/' + period + '/PL2';
		const rep = await apiGet(page, path);
		assert.equal(rep.body.lists.directives[0].date, year + '-01-05');
		await page.reload();
		await cellOf('date').waitFor();
		assert.equal(await cellOf('date').inputValue(), '05/01/' + year);
		assert.equal(await page.locator('#' + (await cellOf('date').getAttribute('aria-describedby')))
			.innerText(), '→ 5 tháng 1 năm ' + year);
		assert.deepEqual(problems, [], 'the report page had errors');
	} finally {
		await browser.close().catch(() => {});
	}
}

/*
 * A period still to come opens read-only, saying when it starts (one no
 * other test opens early: test_reports.py moves the start of one).
 */
async function notStarted(t) {
	const { page } = t;
	const year = Number(t.env('PORTAL_PERIOD').slice(0, 4)) + 5;
	await page.goto(t.url('/report?unit=' + encodeURIComponent(t.env('PORTAL_UNIT_CODE')) +
	    '&period=' + year + '-07&form=' + FORM));
	const note = page.locator('#readonly-note');
	await note.waitFor();
	assert.match(await note.innerText(), new RegExp('chưa bắt đầu.*15/06/' + year));
	assert.equal(await page.locator('#report-toolbar').isVisible(), false);
	assert.equal(await page.locator('#report-form input').count(), 0);
}

export const tests = [
	{ name: 'signs in with the district centre account', fn: signIn },
	{ name: 'home page links to the PL1 report of the period', fn: followLink },
	{ name: 'report page shows the applicable outline of the form', fn: outline },
	{ name: 'a part above its whole shows an error at once, fixed clears it', fn: liveError },
	{ name: 'fills every item and the station rows consistently', fn: fillAll },
	{ name: 'saves by itself a few seconds after the last change', fn: autosave },
	{ name: 'the totals helper fills empty figures and asks before replacing a typed one',
		fn: totalsHelper },
	{ name: 'a save stored whose answer was lost: the retry offers a reload, nothing is lost',
		fn: lostAnswer, timeout: 60000 },
	{ name: 'a save over another tab\'s: reload offered, what was typed kept to compare',
		fn: otherTab, timeout: 60000 },
	{ name: 'a reload keeps the saved values', fn: reloadKeeps },
	{ name: 'submits and shows the submitted status', fn: submit, timeout: 60000 },
	{ name: 'Phụ lục 2 dates are ngày/tháng/năm in an English browser, stored YYYY-MM-DD',
		fn: datesInEnglishBrowser, timeout: 90000 },
	{ name: 'a period not started opens read-only with its start date', fn: notStarted },
];
