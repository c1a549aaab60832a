package dev.switchboard.engine;

import dev.switchboard.engine.codes.MessageType;
import dev.switchboard.engine.ring.InboundSlot;
import dev.switchboard.engine.room.SocketClaims;
import dev.switchboard.engine.settings.SwitchboardSettings;
import dev.switchboard.engine.test.EngineHarness;
import dev.switchboard.engine.test.EngineHarness.Member;
import dev.switchboard.engine.test.SlotBuilder;
import org.junit.jupiter.api.Test;

import static dev.switchboard.engine.test.EngineHarness.payload;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * One room per socket across the shards of a node: two engines (shards 0 and 1) share the node's
 * {@link SocketClaims}, as the IoAgent routes each message to the shard of the room it names.
 */
class EngineSocketClaimsTest
{
    private final SocketClaims claims = SocketClaims.forShards(2, 64);
    private final EngineHarness shard0 = new EngineHarness(SwitchboardSettings.defaults(), claims, 0);
    private final EngineHarness shard1 = new EngineHarness(SwitchboardSettings.defaults(), claims, 1);

    private static String errorCode(final EngineHarness shard, final long connectionId)
    {
        return (String)payload(shard.to(connectionId, "error").get(0)).get("code");
    }

    @Test
    void shouldAnswerAlreadyJoinedToAJoinOnAnotherShard()
    {
        shard0.host(1, "room-a");

        shard1.apply(SlotBuilder.message(1, MessageType.JOIN).room("room-b").role(InboundSlot.ROLE_VIEWER));

        assertEquals("already_joined", errorCode(shard1, 1));
        assertEquals(0, shard1.engine.sessionCount());
        assertEquals(0, shard1.engine.roomCount(), "no room was opened for the refused join");
        assertEquals(0, claims.holder(1));
    }

    @Test
    void shouldFreeTheSocketWhenItsSessionEnds()
    {
        shard0.host(1, "room-a");
        shard0.apply(SlotBuilder.connectionClosed(1, 1006));
        assertEquals(-1, claims.holder(1), "the socket's close unbinds its session and its claim");

        shard1.host(1, "room-b");
        assertEquals(1, claims.holder(1));
        assertEquals(1, shard1.engine.sessionCount());
    }

    @Test
    void shouldReleaseTheClaimOfARefusedJoin()
    {
        shard1.host(2, "room-b");
        shard1.apply(SlotBuilder.message(1, MessageType.JOIN).room("room-b").role(InboundSlot.ROLE_HOST));
        assertEquals("host_taken", errorCode(shard1, 1));
        assertEquals(-1, claims.holder(1), "a refused join leaves no claim behind");

        shard0.host(1, "room-a");
        assertEquals(0, claims.holder(1));
    }

    @Test
    void shouldAnswerAlreadyJoinedToAResumeOnAnotherShardAndKeepTheAwaySession()
    {
        final Member viewer = shard1.viewer(2, "room-b");
        shard1.apply(SlotBuilder.connectionClosed(2, 1006));
        shard0.host(1, "room-a");

        shard1.apply(SlotBuilder.message(1, MessageType.RESUME).room("room-b").resume(viewer.token(), 0, 0));
        assertEquals("already_joined", errorCode(shard1, 1));

        shard1.apply(SlotBuilder.message(3, MessageType.RESUME).room("room-b").resume(viewer.token(), 0, 0));
        assertEquals(1, shard1.to(3, "resume_ok").size(), "the away session is still there to resume");
        assertEquals(1, claims.holder(3));
    }
}
