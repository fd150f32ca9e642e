// The API client: every call goes to the public /wechat_api endpoints with the session's
// Bearer token, kept in sessionStorage only (never in a URL, a cookie or a log). Errors come
// back as ApiError with the status and the server's message (a 400's in Chinese, with the
// parameter it names: messages.js); a 401 anywhere but the login
// ends the session and tells the app (which shows the login with a message).

import { readMessage } from "./messages.js";

const TOKEN_KEY = "scrm.token";
export const UNAVAILABLE = "服務暫時不可用，請稍後再試";
export const EXPIRED = "登錄已過期，請重新登錄";

let onUnauthorized = () => {};

/** Registers what happens on a 401: the app returns to the login. */
export function whenUnauthorized(handler) {
  onUnauthorized = handler;
}

export function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function setToken(value) {
  if (value) sessionStorage.setItem(TOKEN_KEY, value);
  else sessionStorage.removeItem(TOKEN_KEY);
}

export class ApiError extends Error {
  /** `message` is for a person; a 400's also names its `param` and the `reason` alone. */
  constructor(status, message, retryAfter, { param = null, reason = message } = {}) {
    super(message);
    this.status = status;
    this.retryAfter = retryAfter;
    this.param = param;
    this.reason = reason;
  }
}

/** A query string of the given values, leaving out empty ones. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) {
    if (v === undefined || v === null || v === "") continue;
    q.set(k, Array.isArray(v) ? v.join(",") : String(v));
  }
  return q.toString();
}

function url(path, params) {
  const qs = query(params);
  return `/wechat_api/${path}${qs ? `?${qs}` : ""}`;
}

async function send(method, path, { params, body, auth = true } = {}) {
  const headers = { Accept: "application/json" };
  if (auth && token()) headers.Authorization = `Bearer ${token()}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  let res;
  try {
    res = await fetch(url(path, params), {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "omit",
      cache: "no-store",
    });
  } catch {
    throw new ApiError(0, UNAVAILABLE);
  }
  if (res.ok) return res;
  let msg = "";
  try {
    msg = (await res.json()).msg || "";
  } catch {
    msg = "";
  }
  if (res.status === 401 && auth) {
    setToken(null);
    onUnauthorized(EXPIRED);
  }
  if (res.status === 503 || res.status === 502 || res.status === 504) msg = UNAVAILABLE;
  const retry = Number(res.headers.get("Retry-After"));
  const read = res.status === 400 ? readMessage(msg) : { param: null, reason: msg, text: msg };
  const text = read.text || `請求失敗 (${res.status})`;
  throw new ApiError(res.status, text, Number.isFinite(retry) ? retry : undefined, {
    param: read.param,
    reason: read.reason || text,
  });
}

/** GET a JSON endpoint; resolves with the whole envelope. */
export async function get(path, params) {
  return (await send("GET", path, { params })).json();
}

/** POST JSON to an endpoint; resolves with the whole envelope. */
export async function post(path, body, opts = {}) {
  return (await send("POST", path, { body: body || {}, ...opts })).json();
}

/** GET a file: resolves with { blob, filename } (the name from Content-Disposition). */
export async function download(path, params, onStage) {
  const res = await send("GET", path, { params });
  onStage?.("downloading");
  const blob = await res.blob();
  return { blob, filename: filename(res.headers.get("Content-Disposition")) };
}

/** The file name of a Content-Disposition header (RFC 6266: filename* wins). */
export function filename(header) {
  if (!header) return "download";
  const star = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(header);
  if (star) {
    try {
      return decodeURIComponent(star[1].trim());
    } catch {
      /* fall through to the plain name */
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/i.exec(header);
  return plain ? plain[1] : "download";
}
