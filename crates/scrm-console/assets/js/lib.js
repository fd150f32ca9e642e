// The view library: Preact 11 with hooks, and htm's tagged templates bound to Preact's `h`.
// Values interpolated into `html` are always children or attribute values, never markup:
// Preact renders a string as a text node, so an API value like `<img onerror=..>` shows
// as those characters. Nothing in the console uses dangerouslySetInnerHTML.
import { h, render, Fragment } from "../vendor/preact.mjs";
import htm from "../vendor/htm.mjs";

export { render, Fragment };
export {
  useState,
  useEffect,
  useLayoutEffect,
  useRef,
  useCallback,
  useMemo,
} from "../vendor/hooks.mjs";
export const html = htm.bind(h);
