// voicebridge softphone: this page is the caller. Its RTCPeerConnection offers (all candidates in
// the offer, as WhatsApp's offers have them), POST /v1/calls returns the media worker's answer,
// and POST /accepted tells voicebridge media may flow (the page accepts its own call). The call's
// phase, transcript, latency and cost are polled from GET /v1/calls/{callId}.
"use strict";

const $ = (id) => document.getElementById(id);
const state = { pc: null, callId: null, poll: null, audio: null, heard: [], heardRate: 48000 };

// The URL's fragment (#token=…&agent=…) never reaches a server: the local stack prints such a link.
const fragment = new URLSearchParams(location.hash.slice(1));
$("token").value = fragment.get("token") || sessionStorage.getItem("voicebridge.token") || "";
$("agent").value = fragment.get("agent") || "";
const base = location.pathname.replace(/\/softphone\/?$/, "");

async function api(method, path, body) {
  const response = await fetch(base + path, {
    method,
    headers: { "Authorization": "Bearer " + $("token").value, "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const json = text ? JSON.parse(text) : {};
  if (!response.ok) throw new Error((json.code || response.status) + ": " + (json.detail || text));
  return json;
}

function show(id, text) {
  $(id).textContent = text;
}

function gathered(pc, timeoutMs) {
  if (pc.iceGatheringState === "complete") return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => pc.iceGatheringState === "complete" && resolve();
    pc.addEventListener("icegatheringstatechange", done);
    setTimeout(resolve, timeoutMs);
  });
}

/** Keeps what the page hears (the agent), for a listener and for tests. */
function record(stream) {
  const audio = new AudioContext();
  state.audio = audio;
  state.heardRate = audio.sampleRate;
  const source = audio.createMediaStreamSource(stream);
  const tap = audio.createScriptProcessor(4096, 1, 1);
  tap.onaudioprocess = (e) => state.heard.push(new Float32Array(e.inputBuffer.getChannelData(0)));
  source.connect(tap);
  tap.connect(audio.destination);
}

async function call() {
  $("error").textContent = "";
  sessionStorage.setItem("voicebridge.token", $("token").value);
  $("call").disabled = true;
  $("transcript").replaceChildren();
  state.heard = [];
  try {
    show("phase", "microphone");
    const mic = await navigator.mediaDevices.getUserMedia({ audio: true });
    const pc = new RTCPeerConnection();
    state.pc = pc;
    mic.getTracks().forEach((t) => pc.addTrack(t, mic));
    pc.ontrack = (e) => {
      $("remote").srcObject = e.streams[0];
      record(e.streams[0]);
    };
    pc.onconnectionstatechange = () => {
      if (pc.connectionState === "failed") $("error").textContent = "media connection failed";
    };
    await pc.setLocalDescription(await pc.createOffer());
    show("phase", "gathering");
    await gathered(pc, 3000);
    state.callId = "softphone-" + crypto.randomUUID();
    show("phase", "calling");
    const created = await api("POST", "/v1/calls", {
      callId: state.callId,
      sdpOffer: pc.localDescription.sdp,
      from: "softphone",
      agent: $("agent").value || undefined,
    });
    show("name", created.name);
    await pc.setRemoteDescription({ type: "answer", sdp: created.sdpAnswer });
    await api("POST", "/v1/calls/" + encodeURIComponent(state.callId) + "/accepted");
    $("hangup").disabled = false;
    state.poll = setInterval(refresh, 1000);
    refresh();
  } catch (e) {
    $("error").textContent = e.message;
    end();
  }
}

async function refresh() {
  if (!state.callId) return;
  let view;
  try {
    view = await api("GET", "/v1/calls/" + encodeURIComponent(state.callId));
  } catch (e) {
    $("error").textContent = e.message;
    return;
  }
  show("phase", view.phase || "-");
  const ts = view.timestamps || {};
  if (view.receivedAt && ts.connectedAt) {
    show("setup", (Date.parse(ts.connectedAt) - Date.parse(view.receivedAt)) + " ms");
  }
  const agent = view.agentStatus || {};
  if (agent.lastResponseLatencyMillis != null) {
    show("latency", agent.lastResponseLatencyMillis + " ms (mean " + agent.meanResponseLatencyMillis + " ms)");
  }
  if (agent.estimatedCostUsd != null) show("cost", agent.estimatedCostUsd + " USD");
  const lines = (agent.transcript || []).map((line) => {
    const li = document.createElement("li");
    li.className = line.role;
    li.textContent = line.role + ": " + line.text;
    return li;
  });
  $("transcript").replaceChildren(...lines);
  if (view.end) {
    show("end", view.end.reason + (view.end.message ? " (" + view.end.message + ")" : ""));
    end();
  }
}

async function hangUp() {
  $("hangup").disabled = true;
  if (state.callId) {
    try {
      await api("DELETE", "/v1/calls/" + encodeURIComponent(state.callId));
    } catch (e) {
      $("error").textContent = e.message;
    }
  }
}

function end() {
  if (state.pc) state.pc.close();
  state.pc = null;
  if (state.poll) clearInterval(state.poll);
  state.poll = null;
  $("hangup").disabled = true;
  $("call").disabled = false;
}

/** What the page heard, as base64 PCM16 mono at `rate` Hz (nearest-sample resampling). */
function heardPcm16(rate) {
  const total = state.heard.reduce((n, b) => n + b.length, 0);
  const all = new Float32Array(total);
  let off = 0;
  for (const b of state.heard) {
    all.set(b, off);
    off += b.length;
  }
  const n = Math.floor(total * rate / state.heardRate);
  const bytes = new Uint8Array(n * 2);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < n; i++) {
    const v = Math.max(-1, Math.min(1, all[Math.floor(i * state.heardRate / rate)]));
    view.setInt16(i * 2, Math.round(v * 32767), true);
  }
  let binary = "";
  for (let i = 0; i < bytes.length; i += 8192) binary += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return btoa(binary);
}

window.softphone = { heardPcm16, state };
$("call").addEventListener("click", call);
$("hangup").addEventListener("click", hangUp);
