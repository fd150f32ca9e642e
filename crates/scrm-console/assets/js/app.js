// The shell: the login when there is no session, else who is logged in (always visible),
// the navigation and the screen of the current path.
import { html, useEffect, useState } from "./lib.js";
import * as api from "./api.js";
import { onLink, useRoute } from "./router.js";
import { Notice } from "./ui.js";
import { Login } from "./login.js";
import { Workbench } from "./workbench.js";
import { RecycleBin } from "./recycle.js";
import { CallScreen } from "./call.js";
import { CallLists } from "./lists.js";
import { Chat } from "./chat.js";

const NAV = [
  ["/", "客戶"],
  ["/recycle", "回收站"],
  ["/call", "來電"],
  ["/lists", "撥號清單"],
  ["/chat", "聊天記錄"],
];

export function App() {
  const [session, setSession] = useState(Boolean(api.token()));
  const [message, setMessage] = useState("");
  const [me, setMe] = useState(null);
  const [error, setError] = useState("");
  const route = useRoute();

  useEffect(() => {
    api.whenUnauthorized((msg) => {
      setMe(null);
      setSession(false);
      setMessage(msg);
    });
  }, []);

  const loadMe = async () => {
    setError("");
    try {
      setMe((await api.get("account/me")).data);
    } catch (e) {
      if (e.status !== 401) setError(e.message);
    }
  };
  useEffect(() => {
    if (session) loadMe();
  }, [session]);

  const logout = async () => {
    try {
      await api.post("logout");
    } catch {
      /* the session ends here whatever the server says */
    }
    api.setToken(null);
    setMe(null);
    setSession(false);
    setMessage("已登出");
  };

  if (!session) {
    return html`<${Login} message=${message} onLogin=${() => { setMessage(""); setSession(true); }} />`;
  }
  if (!me) {
    return html`<main class="loading">
      <${Notice} error=${error} />
      ${error ? html`<button type="button" onClick=${loadMe}>重試</button>` : html`<p>載入中…</p>`}
    </main>`;
  }
  const screen = {
    "/": Workbench,
    "/recycle": RecycleBin,
    "/call": CallScreen,
    "/lists": CallLists,
    "/chat": Chat,
  }[route.path] || NotFound;
  return html`<div class="shell">
    <header class="top">
      <a class="brand" href="/" onClick=${onLink}>scrm 客戶工作台</a>
      <div class="who" aria-label="當前登錄">
        <span class="who-name">${me.realName || me.loginName}</span>
        <span class="who-login">（${me.loginName}）</span>
        <span class=${`badge ${me.isMain ? "main" : "sub"}`}>${me.isMain ? "主賬號" : "子賬號"}</span>
        <span class="who-tenant">租戶：${me.tenant.realName || me.tenant.loginName}（${me.tenant.loginName}）</span>
      </div>
      <button type="button" class="logout" onClick=${logout}>登出</button>
    </header>
    <nav class="tabs" aria-label="功能">
      ${NAV.map(([href, label]) => html`<a href=${href} onClick=${onLink}
        aria-current=${route.path === href ? "page" : undefined}>${label}</a>`)}
    </nav>
    <main class="screen"><${screen} me=${me} route=${route} /></main>
  </div>`;
}

function NotFound() {
  return html`<section><h1>找不到此頁面</h1><p><a href="/" onClick=${onLink}>返回客戶工作台</a></p></section>`;
}
