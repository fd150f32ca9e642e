// The form that adds an entry to the caller's own call list (addManualTask). The server's
// 400 text (the spec's, e.g. 客戶姓名不能為空) is shown as it comes.
import { html, useState } from "./lib.js";
import * as api from "./api.js";
import { Field } from "./ui.js";

const FIELDS = [
  ["customerName", "客戶姓名"],
  ["customerPhone", "聯系方式"],
  ["phoneGeo", "所在地區"],
  ["company", "公司"],
  ["address", "地址"],
  ["nickName", "客戶昵稱"],
  ["userName", "微信號"],
  ["remarks", "備註"],
];

export function EntryForm({ phone = "", onAdded, title = "加入我的撥號清單" }) {
  const [form, setForm] = useState({ customerPhone: phone });
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);

  const submit = async (e) => {
    e.preventDefault();
    setError("");
    setBusy(true);
    try {
      await api.post("customer/addManualTask", form);
      setForm({ customerPhone: "" });
      onAdded(`已加入撥號清單：${form.customerName || ""} ${form.customerPhone || ""}`.trim());
    } catch (err) {
      setError(err.message);
    } finally {
      setBusy(false);
    }
  };

  return html`<form class="entry-form" onSubmit=${submit} aria-label=${title}>
    <h3>${title}</h3>
    <div class="grid">
      ${FIELDS.map(([name, label]) => html`<${Field} key=${name} label=${label} name=${`entry-${name}`}
        value=${form[name]} onInput=${(v) => setForm((f) => ({ ...f, [name]: v }))} />`)}
    </div>
    ${error && html`<p class="error" role="alert">${error}</p>`}
    <div class="actions"><button type="submit" class="primary" disabled=${busy}>加入清單</button></div>
  </form>`;
}
