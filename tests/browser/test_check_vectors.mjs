/*
 * The page's check engine (assets/js/report-checks.js) against the test
 * vectors the C engine is held to as well (tests/data/check_vectors.json,
 * run by tests/unit/test_check.c): the same results, messages included,
 * so that what the page says while typing is what the server says on
 * saving, whichever outline version it is given (a case may name one,
 * "outline").  The module is pure (no DOM): Node loads it as the browser
 * does.  Every PL1 item applies to the units of the vectors (GKSKLX
 * licence, every section "all" or "gksklx"), so "applicable" is all.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { buildModel, computeDerived, runLiveChecks, LIVE_TYPES } from '../../assets/js/report-checks.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

function readJson(p) {
	return JSON.parse(fs.readFileSync(path.join(ROOT, p), 'utf8'));
}

function results(form, c) {
	const u = c.unit;
	const report = {
		applicable: null,
		unit_info: { code: u.code, name: u.code, stations: (u.stations || []).map((s) => ({ code: s, name: s })) },
		period_info: {},
	};
	const model = buildModel(form, report);
	const values = c.values || {};
	const stations = c.stations || {};
	const typed = (code) => (typeof values[code] === 'number' ? values[code] : null);
	const derived = computeDerived(model, typed);
	const snap = {
		value: (code) => {
			if (derived.has(code)) return derived.get(code);
			const v = values[code];
			return v === undefined ? null : v;
		},
		station: (st, code) => {
			const v = (stations[st] || {})[code];
			return typeof v === 'number' ? v : null;
		},
		rows: () => [],
	};
	return runLiveChecks(model, snap).filter((r) => c.rules.includes(r.rule)).map((r) => {
		const o = { rule: r.rule, severity: r.severity, message: r.message, items: r.items };
		if (r.station !== undefined) o.station = r.station;
		if (r.stations !== undefined) o.stations = r.stations;
		return o;
	});
}

async function sameAsC() {
	const doc = readJson('tests/data/check_vectors.json');
	assert.ok(doc.cases.length > 0, 'no vectors');
	const forms = {};
	for (const c of doc.cases) {
		/* The version the server would send: a case may name another. */
		const file = c.outline || 'forms/' + c.form + '.json';
		forms[file] = forms[file] || readJson(file);
		const f = forms[file];
		for (const chk of f.checks || [])
			if (c.rules.includes(chk.rule))
				assert.ok(LIVE_TYPES.has(chk.type), c.name + ': ' + chk.rule + ' is not run by the page');
		for (const s of f.sections)
			assert.ok(['all', 'gksklx'].includes(s.applies) && c.unit.gksklx,
				c.name + ': a vector unit must report every item');
		assert.deepEqual(results(f, c), c.expect, 'vector "' + c.name + '"');
	}
}

export const tests = [
	{ name: 'the page\'s check engine says what the C engine says on every shared vector', fn: sameAsC },
];
