// Shared pieces of the screens: time formatting, the pager, tag chips, notices, the
// confirmation dialog and a form field that shows its own error.
import { html, useEffect, useRef } from "./lib.js";

const pad = (n) => String(n).padStart(2, "0");

/** Epoch ms or a wire string as `yyyy-MM-dd HH:mm` (local time of the browser). */
export function fmtTime(value) {
  if (value === null || value === undefined || value === "") return "";
  if (typeof value === "string") return value.slice(0, 16);
  const d = new Date(value);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export const PAGE_SIZES = [10, 20, 50, 100];

/** Page size choice, previous/next and a page jump; `onPage(no)`, `onLimit(limit)`. */
export function Pager({ pageNo, limit, count, onPage, onLimit, sizes = PAGE_SIZES }) {
  const pages = Math.max(1, Math.ceil(count / limit));
  const jump = useRef(null);
  const go = (e) => {
    e.preventDefault();
    const n = Math.min(pages, Math.max(1, parseInt(jump.current.value, 10) || 1));
    onPage(n);
  };
  return html`<nav class="pager" aria-label="分頁">
    <span class="count">共 ${count} 條</span>
    <label>每頁
      <select aria-label="每頁條數" value=${limit} onChange=${(e) => onLimit(Number(e.currentTarget.value))}>
        ${sizes.map((s) => html`<option value=${s}>${s}</option>`)}
      </select> 條</label>
    <button type="button" disabled=${pageNo <= 1} onClick=${() => onPage(pageNo - 1)}>上一頁</button>
    <span class="page-of">第 ${pageNo} / ${pages} 頁</span>
    <button type="button" disabled=${pageNo >= pages} onClick=${() => onPage(pageNo + 1)}>下一頁</button>
    <form class="jump" onSubmit=${go}>
      <input ref=${jump} type="number" min="1" max=${pages} aria-label="跳至頁碼" placeholder="頁碼" />
      <button type="submit">跳轉</button>
    </form>
  </nav>`;
}

/** Tag chips; with `onToggle` they are buttons that show whether each is picked. */
export function Chips({ tags, picked, onToggle, label = "標籤" }) {
  if (!onToggle) {
    return html`<span class="chips">${tags.map((t) => html`<span class="chip">${t}</span>`)}</span>`;
  }
  return html`<div class="chips" role="group" aria-label=${label}>
    ${tags.map((t) => {
      const on = picked.includes(String(t.tagId));
      return html`<button type="button" class=${`chip pick${on ? " on" : ""}`} aria-pressed=${on ? "true" : "false"}
        onClick=${() => onToggle(String(t.tagId))}>${t.name ?? `#${t.tagId}`}</button>`;
    })}
  </div>`;
}

/** An error (role alert) or a notice (role status); nothing when empty. */
export function Notice({ error, notice, children }) {
  if (error) return html`<p class="error" role="alert">${error}</p>`;
  if (notice) return html`<p class="notice" role="status">${notice}${children}</p>`;
  return null;
}

/** A modal confirmation: Esc or 取消 cancels. */
export function Confirm({ text, okLabel = "確定", onOk, onCancel, busy }) {
  const ok = useRef(null);
  useEffect(() => {
    ok.current?.focus();
    const esc = (e) => e.key === "Escape" && onCancel();
    window.addEventListener("keydown", esc);
    return () => window.removeEventListener("keydown", esc);
  }, []);
  return html`<div class="modal-back">
    <div class="modal" role="dialog" aria-modal="true" aria-label="確認">
      <p>${text}</p>
      <div class="actions">
        <button type="button" onClick=${onCancel}>取消</button>
        <button type="button" class="danger" ref=${ok} disabled=${busy} onClick=${onOk}>${okLabel}</button>
      </div>
    </div>
  </div>`;
}

/** A labelled input whose error, when the server named this field, shows beside it. */
export function Field({ label, name, value, onInput, error, type = "text", ...rest }) {
  const id = `f-${name}`;
  return html`<div class=${`field${error ? " invalid" : ""}`}>
    <label for=${id}>${label}</label>
    <input id=${id} name=${name} type=${type} value=${value ?? ""} aria-invalid=${error ? "true" : "false"}
      aria-describedby=${error ? `${id}-err` : undefined}
      onInput=${(e) => onInput(e.currentTarget.value)} ...${rest} />
    ${error && html`<span class="field-error" id=${`${id}-err`} role="alert">${error}</span>`}
  </div>`;
}

/** The field a 400's message names (`customerPhone: ...`), or null. */
export function fieldOf(message, fields) {
  const m = /^([A-Za-z0-9_]+)\s*:/.exec(message || "");
  return m && fields.includes(m[1]) ? m[1] : null;
}
