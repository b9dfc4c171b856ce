package dev.voicebridge.worker.pipeline;

import dev.voicebridge.media.codec.OpusEncoder;

/**
 * Sets the Opus encoder's FEC budget from the loss the peer reports about our stream (RTCP report
 * blocks, RFC 3550 6.4.1), as libwebrtc does, instead of a fixed guess; and the complexity with it.
 *
 * <p>Why the complexity follows the budget: the encoder is nearly all of a call's media CPU, and
 * most of that is SILK's noise-shaping quantiser, which LBRR (the in-band FEC, RFC 6716 2.1.7)
 * runs a second time per frame. At WhatsApp's 20 kb/s libopus codes LBRR only for a budget above
 * 5 % and only at complexity 2 or more (opus_encoder.c {@code decide_fec}, {@code
 * compute_equiv_rate}). So on a clean path there is no FEC to pay for, and the cheap complexity
 * costs a third of complexity 5 at the same fidelity; once the peer reports loss, the budget and the
 * FEC complexity apply from the next frame. Numbers in docs/benchmarks.md "Media path".
 *
 * <p>The initial budget is a guess that protects the first seconds (the greeting) on a lossy path;
 * the first report replaces it. After that, loss going up applies at once (the next lost packet
 * should already be recoverable) and loss going down pulls the budget down by {@link #RELEASE} of
 * the difference per report (WhatsApp reports every few seconds), so one clean interval in a lossy
 * call does not switch FEC off.
 * Pacer thread only (reports arrive through {@link CallMedia#onTick}).
 */
final class FecTuner {
    /** A larger budget only costs bits: LBRR carries one frame back, so it cannot repair bursts. */
    static final int MAX_LOSS_PERCENT = 20;

    /** The lowest budget for which libopus codes LBRR at 20 kb/s. */
    static final int FEC_THRESHOLD_PERCENT = 6;

    static final double RELEASE = 0.3;

    private final OpusEncoder encoder;
    private final int floorPercent;
    private final int complexity;
    private final int fecComplexity;
    private double smoothedPercent;
    private long reports;

    /**
     * @param initialPercent the budget until the first report
     * @param floorPercent the budget never goes below this
     * @param complexity below {@link #FEC_THRESHOLD_PERCENT}
     * @param fecComplexity from {@link #FEC_THRESHOLD_PERCENT} on
     */
    FecTuner(OpusEncoder encoder, int initialPercent, int floorPercent, int complexity, int fecComplexity) {
        this.encoder = encoder;
        this.floorPercent = floorPercent;
        this.complexity = complexity;
        this.fecComplexity = fecComplexity;
        this.smoothedPercent = initialPercent;
        apply();
    }

    /** A report block about our SSRC: the fraction of our packets lost since its previous one, in 1/256. */
    void onPeerReport(int fractionLost256) {
        double reported = Math.min(MAX_LOSS_PERCENT, Math.max(0, fractionLost256) * 100.0 / 256);
        if (reports == 0 || reported >= smoothedPercent) {
            smoothedPercent = reported; // the initial budget was a guess; a measurement replaces it
        } else {
            smoothedPercent += (reported - smoothedPercent) * RELEASE;
        }
        reports++;
        apply();
    }

    private void apply() {
        int percent = budgetPercent();
        encoder.retune(percent, percent >= FEC_THRESHOLD_PERCENT ? fecComplexity : complexity);
    }

    /** What the encoder budgets FEC for now; 0 when the peer does not decode FEC. */
    int budgetPercent() {
        if (!encoder.settings().inbandFec()) {
            return 0;
        }
        return (int) Math.max(floorPercent, Math.min(MAX_LOSS_PERCENT, Math.round(smoothedPercent)));
    }

    long reports() {
        return reports;
    }

    @Override
    public String toString() {
        return "FecTuner(budget=" + budgetPercent() + "%, complexity="
                + encoder.settings().complexity() + ", reports=" + reports + ")";
    }
}
