package dev.switchboard.engine;

import dev.switchboard.engine.admin.AdminCall;
import dev.switchboard.engine.codes.ErrorCode;
import dev.switchboard.engine.codes.MessageType;
import dev.switchboard.engine.encode.MessageEncoder;
import dev.switchboard.engine.log.EventLog;
import dev.switchboard.engine.metrics.DropReason;
import dev.switchboard.engine.metrics.EngineCounters;
import dev.switchboard.engine.metrics.GameStateRefusal;
import dev.switchboard.engine.outbound.Frame;
import dev.switchboard.engine.ring.InboundSlot;
import dev.switchboard.engine.room.Room;
import dev.switchboard.engine.room.Session;
import dev.switchboard.engine.settings.SwitchboardSettings;

/**
 * A room's game state: the host's patches are checked against the limits, merged at once (so joins and resumes
 * see the current state) and coalesced into one patch frame per tick; an operator's patch is merged and sent at
 * once.
 */
final class GameStateRelay
{
    private final SwitchboardSettings settings;
    private final MessageEncoder encoder;
    private final Outbox outbox;
    private final EngineCounters counters;

    GameStateRelay(
        final SwitchboardSettings settings,
        final MessageEncoder encoder,
        final Outbox outbox,
        final EngineCounters counters)
    {
        this.settings = settings;
        this.encoder = encoder;
        this.outbox = outbox;
        this.counters = counters;
    }

    /** Apply the host's patch to the room state now and collect it for the next tick's patch frame. */
    void onGameState(final InboundSlot slot, final Session session)
    {
        final Room room = session.room();
        if (Session.ROLE_HOST != session.role())
        {
            outbox.replyError(slot, MessageType.GAME_STATE, session, ErrorCode.FORBIDDEN);
            return;
        }
        if (slot.seq <= session.lastGameStateSeq() || slot.version <= room.gameState().version())
        {
            counters.onDrop(MessageType.GAME_STATE.id(), DropReason.STALE);
            return;
        }
        final GameStateRefusal refusal = room.gameState().admit(
            slot, settings.maxPatchEntries(), settings.maxGameStateEntries(), settings.maxGameStateBytes());
        if (null != refusal)
        {
            counters.onGameStateRefused(refusal);
            if (room.gameState().refusalLogDue(outbox.nowMs()))
            {
                outbox.logEvent(EventLog.GAME_STATE_REFUSED, slot, session, refusal.ordinal());
            }
            outbox.replyError(slot, MessageType.GAME_STATE, session, ErrorCode.INVALID_MESSAGE);
            return;
        }
        session.gameStateApplied(slot.seq);
        room.gameState().merge(slot);
        room.markChanged();
        final boolean otherSender = room.pendingPatch().isPending() && room.pendingPatch().senderSerial() != session.serial();
        if (otherSender)
        {
            flushPatch(room);
        }
        room.pendingPatch().add(slot, session.serial());
    }

    /** Send the room's pending patch to every live member but its sender. */
    void flushPatch(final Room room)
    {
        final long senderSerial = room.pendingPatch().senderSerial();
        final Frame frame = encoder.gameStatePatch(room, outbox.nowMs(), room.pendingPatch());
        for (int i = 0, n = room.memberCount(); i < n; i++)
        {
            final Session member = room.member(i);
            if (member.live() && member.serial() != senderSerial)
            {
                outbox.send(member.connectionId(), frame);
            }
        }
        frame.release();
        room.pendingPatch().clear();
    }

    /** Merge an operator's patch under the room's next version and send it at once to every live member. */
    void publishServerState(final Room room, final InboundSlot slot, final AdminCall call)
    {
        if (room.pendingPatch().isPending())
        {
            flushPatch(room);
        }
        if (room.gameState().projectedBytes(slot) > settings.maxGameStateBytes())
        {
            call.complete(413, "{\"error\":\"game_state_too_large\"}");
            return;
        }
        slot.version = room.gameState().version() + 1;
        room.gameState().merge(slot);
        room.markChanged();
        final Frame frame = encoder.serverGameStatePatch(room, outbox.nowMs(), slot);
        for (int i = 0, n = room.memberCount(); i < n; i++)
        {
            if (room.member(i).live())
            {
                outbox.send(room.member(i).connectionId(), frame);
            }
        }
        frame.release();
        call.complete(200, "{\"version\":" + slot.version + "}");
    }
}
