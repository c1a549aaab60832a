package dev.switchboard.net.ws;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Incremental UTF-8 validator: a deterministic automaton over the well-formed byte sequences of RFC 3629
 * (table 3-7 of the Unicode standard), fed in pieces of any size.
 * <p>
 * It rejects at the first byte that cannot continue a valid prefix: overlong forms ({@code C0}, {@code C1},
 * {@code E0 80..9F}, {@code F0 80..8F}), surrogates ({@code ED A0..BF}), code points over U+10FFFF
 * ({@code F4 90..BF}, {@code F5..FF}) and stray or missing continuation bytes, so a message split over
 * fragments fails as soon as the bad byte arrives. Runs of ASCII are skipped eight bytes at a time.
 */
public final class Utf8Validator
{
    /** State after a complete sequence: the bytes so far are valid UTF-8. */
    static final int ACCEPT = 0;

    /** Sink state: the bytes so far can never become valid UTF-8. */
    static final int REJECT = 8;

    private static final int CLASS_COUNT = 12;
    private static final byte[] BYTE_CLASS = new byte[256];
    private static final byte[] TRANSITION = new byte[(REJECT + 1) * CLASS_COUNT];
    private static final VarHandle LONG_VIEW =
        MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long HIGH_BITS = 0x8080808080808080L;

    static
    {
        // Byte classes: 0 ASCII, 1 80..8F, 2 90..9F, 3 A0..BF, 4 never valid (C0, C1, F5..FF), 5 C2..DF,
        // 6 E0, 7 E1..EC and EE..EF, 8 ED, 9 F0, 10 F1..F3, 11 F4.
        for (int b = 0; b < 256; b++)
        {
            final int byteClass;
            if (b < 0x80)
            {
                byteClass = 0;
            }
            else if (b < 0x90)
            {
                byteClass = 1;
            }
            else if (b < 0xA0)
            {
                byteClass = 2;
            }
            else if (b < 0xC0)
            {
                byteClass = 3;
            }
            else if (b < 0xC2 || b > 0xF4)
            {
                byteClass = 4;
            }
            else if (b < 0xE0)
            {
                byteClass = 5;
            }
            else if (b == 0xE0)
            {
                byteClass = 6;
            }
            else if (b == 0xED)
            {
                byteClass = 8;
            }
            else if (b < 0xF0)
            {
                byteClass = 7;
            }
            else if (b == 0xF0)
            {
                byteClass = 9;
            }
            else if (b < 0xF4)
            {
                byteClass = 10;
            }
            else
            {
                byteClass = 11;
            }
            BYTE_CLASS[b] = (byte)byteClass;
        }

        Arrays.fill(TRANSITION, (byte)REJECT);
        // States: 0 accept; 1 one continuation left; 2 two left; 3 two left, next A0..BF (after E0);
        // 4 two left, next 80..9F (after ED); 5 three left, next 90..BF (after F0); 6 three left;
        // 7 three left, next 80..8F (after F4); 8 reject.
        transition(ACCEPT, 0, ACCEPT);
        transition(ACCEPT, 5, 1);
        transition(ACCEPT, 6, 3);
        transition(ACCEPT, 7, 2);
        transition(ACCEPT, 8, 4);
        transition(ACCEPT, 9, 5);
        transition(ACCEPT, 10, 6);
        transition(ACCEPT, 11, 7);
        continuation(1, 1, 3, ACCEPT);
        continuation(2, 1, 3, 1);
        continuation(3, 3, 3, 1);
        continuation(4, 1, 2, 1);
        continuation(5, 2, 3, 2);
        continuation(6, 1, 3, 2);
        continuation(7, 1, 1, 2);
    }

    private int state = ACCEPT;

    /**
     * Feed the next bytes of the text.
     *
     * @param src    buffer.
     * @param offset first byte.
     * @param length number of bytes.
     * @return false as soon as the bytes so far cannot be a prefix of valid UTF-8 (and from then on).
     */
    public boolean update(final byte[] src, final int offset, final int length)
    {
        state = validate(state, src, offset, length);
        return REJECT != state;
    }

    /**
     * Whether the bytes fed so far are complete, valid UTF-8 (no sequence left open).
     *
     * @return true when valid and complete.
     */
    public boolean isComplete()
    {
        return ACCEPT == state;
    }

    /**
     * Forget all bytes fed so far, ready for a new text.
     */
    public void reset()
    {
        state = ACCEPT;
    }

    /**
     * Run the automaton from a state over some bytes; the decoder keeps the state in its own int field.
     *
     * @param initialState state after the previous bytes ({@link #ACCEPT} at the start of a text).
     * @param src          buffer.
     * @param offset       first byte.
     * @param length       number of bytes.
     * @return the new state; {@link #REJECT} as soon as a byte is invalid.
     */
    static int validate(final int initialState, final byte[] src, final int offset, final int length)
    {
        int state = initialState;
        int i = offset;
        final int end = offset + length;
        while (i < end)
        {
            if (ACCEPT == state)
            {
                while (i <= end - 8 && 0 == ((long)LONG_VIEW.get(src, i) & HIGH_BITS))
                {
                    i += 8;
                }
                if (i == end)
                {
                    break;
                }
            }
            state = TRANSITION[state * CLASS_COUNT + BYTE_CLASS[src[i] & 0xFF]];
            if (REJECT == state)
            {
                return REJECT;
            }
            i++;
        }
        return state;
    }

    private static void transition(final int from, final int byteClass, final int to)
    {
        TRANSITION[from * CLASS_COUNT + byteClass] = (byte)to;
    }

    private static void continuation(final int from, final int firstClass, final int lastClass, final int to)
    {
        for (int c = firstClass; c <= lastClass; c++)
        {
            transition(from, c, to);
        }
    }
}
