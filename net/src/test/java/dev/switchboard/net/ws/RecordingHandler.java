package dev.switchboard.net.ws;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Records every decoder callback as a comparable event, copying the bytes since buffers are only valid during
 * the call.
 */
final class RecordingHandler implements FrameHandler
{
    /** One callback: its kind, its code (close or error) and its bytes as a byte-preserving string. */
    record Event(String kind, int code, String data)
    {
        static Event text(final byte[] bytes)
        {
            return new Event("text", 0, latin1(bytes));
        }

        static Event text(final String text)
        {
            return text(text.getBytes(StandardCharsets.UTF_8));
        }

        static Event ping(final byte[] bytes)
        {
            return new Event("ping", 0, latin1(bytes));
        }

        static Event pong(final byte[] bytes)
        {
            return new Event("pong", 0, latin1(bytes));
        }

        static Event close(final int code, final byte[] reason)
        {
            return new Event("close", code, latin1(reason));
        }

        static Event error(final int code)
        {
            return new Event("error", code, "");
        }

        static Event tooLarge()
        {
            return new Event("tooLarge", 0, "");
        }

        @Override
        public String toString()
        {
            final String shown = data.length() > 40 ? data.substring(0, 40) + "...(" + data.length() + ")" : data;
            return kind + "(" + code + ", " + shown + ")";
        }
    }

    final List<Event> events = new ArrayList<>();
    byte[] lastTextBuffer;
    int lastTextOffset;

    private static String latin1(final byte[] bytes)
    {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    private static String latin1(final byte[] buffer, final int offset, final int length)
    {
        return new String(buffer, offset, length, StandardCharsets.ISO_8859_1);
    }

    @Override
    public void onText(final byte[] buffer, final int offset, final int length)
    {
        lastTextBuffer = buffer;
        lastTextOffset = offset;
        events.add(new Event("text", 0, latin1(buffer, offset, length)));
    }

    @Override
    public void onMessageTooLarge()
    {
        events.add(Event.tooLarge());
    }

    @Override
    public void onPing(final byte[] buffer, final int offset, final int length)
    {
        events.add(new Event("ping", 0, latin1(buffer, offset, length)));
    }

    @Override
    public void onPong(final byte[] buffer, final int offset, final int length)
    {
        events.add(new Event("pong", 0, latin1(buffer, offset, length)));
    }

    @Override
    public void onClose(final int code, final byte[] buffer, final int reasonOffset, final int reasonLength)
    {
        events.add(new Event("close", code, latin1(buffer, reasonOffset, reasonLength)));
    }

    @Override
    public void onProtocolError(final int closeCode)
    {
        events.add(Event.error(closeCode));
    }
}
