package dev.switchboard.engine.room;

import java.nio.charset.StandardCharsets;

/**
 * Puts rooms and sessions straight into states an engine run reaches only through many messages (or never, for
 * the broken states a snapshot decoder must refuse), for the codec and encoder tests of other packages; the
 * engine's own tests reach their states through messages instead.
 */
public final class RoomStates
{
    private RoomStates()
    {
    }

    /**
     * A room with an id and no members.
     *
     * @param roomId       the id.
     * @param maxQueue     co-host queue capacity.
     * @param replayWindow broadcasts kept for replay.
     * @return the room.
     */
    public static Room room(final String roomId, final int maxQueue, final int replayWindow)
    {
        final Room room = new Room(maxQueue, replayWindow);
        final byte[] id = roomId.getBytes(StandardCharsets.US_ASCII);
        room.assignId(id, id.length);
        return room;
    }

    /**
     * A session with a user id, a token and a role, live on no particular socket.
     *
     * @param userId       the user id.
     * @param token        the token.
     * @param role         one of the Session ROLE constants.
     * @param dedupeWindow msgIds its dedupe window remembers.
     * @return the session.
     */
    public static Session session(final String userId, final String token, final int role, final int dedupeWindow)
    {
        final Session session = new Session(dedupeWindow, 16);
        userId(session, userId);
        final byte[] t = token.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(t, 0, session.token, 0, t.length);
        session.tokenLength = t.length;
        session.role = role;
        session.live = true;
        return session;
    }

    /**
     * Give a session a user id.
     *
     * @param session the session.
     * @param userId  the user id.
     */
    public static void userId(final Session session, final String userId)
    {
        final byte[] id = userId.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(id, 0, session.userId, 0, id.length);
        session.userIdLength = id.length;
    }

    /**
     * Set a session's sequence counters.
     *
     * @param session          the session.
     * @param lastDseq         last dseq assigned.
     * @param joinRseq         the room's rseq when it joined.
     * @param lastIceSeq       last applied ice_candidate seq.
     * @param lastGameStateSeq last applied game_state seq.
     */
    public static void sequences(
        final Session session,
        final long lastDseq,
        final long joinRseq,
        final long lastIceSeq,
        final long lastGameStateSeq)
    {
        session.lastDseq = lastDseq;
        session.joinRseq = joinRseq;
        session.lastIceSeq = lastIceSeq;
        session.lastGameStateSeq = lastGameStateSeq;
    }

    /**
     * Take a session's socket away after a role change it has not heard of.
     *
     * @param session    the session.
     * @param roleAtAway the role it had when the socket went away.
     * @param reason     wire bytes of the reason of the change.
     */
    public static void away(final Session session, final int roleAtAway, final byte[] reason)
    {
        session.live = false;
        session.roleAtAway = roleAtAway;
        session.lastRoleReason = reason;
    }

    /**
     * Mark a session's user id as the authenticator's.
     *
     * @param session the session.
     */
    public static void authenticated(final Session session)
    {
        session.authenticated = true;
    }

    /**
     * Set a session's grant denials, defined or not.
     *
     * @param session    the session.
     * @param grantFlags the flags.
     */
    public static void grantFlags(final Session session, final int grantFlags)
    {
        session.grantFlags = grantFlags;
    }

    /**
     * Set a session's role without the room's bookkeeping, as a broken snapshot would carry it.
     *
     * @param session the session.
     * @param role    one of the Session ROLE constants.
     */
    public static void role(final Session session, final int role)
    {
        session.role = role;
    }

    /**
     * Cut or restore a session's token length.
     *
     * @param session     the session.
     * @param tokenLength the length.
     */
    public static void tokenLength(final Session session, final int tokenLength)
    {
        session.tokenLength = tokenLength;
    }

    /**
     * Set a room's last rseq.
     *
     * @param room     the room.
     * @param lastRseq the rseq.
     */
    public static void lastRseq(final Room room, final long lastRseq)
    {
        room.lastRseq = lastRseq;
    }

    /**
     * Put a member (or null) in the room's host slot.
     *
     * @param room the room.
     * @param host the host or null.
     */
    public static void host(final Room room, final Session host)
    {
        room.host = host;
    }

    /**
     * Put a member in the room's guest slot.
     *
     * @param room  the room.
     * @param guest the guest.
     */
    public static void activeGuest(final Room room, final Session guest)
    {
        room.activeGuest = guest;
    }

    /**
     * Forget the room's host reservation.
     *
     * @param room the room.
     */
    public static void clearHostReservation(final Room room)
    {
        room.reservedHostUserIdLength = 0;
    }
}
