// The login: login name and password; a wrong password and the 429 of too many tries (with
// the wait, counted down) are shown next to the form.
import { html, useEffect, useState } from "./lib.js";
import * as api from "./api.js";

export function Login({ message, onLogin }) {
  const [loginName, setLoginName] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState("");
  const [wait, setWait] = useState(0);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (wait <= 0) return undefined;
    const t = setTimeout(() => setWait(wait - 1), 1000);
    return () => clearTimeout(t);
  }, [wait]);

  const submit = async (e) => {
    e.preventDefault();
    setError("");
    setBusy(true);
    try {
      const res = await api.post("login", { loginName, password }, { auth: false });
      api.setToken(res.data.token);
      onLogin();
    } catch (err) {
      setError(err.message);
      if (err.status === 429 && err.retryAfter) setWait(err.retryAfter);
    } finally {
      setBusy(false);
    }
  };

  return html`<main class="login">
    <form class="login-box" onSubmit=${submit} aria-label="登錄">
      <h1>scrm 客戶工作台</h1>
      ${message && html`<p class="notice" role="status">${message}</p>`}
      <label for="login-name">登錄名</label>
      <input id="login-name" name="loginName" autocomplete="username" required value=${loginName}
        onInput=${(e) => setLoginName(e.currentTarget.value)} />
      <label for="login-password">密碼</label>
      <input id="login-password" name="password" type="password" autocomplete="current-password" required
        value=${password} onInput=${(e) => setPassword(e.currentTarget.value)} />
      ${error && html`<p class="error" role="alert">${error}${wait > 0 ? html`<span class="wait">（請 ${wait} 秒後再試）</span>` : ""}</p>`}
      <button type="submit" class="primary" disabled=${busy || wait > 0}>登錄</button>
    </form>
  </main>`;
}
