import { expect, it } from "vitest";
import { connect, socketOf } from "@/db/client";
import { viaLocalSocket } from "@/db/embedded";
import "@/tests/support/fresh-database";
import { testDatabaseUrl } from "@/tests/support/fresh-database";

// npm start and the built app's harness reach a PostgreSQL on this machine
// through its Unix socket: the URL names the directory libpq's way, and the
// pool really connects there, as the app role, to the same database.

it("a local server's URL gains its socket directory, and the pool connects through it to the same database as the app role", async () => {
  const url = testDatabaseUrl();
  const local = await viaLocalSocket(url);
  const dir = new URL(local).searchParams.get("host");
  expect(dir, "the socket directory in the URL").toMatch(/^\//);
  expect(socketOf(local)).toEqual({ url, host: dir });

  const pool = connect(local, { max: 1 });
  try {
    const [row] = await pool.sql`select inet_server_addr() as address, current_database() as name, current_user as role`;
    // No server address: the session came over a Unix socket, not TCP.
    expect(row!.address).toBeNull();
    expect(row!.name).toBe(new URL(url).pathname.slice(1));
    expect(row!.role).toBe("lastmile_app");
  } finally {
    await pool.close();
  }
  const tcp = connect(url, { max: 1 });
  try {
    const [row] = await tcp.sql`select inet_server_addr() as address`;
    expect(row!.address).toBe("127.0.0.1");
  } finally {
    await tcp.close();
  }
});

it("a URL without a socket directory, or a server elsewhere, is left as written", async () => {
  expect(socketOf("postgres://u:p@127.0.0.1:5432/db")).toEqual({ url: "postgres://u:p@127.0.0.1:5432/db" });
  expect(socketOf("postgres://u:p@127.0.0.1:5432/db?host=db.example")).toEqual({ url: "postgres://u:p@127.0.0.1:5432/db?host=db.example" });
  expect(await viaLocalSocket("postgres://u:p@db.example:5432/db")).toBe("postgres://u:p@db.example:5432/db");
});
