import { useCallback, useEffect } from "react";

/**
 * While `dirty`, ask before the work on the page is lost: closing or reloading the tab (the
 * browser's own prompt) and following an in-app link (the `message`). The app runs under a
 * <BrowserRouter>, which has no navigation blocker, so links are caught in the capture phase,
 * before React Router's own click handler sees them. Returns `confirmLeave` for the page's own
 * controls that replace the sheet (another course, another day).
 */
export function useLeaveWarning(dirty: boolean, message: string): () => boolean {
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
      if (!window.confirm(message)) {
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
  }, [dirty, message]);

  return useCallback(() => !dirty || window.confirm(message), [dirty, message]);
}
