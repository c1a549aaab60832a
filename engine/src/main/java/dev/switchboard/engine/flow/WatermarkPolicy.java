package dev.switchboard.engine.flow;

import dev.switchboard.engine.settings.SwitchboardSettings;

/**
 * The send-buffer watchdog of one connection (protocol section 5): pure decisions, no IO, owned by the IoAgent
 * thread that owns the connection.
 * <p>
 * The caller reports the connection's {@code bufferedAmount} (bytes queued and not yet written to the kernel)
 * whenever it changes. The policy answers transitions only, each once: {@link #ENTER_DROP_MODE} when the buffer
 * goes over {@code highWatermarkBytes}; {@link #LEAVE_DROP_MODE} when, in drop mode, it goes under
 * {@code lowWatermarkBytes}; {@link #SLOW_CONSUMER} the first time it goes over {@code slowConsumerBytes} (close
 * 4008). Between low and high nothing changes, which is the hysteresis. In drop mode, droppable (non-critical)
 * frames are dropped and counted with {@link #onDropped()} for the {@code flow_control {mode:"normal", dropped}}
 * message. Allocation-free; construct once per connection slot and {@link #reset()} on reuse.
 */
public final class WatermarkPolicy
{
    /** Nothing changed. */
    public static final int NONE = 0;
    /** The buffer went over the high watermark: drop non-critical frames, send flow_control drop_non_critical. */
    public static final int ENTER_DROP_MODE = 1;
    /** The buffer went under the low watermark: send flow_control normal with the dropped count, then a snapshot. */
    public static final int LEAVE_DROP_MODE = 2;
    /** The buffer went over the slow-consumer limit: close 4008 slow_consumer. */
    public static final int SLOW_CONSUMER = 3;

    private final long highWatermarkBytes;
    private final long lowWatermarkBytes;
    private final long slowConsumerBytes;
    private boolean dropMode;
    private boolean slowConsumer;
    private long droppedInEpisode;

    /**
     * Create a policy with the settings' watermarks.
     *
     * @param settings the server settings.
     */
    public WatermarkPolicy(final SwitchboardSettings settings)
    {
        this(settings.highWatermarkBytes(), settings.lowWatermarkBytes(), settings.slowConsumerBytes());
    }

    /**
     * Create a policy with explicit limits.
     *
     * @param highWatermarkBytes buffered bytes above which drop mode starts.
     * @param lowWatermarkBytes  buffered bytes below which drop mode ends; below the high watermark.
     * @param slowConsumerBytes  buffered bytes above which the connection is closed; at least the high watermark.
     */
    public WatermarkPolicy(final long highWatermarkBytes, final long lowWatermarkBytes, final long slowConsumerBytes)
    {
        if (lowWatermarkBytes < 0 || lowWatermarkBytes >= highWatermarkBytes)
        {
            throw new IllegalArgumentException("need 0 <= lowWatermarkBytes < highWatermarkBytes, got " +
                lowWatermarkBytes + " and " + highWatermarkBytes);
        }
        if (slowConsumerBytes < highWatermarkBytes)
        {
            throw new IllegalArgumentException("need slowConsumerBytes >= highWatermarkBytes, got " +
                slowConsumerBytes + " < " + highWatermarkBytes);
        }
        this.highWatermarkBytes = highWatermarkBytes;
        this.lowWatermarkBytes = lowWatermarkBytes;
        this.slowConsumerBytes = slowConsumerBytes;
    }

    /**
     * Back to normal mode with nothing dropped, for a new connection.
     */
    public void reset()
    {
        dropMode = false;
        slowConsumer = false;
        droppedInEpisode = 0;
    }

    /**
     * Report the connection's current buffered bytes and learn which transition, if any, it caused.
     *
     * @param bufferedBytes bytes queued for the socket and not yet written to the kernel.
     * @return {@link #NONE}, {@link #ENTER_DROP_MODE}, {@link #LEAVE_DROP_MODE} or {@link #SLOW_CONSUMER}.
     */
    public int onBufferedChanged(final long bufferedBytes)
    {
        if (bufferedBytes > slowConsumerBytes)
        {
            if (!slowConsumer)
            {
                slowConsumer = true;
                if (!dropMode)
                {
                    dropMode = true;
                    droppedInEpisode = 0;
                }
                return SLOW_CONSUMER;
            }
            return NONE;
        }
        if (dropMode)
        {
            if (bufferedBytes < lowWatermarkBytes && !slowConsumer)
            {
                dropMode = false;
                return LEAVE_DROP_MODE;
            }
            return NONE;
        }
        if (bufferedBytes > highWatermarkBytes)
        {
            dropMode = true;
            droppedInEpisode = 0;
            return ENTER_DROP_MODE;
        }
        return NONE;
    }

    /**
     * Whether a frame about to be queued must be dropped instead.
     *
     * @param frameDroppable whether the frame is non-critical ({@code Frame.isDroppable()}).
     * @return true in drop mode for droppable frames; critical frames are never dropped.
     */
    public boolean shouldDrop(final boolean frameDroppable)
    {
        return frameDroppable && dropMode;
    }

    /**
     * Count one frame dropped in the current episode.
     */
    public void onDropped()
    {
        droppedInEpisode++;
    }

    /**
     * Frames dropped since drop mode was last entered; still readable after leaving, until the next episode.
     *
     * @return dropped frames.
     */
    public long droppedInEpisode()
    {
        return droppedInEpisode;
    }

    /**
     * Whether the connection is in drop mode.
     *
     * @return true between {@link #ENTER_DROP_MODE} and {@link #LEAVE_DROP_MODE}.
     */
    public boolean isDropMode()
    {
        return dropMode;
    }

    /**
     * Whether {@link #SLOW_CONSUMER} was answered since the last reset.
     *
     * @return true once the connection was found too slow.
     */
    public boolean isSlowConsumer()
    {
        return slowConsumer;
    }
}
