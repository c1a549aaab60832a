package dev.switchboard.net.cluster;

import dev.switchboard.engine.outbound.Frame;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.async.RedisAsyncCommands;
import org.agrona.concurrent.EpochClock;

import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.function.BiConsumer;

/**
 * Turns the records bound for other nodes into relay batches: one {@link RelayBatchEncoder} per destination node,
 * filled during a duty cycle and published on the node's channel at its end (or earlier, once it holds
 * {@link #BATCH_CAP_BYTES}), in the order the records were appended.
 * <p>
 * A publish is tracked until Redis answers; one that failed or that nobody received (the owner died) reports
 * every socket whose messages it carried to the {@link UndeliveredHandler}, which closes them with 4012. The
 * encoders and the publish records are pooled: steady relaying allocates only the message Lettuce sends.
 * Used by the cluster agent's thread alone.
 */
final class NodeBatchPublisher
{
    /** A node's batch is published before the cycle ends once it holds this many bytes. */
    static final int BATCH_CAP_BYTES = 64 * 1024;
    private static final int ENCODER_INITIAL_BYTES = 4096;

    /** Told about each socket whose relayed messages were not delivered. */
    @FunctionalInterface
    interface UndeliveredHandler
    {
        /**
         * A batch carrying messages of this socket failed.
         *
         * @param socketId connection id of the socket on this node.
         */
        void onUndelivered(long socketId);
    }

    /**
     * A batch publish in flight (pooled): the sockets whose messages it carried.
     */
    private static final class PendingPublish
    {
        RedisFuture<Long> future;
        long[] socketIds = new long[16];
        int socketCount;

        void addSocket(final long socketId)
        {
            if (socketCount == socketIds.length)
            {
                socketIds = Arrays.copyOf(socketIds, socketCount * 2);
            }
            socketIds[socketCount++] = socketId;
        }
    }

    /** The records bound for one node during the current duty cycle. */
    private static final class NodeBatch
    {
        final byte[] channel;
        final RelayBatchEncoder encoder;
        PendingPublish publish;
        boolean listed;

        NodeBatch(final byte[] channel, final RelayBatchEncoder encoder)
        {
            this.channel = channel;
            this.encoder = encoder;
        }
    }

    private final byte[] nodeIdBytes;
    private final RedisLink link;
    private final EpochClock clock;
    private final ClusterSigner signer;
    private final ClusterCounters counters;
    private final BiConsumer<Object, Throwable> onComplete;
    private final UndeliveredHandler undelivered;
    private final ArrayDeque<PendingPublish> publishes = new ArrayDeque<>();
    private final ArrayDeque<PendingPublish> freePublishes = new ArrayDeque<>();
    private final Map<String, NodeBatch> batches = new HashMap<>();
    private final ArrayList<NodeBatch> listedBatches = new ArrayList<>();

    /**
     * A publisher for one node.
     *
     * @param nodeIdBytes this node's id, the origin of every batch.
     * @param link        the Redis connections.
     * @param clock       wall clock, stamped on each batch.
     * @param signer      signs batches when the cluster has a secret.
     * @param counters    where batches, replies and Redis errors are counted.
     * @param onComplete  called when a publish completes (wakes the agent).
     * @param undelivered told about the sockets of a failed batch.
     */
    NodeBatchPublisher(
        final byte[] nodeIdBytes,
        final RedisLink link,
        final EpochClock clock,
        final ClusterSigner signer,
        final ClusterCounters counters,
        final BiConsumer<Object, Throwable> onComplete,
        final UndeliveredHandler undelivered)
    {
        this.nodeIdBytes = nodeIdBytes;
        this.link = link;
        this.clock = clock;
        this.signer = signer;
        this.counters = counters;
        this.onComplete = onComplete;
        this.undelivered = undelivered;
    }

    /**
     * Append a record of a socket of this node to the batch for the room's owner.
     *
     * @param node         the owner's node id.
     * @param connectionId the socket.
     * @param rec          the record: kind at 0, body from {@link RelayRecords#BODY_OFFSET}.
     * @param length       length of the record.
     */
    void forward(final String node, final long connectionId, final byte[] rec, final int length)
    {
        final NodeBatch batch = batchFor(node);
        batch.encoder.append(rec[0], connectionId, rec, RelayRecords.BODY_OFFSET, length - RelayRecords.BODY_OFFSET);
        if (RelayRecords.CLOSED != rec[0])
        {
            batch.publish.addSocket(connectionId);
        }
        counters.relayedOut.incrementAndGet();
        publishIfFull(batch);
    }

    /**
     * Append the grants of a socket of this node to the batch for the room's owner, right before its join or
     * resume: never published on its own (the record that follows decides when the batch is full), so the two
     * travel in one batch.
     *
     * @param node         the owner's node id.
     * @param connectionId the socket.
     * @param grants       the socket's grants, restricted.
     */
    void forwardGrants(final String node, final long connectionId, final CarriedGrants grants)
    {
        final RelayBatchEncoder encoder = batchFor(node).encoder;
        final int body = encoder.begin(RelayRecords.GRANTS, connectionId);
        encoder.commit(
            GrantsRecord.encode(encoder.buffer(), body, grants.flags(), grants.rooms(), grants.roomsLength()));
    }

    /**
     * Append a close of a socket of another node to the batch for that node; counted as a Redis error and
     * dropped while Redis is down.
     *
     * @param node         the socket's node.
     * @param connectionId the socket's connection id on that node.
     * @param code         close code.
     * @param reason       close reason, or null.
     */
    void replyClose(final String node, final long connectionId, final int code, final String reason)
    {
        if (!link.isUp())
        {
            counters.redisErrors.incrementAndGet();
            return;
        }
        final NodeBatch batch = batchFor(node);
        final RelayBatchEncoder encoder = batch.encoder;
        final int body = encoder.begin(RelayRecords.CLOSE, connectionId);
        encoder.buffer().putInt(body, code, ByteOrder.BIG_ENDIAN);
        final int reasonLength = null == reason ? 0 : encoder.buffer().putStringWithoutLengthUtf8(body + 4, reason);
        encoder.commit(4 + reasonLength);
        counters.repliesOut.incrementAndGet();
        publishIfFull(batch);
    }

    /**
     * Append a frame for a socket of another node to the batch for that node; counted as a Redis error and
     * dropped while Redis is down.
     *
     * @param node         the socket's node.
     * @param connectionId the socket's connection id on that node.
     * @param frame        the frame, copied; the caller releases it.
     */
    void replyFrame(final String node, final long connectionId, final Frame frame)
    {
        if (!link.isUp())
        {
            counters.redisErrors.incrementAndGet();
            return;
        }
        final NodeBatch batch = batchFor(node);
        final RelayBatchEncoder encoder = batch.encoder;
        final int jsonLength = frame.payloadLength();
        final int body = encoder.begin(RelayRecords.FRAME, connectionId);
        encoder.buffer().putInt(body, frame.type().id(), ByteOrder.BIG_ENDIAN);
        encoder.buffer().putByte(body + 4, (byte)(frame.isDroppable() ? 1 : 0));
        encoder.buffer().putBytes(body + 5, frame.buffer(), frame.payloadOffset(), jsonLength);
        encoder.commit(5 + jsonLength);
        counters.repliesOut.incrementAndGet();
        publishIfFull(batch);
    }

    /**
     * End of the duty cycle: one publish per node that has records, in the order they were appended.
     */
    void publishAll()
    {
        for (int i = 0; i < listedBatches.size(); i++)
        {
            final NodeBatch batch = listedBatches.get(i);
            batch.listed = false;
            if (batch.encoder.recordCount() > 0)
            {
                publishBatch(batch);
            }
        }
        listedBatches.clear();
    }

    /**
     * Handle the publishes Redis answered, oldest first.
     *
     * @return number handled.
     */
    int poll()
    {
        int work = 0;
        PendingPublish head;
        while (null != (head = publishes.peek()) && head.future.isDone())
        {
            publishes.poll();
            work++;
            long receivers = 0;
            try
            {
                receivers = head.future.get();
            }
            catch (final ExecutionException | RuntimeException ex)
            {
                counters.redisErrors.incrementAndGet();
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
            if (0 == receivers)
            {
                failed(head);
            }
            else
            {
                recycle(head);
            }
        }
        return work;
    }

    private NodeBatch batchFor(final String node)
    {
        NodeBatch batch = batches.get(node);
        if (null == batch)
        {
            batch = new NodeBatch(ClusterKeys.channel(node), new RelayBatchEncoder(nodeIdBytes, ENCODER_INITIAL_BYTES));
            batches.put(node, batch);
        }
        if (null == batch.publish)
        {
            final PendingPublish free = freePublishes.poll();
            batch.publish = null == free ? new PendingPublish() : free;
        }
        if (!batch.listed)
        {
            batch.listed = true;
            listedBatches.add(batch);
        }
        return batch;
    }

    private void publishIfFull(final NodeBatch batch)
    {
        if (batch.encoder.length() >= BATCH_CAP_BYTES)
        {
            publishBatch(batch);
        }
    }

    private void publishBatch(final NodeBatch batch)
    {
        final PendingPublish pending = batch.publish;
        batch.publish = null;
        final RedisAsyncCommands<byte[], byte[]> redis = link.isUp() ? link.commands() : null;
        if (null == redis)
        {
            batch.encoder.reset();
            counters.redisErrors.incrementAndGet();
            failed(pending);
            return;
        }
        final byte[] message = batch.encoder.toMessage(clock.time(), signer, batch.channel);
        batch.encoder.reset();
        pending.future = redis.publish(batch.channel, message);
        pending.future.whenComplete(onComplete);
        publishes.add(pending);
        counters.relayBatchesOut.incrementAndGet();
    }

    /**
     * Report the sockets whose messages a batch carried (Redis failed, or nobody listens on the owner's channel
     * because the owner died): they reconnect and resume; then return the publish record to the pool.
     */
    private void failed(final PendingPublish pending)
    {
        for (int i = 0; i < pending.socketCount; i++)
        {
            undelivered.onUndelivered(pending.socketIds[i]);
        }
        recycle(pending);
    }

    private void recycle(final PendingPublish pending)
    {
        pending.future = null;
        pending.socketCount = 0;
        freePublishes.add(pending);
    }
}
