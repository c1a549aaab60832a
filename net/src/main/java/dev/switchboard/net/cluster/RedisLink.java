package dev.switchboard.net.cluster;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * The node's two Redis connections (commands, and the subscription to its own relay channel), opened without
 * blocking and reopened by Lettuce after a failure.
 * <p>
 * Every command times out after {@code redisTimeoutMillis}, and commands issued while the link is down fail at
 * once instead of queueing, so a caller never waits on a dead Redis. Called from one thread (the cluster
 * agent); the subscription listener runs on a Lettuce thread.
 */
public final class RedisLink implements AutoCloseable
{
    private final ClientResources resources;
    private final RedisClient client;
    private final RedisURI uri;
    private final byte[] channel;
    private final BiConsumer<byte[], byte[]> listener;
    private final boolean manualFlush;
    private volatile StatefulRedisConnection<byte[], byte[]> connection;
    private volatile StatefulRedisPubSubConnection<byte[], byte[]> pubSub;
    private volatile Throwable lastError;
    private CompletableFuture<?> connecting;
    private boolean closed;

    /**
     * Prepare a link; nothing connects before {@link #poll()}.
     *
     * @param url       {@code redis://host:port}.
     * @param timeoutMs command and connect timeout.
     * @param channel   the relay channel to subscribe to, or null for none.
     * @param listener  receives (channel, message) of the subscription, on a Lettuce thread.
     */
    public RedisLink(
        final String url, final int timeoutMs, final byte[] channel, final BiConsumer<byte[], byte[]> listener)
    {
        this(url, timeoutMs, channel, listener, false);
    }

    /**
     * Prepare a link; nothing connects before {@link #poll()}.
     *
     * @param url         {@code redis://host:port}.
     * @param timeoutMs   command and connect timeout.
     * @param channel     the relay channel to subscribe to, or null for none.
     * @param listener    receives (channel, message) of the subscription, on a Lettuce thread.
     * @param manualFlush true: commands are written to the socket only by {@link #flush()}, which the caller
     *                    then calls after every batch of commands it issues; false: each command is sent at once.
     */
    public RedisLink(
        final String url,
        final int timeoutMs,
        final byte[] channel,
        final BiConsumer<byte[], byte[]> listener,
        final boolean manualFlush)
    {
        this.manualFlush = manualFlush;
        this.uri = RedisURI.create(url);
        this.uri.setTimeout(Duration.ofMillis(timeoutMs));
        this.channel = channel;
        this.listener = listener;
        this.resources = DefaultClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(2).build();
        this.client = RedisClient.create(resources, uri);
        client.setOptions(ClientOptions.builder()
            .autoReconnect(true)
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            .timeoutOptions(TimeoutOptions.enabled(Duration.ofMillis(timeoutMs)))
            .socketOptions(SocketOptions.builder().connectTimeout(Duration.ofMillis(timeoutMs)).build())
            .build());
    }

    /**
     * Start connecting when not connected and no attempt is running; never blocks.
     *
     * @return true when both connections are open now.
     */
    public boolean poll()
    {
        if (closed)
        {
            return false;
        }
        if (null != connecting)
        {
            if (!connecting.isDone())
            {
                return false;
            }
            connecting = null;
        }
        if (null != connection && null != pubSub)
        {
            return isUp();
        }
        if (null == connection)
        {
            connecting = client.connectAsync(ByteArrayCodec.INSTANCE, uri).toCompletableFuture()
                .thenAccept(c ->
                {
                    if (manualFlush)
                    {
                        c.setAutoFlushCommands(false);
                    }
                    connection = c;
                })
                .whenComplete((ignore, error) -> lastError = error);
        }
        else if (null != channel && null == pubSub)
        {
            connecting = client.connectPubSubAsync(ByteArrayCodec.INSTANCE, uri).toCompletableFuture()
                .thenCompose(c ->
                {
                    c.addListener(new RedisPubSubAdapter<>()
                    {
                        @Override
                        public void message(final byte[] from, final byte[] message)
                        {
                            listener.accept(from, message);
                        }
                    });
                    return c.async().subscribe(channel).toCompletableFuture().thenAccept(ignore -> pubSub = c);
                })
                .whenComplete((ignore, error) -> lastError = error);
        }
        else
        {
            return isUp();
        }
        return false;
    }

    /**
     * Whether the command connection (and the subscription, when there is one) is open.
     *
     * @return true when commands can be sent.
     */
    public boolean isUp()
    {
        final StatefulRedisConnection<byte[], byte[]> c = connection;
        final StatefulRedisPubSubConnection<byte[], byte[]> p = pubSub;
        return null != c && c.isOpen() && (null == channel || (null != p && p.isOpen()));
    }

    /**
     * Why the last connection attempt failed.
     *
     * @return the error, or null when the last attempt succeeded.
     */
    public Throwable lastError()
    {
        return lastError;
    }

    /**
     * The asynchronous command API, or null before the first connection.
     *
     * @return commands.
     */
    public RedisAsyncCommands<byte[], byte[]> commands()
    {
        final StatefulRedisConnection<byte[], byte[]> c = connection;
        return null == c ? null : c.async();
    }

    /**
     * Write every command issued since the last flush to the socket at once (nothing to do without manual
     * flushing); a command issued and never flushed would only end at its timeout.
     */
    public void flush()
    {
        final StatefulRedisConnection<byte[], byte[]> c = connection;
        if (manualFlush && null != c)
        {
            c.flushCommands();
        }
    }

    /**
     * Close both connections and the client's threads (waits a bounded time; call off the hot threads).
     */
    @Override
    public void close()
    {
        closed = true;
        final StatefulRedisConnection<byte[], byte[]> c = connection;
        if (null != c)
        {
            c.closeAsync();
        }
        final StatefulRedisPubSubConnection<byte[], byte[]> p = pubSub;
        if (null != p)
        {
            p.closeAsync();
        }
        client.shutdown(0, 2, TimeUnit.SECONDS);
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
}
