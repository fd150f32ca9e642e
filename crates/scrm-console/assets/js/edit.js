// The side panel that edits a customer (name, phone, WeChat nickname, remarks, tags,
// xfield1-10) through updateCustomer, sending only what changed; a 400 that names a field
// shows its message beside that field. Below, the contact's personal form of address
// (batchSaveNickName).
import { html, useLayoutEffect, useRef, useState } from "./lib.js";
import * as api from "./api.js";
import { Chips, Field } from "./ui.js";

const XFIELDS = Array.from({ length: 10 }, (_, i) => `xfield${i + 1}`);
const TEXT = ["customerName", "customerPhone", "nickName", "remarks", ...XFIELDS];
const LABELS = {
  customerName: "客戶名",
  customerPhone: "手機號",
  nickName: "微信昵稱",
  remarks: "客戶備註",
};

function formOf(c) {
  const f = { tags: c.tags ? String(c.tags).split(",").filter(Boolean) : [] };
  for (const k of TEXT) f[k] = c[k] ?? "";
  return f;
}

export function EditPanel({ customer, me, onClose, onSaved }) {
  const original = formOf(customer);
  const [form, setForm] = useState(original);
  const [errors, setErrors] = useState({});
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);
  const [nick, setNick] = useState({ custName: customer.customerName || "", nickName: customer.customerNickName || "" });
  const [nickMsg, setNickMsg] = useState("");
  const [nickErr, setNickErr] = useState("");
  const first = useRef(null);

  // The first field takes the focus as the panel opens, before it is painted (an effect
  // after the paint took it from a field already clicked into and typed in: the text went
  // to the name), and only when the focus is not in the panel already.
  useLayoutEffect(() => {
    const panel = first.current?.closest("aside");
    if (!panel?.contains(document.activeElement)) first.current?.querySelector("input")?.focus();
  }, []);

  const set = (k) => (v) => {
    setForm((f) => ({ ...f, [k]: v }));
    setErrors((e) => ({ ...e, [k]: "" }));
  };
  const toggle = (id) => set("tags")(form.tags.includes(id) ? form.tags.filter((t) => t !== id) : [...form.tags, id]);

  const save = async (e) => {
    e.preventDefault();
    const body = { customerId: customer.customerId, wechatContactId: customer.wechatContactId };
    for (const k of TEXT) if (form[k] !== original[k]) body[k] = form[k];
    if (form.tags.join(",") !== original.tags.join(",")) body.tags = form.tags.join(",");
    if (Object.keys(body).length === 2) {
      onClose();
      return;
    }
    setBusy(true);
    setError("");
    setErrors({});
    try {
      await api.post("customer/updateCustomer", body);
      onSaved(`已保存「${form.customerName || customer.customerId}」`);
      onClose();
    } catch (err) {
      const field = [...TEXT, "tags"].includes(err.param) ? err.param : null;
      if (field && err.status === 400) setErrors({ [field]: err.reason });
      else setError(err.message);
    } finally {
      setBusy(false);
    }
  };

  const saveNick = async (e) => {
    e.preventDefault();
    setNickMsg("");
    setNickErr("");
    try {
      const res = await api.post("customer/batchSaveNickName", {
        nickNames: [{ wechatContactId: customer.wechatContactId, ...nick }],
      });
      setNickMsg(res.msg);
      onSaved(`已保存「${customer.customerName || customer.customerId}」的個性稱呼`);
    } catch (err) {
      setNickErr(err.message);
    }
  };

  return html`<aside class="panel" role="dialog" aria-label="編輯客戶">
    <header><h2>編輯客戶</h2><button type="button" class="close" aria-label="關閉" onClick=${onClose}>×</button></header>
    <form onSubmit=${save} aria-label="客戶資料">
      <div ref=${first}>
        <${Field} label=${LABELS.customerName} name="customerName" value=${form.customerName} onInput=${set("customerName")} error=${errors.customerName} />
      </div>
      <${Field} label=${LABELS.customerPhone} name="customerPhone" inputmode="tel" value=${form.customerPhone} onInput=${set("customerPhone")} error=${errors.customerPhone} />
      <${Field} label=${LABELS.nickName} name="nickName" value=${form.nickName} onInput=${set("nickName")} error=${errors.nickName} />
      <${Field} label=${LABELS.remarks} name="remarks" value=${form.remarks} onInput=${set("remarks")} error=${errors.remarks} />
      <div class=${`field${errors.tags ? " invalid" : ""}`}>
        <span class="label">標籤</span>
        <${Chips} tags=${me.tags} picked=${form.tags} onToggle=${toggle} label="客戶標籤" />
        ${errors.tags && html`<span class="field-error" role="alert">${errors.tags}</span>`}
      </div>
      <details class="xfields">
        <summary>自定義字段</summary>
        ${XFIELDS.map((k, i) => html`<${Field} label=${`自定義字段${i + 1}`} name=${k} value=${form[k]} onInput=${set(k)} error=${errors[k]} />`)}
      </details>
      ${error && html`<p class="error" role="alert">${error}</p>`}
      <div class="actions">
        <button type="button" onClick=${onClose}>取消</button>
        <button type="submit" class="primary" disabled=${busy}>保存</button>
      </div>
    </form>
    <form class="nick" onSubmit=${saveNick} aria-label="個性稱呼">
      <h3>個性稱呼</h3>
      <${Field} label="客戶稱呼" name="custName" value=${nick.custName} onInput=${(v) => setNick((n) => ({ ...n, custName: v }))} />
      <${Field} label="個性稱呼" name="personalNickName" value=${nick.nickName} onInput=${(v) => setNick((n) => ({ ...n, nickName: v }))} />
      ${nickErr && html`<p class="error" role="alert">${nickErr}</p>`}
      ${nickMsg && html`<p class="notice" role="status">${nickMsg}</p>`}
      <div class="actions"><button type="submit">保存個性稱呼</button></div>
    </form>
  </aside>`;
}
