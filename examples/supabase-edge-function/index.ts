// A Supabase-style edge function (Deno) that owns the WhatsApp leg of a call and lets voicebridge
// answer it: WhatsApp's webhook -> this function -> voicebridge's call API, and the function
// accepts the call with WhatsApp's Graph API itself. Only Web APIs and Deno built-ins: no imports.
//
// Flow for a `connect` webhook (https://developers.facebook.com/docs/whatsapp/cloud-api/calling):
//   1. verify X-Hub-Signature-256 (HMAC-SHA256 of the raw body with the app secret)
//   2. POST {VOICEBRIDGE_URL}/v1/calls with the caller's SDP offer -> voicebridge's SDP answer
//   3. Graph pre_accept, then accept, with that answer (byte-identical SDP both times)
//   4. POST /v1/calls/{callId}/accepted: voicebridge may start media now (not before)
// A `terminate` webhook maps to DELETE /v1/calls/{callId}. A call that cannot be set up is
// rejected with WhatsApp and hung up with voicebridge. Retryable failures (429, 5xx, timeouts)
// are retried with backoff; WhatsApp re-delivers a webhook we answer with a non-2xx, and every step
// here is idempotent per call id (voicebridge keeps one call per call id and offer).

const env = (name: string, fallback?: string): string => {
  const value = Deno.env.get(name) ?? fallback;
  if (value === undefined || value === "") throw new Error(`${name} is not set`);
  return value;
};

const config = {
  voicebridgeUrl: env("VOICEBRIDGE_URL").replace(/\/+$/, ""),
  voicebridgeToken: env("VOICEBRIDGE_API_TOKEN"),
  appSecret: env("WHATSAPP_APP_SECRET"),
  verifyToken: env("WHATSAPP_VERIFY_TOKEN"),
  accessToken: env("WHATSAPP_ACCESS_TOKEN"),
  graphUrl: env("GRAPH_API_URL", "https://graph.facebook.com").replace(/\/+$/, ""),
  graphVersion: env("GRAPH_API_VERSION", "v23.0"),
  agent: Deno.env.get("VOICEBRIDGE_AGENT") || undefined,
};

const encoder = new TextEncoder();
const hmacKey = crypto.subtle.importKey(
  "raw",
  encoder.encode(config.appSecret),
  { name: "HMAC", hash: "SHA-256" },
  false,
  ["sign"],
);

/** Constant-time comparison of the signature header with our HMAC of the raw body. */
async function signatureValid(body: ArrayBuffer, header: string | null): Promise<boolean> {
  if (!header?.startsWith("sha256=")) return false;
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", await hmacKey, body));
  const expected = Array.from(mac, (b) => b.toString(16).padStart(2, "0")).join("");
  const given = header.slice("sha256=".length).toLowerCase();
  if (given.length !== expected.length) return false;
  let diff = 0;
  for (let i = 0; i < expected.length; i++) diff |= given.charCodeAt(i) ^ expected.charCodeAt(i);
  return diff === 0;
}

class HttpError extends Error {
  constructor(readonly status: number, readonly body: string, readonly retryAfterSeconds?: number) {
    super(`HTTP ${status}: ${body.slice(0, 300)}`);
  }
  get retryable(): boolean {
    return this.status === 429 || this.status >= 500;
  }
}

/** fetch with a timeout; non-2xx becomes an HttpError. */
async function call(url: string, init: RequestInit, timeoutMs = 15_000): Promise<Response> {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  if (!response.ok) {
    const retryAfter = Number(response.headers.get("Retry-After"));
    throw new HttpError(response.status, await response.text(), Number.isFinite(retryAfter) ? retryAfter : undefined);
  }
  return response;
}

/** Retries timeouts, network errors, 429 and 5xx with exponential backoff (or Retry-After). */
async function withRetries<T>(what: string, attempt: () => Promise<T>, attempts = 4): Promise<T> {
  let delayMs = 300;
  for (let i = 1; ; i++) {
    try {
      return await attempt();
    } catch (e) {
      const retryable = !(e instanceof HttpError) || e.retryable;
      if (!retryable || i >= attempts) throw e;
      const wait = e instanceof HttpError && e.retryAfterSeconds ? e.retryAfterSeconds * 1000 : delayMs;
      console.warn(`${what}: attempt ${i} failed (${(e as Error).message}); retrying in ${wait} ms`);
      await new Promise((resolve) => setTimeout(resolve, wait));
      delayMs = Math.min(delayMs * 2, 4_000);
    }
  }
}

const voicebridge = (method: string, path: string, body?: unknown) =>
  call(`${config.voicebridgeUrl}${path}`, {
    method,
    headers: { "Authorization": `Bearer ${config.voicebridgeToken}`, "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

const graph = (phoneNumberId: string, body: Record<string, unknown>) =>
  call(`${config.graphUrl}/${config.graphVersion}/${phoneNumberId}/calls`, {
    method: "POST",
    headers: { "Authorization": `Bearer ${config.accessToken}`, "Content-Type": "application/json" },
    body: JSON.stringify({ messaging_product: "whatsapp", ...body }),
  });

const callPath = (callId: string) => `/v1/calls/${encodeURIComponent(callId)}`;

interface WhatsAppCall {
  id: string;
  event: string;
  from?: string;
  to?: string;
  session?: { sdp_type?: string; sdp?: string };
}

async function onConnect(phoneNumberId: string, c: WhatsAppCall): Promise<void> {
  if (!c.session?.sdp) throw new Error(`connect for a call without an SDP offer`);
  const created = await withRetries("POST /v1/calls", () =>
    voicebridge("POST", "/v1/calls", {
      callId: c.id,
      sdpOffer: c.session!.sdp,
      from: c.from,
      to: c.to,
      phoneNumberId,
      agent: config.agent,
      acceptBy: "caller",
    }));
  const { sdpAnswer } = await created.json();
  try {
    // WhatsApp takes the first media packet as the answer: pre_accept lets ICE/DTLS start,
    // accept (the same SDP, byte for byte) lets media flow.
    const session = { sdp_type: "answer", sdp: sdpAnswer };
    await withRetries("pre_accept", () => graph(phoneNumberId, { call_id: c.id, action: "pre_accept", session }));
    await withRetries("accept", () => graph(phoneNumberId, { call_id: c.id, action: "accept", session }));
  } catch (e) {
    // Could not accept: tell WhatsApp (the caller stops ringing) and end voicebridge's side.
    await graph(phoneNumberId, { call_id: c.id, action: "reject" }).catch(() => {});
    await voicebridge("DELETE", callPath(c.id)).catch(() => {});
    throw e;
  }
  await withRetries("POST /accepted", () => voicebridge("POST", `${callPath(c.id)}/accepted`));
  console.log(`call ${c.id.slice(0, 12)}…: accepted, media may flow`);
}

async function onTerminate(c: WhatsAppCall): Promise<void> {
  try {
    await withRetries("DELETE /v1/calls", () => voicebridge("DELETE", callPath(c.id)));
  } catch (e) {
    // A call voicebridge never had (setup failed, or already collected) needs no hang-up.
    if (!(e instanceof HttpError && e.status === 404)) throw e;
  }
  console.log(`call ${c.id.slice(0, 12)}…: terminated`);
}

export async function handle(req: Request): Promise<Response> {
  const url = new URL(req.url);
  if (req.method === "GET") {
    // Webhook subscription check.
    const ok = url.searchParams.get("hub.mode") === "subscribe" &&
      url.searchParams.get("hub.verify_token") === config.verifyToken;
    return ok
      ? new Response(url.searchParams.get("hub.challenge") ?? "", { headers: { "Content-Type": "text/plain" } })
      : new Response("verify token mismatch", { status: 403 });
  }
  if (req.method !== "POST") return new Response("method not allowed", { status: 405 });

  const body = await req.arrayBuffer();
  if (!(await signatureValid(body, req.headers.get("X-Hub-Signature-256")))) {
    return new Response("invalid signature", { status: 401 });
  }
  let payload: any;
  try {
    payload = JSON.parse(new TextDecoder().decode(body));
  } catch {
    return new Response("body is not JSON", { status: 400 });
  }
  const work: Promise<void>[] = [];
  for (const entry of payload?.entry ?? []) {
    for (const change of entry?.changes ?? []) {
      if (change?.field !== "calls") continue;
      const phoneNumberId: string = change.value?.metadata?.phone_number_id;
      for (const c of (change.value?.calls ?? []) as WhatsAppCall[]) {
        if (c.event === "connect") work.push(onConnect(phoneNumberId, c));
        else if (c.event === "terminate") work.push(onTerminate(c));
      }
    }
  }
  const failures = (await Promise.allSettled(work)).filter((r) => r.status === "rejected");
  if (failures.length > 0) {
    for (const f of failures) console.error(`webhook event failed: ${(f as PromiseRejectedResult).reason}`);
    // 500: WhatsApp delivers the webhook again; each step above is safe to repeat.
    return new Response("failed", { status: 500 });
  }
  return new Response("ok");
}

if (import.meta.main) {
  Deno.serve({ port: Number(Deno.env.get("PORT") ?? 8000), hostname: Deno.env.get("LISTEN_HOST") ?? "0.0.0.0" }, handle);
}
