package dev.switchboard.engine.flow;

import dev.switchboard.engine.SwitchboardSettings;
import dev.switchboard.engine.outbound.Frame;
import dev.switchboard.engine.outbound.OutboundPublisher;
import org.agrona.collections.Long2ObjectHashMap;

import java.util.Arrays;

/**
 * Hands out large broadcasts in slices so that no room holds the engine for long (protocol section 5,
 * fairness), keeping each recipient's frames in order.
 * <p>
 * Work is a queue of jobs per room key, FIFO within a room; a job is one frame plus a snapshot of its recipient
 * connection ids and a cursor. Rooms with pending jobs are served round-robin: each {@link #doWork} call serves at
 * most {@code fanoutSlice} recipients of the room whose turn it is (continuing into its next jobs if the slice
 * has room), then puts that room at the back of the line. While a room has pending work, every later frame for
 * any of its members must go through the same queue ({@link #direct} or {@link #enqueueDirected}), or it could
 * overtake the broadcast; {@link #broadcast} and {@link #direct} send at once when the room has nothing pending.
 * <p>
 * References: each job takes one reference on its frame ({@link Frame#retain()}) and releases it when its last
 * recipient is served or the job is cancelled; the caller keeps and releases its own reference as usual, and the
 * publisher takes its own per send. Jobs, room queues and recipient arrays are pooled and grow to the largest
 * seen, so steady state allocates nothing. Engine thread only.
 */
public final class FanoutScheduler
{
    private final int fanoutSlice;
    private final Long2ObjectHashMap<RoomQueue> rooms = new Long2ObjectHashMap<>();

    private RoomQueue[] ring = new RoomQueue[16];
    private int ringHead;
    private int ringCount;

    private Job[] jobPool = new Job[16];
    private int jobPoolCount;
    private RoomQueue[] roomPool = new RoomQueue[16];
    private int roomPoolCount;
    private int pendingJobs;

    /**
     * Create a scheduler with the settings' {@code fanoutSlice}.
     *
     * @param settings the server settings.
     */
    public FanoutScheduler(final SwitchboardSettings settings)
    {
        this(settings.fanoutSlice());
    }

    /**
     * Create a scheduler serving at most {@code fanoutSlice} recipients per {@link #doWork} call.
     *
     * @param fanoutSlice recipients per slice, at least 1.
     */
    public FanoutScheduler(final int fanoutSlice)
    {
        if (fanoutSlice < 1)
        {
            throw new IllegalArgumentException("fanoutSlice must be at least 1, got " + fanoutSlice);
        }
        this.fanoutSlice = fanoutSlice;
    }

    /**
     * Recipients served per slice.
     *
     * @return the slice size.
     */
    public int fanoutSlice()
    {
        return fanoutSlice;
    }

    /**
     * Send a broadcast at once when the room has no pending work and it fits one slice, else queue it.
     *
     * @param roomKey    the room.
     * @param frame      a sealed frame; the caller keeps its own reference.
     * @param recipients connection ids, copied before return.
     * @param offset     index of the first recipient.
     * @param count      number of recipients.
     * @param publisher  where frames sent at once go.
     * @return recipients served now (0 when queued).
     */
    public int broadcast(
        final long roomKey,
        final Frame frame,
        final long[] recipients,
        final int offset,
        final int count,
        final OutboundPublisher publisher)
    {
        if (count <= fanoutSlice && !rooms.containsKey(roomKey))
        {
            for (int i = 0; i < count; i++)
            {
                publisher.send(recipients[offset + i], frame);
            }
            return count;
        }
        enqueueBroadcast(roomKey, frame, recipients, offset, count);
        return 0;
    }

    /**
     * Like {@link #broadcast(long, Frame, long[], int, int, OutboundPublisher)}, skipping one connection.
     *
     * @param roomKey              the room.
     * @param frame                a sealed frame; the caller keeps its own reference.
     * @param recipients           connection ids, copied before return.
     * @param offset               index of the first recipient.
     * @param count                number of recipients.
     * @param excludedConnectionId a connection not to send to (the sender of a game_event, say).
     * @param publisher            where frames sent at once go.
     * @return recipients served now (0 when queued).
     */
    public int broadcastExcept(
        final long roomKey,
        final Frame frame,
        final long[] recipients,
        final int offset,
        final int count,
        final long excludedConnectionId,
        final OutboundPublisher publisher)
    {
        if (count <= fanoutSlice && !rooms.containsKey(roomKey))
        {
            int served = 0;
            for (int i = 0; i < count; i++)
            {
                final long connectionId = recipients[offset + i];
                if (connectionId != excludedConnectionId)
                {
                    publisher.send(connectionId, frame);
                    served++;
                }
            }
            return served;
        }
        enqueue(roomKey, frame, recipients, offset, count, true, excludedConnectionId);
        return 0;
    }

    /**
     * Send a directed frame at once when its room has no pending work, else queue it behind that work.
     *
     * @param roomKey      the recipient's room.
     * @param connectionId the recipient.
     * @param frame        a sealed frame; the caller keeps its own reference.
     * @param publisher    where a frame sent at once goes.
     * @return 1 when sent now, 0 when queued.
     */
    public int direct(final long roomKey, final long connectionId, final Frame frame, final OutboundPublisher publisher)
    {
        if (!rooms.containsKey(roomKey))
        {
            publisher.send(connectionId, frame);
            return 1;
        }
        enqueueDirected(roomKey, connectionId, frame);
        return 0;
    }

    /**
     * Queue a broadcast behind the room's pending work; the scheduler takes one reference on the frame.
     *
     * @param roomKey    the room.
     * @param frame      a sealed frame; the caller keeps its own reference.
     * @param recipients connection ids, copied before return.
     * @param offset     index of the first recipient.
     * @param count      number of recipients; nothing is queued when 0.
     */
    public void enqueueBroadcast(
        final long roomKey, final Frame frame, final long[] recipients, final int offset, final int count)
    {
        enqueue(roomKey, frame, recipients, offset, count, false, 0);
    }

    /**
     * Queue a frame for one recipient behind the room's pending work; the scheduler takes one reference.
     *
     * @param roomKey      the recipient's room.
     * @param connectionId the recipient.
     * @param frame        a sealed frame; the caller keeps its own reference.
     */
    public void enqueueDirected(final long roomKey, final long connectionId, final Frame frame)
    {
        final Job job = acquireJob(0);
        job.singleRecipient = connectionId;
        job.count = 1;
        append(roomKey, job, frame);
    }

    /**
     * Whether a room has queued work, so that its later frames must be queued too.
     *
     * @param roomKey the room.
     * @return true while any job of the room is pending.
     */
    public boolean hasPendingWork(final long roomKey)
    {
        return rooms.containsKey(roomKey);
    }

    /**
     * Whether any room has queued work.
     *
     * @return true when {@link #doWork} has something to do.
     */
    public boolean hasPendingWork()
    {
        return ringCount > 0;
    }

    /**
     * Number of rooms with queued work.
     *
     * @return rooms waiting for their turn.
     */
    public int pendingRooms()
    {
        return ringCount;
    }

    /**
     * Number of queued jobs, all rooms together.
     *
     * @return jobs not completed yet.
     */
    public int pendingJobs()
    {
        return pendingJobs;
    }

    /**
     * Serve one slice of the room whose turn it is, then move it to the back of the line.
     *
     * @param publisher where the frames go.
     * @return recipients served, 0 when idle.
     */
    public int doWork(final OutboundPublisher publisher)
    {
        if (0 == ringCount)
        {
            return 0;
        }
        final RoomQueue room = ring[ringHead];
        ring[ringHead] = null;
        ringHead = (ringHead + 1) & (ring.length - 1);
        ringCount--;

        int served = 0;
        Job job;
        while (served < fanoutSlice && null != (job = room.head))
        {
            final int n = Math.min(fanoutSlice - served, job.count - job.cursor);
            final Frame frame = job.frame;
            final int start = job.cursor;
            if (0 == job.recipientsLength)
            {
                publisher.send(job.singleRecipient, frame);
            }
            else
            {
                final long[] recipients = job.recipients;
                for (int i = start, end = start + n; i < end; i++)
                {
                    publisher.send(recipients[i], frame);
                }
            }
            job.cursor = start + n;
            served += n;
            if (job.cursor == job.count)
            {
                room.head = job.next;
                if (null == room.head)
                {
                    room.tail = null;
                }
                completeJob(job);
            }
        }

        if (null != room.head)
        {
            pushRing(room);
        }
        else
        {
            rooms.remove(room.key);
            releaseRoom(room);
        }
        return served;
    }

    /**
     * Drop a room's queued work, for a closed room, releasing every frame reference it held.
     *
     * @param roomKey the room.
     * @return number of jobs dropped.
     */
    public int cancel(final long roomKey)
    {
        final RoomQueue room = rooms.remove(roomKey);
        if (null == room)
        {
            return 0;
        }
        int kept = 0;
        final int mask = ring.length - 1;
        for (int i = 0; i < ringCount; i++)
        {
            final int from = (ringHead + i) & mask;
            final RoomQueue candidate = ring[from];
            ring[from] = null;
            if (candidate != room)
            {
                ring[(ringHead + kept++) & mask] = candidate;
            }
        }
        ringCount = kept;
        final int dropped = dropJobs(room);
        releaseRoom(room);
        return dropped;
    }

    /**
     * Drop all queued work of every room, releasing every frame reference held.
     *
     * @return number of jobs dropped.
     */
    public int cancelAll()
    {
        int dropped = 0;
        final int mask = ring.length - 1;
        for (int i = 0; i < ringCount; i++)
        {
            final int at = (ringHead + i) & mask;
            final RoomQueue room = ring[at];
            ring[at] = null;
            dropped += dropJobs(room);
            releaseRoom(room);
        }
        ringCount = 0;
        ringHead = 0;
        rooms.clear();
        return dropped;
    }

    private void enqueue(
        final long roomKey,
        final Frame frame,
        final long[] recipients,
        final int offset,
        final int count,
        final boolean hasExclusion,
        final long excludedConnectionId)
    {
        if (count <= 0)
        {
            return;
        }
        final Job job = acquireJob(count);
        final long[] target = job.recipients;
        int n = 0;
        if (hasExclusion)
        {
            for (int i = 0; i < count; i++)
            {
                final long connectionId = recipients[offset + i];
                if (connectionId != excludedConnectionId)
                {
                    target[n++] = connectionId;
                }
            }
        }
        else
        {
            System.arraycopy(recipients, offset, target, 0, count);
            n = count;
        }
        if (0 == n)
        {
            releaseJob(job);
            return;
        }
        job.count = n;
        job.recipientsLength = n;
        append(roomKey, job, frame);
    }

    private void append(final long roomKey, final Job job, final Frame frame)
    {
        frame.retain();
        job.frame = frame;
        job.cursor = 0;
        job.next = null;
        pendingJobs++;

        RoomQueue room = rooms.get(roomKey);
        if (null == room)
        {
            room = acquireRoom(roomKey);
            rooms.put(roomKey, room);
            room.head = job;
            room.tail = job;
            pushRing(room);
        }
        else
        {
            room.tail.next = job;
            room.tail = job;
        }
    }

    private int dropJobs(final RoomQueue room)
    {
        int dropped = 0;
        Job job = room.head;
        while (null != job)
        {
            final Job next = job.next;
            completeJob(job);
            dropped++;
            job = next;
        }
        room.head = null;
        room.tail = null;
        return dropped;
    }

    private void completeJob(final Job job)
    {
        final Frame frame = job.frame;
        job.frame = null;
        job.next = null;
        pendingJobs--;
        releaseJob(job);
        frame.release();
    }

    private void pushRing(final RoomQueue room)
    {
        if (ringCount == ring.length)
        {
            final RoomQueue[] grown = new RoomQueue[ring.length * 2];
            for (int i = 0; i < ringCount; i++)
            {
                grown[i] = ring[(ringHead + i) & (ring.length - 1)];
            }
            ring = grown;
            ringHead = 0;
        }
        ring[(ringHead + ringCount) & (ring.length - 1)] = room;
        ringCount++;
    }

    private Job acquireJob(final int capacity)
    {
        final Job job;
        if (jobPoolCount > 0)
        {
            job = jobPool[--jobPoolCount];
            jobPool[jobPoolCount] = null;
        }
        else
        {
            job = new Job();
        }
        if (capacity > 0 && job.recipients.length < capacity)
        {
            job.recipients = new long[Math.max(capacity, job.recipients.length * 2)];
        }
        job.count = 0;
        job.recipientsLength = 0;
        job.cursor = 0;
        return job;
    }

    private void releaseJob(final Job job)
    {
        if (jobPoolCount == jobPool.length)
        {
            jobPool = Arrays.copyOf(jobPool, jobPoolCount * 2);
        }
        jobPool[jobPoolCount++] = job;
    }

    private RoomQueue acquireRoom(final long roomKey)
    {
        final RoomQueue room;
        if (roomPoolCount > 0)
        {
            room = roomPool[--roomPoolCount];
            roomPool[roomPoolCount] = null;
        }
        else
        {
            room = new RoomQueue();
        }
        room.key = roomKey;
        return room;
    }

    private void releaseRoom(final RoomQueue room)
    {
        room.head = null;
        room.tail = null;
        if (roomPoolCount == roomPool.length)
        {
            roomPool = Arrays.copyOf(roomPool, roomPoolCount * 2);
        }
        roomPool[roomPoolCount++] = room;
    }

    private static final class Job
    {
        Frame frame;
        long[] recipients = new long[16];
        int recipientsLength;
        long singleRecipient;
        int count;
        int cursor;
        Job next;
    }

    private static final class RoomQueue
    {
        long key;
        Job head;
        Job tail;
    }
}
