/**
 * The narrow Opus port: {@link dev.voicebridge.media.codec.OpusDecoder} to 24 kHz mono (FEC for a
 * single loss, PLC otherwise) and {@link dev.voicebridge.media.codec.OpusEncoder} from 24 kHz mono
 * (VOIP, FEC, capped bitrate), created by {@link dev.voicebridge.media.codec.OpusCodecs}. libjitsi's
 * JNI binding stays behind these interfaces.
 */
package dev.voicebridge.media.codec;
