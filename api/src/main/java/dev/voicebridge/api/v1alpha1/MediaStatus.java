package dev.voicebridge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;

/** Media plane figures for the call, written on transitions and every stats interval. */
@StatusPart(Writer.MEDIA_WORKER)
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MediaStatus {

    @JsonPropertyDescription("The placement attempt (status.assignment.attempt) whose worker wrote this part;"
            + " an earlier attempt's answer or offer is never sent to WhatsApp.")
    @Min(1) private Integer attempt;

    @JsonPropertyDescription("Our SDP answer (CRLF). pre_accept and accept send exactly these bytes.")
    @Size(max = 65536) private String sdpAnswer;

    @JsonPropertyDescription("When the answer was written, RFC 3339 time.")
    private String answeredAt;

    @JsonPropertyDescription("Outbound: our SDP offer (CRLF), sent in WhatsApp connect.")
    @Size(max = 65536) private String sdpOffer;

    @JsonPropertyDescription("Outbound: when the offer was written, RFC 3339 time.")
    private String offeredAt;

    @JsonPropertyDescription("ICE state: Gathering, Checking, Connected, Failed, Closed.")
    @Size(max = 32) private String iceState;

    @JsonPropertyDescription("DTLS state: New, Connecting, Connected, Failed, Closed.")
    @Size(max = 32) private String dtlsState;

    @JsonPropertyDescription("ICE checks start to selected pair, in milliseconds.")
    @Min(0) private Long iceMillis;

    @JsonPropertyDescription("DTLS handshake duration in milliseconds.")
    @Min(0) private Long dtlsMillis;

    @JsonPropertyDescription("Selected candidate pair, local -> remote.")
    @Size(max = 256) private String selectedPair;

    @JsonPropertyDescription("SRTP protection profile negotiated by DTLS.")
    @Size(max = 64) private String srtpProfile;

    @JsonPropertyDescription("When the worker released media to the caller, RFC 3339 time: the call's accept"
            + " (WhatsApp's, the client's, or with acceptBy media the caller's first authenticated packet).")
    private String mediaStartedAt;

    @JsonPropertyDescription("RTP packets received.")
    @Min(0) private Long packetsIn;

    @JsonPropertyDescription("RTP packets sent.")
    @Min(0) private Long packetsOut;

    @JsonPropertyDescription("RTP payload bytes received.")
    @Min(0) private Long bytesIn;

    @JsonPropertyDescription("RTP payload bytes sent.")
    @Min(0) private Long bytesOut;

    @JsonPropertyDescription("Packets lost (by sequence gaps) before concealment.")
    @Min(0) private Long packetsLost;

    @JsonPropertyDescription("Receive loss in percent.")
    @Min(0) @Max(100) private Double lossPercent;

    @JsonPropertyDescription("Interarrival jitter (RFC 3550) in milliseconds.")
    @Min(0) private Double jitterMillis;

    @JsonPropertyDescription("Packets that arrived too late for playout.")
    @Min(0) private Long latePackets;

    @JsonPropertyDescription("Duplicate packets dropped.")
    @Min(0) private Long duplicatePackets;

    @JsonPropertyDescription("Audio concealed with FEC or PLC, in milliseconds.")
    @Min(0) private Long concealedMillis;

    @JsonPropertyDescription("Current jitter buffer depth in milliseconds.")
    @Min(0) private Integer jitterBufferMillis;

    @JsonPropertyDescription("SRTP/SRTCP packets dropped for failed authentication.")
    @Min(0) private Long srtpAuthFailures;

    @JsonPropertyDescription("When these figures were written, RFC 3339 time.")
    private String updatedAt;

    public Integer getAttempt() {
        return attempt;
    }

    public void setAttempt(Integer attempt) {
        this.attempt = attempt;
    }

    public String getSdpAnswer() {
        return sdpAnswer;
    }

    public void setSdpAnswer(String sdpAnswer) {
        this.sdpAnswer = sdpAnswer;
    }

    public String getAnsweredAt() {
        return answeredAt;
    }

    public void setAnsweredAt(String answeredAt) {
        this.answeredAt = answeredAt;
    }

    public String getSdpOffer() {
        return sdpOffer;
    }

    public void setSdpOffer(String sdpOffer) {
        this.sdpOffer = sdpOffer;
    }

    public String getOfferedAt() {
        return offeredAt;
    }

    public void setOfferedAt(String offeredAt) {
        this.offeredAt = offeredAt;
    }

    public String getIceState() {
        return iceState;
    }

    public void setIceState(String iceState) {
        this.iceState = iceState;
    }

    public String getDtlsState() {
        return dtlsState;
    }

    public void setDtlsState(String dtlsState) {
        this.dtlsState = dtlsState;
    }

    public Long getIceMillis() {
        return iceMillis;
    }

    public void setIceMillis(Long iceMillis) {
        this.iceMillis = iceMillis;
    }

    public Long getDtlsMillis() {
        return dtlsMillis;
    }

    public void setDtlsMillis(Long dtlsMillis) {
        this.dtlsMillis = dtlsMillis;
    }

    public String getSelectedPair() {
        return selectedPair;
    }

    public void setSelectedPair(String selectedPair) {
        this.selectedPair = selectedPair;
    }

    public String getSrtpProfile() {
        return srtpProfile;
    }

    public void setSrtpProfile(String srtpProfile) {
        this.srtpProfile = srtpProfile;
    }

    public String getMediaStartedAt() {
        return mediaStartedAt;
    }

    public void setMediaStartedAt(String mediaStartedAt) {
        this.mediaStartedAt = mediaStartedAt;
    }

    public Long getPacketsIn() {
        return packetsIn;
    }

    public void setPacketsIn(Long packetsIn) {
        this.packetsIn = packetsIn;
    }

    public Long getPacketsOut() {
        return packetsOut;
    }

    public void setPacketsOut(Long packetsOut) {
        this.packetsOut = packetsOut;
    }

    public Long getBytesIn() {
        return bytesIn;
    }

    public void setBytesIn(Long bytesIn) {
        this.bytesIn = bytesIn;
    }

    public Long getBytesOut() {
        return bytesOut;
    }

    public void setBytesOut(Long bytesOut) {
        this.bytesOut = bytesOut;
    }

    public Long getPacketsLost() {
        return packetsLost;
    }

    public void setPacketsLost(Long packetsLost) {
        this.packetsLost = packetsLost;
    }

    public Double getLossPercent() {
        return lossPercent;
    }

    public void setLossPercent(Double lossPercent) {
        this.lossPercent = lossPercent;
    }

    public Double getJitterMillis() {
        return jitterMillis;
    }

    public void setJitterMillis(Double jitterMillis) {
        this.jitterMillis = jitterMillis;
    }

    public Long getLatePackets() {
        return latePackets;
    }

    public void setLatePackets(Long latePackets) {
        this.latePackets = latePackets;
    }

    public Long getDuplicatePackets() {
        return duplicatePackets;
    }

    public void setDuplicatePackets(Long duplicatePackets) {
        this.duplicatePackets = duplicatePackets;
    }

    public Long getConcealedMillis() {
        return concealedMillis;
    }

    public void setConcealedMillis(Long concealedMillis) {
        this.concealedMillis = concealedMillis;
    }

    public Integer getJitterBufferMillis() {
        return jitterBufferMillis;
    }

    public void setJitterBufferMillis(Integer jitterBufferMillis) {
        this.jitterBufferMillis = jitterBufferMillis;
    }

    public Long getSrtpAuthFailures() {
        return srtpAuthFailures;
    }

    public void setSrtpAuthFailures(Long srtpAuthFailures) {
        this.srtpAuthFailures = srtpAuthFailures;
    }

    public String getUpdatedAt() {
        return updatedAt;
    }

    public void setUpdatedAt(String updatedAt) {
        this.updatedAt = updatedAt;
    }
}
