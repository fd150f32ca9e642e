"""The mixed read/write workload of `make load` (scripts/load.sh).

Every simulated user logs in as one of the demo accounts and loops over every endpoint
family: who am I (`account/me`), customer reads (pages with each filter, `q` and `tagMode`
included, recycle bin, export, contacts by tag, the pop-up switch), customer writes (update, personal forms of address, delete then restore
of a customer of its own), the call pop-up (hit and miss), call lists (add an entry, find it,
delete it; list and detail), chat (ingest a message, read the conversation) and logins,
some of them failing on purpose. A response is a failure unless its status is the one the
request must get; the only intended non-2xx answers are the 401s of the failing logins and
the 429s of logins while the (shared) client address is over its budget of failures.
"""

import itertools
import os
import random
import time

from locust import FastHttpUser, between, task

PASSWORD = "demo-pass-123"
MAINS = ["demo_admin", "acme_admin"]
SUBS = ["demo_sales1", "demo_sales2", "acme_sales1", "acme_sales2"]
LOGINS = SUBS + MAINS
CUSTOMER = "/wechat_api/customer/"
_numbers = itertools.count()


def _customers_by_login():
    """`login<TAB>customerId` lines of LOAD_CUSTOMERS (written by scripts/load.sh), ids
    highest first per login."""
    out = {}
    path = os.environ.get("LOAD_CUSTOMERS")
    for line in open(path, encoding="utf-8") if path else []:
        login, cid = line.split()
        out.setdefault(login, []).append(int(cid))
    return out


CUSTOMERS = _customers_by_login()
_per_login = {}


class Salesperson(FastHttpUser):
    wait_time = between(0, 0.05)

    def on_start(self):
        self.no = next(_numbers)
        self.login = LOGINS[self.no % len(LOGINS)]
        # The how-many-th user of this login: picks customers no other user deletes.
        self.rank = _per_login.get(self.login, 0)
        _per_login[self.login] = self.rank + 1
        self.seq = itertools.count()
        data = self.log_in()
        self.auth = {"Authorization": "Bearer " + data["token"]}
        self.admin_user_id = data["adminUserId"]
        page = self.get("customerPage", {"limit": 100, "pageNo": 1}).json()["data"]
        self.customers = page
        # Each account's customers, read from the database before the run (a page read here
        # would race with other users' deletes). Only sub-account users delete and restore,
        # each a customer of its own that no other user deletes or updates: a main account
        # sees its subs' customers, so sharing them would make the answers depend on timing.
        own = CUSTOMERS.get(self.login, [])
        self.victim = None
        if self.login in SUBS and self.rank < len(own):
            self.victim = own[self.rank]
        spared = set(own[len(LOGINS) * 4 :])
        self.stable = [c for c in page if c["customerId"] in spared] or None
        contacts = self.get("findcontactbytagAll", {"isOffLine": 1}).json()["data"]
        self.uins = sorted({c["wechatUserUin"] for c in contacts if c.get("wechatUserUin")})
        self.tag_ids = sorted(
            {t for c in page for t in (c.get("tags") or "").split(",") if t}
        )

    def log_in(self):
        """Logs in; waits out a 429 (every user shares one client address, whose budget the
        failing logins below spend)."""
        for _ in range(30):
            with self.client.post(
                "/wechat_api/login",
                json={"loginName": self.login, "password": PASSWORD},
                name="login",
                catch_response=True,
            ) as r:
                if r.status_code == 200:
                    return r.json()["data"]
                if r.status_code == 429:
                    r.success()
                    time.sleep(int(r.headers.get("Retry-After", "1")))
                    continue
                r.failure(f"login {self.login}: {r.status_code}")
        raise RuntimeError(f"could not log in as {self.login}")

    def get(self, endpoint, params, path=CUSTOMER, name=None):
        return self.client.get(
            path + endpoint, params=params, headers=self.auth, name=name or endpoint
        )

    def post(self, endpoint, body, path=CUSTOMER, name=None):
        return self.client.post(
            path + endpoint, json=body, headers=self.auth, name=name or endpoint
        )

    def customer(self):
        return random.choice(self.customers)

    # --- who am I ----------------------------------------------------------------------
    @task(1)
    def me(self):
        self.get("me", {}, path="/wechat_api/account/")

    # --- customer reads -------------------------------------------------------------------
    @task(6)
    def customer_page(self):
        c = self.customer()
        filters = [
            {},
            {"customerName": (c.get("customerName") or "王")[:1]},
            {"customerPhone": (c.get("customerPhone") or "138")[-4:]},
            {"tagIds": ",".join(self.tag_ids[:2]),
             "tagMode": random.choice(["any", "all", "none"])} if self.tag_ids else {},
            {"q": (c.get("customerName") or "王")[:1]},
            {"q": (c.get("customerName") or "王")[:1] + " " + (c.get("customerPhone") or "138")[-4:]},
            {"remarks": "客戶"},
            {"beginTime": "2020-01-01", "endTime": "2030-12-31"},
        ]
        params = dict(random.choice(filters), limit=random.choice([10, 20, 100]),
                      pageNo=random.randint(1, 3))
        self.get("customerPage", params)

    @task(1)
    def recycle_bin(self):
        c = self.customer()
        params = random.choice([{}, {"q": (c.get("customerName") or "王")[:1]}])
        self.get("recycleBin", dict(params, limit=10, pageNo=1))

    @task(1)
    def download(self):
        self.get("downLoad", {"customerName": self.customer().get("customerName", "")[:1]})

    @task(1)
    def contacts_by_tag(self):
        self.get("findcontactbytagAll", {"tagIds": ",".join(self.tag_ids[:3])})

    @task(1)
    def after_call_switch(self):
        self.get("getIsOpenAfterCall", {})
        self.post("updateIsOpenAfterCall", {"isOpen": random.randint(0, 1)})

    # --- customer writes ------------------------------------------------------------------
    @task(3)
    def update_customer(self):
        if not self.stable:
            return
        c = random.choice(self.stable)
        self.post(
            "updateCustomer",
            {"customerId": c["customerId"], "remarks": f"load {self.no}-{next(self.seq)}"},
        )

    @task(1)
    def nick_names(self):
        c = self.customer()
        self.post(
            "batchSaveNickName",
            {"nickNames": [{"wechatContactId": c["wechatContactId"],
                            "custName": c.get("customerName") or "客戶",
                            "nickName": f"稱呼{self.no}"}]},
        )

    @task(1)
    def delete_and_restore(self):
        if self.victim is None:
            return
        self.post("delete", {"customerId": self.victim})
        self.post("restore", {"customerId": self.victim})

    # --- the call pop-up ------------------------------------------------------------------
    @task(4)
    def who_is_calling(self):
        c = self.customer()
        phone = c.get("customerPhone") or "13800000000"
        if random.random() < 0.3:
            phone = "+86 170-0000-" + str(random.randint(1000, 9999))
        self.get("getCustomerInfoByCall", {"phone": phone})

    # --- call lists ----------------------------------------------------------------------
    @task(2)
    def call_list(self):
        n = next(self.seq)
        name = f"load-{self.no}-{n}"
        self.post(
            "addManualTask",
            {"customerName": name, "customerPhone": f"139{self.no:03d}{n % 100000:05d}",
             "phoneGeo": "廈門", "company": "壓測"},
        )
        me = None
        page = self.get("getManualTaskList", {"pageNo": 1, "limit": 20}).json()["data"]
        for row in page["data"]:
            if row["entries"]:
                me = row["adminUserId"]
        found = self.get(
            "getManualTaskDetail",
            {"adminUserId": self.admin_user_id, "customerName": name},
        ).json()["data"]["data"]
        if found:
            self.post("delManualTaskDetail", {"customerId": found[0]["customerId"]})
        if me is not None:
            self.get("getManualTaskDetail", {"adminUserId": me, "limit": 20})

    @task(1)
    def dialled(self):
        if not self.uins:
            return
        self.post(
            "addManualTaskBeforeAddFriend",
            {"customerPhone": f"137{self.no:03d}{next(self.seq) % 100000:05d}",
             "uin": self.uins[0]},
        )

    # --- chat ------------------------------------------------------------------------------
    @task(3)
    def chat(self):
        c = self.customer()
        msg = {"msgId": f"load-{self.no}-{next(self.seq)}", "wechatUserId": c["wechatUserId"],
               "wechatContactId": c["wechatContactId"], "isSend": 1, "msgType": 1,
               "content": "壓測消息", "createTime": 1764194400000}
        self.post("record", [msg], path="/wechat_api/message/")
        self.get(
            "getRedisMessageRecord",
            {"wechatUserIds": c["wechatUserId"], "wechatContactIds": c["wechatContactId"],
             "limit": 20, "pageNo": 1},
            path="/wechat_api/message/",
        )

    # --- logins ----------------------------------------------------------------------------
    def login_answered(self, login_name, password, name, wanted):
        """A login whose answer must have one of the `wanted` statuses."""
        with self.client.post(
            "/wechat_api/login",
            json={"loginName": login_name, "password": password},
            name=name,
            catch_response=True,
        ) as r:
            if r.status_code in wanted:
                r.success()
            else:
                r.failure(f"wanted one of {wanted}, got {r.status_code}")

    @task(1)
    def logins(self):
        # A correct login: 200, or 429 while the shared address is over its budget of failed
        # logins (intended).
        self.login_answered(self.login, PASSWORD, "login", (200, 429))
        # A wrong password for a name of its own: 401, then 429 once the name's (or the
        # address's) budget is spent; both are the intended answers.
        self.login_answered(
            f"nobody-{self.no}", "wrong-password", "login (wrong password)", (401, 429)
        )
