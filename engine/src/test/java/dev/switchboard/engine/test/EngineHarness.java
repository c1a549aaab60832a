package dev.switchboard.engine.test;

import dev.switchboard.engine.Engine;
import dev.switchboard.engine.EngineContext;
import dev.switchboard.engine.cluster.ClusterHooks;
import dev.switchboard.engine.codes.MessageType;
import dev.switchboard.engine.log.EventLog;
import dev.switchboard.engine.outbound.FramePool;
import dev.switchboard.engine.ring.InboundSlot;
import dev.switchboard.engine.room.SocketClaims;
import dev.switchboard.engine.settings.SwitchboardSettings;
import org.agrona.concurrent.CachedEpochClock;

import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * An engine wired to a fake clock, a capturing publisher and a test frame pool, with helpers to join and
 * drive it event by event.
 */
public final class EngineHarness
{
    /** Epoch ms the fake clock starts at. */
    public static final long START_MS = 1_764_160_000_000L;

    /** A joined member: its connection, room, user id and session token. */
    public record Member(long connectionId, String roomId, String userId, String token)
    {
    }

    /** The fake clock. */
    public final CachedEpochClock clock = new CachedEpochClock();
    /** The capturing publisher. */
    public final CapturingOutboundPublisher publisher = new CapturingOutboundPublisher();
    /** The frame pool. */
    public final FramePool framePool = new FramePool(1024, null);
    /** The settings in use. */
    public final SwitchboardSettings settings;
    /** The engine under test. */
    public final Engine engine;
    /** The engine's structured event log, to read back what it recorded. */
    public final EventLog events = new EventLog(64 * 1024);

    /**
     * An engine with default settings.
     */
    public EngineHarness()
    {
        this(SwitchboardSettings.defaults());
    }

    /**
     * An engine with the given settings.
     *
     * @param settings the settings.
     */
    public EngineHarness(final SwitchboardSettings settings)
    {
        this(settings, ClusterHooks.NONE, 42);
    }

    /**
     * An engine of a cluster node reporting to the given hooks.
     *
     * @param settings the settings.
     * @param hooks    the cluster hooks.
     * @param seed     seed of the engine's randomness (distinct per node, so ids differ).
     */
    public EngineHarness(final SwitchboardSettings settings, final ClusterHooks hooks, final long seed)
    {
        this(settings, hooks, seed, SocketClaims.NONE, 0);
    }

    /**
     * One shard of a node with several: the engine arbitrates its sockets through the node's shared claims.
     *
     * @param settings   the settings.
     * @param claims     the claims every shard of the node shares.
     * @param shardIndex this engine's shard.
     */
    public EngineHarness(final SwitchboardSettings settings, final SocketClaims claims, final int shardIndex)
    {
        this(settings, ClusterHooks.NONE, 42 + shardIndex, claims, shardIndex);
    }

    private EngineHarness(
        final SwitchboardSettings settings,
        final ClusterHooks hooks,
        final long seed,
        final SocketClaims claims,
        final int shardIndex)
    {
        this.settings = settings;
        clock.update(START_MS);
        engine = new Engine(new EngineContext(
            settings, clock, publisher, framePool, new Random(seed), shardIndex, events, hooks)
            .withSocketClaims(claims));
    }

    /**
     * Apply one event and end the batch.
     *
     * @param builder the event.
     */
    public void apply(final SlotBuilder builder)
    {
        engine.onEvent(builder.build());
        engine.onEndOfBatch();
    }

    /**
     * Join a room as a guest user and return the member from its joined answer.
     *
     * @param connectionId the connection.
     * @param roomId       the room.
     * @param role         InboundSlot role.
     * @return the member.
     */
    public Member join(final long connectionId, final String roomId, final int role)
    {
        return join(SlotBuilder.message(connectionId, MessageType.JOIN).room(roomId).role(role));
    }

    /**
     * Join as the host.
     *
     * @param connectionId the connection.
     * @param roomId       the room.
     * @return the member.
     */
    public Member host(final long connectionId, final String roomId)
    {
        return join(connectionId, roomId, InboundSlot.ROLE_HOST);
    }

    /**
     * Join as a viewer.
     *
     * @param connectionId the connection.
     * @param roomId       the room.
     * @return the member.
     */
    public Member viewer(final long connectionId, final String roomId)
    {
        return join(connectionId, roomId, InboundSlot.ROLE_VIEWER);
    }

    /**
     * Apply a join message and return the member from its joined answer.
     *
     * @param joinMessage the join.
     * @return the member.
     */
    @SuppressWarnings("unchecked")
    public Member join(final SlotBuilder joinMessage)
    {
        final InboundSlot slot = joinMessage.build();
        apply(joinMessage);
        final List<Map<String, Object>> joined = publisher.messagesTo(slot.connectionId, "joined");
        if (joined.isEmpty())
        {
            throw new AssertionError("no joined for " + slot.connectionId + ": " + publisher.messagesTo(slot.connectionId));
        }
        final Map<String, Object> payload = (Map<String, Object>)joined.get(joined.size() - 1).get("payload");
        return new Member(slot.connectionId, new String(slot.roomId, 0, slot.roomIdLength),
            (String)payload.get("userId"), (String)payload.get("sessionToken"));
    }

    /**
     * A message from a member in its room.
     *
     * @param member the sender.
     * @param type   the type.
     * @return the builder.
     */
    public static SlotBuilder from(final Member member, final MessageType type)
    {
        return SlotBuilder.message(member.connectionId(), type).room(member.roomId());
    }

    /**
     * Advance the clock and run a tick.
     *
     * @param millis time to advance.
     */
    public void advance(final long millis)
    {
        clock.advance(millis);
        engine.onTick();
        engine.onEndOfBatch();
    }

    /**
     * Messages sent to a member's connection.
     *
     * @param connectionId the connection.
     * @return parsed messages in order.
     */
    public List<Map<String, Object>> to(final long connectionId)
    {
        return publisher.messagesTo(connectionId);
    }

    /**
     * Messages of a type sent to a connection.
     *
     * @param connectionId the connection.
     * @param type         wire type name.
     * @return parsed messages in order.
     */
    public List<Map<String, Object>> to(final long connectionId, final String type)
    {
        return publisher.messagesTo(connectionId, type);
    }

    /**
     * The payload of a message.
     *
     * @param message a parsed message.
     * @return its payload object.
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> payload(final Map<String, Object> message)
    {
        return (Map<String, Object>)message.get("payload");
    }
}
