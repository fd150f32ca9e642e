// The customer workbench (the start page): the search box, the filter panel with every
// customerPage filter (the box sends `q`: names, pinyin, initials, phone digits; the tag
// chips combine by `tagMode`), the exact count, the table newest first with its star toggle, paging,
// the edit panel, delete into the recycle bin and the export of exactly the current
// filters. Filters, page and page size live in the URL. Keys: `/` search, `j`/`k` move,
// Enter opens, Esc closes.
import { html, useEffect, useRef, useState } from "./lib.js";
import * as api from "./api.js";
import { hrefOf, navigate, pagingOf } from "./router.js";
import { Chips, Confirm, Notice, Pager, fmtTime, useDraft, useLoad } from "./ui.js";
import { EditPanel } from "./edit.js";

/** The customerPage filters the URL carries (besides pageNo and limit). */
const FILTERS = [
  "q",
  "customerName",
  "customerPhone",
  "tagIds",
  "tagMode",
  "beginTime",
  "endTime",
  "remarks",
  "remarkName",
  "wechatUserId",
];

function filtersOf(query) {
  const f = {};
  for (const k of FILTERS) f[k] = query.get(k) || "";
  return f;
}

function tagList(value) {
  return value ? value.split(",").filter(Boolean) : [];
}

function typing(target) {
  return target && (/^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName) || target.isContentEditable);
}

export function Workbench({ me, route }) {
  const key = route.query.toString();
  const applied = filtersOf(route.query);
  const { pageNo, limit } = pagingOf(route.query);

  const [draft, setDraft] = useDraft(key, applied);
  const [showFilters, setShowFilters] = useState(FILTERS.slice(1).some((k) => applied[k]));
  const page = useLoad(() => api.get("customer/customerPage", { ...applied, pageNo, limit }), [key]);
  const result = page.data;
  // The error of an action (star, delete, export); the page's own is page.error.
  const [error, setError] = useState("");
  const [notice, setNotice] = useState("");
  const [selected, setSelected] = useState(0);
  // The selected row, also as a ref: keys pressed faster than renders move from the last key.
  const selectedRef = useRef(0);
  const select = (i) => {
    selectedRef.current = i;
    setSelected(i);
  };
  const [editing, setEditing] = useState(null);
  const [deleting, setDeleting] = useState(null);
  const [exporting, setExporting] = useState("");
  const search = useRef(null);

  // A new URL (a search, Back, a link) is the truth: the form shows what is applied
  // (`useDraft`).

  // A new page keeps the selection on a row it has.
  useEffect(() => {
    if (result) select(Math.min(selectedRef.current, Math.max(0, result.data.length - 1)));
  }, [result]);

  const rows = result?.data || [];
  const apply = (filters, no = 1, size = limit) => {
    setNotice("");
    setError("");
    navigate(hrefOf("/", { ...filters, pageNo: no, limit: size }));
  };
  const refresh = page.reload;

  // The key handler is registered once and reads the state of the last render, so a key
  // pressed right after a render never meets a stale handler.
  const current = useRef({});
  current.current = { rows, editing, deleting };
  useEffect(() => {
    const onKey = (e) => {
      const { rows: list, editing: open, deleting: confirming } = current.current;
      const at = selectedRef.current;
      if (confirming) return;
      if (e.key === "Escape") {
        if (open) setEditing(null);
        else if (e.target === search.current) search.current.blur();
        return;
      }
      if (typing(e.target) || e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.key === "/") {
        e.preventDefault();
        search.current?.focus();
      } else if (open) {
        /* j, k and Enter belong to the panel while it is open */
      } else if (e.key === "j") {
        select(Math.max(0, Math.min(list.length - 1, at + 1)));
      } else if (e.key === "k") {
        select(Math.max(0, at - 1));
      } else if (e.key === "Enter" && list[at] && e.target.tagName !== "BUTTON" && e.target.tagName !== "A") {
        e.preventDefault();
        setEditing(list[at]);
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  useEffect(() => {
    document.querySelector("tr.selected")?.scrollIntoView({ block: "nearest" });
  }, [selected]);

  const set = (k) => (v) => setDraft((d) => ({ ...d, [k]: v }));
  const toggleTag = (id) => {
    const tags = tagList(draft.tagIds);
    const next = tags.includes(id) ? tags.filter((t) => t !== id) : [...tags, id];
    apply({ ...draft, tagIds: next.join(",") });
  };

  const star = async (row) => {
    setError("");
    try {
      await api.post("customer/updateCustomer", { customerId: row.customerId, isStar: row.isStar ? 0 : 1 });
      refresh();
    } catch (e) {
      setError(e.message);
    }
  };

  const remove = async () => {
    const row = deleting;
    try {
      await api.post("customer/delete", { customerId: row.customerId });
      setDeleting(null);
      setNotice(`已將「${row.customerName || row.customerId}」移至回收站`);
      refresh();
    } catch (e) {
      setDeleting(null);
      setError(e.message);
    }
  };

  const exportCsv = async () => {
    setExporting("preparing");
    setError("");
    try {
      const { blob, filename } = await api.download("customer/downLoad", applied, setExporting);
      const a = document.createElement("a");
      a.href = URL.createObjectURL(blob);
      a.download = filename;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(a.href), 60000);
      setExporting("");
      setNotice(`已導出 ${filename}`);
    } catch (e) {
      setExporting("");
      setError(e.message);
    }
  };

  const wechat = me.wechatUsers;
  return html`<section class="workbench">
    <form class="searchbar" role="search" onSubmit=${(e) => { e.preventDefault(); apply(draft); }}>
      <input ref=${search} type="search" name="q" aria-label="搜索客戶" maxlength="100"
        placeholder="姓名、拼音、首字母或手機號" title="姓名、拼音、首字母或手機號，空格分隔的詞都要符合（按 / 聚焦）" value=${draft.q}
        onInput=${(e) => set("q")(e.currentTarget.value)} />
      <button type="submit" class="primary">搜索</button>
      <button type="button" aria-expanded=${showFilters ? "true" : "false"} onClick=${() => setShowFilters(!showFilters)}>篩選</button>
      <button type="button" class="export" onClick=${exportCsv} disabled=${Boolean(exporting)}>
        ${exporting === "preparing" ? "準備中…" : exporting === "downloading" ? "下載中…" : "導出 CSV"}
      </button>
    </form>
    ${showFilters && html`<form class="filters" aria-label="篩選條件" onSubmit=${(e) => { e.preventDefault(); apply(draft); }}>
      <label>手機號<input name="customerPhone" inputmode="tel" value=${draft.customerPhone} onInput=${(e) => set("customerPhone")(e.currentTarget.value)} /></label>
      <label>備註<input name="remarks" value=${draft.remarks} onInput=${(e) => set("remarks")(e.currentTarget.value)} /></label>
      <label>備註名<input name="remarkName" value=${draft.remarkName} onInput=${(e) => set("remarkName")(e.currentTarget.value)} /></label>
      <label>創建時間從<input type="date" name="beginTime" value=${draft.beginTime} onInput=${(e) => set("beginTime")(e.currentTarget.value)} /></label>
      <label>至<input type="date" name="endTime" value=${draft.endTime} onInput=${(e) => set("endTime")(e.currentTarget.value)} /></label>
      ${wechat.length > 1 && html`<label>微信號<select name="wechatUserId" value=${draft.wechatUserId} onChange=${(e) => set("wechatUserId")(e.currentTarget.value)}>
        <option value="">全部</option>
        ${wechat.map((w) => html`<option value=${String(w.wechatUserId)}>${w.nickName || w.userName || w.wechatUserId}</option>`)}
      </select></label>`}
      <div class="tag-filter"><label>標籤<select name="tagMode" aria-label="標籤條件" value=${draft.tagMode || "any"}
          onChange=${(e) => apply({ ...draft, tagMode: e.currentTarget.value === "any" ? "" : e.currentTarget.value })}>
          <option value="any">任一</option>
          <option value="all">全部</option>
          <option value="none">都沒有</option>
        </select></label>
        <${Chips} tags=${me.tags} picked=${tagList(draft.tagIds)} onToggle=${toggleTag} label="標籤篩選" />
      </div>
      <div class="actions">
        <button type="submit" class="primary">查詢</button>
        <button type="button" onClick=${() => apply({})}>清除條件</button>
      </div>
    </form>`}
    <${Notice} error=${error || page.error} notice=${notice} />
    <div class="list-head">
      <span class="count" aria-live="polite">${result ? `共 ${result.count} 條` : ""}</span>
      ${page.loading && html`<span class="loading-dot">載入中…</span>`}
    </div>
    <div class="table-wrap">
      <table class="customers" aria-label="客戶列表">
        <thead><tr>
          <th>客戶名</th><th>手機號</th><th>微信昵稱 / 備註名</th><th>標籤</th><th>星標</th>
          <th>創建時間</th><th>最後更新</th><th>操作</th>
        </tr></thead>
        <tbody>
          ${rows.map((row, i) => html`<tr key=${row.customerId} class=${i === selected ? "selected" : ""}
              aria-selected=${i === selected ? "true" : "false"} data-id=${row.customerId} onClick=${() => select(i)}>
            <td class="name">${row.customerName}${row.customerNickName && html`<small class="sub">稱呼：${row.customerNickName}</small>`}</td>
            <td class="phone">${row.customerPhone}</td>
            <td>${row.contactNickName}${row.remarkName && html`<small class="sub">${row.remarkName}</small>`}</td>
            <td><${Chips} tags=${row.tagNames || []} /></td>
            <td><button type="button" class=${`star${row.isStar ? " on" : ""}`} aria-pressed=${row.isStar ? "true" : "false"}
              aria-label=${row.isStar ? "取消星標" : "加星標"} title=${row.isStar ? "取消星標" : "加星標"}
              onClick=${(e) => { e.stopPropagation(); star(row); }}>${row.isStar ? "★" : "☆"}</button></td>
            <td class="time">${fmtTime(row.createTime)}</td>
            <td class="time">${fmtTime(row.lastUpdateTime)}</td>
            <td class="ops">
              <button type="button" onClick=${(e) => { e.stopPropagation(); select(i); setEditing(row); }}>編輯</button>
              <button type="button" class="danger" onClick=${(e) => { e.stopPropagation(); setDeleting(row); }}>刪除</button>
            </td>
          </tr>`)}
          ${result && rows.length === 0 && html`<tr><td colspan="8" class="empty">沒有符合條件的客戶</td></tr>`}
        </tbody>
      </table>
    </div>
    ${result && html`<${Pager} pageNo=${pageNo} limit=${limit} count=${result.count}
      onPage=${(n) => apply(applied, n, limit)} onLimit=${(l) => apply(applied, 1, l)} />`}
    ${editing && html`<${EditPanel} key=${editing.customerId} customer=${editing} me=${me}
      onClose=${() => setEditing(null)}
      onSaved=${(msg) => { setNotice(msg); refresh(); }} />`}
    ${deleting && html`<${Confirm} text=${`確定刪除客戶「${deleting.customerName || deleting.customerId}」？刪除後可在回收站恢復。`}
      okLabel="刪除" onOk=${remove} onCancel=${() => setDeleting(null)} />`}
  </section>`;
}
