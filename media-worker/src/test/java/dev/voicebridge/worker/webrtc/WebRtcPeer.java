package dev.voicebridge.worker.webrtc;

import dev.onvoid.webrtc.CreateSessionDescriptionObserver;
import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.PeerConnectionObserver;
import dev.onvoid.webrtc.RTCConfiguration;
import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.RTCIceConnectionState;
import dev.onvoid.webrtc.RTCIceGatheringState;
import dev.onvoid.webrtc.RTCOfferOptions;
import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCPeerConnectionState;
import dev.onvoid.webrtc.RTCRtpTransceiver;
import dev.onvoid.webrtc.RTCSdpType;
import dev.onvoid.webrtc.RTCSessionDescription;
import dev.onvoid.webrtc.SetSessionDescriptionObserver;
import dev.onvoid.webrtc.media.audio.AudioTrack;
import dev.onvoid.webrtc.media.audio.CustomAudioSource;
import dev.onvoid.webrtc.media.audio.HeadlessAudioDeviceModule;
import dev.voicebridge.testkit.audio.PcmSource;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A real libwebrtc endpoint (Google's native stack through webrtc-java) as the caller: full ICE,
 * DTLS server role (it offers actpass, we answer active), Opus, NetEq jitter buffer. It plays 24 kHz
 * PCM through a {@link CustomAudioSource} in 10 ms pushes and records what its headless audio
 * device plays out, resampled to 24 kHz.
 */
public final class WebRtcPeer implements AutoCloseable {
    private final HeadlessAudioDeviceModule audioDevice = new HeadlessAudioDeviceModule();
    private final PeerConnectionFactory factory = new PeerConnectionFactory(audioDevice);
    private final CustomAudioSource source = new CustomAudioSource();
    private final AudioTrack track = factory.createAudioTrack("caller-audio", source);
    private final CompletableFuture<Void> gathered = new CompletableFuture<>();
    public final CompletableFuture<Void> iceConnected = new CompletableFuture<>();
    /** DTLS is up too (RTCPeerConnectionState CONNECTED): the send stream is running. */
    public final CompletableFuture<Void> connected = new CompletableFuture<>();

    private final ScheduledExecutorService pusher = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("webrtc-push").daemon().factory());
    private final RTCPeerConnection connection;
    private final Object recordingLock = new Object();
    private short[] recording = new short[24_000 * 20];
    private int recorded;
    private volatile boolean recordingOn;
    private volatile PcmSource playing = PcmSource.silence();

    public WebRtcPeer() {
        var config = new RTCConfiguration();
        connection = factory.createPeerConnection(config, new PeerConnectionObserver() {
            @Override
            public void onIceCandidate(RTCIceCandidate candidate) {}

            @Override
            public void onIceGatheringChange(RTCIceGatheringState state) {
                if (state == RTCIceGatheringState.COMPLETE) {
                    gathered.complete(null);
                }
            }

            @Override
            public void onIceConnectionChange(RTCIceConnectionState state) {
                if (state == RTCIceConnectionState.CONNECTED || state == RTCIceConnectionState.COMPLETED) {
                    iceConnected.complete(null);
                } else if (state == RTCIceConnectionState.FAILED) {
                    iceConnected.completeExceptionally(new IllegalStateException("libwebrtc ICE failed"));
                }
            }

            @Override
            public void onConnectionChange(RTCPeerConnectionState state) {
                if (state == RTCPeerConnectionState.CONNECTED) {
                    connected.complete(null);
                }
            }

            @Override
            public void onTrack(RTCRtpTransceiver transceiver) {
                if (transceiver.getReceiver().getTrack() instanceof AudioTrack remote) {
                    remote.addSink(WebRtcPeer.this::onAudio);
                }
            }
        });
        connection.addTrack(track, List.of("caller"));
        // Playout drives the remote track's sinks; the headless module's own capture stays off
        // (see startSending): only our pushes may feed the send stream.
        audioDevice.initPlayout();
        audioDevice.startPlayout();
    }

    /**
     * Starts the 10 ms pushes. libwebrtc's send stream must be fed from one thread only (it
     * race-checks), and the headless module starts a simulated capture of its own once the call's
     * send stream starts (after DTLS): stop that first, and keep it stopped.
     */
    public void startSending() throws Exception {
        connected.get(10, TimeUnit.SECONDS);
        try {
            audioDevice.stopRecording();
        } catch (RuntimeException e) {
            System.out.println("webrtc stopRecording: " + e);
        }
        short[] frame = new short[240];
        byte[] bytes = new byte[480];
        short[] twenty = new short[PcmSource.FRAME_SAMPLES];
        int[] half = {0};
        long[] pushes = {0};
        // 10 ms pushes of 24 kHz mono; the PcmSource gives 20 ms, so split each frame in two.
        pusher.scheduleAtFixedRate(
                () -> {
                    if (++pushes[0] > 0) {
                        try {
                            audioDevice.stopRecording(); // idempotent, returns at once when stopped
                        } catch (RuntimeException e) {
                            if (pushes[0] < 100) {
                                System.out.println("webrtc stopRecording in pusher: " + e);
                            }
                        }
                    }
                    if (half[0] == 0) {
                        playing.next(twenty);
                    }
                    System.arraycopy(twenty, half[0] * 240, frame, 0, 240);
                    half[0] ^= 1;
                    for (int i = 0; i < 240; i++) {
                        bytes[2 * i] = (byte) frame[i];
                        bytes[2 * i + 1] = (byte) (frame[i] >> 8);
                    }
                    source.pushAudio(bytes, 16, 24_000, 1, 240);
                },
                10,
                10,
                TimeUnit.MILLISECONDS);
    }

    /** Creates the offer and waits for candidate gathering (no trickle towards the worker). */
    public String offer() throws Exception {
        var created = new CompletableFuture<RTCSessionDescription>();
        connection.createOffer(new RTCOfferOptions(), new CreateSessionDescriptionObserver() {
            @Override
            public void onSuccess(RTCSessionDescription description) {
                created.complete(description);
            }

            @Override
            public void onFailure(String error) {
                created.completeExceptionally(new IllegalStateException(error));
            }
        });
        var set = new CompletableFuture<Void>();
        connection.setLocalDescription(created.get(10, TimeUnit.SECONDS), observer(set));
        set.get(10, TimeUnit.SECONDS);
        gathered.get(15, TimeUnit.SECONDS);
        return connection.getLocalDescription().sdp;
    }

    public void answer(String sdp) throws Exception {
        var set = new CompletableFuture<Void>();
        connection.setRemoteDescription(new RTCSessionDescription(RTCSdpType.ANSWER, sdp), observer(set));
        set.get(10, TimeUnit.SECONDS);
    }

    private static SetSessionDescriptionObserver observer(CompletableFuture<Void> done) {
        return new SetSessionDescriptionObserver() {
            @Override
            public void onSuccess() {
                done.complete(null);
            }

            @Override
            public void onFailure(String error) {
                done.completeExceptionally(new IllegalStateException(error));
            }
        };
    }

    public void play(PcmSource value) {
        playing = value;
    }

    public void startRecording() {
        synchronized (recordingLock) {
            recorded = 0;
            recordingOn = true;
        }
    }

    public short[] recording() {
        synchronized (recordingLock) {
            return Arrays.copyOf(recording, recorded);
        }
    }

    /** Playout from libwebrtc's audio device thread: 10 ms of PCM16 at its own rate. */
    private void onAudio(byte[] data, int bitsPerSample, int sampleRate, int channels, int frames) {
        if (!recordingOn || bitsPerSample != 16) {
            return;
        }
        synchronized (recordingLock) {
            // Take channel 0 and resample to 24 kHz by picking the nearest sample (enough for
            // tone detection and correlation of band-limited speech).
            int outFrames = frames * 24_000 / sampleRate;
            for (int i = 0; i < outFrames && recorded < recording.length; i++) {
                int src = (int) ((long) i * sampleRate / 24_000) * channels;
                recording[recorded++] = (short) ((data[2 * src] & 0xFF) | (data[2 * src + 1] << 8));
            }
        }
    }

    @Override
    public void close() {
        pusher.shutdownNow();
        connection.close();
        // The closed connection's sender may still reference the track natively; leaking one test
        // track is better than failing a test in cleanup.
        quietly(source::dispose);
        quietly(factory::dispose);
        quietly(audioDevice::dispose);
    }

    private static void quietly(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException | Error e) {
            // cleanup only
        }
    }
}
