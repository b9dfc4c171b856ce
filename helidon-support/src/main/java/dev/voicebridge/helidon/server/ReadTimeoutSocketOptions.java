package dev.voicebridge.helidon.server;

import io.helidon.common.socket.SocketOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketOption;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The listener's connection options, plus what Helidon 4.4's server leaves out: its
 * {@code read-timeout} applied to every accepted connection as {@code SO_TIMEOUT}. Helidon's
 * server reads with blocking reads and checks idle connections only between requests, so a
 * client that stops in the middle of its headers or body would hold its connection for ever; with
 * the timeout, a read that waits longer than {@code server.connection-options.read-timeout} fails,
 * and Helidon closes the connection (logged at TRACE).
 */
final class ReadTimeoutSocketOptions implements SocketOptions {
    private final SocketOptions delegate;

    ReadTimeoutSocketOptions(SocketOptions delegate) {
        this.delegate = delegate;
    }

    @Override
    public void configureSocket(Socket socket) {
        delegate.configureSocket(socket);
        setTimeout(socket);
    }

    @Override
    public void configureSocket(SocketChannel channel) {
        delegate.configureSocket(channel);
        // With use-nio false (WebServerHardening sets it) Helidon reads through the channel's
        // socket adaptor, which honours SO_TIMEOUT; reads on the channel itself would not.
        setTimeout(channel.socket());
    }

    private void setTimeout(Socket socket) {
        try {
            socket.setSoTimeout(Math.toIntExact(Math.max(1, readTimeout().toMillis())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Map<SocketOption<?>, Object> socketOptions() {
        return delegate.socketOptions();
    }

    @Override
    public Duration connectTimeout() {
        return delegate.connectTimeout();
    }

    @Override
    public Duration readTimeout() {
        return delegate.readTimeout();
    }

    @Override
    public Optional<Integer> socketReceiveBufferSize() {
        return delegate.socketReceiveBufferSize();
    }

    @Override
    public Optional<Integer> socketSendBufferSize() {
        return delegate.socketSendBufferSize();
    }

    @Override
    public boolean socketReuseAddress() {
        return delegate.socketReuseAddress();
    }

    @Override
    public boolean socketKeepAlive() {
        return delegate.socketKeepAlive();
    }

    @Override
    public boolean tcpNoDelay() {
        return delegate.tcpNoDelay();
    }

    @Override
    public String toString() {
        return delegate + " with SO_TIMEOUT " + readTimeout();
    }
}
