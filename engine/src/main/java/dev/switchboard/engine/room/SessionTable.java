package dev.switchboard.engine.room;

import dev.switchboard.engine.flow.RateLimiter;
import dev.switchboard.engine.settings.SwitchboardSettings;
import dev.switchboard.engine.store.IdIndex;
import dev.switchboard.engine.store.ReplayBytes;
import org.agrona.collections.Long2ObjectHashMap;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

/**
 * The shard's sessions: looked up by connection, serial, token and (for guests) user id; the away list walked by the
 * resume-window timer (owning {@link Session#awayIndex}); serials, tokens and guest ids handed out; and a bounded
 * pool of ended sessions for reuse.
 */
public final class SessionTable
{
    private static final byte[] URL_SAFE =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] GUEST_PREFIX = "guest-".getBytes(StandardCharsets.US_ASCII);
    private static final int GUEST_RANDOM_CHARS = 12;
    private static final int MAX_POOLED_SESSIONS = 1024;

    private final SwitchboardSettings settings;
    private final Random random;
    private final ReplayBytes replayBytes;
    private final SocketClaims claims;
    private final int shardIndex;
    private final Long2ObjectHashMap<Session> byConnection = new Long2ObjectHashMap<>();
    private final Long2ObjectHashMap<Session> bySerial = new Long2ObjectHashMap<>();
    private final IdIndex<Session> byToken = new SessionIndexes.ByToken(1024);
    private final IdIndex<Session> guestByUserId = new SessionIndexes.ByUserId(1024);
    private Session[] away = new Session[64];
    private int awayCount;
    private Session[] pool = new Session[64];
    private int poolCount;
    private int count;
    private long lastSerial;

    /**
     * A table creating sessions with the settings' windows.
     *
     * @param settings    dedupe and replay windows, rate limits.
     * @param random      the source of tokens and guest ids.
     * @param replayBytes the shard's gauge of bytes held by session replay windows.
     * @param claims      which shard holds each socket, shared by the node's shards.
     * @param shardIndex  this table's shard.
     */
    public SessionTable(
        final SwitchboardSettings settings,
        final Random random,
        final ReplayBytes replayBytes,
        final SocketClaims claims,
        final int shardIndex)
    {
        this.settings = settings;
        this.random = random;
        this.replayBytes = replayBytes;
        this.claims = claims;
        this.shardIndex = shardIndex;
    }

    /**
     * Claim a socket for this shard before a join or resume binds a session to it.
     *
     * @param connectionId the socket.
     * @return false when another shard holds a session on it.
     */
    public boolean claimSocket(final long connectionId)
    {
        return claims.claim(connectionId, shardIndex);
    }

    /**
     * Give up the claim of a join or resume that bound no session (it was refused).
     *
     * @param connectionId the socket.
     */
    public void releaseUnboundClaim(final long connectionId)
    {
        if (!byConnection.containsKey(connectionId))
        {
            claims.release(connectionId, shardIndex);
        }
    }

    /**
     * A clean session, pooled or new; not registered yet.
     *
     * @return the session.
     */
    public Session allocate()
    {
        if (poolCount > 0)
        {
            final Session session = pool[--poolCount];
            pool[poolCount] = null;
            return session;
        }
        return new Session(settings.dedupeWindow(), settings.replayWindow(), settings.replayWindowBytes(),
            replayBytes, new RateLimiter(settings));
    }

    /**
     * Give the session the next serial and index it by serial, token and (for a guest) user id.
     *
     * @param session a session with its token and user id set.
     */
    public void register(final Session session)
    {
        session.serial = ++lastSerial;
        bySerial.put(session.serial, session);
        byToken.put(session);
        if (!session.authenticated)
        {
            guestByUserId.put(session);
        }
        count++;
    }

    /**
     * Take an ending session out of every index and the away list (its connection must be unbound first).
     *
     * @param session a registered session.
     */
    public void unregister(final Session session)
    {
        if (session.awayIndex >= 0)
        {
            removeAway(session);
        }
        byToken.remove(session);
        if (!session.authenticated)
        {
            guestByUserId.remove(session);
        }
        bySerial.remove(session.serial);
        count--;
    }

    /**
     * Reset an unregistered session and pool it when the pool has space.
     *
     * @param session the session.
     */
    public void free(final Session session)
    {
        session.reset();
        if (poolCount >= MAX_POOLED_SESSIONS)
        {
            return;
        }
        if (poolCount == pool.length)
        {
            pool = Arrays.copyOf(pool, poolCount * 2);
        }
        pool[poolCount++] = session;
    }

    /**
     * Bind a connection to a session that has none: the session is live on it and leaves the away list.
     *
     * @param connectionId the connection.
     * @param session      a registered session with no socket bound.
     */
    public void bind(final long connectionId, final Session session)
    {
        if (session.awayIndex >= 0)
        {
            removeAway(session);
        }
        byConnection.put(connectionId, session);
        session.bind(connectionId);
    }

    /**
     * Unbind a connection, releasing this shard's claim on the socket; its session is no longer live.
     *
     * @param connectionId the connection.
     * @return the session it was bound to, or null.
     */
    public Session unbind(final long connectionId)
    {
        claims.release(connectionId, shardIndex);
        final Session session = byConnection.remove(connectionId);
        if (null != session)
        {
            session.unbind();
        }
        return session;
    }

    /**
     * The session bound to a connection.
     *
     * @param connectionId the connection.
     * @return the session, or null.
     */
    public Session byConnection(final long connectionId)
    {
        return byConnection.get(connectionId);
    }

    /**
     * The session with this serial.
     *
     * @param serial the serial.
     * @return the session, or null.
     */
    public Session bySerial(final long serial)
    {
        return bySerial.get(serial);
    }

    /**
     * The session with this token.
     *
     * @param src    bytes holding the token.
     * @param offset where it starts.
     * @param length its length.
     * @return the session, or null.
     */
    public Session byToken(final byte[] src, final int offset, final int length)
    {
        return byToken.get(src, offset, length);
    }

    /**
     * The guest session with this user id, in any room of the shard.
     *
     * @param src    bytes holding the user id.
     * @param offset where it starts.
     * @param length its length.
     * @return the session, or null.
     */
    public Session guest(final byte[] src, final int offset, final int length)
    {
        return guestByUserId.get(src, offset, length);
    }

    /**
     * Put a session whose socket just went away on the away list, remembering its role at that moment.
     *
     * @param session an unbound session.
     * @param nowMs   now, when the resume window starts.
     */
    public void addAway(final Session session, final long nowMs)
    {
        session.markAway(nowMs);
        listAway(session);
    }

    /**
     * Register a session restored from a snapshot, away since its restore and on the away list.
     *
     * @param session a session with its identity and away state restored.
     */
    public void registerRestored(final Session session)
    {
        register(session);
        listAway(session);
    }

    private void listAway(final Session session)
    {
        if (awayCount == away.length)
        {
            away = Arrays.copyOf(away, awayCount * 2);
        }
        session.awayIndex = awayCount;
        away[awayCount++] = session;
    }

    private void removeAway(final Session session)
    {
        final int index = session.awayIndex;
        final int last = awayCount - 1;
        away[index] = away[last];
        away[index].awayIndex = index;
        away[last] = null;
        awayCount = last;
        session.awayIndex = -1;
    }

    /**
     * Sessions on the away list.
     *
     * @return count.
     */
    public int awayCount()
    {
        return awayCount;
    }

    /**
     * The away session at a position (the order changes as sessions leave the list).
     *
     * @param index from 0 to {@link #awayCount()} - 1.
     * @return the session.
     */
    public Session away(final int index)
    {
        return away[index];
    }

    /**
     * Sessions now, live and away.
     *
     * @return count.
     */
    public int count()
    {
        return count;
    }

    /**
     * Connections bound to a session now.
     *
     * @return count.
     */
    public int liveCount()
    {
        return byConnection.size();
    }

    /**
     * Give a guest session a random user id unused among the shard's guests and the room's members.
     *
     * @param session the session.
     * @param room    the room it joins.
     */
    public void generateGuestId(final Session session, final Room room)
    {
        final byte[] id = session.userId;
        System.arraycopy(GUEST_PREFIX, 0, id, 0, GUEST_PREFIX.length);
        final int length = GUEST_PREFIX.length + GUEST_RANDOM_CHARS;
        do
        {
            for (int i = GUEST_PREFIX.length; i < length; i++)
            {
                id[i] = URL_SAFE[random.nextInt(URL_SAFE.length)];
            }
        }
        while (null != guestByUserId.get(id, 0, length) || null != room.byUserId.get(id, 0, length));
        session.userIdLength = length;
    }

    /**
     * Give the session a random resume token unused on the shard.
     *
     * @param session the session.
     */
    public void generateToken(final Session session)
    {
        final byte[] token = session.token;
        do
        {
            for (int i = 0; i < Session.TOKEN_LENGTH; i++)
            {
                token[i] = URL_SAFE[random.nextInt(URL_SAFE.length)];
            }
        }
        while (null != byToken.get(token, 0, Session.TOKEN_LENGTH));
        session.tokenLength = Session.TOKEN_LENGTH;
    }
}
