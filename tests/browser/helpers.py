"""What several browser tests share: reading the count, rows of the workbench, the demo's
tags and customers as the API gives them."""

import re

from playwright.sync_api import expect


def count_of(page):
    """The `共 N 條` of the list on screen, as an int."""
    text = page.locator(".list-head .count").inner_text()
    m = re.search(r"共 (\d+) 條", text)
    assert m, text
    return int(m.group(1))


def expect_count(page, n):
    expect(page.locator(".list-head .count")).to_have_text(f"共 {n} 條")


def row(page, customer_id):
    return page.locator(f'table.customers tbody tr[data-id="{customer_id}"]')


def tag_id(api, token, name):
    me = api.get("account/me", token)["data"]
    return next(str(t["tagId"]) for t in me["tags"] if t["name"] == name)


def signed_in_with_tags(console):
    """Signs the console in as demo_admin; its API token and the ids of the tags VIP and 已成交."""
    token = console.api.login("demo_admin")
    vip, won = tag_id(console.api, token, "VIP"), tag_id(console.api, token, "已成交")
    console.login()
    return token, vip, won


def first_page(api, token, **params):
    return api.get("customer/customerPage", token, **{"limit": 10, "pageNo": 1, **params})


def open_editor(console, index):
    """Signs the console in as demo_admin and opens the edit panel of the `index`-th customer
    of the first page; its API token, that customer as the API gives it, and the panel."""
    token = console.api.login("demo_admin")
    target = first_page(console.api, token)["data"][index]
    console.login()
    row(console.page, target["customerId"]).get_by_role("button", name="編輯").click()
    return token, target, console.page.get_by_role("dialog", name="編輯客戶")
