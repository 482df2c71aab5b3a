#!/usr/bin/env node
// Accessibility test for the built site: serves a folder on 127.0.0.1, opens every HTML page in
// headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core), runs axe-core with the
// WCAG 2.0/2.1/2.2 A and AA tags at 1280 and 390 px wide, and fails on any violation. Besides axe,
// on every page and at 1280, 390 and 320 px (the last after the 390 px check), it fails when:
//   - the page is wider than the screen (WCAG 1.4.10 reflow), or a table scrolls sideways in its
//     region, hiding columns (tables stack on narrow screens instead);
//   - a chart's text is rendered under 12 px, or runs outside its chart (the timeline's names);
//   - the page asks for anything from another website (the privacy page says it never does).
// It writes a full-page screenshot of every page at each of the three widths into a folder it
// prints, for a person to look at.
//
//   node tests/a11y/run.mjs [options] <site-output-dir>
//
// Options:
//   --port N          serve on this port (default: a free port chosen by the OS)
//   --mobile MODE     which pages are also checked at 390 px wide: all (default) | home | none
//   --jobs N          pages checked at once (default 2)
//   --page URLPATH    check only this page (repeatable), e.g. --page / --page /organisations/x/
//   --screenshots DIR where the screenshots go (default: $CARGO_TARGET_DIR/a11y-screenshots, else
//                     target/a11y-screenshots in the repository); emptied first
//   --no-screenshots  take none
//   --overlay BINARY  also check `BINARY serve`'s error overlay: copies the example register
//                     (--overlay-site, default the repository) to a temporary folder, serves it,
//                     breaks a record, and checks two pages with the overlay shown, at both widths;
//                     then that it closes with Escape and with its Close button (the focus going
//                     to the "Show the errors" button, axe clean while closed), stays closed on a
//                     reload with the same errors, opens again from that button, and opens again
//                     by itself, with the focus, when the errors change
//   --overlay-site DIR  the site whose content/ (and static/) the overlay check copies
//   --serve           only serve the folder (prints the URL) until interrupted; no checks
//   --verbose         show each failing element's HTML and axe's fix summary, and list axe's
//                     "incomplete" results (needs review; never a failure)
//
// Environment: CHROMIUM_PATH overrides the browser (default /usr/bin/chromium);
// A11Y_TOTAL_TIMEOUT_S shortens the whole-run limit (default 600, i.e. 10 minutes).
//
// Output: one line per page and viewport checked ("ok  /path/" or "FAIL /path/: ..." — a page
// with several violated rules gets one FAIL line per rule), then "N passed, M failed" alone on
// its line. Exit 0 when every page passes, 1 when any fails, 2 on a usage or set-up error.
//
// Bounds: a page that does not load within 20 s is a failure; the whole run stops itself after
// 10 minutes. The browser may fetch only from the local server: every other request is aborted
// (and fails the page).

import { createServer } from 'node:http';
import { spawn } from 'node:child_process';
import { createReadStream, promises as fs } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const PAGE_LOAD_TIMEOUT_MS = 20_000;
const AXE_TIMEOUT_MS = 60_000;
const TOTAL_TIMEOUT_MS = Number(process.env.A11Y_TOTAL_TIMEOUT_S || 600) * 1000;
const DESKTOP = { name: 'desktop', width: 1280, height: 800 };
const MOBILE = { name: '390px', width: 390, height: 844 };
// The narrowest screen WCAG's reflow criterion names; checked after the 390 px pass, same page.
const NARROWEST = 320;
// The smallest text a chart may render, in CSS pixels.
const CHART_TEXT_MIN_PX = 12;
const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.pdf': 'application/pdf',
  '.txt': 'text/plain; charset=utf-8',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.webmanifest': 'application/manifest+json',
  '.ics': 'text/calendar; charset=utf-8',
};

function usage(msg) {
  if (msg) console.error(`a11y: ${msg}`);
  console.error(
    'usage: node tests/a11y/run.mjs [--port N] [--mobile all|home|none] [--jobs N] ' +
      '[--page URLPATH]... [--screenshots DIR | --no-screenshots] [--overlay BINARY [--overlay-site DIR]] ' +
      '[--serve] [--verbose] <site-output-dir>',
  );
  process.exit(2);
}

function parseArgs(argv) {
  const opts = {
    port: 0,
    mobile: 'all',
    jobs: 2,
    pages: [],
    serve: false,
    verbose: false,
    dir: null,
    screenshots: path.join(process.env.CARGO_TARGET_DIR || path.join(REPO, 'target'), 'a11y-screenshots'),
    overlay: null,
    overlaySite: REPO,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] = a.startsWith('--') && a.includes('=') ? a.split(/=(.*)/s, 2) : [a, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) usage(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--port': {
        opts.port = Number(value());
        if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535) usage('bad --port');
        break;
      }
      case '--mobile': {
        opts.mobile = value();
        if (!['all', 'home', 'none'].includes(opts.mobile)) usage('--mobile is all, home or none');
        break;
      }
      case '--jobs': {
        opts.jobs = Number(value());
        if (!Number.isInteger(opts.jobs) || opts.jobs < 1) usage('bad --jobs');
        break;
      }
      case '--page':
        opts.pages.push(value());
        break;
      case '--screenshots':
        opts.screenshots = path.resolve(value());
        break;
      case '--no-screenshots':
        opts.screenshots = null;
        break;
      case '--overlay':
        opts.overlay = path.resolve(value());
        break;
      case '--overlay-site':
        opts.overlaySite = path.resolve(value());
        break;
      case '--serve':
        opts.serve = true;
        break;
      case '--verbose':
        opts.verbose = true;
        break;
      case '-h':
      case '--help':
        usage();
        break;
      default:
        if (a.startsWith('-')) usage(`unknown option ${a}`);
        if (opts.dir !== null) usage('only one site folder');
        opts.dir = a;
    }
  }
  if (opts.dir === null) usage('no site folder given');
  return opts;
}

// ---------------------------------------------------------------------------------------------
// Static server

function contentType(file) {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

async function statOrNull(p) {
  try {
    return await fs.stat(p);
  } catch {
    return null;
  }
}

// Resolves a URL path to a file inside root, or null. Never leaves root: ".." segments, encoded
// separators, NUL bytes and symlinks that point outside are all refused.
async function resolveInside(root, urlPath) {
  let decoded;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const segments = decoded.split('/');
  if (segments.some((s) => s === '..')) return null;
  const candidate = path.resolve(root, '.' + path.posix.normalize('/' + decoded));
  if (candidate !== root && !candidate.startsWith(root + path.sep)) return null;
  let real;
  try {
    real = await fs.realpath(candidate);
  } catch {
    return { path: candidate, stat: null };
  }
  if (real !== root && !real.startsWith(root + path.sep)) return null;
  return { path: real, stat: await statOrNull(real) };
}

function startServer(root, port) {
  const send = (req, res, status, file, stat) => {
    res.writeHead(status, {
      'Content-Type': contentType(file),
      'Content-Length': stat.size,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    });
    if (req.method === 'HEAD') return res.end();
    createReadStream(file).on('error', () => res.destroy()).pipe(res);
  };
  const notFound = async (req, res) => {
    const file = path.join(root, '404.html');
    const stat = await statOrNull(file);
    if (stat?.isFile()) return send(req, res, 404, file, stat);
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end(req.method === 'HEAD' ? undefined : 'Not found\n');
  };
  const server = createServer(async (req, res) => {
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { Allow: 'GET, HEAD' });
        return res.end();
      }
      const url = new URL(req.url, 'http://127.0.0.1');
      const hit = await resolveInside(root, url.pathname);
      if (hit === null || hit.stat === null) return notFound(req, res);
      if (hit.stat.isDirectory()) {
        if (!url.pathname.endsWith('/')) {
          res.writeHead(301, { Location: url.pathname + '/' + url.search });
          return res.end();
        }
        const index = path.join(hit.path, 'index.html');
        const stat = await statOrNull(index);
        if (stat?.isFile()) return send(req, res, 200, index, stat);
        return notFound(req, res);
      }
      if (!hit.stat.isFile()) return notFound(req, res);
      return send(req, res, 200, hit.path, hit.stat);
    } catch (err) {
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(`server error: ${err.message}\n`);
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

// ---------------------------------------------------------------------------------------------
// Pages

async function findHtml(root) {
  const out = [];
  const walk = async (dir) => {
    const entries = await fs.readdir(dir, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) await walk(full);
      else if (e.isFile() && e.name.toLowerCase().endsWith('.html')) out.push(full);
    }
  };
  await walk(root);
  return out;
}

// "a/b/index.html" -> "/a/b/", "index.html" -> "/", "404.html" -> "/404.html"
function urlPathFor(root, file) {
  const rel = path.relative(root, file).split(path.sep);
  const encoded = rel.map(encodeURIComponent);
  if (rel[rel.length - 1] === 'index.html') return '/' + encoded.slice(0, -1).map((s) => s + '/').join('');
  return '/' + encoded.join('/');
}

function formatTarget(target) {
  // axe targets are arrays of selectors; nested arrays cross iframes / shadow roots.
  return target.map((t) => (Array.isArray(t) ? t.join(' >>> ') : t)).join(' >>> ');
}

function oneLine(s) {
  return String(s).replace(/\s+/g, ' ').trim();
}

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} took more than ${ms / 1000} s`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

function newContext(browser, viewport) {
  return browser.newContext({
    viewport: { width: viewport.width, height: viewport.height },
    isMobile: viewport === MOBILE,
    hasTouch: viewport === MOBILE,
    deviceScaleFactor: 1,
    bypassCSP: true,
    serviceWorkers: 'block',
    acceptDownloads: false,
    locale: 'en-GB',
  });
}

// What axe does not check, measured in the page: problems as sentences, and the smallest chart
// text seen (for the summary). Runs in the browser.
function measure(minPx) {
  const problems = [];
  const doc = document.documentElement;
  if (doc.scrollWidth > window.innerWidth + 1) {
    problems.push(`the page is ${doc.scrollWidth} px wide on a ${window.innerWidth} px screen (WCAG 1.4.10 reflow)`);
  }
  for (const wrap of document.querySelectorAll('.table-wrap')) {
    if (wrap.scrollWidth > wrap.clientWidth + 1) {
      const caption = wrap.querySelector('caption')?.textContent ?? 'a table';
      problems.push(`"${caption.slice(0, 40)}" scrolls sideways, hiding columns (${wrap.scrollWidth} px in ${wrap.clientWidth} px)`);
    }
  }
  let smallest = null;
  for (const svg of document.querySelectorAll('figure.chart svg')) {
    const box = svg.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue; // the other layout, not shown at this width
    for (const text of svg.querySelectorAll('text')) {
      const rect = text.getBoundingClientRect();
      if (rect.width === 0) continue;
      const px = parseFloat(getComputedStyle(text).fontSize) * text.getScreenCTM().a;
      smallest = smallest === null ? px : Math.min(smallest, px);
      if (px < minPx) problems.push(`chart text "${text.textContent.slice(0, 40)}" is ${px.toFixed(1)} px (at least ${minPx})`);
      if (rect.left < box.left - 1 || rect.right > box.right + 1) {
        problems.push(`chart text "${text.textContent.slice(0, 40)}" runs outside its chart`);
      }
    }
  }
  return { problems: problems.slice(0, 10), smallest };
}

// "/" -> "home", "/organisations/x/" -> "organisations_x", "/404.html" -> "404.html"
function shotName(urlPath) {
  const name = decodeURIComponent(urlPath).replace(/^\/|\/$/g, '').replace(/[^A-Za-z0-9._-]+/g, '_');
  return name || 'home';
}

// Checks one page in a fresh tab of the given context (one context per worker and viewport):
// axe, then the measurements, and a screenshot; at 390 px, the page again at 320 px.
async function checkPage(context, axeSource, base, check, shots) {
  const notes = new Set();
  const problems = [];
  const smallest = {};
  const page = await context.newPage();
  try {
    // Only the local server: anything else (fonts, analytics, CDNs) is aborted and fails.
    const origin = new URL(base).origin;
    await page.route('**/*', (route) => {
      const u = route.request().url();
      if (u.startsWith(origin + '/') || u.startsWith('data:') || u.startsWith('blob:')) return route.continue();
      problems.push(`asks for ${u} from another website`);
      return route.abort('blockedbyclient');
    });
    page.on('response', (r) => {
      const u = r.url();
      if (r.status() >= 400 && u !== page.url() && u.startsWith(origin)) {
        notes.add(`asset ${r.status()} ${u.slice(origin.length)}`);
      }
    });
    page.setDefaultTimeout(PAGE_LOAD_TIMEOUT_MS);
    const url = new URL(check.urlPath.replace(/^\//, ''), base).href;
    let response;
    try {
      response = await page.goto(url, { waitUntil: 'load', timeout: PAGE_LOAD_TIMEOUT_MS });
    } catch (err) {
      return { load: `did not load: ${oneLine(err.message.split('\n')[0])}`, violations: [], notes: [...notes], problems };
    }
    const status = response?.status() ?? 0;
    const expected = check.expectStatus ?? 200;
    if (status !== expected) {
      return { load: `HTTP ${status} (expected ${expected})`, violations: [], notes: [...notes], problems };
    }
    if (check.overlay) {
      const shown = await page.evaluate(() => {
        const el = document.getElementById('oversight-errors');
        if (!el) return 'no #oversight-errors in the page';
        const r = el.getBoundingClientRect();
        const top = document.elementFromPoint(r.left + r.width / 2, r.top + 20);
        return el.contains(top) ? null : 'the overlay is not on top of the page';
      });
      if (shown) problems.push(shown);
    }
    await page.evaluate(axeSource);
    const results = await withTimeout(
      page.evaluate(
        (tags) =>
          // eslint-disable-next-line no-undef
          axe.run(document, {
            runOnly: { type: 'tag', values: tags },
            resultTypes: ['violations', 'incomplete'],
          }),
        TAGS,
      ),
      AXE_TIMEOUT_MS,
      'axe.run',
    );
    const widths = check.viewport === MOBILE ? [MOBILE.width, NARROWEST] : [check.viewport.width];
    for (const width of widths) {
      if (width !== check.viewport.width) await page.setViewportSize({ width, height: check.viewport.height });
      const m = await page.evaluate(measure, CHART_TEXT_MIN_PX);
      problems.push(...m.problems.map((p) => (width === check.viewport.width ? p : `at ${width} px: ${p}`)));
      if (m.smallest !== null) smallest[width] = m.smallest;
      if (shots) {
        const file = path.join(shots, `${check.overlay ? 'overlay-' : ''}${shotName(check.urlPath)}-${width}.png`);
        // The overlay is fixed over the screen: a shot of the screen shows what the author sees.
        await page.screenshot({ path: file, fullPage: !check.overlay, animations: 'disabled' });
      }
    }
    return {
      load: null,
      violations: results.violations,
      incomplete: results.incomplete,
      notes: [...notes],
      problems,
      smallest,
    };
  } finally {
    await page.close().catch(() => {});
  }
}

function report(check, result, verbose) {
  const where = check.overlay ? `${check.urlPath} (serve, error overlay shown)` : check.urlPath;
  const label = check.viewport === MOBILE ? `${where} [390px, 320px]` : where;
  const lines = [];
  for (const n of result.notes) lines.push(`note ${label}: ${n}`);
  const problems = result.problems ?? [];
  if (result.load) {
    lines.push(`FAIL ${label}: ${result.load}`);
  } else if (result.violations.length === 0 && problems.length === 0) {
    lines.push(`ok  ${label}`);
  } else {
    for (const p of problems) lines.push(`FAIL ${label}: ${p}`);
    for (const v of result.violations) {
      const targets = v.nodes.map((n) => formatTarget(n.target));
      const shown = targets.slice(0, 5).join(', ') + (targets.length > 5 ? `, … (+${targets.length - 5} more)` : '');
      lines.push(`FAIL ${label}: ${v.id} (${v.impact ?? 'n/a'}) — ${oneLine(v.help)} — ${shown}`);
      if (verbose) {
        for (const n of v.nodes.slice(0, 10)) {
          lines.push(`    ${formatTarget(n.target)}: ${oneLine(n.html).slice(0, 200)}`);
          if (n.failureSummary) lines.push(`      ${oneLine(n.failureSummary)}`);
        }
        lines.push(`    see ${v.helpUrl}`);
      }
    }
  }
  if (verbose && result.incomplete) {
    for (const v of result.incomplete) {
      const targets = v.nodes.map((n) => formatTarget(n.target)).slice(0, 5).join(', ');
      lines.push(`review ${label}: ${v.id} (${v.impact ?? 'n/a'}) — ${oneLine(v.help)} — ${targets}`);
    }
  }
  console.log(lines.join('\n'));
  return !result.load && result.violations.length === 0 && problems.length === 0;
}

// `oversight serve` on a copy of the example register, with a record then broken, so that every
// page carries the error overlay. Resolves to its base URL and a function that stops it.
async function serveWithOverlay(binary, site) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'a11y-overlay-'));
  for (const folder of ['content', 'static']) {
    if (await statOrNull(path.join(site, folder))) {
      await fs.cp(path.join(site, folder), path.join(dir, folder), { recursive: true });
    }
  }
  const child = spawn(binary, ['serve', '--site', dir, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const stop = async () => {
    child.kill('SIGTERM');
    await rm(dir, { recursive: true, force: true }).catch(() => {});
  };
  try {
    const base = await withTimeout(
      new Promise((resolve, reject) => {
        child.once('error', reject);
        child.once('exit', (code) => reject(new Error(`serve exited (${code}): ${oneLine(log).slice(-300)}`)));
        const read = (chunk) => {
          log += chunk;
          const m = log.match(/Serving .* at (http:\/\/\S+?\/)\s/);
          if (m) resolve(m[1]);
        };
        child.stdout.on('data', read);
        child.stderr.on('data', (chunk) => (log += chunk));
      }),
      60_000,
      'oversight serve starting',
    );
    // A record with a misspelt type: an error with a file, a code frame and a suggestion.
    const broken = path.join(dir, 'content/organisations/a11y-broken.yaml');
    await fs.writeFile(broken, 'name: Broken Example NHS Trust (fictional)\ntype: nhs-trsut\nregion: london\n');
    const started = Date.now();
    for (;;) {
      const body = await fetch(base).then((r) => r.text(), () => '');
      if (body.includes('id="oversight-errors"')) break;
      if (Date.now() - started > 30_000) throw new Error('the overlay did not appear within 30 s');
      await new Promise((r) => setTimeout(r, 200));
    }
    // Another set of errors: the type put right, the region misspelt.
    const breakAgain = () =>
      fs.writeFile(broken, 'name: Broken Example NHS Trust (fictional)\ntype: nhs-trust\nregion: londn\n');
    return { base, stop, breakAgain };
  } catch (err) {
    await stop();
    throw err;
  }
}

// The overlay's own behaviour, in one tab at `viewport`: it has the focus when it opens; Escape
// closes it, and so does its Close button, each leaving the focus on the "Show the errors"
// button (and the page axe-clean while closed); a reload with the same errors leaves it closed;
// that button opens it again. With `changeErrors`, the served copy then gets other errors, and
// the overlay must open again by itself with the focus in it. Resolves to a list of problems.
async function checkDismissal(browser, axeSource, overlay, viewport, changeErrors, shots) {
  const problems = [];
  const context = await newContext(browser, viewport);
  const page = await context.newPage();
  page.setDefaultTimeout(PAGE_LOAD_TIMEOUT_MS);
  const state = () =>
    page.evaluate(() => {
      const seen = (el) => !!el && !el.hidden && el.getBoundingClientRect().height > 0;
      const panel = document.getElementById('oversight-errors');
      const active = document.activeElement;
      return {
        open: seen(panel),
        button: seen(document.getElementById('oversight-errors-show')),
        focus: active?.id || active?.tagName || 'nothing',
        fingerprint: panel?.getAttribute('data-fingerprint') ?? null,
      };
    });
  const expect = async (want, when) => {
    const s = await state();
    if (s.open !== want.open) problems.push(`${when}: the overlay is ${s.open ? 'open' : 'closed'}`);
    if (want.focus && s.focus !== want.focus) problems.push(`${when}: the focus is on ${s.focus}, not #${want.focus}`);
    if (!want.open && !s.button) problems.push(`${when}: no "Show the errors" button in its place`);
    return s;
  };
  const shot = async (name) => {
    if (shots) await page.screenshot({ path: path.join(shots, `overlay-${name}-${viewport.width}.png`), animations: 'disabled' });
  };
  try {
    await page.goto(overlay.base, { waitUntil: 'load' });
    const first = await expect({ open: true, focus: 'oversight-errors' }, 'on load');
    await page.keyboard.press('Escape');
    await expect({ open: false, focus: 'oversight-errors-show' }, 'after Escape');
    await shot('closed');
    await page.evaluate(axeSource);
    const closed = await withTimeout(
      // eslint-disable-next-line no-undef
      page.evaluate((tags) => axe.run(document, { runOnly: { type: 'tag', values: tags } }), TAGS),
      AXE_TIMEOUT_MS,
      'axe.run',
    );
    for (const v of closed.violations) {
      problems.push(`closed: ${v.id} — ${oneLine(v.help)} — ${v.nodes.map((n) => formatTarget(n.target)).join(', ')}`);
    }
    await page.reload({ waitUntil: 'load' });
    await expect({ open: false }, 'after a reload with the same errors');
    await page.click('#oversight-errors-show');
    await expect({ open: true, focus: 'oversight-errors' }, 'after "Show the errors"');
    await page.keyboard.press('Tab');
    await expect({ open: true, focus: 'oversight-errors-close' }, 'after Tab');
    await page.keyboard.press('Enter');
    await expect({ open: false, focus: 'oversight-errors-show' }, 'after Close (Enter)');
    await page.click('#oversight-errors-show');
    await page.click('#oversight-errors-close');
    await expect({ open: false, focus: 'oversight-errors-show' }, 'after Close (a click)');
    if (changeErrors) {
      await overlay.breakAgain();
      // The page reloads itself on each rebuild; wait for one that shows other errors.
      const started = Date.now();
      let s = await state().catch(() => ({}));
      while (s.fingerprint === first.fingerprint || !s.fingerprint) {
        if (Date.now() - started > 30_000) {
          problems.push('the page did not reload with the new errors within 30 s');
          break;
        }
        await new Promise((r) => setTimeout(r, 250));
        s = await state().catch(() => ({}));
      }
      if (s.fingerprint && s.fingerprint !== first.fingerprint) {
        await expect({ open: true, focus: 'oversight-errors' }, 'when the errors change');
        await shot('reopened');
      }
    }
  } catch (err) {
    problems.push(`error: ${oneLine(err.message.split('\n')[0])}`);
  } finally {
    await context.close().catch(() => {});
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const started = Date.now();
  const opts = parseArgs(process.argv.slice(2));
  const rootStat = await statOrNull(opts.dir);
  if (!rootStat?.isDirectory()) usage(`${opts.dir} is not a folder`);
  const root = await fs.realpath(path.resolve(opts.dir));

  const server = await startServer(root, opts.port);
  const base = `http://127.0.0.1:${server.address().port}/`;

  if (opts.serve) {
    console.log(`serving ${root} at ${base} (Ctrl-C to stop)`);
    return;
  }

  let passed = 0;
  let failed = 0;
  let browser = null;
  let profile = null;
  let finished = false;
  const checks = [];
  let printed = 0;
  let overlay = null;

  const shutdown = async () => {
    if (overlay) await overlay.stop().catch(() => {});
    if (browser) await browser.close().catch(() => {});
    if (profile) await rm(profile, { recursive: true, force: true }).catch(() => {});
    server.closeAllConnections?.();
    server.close();
  };

  const watchdog = setTimeout(async () => {
    if (finished) return;
    finished = true; // nothing else is printed or counted from here on
    const pending = checks.length - printed;
    console.log(`FAIL (whole run): stopped after ${TOTAL_TIMEOUT_MS / 1000} s, ${pending} checks not done`);
    console.log(`${passed} passed, ${failed + Math.max(pending, 1)} failed`);
    // Give the browser a moment to close, then leave regardless.
    setTimeout(() => process.exit(1), 5_000).unref();
    await shutdown();
    process.exit(1);
  }, TOTAL_TIMEOUT_MS);

  try {
    const files = await findHtml(root);
    if (files.length === 0) {
      console.log(`FAIL ${root}: no *.html files`);
      console.log('0 passed, 1 failed');
      return 1;
    }
    let paths = files.map((f) => urlPathFor(root, f));
    if (opts.pages.length > 0) {
      const unknown = opts.pages.filter((p) => !paths.includes(p));
      if (unknown.length) usage(`no such page: ${unknown.join(', ')} (pages are like ${paths[0]})`);
      paths = paths.filter((p) => opts.pages.includes(p));
    }
    for (const urlPath of paths) {
      checks.push({ urlPath, viewport: DESKTOP });
      if (opts.mobile === 'all' || (opts.mobile === 'home' && urlPath === '/')) {
        checks.push({ urlPath, viewport: MOBILE });
      }
    }
    if (opts.mobile !== 'none' && !paths.includes('/') && opts.pages.length === 0) {
      console.log('note: no home page (index.html at the top of the folder)');
    }
    if (opts.overlay) {
      overlay = await serveWithOverlay(opts.overlay, opts.overlaySite);
      for (const urlPath of ['/', '/organisations/']) {
        for (const viewport of [DESKTOP, MOBILE]) checks.push({ urlPath, viewport, base: overlay.base, overlay: true });
      }
    }
    if (opts.screenshots) {
      await rm(opts.screenshots, { recursive: true, force: true });
      await fs.mkdir(opts.screenshots, { recursive: true });
    }

    const axeSource = require('axe-core').source;
    const axeVersion = require('axe-core/package.json').version;
    const { chromium } = require('playwright-core');
    const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
    if (!(await statOrNull(executablePath))) {
      console.error(`a11y: no browser at ${executablePath} (apt-get install chromium, or set CHROMIUM_PATH)`);
      return 2;
    }
    profile = await mkdtemp(path.join(os.tmpdir(), 'a11y-chromium-'));
    // launchPersistentContext would take the profile folder; launch() makes its own fresh one,
    // so the folder here is only the browser's temp and crash-dump dir.
    browser = await chromium.launch({
      executablePath,
      headless: true,
      args: CHROMIUM_ARGS,
      env: { ...process.env, TMPDIR: profile, HOME: profile },
      timeout: 60_000,
    });
    console.log(
      `a11y: ${paths.length} pages, ${checks.length} checks (axe-core ${axeVersion}, ` +
        `Chromium ${browser.version()}, tags ${TAGS.join(' ')}) at ${base}`,
    );

    // A small pool: results are printed in page order once each is done.
    const results = new Array(checks.length);
    let next = 0;
    const flush = () => {
      while (!finished && printed < checks.length && results[printed] !== undefined) {
        if (report(checks[printed], results[printed], opts.verbose)) passed += 1;
        else failed += 1;
        printed += 1;
      }
    };
    const worker = async () => {
      const contexts = new Map();
      try {
        while (!finished && next < checks.length) {
          const i = next++;
          const { viewport } = checks[i];
          try {
            if (!contexts.has(viewport)) contexts.set(viewport, await newContext(browser, viewport));
            results[i] = await checkPage(
              contexts.get(viewport),
              axeSource,
              checks[i].base ?? base,
              checks[i],
              opts.screenshots,
            );
          } catch (err) {
            results[i] = { load: `error: ${oneLine(err.message.split('\n')[0])}`, violations: [], notes: [] };
            // A broken context (e.g. a crashed renderer) is not reused.
            await contexts.get(viewport)?.close().catch(() => {});
            contexts.delete(viewport);
          }
          flush();
        }
      } finally {
        for (const c of contexts.values()) await c.close().catch(() => {});
      }
    };
    await Promise.all(Array.from({ length: Math.min(opts.jobs, checks.length) }, worker));

    if (finished) return 1; // the watchdog has reported and is exiting
    // After the pool: the last of these changes the errors the other overlay checks show.
    if (overlay) {
      for (const [viewport, changeErrors] of [
        [DESKTOP, false],
        [MOBILE, true],
      ]) {
        const problems = await checkDismissal(browser, axeSource, overlay, viewport, changeErrors, opts.screenshots);
        const label = `/ (serve, closing the error overlay${changeErrors ? ', then other errors' : ''}) [${viewport.width}px]`;
        if (problems.length === 0) {
          console.log(`ok  ${label}`);
          passed += 1;
        } else {
          for (const p of problems) console.log(`FAIL ${label}: ${p}`);
          failed += 1;
        }
      }
    }
    // A missing path must answer 404 with 404.html (the server does this; the site must ship it).
    if (opts.pages.length === 0 && paths.includes('/404.html')) {
      const res = await fetch(new URL('this-page-does-not-exist-a11y/', base));
      const body = await res.text();
      const want = await fs.readFile(path.join(root, '404.html'), 'utf8');
      if (res.status === 404 && body === want) {
        console.log('ok  /this-page-does-not-exist-a11y/ (404 page served)');
        passed += 1;
      } else {
        console.log(`FAIL /this-page-does-not-exist-a11y/: HTTP ${res.status}, expected 404 with 404.html`);
        failed += 1;
      }
    }

    // The smallest chart text seen at each width, over every page with a chart.
    const smallest = {};
    for (const r of results) {
      for (const [width, px] of Object.entries(r?.smallest ?? {})) smallest[width] = Math.min(smallest[width] ?? px, px);
    }
    const sizes = Object.entries(smallest).sort((a, b) => b[0] - a[0]);
    if (sizes.length) {
      console.log(`a11y: smallest chart text ${sizes.map(([w, px]) => `${px.toFixed(1)} px at ${w} px`).join(', ')}`);
    }
    if (opts.screenshots) console.log(`a11y: screenshots in ${opts.screenshots}`);
    finished = true;
    console.log(`a11y: ${((Date.now() - started) / 1000).toFixed(1)} s`);
    console.log(`${passed} passed, ${failed} failed`);
    return failed === 0 ? 0 : 1;
  } finally {
    finished = true;
    clearTimeout(watchdog);
    await shutdown();
  }
}

main().then(
  (code) => {
    if (code !== undefined) process.exitCode = code;
  },
  (err) => {
    console.error(`a11y: ${err.stack || err.message}`);
    process.exit(2);
  },
);
