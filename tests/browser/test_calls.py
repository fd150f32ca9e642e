"""The call screen, the call lists and the chat, as a person uses them."""

import re

from helpers import first_page, row
from playwright.sync_api import expect


def dashed(phone):
    digits = re.sub(r"\D", "", phone)[-11:]
    return f"+86 {digits[:3]}-{digits[3:7]}-{digits[7:]}"


def test_the_call_screen_for_a_known_and_an_unknown_number(console):
    p = console.page
    api = console.api
    token = api.login("demo_admin")
    known = next(c for c in first_page(api, token, limit=50)["data"] if c["customerPhone"])
    unknown = "+86 199-0000-0001"
    assert api.get("customer/getCustomerInfoByCall", token, phone=unknown)["data"]["source"] == 0
    console.login(path="/call")

    p.get_by_label("來電號碼").fill(dashed(known["customerPhone"]))
    p.get_by_role("button", name="查詢").click()
    popup = p.get_by_label("來電彈窗")
    expect(popup).to_contain_text("來源：客戶資料")
    card = popup.locator(f'article[data-id="{known["customerId"]}"]')
    expect(card).to_contain_text(known["customerPhone"])
    console.shot("call-customer")
    card.get_by_role("link", name="在客戶工作台打開").click()
    expect(row(p, known["customerId"])).to_be_visible()

    p.go_back()
    p.get_by_label("來電號碼").fill(unknown)
    p.get_by_role("button", name="查詢").click()
    expect(popup).to_contain_text("沒有此號碼的資料")
    form = p.get_by_role("form", name="加入我的撥號清單")
    expect(form.get_by_label("聯系方式")).to_have_value(unknown)
    console.shot("call-unknown")

    switch = p.get_by_role("switch")
    before = api.get("customer/getIsOpenAfterCall", token)["data"]
    expect(switch).to_have_attribute("aria-checked", "true" if before else "false")
    switch.click()
    expect(switch).to_have_attribute("aria-checked", "false" if before else "true")
    assert api.get("customer/getIsOpenAfterCall", token)["data"] == 1 - before
    switch.click()
    expect(switch).to_have_attribute("aria-checked", "true" if before else "false")


def test_a_call_list_entry_pops_up_with_its_source(console):
    p = console.page
    api = console.api
    token = api.login("demo_sales1")
    me = api.get("account/me", token)["data"]
    entries = api.get("customer/getManualTaskDetail", token, adminUserId=me["adminUserId"], limit=100)["data"]["data"]
    entry = entries[0]
    expected = api.get("customer/getCustomerInfoByCall", token, phone=entry["customerPhone"])["data"]["source"]
    assert expected in (2, 3)
    console.login("demo_sales1", path="/call")
    p.get_by_label("來電號碼").fill(dashed(entry["customerPhone"]))
    p.get_by_role("button", name="查詢").click()
    label = {2: "來源：分配給我的客戶池", 3: "來源：手動錄入"}[expected]
    expect(p.get_by_label("來電彈窗")).to_contain_text(label)
    expect(p.get_by_label("來電彈窗")).to_contain_text(entry["customerPhone"])


def test_add_an_entry_with_a_field_missing_then_delete_and_restore_it(console):
    p = console.page
    api = console.api
    token = api.login("demo_sales2")
    console.login("demo_sales2", path="/lists")
    form = p.get_by_role("form", name="加入我的撥號清單")
    form.get_by_label("聯系方式").fill("13912345678")
    form.get_by_role("button", name="加入清單").click()
    status, answer = api.call("POST", "customer/addManualTask", token, body={"customerPhone": "13912345678"})
    assert (status, answer["msg"]) == (400, "客戶姓名不能為空所在地區不能為空")
    expect(form.get_by_role("alert")).to_have_text("客戶姓名不能為空所在地區不能為空")

    form.get_by_label("客戶姓名").fill("測試新客")
    form.get_by_label("所在地區").fill("廈門")
    form.get_by_role("button", name="加入清單").click()
    expect(p.get_by_role("status")).to_contain_text("已加入撥號清單")
    entries = p.get_by_role("table", name="清單條目")
    added = entries.locator("tr", has_text="測試新客")
    expect(added).to_have_count(1)
    console.shot("call-lists", full_page=True)

    added.get_by_role("button", name="刪除").click()
    expect(p.get_by_role("status")).to_contain_text("已刪除條目「測試新客」")
    expect(added).to_have_count(0)
    p.get_by_role("status").get_by_role("button", name="恢復").click()
    expect(p.get_by_role("status")).to_contain_text("已恢復條目「測試新客」")
    expect(added).to_have_count(1)


def test_the_team_lead_sees_the_totals_and_dials_and_adds_a_friend(console):
    p = console.page
    api = console.api
    token = api.login("demo_admin")
    totals = api.get("customer/getManualTaskList", token, limit=100)["data"]["data"]
    console.login(path="/lists")
    table = p.get_by_role("table", name="各賬號清單統計")
    for t in totals:
        cells = table.locator(f'tr[data-id="{t["adminUserId"]}"] td')
        expect(cells.nth(1)).to_have_text(str(t["entries"]))
        expect(cells.nth(2)).to_have_text(str(t["dialled"]))
        expect(cells.nth(4)).to_have_text(str(t["added"]))
    console.shot("call-lists-team")

    sub = totals[0]["adminUserId"]
    table.locator(f'tr[data-id="{sub}"]').get_by_role("button", name="查看").click()
    expect(p).to_have_url(re.compile(rf"adminUserId={sub}"))
    p.get_by_label("撥打狀態").select_option("0")
    p.get_by_role("form", name="條目篩選").get_by_role("button", name="查詢").click()
    expect(p).to_have_url(re.compile(r"dialStatus=0"))
    undialled = api.get("customer/getManualTaskDetail", token, adminUserId=sub, dialStatus=0, limit=20)["data"]
    expect(p.locator(".list-head .count")).to_have_text(f"共 {undialled['count']} 條")
    first = p.get_by_role("table", name="清單條目").locator(f'tr[data-id="{undialled["data"][0]["customerId"]}"]')
    phone = first.locator("td.phone").inner_text()
    first.get_by_role("button", name="撥號並加好友").click()
    dialog = p.get_by_role("dialog", name="撥號並加好友")
    dialog.get_by_label("用哪個微信號添加").select_option(index=0)
    dialog.get_by_role("button", name="確定").click()
    expect(p.get_by_role("status")).to_contain_text(f"已記錄撥打 {phone}")
    mine = api.get("customer/getManualTaskDetail", token, adminUserId=api.get("account/me", token)["data"]["adminUserId"], limit=100)
    assert any(e["customerPhone"] == phone and e["dialStatus"] == 1 for e in mine["data"]["data"])

    # A whole list deleted, then restored from the notice.
    other = totals[-1]
    row_of = table.locator(f'tr[data-id="{other["adminUserId"]}"]')
    row_of.get_by_role("button", name="刪除整個清單").click()
    confirm = p.get_by_role("dialog", name="確認")
    expect(confirm).to_contain_text(f"（{other['entries']} 條）")
    confirm.get_by_role("button", name="刪除").click()
    expect(p.get_by_role("status")).to_contain_text("的整個清單")
    expect(row_of).to_have_count(0)
    p.get_by_role("status").get_by_role("button", name="恢復").click()
    expect(p.get_by_role("status")).to_contain_text("的清單")
    expect(row_of.locator("td").nth(1)).to_have_text(str(other["entries"]))


def test_chat_loads_older_messages(console):
    p = console.page
    api = console.api
    token = api.login("demo_admin")
    me = api.get("account/me", token)["data"]
    account = me["wechatUsers"][0]
    contacts = api.get("customer/findcontactbytagAll", token, wechatUserId=account["wechatUserId"], isOffLine=1)["data"]
    ids = ",".join(str(c["wechatContactId"]) for c in contacts)
    total = api.get("message/getRedisMessageRecord", token, adminUserId=account["adminUserId"],
                    wechatUserIds=account["wechatUserId"], wechatContactIds=ids, limit=20, pageNo=1)["count"]
    assert total > 20
    console.login(path="/chat")
    expect(p.get_by_role("group", name="聯系人").locator("li")).to_have_count(len(contacts))
    p.get_by_role("button", name="全選").click()
    p.get_by_role("button", name="查看記錄").click()
    head = p.locator(".list-head .count")
    expect(head).to_have_text(f"共 {total} 條，已顯示 20 條")
    messages = p.get_by_role("list", name="消息（最新在前）").locator("li")
    expect(messages).to_have_count(20)
    expect(p.locator("li.sent").first).to_be_visible()
    expect(p.locator("li.received").first).to_be_visible()
    console.shot("chat")
    p.get_by_role("button", name="載入更早的消息").click()
    expect(messages).to_have_count(min(40, total))
    expect(head).to_have_text(f"共 {total} 條，已顯示 {min(40, total)} 條")
    times = messages.locator("time").all_inner_texts()
    assert times == sorted(times, reverse=True), times


def test_asking_for_the_same_number_again_shows_the_card_again(console):
    p = console.page
    token = console.api.login("demo_admin")
    known = next(c for c in first_page(console.api, token, limit=50)["data"] if c["customerPhone"])
    console.login(path="/call")
    p.get_by_label("來電號碼").fill(known["customerPhone"])
    ask = p.get_by_role("button", name="查詢")
    ask.click()
    card = p.get_by_label("來電彈窗").locator(f'article[data-id="{known["customerId"]}"]')
    expect(card).to_be_visible()
    with p.expect_response("**/wechat_api/customer/getCustomerInfoByCall*"):
        ask.click()
    expect(card).to_be_visible()
