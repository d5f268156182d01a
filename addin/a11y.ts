/**
 * Focus and announcements for the pages, in one place. The pages redraw whole views; without
 * these, a redraw drops keyboard focus to the page's start and a screen reader hears nothing of
 * what changed.
 */

const FOCUSABLE = "a[href], button, input, select, textarea, summary, [tabindex]";

/** Move focus to `el`, making it focusable by script if it is not (a heading, a message), and bring it into view. */
export function moveFocus(el: Element | null | undefined): void {
  if (!(el instanceof HTMLElement)) return;
  if (!el.matches(FOCUSABLE)) el.tabIndex = -1;
  el.focus();
}

/** Say `text` through the page's polite live region (#announcer), for a change that moves no focus. */
export function announce(text: string): void {
  const region = document.getElementById("announcer");
  if (!region) return;
  // Emptied first, so the same words said twice are still announced.
  region.textContent = "";
  setTimeout(() => {
    region.textContent = text;
  }, 50);
}

/** Redraw, then put focus back on the control that had it (found again by id), if the redraw took it away. */
export async function keepingFocus(redraw: () => void | Promise<void>): Promise<void> {
  const id = document.activeElement instanceof HTMLElement ? document.activeElement.id : "";
  await redraw();
  if (id && (document.activeElement === document.body || !document.activeElement)) moveFocus(document.getElementById(id));
}

/**
 * Keys for a row of tabs, as the ARIA tabs pattern has them: the row is one Tab stop (the chosen
 * tab, tabindex 0, the others -1); the arrow keys, Home and End move along it and choose.
 */
export function tabKeys(event: Event): void {
  const e = event as KeyboardEvent;
  const tab = e.currentTarget as HTMLElement;
  const tabs = [...(tab.closest("[role='tablist']")?.querySelectorAll<HTMLElement>("[role='tab']") ?? [])];
  const i = tabs.indexOf(tab);
  const to = ({ ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: tabs.length - 1 } as Record<string, number>)[e.key];
  if (to === undefined || i < 0) return;
  e.preventDefault();
  const next = tabs[(to + tabs.length) % tabs.length]!;
  next.focus();
  next.click();
}
