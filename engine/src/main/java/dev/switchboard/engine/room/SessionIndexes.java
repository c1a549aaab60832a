package dev.switchboard.engine.room;

import dev.switchboard.engine.store.IdIndex;

/**
 * The two ways sessions are looked up by bytes: by user id (within a room, and among guests) and by session
 * token.
 */
public final class SessionIndexes
{
    private SessionIndexes()
    {
    }

    /** Sessions keyed by {@link Session#userId}. */
    public static final class ByUserId extends IdIndex<Session>
    {
        /**
         * An index sized for about this many sessions.
         *
         * @param expected expected size.
         */
        public ByUserId(final int expected)
        {
            super(expected);
        }

        @Override
        protected byte[] keyBytes(final Session value)
        {
            return value.userId;
        }

        @Override
        protected int keyLength(final Session value)
        {
            return value.userIdLength;
        }
    }

    /** Sessions keyed by {@link Session#token}. */
    public static final class ByToken extends IdIndex<Session>
    {
        /**
         * An index sized for about this many sessions.
         *
         * @param expected expected size.
         */
        public ByToken(final int expected)
        {
            super(expected);
        }

        @Override
        protected byte[] keyBytes(final Session value)
        {
            return value.token;
        }

        @Override
        protected int keyLength(final Session value)
        {
            return value.tokenLength;
        }
    }
}
