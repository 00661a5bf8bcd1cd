import { readdirSync } from "node:fs";
import path from "node:path";

/**
 * Every page of the app, by route, with what fills its dynamic segments.
 * Specs that walk the whole site (tests/e2e/security.spec.ts) take it from
 * here, and `pageRoutesOnDisk()` keeps it honest: a page file added under
 * app/ without an entry here (or an entry whose page was removed) fails.
 */
export type Area = "public" | "admin" | "reseller";

/** The kinds of record a dynamic segment names; a walk finds one of each first. */
export type RecordKind = "reseller" | "package" | "entry" | "router" | "customer" | "receipt" | "onlinePayment";

export const sitePages: Record<string, { params?: Record<string, RecordKind> }> = {
  "/": {},
  "/login": {},
  "/forbidden": {},

  "/admin": {},
  "/admin/accounts/online-payments": {},
  "/admin/api-tokens": {},
  "/admin/accounts/receivable": {},
  "/admin/audit": {},
  "/admin/customers": {},
  "/admin/packages": {},
  "/admin/packages/new": {},
  "/admin/packages/[id]": { params: { id: "package" } },
  "/admin/network/disconnects": {},
  "/admin/network/online": {},
  "/admin/network/routers": {},
  "/admin/network/routers/new": {},
  "/admin/network/routers/[id]": { params: { id: "router" } },
  "/admin/payments": {},
  "/admin/resellers": {},
  "/admin/resellers/new": {},
  "/admin/resellers/[id]": { params: { id: "reseller" } },
  "/admin/resellers/[id]/add-balance": { params: { id: "reseller" } },
  "/admin/resellers/[id]/cash-received": { params: { id: "reseller" } },
  "/admin/resellers/[id]/edit": { params: { id: "reseller" } },
  "/admin/resellers/[id]/entries/[entryId]/reverse": { params: { id: "reseller", entryId: "entry" } },
  "/admin/resellers/[id]/limit": { params: { id: "reseller" } },
  "/admin/resellers/[id]/scope": { params: { id: "reseller" } },
  "/admin/resellers/[id]/statement": { params: { id: "reseller" } },
  "/admin/resellers/[id]/status": { params: { id: "reseller" } },

  "/portal": {},
  "/portal/api-tokens": {},
  "/portal/collections": {},
  "/portal/customers": {},
  "/portal/customers/new": {},
  "/portal/customers/[id]": { params: { id: "customer" } },
  "/portal/customers/[id]/activate": { params: { id: "customer" } },
  "/portal/customers/[id]/collect": { params: { id: "customer" } },
  "/portal/customers/[id]/edit": { params: { id: "customer" } },
  "/portal/customers/[id]/renew": { params: { id: "customer" } },
  "/portal/online": {},
  "/portal/pay-online": {},
  "/portal/pay-online/[id]": { params: { id: "onlinePayment" } },
  "/portal/pay-online/[id]/sandbox": { params: { id: "onlinePayment" } },
  "/portal/receipts/[id]": { params: { id: "receipt" } },
  "/portal/statement": {},
};

export function areaOf(route: string): Area {
  if (route === "/admin" || route.startsWith("/admin/")) return "admin";
  if (route === "/portal" || route.startsWith("/portal/")) return "reseller";
  return "public";
}

export function pagesOf(area: Area): string[] {
  return Object.keys(sitePages).filter((route) => areaOf(route) === area);
}

/** The route with its dynamic segments filled from `records`. */
export function urlOf(route: string, records: Partial<Record<RecordKind, string>>): string {
  const params = sitePages[route]?.params ?? {};
  return route.replace(/\[([^\]]+)\]/g, (_, name: string) => {
    const kind = params[name];
    const id = kind && records[kind];
    if (!id) throw new Error(`No ${kind ?? name} to open ${route} with`);
    return id;
  });
}

/** The routes of the page files under app/ (route groups and private folders as Next.js reads them). */
export function pageRoutesOnDisk(appDir = path.resolve(import.meta.dirname, "../../../app")): string[] {
  const routes: string[] = [];
  const walk = (dir: string, segments: string[]) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) {
        if (entry.name.startsWith("_") || entry.name.startsWith("@")) continue;
        const grouped = entry.name.startsWith("(") && entry.name.endsWith(")");
        walk(path.join(dir, entry.name), grouped ? segments : [...segments, entry.name]);
      } else if (/^page\.(tsx|ts|jsx|js|mdx)$/.test(entry.name)) {
        routes.push(`/${segments.join("/")}`);
      }
    }
  };
  walk(appDir, []);
  return routes.sort();
}
