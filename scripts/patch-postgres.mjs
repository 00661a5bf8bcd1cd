// Mends a known defect of the postgres.js driver (porsager/postgres issues
// 1066, 1154, 1208; open upstream as of 3.4.9): a write queued after the
// server dropped the connection runs `socket.write` on a null socket from a
// setImmediate, an uncatchable TypeError that ends the whole process, and the
// cleared write timer is never reset, so the connection can hang once it
// reconnects. A database restart or a failover must cost Lastmile a retried
// command, never the process. Runs after every install (package.json
// "postinstall"); idempotent; does nothing once the driver is fixed upstream.
import { readFileSync, writeFileSync, existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "node_modules", "postgres");
const MARK = "/* lastmile: null-socket guard */";
let patched = 0;
for (const file of ["src/connection.js", "cjs/src/connection.js", "cf/src/connection.js"]) {
  const full = path.join(root, file);
  if (!existsSync(full)) continue;
  let text = readFileSync(full, "utf8");
  if (text.includes(MARK)) continue;
  const nextWrite = "  function nextWrite(fn) {\n";
  if (!text.includes(nextWrite) || !text.includes("const x = socket.write(chunk, fn)")) continue;
  text = text.replace(
    nextWrite,
    `${nextWrite}    ${MARK}\n    if (!socket) {\n      nextWriteTimer !== null && clearImmediate(nextWriteTimer)\n      chunk = nextWriteTimer = null\n      error(Errors.connection('CONNECTION_CLOSED', options))\n      return false\n    }\n`,
  );
  // Both teardowns cancel the pending write: forget it too, so the reconnected socket schedules its writes again.
  text = text.replaceAll("    clearImmediate(nextWriteTimer)\n", "    clearImmediate(nextWriteTimer)\n    chunk = nextWriteTimer = null\n");
  writeFileSync(full, text);
  patched++;
}
if (patched) console.log(`postgres.js: null-socket guard applied to ${patched} file(s)`);
