package dev.switchboard.net;

import dev.switchboard.net.metrics.MetricsExporter;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * /healthz from the engines' room-size snapshots and the IoAgents' counters; /metrics from the Prometheus
 * exporter's latest rendering (made on the exporter's own thread, so an IoAgent only copies bytes).
 */
final class SwitchboardStatusPages implements StatusPages
{
    private final ServerRuntime runtime;
    private final MetricsExporter exporter;

    SwitchboardStatusPages(final ServerRuntime runtime, final MetricsExporter exporter)
    {
        this.runtime = runtime;
        this.exporter = exporter;
    }

    @Override
    public byte[] healthz()
    {
        final StringBuilder json = new StringBuilder(256);
        json.append("{\"status\":\"").append(runtime.isDraining() ? "draining" : "ok")
            .append("\",\"uptimeSeconds\":").append(runtime.uptimeSeconds())
            .append(",\"connectedSockets\":").append(runtime.connectedSockets());
        int rooms = 0;
        final StringBuilder sizes = new StringBuilder();
        for (final EngineHost host : runtime.engineHosts())
        {
            final EngineHost.RoomSizes snapshot = host.roomSizes();
            for (int i = 0; i < snapshot.count(); i++)
            {
                sizes.append(0 == rooms ? "" : ",").append('"').append(snapshot.roomId(i)).append("\":")
                    .append(snapshot.size(i));
                rooms++;
            }
        }
        json.append(",\"rooms\":").append(rooms).append(",\"roomSizes\":{").append(sizes).append("}}");
        return json.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public boolean draining()
    {
        return runtime.isDraining();
    }

    @Override
    public byte[] metrics()
    {
        return null != exporter ? exporter.latestRendered() : new ByteArrayOutputStream().toByteArray();
    }
}
