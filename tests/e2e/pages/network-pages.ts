import { createSocket, type Socket } from "node:dgram";
import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, type Page } from "@playwright/test";
import postgres from "postgres";
import radius from "radius";

/** Types into a list's search box (data-table toolbar); the search lands in the URL (`q`). */
export async function searchList(page: Page, text: string) {
  await page.getByLabel("Search").fill(text);
  const escaped = encodeURIComponent(text).replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  await expect(page).toHaveURL(new RegExp(`[?&]q=${escaped}(&|$)`));
}

/** Network > Routers: add a router, and the list. */
export class RoutersPage {
  constructor(private readonly page: Page) {}

  async add(router: { name: string; address: string; secret: string; coaPort: number }) {
    await this.page.goto("/admin/network/routers/new");
    await this.page.getByLabel("Name").fill(router.name);
    await this.page.getByLabel("IP address").fill(router.address);
    await this.page.getByLabel("Shared secret").fill(router.secret);
    await this.page.getByLabel("Disconnect/CoA port").fill(String(router.coaPort));
    await this.page.getByRole("button", { name: "Add router" }).click();
    await expect(this.page.getByTestId("form-success")).toContainText(router.name);
  }

  async expectListed(name: string, address: string) {
    await this.page.goto("/admin/network/routers");
    const row = this.page.getByTestId("routers-table").getByRole("row").filter({ hasText: name });
    await expect(row).toContainText(address);
  }

  search(text: string) {
    return searchList(this.page, text);
  }

  table() {
    return this.page.getByRole("table", { name: "Routers" });
  }
}

/** Network > Disconnects: the admin's list of Disconnect/CoA requests. */
export class DisconnectsPage {
  constructor(private readonly page: Page) {}

  async open(query = "") {
    await this.page.goto(`/admin/network/disconnects${query}`);
  }

  search(text: string) {
    return searchList(this.page, text);
  }

  async filter(label: "Status" | "Last attempt", option: string) {
    await this.page.getByLabel(label).selectOption({ label: option });
  }

  table() {
    return this.page.getByRole("table", { name: "Disconnect and CoA requests" });
  }
}

/**
 * A stand-in router for the browser tests: answers every correctly signed
 * Disconnect/CoA request with an ACK and remembers what it received.
 */
export class StandInRouter {
  readonly received: { code: string; userName: string }[] = [];
  private socket: Socket = createSocket("udp4");
  port = 0;

  constructor(private readonly secret: string) {}

  async start() {
    this.socket.on("message", (message, from) => {
      let decoded;
      try {
        decoded = radius.decode({ packet: message, secret: this.secret });
      } catch {
        return; // not signed with our secret: no answer
      }
      this.received.push({ code: decoded.code, userName: String(decoded.attributes["User-Name"]) });
      const code = decoded.code === "CoA-Request" ? "CoA-ACK" : "Disconnect-ACK";
      this.socket.send(radius.encode_response({ packet: decoded, code, secret: this.secret }), from.port, from.address);
    });
    await new Promise<void>((resolve) => this.socket.bind(0, "127.0.0.1", () => resolve()));
    this.port = this.socket.address().port;
  }

  stop() {
    return new Promise<void>((resolve) => this.socket.close(() => resolve()));
  }
}

/**
 * The e2e server's own embedded database (its port from PostgreSQL's
 * postmaster.pid, its password from the file beside the data), for writing
 * what a router's accounting would: an open session.
 */
export function e2eDatabase() {
  const dataDir = path.resolve(".data/e2e/pg");
  const port = readFileSync(path.join(dataDir, "postmaster.pid"), "utf8").split("\n")[3]!.trim();
  const password = readFileSync(`${dataDir}.password`, "utf8").trim();
  return postgres({ host: "127.0.0.1", port: Number(port), user: "lastmile", password, database: "lastmile", max: 1, onnotice: () => {} });
}
