import "server-only";
import { and, desc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db, Queryable, Tx } from "@/db/client";
import { areas, customerPayments, customers, customerStatus, packages, subscriptions, type Customer } from "@/db/schema";
import { assertAreaInScope } from "@/lib/areas";
import { recordAudit } from "@/lib/audit";
import { assertActsFor, type Actor } from "@/lib/billing/actor";
import { lockCustomerForCommand, runCreate } from "@/lib/billing/idempotency";
import { customerPaymentColumns } from "@/lib/columns";
import { isUniqueViolation } from "@/lib/db-errors";
import { DomainError } from "@/lib/errors";
import { provisionCustomers } from "@/lib/radius/provision";
import { generateServicePassword } from "@/lib/radius/service-password";
import { zIdempotencyKey, zOptionalText } from "@/lib/forms";
import { isUuid } from "@/lib/ids";
import { withTransientRetries } from "@/lib/db-retry";
import { expiryState } from "./expiry";

// One customer of a reseller: its page (read) and the commands on it (create,
// edit, suspend). The list is ./customers, the confirm screen's quote ./quote.

// ---------------------------------------------------------------------------
// One customer
// ---------------------------------------------------------------------------

/**
 * The customer row, only if it belongs to this reseller. `forUpdate` locks it
 * for a command, in the one lock order every command follows: the reseller row
 * first, then the customer row (lockCustomerForCommand).
 */
async function findOwnCustomer(db: Queryable, resellerId: string, customerId: string, forUpdate = false): Promise<Customer> {
  if (!isUuid(resellerId) || !isUuid(customerId)) throw new DomainError("CUSTOMER_NOT_FOUND");
  if (forUpdate) return lockCustomerForCommand(db as Tx, resellerId, customerId);
  const [customer] = await db
    .select()
    .from(customers)
    .where(and(eq(customers.id, customerId), eq(customers.resellerId, resellerId)));
  if (!customer) throw new DomainError("CUSTOMER_NOT_FOUND");
  return customer;
}

/**
 * One of the reseller's customers with its area, subscriptions (package,
 * period, price charged; newest first) and the payments collected from it.
 * Another reseller's customer is CUSTOMER_NOT_FOUND.
 */
export async function getCustomer(db: Queryable, resellerId: string, customerId: string) {
  if (!isUuid(resellerId) || !isUuid(customerId)) throw new DomainError("CUSTOMER_NOT_FOUND");
  const [[row], subs, payments] = await Promise.all([
    db
      .select({ customer: customers, areaName: areas.name })
      .from(customers)
      .innerJoin(areas, eq(areas.id, customers.areaId))
      .where(and(eq(customers.id, customerId), eq(customers.resellerId, resellerId))),
    db
      .select({
        id: subscriptions.id,
        kind: subscriptions.kind,
        packageId: subscriptions.packageId,
        packageName: packages.name,
        startsAt: subscriptions.startsAt,
        expiresAt: subscriptions.expiresAt,
        priceCharged: subscriptions.priceCharged,
        customerPrice: subscriptions.customerPrice,
        renewsSubscriptionId: subscriptions.renewsSubscriptionId,
        reversedAt: subscriptions.reversedAt,
        createdAt: subscriptions.createdAt,
      })
      .from(subscriptions)
      .innerJoin(packages, eq(packages.id, subscriptions.packageId))
      .where(and(eq(subscriptions.customerId, customerId), eq(subscriptions.resellerId, resellerId)))
      .orderBy(desc(subscriptions.createdAt), desc(subscriptions.startsAt)),
    db
      .select(customerPaymentColumns)
      .from(customerPayments)
      .where(and(eq(customerPayments.customerId, customerId), eq(customerPayments.resellerId, resellerId)))
      .orderBy(desc(customerPayments.createdAt), desc(customerPayments.receiptNumber))
      .limit(200),
  ]);
  if (!row) throw new DomainError("CUSTOMER_NOT_FOUND");
  const now = new Date();
  const current = subs.find((s) => s.reversedAt === null) ?? null;
  return {
    customer: { ...row.customer, areaName: row.areaName, expiry: expiryState(row.customer.expiresAt, now) },
    /** The latest period still counting: the one Renew extends. */
    currentSubscription: current,
    subscriptions: subs,
    payments,
  };
}
export type CustomerDetail = Awaited<ReturnType<typeof getCustomer>>;

// ---------------------------------------------------------------------------
// Create, edit, suspend
// ---------------------------------------------------------------------------

const usernameField = z
  .string({ error: "Enter a username." })
  .trim()
  .min(3, "A username has at least 3 characters.")
  .max(64, "Keep the username under 64 characters.")
  .regex(/^[A-Za-z0-9][A-Za-z0-9._@-]*$/, "Use letters, digits and . _ @ - (starting with a letter or digit).");

/** The customer form (create); the reseller id always comes from the session. */
export const customerForm = z.object({
  username: usernameField,
  name: z.string({ error: "Enter the customer's name." }).trim().min(1, "Enter the customer's name.").max(200, "Keep the name under 200 characters."),
  phone: zOptionalText(40).refine((v) => v === null || /^[0-9+()\-.\s]{3,40}$/.test(v), "Use digits, spaces and + - ( ) only."),
  address: zOptionalText(500),
  areaId: z.string({ error: "Choose an area." }).uuid("Choose an area."),
});
export type CustomerFormInput = z.output<typeof customerForm>;

/** Create carries the key the form was rendered with, so a double submit creates one customer. */
export const createCustomerForm = customerForm.extend({ idempotencyKey: zIdempotencyKey });
export type CreateCustomerFormInput = z.output<typeof createCustomerForm>;

export const updateCustomerForm = customerForm.extend({ customerId: z.string().uuid("Choose a customer.") });
export type UpdateCustomerFormInput = z.output<typeof updateCustomerForm>;

export const customerStatusForm = z.object({
  customerId: z.string().uuid("Choose a customer."),
  status: z.enum(customerStatus.enumValues, { error: "Choose active or suspended." }),
  reason: zOptionalText(500),
});
export type CustomerStatusFormInput = z.output<typeof customerStatusForm>;

function usernameTaken(): DomainError {
  return new DomainError("USERNAME_TAKEN", undefined, { username: "That username is already in use. Choose another." });
}

const isUsernameViolation = (error: unknown) => isUniqueViolation(error, "customers_username_unique");

async function assertUsernameFree(db: Queryable, username: string, exceptCustomerId?: string) {
  const [clash] = await db
    .select({ id: customers.id })
    .from(customers)
    .where(sql`lower(${customers.username}) = lower(${username})`)
    .limit(1);
  if (clash && clash.id !== exceptCustomerId) throw usernameTaken();
}

export type CreateCustomerInput = CreateCustomerFormInput & { resellerId: string };

/**
 * Creates a customer of the reseller. The area must be one the reseller
 * serves (AREA_NOT_IN_SCOPE); the username is unique across the whole
 * install, ignoring case (USERNAME_TAKEN with fields.username). The same
 * idempotency key returns the customer it created (`replayed: true`). A
 * create moves no money, so it runs under its key's lock (runCreate), not the
 * reseller's money lock.
 */
export async function createCustomer(db: Db, actor: Actor, input: CreateCustomerInput): Promise<Customer & { replayed: boolean }> {
  assertActsFor(actor, input.resellerId);
  if (!isUuid(input.resellerId)) throw new DomainError("RESELLER_NOT_FOUND");
  const { idempotencyKey, ...payload } = input;
  try {
    return await runCreate(db, { key: idempotencyKey, command: "createCustomer", payload }, async (tx) => {
      await assertAreaInScope(tx, input.resellerId, input.areaId);
      await assertUsernameFree(tx, input.username);
      const [customer] = await tx
        .insert(customers)
        .values({
          resellerId: input.resellerId,
          areaId: input.areaId,
          username: input.username,
          name: input.name,
          phone: input.phone,
          address: input.address,
        })
        .returning();
      await provisionCustomers(tx, { customerId: customer!.id });
      await recordAudit(tx, actor, {
        action: "customer.create",
        targetType: "customer",
        targetId: customer!.id,
        resellerId: input.resellerId,
        details: { username: input.username, name: input.name, areaId: input.areaId },
      });
      return customer!;
    });
  } catch (error) {
    if (isUsernameViolation(error)) throw usernameTaken(); // lost a race for the same name
    throw error;
  }
}

export type UpdateCustomerInput = UpdateCustomerFormInput & { resellerId: string };

/** Edits one of the reseller's customers (same rules as create). Another reseller's customer is CUSTOMER_NOT_FOUND. */
export async function updateCustomer(db: Db, actor: Actor, input: UpdateCustomerInput): Promise<Customer> {
  assertActsFor(actor, input.resellerId);
  try {
    return await withTransientRetries(db, () => db.transaction(async (tx) => {
      const before = await findOwnCustomer(tx, input.resellerId, input.customerId, true);
      // Keeping an area the admin has since taken out of scope is allowed; moving into one is not.
      if (input.areaId !== before.areaId) await assertAreaInScope(tx, input.resellerId, input.areaId);
      if (input.username.toLowerCase() !== before.username.toLowerCase()) await assertUsernameFree(tx, input.username, before.id);
      const next = { username: input.username, name: input.name, phone: input.phone, address: input.address, areaId: input.areaId };
      const changes: Record<string, { from: unknown; to: unknown }> = {};
      for (const key of Object.keys(next) as (keyof typeof next)[]) {
        if (before[key] !== next[key]) changes[key] = { from: before[key], to: next[key] };
      }
      if (Object.keys(changes).length === 0) return before;
      const [customer] = await tx
        .update(customers)
        .set(next)
        .where(and(eq(customers.id, before.id), eq(customers.resellerId, input.resellerId)))
        .returning();
      if (changes.username) await provisionCustomers(tx, { customerId: before.id, previousUsername: before.username });
      await recordAudit(tx, actor, {
        action: "customer.update",
        targetType: "customer",
        targetId: before.id,
        resellerId: input.resellerId,
        details: { changes },
      });
      return customer!;
    }));
  } catch (error) {
    if (isUsernameViolation(error)) throw usernameTaken();
    throw error;
  }
}

export type SetCustomerStatusInput = CustomerStatusFormInput & { resellerId: string };

/** Suspends or reactivates one of the reseller's customers. Setting the status it already has changes nothing. */
export async function setCustomerStatus(db: Db, actor: Actor, input: SetCustomerStatusInput): Promise<Customer & { changed: boolean }> {
  assertActsFor(actor, input.resellerId);
  return withTransientRetries(db, () => db.transaction(async (tx) => {
    const before = await findOwnCustomer(tx, input.resellerId, input.customerId, true);
    if (before.status === input.status) return { ...before, changed: false };
    const [customer] = await tx
      .update(customers)
      .set({ status: input.status })
      .where(and(eq(customers.id, before.id), eq(customers.resellerId, input.resellerId)))
      .returning();
    await provisionCustomers(tx, { customerId: before.id });
    await recordAudit(tx, actor, {
      action: input.status === "suspended" ? "customer.suspend" : "customer.reactivate",
      targetType: "customer",
      targetId: before.id,
      resellerId: input.resellerId,
      details: { from: before.status, to: input.status, ...(input.reason ? { reason: input.reason } : {}) },
    });
    return { ...customer!, changed: true };
  }));
}

export const servicePasswordResetForm = z.object({ customerId: z.string().uuid("Choose a customer.") });
export type ServicePasswordResetInput = z.output<typeof servicePasswordResetForm> & { resellerId: string };

/**
 * Gives one of the reseller's customers a new service (PPPoE/hotspot)
 * password and writes it to RADIUS in the same transaction; the old one stops
 * working at the customer's next log-in. The audit log records that it was
 * reset, never the password.
 */
export async function resetServicePassword(db: Db, actor: Actor, input: ServicePasswordResetInput): Promise<{ customerId: string; servicePassword: string }> {
  assertActsFor(actor, input.resellerId);
  return withTransientRetries(db, () => db.transaction(async (tx) => {
    const before = await findOwnCustomer(tx, input.resellerId, input.customerId, true);
    const servicePassword = generateServicePassword();
    await tx
      .update(customers)
      .set({ servicePassword })
      .where(and(eq(customers.id, before.id), eq(customers.resellerId, input.resellerId)));
    await provisionCustomers(tx, { customerId: before.id });
    await recordAudit(tx, actor, {
      action: "customer.reset_service_password",
      targetType: "customer",
      targetId: before.id,
      resellerId: input.resellerId,
    });
    return { customerId: before.id, servicePassword };
  }));
}
