// tests/web/cdp.js CHROMIUM URL OUT_TEXT [SCREENSHOT.png WIDTH HEIGHT]
// Loads URL in headless Chromium, waits (real time, at most 90 s) until the page's title is
// "selftest done", writes the text of #selftest to OUT_TEXT and, if asked, a screenshot.
// It speaks the DevTools protocol over --remote-debugging-pipe (file descriptors 3 and 4,
// NUL-separated JSON), so it needs nothing but Node.js: no npm package, no network.
'use strict';
const { spawn } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const [chrome, url, outText, shot, width, height] = process.argv.slice(2);
const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'mmsim-web-'));
const w = Number(width || 1280), h = Number(height || 900);
const proc = spawn(chrome, [
	'--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
	'--disable-background-networking', '--disable-component-update', '--disable-sync',
	`--user-data-dir=${profile}`, '--remote-debugging-pipe', `--window-size=${w},${h}`, 'about:blank',
], { stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'] });
const toChrome = proc.stdio[3], fromChrome = proc.stdio[4];
let nextId = 1, buf = '';
const waiting = new Map();

function send(method, params = {}, sessionId) {
	const id = nextId++;
	const msg = { id, method, params };
	if (sessionId) msg.sessionId = sessionId;
	toChrome.write(JSON.stringify(msg) + '\0');
	return new Promise((resolve, reject) => waiting.set(id, { resolve, reject, method }));
}
fromChrome.on('data', (chunk) => {
	buf += chunk.toString('utf8');
	let i;
	while ((i = buf.indexOf('\0')) >= 0) {
		const msg = JSON.parse(buf.slice(0, i));
		buf = buf.slice(i + 1);
		const wt = msg.id && waiting.get(msg.id);
		if (!wt) continue;
		waiting.delete(msg.id);
		if (msg.error) wt.reject(new Error(`${wt.method}: ${msg.error.message}`));
		else wt.resolve(msg.result);
	}
});
function finish(code, why) {
	if (why) console.error('cdp.js: ' + why);
	const cleanUp = () => {
		try { fs.rmSync(profile, { recursive: true, force: true }); } catch (e) { /* best effort */ }
		process.exit(code);
	};
	if (proc.exitCode !== null || proc.signalCode !== null) cleanUp();
	proc.on('exit', cleanUp);
	setTimeout(cleanUp, 5000);
	try { proc.kill('SIGKILL'); } catch (e) { /* gone */ }
}
setTimeout(() => finish(1, 'timed out after 100 s'), 100000);

(async () => {
	const { targetId } = await send('Target.createTarget', { url: 'about:blank' });
	const { sessionId } = await send('Target.attachToTarget', { targetId, flatten: true });
	await send('Emulation.setDeviceMetricsOverride', { width: w, height: h, deviceScaleFactor: 1, mobile: w < 600 }, sessionId);
	await send('Page.enable', {}, sessionId);
	await send('Page.navigate', { url }, sessionId);
	const eval_ = async (expr) => (await send('Runtime.evaluate', { expression: expr, returnByValue: true }, sessionId)).result.value;
	const start = Date.now();
	for (;;) {
		const title = await eval_('document.title');
		if (title === 'selftest done') break;
		const err = await eval_("(document.getElementById('error')||{}).textContent||''");
		if (err) finish(1, 'the page reported: ' + err);
		if (Date.now() - start > 90000) finish(1, 'the self-test did not finish in 90 s');
		await new Promise((r) => setTimeout(r, 200));
	}
	fs.writeFileSync(outText, await eval_("document.getElementById('selftest').textContent"));
	if (shot) {
		await eval_('window.scrollTo(0, 0)');
		const { data } = await send('Page.captureScreenshot', { format: 'png', captureBeyondViewport: false }, sessionId);
		fs.writeFileSync(shot, Buffer.from(data, 'base64'));
	}
	finish(0);
})().catch((e) => finish(1, e.message));
