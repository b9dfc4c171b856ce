package dev.voicebridge.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicebridge.testkit.audio.PcmSource;
import dev.voicebridge.testkit.audio.Signals;
import dev.voicebridge.testkit.audio.WavFile;
import dev.voicebridge.testkit.phone.PhoneHost;
import dev.voicebridge.testkit.phone.PhoneOptions;
import dev.voicebridge.testkit.phone.SyntheticPhone;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * {@code ./voicebridge call}: places one call against the running local stack in API mode (with
 * {@code --whatsapp}, as WhatsApp does: {@link WhatsAppLeg}). A
 * WhatsApp-like synthetic phone on 127.0.0.1 makes the offer, {@code POST /v1/calls} returns our
 * answer, the phone takes it and the call is confirmed accepted (in production the client does
 * WhatsApp's pre_accept/accept here). The phone then says a WAV (or a generated speech-like
 * phrase), records what it hears, hangs up, and the call's timeline and figures are printed from
 * {@code GET /v1/calls/{id}}.
 */
public final class PlaceCall {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The SRTP library logs its AES benchmark at INFO; held so the level sticks. */
    private static final java.util.logging.Logger JITSI_LOG = java.util.logging.Logger.getLogger("org.jitsi");

    private PlaceCall() {}

    public static void main(String[] args) throws Exception {
        JITSI_LOG.setLevel(java.util.logging.Level.WARNING);
        LocalStack.quietClientLogs();
        CallOptions options;
        try {
            options = CallOptions.parse(args, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("voicebridge call: " + e.getMessage());
            System.err.println(CallOptions.USAGE);
            System.exit(2);
            return;
        }
        if (options.help()) {
            System.out.println(CallOptions.USAGE);
            return;
        }
        try {
            System.exit(run(options, System.out));
        } catch (java.net.ConnectException e) {
            System.err.println("voicebridge call: nothing answers at " + options.signaling()
                    + " — is the local stack up (./voicebridge up)? With other ports, set"
                    + " VOICEBRIDGE_LOCAL_SIGNALING_PORT or --signaling.");
            System.exit(1);
        }
    }

    static int run(CallOptions options, PrintStream out) throws Exception {
        short[] speech = options.wav() != null ? readWav(options.wav()) : phrase();
        var http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        var api = new Api(http, options.signaling(), options.token());
        // Room for everything until the hang-up: connect, greeting, the phrase, the answer (an echo
        // is as long as the phrase), margins. recording() returns only what was heard.
        int recordSeconds = options.listenSeconds() + 2 * speech.length / PcmSource.SAMPLE_RATE + 20;
        try (var host = PhoneHost.start();
                SyntheticPhone phone = host.newPhone(
                        new InetSocketAddress("127.0.0.1", 0),
                        new PhoneOptions(null, PcmSource.silence(), recordSeconds, false))) {
            WhatsAppLeg whatsapp = options.whatsapp()
                    ? new WhatsAppLeg(
                            http,
                            options.webhook() != null
                                    ? options.webhook()
                                    : options.signaling().resolve("/webhooks/whatsapp"),
                            options.graph(),
                            options.appSecret(),
                            options.phoneNumberId(),
                            out)
                    : null;
            String callId = "local-" + UUID.randomUUID();
            String path;
            if (options.outbound()) {
                path = OutboundDial.dial(api, options, phone, out);
            } else if (whatsapp != null) {
                out.println("call      | " + callId + " from a synthetic phone on " + phone.localAddress());
                phone.startRecording();
                if (!whatsapp.connect(callId, phone)) {
                    whatsapp.terminate(callId);
                    return 1;
                }
                path = "/v1/calls/" + URLEncoder.encode(callId, StandardCharsets.UTF_8);
            } else {
                path = inbound(api, callId, options, phone, out);
            }
            if (path == null) {
                return 1;
            }
            if (!phone.awaitConnected(Duration.ofSeconds(15))) {
                out.println("call      | media did not connect within 15 s: " + phone.stats());
                api.send("DELETE", path, null);
                return 1;
            }
            out.println("call      | connected; listening " + options.listenSeconds() + " s for the greeting");
            pause(Duration.ofSeconds(options.listenSeconds()));
            out.printf(
                    "call      | saying %.1f s of %s%n",
                    speech.length / 24_000.0, options.wav() != null ? options.wav() : "a generated speech-like phrase");
            phone.play(PcmSource.of(speech));
            // the phrase, the agent's answer (the embedded agent echoes it back: as long again), a margin
            pause(Duration.ofMillis(2 * speech.length * 1000L / PcmSource.SAMPLE_RATE + 2500));
            if (whatsapp != null) {
                out.println("call      | caller hung up: signed terminate webhook -> " + whatsapp.terminate(callId));
            } else {
                HttpResponse<String> hungUp = api.send("DELETE", path, null);
                out.println("call      | hung up (" + hungUp.statusCode() + ")");
            }
            JsonNode view = awaitEnd(api, path, Duration.ofSeconds(15));
            short[] heard = phone.recording();
            Path wavOut = options.out().toAbsolutePath();
            if (wavOut.getParent() != null) {
                Files.createDirectories(wavOut.getParent());
            }
            WavFile.write(wavOut, PcmSource.SAMPLE_RATE, heard);
            out.println();
            out.print(CallReport.render(view, phone.stats(), heard, wavOut));
            return "Ended".equals(view.path("phase").asText()) ? 0 : 1;
        }
    }

    /** API mode: the phone offers, POST /v1/calls answers, the client confirms the accept. */
    private static String inbound(Api api, String callId, CallOptions options, SyntheticPhone phone, PrintStream out)
            throws Exception {
        out.println("call      | " + callId + " from a synthetic phone on " + phone.localAddress());
        var create = JSON.createObjectNode()
                .put("callId", callId)
                .put("sdpOffer", phone.offer())
                .put("from", options.from())
                .put("to", "15550001906")
                .put("phoneNumberId", options.phoneNumberId());
        HttpResponse<String> created = api.send("POST", "/v1/calls", JSON.writeValueAsString(create));
        if (created.statusCode() != 201) {
            out.println("call      | POST /v1/calls answered " + created.statusCode() + ": " + created.body());
            return null;
        }
        phone.acceptAnswer(JSON.readTree(created.body()).path("sdpAnswer").asText());
        phone.startRecording();
        String path = "/v1/calls/" + URLEncoder.encode(callId, StandardCharsets.UTF_8);
        HttpResponse<String> accepted = api.send("POST", path + "/accepted", "");
        out.println("call      | answered; accepted (" + accepted.statusCode() + ")");
        return path;
    }

    /** 2.5 s of speech-like signal, peaking at about 60 % of full scale (a voice close to the mic). */
    static short[] phrase() {
        short[] s = Signals.speechLike(7, 2500);
        int peak = 1;
        for (short v : s) {
            peak = Math.max(peak, Math.abs(v));
        }
        double gain = 20_000.0 / peak;
        for (int i = 0; i < s.length; i++) {
            s[i] = (short) Math.round(s[i] * gain);
        }
        return s;
    }

    private static short[] readWav(Path wav) throws java.io.IOException {
        WavFile.Audio audio = WavFile.read(wav);
        if (audio.sampleRate() != PcmSource.SAMPLE_RATE) {
            throw new IllegalArgumentException(
                    wav + ": sample rate " + audio.sampleRate() + " Hz, the phone plays 24000 Hz mono PCM16");
        }
        return audio.samples();
    }

    private static JsonNode awaitEnd(Api api, String path, Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        JsonNode view;
        do {
            HttpResponse<String> response = api.send("GET", path, null);
            view = JSON.readTree(response.body());
            String phase = view.path("phase").asText();
            if (phase.equals("Ended") || phase.equals("Failed")) {
                // the worker writes its final figures right after the end
                pause(Duration.ofMillis(700));
                return JSON.readTree(api.send("GET", path, null).body());
            }
            pause(Duration.ofMillis(200));
        } while (Instant.now().isBefore(deadline));
        return view;
    }

    static void pause(Duration d) throws InterruptedException {
        Thread.sleep(d.toMillis());
    }

    /** The call API with the bearer token. */
    record Api(HttpClient http, URI base, String token) {
        HttpResponse<String> send(String method, String path, String body) throws Exception {
            var request = HttpRequest.newBuilder(base.resolve(path))
                    .timeout(Duration.ofSeconds(20))
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json")
                    .method(
                            method,
                            body == null
                                    ? HttpRequest.BodyPublishers.noBody()
                                    : HttpRequest.BodyPublishers.ofString(body));
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    /** Command line of {@code ./voicebridge call}; defaults match {@link LocalStack.Settings}. */
    record CallOptions(
            boolean help,
            Path wav,
            Path out,
            URI signaling,
            String token,
            String phoneNumberId,
            String from,
            int listenSeconds,
            boolean outbound,
            URI kube,
            String namespace,
            String appSecret,
            boolean whatsapp,
            URI graph,
            URI webhook) {
        static final String USAGE = """
                usage: ./voicebridge call [--outbound] [--wav FILE] [--out FILE] [--listen SECONDS]
                  --outbound      the agent calls a synthetic WhatsApp user (POST /v1/calls/outbound; the
                                  local stack's fake Graph API and this command play WhatsApp)
                  --wav FILE      what the phone says: 24 kHz mono PCM16 WAV (default: a generated phrase)
                  --out FILE      where what the phone heard is written (default: .local/heard.wav)
                  --listen SEC    seconds to listen to the greeting before speaking (default: 4)
                  --signaling URL signaling-service (default: http://127.0.0.1:$VOICEBRIDGE_LOCAL_SIGNALING_PORT or :8080)
                  --token TOKEN   call API token (default: $VOICEBRIDGE_LOCAL_API_TOKEN or local-api-token)
                  --from NUMBER   the caller's number, or with --outbound the user's (default: 447700900123)
                  --whatsapp      place it as WhatsApp does: signed connect webhook, the operator's
                                  pre_accept/accept to the Graph stand-in, signed terminate webhook
                  --webhook URL   with --whatsapp: deliver the webhooks there, e.g. an edge function
                                  (default: signaling's /webhooks/whatsapp)""";

        static CallOptions parse(String[] args, Map<String, String> env) {
            var settings = LocalStack.Settings.fromEnvironment(env);
            boolean help = false;
            Path wav = null;
            Path out = settings.home().resolve(".local/heard.wav");
            URI signaling = URI.create("http://127.0.0.1:" + settings.signalingPort());
            String token = settings.apiToken();
            String from = "447700900123";
            int listen = 4;
            boolean outbound = false;
            boolean whatsapp = false;
            URI webhook = null;
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                switch (arg) {
                    case "-h", "--help" -> help = true;
                    case "--outbound" -> outbound = true;
                    case "--wav" -> wav = Path.of(value(args, ++i, arg));
                    case "--out" -> out = Path.of(value(args, ++i, arg));
                    case "--signaling" -> signaling = URI.create(value(args, ++i, arg));
                    case "--token" -> token = value(args, ++i, arg);
                    case "--from" -> from = value(args, ++i, arg);
                    case "--listen" -> listen = seconds(value(args, ++i, arg));
                    case "--whatsapp" -> whatsapp = true;
                    case "--webhook" -> webhook = URI.create(value(args, ++i, arg));
                    default -> throw new IllegalArgumentException("unknown argument: " + arg);
                }
            }
            if (wav != null && !Files.isRegularFile(wav)) {
                throw new IllegalArgumentException("--wav " + wav + ": no such file");
            }
            return new CallOptions(
                    help,
                    wav,
                    out,
                    signaling,
                    token,
                    settings.phoneNumberId(),
                    from,
                    listen,
                    outbound,
                    URI.create("http://127.0.0.1:" + settings.kubePort()),
                    settings.namespace(),
                    settings.appSecret(),
                    whatsapp,
                    URI.create("http://127.0.0.1:" + settings.graphPort()),
                    webhook);
        }

        private static String value(String[] args, int i, String flag) {
            if (i >= args.length || args[i].startsWith("--")) {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            return args[i];
        }

        private static int seconds(String s) {
            try {
                int v = Integer.parseInt(s);
                if (v < 0 || v > 60) {
                    throw new IllegalArgumentException("--listen must be 0..60 seconds, got " + s);
                }
                return v;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--listen must be a number of seconds, got " + s);
            }
        }
    }
}
