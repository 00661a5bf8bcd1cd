import { bigint, inet, integer, pgSchema, pgTable, serial, text, timestamp, uuid, varchar } from "drizzle-orm/pg-core";

// FreeRADIUS 3's own tables (mods-config/sql/main/postgresql/schema.sql) in the
// `radius` schema, and Lastmile's tables around them (routers' CoA ports, the
// disconnect outbox, the expiry sweep). They are created by the SQL migration
// 0014_radius_schema; this file only describes them for typed queries and is
// deliberately outside drizzle.config's schema, so drizzle-kit never tries to
// "fix" FreeRADIUS's exact definitions.

export const radiusSchema = pgSchema("radius");

export const radcheck = radiusSchema.table("radcheck", {
  id: serial("id").primaryKey(),
  username: text("username").notNull(),
  attribute: text("attribute").notNull(),
  op: varchar("op", { length: 2 }).notNull(),
  value: text("value").notNull(),
});

export const radreply = radiusSchema.table("radreply", {
  id: serial("id").primaryKey(),
  username: text("username").notNull(),
  attribute: text("attribute").notNull(),
  op: varchar("op", { length: 2 }).notNull(),
  value: text("value").notNull(),
});

export const radusergroup = radiusSchema.table("radusergroup", {
  id: serial("id").primaryKey(),
  username: text("username").notNull(),
  groupname: text("groupname").notNull(),
  priority: integer("priority").notNull(),
});

export const radgroupcheck = radiusSchema.table("radgroupcheck", {
  id: serial("id").primaryKey(),
  groupname: text("groupname").notNull(),
  attribute: text("attribute").notNull(),
  op: varchar("op", { length: 2 }).notNull(),
  value: text("value").notNull(),
});

export const radgroupreply = radiusSchema.table("radgroupreply", {
  id: serial("id").primaryKey(),
  groupname: text("groupname").notNull(),
  attribute: text("attribute").notNull(),
  op: varchar("op", { length: 2 }).notNull(),
  value: text("value").notNull(),
});

export const radacct = radiusSchema.table("radacct", {
  radacctid: bigint("radacctid", { mode: "number" }).primaryKey(),
  acctsessionid: text("acctsessionid").notNull(),
  acctuniqueid: text("acctuniqueid").notNull(),
  username: text("username"),
  realm: text("realm"),
  nasipaddress: inet("nasipaddress").notNull(),
  nasportid: text("nasportid"),
  nasporttype: text("nasporttype"),
  acctstarttime: timestamp("acctstarttime", { withTimezone: true }),
  acctupdatetime: timestamp("acctupdatetime", { withTimezone: true }),
  acctstoptime: timestamp("acctstoptime", { withTimezone: true }),
  acctsessiontime: bigint("acctsessiontime", { mode: "number" }),
  acctinputoctets: bigint("acctinputoctets", { mode: "bigint" }),
  acctoutputoctets: bigint("acctoutputoctets", { mode: "bigint" }),
  callingstationid: text("callingstationid"),
  acctterminatecause: text("acctterminatecause"),
  framedipaddress: inet("framedipaddress"),
});

export const nas = radiusSchema.table("nas", {
  id: serial("id").primaryKey(),
  nasname: text("nasname").notNull(),
  shortname: text("shortname").notNull(),
  type: text("type").notNull(),
  ports: integer("ports"),
  secret: text("secret").notNull(),
  server: text("server"),
  community: text("community"),
  description: text("description"),
});

export const radiusNasSettings = pgTable("radius_nas_settings", {
  nasId: integer("nas_id").primaryKey(),
  coaPort: integer("coa_port").notNull(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

export type DisconnectKind = "disconnect" | "coa";
export type DisconnectReason = "customer_suspended" | "reseller_suspended" | "expired" | "no_service" | "package_changed";
export type DisconnectStatus = "pending" | "acked" | "failed";
export type DisconnectOutcome = "ack" | "nak" | "timeout" | "error";

export const radiusDisconnects = pgTable("radius_disconnects", {
  id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
  kind: text("kind").$type<DisconnectKind>().notNull(),
  reason: text("reason").$type<DisconnectReason>().notNull(),
  customerId: uuid("customer_id"),
  username: text("username").notNull(),
  radacctId: bigint("radacct_id", { mode: "number" }).notNull(),
  acctSessionId: text("acct_session_id").notNull(),
  nasIpAddress: inet("nas_ip_address").notNull(),
  framedIpAddress: inet("framed_ip_address"),
  status: text("status").$type<DisconnectStatus>().notNull(),
  attempts: integer("attempts").notNull(),
  nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull(),
  lastOutcome: text("last_outcome").$type<DisconnectOutcome>(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  completedAt: timestamp("completed_at", { withTimezone: true }),
});

export const radiusDisconnectAttempts = pgTable("radius_disconnect_attempts", {
  id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
  disconnectId: bigint("disconnect_id", { mode: "number" }).notNull(),
  outcome: text("outcome").$type<DisconnectOutcome>().notNull(),
  detail: text("detail"),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

export type Disconnect = typeof radiusDisconnects.$inferSelect;
export type DisconnectAttempt = typeof radiusDisconnectAttempts.$inferSelect;
export type Nas = typeof nas.$inferSelect;
