package dev.switchboard.net.io;

import dev.switchboard.engine.settings.SwitchboardSettings;

import java.security.SecureRandom;

/**
 * Per remote address limits of the node, shared by its IoAgents: open sockets ({@code maxConnectionsPerAddress}), WebSocket upgrades
 * per second ({@code upgradesPerAddressPerSecond}, burst twice that) and joins or resumes per second
 * ({@code joinsPerAddressPerSecond}, burst twice that).
 * <p>
 * An open-addressing table keyed by the address's two longs, with linear probing and backward-shift deletion, its
 * hash keyed by a random per-process seed so that colliding addresses cannot be chosen from outside. Memory is
 * fixed at construction: the table holds {@code capacity} entries, at least twice the node's connection slots, and
 * is never more than three quarters full. An address with open sockets always has its entry (there are at most as
 * many such addresses as connection slots). An address with none keeps its entry, and so its rate state, until its
 * buckets are full again ({@link #sweep(long)}); when an insert finds the table at its load limit, every entry
 * without sockets is dropped at once, rate state included, which loses nothing a bound depends on. The token
 * arithmetic is that of {@code TokenBucket}, in milli-tokens, inlined into arrays.
 * <p>
 * Every operation holds the table's monitor. They run at accept, upgrade, join, close and the once-a-second sweep,
 * never per message, and with one IoAgent (the default) the monitor is never contended; with several, one address's
 * sockets count against one limit wherever the kernel hands them out. Allocation-free after construction.
 */
public final class AddressLimits
{
    private static final long UNITS_PER_TOKEN = 1000L;

    private final int maxConnectionsPerAddress;
    private final long upgradeRate;
    private final long upgradeCapacityUnits;
    private final long joinRate;
    private final long joinCapacityUnits;
    private final long idleAfterMs;
    private final long seed;
    private final int mask;
    private final int maxSize;
    private final long[] keyHi;
    private final long[] keyLo;
    private final boolean[] used;
    private final int[] connections;
    private final long[] upgradeUnits;
    private final long[] upgradeRefillMs;
    private final long[] joinUnits;
    private final long[] joinRefillMs;
    private final long[] lastUseMs;
    private int size;

    /**
     * Create an empty table.
     *
     * @param maxConnectionSlots          connection slots of the node; sizes the table.
     * @param maxConnectionsPerAddress    open sockets allowed per address.
     * @param upgradesPerAddressPerSecond upgrades allowed per address per second; the burst is twice this.
     * @param joinsPerAddressPerSecond    joins and resumes allowed per address per second; the burst is twice this.
     * @param seed                        hash seed; use {@link #randomSeed()} outside tests.
     */
    AddressLimits(
        final int maxConnectionSlots,
        final int maxConnectionsPerAddress,
        final int upgradesPerAddressPerSecond,
        final int joinsPerAddressPerSecond,
        final long seed)
    {
        if (maxConnectionSlots < 1 || maxConnectionsPerAddress < 1 || upgradesPerAddressPerSecond < 1 ||
            joinsPerAddressPerSecond < 1)
        {
            throw new IllegalArgumentException("address limits must be at least 1");
        }
        final int capacity = Math.max(64, Integer.highestOneBit(Math.min(1 << 29, maxConnectionSlots * 2) - 1) << 1);
        this.maxConnectionsPerAddress = maxConnectionsPerAddress;
        this.upgradeRate = upgradesPerAddressPerSecond;
        this.upgradeCapacityUnits = 2L * upgradesPerAddressPerSecond * UNITS_PER_TOKEN;
        this.joinRate = joinsPerAddressPerSecond;
        this.joinCapacityUnits = 2L * joinsPerAddressPerSecond * UNITS_PER_TOKEN;
        this.idleAfterMs = Math.max(upgradeCapacityUnits / upgradeRate, joinCapacityUnits / joinRate) + 1;
        this.seed = seed;
        this.mask = capacity - 1;
        this.maxSize = capacity / 4 * 3;
        this.keyHi = new long[capacity];
        this.keyLo = new long[capacity];
        this.used = new boolean[capacity];
        this.connections = new int[capacity];
        this.upgradeUnits = new long[capacity];
        this.upgradeRefillMs = new long[capacity];
        this.joinUnits = new long[capacity];
        this.joinRefillMs = new long[capacity];
        this.lastUseMs = new long[capacity];
    }

    /**
     * A seed from the system's secure random source.
     *
     * @return a random seed.
     */
    static long randomSeed()
    {
        return new SecureRandom().nextLong();
    }

    /**
     * The node's table, sized for every IoAgent's connection slots, with the settings' limits.
     *
     * @param settings {@code maxConnections}, {@code ioThreads} and the per-address limits.
     * @return the table the node's IoAgents share.
     */
    public static AddressLimits forNode(final SwitchboardSettings settings)
    {
        final long slots = (long)IoAgent.tableCapacity(settings) * settings.ioThreads();
        return new AddressLimits((int)Math.min(1 << 28, slots), settings.maxConnectionsPerAddress(),
            settings.upgradesPerAddressPerSecond(), settings.joinsPerAddressPerSecond(), randomSeed());
    }

    /**
     * Count one more open socket from the address, if under its limit.
     *
     * @param hi    high half of the address.
     * @param lo    low half of the address.
     * @param nowMs the agent clock in milliseconds.
     * @return false when the address is at {@code maxConnectionsPerAddress} (or the table cannot take it).
     */
    synchronized boolean tryConnect(final long hi, final long lo, final long nowMs)
    {
        final int index = findOrInsert(hi, lo, nowMs);
        if (index < 0 || connections[index] >= maxConnectionsPerAddress)
        {
            return false;
        }
        connections[index]++;
        lastUseMs[index] = nowMs;
        return true;
    }

    /**
     * Count one socket of the address closed; it must have been counted by {@link #tryConnect}.
     *
     * @param hi    high half of the address.
     * @param lo    low half of the address.
     * @param nowMs the agent clock in milliseconds.
     */
    synchronized void disconnect(final long hi, final long lo, final long nowMs)
    {
        final int index = find(hi, lo);
        if (index >= 0 && connections[index] > 0)
        {
            connections[index]--;
            lastUseMs[index] = nowMs;
        }
    }

    /**
     * Take one upgrade token of the address.
     *
     * @param hi    high half of the address.
     * @param lo    low half of the address.
     * @param nowMs the agent clock in milliseconds.
     * @return false when the address is over its upgrade rate.
     */
    synchronized boolean tryUpgrade(final long hi, final long lo, final long nowMs)
    {
        final int index = findOrInsert(hi, lo, nowMs);
        if (index < 0)
        {
            return false;
        }
        lastUseMs[index] = nowMs;
        upgradeUnits[index] = refill(upgradeUnits[index], upgradeRefillMs[index], nowMs, upgradeRate,
            upgradeCapacityUnits);
        upgradeRefillMs[index] = Math.max(upgradeRefillMs[index], nowMs);
        if (upgradeUnits[index] < UNITS_PER_TOKEN)
        {
            return false;
        }
        upgradeUnits[index] -= UNITS_PER_TOKEN;
        return true;
    }

    /**
     * Take one join token of the address.
     *
     * @param hi    high half of the address.
     * @param lo    low half of the address.
     * @param nowMs the agent clock in milliseconds.
     * @return false when the address is over its join rate.
     */
    synchronized boolean tryJoin(final long hi, final long lo, final long nowMs)
    {
        final int index = findOrInsert(hi, lo, nowMs);
        if (index < 0)
        {
            return false;
        }
        lastUseMs[index] = nowMs;
        joinUnits[index] = refill(joinUnits[index], joinRefillMs[index], nowMs, joinRate, joinCapacityUnits);
        joinRefillMs[index] = Math.max(joinRefillMs[index], nowMs);
        if (joinUnits[index] < UNITS_PER_TOKEN)
        {
            return false;
        }
        joinUnits[index] -= UNITS_PER_TOKEN;
        return true;
    }

    /**
     * Open sockets counted for the address.
     *
     * @param hi high half of the address.
     * @param lo low half of the address.
     * @return the count, 0 when the address has no entry.
     */
    synchronized int connections(final long hi, final long lo)
    {
        final int index = find(hi, lo);
        return index < 0 ? 0 : connections[index];
    }

    /**
     * Drop the entries of addresses without sockets whose buckets are full again.
     *
     * @param nowMs the agent clock in milliseconds.
     */
    synchronized void sweep(final long nowMs)
    {
        evict(nowMs, false);
    }

    /**
     * Entries in the table.
     *
     * @return addresses tracked now.
     */
    synchronized int size()
    {
        return size;
    }

    /**
     * Entries the table can hold, fixed at construction.
     *
     * @return the capacity.
     */
    int capacity()
    {
        return mask + 1;
    }

    /**
     * The table slot of the address, for tests of the seeded placement.
     *
     * @param hi high half of the address.
     * @param lo low half of the address.
     * @return the slot, or -1 when the address has no entry.
     */
    synchronized int slotOf(final long hi, final long lo)
    {
        return find(hi, lo);
    }

    private int find(final long hi, final long lo)
    {
        int index = hash(hi, lo) & mask;
        while (used[index])
        {
            if (keyHi[index] == hi && keyLo[index] == lo)
            {
                return index;
            }
            index = (index + 1) & mask;
        }
        return -1;
    }

    private int findOrInsert(final long hi, final long lo, final long nowMs)
    {
        final int found = find(hi, lo);
        if (found >= 0)
        {
            return found;
        }
        if (size >= maxSize)
        {
            evict(nowMs, true);
            if (size >= maxSize)
            {
                return -1;
            }
        }
        int index = hash(hi, lo) & mask;
        while (used[index])
        {
            index = (index + 1) & mask;
        }
        used[index] = true;
        keyHi[index] = hi;
        keyLo[index] = lo;
        connections[index] = 0;
        upgradeUnits[index] = upgradeCapacityUnits;
        upgradeRefillMs[index] = nowMs;
        joinUnits[index] = joinCapacityUnits;
        joinRefillMs[index] = nowMs;
        lastUseMs[index] = nowMs;
        size++;
        return index;
    }

    private void evict(final long nowMs, final boolean everyIdle)
    {
        int index = 0;
        while (index <= mask)
        {
            if (used[index] && 0 == connections[index] && (everyIdle || nowMs - lastUseMs[index] >= idleAfterMs))
            {
                delete(index);
                // another entry may have been shifted into this slot: look at it again
            }
            else
            {
                index++;
            }
        }
    }

    private void delete(final int removed)
    {
        int hole = removed;
        used[hole] = false;
        size--;
        int index = (hole + 1) & mask;
        while (used[index])
        {
            final int home = hash(keyHi[index], keyLo[index]) & mask;
            // move the entry into the hole when the hole lies on its probe path (cyclically from home to index)
            if (((index - home) & mask) >= ((index - hole) & mask))
            {
                keyHi[hole] = keyHi[index];
                keyLo[hole] = keyLo[index];
                connections[hole] = connections[index];
                upgradeUnits[hole] = upgradeUnits[index];
                upgradeRefillMs[hole] = upgradeRefillMs[index];
                joinUnits[hole] = joinUnits[index];
                joinRefillMs[hole] = joinRefillMs[index];
                lastUseMs[hole] = lastUseMs[index];
                used[hole] = true;
                used[index] = false;
                hole = index;
            }
            index = (index + 1) & mask;
        }
    }

    private int hash(final long hi, final long lo)
    {
        long h = mix(lo ^ seed);
        h = mix(h ^ hi ^ Long.rotateLeft(seed, 29));
        return (int)(h ^ (h >>> 32));
    }

    private static long mix(final long value)
    {
        long h = value;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }

    private static long refill(
        final long units, final long lastMs, final long nowMs, final long ratePerSecond, final long capacityUnits)
    {
        if (nowMs <= lastMs)
        {
            return units;
        }
        final long elapsedMs = nowMs - lastMs;
        return elapsedMs >= capacityUnits / ratePerSecond + 1 ?
            capacityUnits : Math.min(capacityUnits, units + elapsedMs * ratePerSecond);
    }
}
