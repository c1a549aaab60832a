package dev.switchboard.net.cluster;

import dev.switchboard.engine.auth.Grants;
import dev.switchboard.engine.codes.ErrorCode;
import dev.switchboard.engine.codes.MessageType;
import dev.switchboard.engine.outbound.ConnectionIds;
import dev.switchboard.engine.outbound.Frame;
import dev.switchboard.engine.outbound.FramePool;
import dev.switchboard.engine.outbound.OutboundRing;
import dev.switchboard.engine.outbound.OutboundSlot;
import dev.switchboard.engine.ring.EngineShard;
import dev.switchboard.engine.ring.InboundPublisher;
import dev.switchboard.engine.ring.InboundSlot;
import dev.switchboard.engine.ring.SlotConsumer;
import dev.switchboard.engine.ring.SlotKind;
import dev.switchboard.engine.settings.SwitchboardSettings;
import dev.switchboard.engine.test.SystemTest;
import dev.switchboard.net.support.Conditions;
import dev.switchboard.net.support.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.agrona.concurrent.CachedEpochClock;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cluster agent driven by hand on a fake clock, with one real engine shard (a recording consumer) and a
 * real redis-server: claims, relaying to an owner, virtual connections, renewal on the clock, and a dead Redis.
 */
@SystemTest
class ClusterAgentTest
{
    private static final int LEASE_TTL_MS = 900;
    private static final Grants QUIZ_VIEWER = Grants.of(List.of("quiz-*"), false, true, false);
    /** How {@link #describe} shows the grants of a join stamped with {@link #QUIZ_VIEWER}. */
    private static final String QUIZ_VIEWER_STAMP = "grants=" + QUIZ_VIEWER.flags() + "/" + (char)6 + "quiz-*";

    private static RedisServer redis;
    private static RedisClient client;
    private static StatefulRedisConnection<String, String> redisCommands;

    private final CachedEpochClock clock = new CachedEpochClock();
    private final ConcurrentLinkedQueue<String> applied = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<byte[]> channelMessages = new ConcurrentLinkedQueue<>();
    private EngineShard shard;
    private OutboundRing ioRing;
    private OutboundRing ownRing;
    private RelayQueue relayQueue;
    private RoomDirectory directory;
    private ManyToOneConcurrentArrayQueue<byte[]> evictions;
    private ManyToOneConcurrentArrayQueue<byte[]> inbox;
    private final ManyToOneConcurrentArrayQueue<byte[]> undeliverable = new ManyToOneConcurrentArrayQueue<>(16);
    private ManyToOneConcurrentArrayQueue<RouteDecision> routes;
    private ClusterCounters counters;
    private RedisLink link;
    private ClusterAgent agent;
    private StatefulRedisPubSubConnection<byte[], byte[]> subscriber;

    @BeforeAll
    static void startRedis() throws Exception
    {
        redis = RedisServer.start();
        client = RedisClient.create(redis.url());
        redisCommands = client.connect();
    }

    @AfterAll
    static void stopRedis()
    {
        if (null != client)
        {
            redisCommands.close();
            client.shutdown(0, 1, TimeUnit.SECONDS);
            redis.close();
        }
    }

    @AfterEach
    void stopAgent()
    {
        if (null != subscriber)
        {
            subscriber.close();
        }
        if (null != link)
        {
            link.close();
            shard.close();
        }
    }

    private void startAgent(final String nodeId, final String redisUrl)
    {
        startAgent(nodeId, redisUrl, null);
    }

    private void startAgent(final String nodeId, final String redisUrl, final String clusterSecret)
    {
        clock.update(1_000_000L);
        final SwitchboardSettings settings = SwitchboardSettings.builder().redisUrl(redisUrl).nodeId(nodeId)
            .leaseTtlMillis(LEASE_TTL_MS).redisTimeoutMillis(500).ringSize(1024).maxConnections(64)
            .clusterSecret(clusterSecret).build();
        shard = new EngineShard(0, 1024, true, "blocking", -1, (index, thread) -> new SlotConsumer()
        {
            @Override
            public void onEvent(final InboundSlot slot)
            {
                applied.add(describe(slot));
            }

            @Override
            public void onEndOfBatch()
            {
            }
        });
        shard.start();
        ioRing = new OutboundRing(1024, true);
        ownRing = new OutboundRing(1024, true);
        relayQueue = new RelayQueue(1 << 20, () -> { });
        directory = new RoomDirectory();
        @SuppressWarnings({"unchecked", "rawtypes"})
        final ManyToOneConcurrentArrayQueue<byte[]>[] evictionQueues = new ManyToOneConcurrentArrayQueue[1];
        evictions = new ManyToOneConcurrentArrayQueue<>(16);
        evictionQueues[0] = evictions;
        @SuppressWarnings({"unchecked", "rawtypes"})
        final ManyToOneConcurrentArrayQueue<RouteDecision>[] routeQueues = new ManyToOneConcurrentArrayQueue[1];
        routes = new ManyToOneConcurrentArrayQueue<>(16);
        routeQueues[0] = routes;
        inbox = new ManyToOneConcurrentArrayQueue<>(1024);
        counters = new ClusterCounters();
        link = new RedisLink(
            redisUrl, 500, ClusterKeys.channel(nodeId), (channel, message) -> inbox.offer(message), true);
        agent = new ClusterAgent(new ClusterContext().settings(settings).nodeId(nodeId).clock(clock).link(link)
            .inbound(new InboundPublisher(new EngineShard[] {shard})).ownRing(ownRing).ownAgentIndex(1)
            .ioRings(new OutboundRing[] {ioRing}).relayQueue(relayQueue)
            .hooks(new ClusterHooksQueue(1 << 20, settings.snapshotIntervalMillis(), () -> { })).directory(directory)
            .evictions(evictionQueues).routes(routeQueues).inbox(inbox).undeliverable(undeliverable)
            .counters(counters).waker(() -> { }).conclude());
        agent.onStart();
    }

    private static String describe(final InboundSlot slot)
    {
        return "kind=" + slot.kind + " conn=" + slot.connectionId + " type=" + MessageType.get(slot.typeId).wireName() +
            " room=" + new String(slot.roomId, 0, slot.roomIdLength, StandardCharsets.US_ASCII) +
            " error=" + ErrorCode.get(slot.errorCode).wireName() + " code=" + slot.closeCode + " grants=" +
            slot.grantFlags + "/" + new String(slot.grantRooms, 0, slot.grantRoomsLength, StandardCharsets.US_ASCII);
    }

    private void workUntil(final BooleanSupplier condition, final String what)
    {
        Conditions.await(10_000, () ->
        {
            agent.doWork();
            return condition.getAsBoolean();
        }, what);
    }

    private static byte[] join(final String room)
    {
        return ("{\"type\":\"join\",\"msgId\":\"" + UUID.randomUUID() + "\",\"roomId\":\"" + room +
            "\",\"seq\":1,\"payload\":{\"role\":\"host\"}}").getBytes(StandardCharsets.UTF_8);
    }

    private static boolean any(final ConcurrentLinkedQueue<String> events, final String... parts)
    {
        for (final String event : events)
        {
            boolean all = true;
            for (final String part : parts)
            {
                all &= event.contains(part);
            }
            if (all)
            {
                return true;
            }
        }
        return false;
    }

    private void subscribe(final String nodeId) throws Exception
    {
        subscriber = client.connectPubSub(ByteArrayCodec.INSTANCE);
        subscriber.addListener(new RedisPubSubAdapter<>()
        {
            @Override
            public void message(final byte[] channel, final byte[] message)
            {
                channelMessages.add(message);
            }
        });
        subscriber.sync().subscribe(ClusterKeys.channel(nodeId));
    }

    private static byte[] channelMessage(
        final byte kind, final String origin, final long connectionId, final byte[] body)
    {
        final byte[] originBytes = origin.getBytes(StandardCharsets.US_ASCII);
        final ByteBuffer buffer = ByteBuffer.allocate(4 + originBytes.length + 12 + 13 + body.length);
        buffer.putShort(RelayBatchDecoder.MAGIC).put(RelayBatchDecoder.VERSION).put((byte)originBytes.length)
            .put(originBytes).putLong(0L).putInt(1);
        buffer.put(kind).putLong(connectionId).putInt(body.length).put(body);
        return buffer.array();
    }

    /**
     * Read a batch's header, checking magic, version and origin, and leave the buffer at its first record.
     */
    private static ByteBuffer batch(final byte[] message, final String origin, final long sentEpochMs, final int count)
    {
        final ByteBuffer buffer = ByteBuffer.wrap(message);
        assertEquals(RelayBatchDecoder.MAGIC, buffer.getShort());
        assertEquals(RelayBatchDecoder.VERSION, buffer.get());
        final byte[] originBytes = new byte[buffer.get()];
        buffer.get(originBytes);
        assertEquals(origin, new String(originBytes, StandardCharsets.US_ASCII));
        assertEquals(sentEpochMs, buffer.getLong(), "sent at the agent's clock time");
        assertEquals(count, buffer.getInt(), "records in the batch");
        return buffer;
    }

    @Test
    void shouldClaimAnUnownedRoomAndServeTheRelayedJoinOnTheLocalShard()
    {
        startAgent("unit-a", redis.url());
        workUntil(link::isUp, "the link connects");
        final long connectionId = ConnectionIds.compose(0, 1, 5);
        final byte[] text = join("claimed-room");
        assertTrue(relayQueue.offerText(connectionId, new byte[0], 0, text, 0, text.length));

        workUntil(() -> any(applied, "conn=" + connectionId, "type=join", "room=claimed-room", "error=none"),
            "the join reaches the local shard");
        assertTrue(directory.isOwned("claimed-room".getBytes(StandardCharsets.US_ASCII), 12));
        assertEquals("unit-a", redisCommands.sync().get("sb:lease:claimed-room"));
        assertEquals(1, counters.roomsClaimed.get());

        assertTrue(relayQueue.offerClosed(connectionId, 1001));
        workUntil(() -> any(applied, "kind=" + SlotKind.CONNECTION_CLOSED, "conn=" + connectionId, "code=1001"),
            "the close follows to the same shard");
    }

    @Test
    void shouldHandASocketOfAClaimedRoomBackToTheLocalShardOnceItsReadsArePaused()
    {
        startAgent("unit-f", redis.url());
        workUntil(link::isUp, "the link connects");
        final long connectionId = ConnectionIds.compose(0, 4, 7);
        final byte[] text = join("handed-room");
        relayQueue.offerText(connectionId, new byte[0], 0, text, 0, text.length);
        relayQueue.offerPaused(connectionId);

        workUntil(() -> !routes.isEmpty(), "a route decision once the claim is done and the pause seen");
        final RouteDecision decision = routes.poll();
        assertEquals(connectionId, decision.connectionId);
        assertEquals(0, decision.shard, "served by the local shard from now on");
        Conditions.await(5_000, () -> any(applied, "conn=" + connectionId, "type=join", "room=handed-room"),
            "the join, published before the decision, is applied");

        relayQueue.offerDirect(connectionId);
        relayQueue.offerClosed(connectionId, 1000);
        workUntil(() -> ioRing.hasPending(), "a close for a socket the agent no longer serves is answered at once");
        assertFalse(any(applied, "kind=" + SlotKind.CONNECTION_CLOSED, "conn=" + connectionId),
            "the agent forgot the socket: its close goes to the shard from the IoAgent, not through the agent");
    }

    @Test
    void shouldKeepRelayingASocketWhoseRoomLivesElsewhereAfterItsReadsArePaused() throws Exception
    {
        startAgent("unit-g", redis.url());
        workUntil(link::isUp, "the link connects");
        redisCommands.sync().set("sb:lease:elsewhere-room", "far-node", SetArgs.Builder.px(60_000));
        final long connectionId = ConnectionIds.compose(0, 4, 8);
        final byte[] text = join("elsewhere-room");
        relayQueue.offerText(connectionId, new byte[0], 0, text, 0, text.length);
        relayQueue.offerPaused(connectionId);
        workUntil(() -> !routes.isEmpty(), "a route decision");
        assertEquals(-1, routes.poll().shard, "still relayed");
    }

    @Test
    void shouldRenewOnTheClockAndEvictTheRoomWhenAnotherNodeTookTheLease()
    {
        startAgent("unit-b", redis.url());
        workUntil(link::isUp, "the link connects");
        final byte[] text = join("renewed-room");
        relayQueue.offerText(ConnectionIds.compose(0, 1, 6), new byte[0], 0, text, 0, text.length);
        workUntil(() -> directory.isOwned("renewed-room".getBytes(StandardCharsets.US_ASCII), 12), "claimed");

        final long renewalsBefore = counters.leaseRenewals.get();
        clock.advance(LEASE_TTL_MS / 3);
        workUntil(() -> counters.leaseRenewals.get() > renewalsBefore, "a renewal a third of the TTL later");
        assertTrue(redisCommands.sync().pttl("sb:lease:renewed-room") > 0);

        redisCommands.sync().set("sb:lease:renewed-room", "thief", SetArgs.Builder.px(60_000));
        clock.advance(LEASE_TTL_MS / 3);
        workUntil(() -> !evictions.isEmpty(), "the room's local sockets are told to move");
        assertArrayEquals("renewed-room".getBytes(StandardCharsets.US_ASCII), evictions.poll());
        assertFalse(directory.isOwned("renewed-room".getBytes(StandardCharsets.US_ASCII), 12));
        assertEquals(1, counters.leasesLost.get());
    }

    @Test
    void shouldRelayToTheOwnersChannelWhenAnotherNodeOwnsTheRoom() throws Exception
    {
        startAgent("unit-c", redis.url());
        workUntil(link::isUp, "the link connects");
        subscribe("owner-node");
        redisCommands.sync().set("sb:lease:remote-room", "owner-node", SetArgs.Builder.px(60_000));
        final long connectionId = ConnectionIds.compose(0, 3, 9);
        final byte[] text = join("remote-room");
        relayQueue.offerText(connectionId, "alice".getBytes(StandardCharsets.US_ASCII), 5, text, 0, text.length);

        workUntil(() -> !channelMessages.isEmpty(), "the join is published on the owner's channel");
        final ByteBuffer message = batch(channelMessages.poll(), "unit-c", clock.time(), 1);
        assertEquals(RelayRecords.TEXT, message.get());
        assertEquals(connectionId, message.getLong());
        assertEquals(1 + 5 + text.length, message.getInt(), "body length");
        final byte[] auth = new byte[message.get()];
        message.get(auth);
        assertEquals("alice", new String(auth, StandardCharsets.US_ASCII));
        final byte[] relayedText = new byte[message.remaining()];
        message.get(relayedText);
        assertArrayEquals(text, relayedText);
        assertTrue(applied.isEmpty(), "nothing is applied on a node that does not own the room");
        assertFalse(directory.isOwned("remote-room".getBytes(StandardCharsets.US_ASCII), 11));
    }

    @Test
    void shouldServeAMessageRelayedFromAnotherNodeAsAVirtualConnectionAndSendTheRepliesBack() throws Exception
    {
        startAgent("unit-d", redis.url());
        workUntil(link::isUp, "the link connects");
        subscribe("origin-node");
        final byte[] claim = join("owned-room");
        relayQueue.offerText(ConnectionIds.compose(0, 1, 1), new byte[0], 0, claim, 0, claim.length);
        workUntil(() -> directory.isOwned("owned-room".getBytes(StandardCharsets.US_ASCII), 10), "claimed");

        final byte[] text = join("owned-room");
        final byte[] body = new byte[1 + text.length];
        System.arraycopy(text, 0, body, 1, text.length);
        inbox.offer(channelMessage(RelayRecords.TEXT, "origin-node", 4242L, body));
        workUntil(() -> any(applied, "conn=" + ConnectionIds.compose(1, 1, 0), "type=join", "room=owned-room"),
            "the relayed join is applied as virtual connection (agent index 1)");

        final FramePool pool = new FramePool(16, null);
        final Frame frame = pool.acquire(16, MessageType.ACK, false);
        final byte[] json = "{\"type\":\"ack\"}".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(json, 0, frame.buffer(), Frame.PAYLOAD_OFFSET, json.length);
        frame.sealText(json.length);
        ownRing.send(ConnectionIds.compose(1, 1, 0), frame);
        workUntil(() -> !channelMessages.isEmpty(), "the engine's frame goes back to the origin node");
        final ByteBuffer reply = batch(channelMessages.poll(), "unit-d", clock.time(), 1);
        assertEquals(RelayRecords.FRAME, reply.get());
        assertEquals(4242L, reply.getLong(), "addressed to the origin's socket");
        assertEquals(5 + json.length, reply.getInt(), "body length");
        assertEquals(MessageType.ACK.id(), reply.getInt());
        assertEquals(0, reply.get());
        final byte[] relayedJson = new byte[reply.remaining()];
        reply.get(relayedJson);
        assertArrayEquals(json, relayedJson);
        assertEquals(0, frame.refCount(), "the agent released the engine's frame");
    }

    private static byte[] signal(final int n)
    {
        return ("{\"type\":\"signal\",\"msgId\":\"m" + n + "\",\"payload\":{\"n\":" + n + "}}")
            .getBytes(StandardCharsets.UTF_8);
    }

    private long relayToRemoteOwner(final String nodeId, final String owner, final String room, final int slot)
        throws Exception
    {
        startAgent(nodeId, redis.url());
        workUntil(link::isUp, "the link connects");
        subscribe(owner);
        redisCommands.sync().set("sb:lease:" + room, owner, SetArgs.Builder.px(60_000));
        final long connectionId = ConnectionIds.compose(0, 5, slot);
        final byte[] text = join(room);
        relayQueue.offerText(connectionId, new byte[0], 0, text, 0, text.length);
        workUntil(() -> !channelMessages.isEmpty(), "the join is relayed to the owner");
        channelMessages.clear();
        return connectionId;
    }

    @Test
    void shouldPublishEveryRecordOfOneCycleForOneNodeAsOneMessageInOrder() throws Exception
    {
        final long connectionId = relayToRemoteOwner("unit-h", "owner-h", "batched-room", 10);
        final long batchesBefore = counters.relayBatchesOut.get();
        final long relayedBefore = counters.relayedOut.get();
        final int texts = 40;
        for (int i = 0; i < texts; i++)
        {
            final byte[] text = signal(i);
            assertTrue(relayQueue.offerText(connectionId, new byte[0], 0, text, 0, text.length));
        }
        assertTrue(relayQueue.offerFlow(connectionId, SlotKind.FLOW_DROP, 3L));
        assertTrue(relayQueue.offerClosed(connectionId, 1000));

        agent.doWork();
        assertEquals(batchesBefore + 1, counters.relayBatchesOut.get(), "one publish for the whole cycle");
        assertEquals(relayedBefore + texts + 2, counters.relayedOut.get(), "every record counted as relayed");
        Conditions.await(5_000, () -> !channelMessages.isEmpty(),
            "the batch reaches the owner's channel without another duty cycle (flushed in this one)");

        final ByteBuffer message = batch(channelMessages.poll(), "unit-h", clock.time(), texts + 2);
        for (int i = 0; i < texts; i++)
        {
            assertEquals(RelayRecords.TEXT, message.get(), "record " + i);
            assertEquals(connectionId, message.getLong());
            final byte[] body = new byte[message.getInt()];
            message.get(body);
            assertEquals(0, body[0], "no user id");
            assertArrayEquals(signal(i), Arrays.copyOfRange(body, 1, body.length), "in the order sent");
        }
        assertEquals(RelayRecords.FLOW, message.get());
        assertEquals(connectionId, message.getLong());
        assertEquals(9, message.getInt());
        assertEquals(SlotKind.FLOW_DROP, message.get());
        assertEquals(3L, message.getLong());
        assertEquals(RelayRecords.CLOSED, message.get());
        assertEquals(connectionId, message.getLong());
        assertEquals(4, message.getInt());
        assertEquals(1000, message.getInt());
        assertFalse(message.hasRemaining());

        for (int i = 0; i < 5; i++)
        {
            agent.doWork();
        }
        assertEquals(batchesBefore + 1, counters.relayBatchesOut.get(), "nothing more to publish");
    }

    @Test
    void shouldPublishABatchBeforeTheCycleEndsOnceItReachesTheSizeCap() throws Exception
    {
        final long connectionId = relayToRemoteOwner("unit-i", "owner-i", "capped-room", 11);
        final long batchesBefore = counters.relayBatchesOut.get();
        final byte[] big = new byte[30_000];
        Arrays.fill(big, (byte)'x');
        for (int i = 0; i < 5; i++)
        {
            assertTrue(relayQueue.offerText(connectionId, new byte[0], 0, big, 0, big.length));
        }

        agent.doWork();
        assertEquals(batchesBefore + 2, counters.relayBatchesOut.get(),
            "three records pass the 64 KiB cap and go at once, the last two at the end of the cycle");
        Conditions.await(5_000, () -> channelMessages.size() >= 2, "both batches arrive");
        final byte[] first = channelMessages.poll();
        final byte[] second = channelMessages.poll();
        batch(first, "unit-i", clock.time(), 3);
        batch(second, "unit-i", clock.time(), 2);
        assertTrue(first.length < ClusterAgent.BATCH_CAP_BYTES + big.length + 64, "one record past the cap at most");
    }

    @Test
    void shouldCloseWith4012EverySocketOfABatchThatNoSubscriberReceived()
    {
        startAgent("unit-j", redis.url());
        workUntil(link::isUp, "the link connects");
        redisCommands.sync().set("sb:lease:ghost-room", "ghost-node", SetArgs.Builder.px(60_000));
        final long first = ConnectionIds.compose(0, 6, 12);
        final long second = ConnectionIds.compose(0, 6, 13);
        final byte[] text = join("ghost-room");
        relayQueue.offerText(first, new byte[0], 0, text, 0, text.length);
        relayQueue.offerText(second, new byte[0], 0, text, 0, text.length);

        final List<String> closes = new ArrayList<>();
        workUntil(() ->
        {
            ioRing.poll((slot, sequence, endOfBatch) ->
            {
                if (OutboundSlot.CLOSE == slot.kind)
                {
                    closes.add(slot.connectionId + ":" + slot.closeCode + ":" + slot.reason);
                }
                return true;
            });
            return closes.size() >= 2;
        }, "both relayed sockets are told to move");
        assertTrue(closes.contains(first + ":4012:room_moved"), closes.toString());
        assertTrue(closes.contains(second + ":4012:room_moved"), closes.toString());
        assertEquals(1, counters.relayBatchesOut.get(), "both joins went in one publish");
        assertEquals(2, counters.roomMovedCloses.get());
    }

    @Test
    void shouldSendTheRepliesOfOneCycleForOneOriginAsOneMessageAndSkipAMalformedBatch() throws Exception
    {
        startAgent("unit-k", redis.url());
        workUntil(link::isUp, "the link connects");
        subscribe("origin-k");
        final byte[] claim = join("replied-room");
        relayQueue.offerText(ConnectionIds.compose(0, 1, 1), new byte[0], 0, claim, 0, claim.length);
        workUntil(() -> directory.isOwned("replied-room".getBytes(StandardCharsets.US_ASCII), 12), "claimed");

        inbox.offer(new byte[] {RelayRecords.TEXT, 8, 'o', 'r', 'i', 'g', 'i', 'n', '-', 'k'});
        final byte[] text = join("replied-room");
        final byte[] body = new byte[1 + text.length];
        System.arraycopy(text, 0, body, 1, text.length);
        inbox.offer(channelMessage(RelayRecords.TEXT, "origin-k", 77L, body));
        final long virtual = ConnectionIds.compose(1, 1, 0);
        workUntil(() -> any(applied, "conn=" + virtual, "type=join", "room=replied-room"),
            "the valid batch after the malformed one is still served");
        assertEquals(1, counters.relayBatchesMalformed.get());
        assertEquals(1, counters.relayBatchesIn.get());

        final FramePool pool = new FramePool(16, null);
        final int frames = 3;
        for (int i = 0; i < frames; i++)
        {
            final Frame frame = pool.acquire(16, MessageType.ACK, false);
            final byte[] json = ("{\"n\":" + i + "}").getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(json, 0, frame.buffer(), Frame.PAYLOAD_OFFSET, json.length);
            frame.sealText(json.length);
            ownRing.send(virtual, frame);
        }
        ownRing.close(virtual, 4000, "bye");
        final long batchesBefore = counters.relayBatchesOut.get();
        agent.doWork();
        assertEquals(batchesBefore + 1, counters.relayBatchesOut.get(), "frames and close in one publish");
        Conditions.await(5_000, () -> !channelMessages.isEmpty(), "the replies reach the origin's channel");

        final ByteBuffer reply = batch(channelMessages.poll(), "unit-k", clock.time(), frames + 1);
        for (int i = 0; i < frames; i++)
        {
            assertEquals(RelayRecords.FRAME, reply.get());
            assertEquals(77L, reply.getLong());
            final byte[] json = ("{\"n\":" + i + "}").getBytes(StandardCharsets.US_ASCII);
            assertEquals(5 + json.length, reply.getInt());
            assertEquals(MessageType.ACK.id(), reply.getInt());
            assertEquals(0, reply.get());
            final byte[] relayedJson = new byte[json.length];
            reply.get(relayedJson);
            assertArrayEquals(json, relayedJson, "frame " + i + " in order");
        }
        assertEquals(RelayRecords.CLOSE, reply.get());
        assertEquals(77L, reply.getLong());
        assertEquals(4 + 3, reply.getInt());
        assertEquals(4000, reply.getInt());
        final byte[] reason = new byte[3];
        reply.get(reason);
        assertEquals("bye", new String(reason, StandardCharsets.UTF_8));
        assertFalse(reply.hasRemaining());
    }

    @Test
    void shouldAnswerClusterUnavailableWhenRedisCannotBeReached() throws Exception
    {
        final int deadPort;
        try (ServerSocket probe = new ServerSocket(0))
        {
            deadPort = probe.getLocalPort();
        }
        startAgent("unit-e", "redis://127.0.0.1:" + deadPort);
        final long connectionId = ConnectionIds.compose(0, 2, 2);
        final byte[] text = join("unreachable-room");
        relayQueue.offerText(connectionId, new byte[0], 0, text, 0, text.length);
        workUntil(() -> any(applied, "conn=" + connectionId, "type=join", "error=cluster_unavailable"),
            "the join is answered cluster_unavailable by the local shard");
        assertEquals(1, counters.clusterUnavailable.get());
        assertFalse(counters.redisUp);
    }

    private static final String SECRET = "a-cluster-secret-of-at-least-32-bytes";

    private static byte[] textBody(final String userId, final byte[] json)
    {
        final byte[] user = userId.getBytes(StandardCharsets.US_ASCII);
        final byte[] body = new byte[1 + user.length + json.length];
        body[0] = (byte)user.length;
        System.arraycopy(user, 0, body, 1, user.length);
        System.arraycopy(json, 0, body, 1 + user.length, json.length);
        return body;
    }

    private static byte[] signedBatch(
        final String origin, final String destination, final String secret, final long sentMs, final long connectionId,
        final byte[] body)
    {
        final RelayBatchEncoder encoder = new RelayBatchEncoder(origin.getBytes(StandardCharsets.US_ASCII), 64);
        encoder.append(RelayRecords.TEXT, connectionId, body, 0, body.length);
        return encoder.toMessage(sentMs, new ClusterSigner(secret), ClusterKeys.channel(destination));
    }

    private long dropped(final RelayDrop reason)
    {
        return counters.relayBatchesDropped.get(reason.ordinal());
    }

    @Test
    void shouldDropUnsignedForgedAndStaleBatchesWhenASecretIsSetAndServeSignedOnes()
    {
        startAgent("unit-s", redis.url(), SECRET);
        workUntil(link::isUp, "the link connects");
        final byte[] claim = join("signed-room");
        relayQueue.offerText(ConnectionIds.compose(0, 1, 1), new byte[0], 0, claim, 0, claim.length);
        workUntil(() -> directory.isOwned("signed-room".getBytes(StandardCharsets.US_ASCII), 11) &&
            any(applied, "conn=" + ConnectionIds.compose(0, 1, 1), "room=signed-room"), "claimed and applied");
        applied.clear();

        final byte[] body = textBody("", join("signed-room"));
        inbox.offer(channelMessage(RelayRecords.TEXT, "origin-s", 1L, body));
        inbox.offer(signedBatch("origin-s", "unit-s", SECRET + "-forged", clock.time(), 2L, body));
        inbox.offer(signedBatch("origin-s", "unit-t", SECRET, clock.time(), 3L, body));
        inbox.offer(signedBatch("origin-s", "unit-s", SECRET, clock.time() - RelayDrop.MAX_AGE_MS - 1, 4L, body));
        workUntil(() -> inbox.isEmpty() && 4 == counters.relayBatchesDropped.get(RelayDrop.UNSIGNED.ordinal()) +
            dropped(RelayDrop.BAD_SIGNATURE) + dropped(RelayDrop.STALE), "four batches dropped");
        assertEquals(1, dropped(RelayDrop.UNSIGNED));
        assertEquals(2, dropped(RelayDrop.BAD_SIGNATURE), "another secret, and one signed for another node");
        assertEquals(1, dropped(RelayDrop.STALE));
        assertEquals(0, counters.relayBatchesIn.get());

        inbox.offer(signedBatch("origin-s", "unit-s", SECRET, clock.time(), 5L, body));
        workUntil(() -> any(applied, "type=join", "room=signed-room"), "the signed batch is served");
        assertEquals(1, counters.relayBatchesIn.get());
        assertTrue(applied.stream().noneMatch(e -> e.contains("kind=" + SlotKind.CONNECTION_CLOSED)),
            applied.toString());
    }

    @Test
    void shouldDropABatchWithAUserIdOver64BytesWholeAndServeTheNextOne()
    {
        startAgent("unit-u", redis.url());
        workUntil(link::isUp, "the link connects");
        final byte[] claim = join("sized-room");
        relayQueue.offerText(ConnectionIds.compose(0, 1, 1), new byte[0], 0, claim, 0, claim.length);
        workUntil(() -> directory.isOwned("sized-room".getBytes(StandardCharsets.US_ASCII), 10) &&
            any(applied, "conn=" + ConnectionIds.compose(0, 1, 1), "room=sized-room"), "claimed and applied");
        applied.clear();

        final RelayBatchEncoder encoder = new RelayBatchEncoder("origin-u".getBytes(StandardCharsets.US_ASCII), 64);
        final byte[] good = textBody("alice", join("sized-room"));
        final byte[] oversize = textBody("u".repeat(65), join("sized-room"));
        encoder.append(RelayRecords.TEXT, 1L, good, 0, good.length);
        encoder.append(RelayRecords.TEXT, 2L, oversize, 0, oversize.length);
        inbox.offer(encoder.toMessage(clock.time()));
        workUntil(() -> 1 == dropped(RelayDrop.INVALID), "the batch is dropped whole");
        assertTrue(applied.isEmpty(), "no record of the bad batch was handled: " + applied);

        final RelayBatchEncoder next = new RelayBatchEncoder("origin-u".getBytes(StandardCharsets.US_ASCII), 64);
        next.append(RelayRecords.TEXT, 3L, good, 0, good.length);
        inbox.offer(next.toMessage(clock.time()));
        workUntil(() -> any(applied, "type=join", "room=sized-room"), "the agent goes on serving");
    }

    @Test
    void shouldCloseWith4012TheSocketsOfABatchThatDidNotFitTheInbox() throws Exception
    {
        startAgent("unit-v", redis.url());
        workUntil(link::isUp, "the link connects");
        subscribe("origin-v");

        final byte[] text = textBody("", join("any-room"));
        undeliverable.offer(channelMessage(RelayRecords.TEXT, "origin-v", 55L, text));
        final long local = ConnectionIds.compose(0, 2, 3);
        final byte[] frame = ByteBuffer.allocate(7).putInt(MessageType.ACK.id()).put((byte)0).put((byte)'{')
            .put((byte)'}').array();
        undeliverable.offer(channelMessage(RelayRecords.FRAME, "origin-w", local, frame));

        final List<String> closes = new ArrayList<>();
        workUntil(() ->
        {
            ioRing.poll((slot, sequence, endOfBatch) ->
            {
                if (OutboundSlot.CLOSE == slot.kind)
                {
                    closes.add(slot.connectionId + ":" + slot.closeCode);
                }
                return true;
            });
            return !closes.isEmpty() && !channelMessages.isEmpty();
        }, "the local socket is closed and the origin told to close its socket");
        assertEquals(List.of(local + ":4012"), closes);
        final ByteBuffer reply = batch(channelMessages.poll(), "unit-v", clock.time(), 1);
        assertEquals(RelayRecords.CLOSE, reply.get());
        assertEquals(55L, reply.getLong());
        assertEquals(4 + "room_moved".length(), reply.getInt());
        assertEquals(4012, reply.getInt());
        assertEquals(2, counters.undeliverableCloses.get());
        assertTrue(applied.isEmpty(), "nothing of an undeliverable batch reaches the engine");
    }


    private void offerGrants(final long connectionId, final Grants grants)
    {
        final byte[] packed = new byte[Grants.MAX_PACKED_BYTES];
        assertTrue(relayQueue.offerGrants(connectionId, grants.flags(), packed, grants.copyPackedRooms(packed)));
    }

    private static byte[] grantsBody(final Grants grants)
    {
        final byte[] packed = new byte[Grants.MAX_PACKED_BYTES];
        final int packedLength = grants.copyPackedRooms(packed);
        final byte[] body = new byte[GrantsRecord.HEADER_LENGTH + packedLength];
        GrantsRecord.encode(new UnsafeBuffer(body), 0, grants.flags(), packed, packedLength);
        return body;
    }

    @Test
    void shouldStampTheGrantsOfARelayedJoinServedByTheLocalShard()
    {
        startAgent("unit-ga", redis.url());
        workUntil(link::isUp, "the link connects");
        final long connectionId = ConnectionIds.compose(0, 1, 12);
        offerGrants(connectionId, QUIZ_VIEWER);
        final byte[] text = join("quiz-local");
        assertTrue(relayQueue.offerText(connectionId, "bob".getBytes(StandardCharsets.US_ASCII), 3, text, 0,
            text.length));
        workUntil(() -> any(applied, "conn=" + connectionId, "type=join", "room=quiz-local", QUIZ_VIEWER_STAMP),
            "the join reaches the local shard with the socket's grants, as a local socket's would: " + applied);

        final byte[] leave = ("{\"type\":\"leave\",\"msgId\":\"" + UUID.randomUUID() + "\"}")
            .getBytes(StandardCharsets.UTF_8);
        assertTrue(relayQueue.offerText(connectionId, "bob".getBytes(StandardCharsets.US_ASCII), 3, leave, 0,
            leave.length));
        workUntil(() -> any(applied, "conn=" + connectionId, "type=leave"), "the next message follows: " + applied);
        assertTrue(any(applied, "type=leave", "grants=0/"), "grants ride on joins and resumes only: " + applied);
    }

    @Test
    void shouldForwardTheGrantsRightBeforeTheJoinInTheSameBatchToTheOwner() throws Exception
    {
        startAgent("unit-gb", redis.url());
        workUntil(link::isUp, "the link connects");
        subscribe("owner-gb");
        redisCommands.sync().set("sb:lease:quiz-remote", "owner-gb", SetArgs.Builder.px(60_000));
        final long connectionId = ConnectionIds.compose(0, 3, 13);
        offerGrants(connectionId, QUIZ_VIEWER);
        final byte[] text = join("quiz-remote");
        relayQueue.offerText(connectionId, "bob".getBytes(StandardCharsets.US_ASCII), 3, text, 0, text.length);

        workUntil(() -> !channelMessages.isEmpty(), "the join is published on the owner's channel");
        final ByteBuffer message = batch(channelMessages.poll(), "unit-gb", clock.time(), 2);
        assertEquals(RelayRecords.GRANTS, message.get(), "the grants come first");
        assertEquals(connectionId, message.getLong());
        final byte[] expected = grantsBody(QUIZ_VIEWER);
        final byte[] grants = new byte[message.getInt()];
        message.get(grants);
        assertArrayEquals(expected, grants);
        assertEquals(RelayRecords.TEXT, message.get(), "then the join they are for");
        assertEquals(connectionId, message.getLong());
        assertEquals(1 + 3 + text.length, message.getInt());

        final byte[] signal = signal(2);
        relayQueue.offerText(connectionId, "bob".getBytes(StandardCharsets.US_ASCII), 3, signal, 0, signal.length);
        workUntil(() -> !channelMessages.isEmpty(), "the next message is relayed");
        final ByteBuffer next = batch(channelMessages.poll(), "unit-gb", clock.time(), 1);
        assertEquals(RelayRecords.TEXT, next.get(), "no grants before a message that is not a join or resume");
    }

    @Test
    void shouldServeARelayedJoinWithItsGrantsAndDropABatchWithMalformedGrantsWhole()
    {
        startAgent("unit-gc", redis.url());
        workUntil(link::isUp, "the link connects");
        final byte[] claim = join("quiz-owned");
        relayQueue.offerText(ConnectionIds.compose(0, 1, 1), new byte[0], 0, claim, 0, claim.length);
        workUntil(() -> directory.isOwned("quiz-owned".getBytes(StandardCharsets.US_ASCII), 10) &&
            any(applied, "conn=" + ConnectionIds.compose(0, 1, 1), "room=quiz-owned"), "claimed and applied");
        applied.clear();

        final byte[] origin = "origin-gc".getBytes(StandardCharsets.US_ASCII);
        final byte[] text = textBody("bob", join("quiz-owned"));
        final byte[] malformed = grantsBody(QUIZ_VIEWER);
        malformed[GrantsRecord.HEADER_LENGTH + 2] = '"';
        final RelayBatchEncoder bad = new RelayBatchEncoder(origin, 64);
        bad.append(RelayRecords.GRANTS, 21L, malformed, 0, malformed.length);
        bad.append(RelayRecords.TEXT, 21L, text, 0, text.length);
        inbox.offer(bad.toMessage(clock.time()));
        workUntil(() -> 1 == dropped(RelayDrop.INVALID), "a batch with malformed grants is dropped whole");
        assertEquals(1, counters.relayBatchesMalformed.get());
        assertTrue(applied.isEmpty(), "its join is not served without its grants: " + applied);

        final byte[] good = grantsBody(QUIZ_VIEWER);
        final RelayBatchEncoder encoder = new RelayBatchEncoder(origin, 64);
        encoder.append(RelayRecords.GRANTS, 22L, good, 0, good.length);
        encoder.append(RelayRecords.TEXT, 22L, text, 0, text.length);
        inbox.offer(encoder.toMessage(clock.time()));
        workUntil(() -> any(applied, "type=join", "room=quiz-owned", QUIZ_VIEWER_STAMP),
            "the relayed join reaches the engine with the grants a local socket would carry: " + applied);

        final RelayBatchEncoder unrestricted = new RelayBatchEncoder(origin, 64);
        unrestricted.append(RelayRecords.TEXT, 23L, text, 0, text.length);
        inbox.offer(unrestricted.toMessage(clock.time()));
        workUntil(() -> any(applied, "type=join", "room=quiz-owned", "grants=0/"),
            "another socket of the same node without grants stays unrestricted");
    }
}
