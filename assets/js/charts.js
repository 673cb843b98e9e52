/*
 * Small SVG charts for the dashboard: a line chart (values over periods)
 * and a horizontal bar chart (one value per district), each in a
 * <figure> with a caption, role="img" with <title>/<desc>, and a button
 * that swaps the picture for the same numbers as a table.
 *
 * Each chart is drawn to the width of its box, measured once it is on
 * the page and again whenever that width changes (a window resized, a
 * telephone turned), so that its text keeps its size and nothing is
 * wider than the screen.
 *
 * SVG elements need createElementNS, which h() does not do: svg() below
 * is its twin for SVG, with the same rule — text only as text nodes,
 * no style attribute, no handlers.  Colours, fonts and strokes come from
 * app.css (classes chart-*), never from inline styles (CSP).
 */
import { h, fmtNumber } from './app.js';

const NS = 'http://www.w3.org/2000/svg';
const PALETTE_SIZE = 8;
let serial = 0;

/* Widths drawn at: the box's, within these; the default until laid out. */
const MIN_W = 280;
const MAX_W = 1024;
const DEFAULT_W = 860;

export function svg(tag, attrs, ...children) {
	const el = document.createElementNS(NS, tag);
	for (const [k, v] of Object.entries(attrs || {})) {
		if (v === null || v === undefined || v === false) continue;
		const lower = k.toLowerCase();
		if (lower === 'style' || lower.startsWith('on') || lower.endsWith('href'))
			throw new Error('svg(): thuộc tính "' + k + '" không được phép');
		if (k === 'text') el.textContent = String(v);
		else el.setAttribute(k, String(v));
	}
	const add = (c) => {
		if (c === null || c === undefined || c === false || c === true) return;
		if (Array.isArray(c)) c.forEach(add);
		else if (c instanceof Node) el.appendChild(c);
		else el.appendChild(document.createTextNode(String(c)));
	};
	add(children);
	return el;
}

/* The box's width to draw at, or 0 while it is hidden or not on the page. */
function boxWidth(box) {
	const w = Math.floor(box.clientWidth);
	return w > 0 ? Math.max(MIN_W, Math.min(MAX_W, w)) : 0;
}

/*
 * Calls draw(width) now at the default width, then with the box's own
 * once it is laid out and whenever that changes.  The redraw waits for
 * the next frame: drawing inside the observer's callback would change
 * the box it observes in the same pass.  A box taken off the page stops
 * being observed.
 */
function fitToBox(box, draw) {
	let drawn = DEFAULT_W;
	let frame = 0;
	draw(drawn);
	if (typeof ResizeObserver !== 'function') return () => drawn;
	const ro = new ResizeObserver(() => {
		if (!box.isConnected) {
			ro.disconnect();
			return;
		}
		if (frame) return;
		frame = requestAnimationFrame(() => {
			frame = 0;
			const w = boxWidth(box);
			if (!w || w === drawn) return;
			drawn = w;
			draw(w);
		});
	});
	ro.observe(box);
	return () => drawn;
}

function r2(x) {
	return Math.round(x * 100) / 100;
}

function isNum(v) {
	return typeof v === 'number' && Number.isFinite(v);
}

/* 1, 2, 2.5, 5 or 10 × 10^k at or above max (at least 5 for whole numbers). */
export function niceMax(max, integer = false) {
	if (!(max > 0)) return integer ? 5 : 1;
	const exp = 10 ** Math.floor(Math.log10(max));
	const f = max / exp;
	const nice = f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10;
	const m = nice * exp;
	return integer && m < 5 ? 5 : m;
}

function tickValues(max) {
	const out = [];
	for (let i = 0; i <= 5; i++) out.push(Math.round((max * i / 5) * 1e6) / 1e6);
	return out;
}

/* Text longer than n characters, cut with an ellipsis. */
function cut(s, n) {
	const chars = [...String(s)];
	return chars.length > n ? chars.slice(0, n - 1).join('') + '…' : String(s);
}

/* A marker of one of seven shapes, so series differ without colour too. */
function marker(shape, x, y, r) {
	const p = (pts) => 'M' + pts.map(([a, b]) => r2(x + a * r) + ' ' + r2(y + b * r)).join(' L') + ' Z';
	switch (shape % 7) {
	case 0: return svg('circle', { cx: r2(x), cy: r2(y), r: r2(r), class: 'chart-marker' });
	case 1: return svg('path', { class: 'chart-marker', d: p([[-0.9, -0.9], [0.9, -0.9], [0.9, 0.9], [-0.9, 0.9]]) });
	case 2: return svg('path', { class: 'chart-marker', d: p([[0, -1.2], [1.1, 0.8], [-1.1, 0.8]]) });
	case 3: return svg('path', { class: 'chart-marker', d: p([[0, -1.3], [1.3, 0], [0, 1.3], [-1.3, 0]]) });
	case 4: return svg('path', { class: 'chart-marker', d: p([[0, 1.2], [1.1, -0.8], [-1.1, -0.8]]) });
	case 5: return svg('path', { class: 'chart-marker', d: p([[-0.4, -1.2], [0.4, -1.2], [0.4, -0.4],
		[1.2, -0.4], [1.2, 0.4], [0.4, 0.4], [0.4, 1.2], [-0.4, 1.2], [-0.4, 0.4], [-1.2, 0.4], [-1.2, -0.4],
		[-0.4, -0.4]]) });
	default: return svg('path', { class: 'chart-marker', d: p([[-1, -0.6], [0, -1.2], [1, -0.6], [1, 0.6],
		[0, 1.2], [-1, 0.6]]) });
	}
}

function seriesClass(i) {
	return 'chart-series chart-s' + (i % PALETTE_SIZE);
}

/* The legend's small picture of a series: a stroke and its marker. */
function swatch(i) {
	return svg('svg', { class: 'chart-swatch', viewBox: '0 0 28 14', width: '28', height: '14',
		'aria-hidden': 'true', focusable: 'false' },
	svg('g', { class: seriesClass(i) },
		svg('line', { x1: '1', y1: '7', x2: '27', y2: '7', class: 'chart-line' }),
		marker(i, 14, 7, 4)));
}

function svgRoot(id, width, height, title, desc, children) {
	return svg('svg', {
		class: 'chart-svg', viewBox: '0 0 ' + width + ' ' + height, role: 'img',
		'aria-labelledby': id + '-t ' + id + '-d', focusable: 'false',
		'data-chart': id,
	},
	svg('title', { id: id + '-t' }, title),
	svg('desc', { id: id + '-d' }, desc),
	children);
}

/*
 * The figure around a chart: caption, extra (legend), the picture and
 * its table, and the button that swaps them.
 */
function figure(id, title, note, extra, box, tableNode) {
	const tableBox = h('div', { class: 'chart-table', id: id + '-table', hidden: true }, tableNode);
	const button = h('button', {
		type: 'button', class: 'btn btn-small btn-secondary chart-toggle',
		'aria-controls': id + '-table', 'aria-expanded': 'false',
	}, 'Xem dạng bảng');
	const pictures = [box, extra].filter(Boolean);
	button.addEventListener('click', () => {
		const showTable = tableBox.hidden;
		tableBox.hidden = !showTable;
		for (const p of pictures) p.hidden = showTable;
		button.setAttribute('aria-expanded', String(showTable));
		button.textContent = showTable ? 'Xem dạng biểu đồ' : 'Xem dạng bảng';
	});
	return h('figure', { class: 'chart', id, 'aria-labelledby': id + '-cap' },
		h('figcaption', { id: id + '-cap', class: 'chart-caption' }, title,
			note ? h('span', { class: 'cell-sub' }, note) : null),
		extra, box, tableBox,
		h('div', { class: 'actions chart-actions' }, button));
}

/* ------------------------------------------------------------------ */
/* Line chart                                                         */
/* ------------------------------------------------------------------ */

function lineDesc(o, shown) {
	const labels = o.labels;
	if (!labels.length || !shown.length) return 'Chưa có số liệu để vẽ.';
	const fmt = o.format;
	const parts = ['Biểu đồ đường: ' + fmtNumber(shown.length) + ' chỉ tiêu qua ' +
	    fmtNumber(labels.length) + ' kỳ, từ ' + labels[0].full + ' đến ' +
	    labels[labels.length - 1].full + '.'];
	for (const s of shown) {
		const idx = s.values.map((v, i) => (isNum(v) ? i : -1)).filter((i) => i >= 0);
		if (!idx.length) {
			parts.push(s.name + ': không có số liệu.');
			continue;
		}
		const a = idx[0];
		const b = idx[idx.length - 1];
		parts.push(a === b
			? s.name + ': ' + fmt(s.values[a]) + ' (' + labels[a].full + ').'
			: s.name + ': ' + fmt(s.values[a]) + ' (' + labels[a].full + ') đến ' +
			  fmt(s.values[b]) + ' (' + labels[b].full + ').');
	}
	return parts.join(' ');
}

function lineSvg(id, o, shown, W) {
	/* Narrower than 600 px: less tall, so that the lines keep a slope. */
	const H = W < 600 ? Math.round(Math.max(240, W * 0.7)) : 340;
	const m = { l: 56, r: 18, t: 30, b: 48 };
	const pw = W - m.l - m.r;
	const ph = H - m.t - m.b;
	const n = o.labels.length;
	let top = 0;
	for (const s of shown) for (const v of s.values) if (isNum(v) && v > top) top = v;
	const max = isNum(o.max) ? o.max : niceMax(top, o.integer);
	const step = n ? pw / n : pw;
	const x = (i) => m.l + step * (i + 0.5);
	const y = (v) => m.t + ph * (1 - Math.max(0, Math.min(max, v)) / max);
	const tickFmt = o.tickFormat || ((v) => fmtNumber(v));

	const grid = tickValues(max).map((t) => svg('g', { class: 'chart-tick-y' },
		svg('line', { x1: m.l, x2: W - m.r, y1: r2(y(t)), y2: r2(y(t)), class: 'chart-grid' }),
		svg('text', { x: m.l - 8, y: r2(y(t) + 4), 'text-anchor': 'end', class: 'chart-tick' }, tickFmt(t))));
	/* A month's label needs about 44 px: fewer of them on a narrow box. */
	const room = Math.max(2, Math.min(12, Math.floor(pw / 44)));
	const every = n > room ? Math.ceil(n / room) : 1;
	const xlabels = o.labels.map((l, i) => (i % every === 0 || i === n - 1
		? svg('text', { x: r2(x(i)), y: H - m.b + 20, 'text-anchor': 'middle', class: 'chart-tick' },
			svg('title', null, l.full), l.short)
		: null));
	const lines = shown.map((s) => {
		let d = '';
		let pen = false;
		const marks = [];
		s.values.forEach((v, i) => {
			if (!isNum(v)) {
				pen = false;
				return;
			}
			d += (pen ? ' L' : (d ? ' M' : 'M')) + r2(x(i)) + ' ' + r2(y(v));
			pen = true;
			const mk = marker(s.index, x(i), y(v), 4.5);
			mk.appendChild(svg('title', null, s.name + ' — ' + o.labels[i].full + ': ' + o.format(v)));
			marks.push(mk);
		});
		return svg('g', { class: seriesClass(s.index), 'data-series': s.key },
			d ? svg('path', { d, class: 'chart-line' }) : null, marks);
	});
	return svgRoot(id, W, H, o.title, lineDesc(o, shown), [
		o.yLabel ? svg('text', { x: m.l, y: 14, class: 'chart-axis-label' }, o.yLabel) : null,
		grid,
		svg('line', { x1: m.l, x2: m.l, y1: m.t, y2: m.t + ph, class: 'chart-axis' }),
		svg('line', { x1: m.l, x2: W - m.r, y1: m.t + ph, y2: m.t + ph, class: 'chart-axis' }),
		xlabels,
		o.xLabel ? svg('text', { x: W - m.r, y: H - 6, 'text-anchor': 'end', class: 'chart-axis-label' },
			o.xLabel) : null,
		lines,
	]);
}

function lineTable(o) {
	return h('div', { class: 'table-wrap', role: 'region', tabindex: '0', 'aria-label': o.title },
		h('table', null,
			h('caption', null, o.title),
			h('thead', null, h('tr', null, h('th', { scope: 'col' }, o.categoryLabel || 'Kỳ'),
				o.series.map((s) => h('th', { scope: 'col', class: 'num' }, s.name)))),
			h('tbody', null, o.labels.map((l, i) => h('tr', null,
				h('th', { scope: 'row' }, l.full),
				o.series.map((s) => h('td', { class: 'num' },
					isNum(s.values[i]) ? o.format(s.values[i]) : '—')))))));
}

/*
 * lineChart({title, note, labels: [{short, full}], series: [{key, name,
 * values}], format, tickFormat, max, integer, yLabel, xLabel,
 * categoryLabel}) → <figure>.  With more than one series, a legend of
 * check boxes shows or hides each.
 */
export function lineChart(opts) {
	const id = opts.id || 'chart-' + (++serial);
	const o = { format: (v) => fmtNumber(v), ...opts };
	const series = o.series.map((s, i) => ({ ...s, index: i, shown: true }));
	o.series = series;
	const box = h('div', { class: 'chart-box', tabindex: '0', role: 'group', 'aria-label': o.title });
	const drawAt = (w) => box.replaceChildren(lineSvg(id, o, series.filter((s) => s.shown), w));
	let width = () => DEFAULT_W;
	const draw = () => drawAt(width());
	let legend = null;
	if (series.length > 1) {
		legend = h('ul', { class: 'chart-legend', 'aria-label': 'Chọn chỉ tiêu hiển thị trên biểu đồ' },
			series.map((s) => {
				const cb = h('input', { type: 'checkbox', checked: true, id: id + '-s' + s.index,
					'data-series': s.key });
				cb.addEventListener('change', () => {
					s.shown = cb.checked;
					draw();
				});
				return h('li', null, h('label', { class: 'check', for: cb.id }, cb, swatch(s.index),
					h('span', null, s.name)));
			}));
	}
	width = fitToBox(box, drawAt);
	return figure(id, o.title, o.note, legend, box, lineTable(o));
}

/* ------------------------------------------------------------------ */
/* Horizontal bar chart                                               */
/* ------------------------------------------------------------------ */

function barDesc(o) {
	const rows = o.rows.filter((r) => isNum(r.value));
	if (!rows.length) return 'Chưa có số liệu để vẽ.';
	const sorted = rows.slice().sort((a, b) => b.value - a.value);
	const hi = sorted[0];
	const lo = sorted[sorted.length - 1];
	const parts = ['Biểu đồ thanh ngang: ' + fmtNumber(o.rows.length) + ' ' + (o.rowNoun || 'mục') + '.',
		'Cao nhất: ' + hi.label + ' (' + o.format(hi.value) + ').'];
	if (sorted.length > 1) parts.push('Thấp nhất: ' + lo.label + ' (' + o.format(lo.value) + ').');
	if (o.reference && isNum(o.reference.value))
		parts.push(o.reference.label + ': ' + o.format(o.reference.value) + '.');
	const none = o.rows.length - rows.length;
	if (none) parts.push(fmtNumber(none) + ' ' + (o.rowNoun || 'mục') + ' không có số liệu.');
	return parts.join(' ');
}

/*
 * Below 520 px a name does not fit beside its bar: it goes above it, on
 * the whole width, and the bars start at the left edge.
 */
function barSvg(id, o, W) {
	const stacked = W < 520;
	const rowH = stacked ? 44 : 28;
	const barH = stacked ? 16 : 18;
	const charW = 7.4;
	const longest = Math.max(8, ...o.rows.map((r) => [...String(r.label)].length));
	const l = stacked ? 8
		: Math.min(Math.round(W * 0.38), Math.max(110, Math.min(280, Math.round(longest * charW) + 14)));
	const r = stacked ? 70 : 92;
	const t = o.reference && isNum(o.reference.value) ? 30 : 12;
	const b = 40;
	const n = o.rows.length;
	const H = t + Math.max(1, n) * rowH + b;
	const pw = W - l - r;
	let top = 0;
	for (const row of o.rows) if (isNum(row.value) && row.value > top) top = row.value;
	if (o.reference && isNum(o.reference.value) && o.reference.value > top) top = o.reference.value;
	const max = isNum(o.max) ? o.max : niceMax(top, o.integer);
	const x = (v) => l + pw * Math.max(0, Math.min(max, v)) / max;
	const bottom = t + Math.max(1, n) * rowH;
	const tickFmt = o.tickFormat || ((v) => fmtNumber(v));
	const maxChars = Math.floor(((stacked ? W - l : l) - 14) / charW);

	const grid = tickValues(max).map((v) => svg('g', { class: 'chart-tick-x' },
		svg('line', { x1: r2(x(v)), x2: r2(x(v)), y1: t, y2: bottom, class: 'chart-grid' }),
		svg('text', { x: r2(x(v)), y: bottom + 18, 'text-anchor': 'middle', class: 'chart-tick' }, tickFmt(v))));
	const bars = o.rows.map((row, i) => {
		const yMid = stacked ? t + i * rowH + 18 + barH / 2 : t + i * rowH + rowH / 2;
		const label = stacked
			? svg('text', { x: l, y: r2(t + i * rowH + 14), class: 'chart-cat' },
				svg('title', null, row.label), cut(row.label, maxChars))
			: svg('text', { x: l - 8, y: r2(yMid + 4), 'text-anchor': 'end', class: 'chart-cat' },
				svg('title', null, row.label), cut(row.label, maxChars));
		if (!isNum(row.value))
			return svg('g', { class: 'chart-row is-empty', 'data-key': row.key }, label,
				svg('text', { x: l + 6, y: r2(yMid + 4), class: 'chart-na' }, 'không có số liệu'));
		const w = Math.max(row.value > 0 ? 1 : 0, x(row.value) - l);
		return svg('g', { class: 'chart-row', 'data-key': row.key }, label,
			svg('rect', { x: l, y: r2(yMid - barH / 2), width: r2(w), height: barH, class: 'chart-bar' },
				svg('title', null, row.label + ': ' + o.format(row.value))),
			svg('text', { x: r2(l + w + 6), y: r2(yMid + 4), class: 'chart-value' }, o.format(row.value)));
	});
	let ref = null;
	if (o.reference && isNum(o.reference.value)) {
		const rx = x(o.reference.value);
		const anchor = rx > W - r - 60 ? 'end' : rx < l + 60 ? 'start' : 'middle';
		ref = svg('g', { class: 'chart-ref' },
			svg('line', { x1: r2(rx), x2: r2(rx), y1: t - 6, y2: bottom, class: 'chart-ref-line' }),
			svg('text', { x: r2(rx), y: t - 10, 'text-anchor': anchor, class: 'chart-ref-label' },
				o.reference.label + ': ' + o.format(o.reference.value)));
	}
	return svgRoot(id, W, H, o.title, barDesc(o), [
		grid,
		bars,
		svg('line', { x1: l, x2: l, y1: t, y2: bottom, class: 'chart-axis' }),
		svg('line', { x1: l, x2: W - r, y1: bottom, y2: bottom, class: 'chart-axis' }),
		o.xLabel ? svg('text', { x: W - r, y: H - 4, 'text-anchor': 'end', class: 'chart-axis-label' },
			o.xLabel) : null,
		ref,
	]);
}

function barTable(o) {
	return h('div', { class: 'table-wrap', role: 'region', tabindex: '0', 'aria-label': o.title },
		h('table', null,
			h('caption', null, o.title),
			h('thead', null, h('tr', null, h('th', { scope: 'col' }, o.categoryLabel || 'Mục'),
				h('th', { scope: 'col', class: 'num' }, o.valueLabel || 'Giá trị'),
				o.rows.some((r) => r.sub) ? h('th', { scope: 'col' }, o.subLabel || 'Ghi chú') : null)),
			h('tbody', null, o.rows.map((r) => h('tr', null,
				h('th', { scope: 'row' }, r.label),
				h('td', { class: 'num' }, isNum(r.value) ? o.format(r.value) : '—'),
				o.rows.some((x) => x.sub) ? h('td', null, r.sub || '') : null))),
			o.reference && isNum(o.reference.value) ? h('tfoot', null, h('tr', null,
				h('th', { scope: 'row' }, o.reference.label),
				h('td', { class: 'num' }, o.format(o.reference.value)),
				o.rows.some((x) => x.sub) ? h('td', null) : null)) : null));
}

/*
 * barChart({title, note, rows: [{key, label, value, sub}], format,
 * tickFormat, max, integer, reference: {label, value}, xLabel,
 * categoryLabel, valueLabel, rowNoun}) → <figure>.  Rows are drawn in
 * the order given; a row without a value says so instead of a bar.
 */
export function barChart(opts) {
	const id = opts.id || 'chart-' + (++serial);
	const o = { format: (v) => fmtNumber(v), ...opts };
	const box = h('div', { class: 'chart-box', tabindex: '0', role: 'group', 'aria-label': o.title });
	fitToBox(box, (w) => box.replaceChildren(barSvg(id, o, w)));
	return figure(id, o.title, o.note, null, box, barTable(o));
}
