package dev.switchboard.bench.baseline;

import dev.switchboard.bench.load.JsonScan;

/**
 * The fields of one client message of the {@link RawWriter} as byte ranges of its unmasked payload, found by
 * scanning, without a tree or a String. A string field's range excludes its quotes; a missing or malformed field has
 * a start of -1. The fields before {@code payload} are looked for only before it, so a payload cannot shadow them.
 * One instance is rewrapped for every message.
 */
final class RawEnvelope
{
    private static final byte[] Q_TYPE = JsonScan.quotedName("type");
    private static final byte[] Q_MSG_ID = JsonScan.quotedName("msgId");
    private static final byte[] Q_ROOM_ID = JsonScan.quotedName("roomId");
    private static final byte[] Q_SEQ = JsonScan.quotedName("seq");
    private static final byte[] Q_TS = JsonScan.quotedName("ts");
    private static final byte[] Q_TO = JsonScan.quotedName("to");
    private static final byte[] Q_PAYLOAD = JsonScan.quotedName("payload");
    private static final byte[] Q_ROLE = JsonScan.quotedName("role");
    private static final byte[] V_HOST = JsonScan.quotedValue("host");

    private byte[] bytes;
    private int length;
    private int typeStart;
    private int typeEnd;
    private int payloadStart;
    private int payloadEnd;
    private int msgIdStart;
    private int msgIdEnd;
    private int roomIdStart;
    private int roomIdEnd;
    private int toStart;
    private int toEnd;
    private int seqStart;
    private int seqEnd;
    private int tsStart;
    private int tsEnd;
    private int fieldEnd;

    /**
     * Scans a message and keeps the ranges of its fields.
     *
     * @param in     the unmasked payload, kept until the next wrap.
     * @param length its length from index 0.
     */
    void wrap(final byte[] in, final int length)
    {
        bytes = in;
        this.length = length;
        final int typeAt = JsonScan.valueIndex(in, 0, length, Q_TYPE);
        typeStart = typeAt;
        typeEnd = JsonScan.stringEnd(in, typeAt, length);
        final int payloadAt = JsonScan.valueIndex(in, 0, length, Q_PAYLOAD);
        payloadStart = -1;
        payloadEnd = -1;
        if (payloadAt >= 0 && '{' == in[payloadAt])
        {
            final int end = objectEnd(in, payloadAt, length);
            if (end > payloadAt)
            {
                payloadStart = payloadAt;
                payloadEnd = end + 1;
            }
        }
        final int fieldsLimit = payloadAt >= 0 ? payloadAt : length;
        msgIdStart = stringField(in, fieldsLimit, Q_MSG_ID);
        msgIdEnd = fieldEnd;
        roomIdStart = stringField(in, fieldsLimit, Q_ROOM_ID);
        roomIdEnd = fieldEnd;
        toStart = stringField(in, fieldsLimit, Q_TO);
        toEnd = fieldEnd;
        seqStart = numberField(in, fieldsLimit, Q_SEQ);
        seqEnd = fieldEnd;
        tsStart = numberField(in, fieldsLimit, Q_TS);
        tsEnd = fieldEnd;
    }

    /**
     * The message bytes last wrapped.
     *
     * @return the payload array the ranges index into.
     */
    byte[] bytes()
    {
        return bytes;
    }

    /**
     * Whether the message has a string {@code type}.
     *
     * @return true when the type value starts with a quote and its closing quote is there.
     */
    boolean hasType()
    {
        return typeStart >= 0 && typeEnd >= 0;
    }

    /**
     * Whether the {@code type} value is this quoted literal.
     *
     * @param quotedValue the value with its quotes, from {@link JsonScan#quotedValue}.
     * @return true on a byte-for-byte match.
     */
    boolean typeIs(final byte[] quotedValue)
    {
        return JsonScan.matches(bytes, typeStart, length, quotedValue);
    }

    /**
     * Whether the payload object says {@code "role":"host"}.
     *
     * @return false without a payload object.
     */
    boolean roleIsHost()
    {
        if (payloadStart < 0)
        {
            return false;
        }
        final int roleAt = JsonScan.valueIndex(bytes, payloadStart, payloadEnd, Q_ROLE);
        return JsonScan.matches(bytes, roleAt, payloadEnd, V_HOST);
    }

    /**
     * Index of the opening quote of the {@code type} value.
     *
     * @return -1 when absent.
     */
    int typeStart()
    {
        return typeStart;
    }

    /**
     * Index of the closing quote of the {@code type} value.
     *
     * @return -1 when absent or unterminated.
     */
    int typeEnd()
    {
        return typeEnd;
    }

    /**
     * Index of the payload object's opening brace.
     *
     * @return -1 without a complete payload object.
     */
    int payloadStart()
    {
        return payloadStart;
    }

    /**
     * One past the payload object's closing brace.
     *
     * @return -1 without a complete payload object.
     */
    int payloadEnd()
    {
        return payloadEnd;
    }

    /**
     * First byte of the {@code msgId} string.
     *
     * @return -1 when absent.
     */
    int msgIdStart()
    {
        return msgIdStart;
    }

    /**
     * Index of the closing quote of the {@code msgId} string.
     *
     * @return -1 when absent.
     */
    int msgIdEnd()
    {
        return msgIdEnd;
    }

    /**
     * First byte of the {@code roomId} string.
     *
     * @return -1 when absent.
     */
    int roomIdStart()
    {
        return roomIdStart;
    }

    /**
     * Index of the closing quote of the {@code roomId} string.
     *
     * @return -1 when absent.
     */
    int roomIdEnd()
    {
        return roomIdEnd;
    }

    /**
     * First byte of the {@code to} string.
     *
     * @return -1 when absent.
     */
    int toStart()
    {
        return toStart;
    }

    /**
     * Index of the closing quote of the {@code to} string.
     *
     * @return -1 when absent.
     */
    int toEnd()
    {
        return toEnd;
    }

    /**
     * First byte of the {@code seq} number.
     *
     * @return -1 when absent or not a number.
     */
    int seqStart()
    {
        return seqStart;
    }

    /**
     * One past the last digit of the {@code seq} number.
     *
     * @return -1 when absent or not a number.
     */
    int seqEnd()
    {
        return seqEnd;
    }

    /**
     * First byte of the {@code ts} number.
     *
     * @return -1 when absent or not a number.
     */
    int tsStart()
    {
        return tsStart;
    }

    /**
     * One past the last digit of the {@code ts} number.
     *
     * @return -1 when absent or not a number.
     */
    int tsEnd()
    {
        return tsEnd;
    }

    /**
     * Index of the bracket that closes the object or array opening at {@code start}, skipping strings.
     *
     * @param in    the bytes.
     * @param start the opening brace or bracket.
     * @param limit one past the last byte to look at.
     * @return the closing index, or -1 when it is not there or a string is unterminated.
     */
    static int objectEnd(final byte[] in, final int start, final int limit)
    {
        int depth = 0;
        for (int i = start; i < limit; i++)
        {
            final byte b = in[i];
            if ('"' == b)
            {
                i = JsonScan.stringEnd(in, i, limit);
                if (i < 0)
                {
                    return -1;
                }
            }
            else if ('{' == b || '[' == b)
            {
                depth++;
            }
            else if ('}' == b || ']' == b)
            {
                depth--;
                if (0 == depth)
                {
                    return i;
                }
            }
        }
        return -1;
    }

    private int stringField(final byte[] in, final int limit, final byte[] quotedName)
    {
        final int at = JsonScan.valueIndex(in, 0, limit, quotedName);
        final int end = JsonScan.stringEnd(in, at, limit);
        if (end < 0)
        {
            fieldEnd = -1;
            return -1;
        }
        fieldEnd = end;
        return at + 1;
    }

    private int numberField(final byte[] in, final int limit, final byte[] quotedName)
    {
        final int at = JsonScan.valueIndex(in, 0, limit, quotedName);
        if (at < 0)
        {
            fieldEnd = -1;
            return -1;
        }
        int end = at;
        if (end < limit && '-' == in[end])
        {
            end++;
        }
        while (end < limit && in[end] >= '0' && in[end] <= '9')
        {
            end++;
        }
        if (end == at)
        {
            fieldEnd = -1;
            return -1;
        }
        fieldEnd = end;
        return at;
    }
}
