"""Logging in and out: a wrong password and the 429 of too many tries next to the form, who
is logged in always visible, the token only in sessionStorage, a 401 anywhere back to the
login with a message."""

import random
import re

from conftest import PASSWORD
from playwright.sync_api import expect


def test_a_wrong_password_then_the_main_account(console):
    p = console.page
    console.goto("/")
    expect(p.get_by_role("heading", name="scrm 客戶工作台")).to_be_visible()
    console.shot("login")
    p.get_by_label("登錄名").fill("demo_admin")
    p.get_by_label("密碼").fill("not-the-password")
    p.get_by_role("button", name="登錄").click()
    expect(p.get_by_role("alert")).to_have_text("賬號或密碼錯誤")
    p.get_by_label("密碼").fill(PASSWORD)
    p.get_by_role("button", name="登錄").click()
    who = p.get_by_label("當前登錄")
    expect(who).to_contain_text("demo_admin")
    expect(who).to_contain_text("主賬號")
    expect(who).to_contain_text("租戶")
    token = p.evaluate("sessionStorage.getItem('scrm.token')")
    assert token and re.fullmatch(r"[0-9a-f]{64}", token), token
    assert token not in p.url
    assert p.evaluate("document.cookie") == ""
    assert p.evaluate("localStorage.length") == 0


def test_too_many_tries_show_the_wait(console):
    p = console.page
    console.goto("/")
    name = f"nobody_{random.randrange(1 << 30)}"
    p.get_by_label("登錄名").fill(name)
    p.get_by_label("密碼").fill("wrong-wrong")
    login = p.get_by_role("button", name="登錄")
    for _ in range(12):
        with p.expect_response("**/wechat_api/login") as answer:
            login.click()
        if answer.value.status == 429:
            break
    assert answer.value.status == 429
    alert = p.get_by_role("alert")
    expect(alert).to_contain_text("登錄嘗試過多")
    expect(alert).to_contain_text(re.compile(r"請 \d+ 秒後再試"))
    expect(login).to_be_disabled()


def test_logout_ends_the_session(console):
    p = console.page
    console.login("demo_sales1")
    token = p.evaluate("sessionStorage.getItem('scrm.token')")
    p.get_by_role("button", name="登出").click()
    expect(p.get_by_role("status")).to_have_text("已登出")
    expect(p.get_by_label("登錄名")).to_be_visible()
    assert p.evaluate("sessionStorage.getItem('scrm.token')") is None
    status, _ = console.api.call("GET", "account/me", token)
    assert status == 401


def test_a_401_anywhere_returns_to_the_login_with_a_message(console):
    p = console.page
    console.login("demo_sales2")
    token = p.evaluate("sessionStorage.getItem('scrm.token')")
    # The session ends elsewhere (another tab logs out every session of the account).
    console.api.post("logout", token, {})
    p.get_by_role("link", name="回收站").click()
    expect(p.get_by_role("status")).to_have_text("登錄已過期，請重新登錄")
    expect(p.get_by_label("登錄名")).to_be_visible()
    console.login("demo_sales2", path="/recycle")
    expect(p.get_by_role("heading", name="回收站")).to_be_visible()


def test_a_401_on_a_save_returns_to_the_login_and_then_to_the_same_view(console):
    p = console.page
    console.login("demo_sales1", path="/?customerPhone=1")
    token = p.evaluate("sessionStorage.getItem('scrm.token')")
    first = p.locator("table.customers tbody tr[data-id]").first
    first.get_by_role("button", name="編輯").click()
    console.api.post("logout", token, {})
    panel = p.get_by_role("dialog", name="編輯客戶")
    panel.get_by_label("客戶備註").fill("不會保存")
    panel.get_by_role("button", name="保存", exact=True).click()
    expect(p.get_by_role("status")).to_have_text("登錄已過期，請重新登錄")
    assert p.evaluate("sessionStorage.getItem('scrm.token')") is None
    # Logging in again (without reloading) reopens the view the link named.
    p.get_by_label("登錄名").fill("demo_sales1")
    p.get_by_label("密碼").fill(PASSWORD)
    p.get_by_role("button", name="登錄").click()
    expect(p.get_by_label("當前登錄")).to_contain_text("demo_sales1")
    assert p.url.endswith("/?customerPhone=1"), p.url
    expect(p.get_by_role("search").get_by_role("button", name="篩選")).to_have_attribute("aria-expanded", "true")
