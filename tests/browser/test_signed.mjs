/*
 * The document to sign, as the district centre's focal point uses it on
 * a phone (390 px): the report filed and accepted by the earlier files
 * (test_report, test_review) shows one "Tải PDF để ký" button; the number
 * and signer typed are kept; the PDF downloads; a PNG renamed .pdf is
 * refused with a Vietnamese message and nothing typed is lost; the PDF
 * itself, uploaded as the signed copy, is taken and shown.
 *
 * Needs the same fixture as test_report.mjs (it runs after it and after
 * test_review.mjs, which accepts the report).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const requires = [
	'PORTAL_UNIT_USER', 'PORTAL_UNIT_PASSWORD', 'PORTAL_UNIT_CODE', 'PORTAL_PERIOD',
];

const FORM = 'PL1';

function reportUrl(t) {
	return '/report?unit=' + encodeURIComponent(t.env('PORTAL_UNIT_CODE')) + '&period=' +
	    encodeURIComponent(t.env('PORTAL_PERIOD')) + '&form=' + FORM;
}

async function signIn(t) {
	const { page } = t;
	await page.setViewportSize({ width: 390, height: 844 });
	await page.goto(t.url('/login'));
	await page.fill('#username', t.env('PORTAL_UNIT_USER'));
	await page.fill('#password', t.env('PORTAL_UNIT_PASSWORD'));
	await page.click('#login-button');
	await page.waitForURL((u) => new URL(u).pathname !== '/login', { timeout: 20000 });
}

async function downloadPdf(t) {
	const { page } = t;
	await page.goto(t.url(reportUrl(t)));
	const button = page.getByRole('button', { name: 'Tải PDF để ký', exact: true });
	await button.waitFor();
	assert.equal(await button.count(), 1, 'one button to download the PDF');
	await page.fill('#docs-number', '31');
	await page.fill('#docs-signer', 'Lê Thị Mai');
	const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
	assert.match(download.suggestedFilename(), /^bao-cao-.*-PL1\.pdf$/);
	const file = path.join(os.tmpdir(), 'signed-' + process.pid + '.pdf');
	await download.saveAs(file);
	const head = fs.readFileSync(file).subarray(0, 5).toString('latin1');
	assert.equal(head, '%PDF-');
	t.state.pdf = file;
	assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= 391), true,
		'no horizontal scrolling at 390 px');
	await t.shot('docs-box-390');
	/* Kept: read again, the fields come back filled. */
	await page.reload();
	await page.locator('#docs-number').waitFor();
	assert.equal(await page.inputValue('#docs-number'), '31');
	assert.equal(await page.inputValue('#docs-signer'), 'Lê Thị Mai');
}

async function refusesAPng(t) {
	const { page } = t;
	const png = path.join(os.tmpdir(), 'not-a-pdf-' + process.pid + '.pdf');
	fs.writeFileSync(png, Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'),
		Buffer.alloc(64)]));
	await page.setInputFiles('#docs-file', png);
	await page.click('#docs-upload');
	const err = page.locator('#docs-messages .alert-error');
	await err.waitFor();
	assert.match(await err.innerText(), /không phải PDF/);
	assert.equal(await page.inputValue('#docs-number'), '31', 'nothing typed is lost');
	assert.match(await page.locator('#docs-box').innerText(), /Chưa gửi bản ký/);
	fs.unlinkSync(png);
}

async function uploadsTheSignedCopy(t) {
	const { page } = t;
	await page.setInputFiles('#docs-file', t.state.pdf);
	await page.click('#docs-upload');
	await page.locator('#docs-messages .alert-success').waitFor();
	assert.match(await page.locator('#docs-box').innerText(), /Đã gửi bản ký lúc/);
	await t.shot('docs-signed-390');
	fs.unlinkSync(t.state.pdf);
}

export const tests = [
	{ name: 'signs in on a phone-sized screen', fn: signIn },
	{ name: 'one button downloads the PDF, the number and signer are kept', fn: downloadPdf },
	{ name: 'a PNG renamed .pdf is refused in Vietnamese, nothing lost', fn: refusesAPng },
	{ name: 'the signed copy is taken and shown', fn: uploadsTheSignedCopy },
];
