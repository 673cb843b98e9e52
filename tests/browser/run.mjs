#!/usr/bin/env node
/*
 * Runs every tests/browser/test_*.mjs against the portal at PORTAL_URL in
 * Debian's Chromium (/usr/bin/chromium) through playwright-core, with a
 * fresh temporary profile for each file.
 *
 *   PORTAL_URL=http://127.0.0.1:8888 node tests/browser/run.mjs [name…]
 *
 * A test file exports `tests`, an array of {name, fn(t), timeout?} run in
 * order on one page (later steps build on earlier ones: once a step
 * fails, the rest of that file is skipped), and optionally `requires`,
 * the environment variables it needs (missing ones skip the file).
 * t = {page, context, url(path), env(name), shot(name), state, log}; a test
 * that closes its page sets t.page to the one it opens instead.
 *
 * Prints one line per test, then "N passed, M failed" (", K skipped"
 * when some were); exits 1 when a test failed.  PORTAL_SHOTS names a
 * folder for screenshots (the steps' and one of every failure).
 * An uncaught exception in the page or a CSP violation fails the step
 * during which it happened.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const CHROMIUM = process.env.PORTAL_CHROMIUM || '/usr/bin/chromium';
const ARGS = [
	'--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic',
	'--no-first-run', '--disable-background-networking',
	'--disable-component-update', '--disable-sync',
];
const STEP_TIMEOUT_MS = 90000;
const ACTION_TIMEOUT_MS = 15000;

function baseUrl() {
	const u = process.env.PORTAL_URL;
	if (!u) return null;
	return u.replace(/\/+$/, '');
}

function shotsDir() {
	const d = process.env.PORTAL_SHOTS;
	if (!d) return null;
	fs.mkdirSync(d, { recursive: true });
	return d;
}

function slug(s) {
	return String(s).normalize('NFD').replace(/[\u0300-\u036f]/g, '')
		.replace(/[đĐ]/g, 'd').replace(/[^A-Za-z0-9]+/g, '-')
		.replace(/^-|-$/g, '').toLowerCase().slice(0, 60);
}

function withTimeout(promise, ms, what) {
	let timer;
	const guard = new Promise((_, reject) => {
		timer = setTimeout(() => reject(new Error(what + ': quá thời gian ' +
		    Math.round(ms / 1000) + ' s')), ms);
	});
	return Promise.race([promise, guard]).finally(() => clearTimeout(timer));
}

function firstLines(err, n = 6) {
	const text = err && err.stack ? err.stack : String(err);
	return text.split('\n').slice(0, n).map((l) => '    ' + l).join('\n');
}

async function runFile(file, counts) {
	const base = path.basename(file);
	const mod = await import(pathToFileURL(file).href);
	const tests = Array.isArray(mod.tests) ? mod.tests : [];
	const missing = (mod.requires || []).filter((v) => !process.env[v]);
	if (!baseUrl()) missing.unshift('PORTAL_URL');
	if (missing.length) {
		for (const t of tests) {
			console.log('skip ' + base + ' › ' + t.name + ' (thiếu ' + missing.join(', ') + ')');
			counts.skipped++;
		}
		return;
	}

	const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'portal-chromium-'));
	let context = null;
	try {
		context = await chromium.launchPersistentContext(profile, {
			executablePath: CHROMIUM,
			headless: true,
			args: ARGS,
			viewport: { width: 1280, height: 900 },
			locale: 'vi-VN',
			timezoneId: 'Asia/Ho_Chi_Minh',
		});
	} catch (e) {
		console.log('FAIL ' + base + ' › không mở được Chromium');
		console.log(firstLines(e));
		counts.failed += Math.max(1, tests.length);
		fs.rmSync(profile, { recursive: true, force: true });
		return;
	}

	const problems = [];
	/* Every page of the context: a test may close its page and open another (t.page). */
	const watch = (p) => {
		p.setDefaultTimeout(ACTION_TIMEOUT_MS);
		p.on('pageerror', (e) => problems.push('lỗi JavaScript trên trang: ' + e.message));
		p.on('console', (msg) => {
			const text = msg.text();
			if (/Content Security Policy|Refused to (execute|apply|load)/i.test(text))
				problems.push('vi phạm CSP: ' + text);
		});
	};
	const first = context.pages()[0];
	context.on('page', watch);
	if (first) watch(first);
	const page = first || await context.newPage();
	const shots = shotsDir();
	const t = {
		page,
		context,
		state: {},
		url: (p) => baseUrl() + p,
		env: (name) => process.env[name] || '',
		log: (...a) => console.log('     ', ...a),
		async shot(name) {
			if (!shots) return null;
			const f = path.join(shots, slug(base.replace(/\.mjs$/, '')) + '-' + slug(name) + '.png');
			await t.page.screenshot({ path: f, fullPage: true });
			return f;
		},
	};

	let broken = null;
	for (const test of tests) {
		const label = base + ' › ' + test.name;
		if (broken) {
			console.log('skip ' + label + ' (bước trước đã lỗi)');
			counts.skipped++;
			continue;
		}
		problems.length = 0;
		const started = Date.now();
		try {
			await withTimeout(Promise.resolve().then(() => test.fn(t)),
				test.timeout || STEP_TIMEOUT_MS, label);
			if (problems.length) throw new Error(problems.join('\n'));
			console.log('ok   ' + label + ' (' + ((Date.now() - started) / 1000).toFixed(1) + ' s)');
			counts.passed++;
		} catch (e) {
			console.log('FAIL ' + label);
			console.log(firstLines(e));
			counts.failed++;
			broken = test.name;
			if (shots) {
				try {
					const f = await t.shot('FAIL-' + test.name);
					console.log('    ảnh chụp: ' + f);
				} catch (se) { /* the page may be gone */ }
			}
		}
	}
	await context.close().catch(() => {});
	fs.rmSync(profile, { recursive: true, force: true });
}

async function main() {
	const filters = process.argv.slice(2);
	const files = fs.readdirSync(HERE)
		.filter((f) => /^test_.*\.mjs$/.test(f))
		.filter((f) => !filters.length || filters.some((x) => f.includes(x)))
		.sort()
		.map((f) => path.join(HERE, f));
	const counts = { passed: 0, failed: 0, skipped: 0 };
	if (!baseUrl()) console.log('PORTAL_URL chưa đặt: không có máy chủ để kiểm thử.');
	for (const f of files) {
		try {
			await runFile(f, counts);
		} catch (e) {
			console.log('FAIL ' + path.basename(f) + ' › không nạp được file kiểm thử');
			console.log(firstLines(e));
			counts.failed++;
		}
	}
	console.log(counts.passed + ' passed, ' + counts.failed + ' failed' +
	    (counts.skipped ? ', ' + counts.skipped + ' skipped' : ''));
	process.exit(counts.failed ? 1 : 0);
}

main();
