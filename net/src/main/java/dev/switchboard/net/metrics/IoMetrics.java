package dev.switchboard.net.metrics;

import dev.switchboard.net.io.IoCounters;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * The IoAgent families ({@code io_*}, {@code ws_*}, {@code http_*} counters): sums over every IoAgent's counters.
 */
final class IoMetrics
{
    private final PrometheusRegistry registry;
    private final Supplier<IoCounters[]> ioCounters;

    IoMetrics(final PrometheusRegistry registry, final Supplier<IoCounters[]> ioCounters)
    {
        this.registry = registry;
        this.ioCounters = ioCounters;
    }

    /** Register this family's metrics with the registry. */
    void register()
    {
        ioCounter("io_sockets_accepted_total", "Sockets accepted.", (counters) -> counters.accepted.get());
        ioCounter("io_sockets_closed_total", "Sockets closed.", (counters) -> counters.closed.get());
        ioCounter("io_sockets_refused_total", "Sockets refused because the connection table was full.",
            (counters) -> counters.refused.get());
        ioCounter("io_accept_errors_total", "Failed accept calls.", (counters) -> counters.acceptErrors.get());
        ioCounter("io_loop_errors_total", "Unexpected IoAgent loop errors.", (counters) -> counters.errors.get());
        ioCounter("io_bytes_in_total", "Bytes read from sockets.", (counters) -> counters.bytesIn.get());
        ioCounter("io_bytes_out_total", "Bytes written to sockets.", (counters) -> counters.bytesOut.get());
        ioCounter("http_head_timeouts_total", "HTTP request heads not finished in time.",
            (counters) -> counters.headTimeouts.get());
        ioCounter("ws_upgrades_total", "Successful WebSocket upgrades.", (counters) -> counters.upgrades.get());
        ioCounter("ws_messages_in_total", "WebSocket text messages received.",
            (counters) -> counters.messagesIn.get());
        ioCounter("ws_protocol_errors_total", "Sockets closed for a protocol violation.",
            (counters) -> counters.protocolErrors.get());
        ioCounter("ws_unauthorized_total", "Sockets closed with 4401.", (counters) -> counters.unauthorized.get());
        ioCounter("ws_idle_timeouts_total", "Sockets closed with 4009.", (counters) -> counters.idleTimeouts.get());
        ioCounter("ws_slow_consumers_total", "Sockets closed with 4008.",
            (counters) -> counters.slowConsumers.get());
        ioCounter("ws_drop_episodes_total", "Times a socket entered drop mode.",
            (counters) -> counters.dropEpisodes.get());
        ioCounter("ws_dropped_backpressure_total", "Frames dropped for backpressure by the IoAgents.",
            (counters) -> counters.droppedBackpressure.get());
        ioCounter("io_accept_pauses_total", "Times accepting paused for a back-off after a failed accept (EMFILE...).",
            (counters) -> counters.acceptPauses.get());
        CounterWithCallback.builder()
            .name("io_address_limit_refusals_total")
            .help("Refusals by a per-address limit: connections (socket closed), upgrades (429), joins (rate_limited).")
            .labelNames("limit")
            .callback((callback) ->
            {
                callback.call(CounterSums.sumIo(ioCounters.get(), (counters) -> counters.addressConnectionRefusals.get()), "connections");
                callback.call(CounterSums.sumIo(ioCounters.get(), (counters) -> counters.addressUpgradeRefusals.get()), "upgrades");
                callback.call(CounterSums.sumIo(ioCounters.get(), (counters) -> counters.addressJoinRefusals.get()), "joins");
            })
            .register(registry);
        ioCounter("http_pipeline_pauses_total", "Times reading paused at maxPipelinedRequests unwritten responses.",
            (counters) -> counters.pipelinePauses.get());
        ioCounter("ws_frame_rate_pauses_total", "Times reading paused: control frames and fragments over messageRate.",
            (counters) -> counters.frameRatePauses.get());
        ioCounter("ws_pongs_coalesced_total", "Pongs rewritten in place because an older one was still queued.",
            (counters) -> counters.pongsCoalesced.get());
        ioCounter("ws_message_deadlines_total", "Sockets closed with 1008: a message not complete in time.",
            (counters) -> counters.messageDeadlines.get());
    }

    private void ioCounter(final String name, final String help, final ToLongFunction<IoCounters> reader)
    {
        CounterWithCallback.builder()
            .name(name)
            .help(help)
            .callback((callback) -> callback.call(CounterSums.sumIo(ioCounters.get(), reader)))
            .register(registry);
    }
}
