// Client-side routes in the URL's path and query (the server answers every console path
// with the page): a link reopens the same view, and Back/Forward work.
import { useEffect, useState } from "./lib.js";
import { query } from "./api.js";

/** The page sizes a list offers. */
export const PAGE_SIZES = [10, 20, 50, 100];

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

/** A screen's href: `path` with the non-empty `params` as its query; page 1 and the
 * screen's default page size (`defaultLimit`) are left out, so a plain view has a plain URL. */
export function hrefOf(path, params = {}, defaultLimit = 10) {
  const { pageNo, limit, ...rest } = params;
  const qs = query({
    ...rest,
    pageNo: Number(pageNo) > 1 ? pageNo : "",
    limit: PAGE_SIZES.includes(Number(limit)) && Number(limit) !== defaultLimit ? limit : "",
  });
  return qs ? `${path}?${qs}` : path;
}

/** The page number and page size in a route's query (a size not offered is `defaultLimit`). */
export function pagingOf(q, defaultLimit = 10) {
  const limit = Number(q.get("limit"));
  return {
    pageNo: Math.max(1, parseInt(q.get("pageNo"), 10) || 1),
    limit: PAGE_SIZES.includes(limit) ? limit : defaultLimit,
  };
}
