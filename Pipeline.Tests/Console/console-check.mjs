// Drives Debian's chromium (headless) through a running node's console at /ui, as an operator would:
//   node console-check.mjs <node url> <use case to stop and start> <experiment> <new B share> <screenshot.png>
// Each step checks what the page shows and what the admin API answers afterwards; the first failure ends the run with
// exit code 1 and says what was expected. Prints one "ok <step>" line per step.
import { chromium } from 'playwright-core';

const [url, useCase, experiment, share, screenshot] = process.argv.slice(2);
if (!screenshot) {
  console.error('usage: node console-check.mjs <node url> <use case> <experiment> <B share> <screenshot.png>');
  process.exit(2);
}
const timeout = 30_000;

async function admin(path) {
  const response = await fetch(new URL('/admin' + path, url));
  if (!response.ok) throw new Error(`${path} answered ${response.status}`);
  return response.json();
}

async function until(what, check) {
  const deadline = Date.now() + timeout;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
let failed = false;
const page = await browser.newPage({ viewport: { width: 1300, height: 1000 } });
const outside = [];
page.on('request', (request) => { if (!request.url().startsWith(url)) outside.push(request.url()); });
page.on('pageerror', (error) => { console.error('page error: ' + error.message); failed = true; });
try {
  await page.goto(new URL('/ui', url).href);
  const row = page.locator(`[data-testid="use-cases"] tr[data-use-case="${useCase}"]`);
  await row.waitFor({ timeout });
  const listed = await page.locator('[data-testid="use-cases"] tr[data-use-case]').evaluateAll((rows) => rows.map((r) => r.dataset.useCase));
  console.log('ok lists ' + listed.join(','));

  const input = page.locator(`[data-experiment="${experiment}"] input[data-share-of="${experiment}"]`);
  await input.fill(share);
  await page.locator(`[data-experiment="${experiment}"] button[type="submit"]`).click();
  await until(`the admin API reads a B share of ${share}`, async () =>
    (await admin('/experiments')).find((x) => x.key === experiment)?.bShare === Number(share));
  await until(`the page shows a B share of ${share}`, async () => Number(await input.inputValue()) === Number(share));
  console.log('ok b-share ' + share);

  await row.locator('button[data-action="stop"]').click();
  await until('the page shows the use case Stopped', async () => (await row.locator('[data-field="state"]').textContent()) === 'Stopped');
  const stopped = (await admin('/use-cases')).find((u) => u.key === useCase);
  if (stopped.state !== 'Stopped') throw new Error(`the admin API says ${useCase} is ${stopped.state} after Stop`);
  console.log('ok stopped');

  await row.locator('button[data-action="start"]').click();
  await until('the page shows the use case Running', async () => (await row.locator('[data-field="state"]').textContent()) === 'Running');
  console.log('ok started');

  await page.locator('[data-testid="members"] tbody tr').first().waitFor({ timeout });
  await page.locator('[data-experiment] svg.chart polyline').first().waitFor({ state: 'attached', timeout });
  await page.screenshot({ path: screenshot, fullPage: true });
  console.log('ok screenshot ' + screenshot);
  if (outside.length > 0) throw new Error('the page requested addresses outside the node: ' + outside.join(', '));
} catch (error) {
  console.error('failed: ' + error.message.split('\n')[0]);
  failed = true;
  await page.screenshot({ path: screenshot, fullPage: true }).catch(() => {});
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
