import { useCallback, useEffect, useRef } from "react";
import { useBlocker } from "react-router";

/**
 * While `dirty`, ask before the work on the page is lost: closing or reloading the tab (the
 * browser's own prompt), following an in-app link, and the browser's back and forward buttons
 * (the data router's blocker; the `message`). Links are asked about in the capture phase, before
 * React Router's own click handler, so the question comes while the click is still being handled.
 * Returns `confirmLeave` for the page's own controls that replace the sheet (another course,
 * another day): a navigation they confirmed is not asked about twice.
 */
export function useLeaveWarning(dirty: boolean, message: string): () => boolean {
  // Set when the person has just said "leave" to this page's own question: the router asks its
  // blocker synchronously inside that navigation, so the approval lasts only this task.
  const approved = useRef(false);
  const approve = useCallback(() => {
    approved.current = true;
    setTimeout(() => {
      approved.current = false;
    }, 0);
  }, []);

  const blocker = useBlocker(({ currentLocation, nextLocation }) => {
    if (approved.current) {
      approved.current = false;
      return false;
    }
    return (
      dirty &&
      (currentLocation.pathname !== nextLocation.pathname || currentLocation.search !== nextLocation.search)
    );
  });

  useEffect(() => {
    if (blocker.state !== "blocked") return;
    if (window.confirm(message)) blocker.proceed();
    else blocker.reset();
  }, [blocker, message]);

  useEffect(() => {
    if (!dirty) return;
    function onBeforeUnload(event: BeforeUnloadEvent) {
      event.preventDefault();
      // Older Chromium shows its prompt only when returnValue is set.
      event.returnValue = "";
    }
    function onClick(event: MouseEvent) {
      if (event.defaultPrevented || event.button !== 0) return;
      if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      const link = event.target instanceof Element ? event.target.closest("a[href]") : null;
      if (!(link instanceof HTMLAnchorElement) || link.target === "_blank" || link.hasAttribute("download"))
        return;
      const to = new URL(link.href, window.location.href);
      if (to.origin !== window.location.origin) return;
      if (to.pathname === window.location.pathname && to.search === window.location.search) return;
      if (window.confirm(message)) {
        approve();
      } else {
        event.preventDefault();
        event.stopPropagation();
      }
    }
    window.addEventListener("beforeunload", onBeforeUnload);
    document.addEventListener("click", onClick, true);
    return () => {
      window.removeEventListener("beforeunload", onBeforeUnload);
      document.removeEventListener("click", onClick, true);
    };
  }, [dirty, message, approve]);

  return useCallback(() => {
    if (!dirty) return true;
    const leave = window.confirm(message);
    if (leave) approve();
    return leave;
  }, [dirty, message, approve]);
}
