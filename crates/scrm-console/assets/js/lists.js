// Call lists: a main account sees the per-assignee totals (getManualTaskList, with the
// department filter); everyone sees the entries of an assignee (getManualTaskDetail, with
// its filters and paging), adds entries to their own list, deletes and restores an entry or
// a whole list, and "dials and adds as WeChat friend" choosing the WeChat account.
import { html, useState } from "./lib.js";
import * as api from "./api.js";
import { hrefOf, navigate, pagingOf } from "./router.js";
import { Confirm, Notice, Pager, fmtTime, useDraft, useLoad } from "./ui.js";
import { EntryForm } from "./entry-form.js";
import { ADD, DIAL } from "./call.js";

const ENTRY_FILTERS = ["company", "customerName", "userName", "dialStatus", "addStatus"];
const KEYS = ["adminUserId", "pepartId", ...ENTRY_FILTERS, "pageNo", "limit"];

function paramsOf(query) {
  const p = {};
  for (const k of KEYS) p[k] = query.get(k) || "";
  return p;
}

/** The call lists' page size when the URL names none. */
const LIMIT = 20;

function href(p) {
  return hrefOf("/lists", p, LIMIT);
}

const nameOfRow = (row) => row.realName || row.adminUserId;

function Assignees({ me, params, onPick, changes, onDeleted }) {
  const totals = useLoad(
    async () => (await api.get("customer/getManualTaskList", { pepartId: params.pepartId, limit: 100 })).data,
    [params.pepartId, changes],
  );
  const result = totals.data;
  const [error, setError] = useState("");
  const [deleting, setDeleting] = useState(null);
  const removeAll = async () => {
    const row = deleting;
    setError("");
    try {
      await api.post("customer/delManualTask", { adminUserId: row.adminUserId });
      onDeleted(row);
    } catch (e) {
      setError(e.message);
    } finally {
      setDeleting(null);
    }
  };
  return html`<section class="assignees" aria-label="團隊清單">
    <h2>團隊清單</h2>
    <label>部門
      <select name="pepartId" value=${params.pepartId} onChange=${(e) => navigate(href({ ...params, pepartId: e.currentTarget.value, pageNo: "" }))}>
        <option value="">全部部門</option>
        ${me.departments.map((d) => html`<option value=${String(d.departId)}>${d.name || d.departId}</option>`)}
      </select>
    </label>
    <${Notice} error=${error || totals.error} />
    <div class="table-wrap"><table aria-label="各賬號清單統計">
      <thead><tr><th>賬號</th><th>條目</th><th>已撥打</th><th>已發好友請求</th><th>已添加</th><th>操作</th></tr></thead>
      <tbody>
        ${(result?.data || []).map((r) => html`<tr key=${r.adminUserId} data-id=${r.adminUserId}>
          <td class="name">${nameOfRow(r)}</td><td>${r.entries}</td><td>${r.dialled}</td>
          <td>${r.friendRequestsSent}</td><td>${r.added}</td>
          <td class="ops"><button type="button" onClick=${() => onPick(String(r.adminUserId))}>查看</button>
            <button type="button" class="danger" onClick=${() => setDeleting(r)}>刪除整個清單</button></td>
        </tr>`)}
        ${result && result.data.length === 0 && html`<tr><td colspan="6" class="empty">沒有清單</td></tr>`}
      </tbody>
    </table></div>
    ${deleting && html`<${Confirm} text=${`確定刪除「${nameOfRow(deleting)}」的整個撥號清單（${deleting.entries} 條）？刪除後可以恢復。`}
      okLabel="刪除" onOk=${removeAll} onCancel=${() => setDeleting(null)} />`}
  </section>`;
}

function DialDialog({ entry, me, onDone, onCancel }) {
  const accounts = me.wechatUsers;
  const [uin, setUin] = useState(accounts[0]?.uin || "");
  const [userName, setUserName] = useState(entry.userName || entry.customerPhone || "");
  const [error, setError] = useState("");
  const submit = async (e) => {
    e.preventDefault();
    setError("");
    try {
      await api.post("customer/addManualTaskBeforeAddFriend", { customerPhone: entry.customerPhone, uin, userName });
      onDone(`已記錄撥打 ${entry.customerPhone}，好友請求已排隊`);
    } catch (err) {
      setError(err.message);
    }
  };
  return html`<div class="modal-back"><form class="modal" role="dialog" aria-modal="true" aria-label="撥號並加好友" onSubmit=${submit}>
    <h3>撥號並加微信好友：${entry.customerName || entry.customerPhone}</h3>
    <label for="dial-uin">用哪個微信號添加</label>
    <select id="dial-uin" name="uin" value=${uin} onChange=${(e) => setUin(e.currentTarget.value)}>
      ${accounts.map((w) => html`<option value=${w.uin || ""}>${w.nickName || w.userName}${w.isOnline ? "" : "（離線）"}</option>`)}
    </select>
    <label for="dial-user">對方的微信號或手機號</label>
    <input id="dial-user" name="friendUserName" value=${userName} onInput=${(e) => setUserName(e.currentTarget.value)} />
    ${error && html`<p class="error" role="alert">${error}</p>`}
    <div class="actions"><button type="button" onClick=${onCancel}>取消</button><button type="submit" class="primary">確定</button></div>
  </form></div>`;
}

export function CallLists({ me, route }) {
  const params = paramsOf(route.query);
  const assignee = params.adminUserId || String(me.adminUserId);
  // An account of the URL that is not one this login may see (another tenant's, a sibling
  // sub-account's) is not asked for: the screen says so.
  const account = me.accounts.find((a) => String(a.adminUserId) === assignee);
  const { pageNo, limit } = pagingOf(route.query, LIMIT);
  const key = route.query.toString();
  const [draft, setDraft] = useDraft(key, params);
  const [error, setError] = useState("");
  const [notice, setNotice] = useState(null);
  const [dialing, setDialing] = useState(null);
  // Bumped by every change made here: the entries and the totals load again.
  const [changes, setChanges] = useState(0);

  const entries = useLoad(async () => {
    if (!account) return null;
    const filters = Object.fromEntries(ENTRY_FILTERS.map((k) => [k, params[k]]));
    return (await api.get("customer/getManualTaskDetail", { adminUserId: assignee, ...filters, pageNo, limit })).data;
  }, [key, changes]);
  const result = entries.data;

  const done = (text, undo) => {
    setNotice({ text, undo });
    setChanges((n) => n + 1);
  };
  const act = async (path, body, text, undo) => {
    setError("");
    try {
      await api.post(path, body);
      done(text, undo);
    } catch (e) {
      setError(e.message);
    }
  };
  const removeEntry = (e) => act("customer/delManualTaskDetail", { customerId: e.customerId },
    `已刪除條目「${e.customerName || e.customerPhone}」`,
    () => act("customer/restoreManualTaskDetail", { customerId: e.customerId }, `已恢復條目「${e.customerName || e.customerPhone}」`));
  const listDeleted = (row) => done(`已刪除「${nameOfRow(row)}」的整個清單`,
    () => act("customer/restoreManualTask", { adminUserId: row.adminUserId }, `已恢復「${nameOfRow(row)}」的清單`));
  const set = (k) => (e) => setDraft((d) => ({ ...d, [k]: e.currentTarget.value }));
  const title = !account ? "清單" : account.adminUserId === me.adminUserId ? "我的清單" : `${account.realName || account.loginName} 的清單`;

  return html`<section class="lists">
    <h1>撥號清單</h1>
    <${Notice} notice=${notice?.text} undo=${notice?.undo && (() => { const u = notice.undo; setNotice(null); u(); })} />
    ${me.isMain && html`<${Assignees} me=${me} params=${params} changes=${changes}
      onPick=${(id) => navigate(href({ ...params, adminUserId: id, pageNo: "" }))} onDeleted=${listDeleted} />`}
    <section aria-label="清單條目">
      <h2>${title}</h2>
      <form class="filters" aria-label="條目篩選" onSubmit=${(e) => { e.preventDefault(); navigate(href({ ...draft, adminUserId: params.adminUserId, pageNo: "" })); }}>
        ${me.isMain && html`<label>賬號<select name="adminUserId" value=${assignee} onChange=${(e) => navigate(href({ ...params, adminUserId: e.currentTarget.value, pageNo: "" }))}>
          ${me.accounts.map((a) => html`<option value=${String(a.adminUserId)}>${a.realName || a.loginName}</option>`)}
        </select></label>`}
        <label>公司<input name="company" value=${draft.company} onInput=${set("company")} /></label>
        <label>聯系人<input name="customerName" value=${draft.customerName} onInput=${set("customerName")} /></label>
        <label>微信號<input name="userName" value=${draft.userName} onInput=${set("userName")} /></label>
        <label>撥打狀態<select name="dialStatus" value=${draft.dialStatus} onChange=${set("dialStatus")}>
          <option value="">全部</option>${Object.entries(DIAL).map(([v, l]) => html`<option value=${v}>${l}</option>`)}</select></label>
        <label>添加狀態<select name="addStatus" value=${draft.addStatus} onChange=${set("addStatus")}>
          <option value="">全部</option>${Object.entries(ADD).map(([v, l]) => html`<option value=${v}>${l}</option>`)}</select></label>
        <div class="actions"><button type="submit" class="primary">查詢</button></div>
      </form>
      <${Notice} error=${error || entries.error || (!account && "無法查看此賬號的清單：它不是你可以查看的賬號")} />
      <div class="list-head"><span class="count">${result ? `共 ${result.count} 條` : ""}</span></div>
      <div class="table-wrap"><table aria-label="清單條目">
        <thead><tr><th>序號</th><th>客戶姓名</th><th>聯系方式</th><th>公司</th><th>所在地區</th><th>撥打狀態</th><th>添加狀態</th><th>創建時間</th><th>操作</th></tr></thead>
        <tbody>
          ${(result?.data || []).map((e) => html`<tr key=${e.customerId} data-id=${e.customerId}>
            <td>${e.orderNum}</td><td class="name">${e.customerName}</td><td class="phone">${e.customerPhone}</td>
            <td>${e.company}</td><td>${e.phoneGeo}</td><td>${DIAL[e.dialStatus] ?? e.dialStatus}</td>
            <td>${ADD[e.addStatus] ?? e.addStatus}</td><td class="time">${fmtTime(e.createTime)}</td>
            <td class="ops"><button type="button" onClick=${() => setDialing(e)}>撥號並加好友</button>
              <button type="button" class="danger" onClick=${() => removeEntry(e)}>刪除</button></td>
          </tr>`)}
          ${result && result.data.length === 0 && html`<tr><td colspan="9" class="empty">沒有條目</td></tr>`}
        </tbody>
      </table></div>
      ${result && html`<${Pager} pageNo=${pageNo} limit=${limit} count=${result.count}
        onPage=${(n) => navigate(href({ ...params, pageNo: String(n) }))} onLimit=${(l) => navigate(href({ ...params, limit: String(l), pageNo: "" }))} />`}
    </section>
    <${EntryForm} onAdded=${(text) => done(text)} />
    ${dialing && html`<${DialDialog} entry=${dialing} me=${me} onCancel=${() => setDialing(null)}
      onDone=${(text) => { setDialing(null); done(text); }} />`}
  </section>`;
}
