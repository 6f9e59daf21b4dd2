"use client";

import { useSyncExternalStore } from "react";

const never = () => () => {};

/**
 * Renders `children` only in the browser, once the page around it is interactive; the server's
 * HTML (and the first render that hydrates it) has `fallback`. For controls whose code loads after
 * the page (React's lazy): rendered on the server they would show before their code arrived, and
 * what someone typed into them meanwhile would be lost.
 */
export function AfterHydration({ children, fallback }: { children: React.ReactNode; fallback: React.ReactNode }) {
  const hydrated = useSyncExternalStore(never, () => true, () => false);
  return hydrated ? children : fallback;
}
