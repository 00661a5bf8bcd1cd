import "server-only";
import { provisionAll } from "@/lib/radius/provision";
import { eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { areas, customers, onlinePayments, packages, resellerAreas, resellerPackageRates, resellers, users, type PaymentMethod, type Reseller } from "@/db/schema";
import { hashPassword } from "./auth/password";
import { activateSubscription, addBalance, canCharge, recordCashReceived, renewSubscription, reverseEntry, type Actor } from "./billing";
import { installCurrency, installTimeZone } from "./config";
import { calendarDayIn, dayStartIn } from "./dates";
import { startOnlinePayment, gatewayFor } from "./payments/checkout";
import type { GatewaySession } from "./payments/gateway";
import { settleSession } from "./payments/settle";
import { allPermissions } from "./permissions";
import { collectCustomerPayment } from "./portal/payments";

export const demoLogins = [
  { role: "admin", email: "admin@example.com", password: "admin-demo-pass" },
  { role: "reseller (prepaid)", email: "prepaid@example.com", password: "reseller-demo-pass" },
  { role: "reseller (postpaid)", email: "postpaid@example.com", password: "reseller-demo-pass" },
] as const;

/** Days of history the demo holds, today included. */
export const DEMO_HISTORY_DAYS = 90;

const MINUTE = 60_000;
const DAY = 86_400_000;

const areaNames = ["Downtown", "Riverside", "North Hills", "Old Market", "Airport Road", "Lakeside", "University Park", "Harbor Point"];
const packageSpecs = [
  { name: "Home 10", customerPrice: 1500n, validityDays: 30, downloadMbps: 10, uploadMbps: 5 },
  { name: "Home 25", customerPrice: 2500n, validityDays: 30, downloadMbps: 25, uploadMbps: 10 },
  { name: "Home 50", customerPrice: 4000n, validityDays: 30, downloadMbps: 50, uploadMbps: 20 },
  { name: "Business 100", customerPrice: 9000n, validityDays: 30, downloadMbps: 100, uploadMbps: 50 },
  { name: "Weekly 15", customerPrice: 500n, validityDays: 7, downloadMbps: 15, uploadMbps: 5 },
];
/** How often each package is chosen (same order as packageSpecs). */
const packageMix = [30, 37, 21, 11, 1];
const firstNames = [
  "Amina", "Rahim", "Lena", "Tomas", "Priya", "Kofi", "Sara", "Yusuf", "Mei", "Diego", "Nadia", "Omar", "Ivy", "Jonas", "Fatima",
  "Arjun", "Chloe", "Bilal", "Rosa", "Kenji", "Leila", "Marco", "Zainab", "Pavel", "Grace", "Ibrahim", "Sofia", "Daniel", "Hana", "Tariq",
];
const lastNames = [
  "Hossain", "Okafor", "Silva", "Novak", "Rahman", "Mensah", "Costa", "Ahmed", "Chen", "Garcia", "Haddad", "Kim", "Nguyen", "Petrov",
  "Osei", "Karimi", "Santos", "Ito", "Mendes", "Bauer", "Ali", "Park", "Romero", "Sato", "Adeyemi", "Khan", "Larsen", "Moreau",
];

type ResellerKey = "fastnet" | "citylink" | "skyline" | "harbor";
type ResellerSpec = {
  key: ResellerKey;
  name: string;
  contact: string;
  /** The demo login of this reseller, if it has one. */
  login?: string;
  email: string;
  phone: string;
  type: "prepaid" | "postpaid";
  collectionLimit: bigint;
  areas: string[];
  /** The reseller's rate, in percent of the customer price. */
  ratePercent: bigint;
  prefix: string;
  /** Customers it already had when Lastmile went live, 90 days ago, still paying. */
  imported: number;
  /** Imported customers whose service had already ended and who did not come back. */
  dormant: number;
  /** Whether it keeps its customers' payments in Lastmile's cash book (Collections). */
  keepsCashBook: boolean;
  /** Chance of a new customer signing up on a weekday. */
  joinChance: number;
};

const resellerSpecs: ResellerSpec[] = [
  { key: "fastnet", name: "FastNet Prepaid", contact: "Rafi Karim", login: "prepaid@example.com", email: "prepaid@example.com", phone: "+1 555 0100", type: "prepaid", collectionLimit: 0n, areas: ["Downtown", "Riverside", "North Hills"], ratePercent: 80n, prefix: "fn", imported: 30, dormant: 26, keepsCashBook: true, joinChance: 0.16 },
  { key: "citylink", name: "CityLink Postpaid", contact: "Maya Torres", login: "postpaid@example.com", email: "postpaid@example.com", phone: "+1 555 0101", type: "postpaid", collectionLimit: 100_000n, areas: ["North Hills", "Old Market", "Airport Road"], ratePercent: 80n, prefix: "cl", imported: 26, dormant: 21, keepsCashBook: true, joinChance: 0.14 },
  { key: "skyline", name: "Skyline Broadband", contact: "Jonas Berg", email: "accounts@skyline-broadband.example", phone: "+1 555 0102", type: "prepaid", collectionLimit: 0n, areas: ["Lakeside", "University Park"], ratePercent: 82n, prefix: "sk", imported: 20, dormant: 18, keepsCashBook: false, joinChance: 0.1 },
  { key: "harbor", name: "Harbor Wireless", contact: "Grace Osei", email: "billing@harbor-wireless.example", phone: "+1 555 0103", type: "postpaid", collectionLimit: 120_000n, areas: ["Harbor Point", "Old Market"], ratePercent: 78n, prefix: "hw", imported: 16, dormant: 13, keepsCashBook: false, joinChance: 0.08 },
];

/** Whether the database already holds users (demo or real): then seeding is skipped. */
export async function hasData(db: Db): Promise<boolean> {
  const rows = await db.execute(sql`select exists(select 1 from users) as present`);
  return Boolean((rows as unknown as { present: boolean }[])[0]?.present);
}

export type DemoSummary = { resellers: number; customers: number; charges: number; refused: number; collections: number; credits: number; onlinePayments: number; reversals: number; ms: number };

/**
 * Demo data that looks like an ISP's last quarter: four resellers (two with
 * the demo logins) in eight areas, over two hundred customers (some gone
 * quiet, most paying monthly) and 90 days of activations, renewals, customer
 * collections, Add Balance, cash received, online payments and one
 * reversal, all posted through the real commands so every invariant holds.
 * Deterministic (a seeded generator, days counted back from `now`) and all
 * or nothing (one transaction): a failure leaves an empty database, so the
 * next start seeds again.
 */
export async function seedDemo(db: Db, now: Date = new Date()): Promise<DemoSummary> {
  const started = performance.now();
  const clock = new SeedClock(now.getTime());
  clock.install();
  try {
    const summary = await db.transaction((tx) => new DemoQuarter(tx as unknown as Db, clock, now.getTime()).run());
    return { ...summary, ms: Math.round(performance.now() - started) };
  } finally {
    clock.restore();
  }
}

// ---------------------------------------------------------------------------
// The clock
// ---------------------------------------------------------------------------

/**
 * The commands read the time in two places: JavaScript (`new Date()`,
 * `Date.now()`: a subscription's period, a payment's settled_at) and
 * PostgreSQL (every created_at defaults to lastmile_now(), migration 0011).
 * While the seed runs, both tell the simulated instant: the global Date is
 * swapped for one that starts at it (restored afterwards; the seed runs in a
 * script, never in the web server), and `lastmile.as_of` is set for the
 * seed's transaction. Dates built from a value are untouched.
 */
class SeedClock {
  private readonly real = globalThis.Date;
  private installed = false;
  constructor(public instant: number) {}

  install() {
    const Real = this.real;
    const clock = this;
    class SimulatedDate extends Real {
      constructor(...args: unknown[]) {
        if (args.length === 0) super(clock.instant);
        else super(...(args as [string | number | Date]));
      }
      static override now() {
        return clock.instant;
      }
      static [Symbol.hasInstance](value: unknown) {
        return value instanceof Real;
      }
    }
    globalThis.Date = SimulatedDate as unknown as DateConstructor;
    this.installed = true;
  }

  restore() {
    if (this.installed) globalThis.Date = this.real;
    this.installed = false;
  }
}

// ---------------------------------------------------------------------------
// The simulation
// ---------------------------------------------------------------------------

/** mulberry32: a small seeded generator, so every first start gets the same quarter. */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

type DemoPackage = { id: string; name: string; customerPrice: bigint; validityDays: number };
type DemoReseller = {
  spec: ResellerSpec;
  id: string;
  /** The reseller as stored, its balance kept in step with every posting. */
  row: Reseller;
  actor: Actor;
  rates: bigint[];
  areaIds: string[];
  customers: DemoCustomer[];
  topUps: number;
  settlements: number;
};
type DemoCustomer = { id: string; reseller: DemoReseller; pkg: number; subscriptionId: string | null; expiresAt: number | null };
type Planned = { at: number; seq: number; run: () => Promise<void> };

class DemoQuarter {
  private readonly rand = generator(20_261_125);
  private readonly queue: Planned[] = [];
  private seq = 0;
  /** When each of the 90 days starts in the install's time zone, oldest first. */
  private readonly dayStarts: number[];
  /** Nothing is dated after this (a little before the real now). */
  private readonly latest: number;
  private readonly timeZone = installTimeZone();
  private readonly currency = installCurrency();
  private admin!: Actor;
  private pkgs: DemoPackage[] = [];
  private resellers: DemoReseller[] = [];
  private usernames = 0;
  private readonly names: string[];
  private readonly stats = { charges: 0, refused: 0, collections: 0, credits: 0, onlinePayments: 0, reversals: 0, customers: 0 };

  constructor(
    private readonly db: Db,
    private readonly clock: SeedClock,
    now: number,
  ) {
    const today = calendarDayIn(new Date(now), this.timeZone);
    this.dayStarts = Array.from({ length: DEMO_HISTORY_DAYS }, (_, k) => dayStartIn(today, this.timeZone, k - (DEMO_HISTORY_DAYS - 1)).getTime());
    this.latest = now - 2 * MINUTE;
    // Every first-and-last name pair once, in a shuffled order.
    this.names = firstNames.flatMap((first) => lastNames.map((last) => `${first} ${last}`));
    for (let i = this.names.length - 1; i > 0; i--) {
      const j = Math.floor(this.rand() * (i + 1));
      [this.names[i], this.names[j]] = [this.names[j]!, this.names[i]!];
    }
  }

  // --- time -----------------------------------------------------------------

  /** The instant of `minute` (minutes after midnight, local) on day `day` (0 = 89 days ago); today's events are squeezed before now. */
  private instantOf(day: number, minute: number): number | null {
    if (day < 0 || day >= DEMO_HISTORY_DAYS) return null;
    const start = this.dayStarts[day]!;
    const last = day === DEMO_HISTORY_DAYS - 1;
    // Today: the business day is compressed into what has passed of it, so nothing is in the future.
    const scale = last ? Math.max(0, Math.min(1, (this.latest - start) / (22 * 60 * MINUTE))) : 1;
    const at = start + Math.floor(minute * MINUTE * scale);
    return at <= this.latest ? at : null;
  }

  /** The day (0…89) an instant falls on, or -1/90 outside the quarter. */
  private dayOf(instant: number): number {
    if (instant < this.dayStarts[0]!) return -1;
    let day = 0;
    while (day + 1 < DEMO_HISTORY_DAYS && this.dayStarts[day + 1]! <= instant) day++;
    return day === DEMO_HISTORY_DAYS - 1 && instant - this.dayStarts[day]! >= DAY ? DEMO_HISTORY_DAYS : day;
  }

  private weekday(day: number): number {
    return new Date(`${calendarDayIn(new Date(this.dayStarts[day]! + 12 * 3_600_000), this.timeZone)}T00:00:00Z`).getUTCDay();
  }

  /** A minute in opening hours, 08:30–20:30. */
  private businessMinute(): number {
    return 510 + Math.floor(this.rand() * 720);
  }

  private plan(at: number | null, run: () => Promise<void>) {
    if (at === null || at > this.latest) return;
    // A binary heap on (at, seq): the simulation runs in time order, ties in planning order.
    const item = { at: Math.max(at, this.clock.instant + 1000), seq: this.seq++, run };
    const q = this.queue;
    q.push(item);
    let i = q.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (before(q[parent]!, q[i]!)) break;
      [q[parent], q[i]] = [q[i]!, q[parent]!];
      i = parent;
    }
  }

  private next(): Planned | undefined {
    const q = this.queue;
    const top = q[0];
    const last = q.pop();
    if (q.length && last) {
      q[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < q.length && before(q[l]!, q[m]!)) m = l;
        if (r < q.length && before(q[r]!, q[m]!)) m = r;
        if (m === i) break;
        [q[m], q[i]] = [q[i]!, q[m]!];
        i = m;
      }
    }
    return top;
  }

  /** Plans `run` on the business day around `instant` (at a random opening-hours minute). */
  private planAround(instant: number, run: () => Promise<void>) {
    const day = this.dayOf(instant);
    if (day < 0 || day >= DEMO_HISTORY_DAYS) return;
    this.plan(this.instantOf(day, this.businessMinute()), run);
  }

  /**
   * Moves the clock: JavaScript's at once, and the transaction's
   * lastmile.as_of by a statement sent now, ahead of whatever the event
   * sends next on the same connection (statements on one connection run in
   * the order sent, and every command opens with a read or a savepoint, so
   * nothing is written before it). It costs no round trip of its own; its
   * outcome is checked after each event.
   */
  private tick(at: number) {
    this.clock.instant = at;
    this.ticked = this.db
      .execute(sql`select set_config('lastmile.as_of', ${new Date(at).toISOString()}, true)`)
      .then(
        () => undefined,
        (error: unknown) => {
          this.tickFailed ??= error;
        },
      );
  }
  private ticked: Promise<void> = Promise.resolve();
  private tickFailed: unknown;

  private async settled() {
    await this.ticked;
    if (this.tickFailed) throw this.tickFailed;
  }

  // --- randomness -------------------------------------------------------------

  private chance(p: number) {
    return this.rand() < p;
  }
  private between(min: number, max: number) {
    return min + Math.floor(this.rand() * (max - min + 1));
  }
  private pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.rand() * items.length)]!;
  }
  private weighted(weights: readonly number[]): number {
    let roll = this.rand() * weights.reduce((a, b) => a + b, 0);
    for (const [i, w] of weights.entries()) if ((roll -= w) < 0) return i;
    return weights.length - 1;
  }
  /** A UUID-shaped idempotency key from the generator, as a form would mint. */
  private key(): string {
    const hex = Array.from({ length: 32 }, () => Math.floor(this.rand() * 16).toString(16)).join("");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${"89ab"[Math.floor(this.rand() * 4)]}${hex.slice(17, 20)}-${hex.slice(20)}`;
  }

  // --- the run ----------------------------------------------------------------

  async run(): Promise<Omit<DemoSummary, "ms">> {
    this.tick(this.instantOf(0, 7 * 60)!);
    await this.settled();
    await this.setUp();
    this.planQuarter();
    for (let item = this.next(); item; item = this.next()) {
      this.tick(item.at);
      await item.run();
      await this.settled();
    }
    // The customers and packages inserted in bulk above get their RADIUS rows as the commands give them.
    await provisionAll(this.db);
    return { resellers: this.resellers.length, ...this.stats };
  }

  /** Day 0, 07:00: the install as the admin set it up, with the customers each reseller brought along. */
  private async setUp() {
    const db = this.db;
    const areaRows = await db.insert(areas).values(areaNames.map((name) => ({ name }))).returning();
    const areaId = new Map(areaRows.map((a) => [a.name, a.id]));
    this.pkgs = await db.insert(packages).values(packageSpecs).returning();
    const [adminHash, resellerHash] = await Promise.all([hashPassword("admin-demo-pass"), hashPassword("reseller-demo-pass")]);
    const [adminUser] = await db.insert(users).values({ email: "admin@example.com", name: "Demo Admin", passwordHash: adminHash, role: "admin" }).returning();
    this.admin = { userId: adminUser!.id, label: adminUser!.email, role: "admin" };

    for (const spec of resellerSpecs) {
      const [row] = await db
        .insert(resellers)
        .values({ name: spec.name, contactName: spec.contact, phone: spec.phone, email: spec.email, type: spec.type, collectionLimit: spec.collectionLimit, currency: this.currency, permissions: allPermissions })
        .returning();
      const id = row!.id;
      let actor: Actor = { userId: null, label: spec.email, role: "reseller", resellerId: id };
      if (spec.login) {
        const [user] = await db.insert(users).values({ email: spec.login, name: spec.contact, passwordHash: resellerHash, role: "reseller", resellerId: id }).returning();
        actor = { ...actor, userId: user!.id, label: user!.email };
      }
      const served = spec.areas.map((name) => areaId.get(name)!);
      await db.insert(resellerAreas).values(served.map((a) => ({ resellerId: id, areaId: a })));
      // The admin sells at a share of the customer price, rounded down to whole minor units.
      const rates = this.pkgs.map((p) => (p.customerPrice * spec.ratePercent) / 100n);
      await db.insert(resellerPackageRates).values(this.pkgs.map((p, i) => ({ resellerId: id, packageId: p.id, rate: rates[i]! })));
      const reseller: DemoReseller = { spec, id, row: row!, actor, rates, areaIds: served, customers: [], topUps: 0, settlements: 0 };
      this.resellers.push(reseller);
      // Its existing subscribers, imported on day 0: two have moved away (suspended), some had stopped paying before.
      const imported = await this.addCustomers(reseller, 2 + spec.dormant + spec.imported, 2);
      for (const customer of imported.slice(2 + spec.dormant)) {
        // Each pays when the period bought under the old system runs out: spread over the first month.
        this.plan(this.instantOf(this.between(0, 29), this.businessMinute()), () => this.charge(customer, "activate"));
      }
    }
  }

  private async addCustomers(reseller: DemoReseller, count: number, suspended = 0): Promise<DemoCustomer[]> {
    const rows = Array.from({ length: count }, (_, i) => {
      const n = ++this.usernames;
      const served = this.pick(reseller.areaIds);
      const name = this.names[n % this.names.length]!;
      return {
        resellerId: reseller.id,
        areaId: served,
        username: `${reseller.spec.prefix}${String(reseller.customers.length + i + 1).padStart(3, "0")}`,
        name,
        phone: `+1 555 ${String(2000 + ((n * 7919) % 8000)).padStart(4, "0")}`,
        address: `${this.between(1, 240)} ${this.pick(["Main", "Station", "Park", "Mill", "Church", "River", "Cedar", "Market"])} ${this.pick(["Street", "Road", "Lane", "Avenue"])}`,
        status: i < suspended ? ("suspended" as const) : ("active" as const),
      };
    });
    const inserted = await this.db.insert(customers).values(rows).returning({ id: customers.id });
    const made = inserted.map((c) => ({ id: c.id, reseller, pkg: this.weighted(packageMix), subscriptionId: null, expiresAt: null }));
    reseller.customers.push(...made);
    this.stats.customers += made.length;
    return made;
  }

  /** What happens on each of the 90 days, planned up front; the outcome depends on the books when it runs. */
  private planQuarter() {
    const fastnet = this.resellers.find((r) => r.spec.key === "fastnet")!;
    const skyline = this.resellers.find((r) => r.spec.key === "skyline")!;
    // Opening balances of the prepaid resellers, paid by bank transfer on day 0.
    this.plan(this.instantOf(0, 8 * 60 + 30), async () => void (await this.credit(fastnet, 150_000n, "bank_transfer", "DEMO-OPENING", "Opening balance")));
    this.plan(this.instantOf(0, 8 * 60 + 45), async () => void (await this.credit(skyline, 50_000n, "bank_transfer", "SKY-OPENING", "Opening balance")));

    for (let day = 0; day < DEMO_HISTORY_DAYS; day++) {
      const weekday = this.weekday(day);
      for (const reseller of this.resellers) {
        // New customers sign up (fewer at weekends) and are activated on the spot.
        const joins = (weekday === 0 || weekday === 6 ? 0.5 : 1) * reseller.spec.joinChance * (day > 0 ? 1 : 0);
        for (let n = 0; n < 2; n++) {
          if (this.chance(joins / (n + 1))) {
            this.plan(this.instantOf(day, this.businessMinute()), async () => {
              const [customer] = await this.addCustomers(reseller, 1);
              await this.charge(customer!, "activate");
            });
          }
        }
        // Each morning the admin looks at the reseller's position.
        this.plan(this.instantOf(day, 9 * 60 + 30 + this.between(0, 90)), () => this.settle(reseller, day, weekday));
      }
    }
  }

  // --- customers --------------------------------------------------------------

  /** An activation or renewal through the billing commands; refused ones are tried again once the reseller has paid. */
  private async charge(customer: DemoCustomer, kind: "activate" | "renew", attempt = 0, upgrade = false): Promise<void> {
    const reseller = customer.reseller;
    const pkg = upgrade ? Math.min(customer.pkg + 1, 3) : customer.pkg;
    // A lapsed customer coming back is activated again; one still paid up needs nothing.
    if (kind === "activate" && customer.expiresAt !== null && customer.expiresAt > this.clock.instant) return;
    if (!canCharge(reseller.row, reseller.rates[pkg]!)) {
      // The charge rule would refuse it (balance too low, limit reached): the customer comes back in a day or two, twice at most.
      this.stats.refused++;
      if (attempt < 2) this.planAround(this.clock.instant + this.between(1, 2) * DAY, () => this.charge(customer, kind, attempt + 1, upgrade));
      return;
    }
    const input = { resellerId: reseller.id, packageId: this.pkgs[pkg]!.id, idempotencyKey: this.key() };
    const result =
      kind === "renew" && customer.subscriptionId
        ? await renewSubscription(this.db, reseller.actor, { ...input, subscriptionId: customer.subscriptionId })
        : await activateSubscription(this.db, reseller.actor, { ...input, customerId: customer.id });
    this.stats.charges++;
    reseller.row.balance = result.balanceAfter;
    customer.pkg = pkg;
    customer.subscriptionId = result.subscription.id;
    customer.expiresAt = result.subscription.expiresAt.getTime();
    await this.collect(customer, this.pkgs[pkg]!.customerPrice);
    this.planNextPeriod(customer);
  }

  /**
   * The customer pays the reseller for the period (if the reseller keeps its
   * cash book here): mostly at the counter as it is activated, some days
   * later, a few never.
   */
  private async collect(customer: DemoCustomer, amount: bigint) {
    if (!customer.reseller.spec.keepsCashBook) return;
    const roll = this.rand();
    if (roll >= 0.96) return;
    const run = async () => {
      const method = this.pick<PaymentMethod>(["cash", "cash", "cash", "cash", "cash", "mobile_money", "mobile_money", "mobile_money", "bank_transfer", "card"]);
      await collectCustomerPayment(this.db, customer.reseller.actor, {
        resellerId: customer.reseller.id,
        customerId: customer.id,
        amount,
        method,
        reference: method === "mobile_money" ? `MM${this.between(100_000, 999_999)}` : method === "bank_transfer" ? `TRF-${this.between(1000, 9999)}` : null,
        idempotencyKey: this.key(),
      });
      this.stats.collections++;
    };
    if (roll < 0.82) await run();
    else this.planAround(this.clock.instant + this.between(1, 6) * DAY, run);
  }

  /** Most customers renew on time, some late, some let it lapse and come back, a few leave. */
  private planNextPeriod(customer: DemoCustomer) {
    const expiresAt = customer.expiresAt!;
    const weekly = packageSpecs[customer.pkg]!.validityDays < 30;
    const roll = this.rand();
    if (roll < (weekly ? 0.85 : 0.7)) {
      // Renews in the last days of the period (the new one starts at its end); now and then one size up.
      const early = weekly ? this.between(0, 1) : this.between(0, 4);
      const upgrade = !weekly && customer.pkg < 3 && this.chance(0.06);
      this.planAround(expiresAt - early * DAY, () => this.charge(customer, "renew", 0, upgrade));
    } else if (roll < 0.86) {
      this.planAround(expiresAt + this.between(1, 5) * DAY, () => this.charge(customer, "renew"));
    } else if (roll < 0.95) {
      this.planAround(expiresAt + this.between(8, 25) * DAY, () => this.charge(customer, "activate"));
    }
  }

  // --- the resellers' money ---------------------------------------------------

  /** The admin's morning look at one reseller: top-ups for prepaid, settlements for postpaid. */
  private async settle(reseller: DemoReseller, day: number, weekday: number) {
    const outstanding = reseller.row.balance < 0n ? -reseller.row.balance : 0n;
    switch (reseller.spec.key) {
      case "fastnet":
        // Tops up at 500.00 left: by bank transfer, every fourth time by card online.
        if (reseller.row.balance < 50_000n) {
          reseller.topUps++;
          if (reseller.topUps % 4 === 2) await this.payOnline(reseller, 100_000n);
          else await this.credit(reseller, 150_000n, "bank_transfer", `FN-BT-${String(reseller.topUps).padStart(4, "0")}`, null);
        }
        return;
      case "skyline":
        if (reseller.row.balance < 25_000n) {
          reseller.topUps++;
          if (reseller.topUps === 2) {
            // A bank transfer entered twice by mistake; the admin reverses the second that afternoon.
            const ref = "SKY-BT-0002";
            await this.credit(reseller, 40_000n, "bank_transfer", ref, null);
            this.tick(this.clock.instant + 3 * MINUTE);
            const twice = await this.credit(reseller, 40_000n, "bank_transfer", ref, null);
            this.plan(this.clock.instant + 5 * 60 * MINUTE, () => this.reverse(reseller, twice, `Entered twice by mistake: bank transfer ${ref} was recorded once already`));
          } else if (reseller.topUps % 3 === 0) {
            // The card is declined once (the gateway reports the failure), then the retry goes through.
            if (reseller.topUps === 3) {
              await this.payOnline(reseller, 40_000n, "failed");
              this.tick(this.clock.instant + 4 * MINUTE);
            }
            await this.payOnline(reseller, 40_000n);
          } else {
            await this.credit(reseller, 40_000n, reseller.topUps % 2 ? "bank_transfer" : "mobile_money", `SKY-${reseller.topUps % 2 ? "BT" : "MM"}-${String(reseller.topUps).padStart(4, "0")}`, null);
          }
        }
        return;
      case "citylink":
        // Settles most of what it owes every Monday (every third week online), in whole tens; sooner if it nears its limit.
        // It always owes something afterwards, whatever weekday the demo is seeded on.
        if (outstanding > 0n && (weekday === 1 || outstanding * 100n >= reseller.spec.collectionLimit * 75n)) {
          const amount = ((outstanding * 80n) / 100n / 1000n) * 1000n;
          if (amount <= 0n) return;
          reseller.settlements++;
          if (reseller.settlements % 3 === 0) await this.payOnline(reseller, amount);
          else await this.cash(reseller, amount, "cash", `CL-RCPT-${String(reseller.settlements).padStart(4, "0")}`, "Weekly settlement");
        }
        return;
      case "harbor":
        // A slow payer: two part payments in the quarter, so its outstanding ages past 60 days.
        if (day === 38) await this.cash(reseller, 12_000n, "cash", "HW-RCPT-0001", "Part payment");
        if (day === 71) await this.cash(reseller, 8_000n, "bank_transfer", "HW-TRF-0002", "Part payment, balance promised next month");
        return;
    }
  }

  private async credit(reseller: DemoReseller, amount: bigint, method: PaymentMethod, reference: string, note: string | null) {
    const posted = await addBalance(this.db, this.admin, { resellerId: reseller.id, amount, method, reference, note, idempotencyKey: this.key() });
    reseller.row.balance = posted.balanceAfter;
    this.stats.credits++;
    return posted.entry.id;
  }

  private async cash(reseller: DemoReseller, amount: bigint, method: PaymentMethod, reference: string, note: string) {
    const posted = await recordCashReceived(this.db, this.admin, { resellerId: reseller.id, amount, method, source: "accounts_receivable", reference, note, idempotencyKey: this.key() });
    reseller.row.balance = posted.balanceAfter;
    this.stats.credits++;
  }

  private async reverse(reseller: DemoReseller, entryId: number, reason: string) {
    const posted = await reverseEntry(this.db, this.admin, { entryId, reason, idempotencyKey: this.key() });
    reseller.row.balance = posted.balanceAfter;
    this.stats.reversals++;
  }

  /**
   * The reseller pays by card through the sandbox checkout: the real start
   * (pending row, audit), a minute or two on the checkout page, then the
   * gateway's word settled by the same command the webhook uses.
   */
  private async payOnline(reseller: DemoReseller, amount: bigint, outcome: "paid" | "failed" = "paid") {
    const gateway = gatewayFor(this.db, { mode: "sandbox", webhookSecret: "demo-seed" });
    const started = await startOnlinePayment(this.db, reseller.actor, gateway, { resellerId: reseller.id, amount, idempotencyKey: this.key() });
    this.tick(this.clock.instant + this.between(40, 150) * 1000);
    const [payment] = await this.db.select({ sessionId: onlinePayments.checkoutSessionId }).from(onlinePayments).where(eq(onlinePayments.id, started.onlinePaymentId));
    const session: GatewaySession = {
      id: payment!.sessionId!,
      url: null,
      status: "complete",
      paymentStatus: outcome === "paid" ? "paid" : "unpaid",
      amountTotal: amount,
      currency: this.currency,
      onlinePaymentId: started.onlinePaymentId,
      resellerId: reseller.id,
      paymentIntentId: `pi_sandbox_${started.onlinePaymentId.replaceAll("-", "")}`,
      livemode: false,
    };
    const via = outcome === "paid" ? "sandbox event (checkout.session.completed)" : "sandbox event (checkout.session.async_payment_failed)";
    const settled = await this.db.transaction((tx) => settleSession(tx, session, outcome, via));
    if (settled.to !== outcome) throw new Error(`demo seed: online payment ${started.onlinePaymentId} ended ${settled.outcome}`);
    if (outcome === "paid") {
      const [row] = await this.db.select({ balance: resellers.balance }).from(resellers).where(eq(resellers.id, reseller.id));
      reseller.row.balance = row!.balance;
      this.stats.onlinePayments++;
      this.stats.credits++;
    }
  }
}

function before(a: Planned, b: Planned) {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}
