package dev.voicebridge.e2e;

import dev.voicebridge.testkit.realtime.FakeRealtimeServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The model's side of the capacity benchmark's clock: when the caller's talk spurts reached the
 * fake realtime service (the first loud frame after a pause, decoded by the worker and appended),
 * and when each response's audio started to leave it. The phones and the fake share this JVM's
 * {@link System#nanoTime()}, so the worker's added latency each way is a plain difference. Each
 * session is tied to its call by the instructions the benchmark gives each call ("bench call N").
 */
final class ModelTimings implements FakeRealtimeServer.Observer {
    private static final Pattern CALL = Pattern.compile("bench call (\\d+)");
    /** Decoded caller audio this loud is speech (the phones' pauses decode to near zero). */
    private static final double LOUD_RMS = 500;
    /** A talk spurt starts after at least this many quiet frames. */
    private static final int PAUSE_FRAMES = 10;

    private final Map<Integer, Integer> callOfConnection = new ConcurrentHashMap<>();
    private final Map<Integer, int[]> quietFrames = new ConcurrentHashMap<>();
    private final Map<Integer, List<Long>> speechArrived = new ConcurrentHashMap<>();
    private final Map<Integer, List<Long>> responseStarted = new ConcurrentHashMap<>();
    private final Map<Integer, List<Long>> configured = new ConcurrentHashMap<>();
    private final Map<Integer, List<Long>> requested = new ConcurrentHashMap<>();

    @Override
    public void sessionUpdated(int connection, String instructions) {
        Matcher m = CALL.matcher(instructions);
        if (m.find()) {
            callOfConnection.put(connection, Integer.parseInt(m.group(1)));
            record(configured, connection, System.nanoTime());
        }
    }

    @Override
    public void appended(int connection, short[] pcm, long nanoTime) {
        int[] quiet = quietFrames.computeIfAbsent(connection, c -> new int[] {PAUSE_FRAMES});
        for (int off = 0; off + 480 <= pcm.length; off += 480) {
            double sum = 0;
            for (int i = off; i < off + 480; i++) {
                sum += (double) pcm[i] * pcm[i];
            }
            boolean loud = Math.sqrt(sum / 480) > LOUD_RMS;
            if (loud && quiet[0] >= PAUSE_FRAMES) {
                record(speechArrived, connection, nanoTime);
            }
            quiet[0] = loud ? 0 : quiet[0] + 1;
        }
    }

    @Override
    public void responseRequested(int connection, long nanoTime) {
        record(requested, connection, nanoTime);
    }

    @Override
    public void audioSent(int connection, String itemId, int offsetSamples, long nanoTime) {
        if (offsetSamples == 0) {
            record(responseStarted, connection, nanoTime);
        }
    }

    private void record(Map<Integer, List<Long>> events, int connection, long nanoTime) {
        Integer call = callOfConnection.get(connection);
        if (call != null) {
            List<Long> list = events.computeIfAbsent(call, c -> new ArrayList<>());
            synchronized (list) {
                list.add(nanoTime);
            }
        }
    }

    /** When the worker handed call {@code call}'s talk spurts to the model. */
    long[] speechArrived(int call) {
        return copy(speechArrived.get(call));
    }

    /** When call {@code call}'s session was configured (its {@code session.update} arrived). */
    long[] configured(int call) {
        return copy(configured.get(call));
    }

    /** When call {@code call} asked the model for a response. */
    long[] requested(int call) {
        return copy(requested.get(call));
    }

    /** When the model's responses to call {@code call} began to stream. */
    long[] responseStarted(int call) {
        return copy(responseStarted.get(call));
    }

    private static long[] copy(List<Long> list) {
        if (list == null) {
            return new long[0];
        }
        synchronized (list) {
            return list.stream().mapToLong(Long::longValue).toArray();
        }
    }

    /** Forgets the events so far (a new measurement window). */
    void reset() {
        for (var events : List.of(speechArrived, responseStarted, requested, configured)) {
            events.values().forEach(l -> {
                synchronized (l) {
                    l.clear();
                }
            });
        }
    }
}
