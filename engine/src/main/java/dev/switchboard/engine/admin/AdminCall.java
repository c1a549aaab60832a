package dev.switchboard.engine.admin;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * One operator command on its way through an engine shard's ring and back: the IoAgent that read the HTTP
 * request creates it, the engine thread answers it once with an HTTP status and a JSON body, and the answer is
 * handed to the completion callback (which queues it for the IoAgent and wakes it).
 * <p>
 * Only operator traffic creates these, never client messages, so they may allocate.
 */
public final class AdminCall
{
    /** Close the room with {@code room_closed {reason}}; the reason is in the slot's payload. */
    public static final int CLOSE_ROOM = 1;
    /** Remove the user named by the slot's userId: close 4410 {@code removed} and end its session. */
    public static final int REMOVE_USER = 2;
    /** Broadcast the slot's game_event payload with {@code senderId:"server"}. */
    public static final int PUBLISH_EVENT = 3;
    /** Merge the slot's game_state patch under the next version and send it to every member. */
    public static final int PUBLISH_STATE = 4;
    /** Describe the room: members with roles, the co-host queue, the game state version. */
    public static final int DESCRIBE_ROOM = 5;

    private final long connectionId;
    private final Consumer<AdminCall> onComplete;
    private volatile int status;
    private volatile byte[] body;

    /**
     * Create a call.
     *
     * @param connectionId the HTTP connection that waits for the answer.
     * @param onComplete   receives the call once answered, on the engine thread; must not block.
     */
    public AdminCall(final long connectionId, final Consumer<AdminCall> onComplete)
    {
        this.connectionId = connectionId;
        this.onComplete = Objects.requireNonNull(onComplete, "onComplete");
    }

    /**
     * Answer the call; the first answer wins.
     *
     * @param httpStatus status such as 200 or 404.
     * @param json       the JSON body.
     */
    public void complete(final int httpStatus, final String json)
    {
        if (null != body)
        {
            return;
        }
        status = httpStatus;
        body = json.getBytes(StandardCharsets.UTF_8);
        onComplete.accept(this);
    }

    /**
     * The HTTP connection that waits for the answer.
     *
     * @return connection id.
     */
    public long connectionId()
    {
        return connectionId;
    }

    /**
     * The answer's HTTP status.
     *
     * @return status, 0 before the answer.
     */
    public int status()
    {
        return status;
    }

    /**
     * The answer's JSON body.
     *
     * @return UTF-8 bytes, null before the answer.
     */
    public byte[] body()
    {
        return body;
    }
}
