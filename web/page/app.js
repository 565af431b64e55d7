// web/page/app.js: the explorer's page logic. Every number it shows comes from libmmsim
// (web/src/mmsim_web.c, as JSON); this file only lays it out. docs/web.md explains the parts.
'use strict';

(function () {
	const $ = (id) => document.getElementById(id);
	const SPEEDS = [
		{ name: 'slow', ms: 1200 },
		{ name: 'steady', ms: 500 },
		{ name: 'quick', ms: 150 },
		{ name: 'fast', ms: 30 },
		{ name: 'instant', ms: 0 },
	];
	// x86-64 paging-entry bits (Intel SDM Vol. 3A §4.5, tables 4-15 to 4-20).
	const BIT = { P: 0, RW: 1, US: 2, PWT: 3, PCD: 4, A: 5, D: 6, PS: 7, G: 8, PATL: 12, XD: 63 };
	const LEVEL_NAME = { 5: 'PML5E', 4: 'PML4E', 3: 'PDPTE', 2: 'PDE', 1: 'PTE' };
	const FRAME_KINDS = [
		{ name: 'no RAM (hole)', color: '#222' },
		{ name: 'reserved (first MiB, kernel, memmap)', color: '#666' },
		{ name: 'free (lighter: larger buddy block)', color: '#e8f0e8' },
		{ name: 'page table', color: '#d9822b' },
		{ name: 'slab (tasks, mm, VMAs)', color: '#8e6bbf' },
		{ name: 'zero page', color: '#ffffff' },
		{ name: 'anonymous user page', color: null },
		{ name: 'shared (shmem) user page', color: '#2b8a9e' },
		{ name: 'other kernel page', color: '#a33' },
	];
	const PID_COLORS = ['#3b6fd6', '#d63b6f', '#3bab5a', '#c9a227', '#7a3bd6', '#d6773b'];

	let M = null; // the wasm module
	let session = 0; // web_session pointer
	let stepsDone = 0;
	let running = null;
	let log = [];
	let lastWalk = null; // { key, entries } of the walk shown before the last step
	let lastTlb = new Set(); // the TLB entries shown before the last step, as keys
	let lastHits = []; // the TLB hits of the last step: { va, pa, level } (BigInt addresses)

	function call(fn, types, args) {
		const p = M.ccall(fn, 'number', types, args);
		const text = M.UTF8ToString(p);
		M.ccall('web_free', null, ['number'], [p]);
		return JSON.parse(text);
	}

	function bigHex(s) {
		return BigInt(s);
	}

	function bit(e, n) {
		return ((e >> BigInt(n)) & 1n) === 1n;
	}

	// The flag words of an entry, the way `mmsim walk` prints them.
	function entryFlags(e, level) {
		if (!bit(e, BIT.P))
			return e === 0n ? ['not-present'] : ['not-present (software bits set)'];
		const large = bit(e, BIT.PS);
		const leaf = level === 1 || (level <= 3 && large);
		const f = ['P', bit(e, BIT.RW) ? 'RW' : 'RO', bit(e, BIT.US) ? 'US' : 'S'];
		if (bit(e, BIT.PWT)) f.push('PWT');
		if (bit(e, BIT.PCD)) f.push('PCD');
		if (bit(e, BIT.A)) f.push('A');
		if (leaf && bit(e, BIT.D)) f.push('D');
		if (level === 1 && bit(e, BIT.PS)) f.push('PAT');
		if (level > 1 && large) f.push('PS');
		if (leaf && level > 1 && bit(e, BIT.PATL)) f.push('PAT');
		if (leaf && bit(e, BIT.G)) f.push('G');
		if (bit(e, BIT.XD)) f.push('XD');
		const pkey = Number((e >> 59n) & 0xfn);
		if (leaf && pkey) f.push('pkey=' + pkey);
		return f;
	}

	function setError(msg) {
		$('error').textContent = msg || '';
	}

	// ---- sessions ----------------------------------------------------------------------

	function open() {
		stop();
		if (session)
			M.ccall('web_close', null, ['number'], [session]);
		session = M.ccall('web_open', 'number', ['string'], [$('script').value]);
		stepsDone = 0;
		log = [];
		lastWalk = null;
		lastTlb = new Set();
		const st = call('web_state', ['number'], [session]);
		setError(st.error);
		render(st, []);
	}

	function stepOnce() {
		const r = call('web_step', ['number'], [session]);
		if (r.rc > 0)
			stepsDone++;
		return r;
	}

	function step() {
		const r = stepOnce();
		setError(r.rc < 0 ? r.error : '');
		render(call('web_state', ['number'], [session]), r.out);
		return r;
	}

	function back() {
		const target = Math.max(0, stepsDone - 1);
		open();
		let out = [];
		for (let i = 0; i < target; i++) {
			const r = stepOnce();
			out = r.out;
			if (r.rc <= 0) break;
		}
		render(call('web_state', ['number'], [session]), out);
	}

	function stop() {
		if (running) clearTimeout(running);
		running = null;
		$('run').textContent = 'Run';
	}

	function run() {
		if (running) { stop(); return; }
		$('run').textContent = 'Stop';
		const tick = () => {
			const speed = SPEEDS[Number($('speed').value)];
			if (speed.ms === 0) {
				let r, out = [];
				do { r = stepOnce(); if (r.out.length) out = r.out; } while (r.rc > 0);
				setError(r.rc < 0 ? r.error : '');
				render(call('web_state', ['number'], [session]), out);
				stop();
				return;
			}
			const r = step();
			if (r.rc > 0 && !r.done) running = setTimeout(tick, speed.ms);
			else stop();
		};
		tick();
	}

	// ---- drawing -----------------------------------------------------------------------

	// The library's explain text of a hit (mmsim_event_describe, MMSIM_EV_TLB_HIT).
	const HIT = /^TLB hit at 0x([0-9a-f]+): frame 0x([0-9a-f]+) from the (L1|L2) TLB/;

	function render(st, out) {
		lastHits = [];
		for (const o of out) {
			const h = o.kind === 'event' && HIT.exec(o.text);
			if (h) lastHits.push({ va: BigInt('0x' + h[1]), pa: BigInt('0x' + h[2]) << 12n, level: h[3] === 'L2' ? 2 : 1 });
			if (o.kind === 'command') log.push('> ' + o.text);
			else if (o.kind === 'show') log.push('== ' + o.title + ' ==\n' + o.text);
			else log.push((o.kind === 'event' ? '  ' : '! ') + o.text);
		}
		$('events').textContent = log.join('\n');
		$('events').scrollTop = $('events').scrollHeight;
		const expects = st.expects ? `; ${st.expects - st.failed} of ${st.expects} expectations held` : '';
		$('status').textContent = st.done
			? `Done after ${st.steps} commands${expects}.`
			: `Step ${st.steps}; next, line ${st.next_line}: ${st.next}${expects}`;
		$('status').dataset.steps = st.steps;
		renderProcs(st);
		renderMaps(st);
		renderWalk();
		renderTlb();
		renderFrames();
	}

	function renderProcs(st) {
		const body = $('procs').tBodies[0];
		body.textContent = '';
		const sel = $('walkproc');
		const keep = sel.value;
		sel.textContent = '';
		for (const p of st.procs) {
			const tr = body.insertRow();
			tr.dataset.proc = p.name;
			const cells = p.pid
				? [p.name, p.pid, p.minflt + p.majflt, p.minflt, p.majflt, p.rss_kb, p.swap_kb, p.vmpte_kb,
					p.alive ? p.signal : 'killed']
				: [p.name, '-', '', '', '', '', '', '', 'not running'];
			cells.forEach((v, i) => {
				const td = tr.insertCell();
				td.textContent = v;
				if (i === 2) td.className = 'faults';
			});
			if (p.pid) {
				const o = document.createElement('option');
				o.value = o.textContent = p.name;
				sel.appendChild(o);
			}
		}
		if ([...sel.options].some((o) => o.value === keep)) sel.value = keep;
		const dl = $('counters');
		dl.textContent = '';
		for (const [k, v] of Object.entries(st.counters || {})) {
			const dt = document.createElement('dt');
			dt.textContent = k;
			const dd = document.createElement('dd');
			dd.textContent = v;
			dl.append(dt, dd);
		}
	}

	function renderMaps(st) {
		const box = $('maps');
		box.textContent = '';
		for (const p of st.procs) {
			if (!p.pid || !p.maps) continue;
			const h = document.createElement('h3');
			h.textContent = `${p.name} (pid ${p.pid})`;
			box.appendChild(h);
			for (const line of p.maps.split('\n')) {
				if (!line) continue;
				const b = document.createElement('button');
				b.className = 'mapline';
				b.textContent = line;
				b.title = 'walk the first page of this area';
				b.addEventListener('click', () => {
					$('walkproc').value = p.name;
					$('walkva').value = line.split('-')[0];
					renderWalk();
				});
				box.appendChild(b);
			}
		}
	}

	function renderWalk() {
		const box = $('walk');
		const proc = $('walkproc').value;
		const va = $('walkva').value.trim();
		box.textContent = '';
		if (!session || !proc || !va) {
			box.textContent = 'Pick a process and an address (or an area in the address space).';
			return;
		}
		const w = call('web_walk', ['number', 'string', 'string', 'number'],
			[session, proc, va, Number($('walkkind').value)]);
		if (w.error) { box.textContent = w.error; return; }
		const key = proc + ' ' + w.va;
		const before = lastWalk && lastWalk.key === key ? lastWalk.entries : null;
		const t = document.createElement('table');
		t.className = 'walk';
		const head = t.createTHead().insertRow();
		['entry', 'table [index]', 'value', 'P', 'RW', 'US', 'PWT', 'PCD', 'A', 'D', 'PS', 'G', 'XD', 'PK', 'next'].forEach((h) => {
			const th = document.createElement('th');
			th.textContent = h;
			head.appendChild(th);
		});
		const body = t.createTBody();
		const maxphy = 52n;
		w.levels.forEach((l, i) => {
			const e = bigHex(l.entry);
			const old = before && before[i] !== undefined ? before[i] : e;
			const tr = body.insertRow();
			const flags = entryFlags(e, l.level);
			tr.dataset.level = l.level;
			tr.dataset.entry = l.entry;
			tr.dataset.flags = flags.join(' ');
			tr.insertCell().textContent = LEVEL_NAME[l.level];
			tr.insertCell().textContent = `${l.table} [${l.index}]`;
			const v = tr.insertCell();
			v.textContent = l.entry;
			v.className = 'mono';
			for (const name of ['P', 'RW', 'US', 'PWT', 'PCD', 'A', 'D', 'PS', 'G', 'XD']) {
				const td = tr.insertCell();
				const on = bit(e, BIT[name]);
				td.textContent = on ? '1' : '0';
				const leafRow = l.level === 1 || (l.level <= 3 && bit(e, BIT.PS));
				const ignored = !leafRow && (name === 'D' || name === 'G');
				td.className = 'bit' + (on ? ' on' : '') + (ignored ? ' ignored' : '') + (bit(old, BIT[name]) !== on ? ' changed' : '');
				td.setAttribute('aria-label', `${name} ${on ? 'set' : 'clear'}${ignored ? ', ignored at this level' : ''}`);
				if (ignored) td.title = 'ignored by the CPU in an entry that points to a table (Linux sets D in them: _PAGE_TABLE)';
			}
			tr.insertCell().textContent = String(Number((e >> 59n) & 0xfn));
			const addr = e & (((1n << maxphy) - 1n) & ~0xfffn);
			const leaf = l.level === 1 || (l.level <= 3 && bit(e, BIT.PS));
			tr.insertCell().textContent = !bit(e, BIT.P) ? '—' : (leaf ? 'page 0x' : 'table 0x') + addr.toString(16);
		});
		if (w.levels.length) {
			const cr3 = document.createElement('p');
			cr3.textContent = `CR3 → ${w.levels[0].table} (this process's ${LEVEL_NAME[w.levels[0].level].replace(/E$/, '')}), then one entry per level, top first:`;
			box.appendChild(cr3);
		}
		box.appendChild(t);
		const res = document.createElement('p');
		res.id = 'walkresult';
		if (w.fault === 0) {
			const size = { 12: '4 KiB', 21: '2 MiB', 30: '1 GiB' }[w.page_shift];
			res.textContent = `${w.va} → physical ${w.pa} (${size} page); rights ${w.user ? 'user' : 'supervisor'} ${w.writable ? 'rw' : 'r-'}${w.executable ? 'x' : '-'}`;
		} else if (w.fault === 1) {
			res.textContent = `#PF, error code 0x${w.error_code.toString(16)}: ${w.error_text}. The fault handler decides what happens next.`;
			res.className = 'fault';
		} else {
			res.textContent = '#GP: not a canonical address';
			res.className = 'fault';
		}
		box.appendChild(res);
		lastWalk = { key, entries: w.levels.map((l) => bigHex(l.entry)) };
	}

	function renderTlb() {
		const box = $('tlb');
		box.textContent = '';
		if (!session) return;
		const t = call('web_tlb', ['number'], [session]);
		if (!t.arrays.length) {
			box.textContent = 'No TLB (tlb=off): every access walks the page tables.';
			return;
		}
		const byArray = t.arrays.map(() => []);
		for (const e of t.entries) byArray[e[0]].push(e);
		const keyOf = (e) => e.slice(0, 7).join(' ');
		// An entry was hit when a hit of the last step falls in the bytes it covers, in an
		// array of the level that served it (L1: dtlb, itlb; L2: the others).
		const isHit = (e) => {
			const level = /^(dtlb|itlb)$/.test(t.arrays[e[0]].structure) ? 1 : 2;
			const size = 1n << BigInt(e[5]), va = BigInt(e[3]), pa = BigInt(e[4]);
			return lastHits.some((h) => h.level === level && h.va >= va && h.va < va + size && h.pa >= pa && h.pa < pa + size);
		};
		const now = new Set(t.entries.map(keyOf));
		t.arrays.forEach((a, i) => {
			const fig = document.createElement('figure');
			const cap = document.createElement('figcaption');
			cap.textContent = `${a.structure} array ${i}: ${a.sets} sets × ${a.ways} ways, ${byArray[i].length} valid`;
			fig.appendChild(cap);
			const grid = document.createElement('div');
			grid.className = 'tlbgrid';
			const sets = Math.min(a.sets, 64);
			grid.style.gridTemplateColumns = `repeat(${sets}, 10px)`;
			grid.setAttribute('aria-label', 'columns are sets, rows are ways');
			const cells = new Map(byArray[i].map((e) => [e[1] * a.ways + e[2], e]));
			for (let w = 0; w < a.ways; w++) {
				for (let s = 0; s < sets; s++) {
					const c = document.createElement('span');
					const e = cells.get(s * a.ways + w);
					c.className = 'slot' + (e ? (e[7] ? ' global' : ' valid') : '') + (e && !lastTlb.has(keyOf(e)) ? ' filled' : '') + (e && isHit(e) ? ' hit' : '');
					if (e) c.title = `set ${s} way ${w}: ${e[3]} → ${e[4]} (2^${e[5]} bytes) pcid ${e[6]}${e[7] ? ' global' : ''}${e[9] ? ' W' : ''}${e[10] ? ' D' : ''}`;
					grid.appendChild(c);
				}
			}
			fig.appendChild(grid);
			if (a.sets > sets) {
				const more = document.createElement('p');
				more.textContent = `(first 64 of ${a.sets} sets shown)`;
				fig.appendChild(more);
			}
			const user = byArray[i].filter((e) => e[8]);
			if (user.length) {
				const ul = document.createElement('ul');
				ul.className = 'tlblist';
				for (const e of user.slice(0, 12)) {
					const li = document.createElement('li');
					li.textContent = `set ${e[1]} way ${e[2]}: ${e[3]} → ${e[4]}${e[9] ? ' rw' : ' ro'}${e[10] ? ' dirty' : ''}${lastTlb.has(keyOf(e)) ? '' : ' (filled by the last step)'}${isHit(e) ? ' (hit by the last step)' : ''}`;
					ul.appendChild(li);
				}
				fig.appendChild(ul);
			}
			box.appendChild(fig);
		});
		lastTlb = now;
	}

	function renderFrames() {
		const cv = $('frames');
		const ctx = cv.getContext('2d');
		ctx.clearRect(0, 0, cv.width, cv.height);
		if (!session) return;
		const f = call('web_frames', ['number'], [session]);
		if (!f.n) { $('framesum').textContent = 'The machine boots at the first command.'; return; }
		const cols = Math.ceil(Math.sqrt(f.n));
		const size = Math.max(1, Math.floor(cv.width / cols));
		const counts = new Array(FRAME_KINDS.length).fill(0);
		for (let i = 0; i < f.n; i++) {
			const kind = f.kinds.charCodeAt(2 * i) - 48;
			const order = f.kinds.charCodeAt(2 * i + 1) - 97;
			counts[kind]++;
			let color = FRAME_KINDS[kind].color;
			if (kind === 6 || (kind === 3 && f.pids[i] > 0))
				color = f.pids[i] > 0 ? PID_COLORS[(f.pids[i] - 1) % PID_COLORS.length] : (f.pids[i] < 0 ? '#000080' : color || '#3b6fd6');
			if (kind === 2) color = `hsl(120, 30%, ${96 - 3 * order}%)`;
			ctx.fillStyle = color || '#3b6fd6';
			ctx.fillRect((i % cols) * size, Math.floor(i / cols) * size, size, size);
		}
		const legend = $('legend');
		legend.textContent = '';
		FRAME_KINDS.forEach((k, i) => {
			if (!counts[i]) return;
			const li = document.createElement('li');
			const sw = document.createElement('span');
			sw.className = 'swatch';
			sw.style.background = k.color || PID_COLORS[0];
			li.append(sw, `${k.name}: ${counts[i]}`);
			li.dataset.kind = i;
			li.dataset.count = counts[i];
			legend.appendChild(li);
		});
		const li = document.createElement('li');
		li.textContent = 'user pages and their tables take their process\'s colour (pid 1 blue, 2 pink, 3 green ...); navy: mapped by several processes';
		legend.appendChild(li);
		$('framesum').textContent = `${f.n} frames. Frames that processes use, largest pfn last:`;
		// The frames processes use, one chip each, so that a COW copy or a freed page shows.
		const chips = $('chips');
		chips.textContent = '';
		let shown = 0;
		for (let i = 0; i < f.n && shown < 512; i++) {
			const kind = f.kinds.charCodeAt(2 * i) - 48;
			if (!f.pids[i] || (kind !== 6 && kind !== 7 && kind !== 3)) continue;
			const c = document.createElement('span');
			c.className = 'chip';
			c.style.background = f.pids[i] > 0 ? PID_COLORS[(f.pids[i] - 1) % PID_COLORS.length] : '#000080';
			if (kind === 3) c.style.outline = '2px solid ' + FRAME_KINDS[3].color;
			c.textContent = i.toString(16);
			c.title = `frame 0x${i.toString(16)}: ${FRAME_KINDS[kind].name}, ${f.pids[i] > 0 ? 'pid ' + f.pids[i] : 'several processes'}`;
			chips.appendChild(c);
			shown++;
		}
	}

	// ---- miss-ratio curves -------------------------------------------------------------

	async function curve() {
		const file = $('tracefile').files[0];
		const status = $('curvestatus');
		if (!file) { status.textContent = 'Choose a trace file first.'; return; }
		let bytes = new Uint8Array(await file.arrayBuffer());
		if (bytes[0] === 0x28 && bytes[1] === 0xb5 && bytes[2] === 0x2f && bytes[3] === 0xfd) {
			status.textContent = 'This trace is zstd-compressed, which browsers cannot decompress: run `zstd -d` on it, or `mmsim convert IN OUT` (plain binary), first.';
			return;
		}
		if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
			// gzip: the browser's own decompressor (Compression Streams API).
			try {
				const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
				bytes = new Uint8Array(await new Response(stream).arrayBuffer());
			} catch (e) {
				status.textContent = `${file.name}: not a valid gzip file (${e.message || e}).`;
				return;
			}
		}
		const policies = [...document.querySelectorAll('input[name=pol]:checked')].map((c) => c.value);
		if (!policies.length) { status.textContent = 'Pick at least one policy.'; return; }
		const ptr = M._malloc(bytes.length || 1);
		M.HEAPU8.set(bytes, ptr);
		let frames = $('curveframes').value.trim();
		try {
			if (frames === 'auto' || frames === '') {
				const probe = call('web_curve', ['number', 'number', 'string', 'string', 'string'], [ptr, bytes.length, file.name, 'lru', '1']);
				if (probe.error) { status.textContent = probe.error; return; }
				const top = Math.max(1, probe.pages);
				const set = new Set();
				for (let i = 1; i <= 12; i++) set.add(Math.max(1, Math.round(top * i / 12)));
				frames = [...set].join(',');
			}
			status.textContent = `Replaying ${file.name} ${policies.length} × ${frames.split(',').length} times…`;
			await new Promise((r) => setTimeout(r, 20));
			const c = call('web_curve', ['number', 'number', 'string', 'string', 'string'], [ptr, bytes.length, file.name, policies.join(','), frames]);
			if (c.error) { status.textContent = c.error; return; }
			status.textContent = `${c.accesses} page accesses, ${c.pages} distinct pages.`;
			drawCurve(c);
		} finally {
			M._free(ptr);
		}
	}

	function drawCurve(c) {
		const W = 560, H = 300, L = 60, B = 40;
		const byPol = new Map();
		for (const [p, f, misses] of c.rows) {
			if (!byPol.has(p)) byPol.set(p, []);
			byPol.get(p).push([f, c.accesses ? misses / c.accesses : 0]);
		}
		const xs = c.rows.map((r) => r[1]);
		const xmax = Math.max(...xs), xmin = Math.min(...xs);
		const ymax = Math.max(0.01, ...c.rows.map((r) => (c.accesses ? r[2] / c.accesses : 0)));
		const X = (f) => L + (xmax === xmin ? 0 : (f - xmin) / (xmax - xmin)) * (W - L - 10);
		const Y = (y) => H - B - (y / ymax) * (H - B - 10);
		const colors = { fifo: '#d63b6f', lru: '#3b6fd6', opt: '#3bab5a', clock: '#c9a227' };
		let svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" role="img" aria-label="miss ratio against frames"><rect width="${W}" height="${H}" fill="#fff"/>`;
		svg += `<line x1="${L}" y1="${H - B}" x2="${W - 10}" y2="${H - B}" stroke="#000"/><line x1="${L}" y1="10" x2="${L}" y2="${H - B}" stroke="#000"/>`;
		svg += `<text x="${(W + L) / 2}" y="${H - 8}" text-anchor="middle">frames (4 KiB pages)</text>`;
		svg += `<text x="14" y="${H / 2}" transform="rotate(-90 14 ${H / 2})" text-anchor="middle">miss ratio (misses / accesses)</text>`;
		svg += `<text x="${L}" y="${H - B + 16}" text-anchor="middle">${xmin}</text><text x="${W - 10}" y="${H - B + 16}" text-anchor="end">${xmax}</text>`;
		svg += `<text x="${L - 4}" y="${Y(ymax) + 4}" text-anchor="end">${ymax.toFixed(3)}</text><text x="${L - 4}" y="${H - B}" text-anchor="end">0</text>`;
		let ly = 20;
		for (const [p, pts] of byPol) {
			const col = colors[p] || '#555';
			svg += `<polyline fill="none" stroke="${col}" stroke-width="2" points="${pts.map(([f, y]) => `${X(f)},${Y(y)}`).join(' ')}"/>`;
			svg += `<text x="${W - 80}" y="${ly}" fill="${col}">${p}</text>`;
			ly += 16;
		}
		svg += '</svg>';
		$('curve').innerHTML = svg;
		const table = document.createElement('table');
		table.id = 'curvetable';
		table.innerHTML = '<thead><tr><th>policy</th><th>frames</th><th>misses</th><th>major faults</th><th>miss ratio</th></tr></thead>';
		const tb = table.createTBody();
		for (const [p, f, misses, major] of c.rows) {
			const tr = tb.insertRow();
			tr.dataset.row = `${p},${f},${misses}`;
			[p, f, misses, major, (c.accesses ? misses / c.accesses : 0).toFixed(6)].forEach((v) => { tr.insertCell().textContent = v; });
		}
		$('curve').appendChild(table);
	}

	// ---- wiring ------------------------------------------------------------------------

	function choosePreset(id) {
		const p = window.MMSIM_PRESETS.find((x) => x.id === id) || window.MMSIM_PRESETS[0];
		$('preset').value = p.id;
		$('script').value = p.text;
		open();
	}

	function wire() {
		const sel = $('preset');
		for (const p of window.MMSIM_PRESETS) {
			const o = document.createElement('option');
			o.value = p.id;
			o.textContent = p.title;
			sel.appendChild(o);
		}
		sel.addEventListener('change', () => choosePreset(sel.value));
		$('reset').addEventListener('click', open);
		$('step').addEventListener('click', () => { stop(); step(); });
		$('back').addEventListener('click', () => { stop(); back(); });
		$('run').addEventListener('click', run);
		$('speed').addEventListener('input', () => { $('speedname').textContent = SPEEDS[Number($('speed').value)].name; });
		$('speedname').textContent = SPEEDS[Number($('speed').value)].name;
		$('script').addEventListener('change', open);
		$('walkform').addEventListener('submit', (ev) => { ev.preventDefault(); lastWalk = null; renderWalk(); });
		$('curvebtn').addEventListener('click', () => { curve(); });
		document.addEventListener('keydown', (ev) => {
			if (ev.target.tagName === 'TEXTAREA' || ev.target.tagName === 'INPUT' || ev.ctrlKey || ev.metaKey || ev.altKey) return;
			const key = { s: 'step', b: 'back', r: 'reset', g: 'run' }[ev.key];
			if (key) { ev.preventDefault(); $(key).click(); }
		});
	}

	// ---- self-test (tests/web): drives the page's own controls, writes what it saw -----

	async function selftest(spec) {
		const out = {};
		const runPreset = (id) => {
			$('preset').value = id;
			$('preset').dispatchEvent(new Event('change'));
			$('speed').value = '4';
			$('run').click();
			const row = [...$('procs').tBodies[0].rows].find((r) => r.dataset.proc === 'P');
			return { faults: Number(row.querySelector('.faults').textContent), status: $('status').textContent };
		};
		out.belady3 = runPreset('belady3');
		out.belady4 = runPreset('belady4');
		out.cow = runPreset('cow');
		// Back: one command back from the end of COW, then forward again.
		const end = Number($('status').dataset.steps);
		$('back').click();
		out.back_steps = Number($('status').dataset.steps);
		out.end_steps = end;
		// A walk of the first page of P's first area, as a user would click it.
		$('preset').value = 'demand';
		$('preset').dispatchEvent(new Event('change'));
		$('step').click(); $('step').click(); $('step').click(); $('step').click();
		const first = document.querySelector('#maps .mapline');
		first.click();
		out.walk_va = $('walkva').value;
		out.walk = [...document.querySelectorAll('#walk tr[data-level]')].map((r) => ({ level: Number(r.dataset.level), entry: r.dataset.entry, flags: r.dataset.flags }));
		out.walk_result = $('walkresult').textContent;
		out.tlb_valid = document.querySelectorAll('#tlb .slot.valid, #tlb .slot.global').length;
		out.frames_legend = [...$('legend').querySelectorAll('li[data-kind]')].map((l) => [Number(l.dataset.kind), Number(l.dataset.count)]);
		out.events = $('events').textContent.split('\n').length;
		// Two more steps: 'P write A 1-3' fills, then 'P read A 1' hits in the L1 dTLB.
		$('step').click();
		out.hits_after_fill = document.querySelectorAll('#tlb .slot.hit').length;
		$('step').click();
		out.hits = [...document.querySelectorAll('#tlb .slot.hit')].map((s) => s.title);
		out.hit_event = $('events').textContent.split('\n').filter((l) => l.includes('TLB hit')).pop() || '';
		// A trace chosen as a user would (a File in the file input), then Draw curve.
		const trace = [1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5].map((p) => ` S ${(0x10000000 + p * 4096).toString(16)},8`).join('\n') + '\n';
		// The same trace gzip-compressed (by the browser's CompressionStream), then a zstd one.
		const gz = new Uint8Array(await new Response(new Blob([trace]).stream().pipeThrough(new CompressionStream('gzip'))).arrayBuffer());
		const pick = (bytes, name) => { const d = new DataTransfer(); d.items.add(new File([bytes], name)); $('tracefile').files = d.files; };
		$('curveframes').value = '3,4';
		pick(gz, 'belady.lackey.gz');
		await curve();
		out.curve_gz = [...document.querySelectorAll('#curvetable tr[data-row]')].map((r) => r.dataset.row);
		pick(new Uint8Array([0x28, 0xb5, 0x2f, 0xfd, 0, 0, 0, 0]), 'x.zst');
		await curve();
		out.zstd_status = $('curvestatus').textContent;
		const dt = new DataTransfer();
		dt.items.add(new File([trace], 'belady.lackey'));
		$('tracefile').files = dt.files;
		$('curveframes').value = '3,4';
		await curve();
		out.curve = [...document.querySelectorAll('#curvetable tr[data-row]')].map((r) => r.dataset.row);
		out.curve_status = $('curvestatus').textContent;
		out.script = $('script').value;
		if (spec === 'shot') {
			// The state a screenshot shows: COW after fork, just after Q's first write.
			choosePreset('cow');
			for (let i = 0; i < 5; i++) $('step').click();
			$('walkproc').value = 'Q';
			const qmaps = [...document.querySelectorAll('#maps .mapline')];
			const line = qmaps.find((b) => b.previousElementSibling && b.previousElementSibling.textContent.startsWith('Q')) || qmaps[0];
			if (line) line.click();
		}
		$('selftest').textContent = JSON.stringify(out);
		document.title = 'selftest done';
	}

	createMmsim().then((mod) => {
		M = mod;
		wire();
		choosePreset('cow');
		const m = location.hash.match(/^#selftest(?:=(\w+))?/);
		if (m) selftest(m[1]);
	}).catch((e) => setError('The simulator could not start: ' + e));
})();
