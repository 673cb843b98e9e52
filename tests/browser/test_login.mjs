/*
 * Signing in and the account pages, as people and an attacker use them:
 *  - /login?next=… after signing in goes only to a page of this portal:
 *    the hostile values of issue 9 (a tab, CR LF, "//", "\", another
 *    scheme, "/./") land on the home page and no request leaves for the
 *    other host; a page of the portal, with its query and fragment, is
 *    where a good one lands;
 *  - the password page shows the server's reason for a weak password;
 *  - a commune station's account sees who files for it, and no report
 *    links (also at 390 px);
 *  - the office deactivates that account on the accounts page (it can
 *    no longer sign in) and lets it back.
 *
 * Needs: PORTAL_OFFICE_USER / PORTAL_OFFICE_PASSWORD (an office account
 * whose password is already changed), PORTAL_STATION_USER /
 * PORTAL_STATION_PASSWORD (a station of PORTAL_UNIT_CODE, the district
 * health centre, whose name is "Đơn vị thử " and its code).
 */
import assert from 'node:assert/strict';

export const requires = [
	'PORTAL_OFFICE_USER', 'PORTAL_OFFICE_PASSWORD', 'PORTAL_STATION_USER',
	'PORTAL_STATION_PASSWORD', 'PORTAL_UNIT_CODE',
];

const EVIL = 'evil.example';

/* Written as they reach the page in ?next= (before URL decoding). */
const HOSTILE = [
	'/%09/' + EVIL + '/c',
	'/%0d%0a/' + EVIL + '/c',
	'//' + EVIL + '/c',
	'/%5C' + EVIL + '/c',
	'%5C%5C' + EVIL + '/c',
	'https://' + EVIL + '/c',
	'/.//' + EVIL + '/c',
	'javascript:alert(document.domain)',
	'%20//' + EVIL + '/c',
];

const GOOD = '/contacts?tu=dang-nhap#danh-sach';


/* Every request to the other host is recorded and never sent. */
async function watchEvil(t) {
	t.state.evil = [];
	await t.context.route((url) => url.hostname.endsWith(EVIL), (route) => {
		t.state.evil.push(route.request().url());
		return route.abort();
	});
}

/*
 * Signs in on /login?next=raw (a fresh browser: no cookie) and answers
 * the URL the page went to.
 */
async function signInWithNext(t, user, password, raw) {
	const page = t.page;
	/* Off the portal first: a page left signed out would go to /login itself. */
	await page.goto('about:blank');
	await t.context.clearCookies();
	await page.goto(t.url('/login' + (raw === null ? '' : '?next=' + raw)));
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
	await page.waitForLoadState('domcontentloaded');

	return new URL(page.url());
}

async function hostileNext(t) {
	await watchEvil(t);
	const base = new URL(t.url('/'));
	for (const raw of HOSTILE) {
		const got = await signInWithNext(t, t.env('PORTAL_OFFICE_USER'),
		    t.env('PORTAL_OFFICE_PASSWORD'), raw);
		assert.equal(got.origin, base.origin, 'next=' + raw + ' left the portal: ' + got.href);
		assert.equal(got.pathname + got.search, '/', 'next=' + raw + ' → ' + got.href);
	}
	assert.deepEqual(t.state.evil, [], 'requests to ' + EVIL);
}

async function goodNext(t) {
	const got = await signInWithNext(t, t.env('PORTAL_OFFICE_USER'),
	    t.env('PORTAL_OFFICE_PASSWORD'), encodeURIComponent(GOOD));
	assert.equal(got.origin, new URL(t.url('/')).origin);
	assert.equal(got.pathname + got.search + got.hash, GOOD);
	assert.deepEqual(t.state.evil, []);
}

/* The server judges the quality; the page shows its reason at the field. */
async function weakPasswordReason(t) {
	const page = t.page;
	await page.goto(t.url('/password'));
	await page.locator('#content').waitFor();
	for (const [weak, words] of [['password12', 'từ điển'], ['aaaaaaaaaa', 'xuôi hay ngược'],
		['1234567890', 'dãy liên tiếp']]) {
		await page.fill('#current', t.env('PORTAL_OFFICE_PASSWORD'));
		await page.fill('#new', weak);
		await page.fill('#confirm', weak);
		await page.click('#password-button');
		const err = page.locator('#new-error');
		await err.waitFor({ state: 'visible' });
		await page.waitForFunction(([w]) => {
			const el = document.getElementById('new-error');
			return el && el.textContent.includes(w);
		}, [words]);
		assert.match(await page.locator('#messages').innerText(), new RegExp(words));
		assert.equal(await page.locator('#rule-quality').getAttribute('class'), 'is-unmet');
	}
	/* Still signed in with the same password: nothing was changed. */
	assert.equal(new URL(page.url()).pathname, '/password');
	await t.shot('mat-khau-yeu');
}

async function stationHome(t) {
	const page = t.page;
	await page.setViewportSize({ width: 390, height: 844 });
	const got = await signInWithNext(t, t.env('PORTAL_STATION_USER'),
	    t.env('PORTAL_STATION_PASSWORD'), null);
	assert.equal(got.pathname, '/');
	const note = page.locator('#filer-note');
	await note.waitFor();
	const text = await note.innerText();
	const centre = 'Đơn vị thử ' + t.env('PORTAL_UNIT_CODE');
	assert.ok(text.includes(centre + ' nộp'), text);
	assert.ok(text.includes('không tự nộp báo cáo'), text);
	await page.locator('#periods table').waitFor();
	assert.equal(await page.locator('#periods a[href^="/report"]').count(), 0,
		'report links for a station');
	const overflow = await page.evaluate(() =>
		document.documentElement.scrollWidth - window.innerWidth);
	assert.ok(overflow <= 0, 'wider than 390 px by ' + overflow);
	await t.shot('tram-y-te');
	await page.setViewportSize({ width: 1280, height: 900 });
}

/* The row of an account in the accounts table. */
function accountRow(page, username) {
	return page.locator('#accounts-table tbody tr', {
		has: page.locator('th', { hasText: new RegExp('^' + username + '$') }),
	});
}

async function deactivateOnThePage(t) {
	const page = t.page;
	const user = t.env('PORTAL_STATION_USER');
	await signInWithNext(t, t.env('PORTAL_OFFICE_USER'), t.env('PORTAL_OFFICE_PASSWORD'),
	    encodeURIComponent('/accounts'));
	await page.locator('#accounts-table table').waitFor();
	await page.fill('#filter-text', user);
	const row = accountRow(page, user);
	await row.waitFor();
	page.once('dialog', (d) => d.accept());
	await row.getByRole('button', { name: 'Ngừng hoạt động tài khoản ' + user }).click();
	await row.locator('.badge', { hasText: 'Ngừng hoạt động' }).waitFor();
	await t.shot('ngung-hoat-dong');

	/* The account cannot sign in now. */
	const r = await page.evaluate(async ([u, p]) => {
		const res = await fetch('/api/v1/session', {
			method: 'POST', headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ username: u, password: p }), credentials: 'omit',
		});
		return res.status;
	}, [user, t.env('PORTAL_STATION_PASSWORD')]);
	assert.equal(r, 401);

	page.once('dialog', (d) => d.accept());
	await row.getByRole('button', { name: 'Cho hoạt động lại tài khoản ' + user }).click();
	await row.getByRole('button', { name: 'Ngừng hoạt động tài khoản ' + user }).waitFor();
	assert.equal(await row.locator('.badge', { hasText: /^Ngừng hoạt động$/ }).count(), 0);
}

export const tests = [
	{ name: 'hostile next values land on the home page of the portal', fn: hostileNext,
	  timeout: 120000 },
	{ name: 'a page of the portal in next is where sign-in lands', fn: goodNext },
	{ name: 'the password page shows the server\'s reason for a weak password',
	  fn: weakPasswordReason },
	{ name: 'a commune station is told who files for it, without report links',
	  fn: stationHome },
	{ name: 'the office deactivates an account on its page and lets it back',
	  fn: deactivateOnThePage },
];
