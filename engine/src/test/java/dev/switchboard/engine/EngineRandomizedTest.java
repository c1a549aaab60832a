package dev.switchboard.engine;

import dev.switchboard.engine.codes.ErrorCode;
import dev.switchboard.engine.codes.MessageType;
import dev.switchboard.engine.ring.InboundSlot;
import dev.switchboard.engine.settings.SwitchboardSettings;
import dev.switchboard.engine.test.CapturingOutboundPublisher.Sent;
import dev.switchboard.engine.test.EngineHarness;
import dev.switchboard.engine.test.SlotBuilder;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import static dev.switchboard.engine.test.EngineHarness.payload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EngineRandomizedTest
{
    private static final String[] ROOMS = {"a", "b", "c"};
    private static final MessageType[] MEMBER_TYPES = {
        MessageType.WEBRTC_OFFER, MessageType.WEBRTC_ANSWER, MessageType.ICE_CANDIDATE, MessageType.GAME_EVENT,
        MessageType.GAME_STATE, MessageType.COHOST_REQUEST, MessageType.COHOST_CANCEL, MessageType.COHOST_ACCEPT,
        MessageType.COHOST_END, MessageType.PING, MessageType.LEAVE};

    @Test
    void shouldKeepSequencesOrderedAndFreeEverythingUnderRandomTraffic()
    {
        // Coverage is asserted over the five traces together: a rule change (such as the host reservation of
        // authenticated hosts) reshapes each trace, and one trace without, say, a co-host accept proves nothing.
        final Set<String> covered = new TreeSet<>();
        for (int seed = 1; seed <= 5; seed++)
        {
            covered.addAll(run(seed));
        }
        assertTrue(covered.containsAll(List.of("ack", "error", "joined", "resume_ok", "webrtc_offer", "ice_candidate",
            "game_event", "game_state", "cohost_queue_updated", "role_changed", "presence", "pong", "room_closed")),
            "traffic covered " + covered);
    }

    private static Set<String> run(final long seed)
    {
        final Trace trace = new Trace(seed);
        for (int step = 0; step < 4_000; step++)
        {
            trace.step(step);
        }
        final EngineHarness h = trace.h;
        h.engine.onEndOfBatch();
        final Set<String> types = new TreeSet<>();
        for (final Sent s : h.publisher.sent())
        {
            types.add((String)s.message().get("type"));
        }
        assertSequencesOrdered(h.publisher.sent());

        for (long c = 1; c < trace.nextConnection; c++)
        {
            h.engine.onEvent(SlotBuilder.connectionClosed(c, 1006).build());
        }
        h.advance(300_000);
        assertEquals(0, h.engine.roomCount(), "seed " + seed);
        assertEquals(0, h.engine.sessionCount());
        assertEquals(0, h.engine.liveConnectionCount());
        assertEquals(h.framePool.liveCount(), h.framePool.freeCount(), "frames leaked, seed " + seed);
        return types;
    }

    private static void assertSequencesOrdered(final List<Sent> sent)
    {
        final Map<Long, Long> lastDseq = new HashMap<>();
        final Map<Long, Long> lastRseq = new HashMap<>();
        for (final Sent s : sent)
        {
            final Map<String, Object> m = s.message();
            if (m.containsKey("dseq"))
            {
                final long dseq = (Long)m.get("dseq");
                assertTrue(dseq > lastDseq.getOrDefault(s.connectionId(), 0L), "dseq order on " + s);
                lastDseq.put(s.connectionId(), dseq);
            }
            if (m.containsKey("rseq"))
            {
                final long rseq = (Long)m.get("rseq");
                assertTrue(rseq > lastRseq.getOrDefault(s.connectionId(), 0L), "rseq order on " + s);
                lastRseq.put(s.connectionId(), rseq);
            }
        }
    }

    /** One random trace: the engine under test and what the clients know (users, tokens, rooms, recent ids). */
    private static final class Trace
    {
        final Random random;
        final EngineHarness h = new EngineHarness(SwitchboardSettings.builder()
            .fanoutSlice(3).replayWindow(8).dedupeWindow(4).maxQueue(3).build());
        final Map<Long, String> roomOf = new HashMap<>();
        final Map<String, String> tokenOfUser = new HashMap<>();
        final Map<String, String> roomOfUser = new HashMap<>();
        final List<String> users = new ArrayList<>();
        final List<UUID> recentIds = new ArrayList<>();
        long nextConnection = 1;
        int seen;

        Trace(final long seed)
        {
            random = new Random(seed);
        }

        void step(final int step)
        {
            final int action = random.nextInt(100);
            final long connection = 1 + random.nextInt((int)nextConnection);
            final SlotBuilder b;
            if (action < 10)
            {
                b = join();
            }
            else if (action < 15 && !users.isEmpty())
            {
                b = resume();
            }
            else if (action < 22)
            {
                b = SlotBuilder.connectionClosed(connection, 1006);
            }
            else if (action < 27)
            {
                h.advance(random.nextInt(3) == 0 ? 30_000 : 16);
                return;
            }
            else if (action < 29)
            {
                b = SlotBuilder.message(connection, MessageType.GAME_EVENT).error(ErrorCode.INVALID_MESSAGE)
                    .room(ROOMS[random.nextInt(ROOMS.length)]);
            }
            else
            {
                b = memberMessage(connection, step);
            }
            recentIds.add(new UUID(b.build().msgIdHi, b.build().msgIdLo));
            if (recentIds.size() > 16)
            {
                recentIds.remove(0);
            }
            h.engine.onEvent(b.build());
            if (random.nextInt(3) == 0)
            {
                h.engine.onEndOfBatch();
            }
            observe();
        }

        private SlotBuilder join()
        {
            final SlotBuilder b = SlotBuilder.message(nextConnection++, MessageType.JOIN)
                .room(ROOMS[random.nextInt(ROOMS.length)])
                .role(random.nextInt(3) == 0 ? InboundSlot.ROLE_HOST : InboundSlot.ROLE_VIEWER);
            if (random.nextInt(4) == 0)
            {
                b.authUser("user-" + random.nextInt(5));
            }
            return b;
        }

        private SlotBuilder resume()
        {
            final String user = users.get(random.nextInt(users.size()));
            final SlotBuilder b = SlotBuilder.message(nextConnection++, MessageType.RESUME).room(roomOfUser.get(user))
                .resume(tokenOfUser.get(user), random.nextInt(4), random.nextInt(4));
            if (user.startsWith("user-"))
            {
                b.authUser(user);
            }
            return b;
        }

        private SlotBuilder memberMessage(final long connection, final int step)
        {
            final MessageType type = MEMBER_TYPES[random.nextInt(MEMBER_TYPES.length)];
            final String room = roomOf.getOrDefault(connection, ROOMS[random.nextInt(ROOMS.length)]);
            final SlotBuilder b = SlotBuilder.message(connection, type).room(random.nextInt(20) == 0 ? "zzz" : room)
                .seq(step + 1).version(step + 1).payload("{\"sdp\":\"x\"}");
            if (!users.isEmpty())
            {
                b.to(users.get(random.nextInt(users.size())));
            }
            if (type == MessageType.GAME_STATE)
            {
                b.patch("k" + random.nextInt(4), random.nextBoolean() ? "null" : "[1]");
            }
            if (!recentIds.isEmpty() && random.nextInt(4) == 0)
            {
                b.msgId(recentIds.get(random.nextInt(recentIds.size())));
            }
            return b;
        }

        @SuppressWarnings("unchecked")
        private void observe()
        {
            final List<Sent> sent = h.publisher.sent();
            for (; seen < sent.size(); seen++)
            {
                final Map<String, Object> m = sent.get(seen).message();
                final String type = (String)m.get("type");
                if ("joined".equals(type) || "resume_ok".equals(type) || "resume_migrated".equals(type))
                {
                    final Map<String, Object> p = payload(m);
                    final String user = (String)p.get("userId");
                    if ("joined".equals(type))
                    {
                        users.add(user);
                        tokenOfUser.put(user, (String)p.get("sessionToken"));
                        roomOfUser.put(user, (String)m.get("roomId"));
                    }
                    roomOf.put(sent.get(seen).connectionId(), (String)m.get("roomId"));
                }
            }
        }
    }
}
