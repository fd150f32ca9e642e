// The recycle bin: deleted customer profiles of the scope, most recently deleted first,
// each with a restore button. Page and page size live in the URL.
import { html, useState } from "./lib.js";
import * as api from "./api.js";
import { hrefOf, navigate, pagingOf } from "./router.js";
import { Notice, Pager, fmtTime, useLoad } from "./ui.js";

export function RecycleBin({ route }) {
  const { pageNo, limit } = pagingOf(route.query);
  const page = useLoad(() => api.get("customer/recycleBin", { pageNo, limit }), [pageNo, limit]);
  const result = page.data;
  const [error, setError] = useState("");
  const [notice, setNotice] = useState("");

  const go = (n, l = limit) => navigate(hrefOf("/recycle", { pageNo: n, limit: l }));
  const restore = async (row) => {
    setError("");
    try {
      await api.post("customer/restore", { customerId: row.customerId });
      setNotice(`已恢復「${row.customerName || row.customerId}」`);
      page.reload();
    } catch (e) {
      setError(e.message);
    }
  };

  const rows = result?.data || [];
  return html`<section class="recycle">
    <h1>回收站</h1>
    <${Notice} error=${error || page.error} notice=${notice} />
    <div class="list-head"><span class="count">${result ? `共 ${result.count} 條` : ""}</span></div>
    <div class="table-wrap">
      <table aria-label="回收站">
        <thead><tr><th>客戶名</th><th>手機號</th><th>微信昵稱 / 備註名</th><th>刪除時間</th><th>操作</th></tr></thead>
        <tbody>
          ${rows.map((row) => html`<tr key=${row.customerId} data-id=${row.customerId}>
            <td class="name">${row.customerName}</td>
            <td class="phone">${row.customerPhone}</td>
            <td>${row.contactNickName}${row.remarkName && html`<small class="sub">${row.remarkName}</small>`}</td>
            <td class="time">${fmtTime(row.deletedTime)}</td>
            <td class="ops"><button type="button" onClick=${() => restore(row)}>恢復</button></td>
          </tr>`)}
          ${result && rows.length === 0 && html`<tr><td colspan="5" class="empty">回收站是空的</td></tr>`}
        </tbody>
      </table>
    </div>
    ${result && html`<${Pager} pageNo=${pageNo} limit=${limit} count=${result.count} onPage=${(n) => go(n)} onLimit=${(l) => go(1, l)} />`}
  </section>`;
}
