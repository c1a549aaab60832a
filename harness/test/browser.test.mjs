// The harness page in Debian's Chromium (driven by playwright-core) against a running Switchboard: every
// stress test is run by clicking it and must show PASS; the metrics readout must show the server's gauges.
// Env: SWITCHBOARD_HTTP (e.g. http://127.0.0.1:8080); CHROMIUM_PATH overrides /usr/bin/chromium.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const HTTP_URL = process.env.SWITCHBOARD_HTTP
  || (process.env.SWITCHBOARD_URL || '').replace(/^ws/, 'http').replace(/\/ws(\?.*)?$/, '');
if (!HTTP_URL) {
  throw new Error('SWITCHBOARD_HTTP is not set (e.g. http://127.0.0.1:8080)');
}
const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
// The test run writes its screenshot under target/, never into the source tree; set SCREENSHOT_PATH (for example
// to perf-reports/harness-screenshot.png) to refresh the committed one on purpose.
const SCREENSHOT = process.env.SCREENSHOT_PATH
    ? resolve(process.env.SCREENSHOT_PATH)
    : resolve(REPO_ROOT, 'harness', 'target', 'harness-screenshot.png');

let browser;
let page;
const pageErrors = [];

before(async () => {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
  page.on('pageerror', (err) => pageErrors.push(String(err)));
  await page.goto(`${HTTP_URL}/harness/`);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 10000 });
});

after(async () => {
  if (page) {
    await mkdir(dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
  }
  if (browser) {
    await browser.close();
  }
});

async function runStressTest(name, timeoutMs) {
  await page.click(`#test-${name}`);
  await page.waitForFunction((id) => {
    const status = document.getElementById(id).dataset.status;
    return status === 'pass' || status === 'fail';
  }, `result-${name}`, { timeout: timeoutMs, polling: 100 });
  const result = page.locator(`#result-${name}`);
  return { status: await result.getAttribute('data-status'), text: await result.textContent() };
}

test('the page and the client module are served with their content types', async () => {
  const html = await fetch(`${HTTP_URL}/harness/`);
  assert.equal(html.status, 200);
  assert.match(html.headers.get('content-type'), /^text\/html/);
  const js = await fetch(`${HTTP_URL}/harness/switchboard-client.js`);
  assert.equal(js.status, 200);
  assert.match(js.headers.get('content-type'), /javascript/);
  assert.match(await js.text(), /export class SwitchboardClient/);
});

test('the manual controls join a room as host and get a pong', { timeout: 30000 }, async () => {
  await page.fill('#room-id', `manual-${Date.now().toString(36)}`);
  await page.selectOption('#role', 'host');
  await page.click('#btn-join');
  await page.waitForSelector('#conn-state[data-state="joined"]', { timeout: 10000 });
  assert.match(await page.textContent('#conn-identity'), / · host · manual-/);
  await page.fill('#gs-patch', '{"score":3}');
  await page.click('#btn-game-state');
  await page.click('#btn-game-event');
  await page.click('#btn-ping');
  await page.waitForFunction(() => /pong in \d+ ms/.test(document.getElementById('log').textContent),
    null, { timeout: 10000 });
  await page.waitForFunction(() => /game_event: acked/.test(document.getElementById('log').textContent),
    null, { timeout: 10000 });
});

test('Duplicate Msg Test passes: 1 ack, 4 ignored', { timeout: 30000 }, async () => {
  const { status, text } = await runStressTest('duplicate', 25000);
  assert.equal(status, 'pass', text);
  assert.match(text, /1 ack, 0 error, 4 ignored/);
});

test('ICE Flood passes: rate-limit errors and the socket still answers a ping', { timeout: 40000 }, async () => {
  const { status, text } = await runStressTest('ice-flood', 35000);
  assert.equal(status, 'pass', text);
});

test('Resume Test passes: role and state restored after the socket is killed', { timeout: 40000 }, async () => {
  const { status, text } = await runStressTest('resume', 35000);
  assert.equal(status, 'pass', text);
});

test('Backpressure passes: non-critical dropped for the slow viewer, every game_event delivered',
  { timeout: 150000 }, async () => {
    const { status, text } = await runStressTest('backpressure', 140000);
    assert.equal(status, 'pass', text);
  });

test('the metrics readout shows the server gauges', { timeout: 20000 }, async () => {
  await page.click('#metrics-refresh');
  await page.waitForFunction(() => /connected_sockets/.test(document.getElementById('metrics-output').textContent),
    null, { timeout: 10000 });
  const text = await page.textContent('#metrics-output');
  assert.match(text, /^connected_sockets(\{[^}]*\})? \d+/m);
});

test('the page raised no script errors', () => {
  assert.deepEqual(pageErrors, []);
});
