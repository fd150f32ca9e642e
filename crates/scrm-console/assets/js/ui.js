// Shared pieces of the screens: loading from the API, time formatting, the pager, tag
// chips, notices, the confirmation dialog and a form field that shows its own error.
import { html, useEffect, useRef, useState } from "./lib.js";
import { PAGE_SIZES } from "./router.js";

/**
 * Runs `load()` (a promise of the data) on mount, whenever a value in `deps` changes and on
 * `reload()`. `data` keeps the last answer while the next one loads; the answer of a run
 * that a newer run superseded is dropped, so a slow answer never overwrites a newer one.
 * `error` is the message of the last run's failure ("" once a run succeeds).
 */
export function useLoad(load, deps) {
  const [state, setState] = useState({ data: null, error: "", loading: false });
  const [runs, setRuns] = useState(0);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, error: "", loading: true }));
    load()
      .then((data) => live && setState({ data, error: "", loading: false }))
      .catch((e) => live && setState((s) => ({ ...s, error: e.message, loading: false })));
    return () => {
      live = false;
    };
  }, [...deps, runs]);
  return { ...state, reload: () => setRuns((n) => n + 1) };
}

/**
 * A form's draft of the filters a URL applies: `initial` (the URL's values) until the person
 * edits it, and the URL's values again as soon as `key` (the URL's query) changes, in that
 * same render. (A reset in an effect ran after the paint: an edit made between the new URL
 * and the effect, as a quick hand or a browser test makes it, was thrown away.)
 */
export function useDraft(key, initial) {
  const [state, setState] = useState({ key, values: initial });
  const draft = state.key === key ? state.values : initial;
  const setDraft = (update) =>
    setState((s) => {
      const base = s.key === key ? s.values : initial;
      return { key, values: typeof update === "function" ? update(base) : update };
    });
  return [draft, setDraft];
}

const pad = (n) => String(n).padStart(2, "0");

/** Epoch ms or a wire string as `yyyy-MM-dd HH:mm` (local time of the browser). */
export function fmtTime(value) {
  if (value === null || value === undefined || value === "") return "";
  if (typeof value === "string") return value.slice(0, 16);
  const d = new Date(value);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Page size choice, previous/next and a page jump; `onPage(no)`, `onLimit(limit)`. */
export function Pager({ pageNo, limit, count, onPage, onLimit }) {
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
        ${PAGE_SIZES.map((s) => html`<option value=${s}>${s}</option>`)}
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

/**
 * An error (role alert) or a notice (role status), with an optional 恢復 button (`undo`);
 * nothing when empty. A new message scrolls into view: the action that caused it may be far
 * down the page (the form below a long list).
 */
export function Notice({ error, notice, undo }) {
  const at = useRef(null);
  useEffect(() => at.current?.scrollIntoView({ block: "nearest" }), [error, notice]);
  if (error) return html`<p class="error" role="alert" ref=${at}>${error}</p>`;
  if (notice) {
    return html`<p class="notice" role="status" ref=${at}>${notice}
      ${undo && html`<button type="button" onClick=${undo}>恢復</button>`}</p>`;
  }
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
