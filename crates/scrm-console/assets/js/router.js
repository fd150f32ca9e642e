// Client-side routes in the URL's path and query (the server answers every console path
// with the page): a link reopens the same view, and Back/Forward work.
import { useEffect, useState } from "./lib.js";

const listeners = new Set();

function notify() {
  for (const l of listeners) l(location.pathname + location.search);
}

window.addEventListener("popstate", notify);

/** Goes to `href` (path and query); `replace` keeps the history entry. */
export function navigate(href, { replace = false } = {}) {
  if (href === location.pathname + location.search) return;
  if (replace) history.replaceState(null, "", href);
  else history.pushState(null, "", href);
  notify();
}

/** The current path and query, re-rendering on every change. */
export function useRoute() {
  const [href, setHref] = useState(location.pathname + location.search);
  useEffect(() => {
    listeners.add(setHref);
    return () => listeners.delete(setHref);
  }, []);
  const u = new URL(href, location.origin);
  return { path: u.pathname, query: u.searchParams };
}

/** A link that navigates without reloading the page. */
export function onLink(event) {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
  const a = event.currentTarget;
  event.preventDefault();
  navigate(a.getAttribute("href"));
}
