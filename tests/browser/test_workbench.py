"""The customer workbench as a person uses it: each account's scope and its count, tag chips
against the API's count with Back and reopened links, the keyboard, editing (and a bad
phone's message beside the field, a refused filter's with its label, both in Chinese), the
personal form of address, the star, delete into the recycle bin and restore, and the export
of exactly the current filters."""

import csv
import io
import re

from helpers import (
    count_of,
    expect_count,
    first_page,
    open_editor,
    row,
    signed_in_with_tags,
    tag_id,
)
from playwright.sync_api import expect


def test_a_sub_account_sees_only_its_own_and_the_count_says_so(console):
    p = console.page
    console.login("demo_sales1")
    expect(p.get_by_label("當前登錄")).to_contain_text("子賬號")
    sub = console.api.login("demo_sales1")
    admin = console.api.login("demo_admin")
    own = first_page(console.api, sub)
    everyone = first_page(console.api, admin)
    expect_count(p, own["count"])
    assert own["count"] < everyone["count"]
    shown = p.locator("table.customers tbody tr[data-id]").evaluate_all("rows => rows.map(r => r.dataset.id)")
    assert shown == [str(c["customerId"]) for c in own["data"]]


def test_tag_chips_give_the_apis_count_and_back_and_links_work(console):
    p = console.page
    api = console.api
    token, vip, won = signed_in_with_tags(console)
    console.shot("workbench")
    p.get_by_role("button", name="篩選").click()
    chips = p.get_by_role("group", name="標籤篩選")
    chips.get_by_role("button", name="VIP").click()
    expect(p).to_have_url(re.compile(rf"tagIds={vip}$"))
    one = first_page(api, token, tagIds=vip)["count"]
    expect_count(p, one)
    chips.get_by_role("button", name="已成交").click()
    expect(p).to_have_url(re.compile(rf"tagIds={vip}%2C{won}$"))
    both = first_page(api, token, tagIds=f"{vip},{won}")["count"]
    expect_count(p, both)
    assert both > one
    expect(chips.get_by_role("button", name="已成交")).to_have_attribute("aria-pressed", "true")
    console.shot("workbench-filters")

    p.go_back()
    expect_count(p, one)
    expect(chips.get_by_role("button", name="已成交")).to_have_attribute("aria-pressed", "false")
    # The link reopens the same view, page size and page included.
    p.get_by_label("每頁條數").select_option("20")
    expect(p).to_have_url(re.compile(r"limit=20"))
    p.reload()
    expect_count(p, one)
    expect(p.get_by_label("每頁條數")).to_have_value("20")
    expect(p.get_by_role("group", name="標籤篩選").get_by_role("button", name="VIP")).to_have_attribute("aria-pressed", "true")


def test_keyboard_opens_a_row_and_an_edit_changes_it(console):
    p = console.page
    token = console.api.login("demo_admin")
    target = first_page(console.api, token)["data"][2]
    console.login()
    expect(row(p, target["customerId"])).to_be_visible()
    p.keyboard.press("/")
    expect(p.get_by_role("searchbox", name="搜索客戶")).to_be_focused()
    p.keyboard.press("Escape")
    p.keyboard.press("j")
    p.keyboard.press("j")
    p.keyboard.press("j")
    p.keyboard.press("k")
    expect(row(p, target["customerId"])).to_have_attribute("aria-selected", "true")
    p.keyboard.press("Enter")
    panel = p.get_by_role("dialog", name="編輯客戶")
    expect(panel.get_by_label("客戶名")).to_have_value(target["customerName"] or "")
    p.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    p.keyboard.press("Enter")
    expect(panel).to_be_visible()

    new_name = f"{target['customerName']}-改"
    panel.get_by_label("客戶名").fill(new_name)
    panel.get_by_label("客戶備註").fill("電話裡說下周簽約")
    panel.get_by_role("button", name="保存", exact=True).click()
    expect(panel).to_be_hidden()
    expect(p.get_by_role("status")).to_contain_text("已保存")
    changed = row(p, target["customerId"])
    expect(changed.locator("td.name")).to_contain_text(new_name)
    saved = first_page(console.api, token)["data"][2]
    assert (saved["customerName"], saved["remarks"]) == (new_name, "電話裡說下周簽約")

    # The personal form of address of the same contact.
    changed.get_by_role("button", name="編輯").click()
    panel.get_by_role("textbox", name="個性稱呼", exact=True).fill("王哥")
    panel.get_by_role("button", name="保存個性稱呼").click()
    expect(panel.get_by_role("status")).to_have_text("保存成功!")
    expect(changed.locator("td.name")).to_contain_text("稱呼：王哥")


def test_a_bad_phone_shows_the_message_beside_the_field(console):
    p = console.page
    token, target, panel = open_editor(console, 3)
    phone = panel.get_by_label("手機號")
    phone.fill("12")
    panel.get_by_role("button", name="保存", exact=True).click()
    field = panel.locator(".field", has=p.locator("#f-customerPhone"))
    # The server's reason in Chinese beside the field, not its English wire text.
    expect(field.get_by_role("alert")).to_have_text("須是 5 至 20 位數字的電話號碼")
    expect(phone).to_have_attribute("aria-invalid", "true")
    expect(phone).to_have_value("12")
    console.shot("edit-panel")
    after = first_page(console.api, token)["data"][3]
    assert after["customerPhone"] == target["customerPhone"]


def test_a_too_long_form_of_address_is_explained_with_its_label(console):
    """batchSaveNickName names the item (`nickNames[0].custName: at most 128 characters`);
    the console reads the path and says it in Chinese with the field's label."""
    p = console.page
    _, _, panel = open_editor(console, 1)
    panel.get_by_role("textbox", name="客戶稱呼", exact=True).fill("長" * 129)
    panel.get_by_role("button", name="保存個性稱呼").click()
    nick = panel.get_by_role("form", name="個性稱呼")
    alert = nick.get_by_role("alert")
    expect(alert).to_have_text("客戶稱呼：最多 128 個字")
    console.shot("edit-nick-too-long")
    # As a salesperson on a phone sees it: the message in view, nothing scrolls sideways.
    p.set_viewport_size({"width": 390, "height": 844})
    alert.scroll_into_view_if_needed()
    expect(alert).to_be_in_viewport()
    assert p.evaluate("document.documentElement.scrollWidth") <= 390
    console.shot("phone-edit-nick-too-long")


def test_a_filter_the_server_refuses_is_explained_with_its_label(console):
    p = console.page
    token = console.api.login("demo_admin")
    total = first_page(console.api, token)["count"]
    console.login()
    expect_count(p, total)
    p.get_by_role("button", name="篩選").click()
    filters = p.get_by_role("form", name="篩選條件")
    filters.get_by_label("創建時間從").fill("2026-12-01")
    filters.get_by_label("至").fill("2026-11-01")
    filters.get_by_role("button", name="查詢").click()
    expect(p.get_by_role("alert")).to_have_text("開始時間：不能晚於結束時間")
    console.shot("workbench-bad-range")


def test_the_star_toggles_in_the_row(console):
    p = console.page
    token = console.api.login("demo_admin")
    target = first_page(console.api, token)["data"][4]
    console.login()
    star = row(p, target["customerId"]).locator("button.star")
    was = target["isStar"]
    expect(star).to_have_attribute("aria-pressed", "true" if was else "false")
    star.click()
    expect(star).to_have_attribute("aria-pressed", "false" if was else "true")
    assert first_page(console.api, token)["data"][4]["isStar"] == (0 if was else 1)
    p.reload()
    expect(star).to_have_attribute("aria-pressed", "false" if was else "true")
    star.click()
    expect(star).to_have_attribute("aria-pressed", "true" if was else "false")


def test_delete_into_the_recycle_bin_and_restore(console):
    p = console.page
    token = console.api.login("demo_admin")
    page = first_page(console.api, token)
    target, total = page["data"][6], page["count"]
    console.login()
    expect_count(p, total)
    row(p, target["customerId"]).get_by_role("button", name="刪除").click()
    dialog = p.get_by_role("dialog", name="確認")
    expect(dialog).to_contain_text("回收站")
    dialog.get_by_role("button", name="刪除").click()
    expect(p.get_by_role("status")).to_contain_text("移至回收站")
    expect_count(p, total - 1)
    expect(row(p, target["customerId"])).to_have_count(0)

    p.get_by_role("link", name="回收站").click()
    binned = p.locator(f'tr[data-id="{target["customerId"]}"]')
    expect(binned).to_be_visible()
    console.shot("recycle")
    binned.get_by_role("button", name="恢復").click()
    expect(p.get_by_role("status")).to_contain_text("已恢復")
    expect(binned).to_have_count(0)
    p.get_by_role("link", name="客戶", exact=True).click()
    expect_count(p, total)
    expect(row(p, target["customerId"])).to_be_visible()


def test_export_downloads_exactly_the_current_filters(console):
    p = console.page
    token = console.api.login("demo_admin")
    vip = tag_id(console.api, token, "VIP")
    console.login(path=f"/?tagIds={vip}&customerPhone=1")
    expected = first_page(console.api, token, tagIds=vip, customerPhone="1")["count"]
    expect_count(p, expected)
    # Every label the button shows, as the person sees it change.
    p.evaluate("""() => {
        const b = document.querySelector('button.export');
        window.__exportLabels = [];
        new MutationObserver(() => window.__exportLabels.push(b.textContent.trim()))
            .observe(b, {childList: true, subtree: true, characterData: true});
    }""")
    with p.expect_download() as download:
        p.get_by_role("button", name="導出 CSV").click()
    file = download.value
    assert re.fullmatch(r"客戶資料-\d{14}\.csv", file.suggested_filename), file.suggested_filename
    text = open(file.path(), encoding="utf-8-sig").read()
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][0] == "客戶ID", rows[0]
    assert len(rows) - 1 == expected == count_of(p)
    expect(p.get_by_role("status")).to_contain_text(file.suggested_filename)
    labels = p.evaluate("window.__exportLabels")
    assert "準備中…" in labels, labels
    expect(p.get_by_role("button", name="導出 CSV")).to_be_enabled()


def test_the_search_box_sends_q_and_the_tag_filter_offers_three_modes(console):
    p = console.page
    api = console.api
    token, vip, won = signed_in_with_tags(console)
    search = p.get_by_role("searchbox", name="搜索客戶")
    search.fill("wang")
    search.press("Enter")
    expect(p).to_have_url(re.compile(r"q=wang"))
    by_pinyin = first_page(api, token, q="wang")["count"]
    assert by_pinyin > 0
    expect_count(p, by_pinyin)
    search.fill("")
    search.press("Enter")
    p.get_by_role("button", name="篩選").click()
    chips = p.get_by_role("group", name="標籤篩選")
    chips.get_by_role("button", name="VIP").click()
    chips.get_by_role("button", name="已成交").click()
    tags = f"{vip},{won}"
    any_count = first_page(api, token, tagIds=tags)["count"]
    expect_count(p, any_count)
    for mode in ["all", "none"]:
        p.get_by_label("標籤條件").select_option(mode)
        expect(p).to_have_url(re.compile(rf"tagMode={mode}"))
        expect_count(p, first_page(api, token, tagIds=tags, tagMode=mode)["count"])
    assert first_page(api, token, tagIds=tags, tagMode="all")["count"] < any_count
