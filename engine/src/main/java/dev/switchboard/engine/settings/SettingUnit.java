package dev.switchboard.engine.settings;

import java.util.concurrent.TimeUnit;

/** The unit a whole-number setting is given in; time units convert once, in a context's {@code conclude()}. */
public enum SettingUnit
{
    /** A plain count or an id. */
    NONE("", null),
    /** Seconds. */
    SECONDS("seconds", TimeUnit.SECONDS),
    /** Milliseconds. */
    MILLIS("milliseconds", TimeUnit.MILLISECONDS),
    /** Bytes. */
    BYTES("bytes", null),
    /** Events per second. */
    PER_SECOND("per second", null);

    private final String label;
    private final TimeUnit timeUnit;

    SettingUnit(final String label, final TimeUnit timeUnit)
    {
        this.label = label;
        this.timeUnit = timeUnit;
    }

    /**
     * The unit as {@code --help} and the README print it; empty for {@link #NONE}.
     *
     * @return the label.
     */
    public String label()
    {
        return label;
    }

    /**
     * Whether values of this unit are durations.
     *
     * @return true for seconds and milliseconds.
     */
    public boolean isTime()
    {
        return null != timeUnit;
    }

    /**
     * A duration in this unit as nanoseconds.
     *
     * @param value the duration in this unit.
     * @return nanoseconds.
     * @throws IllegalStateException when this unit is not a duration.
     */
    public long toNanos(final long value)
    {
        return time().toNanos(value);
    }

    /**
     * A duration in this unit as milliseconds.
     *
     * @param value the duration in this unit.
     * @return milliseconds.
     * @throws IllegalStateException when this unit is not a duration.
     */
    public long toMillis(final long value)
    {
        return time().toMillis(value);
    }

    private TimeUnit time()
    {
        if (null == timeUnit)
        {
            throw new IllegalStateException(name() + " is not a unit of time");
        }
        return timeUnit;
    }
}
