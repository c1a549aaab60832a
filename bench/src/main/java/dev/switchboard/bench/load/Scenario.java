package dev.switchboard.bench.load;

/**
 * The traffic shapes the load generator can drive, each with its default room layout and rates.
 */
public enum Scenario
{
    /** Many rooms of five: one host publishing game events, four viewers receiving. */
    SMALL_ROOMS("small-rooms", 2_000, 5, 10.0),

    /** One room of ten thousand: the host's game events fan out to every viewer. */
    HUGE_ROOM("huge-room", 1, 10_000, 5.0),

    /** Offers, answers, ICE bursts, game state at 30 Hz and game events in the same rooms. */
    MIXED("mixed", 500, 5, 2.0),

    /** Viewers leave and join again in cycles while the host keeps publishing. */
    CHURN("churn", 500, 5, 2.0),

    /** Like small-rooms, but a share of the viewers stops reading after the warmup. */
    SLOW_CONSUMERS("slow-consumers", 1_000, 5, 10.0);

    private final String flagName;
    private final int defaultRooms;
    private final int defaultRoomSize;
    private final double defaultRatePerRoom;

    Scenario(final String flagName, final int defaultRooms, final int defaultRoomSize, final double defaultRatePerRoom)
    {
        this.flagName = flagName;
        this.defaultRooms = defaultRooms;
        this.defaultRoomSize = defaultRoomSize;
        this.defaultRatePerRoom = defaultRatePerRoom;
    }

    /**
     * The name used on the command line, such as {@code small-rooms}.
     *
     * @return the flag value.
     */
    public String flagName()
    {
        return flagName;
    }

    /**
     * Number of rooms when {@code --rooms} is not given.
     *
     * @return default room count.
     */
    public int defaultRooms()
    {
        return defaultRooms;
    }

    /**
     * Sockets per room when {@code --room-size} is not given.
     *
     * @return default room size.
     */
    public int defaultRoomSize()
    {
        return defaultRoomSize;
    }

    /**
     * Game events per second per room when {@code --rate} is not given.
     *
     * @return default rate per room.
     */
    public double defaultRatePerRoom()
    {
        return defaultRatePerRoom;
    }

    /**
     * Finds the scenario named on the command line.
     *
     * @param flagName the value of {@code --scenario}.
     * @return the scenario, or null when no scenario has that name.
     */
    public static Scenario fromFlag(final String flagName)
    {
        for (final Scenario scenario : values())
        {
            if (scenario.flagName.equals(flagName))
            {
                return scenario;
            }
        }
        return null;
    }
}
