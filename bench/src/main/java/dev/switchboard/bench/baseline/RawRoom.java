package dev.switchboard.bench.baseline;

/**
 * One room of the {@link RawWriter}: its id bytes, its members in an array (swap-removal by index) and its host.
 */
final class RawRoom
{
    final byte[] id;
    RawConnection[] members = new RawConnection[8];
    int size;
    RawConnection host;
    RawRoom next;

    RawRoom(final byte[] source, final int offset, final int length)
    {
        id = new byte[length];
        System.arraycopy(source, offset, id, 0, length);
    }

    boolean idEquals(final byte[] source, final int offset, final int length)
    {
        if (length != id.length)
        {
            return false;
        }
        for (int i = 0; i < length; i++)
        {
            if (id[i] != source[offset + i])
            {
                return false;
            }
        }
        return true;
    }

    void add(final RawConnection connection)
    {
        if (size == members.length)
        {
            final RawConnection[] grown = new RawConnection[size * 2];
            System.arraycopy(members, 0, grown, 0, size);
            members = grown;
        }
        connection.memberIndex = size;
        members[size++] = connection;
    }

    void remove(final RawConnection connection)
    {
        final int index = connection.memberIndex;
        if (index < 0 || index >= size || members[index] != connection)
        {
            return;
        }
        final RawConnection last = members[--size];
        members[index] = last;
        last.memberIndex = index;
        members[size] = null;
        connection.memberIndex = -1;
        if (host == connection)
        {
            host = null;
        }
    }
}
