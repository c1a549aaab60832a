package dev.switchboard.engine.room;


import java.nio.charset.StandardCharsets;

/**
 * The admin API's JSON view of one room, written on the engine thread that owns it (operator traffic only).
 * <p>
 * Ids are in the alphabets the decoder and the authenticator enforce, so they need no escaping.
 */
public final class RoomDescription
{
    private RoomDescription()
    {
    }

    /**
     * Describe a room: its members with role, liveness and whether authenticated, the host, the active guest, the
     * co-host queue in order and the game state version.
     *
     * @param room the room.
     * @return the JSON object.
     */
    public static String of(final Room room)
    {
        final StringBuilder json = new StringBuilder(128 + room.memberCount * 80);
        json.append("{\"roomId\":\"").append(text(room.roomId, room.roomIdLength)).append("\",\"host\":");
        userOrNull(json, room.host);
        json.append(",\"activeGuest\":");
        userOrNull(json, room.activeGuest);
        json.append(",\"gameStateVersion\":").append(room.gameState.version()).append(",\"members\":[");
        for (int i = 0; i < room.memberCount; i++)
        {
            final Session member = room.members[i];
            json.append(0 == i ? "" : ",").append("{\"userId\":\"")
                .append(text(member.userId, member.userIdLength)).append("\",\"role\":\"").append(role(member.role))
                .append("\",\"live\":").append(member.live).append(",\"authenticated\":").append(member.authenticated)
                .append('}');
        }
        json.append("],\"queue\":[");
        for (int i = 0; i < room.queueLength; i++)
        {
            final Session queued = room.queue[i];
            json.append(0 == i ? "\"" : ",\"").append(text(queued.userId, queued.userIdLength)).append('"');
        }
        return json.append("]}").toString();
    }

    private static void userOrNull(final StringBuilder json, final Session session)
    {
        if (null == session)
        {
            json.append("null");
        }
        else
        {
            json.append('"').append(text(session.userId, session.userIdLength)).append('"');
        }
    }

    private static String role(final int role)
    {
        switch (role)
        {
            case Session.ROLE_HOST:
                return "host";
            case Session.ROLE_GUEST:
                return "guest";
            default:
                return "viewer";
        }
    }

    private static String text(final byte[] bytes, final int length)
    {
        return new String(bytes, 0, length, StandardCharsets.US_ASCII);
    }
}
