package dev.switchboard.net.cluster;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs and verifies what nodes hand each other through Redis (relay batches, room snapshots) with HMAC-SHA256
 * under the shared {@code clusterSecret}, so a writer of Redis that does not hold the secret cannot forge a record,
 * and a record signed for one node or room cannot be replayed to another: every tag covers a context (the
 * destination channel, or the room's snapshot key) followed by the bytes.
 * <p>
 * Without a secret the signer is disabled and nothing is signed or checked (a trusted, private Redis).
 * One instance per thread (it holds a {@link Mac}); after construction signing allocates only the JDK's digest
 * scratch.
 */
public final class ClusterSigner
{
    /** Bytes of a tag. */
    public static final int TAG_LENGTH = 32;

    private static final String ALGORITHM = "HmacSHA256";

    private final Mac mac;
    private final byte[] scratch = new byte[TAG_LENGTH];

    /**
     * A signer for the secret, or a disabled one.
     *
     * @param secret the shared secret, or null for none.
     */
    public ClusterSigner(final String secret)
    {
        if (null == secret)
        {
            mac = null;
            return;
        }
        try
        {
            mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM));
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException("HmacSHA256 is not available", ex);
        }
    }

    /**
     * Whether a secret is set, so tags are written and required.
     *
     * @return true when enabled.
     */
    public boolean isEnabled()
    {
        return null != mac;
    }

    /**
     * Write the tag of {@code context} then {@code data[offset, offset + length)} at {@code dst[dstOffset]}.
     *
     * @param context   what the bytes are for (destination channel or snapshot key).
     * @param data      signed bytes.
     * @param offset    first signed byte.
     * @param length    signed length.
     * @param dst       destination of the {@value #TAG_LENGTH}-byte tag.
     * @param dstOffset offset of the tag.
     */
    public void sign(
        final byte[] context, final byte[] data, final int offset, final int length, final byte[] dst,
        final int dstOffset)
    {
        mac.update(context);
        mac.update(data, offset, length);
        try
        {
            mac.doFinal(dst, dstOffset);
        }
        catch (final ShortBufferException ex)
        {
            throw new IllegalArgumentException("no room for the tag", ex);
        }
    }

    /**
     * Whether the tag at {@code tag[tagOffset]} is that of {@code context} then the bytes (constant-time compare).
     *
     * @param context   what the bytes must be for.
     * @param data      signed bytes.
     * @param offset    first signed byte.
     * @param length    signed length.
     * @param tag       buffer holding the tag.
     * @param tagOffset offset of the tag; {@value #TAG_LENGTH} bytes must follow.
     * @return true when the tag matches.
     */
    public boolean verify(
        final byte[] context, final byte[] data, final int offset, final int length, final byte[] tag,
        final int tagOffset)
    {
        if (tagOffset < 0 || tagOffset + TAG_LENGTH > tag.length)
        {
            return false;
        }
        sign(context, data, offset, length, scratch, 0);
        int diff = 0;
        for (int i = 0; i < TAG_LENGTH; i++)
        {
            diff |= scratch[i] ^ tag[tagOffset + i];
        }
        return 0 == diff;
    }

    /**
     * A snapshot as stored: the snapshot followed by its tag for the room's snapshot key, or the snapshot itself
     * when disabled.
     *
     * @param snapshotKey the room's snapshot key (the context).
     * @param snapshot    the encoded snapshot.
     * @return bytes to store.
     */
    public byte[] signSnapshot(final byte[] snapshotKey, final byte[] snapshot)
    {
        if (!isEnabled())
        {
            return snapshot;
        }
        final byte[] stored = Arrays.copyOf(snapshot, snapshot.length + TAG_LENGTH);
        sign(snapshotKey, snapshot, 0, snapshot.length, stored, snapshot.length);
        return stored;
    }

    /**
     * The snapshot inside stored bytes when their tag verifies, or null (disabled: the bytes as they are).
     *
     * @param snapshotKey the room's snapshot key (the context).
     * @param stored      bytes read from Redis.
     * @return the snapshot, or null when unsigned or forged.
     */
    public byte[] openSnapshot(final byte[] snapshotKey, final byte[] stored)
    {
        if (!isEnabled())
        {
            return stored;
        }
        final int length = stored.length - TAG_LENGTH;
        if (length < 0 || !verify(snapshotKey, stored, 0, length, stored, length))
        {
            return null;
        }
        return Arrays.copyOf(stored, length);
    }
}
