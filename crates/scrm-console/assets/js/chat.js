// Chat history: choose a WeChat account of the scope and one or more of its contacts
// (findcontactbytagAll), an optional time range, and read the merged record newest first
// (getRedisMessageRecord) with "load older". Sent and received messages are told apart;
// non-text messages show a labelled placeholder. The choice lives in the URL.
import { html, useEffect, useRef, useState } from "./lib.js";
import * as api from "./api.js";
import { hrefOf, navigate } from "./router.js";
import { Notice, fmtTime, useDraft, useLoad } from "./ui.js";

const PAGE = 20;
const KINDS = { 3: "圖片", 34: "語音", 43: "視頻", 47: "表情", 48: "位置", 49: "鏈接或文件", 10000: "系統消息" };

function placeholder(type) {
  return `[${KINDS[type] || "非文本消息"}${KINDS[type] ? "" : ` 類型 ${type}`}]`;
}

export function Chat({ me, route }) {
  const q = route.query;
  const wechatUserId = q.get("wechatUserId") || String(me.wechatUsers[0]?.wechatUserId || "");
  const chosen = (q.get("contactIds") || "").split(",").filter(Boolean);
  const beginTime = q.get("beginTime") || "";
  const endTime = q.get("endTime") || "";
  const account = me.wechatUsers.find((w) => String(w.wechatUserId) === wechatUserId);

  const key = q.toString();
  // The picked conversations and the range: the URL's until changed here (`useDraft`).
  const [picked, setPicked] = useDraft(key, chosen);
  const [range, setRange] = useDraft(key, { beginTime, endTime });
  const [filter, setFilter] = useState("");
  const [messages, setMessages] = useState([]);
  const [count, setCount] = useState(null);
  const [pageNo, setPageNo] = useState(1);
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);
  // The run of `load` whose answers still count: a new choice drops an older page on its way.
  const run = useRef(0);


  // A WeChat account of the URL that is not one of this login's is not asked for.
  const contactList = useLoad(
    async () => (account ? (await api.get("customer/findcontactbytagAll", { wechatUserId, isOffLine: 1 })).data : []),
    [wechatUserId],
  );
  const contacts = contactList.data || [];

  const load = async (page) => {
    const mine = run.current;
    setBusy(true);
    setError("");
    try {
      const r = await api.get("message/getRedisMessageRecord", {
        adminUserId: account.adminUserId,
        wechatUserIds: wechatUserId,
        wechatContactIds: chosen.join(","),
        beginTime,
        endTime,
        limit: PAGE,
        pageNo: page,
      });
      if (mine !== run.current) return;
      setMessages((m) => (page === 1 ? r.data : [...m, ...r.data]));
      setCount(r.count);
      setPageNo(page);
    } catch (e) {
      if (mine === run.current) setError(e.message);
    } finally {
      if (mine === run.current) setBusy(false);
    }
  };

  useEffect(() => {
    run.current += 1;
    setMessages([]);
    setCount(null);
    if (chosen.length && account) load(1);
  }, [key]);

  const show = (e) => {
    e.preventDefault();
    navigate(hrefOf("/chat", { wechatUserId, contactIds: picked.join(","), ...range }));
  };
  const toggle = (id) => setPicked((p) => (p.includes(id) ? p.filter((x) => x !== id) : [...p, id]));
  const nameOf = (id) => {
    const c = contacts.find((x) => String(x.wechatContactId) === String(id));
    return c ? c.remarkName || c.nickName || c.userName : String(id);
  };
  const visible = contacts.filter((c) => !filter || `${c.nickName || ""} ${c.remarkName || ""}`.includes(filter));

  return html`<section class="chat">
    <h1>聊天記錄</h1>
    <form class="chat-pick" onSubmit=${show} aria-label="選擇會話">
      <label>微信號<select name="wechatUserId" value=${wechatUserId}
        onChange=${(e) => navigate(hrefOf("/chat", { wechatUserId: e.currentTarget.value }))}>
        ${me.wechatUsers.map((w) => html`<option value=${String(w.wechatUserId)}>${w.nickName || w.userName}${w.isOnline ? "" : "（離線）"}</option>`)}
      </select></label>
      <fieldset class="contacts">
        <legend>聯系人（已選 ${picked.length}）</legend>
        <div class="contact-tools">
          <input type="search" aria-label="篩選聯系人" placeholder="篩選聯系人" value=${filter} onInput=${(e) => setFilter(e.currentTarget.value)} />
          <button type="button" disabled=${visible.length === 0} onClick=${() => setPicked(visible.map((c) => String(c.wechatContactId)))}>全選</button>
          <button type="button" onClick=${() => setPicked([])}>清空</button>
        </div>
        <ul>${visible.map((c) => html`<li key=${c.wechatContactId}><label>
          <input type="checkbox" checked=${picked.includes(String(c.wechatContactId))} onChange=${() => toggle(String(c.wechatContactId))} />
          ${c.remarkName || c.nickName || c.userName}${c.remarkName && c.nickName ? html`<small class="sub">${c.nickName}</small>` : ""}
        </label></li>`)}</ul>
      </fieldset>
      <label>從<input type="date" name="beginTime" value=${range.beginTime} onInput=${(e) => setRange({ ...range, beginTime: e.currentTarget.value })} /></label>
      <label>至<input type="date" name="endTime" value=${range.endTime} onInput=${(e) => setRange({ ...range, endTime: e.currentTarget.value })} /></label>
      <div class="actions"><button type="submit" class="primary" disabled=${picked.length === 0}>查看記錄</button></div>
    </form>
    <${Notice} error=${error || contactList.error || (wechatUserId && !account && "無法查看此微信號的記錄：它不是你可以查看的微信號")} />
    ${count !== null && html`<div class="list-head"><span class="count">共 ${count} 條，已顯示 ${messages.length} 條</span></div>`}
    <ol class="messages" aria-label="消息（最新在前）">
      ${messages.map((m) => html`<li key=${m.msgId} class=${m.isSend ? "sent" : "received"} data-msg=${m.msgId}>
        <div class="meta"><span class="from">${m.isSend ? "我方" : nameOf(m.wechatContactId)}</span>
          ${m.isSend ? html`<span class="to">→ ${nameOf(m.wechatContactId)}</span>` : ""}
          <time>${fmtTime(m.createTime)}</time></div>
        <div class="bubble">${m.msgType === 1 ? m.content : html`<span class="placeholder">${placeholder(m.msgType)}</span>`}</div>
      </li>`)}
    </ol>
    ${count !== null && messages.length < count && html`<button type="button" class="older" disabled=${busy} onClick=${() => load(pageNo + 1)}>載入更早的消息</button>`}
    ${count === 0 && html`<p class="empty">這段時間沒有消息</p>`}
  </section>`;
}
