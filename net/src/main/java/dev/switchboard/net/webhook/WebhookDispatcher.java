package dev.switchboard.net.webhook;

import dev.switchboard.engine.log.LogLine;
import dev.switchboard.engine.settings.SwitchboardSettings;
import dev.switchboard.engine.webhook.WebhookEvents;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.MessageHandler;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;

/**
 * Delivers webhook events on its own thread: drains every engine shard's {@link WebhookEvents} outbox into a
 * bounded queue of at most {@code webhookQueueSize} events, and POSTs them one at a time, in order, to
 * {@code webhookUrl} with the JDK's {@link HttpClient}.
 * <p>
 * Each event is a JSON object {@code {"id","event","ts","roomId"[,"userId"][,"role"|"reason"]}} with a unique id
 * (also in the {@code X-Switchboard-Event-Id} header) and an HMAC-SHA256 signature header (see
 * {@link WebhookSigner}). A 2xx answer delivers it; anything else (no answer within {@code webhookTimeoutMillis},
 * a refused connection, another status) is retried after a backoff of 250 ms doubled per attempt (at most 30 s),
 * up to {@code webhookMaxAttempts} attempts, then dropped. While the queue is full the outboxes are not read, so
 * they fill and the engines drop (and count) new events without waiting: a slow or dead receiver costs the
 * engines nothing. Drops are counted in {@link WebhookCounters} and logged once per episode, then at most every
 * ten seconds with the running totals.
 */
public final class WebhookDispatcher implements Runnable, AutoCloseable
{
    private static final Logger LOG = LogManager.getLogger(WebhookDispatcher.class);
    private static final long FIRST_BACKOFF_MS = 250;
    private static final long MAX_BACKOFF_MS = 30_000;
    private static final long DROP_LOG_INTERVAL_MS = 10_000;
    private static final long IDLE_PARK_NS = 5_000_000L;

    private final WebhookEvents[] outboxes;
    private final WebhookCounters counters;
    private final EpochClock clock;
    private final URI url;
    private final WebhookSigner signer;
    private final HttpClient client;
    private final Duration timeout;
    private final int capacity;
    private final int maxAttempts;
    private final ArrayDeque<Delivery> queue;
    private final MessageHandler reader = this::onRecord;
    private final Thread thread;
    private volatile boolean running = true;
    private long lastDropLogMs = Long.MIN_VALUE / 2;
    private long droppedAtLastLog;

    /**
     * Create the dispatcher; {@link #start()} runs it.
     *
     * @param settings settings with {@code webhookUrl} and {@code webhookSecret} set.
     * @param outboxes one outbox per engine shard.
     * @param counters where deliveries and drops are counted (shared with the outboxes' drop counter).
     * @param clock    wall clock for event times and backoff.
     */
    public WebhookDispatcher(
        final SwitchboardSettings settings,
        final WebhookEvents[] outboxes,
        final WebhookCounters counters,
        final EpochClock clock)
    {
        this.outboxes = outboxes.clone();
        this.counters = counters;
        this.clock = clock;
        this.url = URI.create(settings.webhookUrl());
        this.signer = new WebhookSigner(settings.webhookSecret().getBytes(StandardCharsets.UTF_8));
        this.timeout = Duration.ofMillis(settings.webhookTimeoutMillis());
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
        this.capacity = settings.webhookQueueSize();
        this.maxAttempts = settings.webhookMaxAttempts();
        this.queue = new ArrayDeque<>(Math.min(capacity, 1024));
        this.thread = new Thread(this, "switchboard-webhooks");
        thread.setDaemon(true);
    }

    /** Start the delivery thread. */
    public void start()
    {
        thread.start();
    }

    /** {@inheritDoc} */
    @Override
    public void run()
    {
        while (running)
        {
            try
            {
                if (!doWork())
                {
                    LockSupport.parkNanos(IDLE_PARK_NS);
                }
            }
            catch (final RuntimeException ex)
            {
                LOG.error(LogLine.event("webhook_dispatcher_error"), ex);
            }
        }
    }

    /**
     * One turn: top the queue up from the outboxes, then try the head event if its backoff is over.
     *
     * @return true when something was done.
     */
    boolean doWork()
    {
        int read = 0;
        for (final WebhookEvents outbox : outboxes)
        {
            final int room = capacity - queue.size();
            if (room > 0)
            {
                read += outbox.drain(reader, room);
            }
        }
        final Delivery head = queue.peekFirst();
        final long nowMs = clock.time();
        if (null == head || nowMs < head.nextAttemptMs)
        {
            logDrops(nowMs);
            return read > 0;
        }
        if (post(head))
        {
            queue.pollFirst();
            counters.delivered.incrementAndGet();
        }
        else if (++head.attempts >= maxAttempts)
        {
            queue.pollFirst();
            counters.droppedAttemptsExhausted.incrementAndGet();
        }
        else
        {
            counters.retried.incrementAndGet();
            head.nextAttemptMs = clock.time() + Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS << (head.attempts - 1));
        }
        logDrops(clock.time());
        return true;
    }

    private boolean post(final Delivery delivery)
    {
        final HttpRequest request = HttpRequest.newBuilder(url)
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .header(WebhookSigner.EVENT_ID_HEADER, delivery.id)
            .header(WebhookSigner.SIGNATURE_HEADER, delivery.signature)
            .POST(HttpRequest.BodyPublishers.ofByteArray(delivery.body))
            .build();
        try
        {
            final int status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            return status >= 200 && status < 300;
        }
        catch (final IOException ex)
        {
            return false;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void logDrops(final long nowMs)
    {
        final long dropped = counters.dropped();
        if (dropped != droppedAtLastLog && nowMs - lastDropLogMs >= DROP_LOG_INTERVAL_MS)
        {
            LOG.warn(LogLine.event("webhook_dropped").with("droppedQueueFull", counters.droppedQueueFull.get())
                .with("droppedAttemptsExhausted", counters.droppedAttemptsExhausted.get()).with("queued", queue.size()));
            lastDropLogMs = nowMs;
            droppedAtLastLog = dropped;
        }
    }

    private void onRecord(final int msgTypeId, final DirectBuffer buffer, final int index, final int length)
    {
        int at = index;
        final byte kind = buffer.getByte(at++);
        final long timeMs = buffer.getLong(at);
        at += 8;
        final int roomLength = buffer.getByte(at++) & 0xFF;
        final String roomId = buffer.getStringWithoutLengthAscii(at, roomLength);
        at += roomLength;
        final int userLength = buffer.getByte(at++) & 0xFF;
        final String userId = 0 == userLength ? null : buffer.getStringWithoutLengthAscii(at, userLength);
        at += userLength;
        final int detailLength = buffer.getByte(at++) & 0xFF;
        final String detail = 0 == detailLength ? null : buffer.getStringWithoutLengthAscii(at, detailLength);
        final String id = UUID.randomUUID().toString();
        final StringBuilder json = new StringBuilder(160).append("{\"id\":\"").append(id)
            .append("\",\"event\":\"").append(name(kind)).append("\",\"ts\":").append(timeMs)
            .append(",\"roomId\":\"").append(roomId).append('"');
        if (null != userId)
        {
            json.append(",\"userId\":\"").append(userId).append('"');
        }
        if (null != detail)
        {
            json.append(WebhookEvents.PARTICIPANT_JOINED == kind ? ",\"role\":\"" : ",\"reason\":\"")
                .append(detail).append('"');
        }
        final byte[] body = json.append('}').toString().getBytes(StandardCharsets.UTF_8);
        queue.addLast(new Delivery(id, body, signer.sign(body)));
    }

    /**
     * The wire name of an event kind.
     *
     * @param kind a {@link WebhookEvents} constant.
     * @return the {@code event} field's value.
     */
    static String name(final byte kind)
    {
        switch (kind)
        {
            case WebhookEvents.ROOM_STARTED:
                return "room_started";
            case WebhookEvents.ROOM_FINISHED:
                return "room_finished";
            case WebhookEvents.PARTICIPANT_JOINED:
                return "participant_joined";
            case WebhookEvents.PARTICIPANT_LEFT:
                return "participant_left";
            default:
                return "cohost_changed";
        }
    }

    /** Stop the thread; events still queued are not delivered. */
    @Override
    public void close()
    {
        running = false;
        LockSupport.unpark(thread);
        try
        {
            thread.join(5_000);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    private static final class Delivery
    {
        final String id;
        final byte[] body;
        final String signature;
        int attempts;
        long nextAttemptMs;

        Delivery(final String id, final byte[] body, final String signature)
        {
            this.id = id;
            this.body = body;
            this.signature = signature;
        }
    }
}
