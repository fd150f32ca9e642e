"""What must hold on every screen: API values are text, never markup; a 503 keeps what was
typed; the page works at 390 px without scrolling sideways; the console's own CSP."""

import json

from helpers import first_page, open_editor, row
from playwright.sync_api import expect

MARKUP = "<img src=x onerror=alert(1)>"


def test_markup_from_the_api_is_shown_as_text(console):
    p = console.page
    api = console.api
    token = api.login("demo_admin")
    target = first_page(api, token)["data"][8]
    api.post("customer/updateCustomer", token, {"customerId": target["customerId"], "customerName": MARKUP,
                                                 "remarks": "<script>window.__xss = 1</script>"})
    try:
        console.login(path="/?customerName=%3Cimg")
        cell = row(p, target["customerId"]).locator("td.name")
        expect(cell).to_have_text(MARKUP)
        assert p.locator("table.customers img").count() == 0
        row(p, target["customerId"]).get_by_role("button", name="編輯").click()
        panel = p.get_by_role("dialog", name="編輯客戶")
        expect(panel.get_by_label("客戶名")).to_have_value(MARKUP)
        expect(panel.get_by_label("客戶備註")).to_have_value("<script>window.__xss = 1</script>")
        assert p.evaluate("window.__xss") is None
        assert p.locator("img").count() == 0
    finally:
        api.post("customer/updateCustomer", token, {"customerId": target["customerId"],
                                                     "customerName": target["customerName"] or "",
                                                     "remarks": target["remarks"] or ""})


def test_a_503_says_so_and_keeps_what_was_typed(console):
    p = console.page
    console.login()
    console.guard.allow_5xx = True
    body = json.dumps({"code": 503, "msg": "服務暫時不可用,請稍後重試", "data": None})
    p.route("**/wechat_api/customer/customerPage*",
            lambda route: route.fulfill(status=503, content_type="application/json", body=body))
    search = p.get_by_role("searchbox", name="搜索客戶")
    search.fill("王")
    search.press("Enter")
    expect(p.get_by_role("alert")).to_have_text("服務暫時不可用，請稍後再試")
    expect(search).to_have_value("王")
    p.unroute("**/wechat_api/customer/customerPage*")
    p.get_by_role("button", name="搜索").click()
    p.reload()
    expect(p.get_by_role("alert")).to_have_count(0)
    expect(search).to_have_value("王")
    expect(p.locator("table.customers tbody tr[data-id]").first).to_be_visible()


def no_sideways_scroll(p):
    width = p.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{p.url}: the page is {width} px wide"


def test_every_screen_fits_a_390_px_phone(console):
    p = console.page
    p.set_viewport_size({"width": 390, "height": 844})
    console.goto("/")
    expect(p.get_by_label("登錄名")).to_be_visible()
    no_sideways_scroll(p)
    console.shot("phone-login")
    console.login()
    wrap = p.locator(".table-wrap").first
    expect(p.locator("table.customers tbody tr[data-id]").first).to_be_visible()
    no_sideways_scroll(p)
    assert wrap.evaluate("w => w.scrollWidth > w.clientWidth"), "the wide table scrolls in its box"
    console.shot("phone-workbench")
    p.get_by_role("button", name="篩選").click()
    no_sideways_scroll(p)
    p.locator("table.customers tbody tr[data-id]").first.get_by_role("button", name="編輯").click()
    expect(p.get_by_role("dialog", name="編輯客戶")).to_be_visible()
    no_sideways_scroll(p)
    console.shot("phone-edit")
    p.keyboard.press("Escape")
    token = console.api.login("demo_admin")
    known = next(c for c in first_page(console.api, token, limit=50)["data"] if c["customerPhone"])
    screens = [
        ("/recycle", "回收站", "phone-recycle"),
        (f"/call?phone={known['customerPhone']}", "來電", "phone-call"),
        ("/lists", "撥號清單", "phone-lists"),
        ("/chat", "聊天記錄", "phone-chat"),
    ]
    for path, ready, shot in screens:
        console.goto(path)
        expect(p.get_by_role("heading", name=ready, exact=True)).to_be_visible()
        p.wait_for_load_state("networkidle")
        if path.startswith("/call"):
            expect(p.get_by_label("來電彈窗")).to_contain_text(known["customerPhone"])
        no_sideways_scroll(p)
        console.shot(shot)


def test_the_console_has_its_own_csp_and_the_api_keeps_its_own(console):
    res = console.page.goto(console.base + "/customers")
    csp = res.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "connect-src 'self'" in csp and "unsafe" not in csp
    api = console.page.request.get(console.base + "/wechat_api/nope")
    assert api.status == 404
    assert api.json()["code"] == 404
    assert api.headers["content-security-policy"].startswith("default-src 'none'")


def test_a_503_on_a_save_keeps_the_panel_and_what_was_typed(console):
    p = console.page
    token, target, panel = open_editor(console, 5)
    console.guard.allow_5xx = True
    body = json.dumps({"code": 503, "msg": "服務暫時不可用,請稍後重試", "data": None})
    p.route("**/wechat_api/customer/updateCustomer",
            lambda route: route.fulfill(status=503, content_type="application/json", body=body))
    panel.get_by_label("客戶備註").fill("下午三點回電")
    panel.get_by_role("button", name="保存", exact=True).click()
    expect(panel.get_by_role("alert")).to_have_text("服務暫時不可用，請稍後再試")
    expect(panel.get_by_label("客戶備註")).to_have_value("下午三點回電")
    # The service is back: the same save, unchanged, goes through.
    p.unroute("**/wechat_api/customer/updateCustomer")
    panel.get_by_role("button", name="保存", exact=True).click()
    expect(panel).to_be_hidden()
    assert first_page(console.api, token)["data"][5]["remarks"] == "下午三點回電"
    console.api.post("customer/updateCustomer", token, {"customerId": target["customerId"],
                                                        "remarks": target["remarks"] or ""})


def test_another_tenants_or_a_siblings_account_in_the_url_shows_nothing_of_it(console):
    p = console.page
    api = console.api
    acme = api.get("account/me", api.login("acme_admin"))["data"]
    sibling = api.get("account/me", api.login("demo_sales2"))["data"]
    console.login(path=f"/lists?adminUserId={acme['adminUserId']}")
    entries = p.get_by_role("table", name="清單條目")
    expect(p.get_by_role("alert")).to_contain_text("無法查看此賬號的清單")
    expect(entries.locator("tr[data-id]")).to_have_count(0)
    expect(p.get_by_role("main")).not_to_contain_text(acme["realName"])
    console.goto(f"/chat?wechatUserId={acme['wechatUsers'][0]['wechatUserId']}")
    expect(p.get_by_role("alert")).to_contain_text("無法查看此微信號的記錄")
    expect(p.get_by_role("group", name="聯系人").locator("li")).to_have_count(0)

    p.get_by_role("button", name="登出").click()
    console.login("demo_sales1", path=f"/lists?adminUserId={sibling['adminUserId']}")
    expect(p.get_by_role("alert")).to_contain_text("無法查看此賬號的清單")
    expect(entries.locator("tr[data-id]")).to_have_count(0)
