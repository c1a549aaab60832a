package dev.switchboard.net;

import dev.switchboard.engine.Engine;
import dev.switchboard.engine.metrics.EngineCounters;
import dev.switchboard.engine.ring.InboundSlot;
import dev.switchboard.engine.ring.SlotConsumer;
import dev.switchboard.engine.ring.SlotKind;
import dev.switchboard.engine.room.RoomSizeConsumer;
import org.agrona.concurrent.EpochClock;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Runs one shard's {@link Engine} and publishes, about once a second on the engine thread, an immutable
 * snapshot of its room sizes for /healthz, so the health endpoint never touches engine state.
 */
public final class EngineHost implements SlotConsumer
{
    /** An immutable list of rooms and their sizes. */
    public static final class RoomSizes
    {
        /** A snapshot with no rooms. */
        public static final RoomSizes EMPTY = new RoomSizes(new String[0], new int[0]);

        private final String[] roomIds;
        private final int[] sizes;

        RoomSizes(final String[] roomIds, final int[] sizes)
        {
            this.roomIds = roomIds;
            this.sizes = sizes;
        }

        /**
         * Number of rooms.
         *
         * @return rooms in the snapshot.
         */
        public int count()
        {
            return roomIds.length;
        }

        /**
         * The id of room {@code i}.
         *
         * @param i index.
         * @return room id.
         */
        public String roomId(final int i)
        {
            return roomIds[i];
        }

        /**
         * The size (sessions, live and away) of room {@code i}.
         *
         * @param i index.
         * @return size.
         */
        public int size(final int i)
        {
            return sizes[i];
        }
    }

    private static final long SNAPSHOT_INTERVAL_MS = 1_000;

    private final Engine engine;
    private final EpochClock clock;
    private volatile RoomSizes roomSizes = RoomSizes.EMPTY;
    private long lastSnapshotMs = Long.MIN_VALUE / 2;
    private String[] ids = new String[16];
    private int[] sizes = new int[16];
    private int count;
    private final RoomSizeConsumer collector = this::collect;
    private final RoomSizeConsumer fingerprinter = this::addToFingerprint;
    private long fingerprint;
    private long lastFingerprint;

    /**
     * Host an engine.
     *
     * @param engine the shard's engine.
     * @param clock  the clock the engine reads.
     */
    public EngineHost(final Engine engine, final EpochClock clock)
    {
        this.engine = engine;
        this.clock = clock;
    }

    /** {@inheritDoc} */
    @Override
    public void onEvent(final InboundSlot slot)
    {
        engine.onEvent(slot);
        if (SlotKind.TICK == slot.kind)
        {
            final long nowMs = clock.time();
            if (nowMs - lastSnapshotMs >= SNAPSHOT_INTERVAL_MS)
            {
                lastSnapshotMs = nowMs;
                snapshot();
            }
        }
    }

    /** {@inheritDoc} */
    @Override
    public void onEndOfBatch()
    {
        engine.onEndOfBatch();
    }

    /**
     * The engine, for tests that read its own counts.
     *
     * @return the engine.
     */
    public Engine engine()
    {
        return engine;
    }

    /**
     * The engine's counters (safe to read from any thread).
     *
     * @return counters.
     */
    public EngineCounters counters()
    {
        return engine.counters();
    }

    /**
     * The latest room-size snapshot (at most about a second old).
     *
     * @return the snapshot.
     */
    public RoomSizes roomSizes()
    {
        return roomSizes;
    }

    private void snapshot()
    {
        // A fingerprint pass first: the snapshot (a String per room) is only rebuilt when rooms or sizes changed.
        fingerprint = 1;
        engine.forEachRoomSize(fingerprinter);
        if (fingerprint == lastFingerprint && RoomSizes.EMPTY != roomSizes)
        {
            return;
        }
        lastFingerprint = fingerprint;
        count = 0;
        engine.forEachRoomSize(collector);
        roomSizes = new RoomSizes(Arrays.copyOf(ids, count), Arrays.copyOf(sizes, count));
    }

    private void addToFingerprint(final byte[] roomId, final int roomIdLength, final int size)
    {
        long h = fingerprint;
        for (int i = 0; i < roomIdLength; i++)
        {
            h = h * 31 + roomId[i];
        }
        fingerprint = h * 0x9E3779B97F4A7C15L + size;
    }

    private void collect(final byte[] roomId, final int roomIdLength, final int size)
    {
        if (count == ids.length)
        {
            ids = Arrays.copyOf(ids, count * 2);
            sizes = Arrays.copyOf(sizes, count * 2);
        }
        ids[count] = new String(roomId, 0, roomIdLength, StandardCharsets.US_ASCII);
        sizes[count] = size;
        count++;
    }
}
