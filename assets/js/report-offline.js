/*
 * What a unit typed in a report, kept in the browser until the server
 * has stored it: a lost connection, a closed tab or an expired session
 * loses nothing, and nothing kept for one account is shown to another.
 *
 * Each report's unsent edits are one record in localStorage, keyed by
 * user, unit, period and form:
 *
 *   portal-draft:v1:<user>:<unit>/<period>/<form>
 *   {v, user, base, base_at, saved_at, tab, edits}
 *
 * `edits` maps a field key to its raw value as typed; `base` is the
 * report's version they were typed on and `base_at` when that version
 * was stored (its last event), so that a page opened later can tell
 * whether the server changed meanwhile.  Edits that met a newer version
 * wait beside it, under portal-unsent:v1:..., until the person has
 * chosen, item by item, their value or the server's.
 *
 * Small functions, no DOM and no imports: report.js drives them,
 * app.js forgets a user's records at sign-out, and the browser tests
 * load this module in Node as well.
 */

export const DRAFT_PREFIX = 'portal-draft:v1:';
export const UNSENT_PREFIX = 'portal-unsent:v1:';
/* A record nobody came back to in this long is dropped at the next visit. */
export const KEEP_DAYS = 60;
export const RETRY_MIN_MS = 2000;
export const RETRY_MAX_MS = 60000;
/* Automatic attempts before waiting for the network (or a click). */
export const RETRY_LIMIT = 8;
export const UNSENT_TITLE = 'Chưa gửi được — sẽ gửi lại khi có mạng';

const DAY_MS = 86400 * 1000;

function storage(s) {
	if (s) return s;
	try {
		return globalThis.localStorage || null;
	} catch (e) {
		return null;	/* storage refused (privacy settings) */
	}
}

/* "<user>:<unit>/<period>/<form>", each part escaped. */
export function reportKey(user, unit, period, form) {
	const e = encodeURIComponent;
	return e(user) + ':' + e(unit) + '/' + e(period) + '/' + e(form);
}

export function draftKey(user, unit, period, form) {
	return DRAFT_PREFIX + reportKey(user, unit, period, form);
}

export function unsentKey(user, unit, period, form) {
	return UNSENT_PREFIX + reportKey(user, unit, period, form);
}

export function readJson(key, s) {
	const st = storage(s);
	if (!st) return null;
	try {
		const raw = st.getItem(key);
		return raw ? JSON.parse(raw) : null;
	} catch (e) {
		return null;
	}
}

/* Writes value (null removes it); false when the browser refused. */
export function writeJson(key, value, s) {
	const st = storage(s);
	if (!st) return false;
	try {
		if (value === null || value === undefined) st.removeItem(key);
		else st.setItem(key, JSON.stringify(value));
		return true;
	} catch (e) {
		return false;	/* full: the page's memory still has it */
	}
}

/* When the version a page read was stored: its last event's time. */
export function baseStamp(report) {
	const h = report && Array.isArray(report.history) ? report.history : [];
	return h.length ? h[h.length - 1].at || null : null;
}

export function makeDraft({ user, base, baseAt, edits, tab, now }) {
	return {
		v: 1,
		user,
		base: Number(base) || 0,
		base_at: baseAt || null,
		saved_at: new Date(now === undefined ? Date.now() : now).toISOString(),
		tab: tab || '',
		edits: edits || {},
	};
}

export function editCount(rec) {
	return rec && rec.edits && typeof rec.edits === 'object' ? Object.keys(rec.edits).length : 0;
}

/*
 * Keeps a tab's edits: written when it has some, removed when it has
 * none, unless another tab of the same report wrote the record since
 * (its edits are not this tab's to drop).
 */
export function keepDraft(key, rec, s) {
	if (editCount(rec)) return writeJson(key, rec, s);
	const old = readJson(key, s);
	if (old && old.tab && rec && old.tab !== rec.tab && editCount(old)) return true;
	return writeJson(key, null, s);
}

/*
 * What a page opening a report does with the record left for it:
 * "none" (nothing, or not this user's), "apply" (typed on the version
 * the server still has: put back into the fields and send) or
 * "compare" (the server's report changed, or is no longer editable:
 * show both where they differ and let the person choose).
 */
export function restorePlan(rec, { user, version, editable }) {
	if (!editCount(rec) || rec.user !== user) return 'none';
	if (editable && Number(rec.base) === Number(version)) return 'apply';
	return 'compare';
}

/*
 * The wait before automatic attempt n (from 1), or null once the
 * attempts are spent: doubling from RETRY_MIN_MS up to RETRY_MAX_MS.
 * While the browser says it is offline only the longest wait is used:
 * the "online" event sends at once when the network returns.
 */
export function retryDelay(n, online = true) {
	if (!(n >= 1) || n > RETRY_LIMIT) return null;
	if (online === false) return RETRY_MAX_MS;
	return Math.min(RETRY_MIN_MS * 2 ** (n - 1), RETRY_MAX_MS);
}

function keysOf(st) {
	const out = [];
	for (let i = 0; i < st.length; i++) {
		const k = st.key(i);
		if (k !== null) out.push(k);
	}
	return out;
}

function userKeys(st, user) {
	const mine = [DRAFT_PREFIX, UNSENT_PREFIX].map((p) => p + encodeURIComponent(user) + ':');
	return keysOf(st).filter((k) => mine.some((p) => k.startsWith(p)));
}

/* How many reports have edits of user not yet stored. */
export function pendingCount(user, s) {
	const st = storage(s);
	if (!st || !user) return 0;
	/* "<prefix>v1:<user>:<report>": the user is escaped, so has no colon. */
	const report = (k) => k.slice(k.indexOf(':', k.indexOf(':v1:') + 4) + 1);
	return new Set(userKeys(st, user).map(report)).size;
}

/* Removes every record of user (at sign-out); returns how many. */
export function forgetUser(user, s) {
	const st = storage(s);
	if (!st || !user) return 0;
	const keys = userKeys(st, user);
	for (const k of keys) writeJson(k, null, st);
	return keys.length;
}

/* Drops the records older than KEEP_DAYS, and unreadable ones. */
export function prune(now, s) {
	const st = storage(s);
	if (!st) return 0;
	let n = 0;
	for (const k of keysOf(st)) {
		if (!k.startsWith(DRAFT_PREFIX) && !k.startsWith(UNSENT_PREFIX)) continue;
		const rec = readJson(k, st);
		const at = rec ? Date.parse(rec.saved_at || rec.at || '') : NaN;
		if (rec && !(now - at > KEEP_DAYS * DAY_MS)) continue;
		writeJson(k, null, st);
		n++;
	}
	return n;
}

/*
 * The notice of edits not yet stored, for the page's state: null when
 * there is nothing to say.  info: {count, secs (to the next attempt),
 * spent (attempts used up), restored (put back from an earlier visit)}.
 */
export function unsentNotice(state, info = {}) {
	const n = info.count || 0;
	if (!n) return null;
	const kept = n + ' thay đổi được giữ trong trình duyệt này, kể cả khi đóng trang.';
	if (state === 'offline' || state === 'retry') {
		let when;
		if (info.spent) when = ' Đã thử nhiều lần; sẽ gửi khi có mạng lại, hoặc bấm “Gửi lại ngay”.';
		else if (info.secs) when = ' Tự gửi lại sau ' + info.secs + ' giây hoặc khi có mạng.';
		else when = ' Tự gửi lại khi có mạng.';
		return { title: UNSENT_TITLE, detail: kept + when, retry: true };
	}
	if (info.restored && (state === 'dirty' || state === 'saving'))
		return {
			title: 'Chưa gửi được ở lần mở trang trước — đang gửi lại',
			detail: kept, retry: false,
		};
	return null;
}

/* Every item of a list of differences has been decided. */
export function allDecided(conflicts) {
	return (conflicts || []).every((c) => c.done);
}
