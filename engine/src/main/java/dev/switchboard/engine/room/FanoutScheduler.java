package dev.switchboard.engine.room;

import dev.switchboard.engine.outbound.Frame;

import java.util.Arrays;

/**
 * Hands big room broadcasts out in slices of at most {@code fanoutSlice} live recipients: the first slice at once,
 * then one slice per ring event, rotating between rooms so no room's broadcast starves another. A room's pending
 * slices are finished before the engine does anything else to that room ({@link #drain}). Owns
 * {@link Room#pendingFanouts}.
 */
public final class FanoutScheduler
{
    /** One broadcast still being handed out: which frame, to which members, from where. */
    private static final class Slice
    {
        Room room;
        Frame frame;
        Session exclude;
        int next;
        int end;

        void clear()
        {
            room = null;
            frame = null;
            exclude = null;
        }
    }

    private final int fanoutSlice;
    private final FrameSink sink;
    private Slice[] slices = new Slice[16];
    private int count;

    /**
     * A scheduler handing out slices of at most this many live recipients.
     *
     * @param fanoutSlice recipients per slice, at least 1.
     * @param sink        where each recipient's frame goes.
     */
    public FanoutScheduler(final int fanoutSlice, final FrameSink sink)
    {
        this.fanoutSlice = Math.max(1, fanoutSlice);
        this.sink = sink;
        for (int i = 0; i < slices.length; i++)
        {
            slices[i] = new Slice();
        }
    }

    /**
     * Send the frame to every live member but {@code exclude}: the first slice now unless the room already has
     * broadcasts pending (order is kept), the rest later. Takes its own reference while slices are pending.
     *
     * @param room    the room.
     * @param frame   the encoded frame; the caller keeps and releases its reference.
     * @param exclude a member not to send to, or null.
     */
    public void fanOut(final Room room, final Frame frame, final Session exclude)
    {
        final int end = room.memberCount;
        final int next = room.pendingFanouts > 0 ? 0 : sendSlice(room, frame, 0, end, exclude);
        if (next < end)
        {
            enqueue(room, frame, next, end, exclude);
        }
    }

    /**
     * Hand out the next slice of the oldest pending broadcast; a room with nothing else pending goes to the back.
     */
    public void advance()
    {
        if (0 == count)
        {
            return;
        }
        final Slice head = slices[0];
        final int next = sendSlice(head.room, head.frame, head.next, head.end, head.exclude);
        if (next >= head.end)
        {
            remove(0);
        }
        else
        {
            head.next = next;
            if (count > 1 && head.room.pendingFanouts == 1)
            {
                rotateHeadToTail();
            }
        }
    }

    /**
     * Finish every pending broadcast of the room now.
     *
     * @param room the room.
     */
    public void drain(final Room room)
    {
        int i = 0;
        while (room.pendingFanouts > 0 && i < count)
        {
            final Slice slice = slices[i];
            if (slice.room == room)
            {
                sendRest(room, slice.frame, slice.next, slice.end, slice.exclude);
                remove(i);
            }
            else
            {
                i++;
            }
        }
    }

    /**
     * Finish every pending broadcast of every room.
     */
    public void drainAll()
    {
        while (count > 0)
        {
            drain(slices[0].room);
        }
    }

    /**
     * Drop the room's pending broadcasts without sending them (the room is going away).
     *
     * @param room the room.
     */
    public void discard(final Room room)
    {
        int i = 0;
        while (room.pendingFanouts > 0 && i < count)
        {
            if (slices[i].room == room)
            {
                remove(i);
            }
            else
            {
                i++;
            }
        }
    }

    /**
     * Broadcasts not yet fully handed out.
     *
     * @return count.
     */
    public int pendingCount()
    {
        return count;
    }

    private int sendSlice(final Room room, final Frame frame, final int from, final int end, final Session exclude)
    {
        final Session[] members = room.members;
        int sent = 0;
        int i = from;
        while (i < end && sent < fanoutSlice)
        {
            final Session member = members[i++];
            if (member.live && member != exclude)
            {
                sink.send(member.connectionId, frame);
                sent++;
            }
        }
        return i;
    }

    private void sendRest(final Room room, final Frame frame, final int from, final int end, final Session exclude)
    {
        final Session[] members = room.members;
        for (int i = from; i < end; i++)
        {
            final Session member = members[i];
            if (member.live && member != exclude)
            {
                sink.send(member.connectionId, frame);
            }
        }
    }

    private void enqueue(final Room room, final Frame frame, final int next, final int end, final Session exclude)
    {
        if (count == slices.length)
        {
            slices = Arrays.copyOf(slices, count * 2);
            for (int i = count; i < slices.length; i++)
            {
                slices[i] = new Slice();
            }
        }
        frame.retain();
        final Slice slice = slices[count++];
        slice.room = room;
        slice.frame = frame;
        slice.exclude = exclude;
        slice.next = next;
        slice.end = end;
        room.pendingFanouts++;
    }

    private void remove(final int index)
    {
        final Slice removed = slices[index];
        removed.frame.release();
        removed.room.pendingFanouts--;
        removed.clear();
        System.arraycopy(slices, index + 1, slices, index, count - index - 1);
        slices[--count] = removed;
    }

    private void rotateHeadToTail()
    {
        final Slice head = slices[0];
        System.arraycopy(slices, 1, slices, 0, count - 1);
        slices[count - 1] = head;
    }
}
