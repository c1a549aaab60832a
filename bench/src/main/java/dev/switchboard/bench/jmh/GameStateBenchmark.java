package dev.switchboard.bench.jmh;

import dev.switchboard.engine.metrics.GameStateRefusal;
import dev.switchboard.engine.ring.InboundSlot;
import dev.switchboard.engine.room.GameState;
import dev.switchboard.engine.room.PendingPatch;
import dev.switchboard.engine.settings.SwitchboardSettings;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * The engine's work for one {@code game_state} patch on a 4,000-key room state (issue #13 row 1): the bound
 * checks ({@link GameState#admit}), the merge and the tick's pending patch, for patches that overwrite
 * {@code patchKeys} existing keys. {@code refuseOverCap} is a 5,000-key patch under the default
 * {@code maxPatchEntries}, refused before any per-key work; {@code baselineLinearScan} is the lookup the engine did
 * before keys were hashed (one scan of the state per patch key), run on the same data.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class GameStateBenchmark
{
    private static final int STATE_KEYS = 4_000;

    @Param({"100", "1024", "5000"})
    int patchKeys;

    private final GameState state = new GameState();
    private final PendingPatch pending = new PendingPatch(state);
    private final InboundSlot fill = new InboundSlot();
    private final InboundSlot patch = new InboundSlot();
    private final InboundSlot oversized = new InboundSlot();
    private byte[][] stateKeys;
    private int maxPatchEntries;
    private int maxEntries;
    private int maxBytes;
    private long version;

    /**
     * Fill the state with 4,000 keys and build the patches.
     */
    @Setup
    public void setUp()
    {
        final SwitchboardSettings defaults = SwitchboardSettings.defaults();
        maxPatchEntries = Math.max(defaults.maxPatchEntries(), patchKeys);
        maxEntries = 1 << 20;
        maxBytes = 1 << 30;
        build(fill, STATE_KEYS, "0");
        version = 1;
        fill.version = version;
        state.merge(fill);
        stateKeys = new byte[STATE_KEYS][];
        for (int i = 0; i < STATE_KEYS; i++)
        {
            stateKeys[i] = Arrays.copyOf(state.keyBytes(i), state.keyLength(i));
        }
        // Patch keys: existing keys first, new keys past the state's 4,000.
        build(patch, patchKeys, "12345");
        build(oversized, 5_000, "1");
    }

    private static void build(final InboundSlot slot, final int keys, final String value)
    {
        final StringBuilder json = new StringBuilder("{");
        slot.ensurePatchCapacity(keys);
        for (int i = 0; i < keys; i++)
        {
            if (i > 0)
            {
                json.append(',');
            }
            json.append('"');
            slot.patchKeyOffset[i] = json.length();
            final String key = "player." + i + ".score";
            slot.patchKeyLength[i] = key.length();
            json.append(key).append("\":");
            slot.patchValueOffset[i] = json.length();
            slot.patchValueLength[i] = value.length();
            json.append(value);
        }
        json.append('}');
        final byte[] bytes = json.toString().getBytes(StandardCharsets.US_ASCII);
        slot.ensurePayloadCapacity(bytes.length);
        System.arraycopy(bytes, 0, slot.payload, 0, bytes.length);
        slot.payloadLength = bytes.length;
        slot.patchEntryCount = keys;
    }

    /**
     * What the engine does for an accepted patch: check the bounds, merge, add to the tick's pending patch, and
     * (once per tick) clear the pending patch.
     *
     * @return the state size, so the work is not dead code.
     */
    @Benchmark
    public int admitMergeAndCoalesce()
    {
        patch.version = ++version;
        if (null != state.admit(patch, maxPatchEntries, maxEntries, maxBytes))
        {
            throw new IllegalStateException("refused");
        }
        state.merge(patch);
        pending.add(patch, 1);
        pending.clear();
        return state.size();
    }

    /**
     * A 5,000-key patch under the default {@code maxPatchEntries}: refused by its key count.
     *
     * @return the refusal.
     */
    @Benchmark
    public GameStateRefusal refuseOverCap()
    {
        return state.admit(oversized, SwitchboardSettings.DEFAULT_MAX_PATCH_ENTRIES, maxEntries, maxBytes);
    }

    /**
     * The former lookup: for every patch key, a linear scan of the state's keys (lookups only, no merge).
     *
     * @return found keys.
     */
    @Benchmark
    public int baselineLinearScan()
    {
        final InboundSlot slot = patch;
        final byte[][] keys = stateKeys;
        int found = 0;
        for (int e = 0; e < slot.patchEntryCount; e++)
        {
            final int offset = slot.patchKeyOffset[e];
            final int end = offset + slot.patchKeyLength[e];
            for (final byte[] key : keys)
            {
                if (Arrays.equals(key, 0, key.length, slot.payload, offset, end))
                {
                    found++;
                    break;
                }
            }
        }
        return found;
    }
}
