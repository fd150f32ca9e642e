// The call screen: a phone number in any notation (+86 138-0013-8000, spaces, dashes) gives
// the pop-up card as getCustomerInfoByCall answers it: source 1 the customers (each with a
// link into the workbench), 2 and 3 the call-list entries, 0 nothing and the form that adds
// the number to the caller's call list. The after-call pop-up switch is a toggle here.
import { html, useEffect, useState } from "./lib.js";
import * as api from "./api.js";
import { hrefOf, navigate, onLink } from "./router.js";
import { Chips, Notice, fmtTime, useDraft, useLoad } from "./ui.js";
import { EntryForm } from "./entry-form.js";

const SOURCES = {
  1: "來源：客戶資料",
  2: "來源：分配給我的客戶池",
  3: "來源：手動錄入",
};
export const DIAL = { 0: "未撥打", 1: "已撥打" };
export const ADD = { 0: "未添加", 1: "已發送好友請求", 2: "已添加" };

function AfterCallSwitch() {
  const [open, setOpen] = useState(null);
  const [error, setError] = useState("");
  useEffect(() => {
    api.get("customer/getIsOpenAfterCall").then((r) => setOpen(r.data === 1)).catch((e) => setError(e.message));
  }, []);
  const flip = async () => {
    setError("");
    try {
      await api.post("customer/updateIsOpenAfterCall", { isOpen: open ? 0 : 1 });
      setOpen(!open);
    } catch (e) {
      setError(e.message);
    }
  };
  return html`<div class="switch-row">
    <label class="switch"><input type="checkbox" role="switch" checked=${Boolean(open)} disabled=${open === null}
      aria-checked=${open ? "true" : "false"} onChange=${flip} /> 通話後彈窗</label>
    ${error && html`<span class="error" role="alert">${error}</span>`}
  </div>`;
}

function CustomerCard({ c }) {
  return html`<article class="card" data-id=${c.customerId}>
    <h3>${c.customerName || c.contactNickName}</h3>
    <dl>
      <dt>手機號</dt><dd>${c.customerPhone}</dd>
      <dt>微信昵稱</dt><dd>${c.contactNickName}</dd>
      <dt>備註名</dt><dd>${c.remarkName}</dd>
      <dt>個性稱呼</dt><dd>${c.customerNickName}</dd>
      <dt>客戶備註</dt><dd>${c.remarks}</dd>
      <dt>標籤</dt><dd><${Chips} tags=${c.tagNames || []} /></dd>
      <dt>微信號</dt><dd>${c.wechatUserNickName}</dd>
    </dl>
    <a href=${hrefOf("/", { customerPhone: c.customerPhone })} onClick=${onLink}>在客戶工作台打開</a>
  </article>`;
}

function EntryCard({ e }) {
  return html`<article class="card" data-id=${e.customerId}>
    <h3>${e.customerName || e.customerPhone}</h3>
    <dl>
      <dt>聯系方式</dt><dd>${e.customerPhone}</dd>
      <dt>公司</dt><dd>${e.company}</dd>
      <dt>所在地區</dt><dd>${e.phoneGeo}</dd>
      <dt>撥打狀態</dt><dd>${DIAL[e.dialStatus] ?? e.dialStatus}</dd>
      <dt>添加狀態</dt><dd>${ADD[e.addStatus] ?? e.addStatus}</dd>
      <dt>創建時間</dt><dd>${fmtTime(e.createTime)}</dd>
    </dl>
  </article>`;
}

export function CallScreen({ route }) {
  const phone = route.query.get("phone") || "";
  // The typed number and the notice belong to the number asked (`useDraft`): a new URL
  // brings its own at once.
  const [input, setInput] = useDraft(phone, phone);
  const [notice, setNotice] = useDraft(phone, "");
  const lookup = useLoad(
    async () => (phone ? (await api.get("customer/getCustomerInfoByCall", { phone })).data : null),
    [phone],
  );
  // Only the answer for the number asked now: never the last caller's card meanwhile.
  const info = lookup.loading || lookup.error ? null : lookup.data;

  const submit = (e) => {
    e.preventDefault();
    const next = input.trim();
    // The same number again asks again (the answer may have changed since).
    if (next === phone) lookup.reload();
    else navigate(hrefOf("/call", { phone: next }));
  };

  return html`<section class="call">
    <h1>來電</h1>
    <${AfterCallSwitch} />
    <form class="searchbar" onSubmit=${submit} aria-label="查詢來電">
      <input type="tel" name="phone" aria-label="來電號碼" placeholder="例如 +86 138-0013-8000" value=${input}
        onInput=${(e) => setInput(e.currentTarget.value)} required />
      <button type="submit" class="primary">查詢</button>
    </form>
    <${Notice} error=${lookup.error} notice=${notice} />
    ${info && html`<div class="popup" aria-label="來電彈窗" data-source=${info.source}>
      ${info.source === 0
        ? html`<p class="source">沒有此號碼的資料</p>
            <${EntryForm} key=${phone} phone=${phone} onAdded=${setNotice} />`
        : html`<p class="source">${SOURCES[info.source]}</p>
            <div class="cards">${(info.customerList || []).map((x) =>
              info.source === 1 ? html`<${CustomerCard} key=${x.customerId} c=${x} />` : html`<${EntryCard} key=${x.customerId} e=${x} />`)}</div>`}
    </div>`}
  </section>`;
}
