package dev.switchboard.net.io;

/**
 * When {@code accept} fails (EMFILE, ENFILE, ENOBUFS...), the pending connection stays in the listen backlog and the
 * listening socket stays ready, so an agent that kept {@code OP_ACCEPT} armed would spin on failing accepts. This
 * policy says how long to leave it disarmed: {@value #FIRST_BACKOFF_MS} ms after the first failure of an episode,
 * doubling on each failure after a retry up to {@value #MAX_BACKOFF_MS} ms; an accept that succeeds ends the
 * episode. Pure decisions on the caller's clock; single-threaded and allocation-free.
 */
final class AcceptBackoff
{
    /** Pause after the first failed accept of an episode. */
    static final long FIRST_BACKOFF_MS = 100;
    /** Longest pause. */
    static final long MAX_BACKOFF_MS = 1_000;

    private boolean inEpisode;
    private boolean paused;
    private long backoffMs;
    private long resumeAtMs;
    private long failuresInEpisode;

    /**
     * An accept failed: stop accepting until {@link #shouldResume(long)}.
     *
     * @param nowMs the caller's clock in milliseconds.
     * @return true when this failure starts an episode (log it once).
     */
    boolean onFailure(final long nowMs)
    {
        final boolean first = !inEpisode;
        if (first)
        {
            inEpisode = true;
            backoffMs = FIRST_BACKOFF_MS;
            failuresInEpisode = 0;
        }
        else
        {
            backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
        }
        failuresInEpisode++;
        paused = true;
        resumeAtMs = nowMs + backoffMs;
        return first;
    }

    /**
     * Whether accepting is paused and the pause is over: re-arm the listener.
     *
     * @param nowMs the caller's clock in milliseconds.
     * @return true once per pause, when it has run out.
     */
    boolean shouldResume(final long nowMs)
    {
        if (paused && nowMs >= resumeAtMs)
        {
            paused = false;
            return true;
        }
        return false;
    }

    /**
     * An accept succeeded: the episode, if any, is over.
     *
     * @return the failures of the episode that just ended, 0 when none was running.
     */
    long onSuccess()
    {
        if (!inEpisode)
        {
            return 0;
        }
        inEpisode = false;
        final long failures = failuresInEpisode;
        failuresInEpisode = 0;
        return failures;
    }

    /**
     * Whether the listener is disarmed now.
     *
     * @return true between a failure and the end of its pause.
     */
    boolean isPaused()
    {
        return paused;
    }
}
