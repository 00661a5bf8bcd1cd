"use client";

import Link from "next/link";
import { useCallback, useEffect, useId, useRef, useState, type KeyboardEvent } from "react";
import { cn } from "./cn";

export type MenuLink = { label: string; href: string };

/**
 * A menu button of links (WAI-ARIA menu button pattern): the button says
 * whether the menu is open (`aria-expanded`) and which element it controls;
 * Enter, Space or ↓ opens on the first item, ↑ on the last; ↑/↓ move, Home/End
 * jump, Escape closes and returns focus to the button, Tab closes and moves on.
 * The menu is placed against the window (fixed), so a table that scrolls in its
 * own box never clips it, and it stays inside a 360 px screen.
 */
export function MenuButton({
  label,
  accessibleName,
  items,
  align = "right",
  testId,
}: {
  label: string;
  /** The button's name for assistive tech when the visible label is shared by many buttons ("Actions for …"). */
  accessibleName?: string;
  items: MenuLink[];
  align?: "left" | "right";
  testId?: string;
}) {
  const id = useId();
  const [open, setOpen] = useState(false);
  const [place, setPlace] = useState<{ top: number; left: number } | null>(null);
  const button = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLUListElement>(null);
  const focusAt = useRef<number | null>(null);

  const itemsOf = () => Array.from(menu.current?.querySelectorAll<HTMLAnchorElement>('[role="menuitem"]') ?? []);
  const focusItem = (index: number) => {
    const all = itemsOf();
    if (all.length === 0) return;
    all[(index + all.length) % all.length]!.focus();
  };

  const show = (at: number) => {
    focusAt.current = at;
    setOpen(true);
  };
  const hide = useCallback((returnFocus: boolean) => {
    setOpen(false);
    setPlace(null);
    if (returnFocus) button.current?.focus();
  }, []);

  // Place the menu under the button, inside the window; then focus the requested item.
  useEffect(() => {
    if (!open || !button.current || !menu.current) return;
    const b = button.current.getBoundingClientRect();
    const width = menu.current.offsetWidth;
    const height = menu.current.offsetHeight;
    const margin = 8;
    const wanted = align === "right" ? b.right - width : b.left;
    const left = Math.max(margin, Math.min(wanted, window.innerWidth - width - margin));
    const below = b.bottom + 4;
    const top = below + height > window.innerHeight - margin && b.top - 4 - height > margin ? b.top - 4 - height : below;
    setPlace({ top, left });
  }, [open, align]);

  // Once placed (and so visible), the requested item takes the focus.
  useEffect(() => {
    if (!place || focusAt.current === null) return;
    focusItem(focusAt.current);
    focusAt.current = null;
  }, [place]);

  // A click outside, a scroll or a resize closes it (the menu would no longer sit under its button).
  useEffect(() => {
    if (!open) return;
    const outside = (event: PointerEvent) => {
      const target = event.target as Node;
      if (!menu.current?.contains(target) && !button.current?.contains(target)) hide(false);
    };
    const away = (event: Event) => {
      if (event.target instanceof Node && menu.current?.contains(event.target)) return;
      hide(false);
    };
    document.addEventListener("pointerdown", outside);
    window.addEventListener("scroll", away, true);
    window.addEventListener("resize", away);
    return () => {
      document.removeEventListener("pointerdown", outside);
      window.removeEventListener("scroll", away, true);
      window.removeEventListener("resize", away);
    };
  }, [open, hide]);

  const onButtonKey = (event: KeyboardEvent<HTMLButtonElement>) => {
    if (event.key === "ArrowDown" || event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      show(0);
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      show(-1);
    }
  };

  const onMenuKey = (event: KeyboardEvent<HTMLUListElement>) => {
    const all = itemsOf();
    const current = all.indexOf(document.activeElement as HTMLAnchorElement);
    switch (event.key) {
      case "ArrowDown":
        event.preventDefault();
        focusItem(current + 1);
        break;
      case "ArrowUp":
        event.preventDefault();
        focusItem(current - 1);
        break;
      case "Home":
        event.preventDefault();
        focusItem(0);
        break;
      case "End":
        event.preventDefault();
        focusItem(-1);
        break;
      case "Escape":
        event.preventDefault();
        hide(true);
        break;
      case "Tab":
        hide(false);
        break;
      default:
        // Typing a letter moves to the next item starting with it.
        if (event.key.length === 1 && /\S/.test(event.key)) {
          const letter = event.key.toLowerCase();
          const order = [...all.slice(current + 1), ...all.slice(0, current + 1)];
          order.find((a) => a.textContent?.trim().toLowerCase().startsWith(letter))?.focus();
        }
    }
  };

  return (
    <div className="inline-block text-left" data-testid={testId}>
      <button
        ref={button}
        type="button"
        id={`${id}-button`}
        aria-label={accessibleName}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={`${id}-menu`}
        onClick={() => (open ? hide(false) : show(0))}
        onKeyDown={onButtonKey}
        className="inline-flex h-9 min-w-11 cursor-pointer items-center gap-1 rounded-md border border-slate-300 bg-white px-3 text-sm font-medium text-slate-700 hover:bg-slate-100"
      >
        {label} <span aria-hidden>▾</span>
      </button>
      <ul
        ref={menu}
        id={`${id}-menu`}
        role="menu"
        aria-labelledby={`${id}-button`}
        hidden={!open}
        onKeyDown={onMenuKey}
        style={place ? { top: place.top, left: place.left } : { top: 0, left: 0, visibility: "hidden" }}
        className={cn("fixed z-30 w-56 max-w-[calc(100vw-1rem)] rounded-md border border-slate-200 bg-white py-1 shadow-lg", !open && "hidden")}
      >
        {items.map((item) => (
          <li key={item.href} role="none">
            <Link
              role="menuitem"
              tabIndex={-1}
              href={item.href}
              onClick={() => hide(false)}
              className="block px-3 py-2.5 text-sm text-slate-700 hover:bg-slate-100 focus:bg-slate-100 focus:outline-2 focus:-outline-offset-2 focus:outline-brand-500"
            >
              {item.label}
            </Link>
          </li>
        ))}
      </ul>
    </div>
  );
}
