/*
 * The office changes the registry from a day, as a person would: on the
 * units page, a CSV file and an effective day, a preview of the
 * differences (nothing stored), then the same file applied; a second
 * file merges the two new clinics into one, previewed with its closings;
 * the list on each side of the day; on the areas page, a new ward and
 * its end.  Both pages at 390 px wide, without a page wider than the
 * screen.
 *
 * Needs: PORTAL_OFFICE_USER / PORTAL_OFFICE_PASSWORD (an office account
 * whose password is already changed).
 */
import assert from 'node:assert/strict';

export const requires = ['PORTAL_OFFICE_USER', 'PORTAL_OFFICE_PASSWORD'];

const TAG = String(Date.now() % 1000000);
const A = 'PK-BR-A' + TAG;
const B = 'PK-BR-B' + TAG;
const C = 'PK-BR-C' + TAG;
const WARD = 'P-BR' + TAG;

async function signIn(t, page) {
	await page.goto(t.url('/login'));
	await page.fill('#username', t.env('PORTAL_OFFICE_USER'));
	await page.fill('#password', t.env('PORTAL_OFFICE_PASSWORD'));
	await page.click('#login-button');
	await page.waitForURL((u) => new URL(u).pathname !== '/login', { timeout: 20000 });
}

async function noOverflow(page, what) {
	const overflow = await page.evaluate(() =>
		document.documentElement.scrollWidth - window.innerWidth);
	assert.ok(overflow <= 0, what + ' wider than the screen by ' + overflow + ' px');
}

function csvFile(text) {
	return { name: 'danh-muc.csv', mimeType: 'text/csv', buffer: Buffer.from(text, 'utf-8') };
}

async function upload(page, text, day) {
	await page.setInputFiles('#import-file', csvFile(text));
	await page.fill('#import-effective', day);
	await page.click('#import-preview');
	await page.locator('#import-diff h3').waitFor({ timeout: 20000 });
	assert.ok(await page.locator('#import-apply').isEnabled(), 'apply enabled after preview');
}

export const tests = [
	{
		name: 'văn phòng xem trước rồi áp dụng danh mục có ngày hiệu lực (390 px)',
		fn: async (t) => {
			const { page } = t;
			await page.setViewportSize({ width: 390, height: 900 });
			await signIn(t, page);
			await page.goto(t.url('/units'));
			await page.locator('#import-section').waitFor();
			await page.locator('#units-table table').waitFor();
			await upload(page, 'ma_don_vi,ten_don_vi,loai,khu_vuc\n' +
			    A + ',Phòng khám thử trình duyệt A,private_clinic,VINHLOC\n' +
			    B + ',Phòng khám thử trình duyệt B,private_clinic,VINHLOC\n', '2031-01-01');
			const diff = await page.locator('#import-diff').innerText();
			assert.ok(diff.includes('Xem trước'), diff);
			assert.ok(diff.includes('2 đơn vị mới'), diff);
			assert.ok(diff.includes(A) && diff.includes(B), diff);
			await t.shot('xem-truoc');
			await noOverflow(page, 'units page with the preview');
			// Nothing stored by the preview.
			const before = await page.evaluate(async (code) => {
				const r = await fetch('/api/v1/units?date=2031-01-01');
				return (await r.json()).some((u) => u.code === code);
			}, A);
			assert.equal(before, false, 'the preview stored a unit');
			await page.click('#import-apply');
			await page.locator('#import-status .alert-success').filter({ hasText: 'Đã áp dụng' })
				.waitFor({ timeout: 20000 });
			const after = await page.evaluate(async (code) => {
				const r = await fetch('/api/v1/units?date=2031-01-01');
				return (await r.json()).find((u) => u.code === code) || null;
			}, A);
			assert.ok(after, 'applied unit missing');
			assert.equal(after.valid_from, '2031-01-01');
		},
	},
	{
		name: 'sáp nhập hai phòng khám: xem trước có đơn vị ngừng hoạt động',
		fn: async (t) => {
			const { page } = t;
			await upload(page, 'ma_don_vi,ten_don_vi,loai,khu_vuc,sap_nhap_tu\n' +
			    C + ',Phòng khám hợp nhất thử,private_clinic,VINHLOC,"' + A + ' ' + B + '"\n',
			    '2032-01-01');
			const diff = await page.locator('#import-diff').innerText();
			assert.ok(diff.includes('Sáp nhập'), diff);
			assert.ok(diff.includes('Chuyển sang ' + C), diff);
			await page.click('#import-apply');
			await page.locator('#import-status .alert-success').filter({ hasText: 'Đã áp dụng' })
				.waitFor({ timeout: 20000 });
			// The list on each side of the day.
			await page.fill('#filter-date', '2031-12-31');
			await page.dispatchEvent('#filter-date', 'change');
			await page.locator('#units-count').filter({ hasText: '31/12/2031' }).waitFor();
			await page.fill('#filter-text', 'PK-BR-');
			await page.locator('#units-table tbody tr').filter({ hasText: A }).waitFor();
			let rows = await page.locator('#units-table tbody').innerText();
			assert.ok(rows.includes(A) && rows.includes('Chuyển sang: ' + C), rows);
			await page.fill('#filter-date', '2032-01-01');
			await page.dispatchEvent('#filter-date', 'change');
			await page.locator('#units-count').filter({ hasText: '01/01/2032' }).waitFor();
			// The list is drawn again for the day: wait for the merged
			// clinic's row naming what it took over, not for any row
			// naming C (the old clinics' rows name it too).
			await page.waitForFunction((a) => document.querySelector(
			    '#units-table tbody').innerText.includes('Tiếp nhận: ' + a), A);
			const codes = await page.locator('#units-table tbody tr td:first-child')
				.allInnerTexts();
			assert.ok(codes.map((c) => c.trim()).includes(C), codes.join(' '));
			assert.ok(!codes.some((c) => c.trim() === A || c.trim() === B), codes.join(' '));
			await noOverflow(page, 'units page on a day');
		},
	},
	{
		name: 'trang khu vực: thêm một phường và kết thúc nó (390 px)',
		fn: async (t) => {
			const { page } = t;
			await page.goto(t.url('/areas?date=2033-06-01'));
			await page.locator('#areas-table table').waitFor();
			await page.fill('#edit-code', WARD.toLowerCase());
			await page.fill('#edit-name', 'Phường Thử Trình Duyệt ' + TAG);
			await page.selectOption('#edit-kind', 'ward');
			await page.fill('#edit-from', '2033-01-01');
			await page.click('#edit-save');
			await page.locator('#edit-status .alert-success').waitFor({ timeout: 20000 });
			const row = page.locator('#areas-table tbody tr').filter({ hasText: WARD });
			await row.waitFor();
			await noOverflow(page, 'areas page');
			await row.getByRole('button', { name: /Kết thúc/ }).click();
			await page.fill('#end-date', '2034-01-01');
			await page.click('#end-save');
			await page.locator('#messages .alert-success').filter({ hasText: 'kết thúc từ ngày 01/01/2034' })
				.waitFor({ timeout: 20000 });
			await page.fill('#date', '2034-01-01');
			await page.dispatchEvent('#date', 'change');
			await page.locator('#areas-count').filter({ hasText: '01/01/2034' }).waitFor();
			assert.equal(await page.locator('#areas-table tbody tr').filter({ hasText: WARD }).count(), 0);
			await t.shot('khu-vuc');
		},
	},
];
