package dev.switchboard.net;

/** Starts Switchboard. */
public final class Server
{
    private Server()
    {
    }

    /**
     * Entry point.
     *
     * @param args command-line flags.
     */
    public static void main(final String[] args)
    {
    }
}
