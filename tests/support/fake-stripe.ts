import { randomBytes } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** One request the fake Stripe API received, its form body decoded (nested keys kept as Stripe spells them). */
export type RecordedRequest = {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** `line_items[0][price_data][unit_amount]` → "5000", `metadata[online_payment_id]` → "…". */
  body: Record<string, string>;
};

/** The Checkout Session as the fake API keeps and answers it (Stripe's JSON shape). */
export type FakeSession = {
  id: string;
  object: "checkout.session";
  mode: "payment";
  url: string | null;
  status: "open" | "complete" | "expired";
  payment_status: "paid" | "unpaid" | "no_payment_required";
  amount_total: number | null;
  currency: string | null;
  client_reference_id: string | null;
  metadata: Record<string, string>;
  payment_intent: string | null;
  livemode: boolean;
  success_url: string | null;
  cancel_url: string | null;
  created: number;
};

type Failure = { status: number; path?: RegExp; remaining: number };

export type FakeStripe = {
  /** `http://127.0.0.1:PORT`, for STRIPE_API_URL / stripeGateway's apiUrl. */
  url: string;
  port: number;
  requests: RecordedRequest[];
  sessions: Map<string, FakeSession>;
  /** Answers the next `times` requests (matching `path`, if given) with `status` and a Stripe error body. */
  fail(status: number, options?: { times?: number; path?: RegExp }): void;
  /** Stops answering with errors (and with a delay). */
  recover(): void;
  /** Holds every answer back by `ms` (a slow gateway, so concurrent callers overlap). */
  delay(ms: number): void;
  /** Changes what GET /v1/checkout/sessions/:id reports (as if the payer had paid, or the session expired). */
  setSession(id: string, patch: Partial<FakeSession>): FakeSession;
  /** Requests received since `from` (an index into `requests`). */
  since(from: number): RecordedRequest[];
  close(): Promise<void>;
};

const errorTypes: Record<number, { type: string; message: string; code?: string }> = {
  400: { type: "invalid_request_error", message: "Invalid request." },
  401: { type: "invalid_request_error", message: "Invalid API Key provided." },
  402: { type: "card_error", message: "Your card was declined.", code: "card_declined" },
  404: { type: "invalid_request_error", message: "No such checkout session.", code: "resource_missing" },
  429: { type: "invalid_request_error", message: "Too many requests.", code: "rate_limit" },
  500: { type: "api_error", message: "An unknown error occurred." },
  503: { type: "api_error", message: "Service unavailable." },
};

/**
 * A local node:http server standing in for the Stripe API: it records every
 * request and answers the few Checkout Session calls Lastmile makes, keeping
 * Stripe's idempotency (the same Idempotency-Key returns the first session).
 */
export async function startFakeStripe(): Promise<FakeStripe> {
  const requests: RecordedRequest[] = [];
  const sessions = new Map<string, FakeSession>();
  const byIdempotencyKey = new Map<string, string>();
  let failures: Failure[] = [];
  const errorByIdempotencyKey = new Map<string, number>();
  let delayMs = 0;

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      const body = Object.fromEntries(new URLSearchParams(raw));
      const method = req.method ?? "GET";
      requests.push({ method, path: url.pathname, headers: req.headers, body });

      const send = (status: number, json: unknown) => {
        const text = JSON.stringify(json);
        const answer = () => {
          res.writeHead(status, { "content-type": "application/json", "request-id": `req_${randomBytes(6).toString("hex")}` });
          res.end(text);
        };
        if (delayMs > 0) setTimeout(answer, delayMs);
        else answer();
      };
      const error = (status: number, message?: string) => {
        const kind = errorTypes[status] ?? { type: "api_error", message: "Error." };
        send(status, { error: { ...kind, ...(message ? { message } : {}) } });
      };

      // Like Stripe, the first answer under an idempotency key is kept and replayed, a 500 included.
      const requestKey = method === "POST" && typeof req.headers["idempotency-key"] === "string" ? req.headers["idempotency-key"] : undefined;
      const keptError = requestKey ? errorByIdempotencyKey.get(requestKey) : undefined;
      if (keptError) return error(keptError);
      const failure = failures.find((f) => f.remaining > 0 && (!f.path || f.path.test(url.pathname)));
      if (failure) {
        failure.remaining -= 1;
        if (requestKey) errorByIdempotencyKey.set(requestKey, failure.status);
        return error(failure.status);
      }

      if (method === "POST" && url.pathname === "/v1/checkout/sessions") {
        const key = req.headers["idempotency-key"];
        const replay = typeof key === "string" ? byIdempotencyKey.get(key) : undefined;
        if (replay) return send(200, sessions.get(replay));
        const id = `cs_test_${randomBytes(16).toString("hex")}`;
        const metadata: Record<string, string> = {};
        for (const [name, value] of Object.entries(body)) {
          const match = /^metadata\[(.+)\]$/.exec(name);
          if (match) metadata[match[1]!] = value;
        }
        const unit = body["line_items[0][price_data][unit_amount]"];
        const quantity = Number(body["line_items[0][quantity]"] ?? 1);
        const session: FakeSession = {
          id,
          object: "checkout.session",
          mode: "payment",
          url: `https://checkout.stripe.test/c/pay/${id}`,
          status: "open",
          payment_status: "unpaid",
          amount_total: unit === undefined ? null : Number(unit) * quantity,
          currency: body["line_items[0][price_data][currency]"] ?? null,
          client_reference_id: body.client_reference_id ?? null,
          metadata,
          payment_intent: null,
          livemode: false,
          success_url: body.success_url ?? null,
          cancel_url: body.cancel_url ?? null,
          created: Math.floor(Date.now() / 1000),
        };
        sessions.set(id, session);
        if (typeof key === "string") byIdempotencyKey.set(key, id);
        return send(200, session);
      }

      const expire = /^\/v1\/checkout\/sessions\/([^/]+)\/expire$/.exec(url.pathname);
      if (method === "POST" && expire) {
        const session = sessions.get(decodeURIComponent(expire[1]!));
        if (!session) return error(404);
        // Like Stripe: only an open session can be expired.
        if (session.status !== "open") return error(400, `Only Checkout Sessions with a status in ["open"] can be expired. This Checkout Session has a status of "${session.status}".`);
        session.status = "expired";
        session.url = null;
        return send(200, session);
      }

      const retrieve = /^\/v1\/checkout\/sessions\/([^/]+)$/.exec(url.pathname);
      if (method === "GET" && retrieve) {
        const session = sessions.get(decodeURIComponent(retrieve[1]!));
        return session ? send(200, session) : error(404);
      }

      return error(404, `Unrecognized request URL (${method}: ${url.pathname}).`);
    });
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    sessions,
    fail(status, options = {}) {
      failures.push({ status, path: options.path, remaining: options.times ?? Number.POSITIVE_INFINITY });
    },
    recover() {
      failures = [];
      delayMs = 0;
    },
    delay(ms) {
      delayMs = ms;
    },
    setSession(id, patch) {
      const session = sessions.get(id);
      if (!session) throw new Error(`fake stripe: no session ${id}`);
      Object.assign(session, patch);
      return session;
    },
    since(from) {
      return requests.slice(from);
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
