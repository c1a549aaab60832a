package dev.switchboard.net.metrics;

import dev.switchboard.engine.codes.ErrorCode;
import dev.switchboard.engine.codes.MessageType;
import dev.switchboard.engine.metrics.DropReason;
import dev.switchboard.engine.metrics.EngineCounters;
import dev.switchboard.net.io.IoCounters;

import java.util.function.ToLongFunction;

/**
 * Sums of the hot threads' single-writer counters over every shard or IoAgent, read by scrapes and samples.
 */
final class CounterSums
{
    static final double NANOS_PER_SECOND = 1e9;
    static final DropReason[] REASONS = DropReason.values();
    static final MessageType[] ALL_TYPES = MessageType.values();
    static final MessageType[] IN_TYPES = clientTypes();
    static final ErrorCode[] ERROR_CODES = errorCodes();

    private CounterSums()
    {
    }

    static long sumIo(final IoCounters[] agents, final ToLongFunction<IoCounters> reader)
    {
        long total = 0;
        for (final IoCounters counters : agents)
        {
            total += reader.applyAsLong(counters);
        }
        return total;
    }

    static long rooms(final EngineCounters[] engines)
    {
        long total = 0;
        for (final EngineCounters counters : engines)
        {
            total += counters.rooms();
        }
        return total;
    }

    static long sessions(final EngineCounters[] engines)
    {
        long total = 0;
        for (final EngineCounters counters : engines)
        {
            total += counters.sessions();
        }
        return total;
    }

    static long msgsIn(final EngineCounters[] engines, final MessageType type)
    {
        long total = 0;
        for (final EngineCounters counters : engines)
        {
            total += counters.msgsIn(type);
        }
        return total;
    }

    static long msgsOut(final EngineCounters[] engines)
    {
        long total = 0;
        for (final EngineCounters counters : engines)
        {
            total += counters.msgsOut();
        }
        return total;
    }

    static long drops(final EngineCounters[] engines, final MessageType type, final DropReason reason)
    {
        long total = 0;
        for (final EngineCounters counters : engines)
        {
            total += counters.drops(type, reason);
        }
        return total;
    }

    static long ioDrops(final IoCounters[] agents, final MessageType type)
    {
        long total = 0;
        for (final IoCounters counters : agents)
        {
            total += counters.droppedByType.get(type.id());
        }
        return total;
    }

    static MessageType[] clientTypes()
    {
        int count = 0;
        for (final MessageType type : MessageType.values())
        {
            if (type.isFromClient())
            {
                count++;
            }
        }
        final MessageType[] types = new MessageType[count];
        int next = 0;
        for (final MessageType type : MessageType.values())
        {
            if (type.isFromClient())
            {
                types[next++] = type;
            }
        }
        return types;
    }

    static ErrorCode[] errorCodes()
    {
        final ErrorCode[] all = ErrorCode.values();
        final ErrorCode[] codes = new ErrorCode[all.length - 1];
        int next = 0;
        for (final ErrorCode code : all)
        {
            if (ErrorCode.NONE != code)
            {
                codes[next++] = code;
            }
        }
        return codes;
    }
}
