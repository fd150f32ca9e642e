"""The browser tests' harness: a real `scrm serve` on a free port with the demo data, once on
the memory store and once on MariaDB + Redis (a database `scrm_t_browser_*` and a Redis
prefix of its own, removed afterwards), and Debian's Chromium driven by Playwright through
`executable_path` (Playwright's own browser download is never used).

Every test gets a fresh browser context (its own sessionStorage) at 1280x800 in the +08:00
zone, and fails at teardown on any console error, uncaught page error, 5xx answer or request
to another origin seen during it. The one console error tolerated is Chromium's own line for
a 4xx answer ("Failed to load resource: ... status of 4.."), which the flows provoke on
purpose (a wrong password, a bad phone); 5xx are never tolerated unless a test says so.

Environment: SCRM_BIN (default target/debug/scrm), CHROMIUM (default /usr/bin/chromium),
SCRM_BROWSER_STORES (default "memory,mysql"), SCRM_SCREENSHOTS (where screenshots go,
default target/browser/screenshots; `make console-screenshots` writes docs/console/).
"""

import json
import os
import random
import re
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[2]
SCRM = os.environ.get("SCRM_BIN", str(ROOT / "target" / "debug" / "scrm"))
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(os.environ.get("SCRM_SCREENSHOTS", str(ROOT / "target" / "browser" / "screenshots")))
STORES = [s for s in os.environ.get("SCRM_BROWSER_STORES", "memory,mysql").split(",") if s]
PASSWORD = "demo-pass-123"
MYSQL = "mysql://root@127.0.0.1:3306"
REDIS_URL = os.environ.get("SCRM_REDIS_URL", "redis://127.0.0.1:6379")
TOLERATED = re.compile(r"^Failed to load resource: the server responded with a status of 4\d\d")
TOLERATED_5XX = re.compile(r"^Failed to load resource: the server responded with a status of 5\d\d")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Api:
    """The API over HTTP, as a test checks what the console shows against it."""

    def __init__(self, base):
        self.base = base

    def call(self, method, path, token=None, params=None, body=None):
        url = f"{self.base}/wechat_api/{path}"
        if params:
            url += "?" + urllib.parse.urlencode({k: v for k, v in params.items() if v not in (None, "")})
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(url, data=data, method=method)
        if body is not None:
            req.add_header("Content-Type", "application/json")
        if token:
            req.add_header("Authorization", f"Bearer {token}")
        try:
            with urllib.request.urlopen(req, timeout=30) as res:
                return res.status, json.loads(res.read())
        except urllib.error.HTTPError as err:
            return err.code, json.loads(err.read() or b"null")

    def login(self, name):
        status, body = self.call("POST", "login", body={"loginName": name, "password": PASSWORD})
        assert status == 200, body
        return body["data"]["token"]

    def get(self, path, token, **params):
        status, body = self.call("GET", path, token, params=params)
        assert status == 200, (path, params, body)
        return body

    def post(self, path, token, body):
        status, answer = self.call("POST", path, token, body=body)
        assert status == 200, (path, body, answer)
        return answer


def wait_until_up(base, proc, log):
    for _ in range(600):
        if proc.poll() is not None:
            raise RuntimeError(f"scrm serve exited:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"scrm serve did not answer /healthz within 60 s:\n{log.read_text()}")


def redis_cli(*args):
    return subprocess.run(["redis-cli", "-u", REDIS_URL, *args], check=True, capture_output=True, text=True).stdout


@pytest.fixture(scope="session", params=STORES)
def server(request, tmp_path_factory):
    """A `scrm serve` with the demo data on the given store; yields (base URL, store)."""
    store = request.param
    port = free_port()
    tag = f"browser_{os.getpid()}_{random.randrange(1 << 30):x}"
    env = dict(os.environ, SCRM_BIND=f"127.0.0.1:{port}", RUST_LOG="warn", SCRM_STORE=store)
    db = f"scrm_t_{tag}"
    if store == "mysql":
        env.update(SCRM_DATABASE_URL=f"{MYSQL}/{db}", SCRM_REDIS_PREFIX=f"scrm_t_{tag}", SCRM_REDIS_URL=REDIS_URL)
        subprocess.run([SCRM, "seed"], env=env, check=True, capture_output=True)
    log = tmp_path_factory.mktemp("scrm") / "serve.log"
    with open(log, "w") as out:
        proc = subprocess.Popen([SCRM, "serve"], env=env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base, proc, log)
        yield base, store
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
        if store == "mysql":
            subprocess.run(["mariadb", "-h127.0.0.1", "-uroot", "-e", f"DROP DATABASE IF EXISTS `{db}`"], check=False)
            keys = redis_cli("--scan", "--pattern", f"scrm_t_{tag}:*").split()
            for i in range(0, len(keys), 500):
                redis_cli("DEL", *keys[i : i + 500])


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


class Guard:
    """What a page must not do during a test."""

    def __init__(self, base):
        self.base = base
        self.problems = []
        self.allow_5xx = False

    def console(self, msg):
        if self.allow_5xx and TOLERATED_5XX.match(msg.text):
            return
        if msg.type == "error" and not TOLERATED.match(msg.text):
            self.problems.append(f"console error: {msg.text}")

    def page_error(self, err):
        self.problems.append(f"uncaught page error: {err}")

    def response(self, res):
        if res.status >= 500 and not self.allow_5xx:
            self.problems.append(f"{res.status} from {res.request.method} {res.url}")

    def request(self, req):
        if not (req.url.startswith(self.base + "/") or req.url.startswith(("blob:", "data:"))):
            self.problems.append(f"request to another origin: {req.url}")

    def dialog(self, dialog):
        self.problems.append(f"unexpected dialog: {dialog.type} {dialog.message}")
        dialog.dismiss()


class Console:
    """A test's page on the console, its guard, the API and the server's store."""

    def __init__(self, page, base, store, guard):
        self.page = page
        self.base = base
        self.store = store
        self.guard = guard
        self.api = Api(base)

    def goto(self, path="/"):
        self.page.goto(self.base + path)

    def login(self, name="demo_admin", password=PASSWORD, path="/"):
        self.goto(path)
        self.page.get_by_label("登錄名").fill(name)
        self.page.get_by_label("密碼").fill(password)
        self.page.get_by_role("button", name="登錄").click()
        self.page.get_by_role("button", name="登出").wait_for()

    def shot(self, name, full_page=False):
        """A screenshot of the page as it is (the whole page with `full_page`), for
        docs/console.md (memory store only)."""
        if self.store != "memory":
            return
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.wait_for_timeout(150)
        self.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full_page)


@pytest.fixture
def console(server, browser):
    base, store = server
    context = browser.new_context(
        viewport={"width": 1280, "height": 800},
        locale="zh-TW",
        timezone_id="Asia/Shanghai",
        accept_downloads=True,
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    guard = Guard(base)
    page.on("console", guard.console)
    page.on("pageerror", guard.page_error)
    page.on("response", guard.response)
    page.on("request", guard.request)
    page.on("dialog", guard.dialog)
    try:
        yield Console(page, base, store, guard)
    finally:
        context.close()
    assert not guard.problems, "\n".join(guard.problems)
