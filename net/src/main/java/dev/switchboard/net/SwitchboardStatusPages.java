package dev.switchboard.net;

import dev.switchboard.net.cluster.ClusterCounters;
import dev.switchboard.net.cluster.ClusterNode;
import dev.switchboard.net.http.StatusPages;
import dev.switchboard.net.metrics.MetricsExporter;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

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
        return healthz(true);
    }

    @Override
    public byte[] publicHealthz()
    {
        return healthz(false);
    }

    private byte[] healthz(final boolean withRoomSizes)
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
        json.append(",\"rooms\":").append(rooms);
        if (withRoomSizes)
        {
            json.append(",\"roomSizes\":{").append(sizes).append('}');
        }
        final ClusterNode cluster = runtime.cluster();
        if (null != cluster)
        {
            final ClusterCounters counters = cluster.counters();
            json.append(",\"cluster\":{\"nodeId\":\"").append(cluster.nodeId())
                .append("\",\"redis\":\"").append(counters.redisUp ? "up" : "down").append("\",\"liveNodes\":[");
            final List<String> live = counters.liveNodes;
            for (int i = 0; i < live.size(); i++)
            {
                json.append(0 == i ? "\"" : ",\"").append(live.get(i)).append('"');
            }
            json.append("],\"ownedRooms\":").append(counters.ownedRooms).append('}');
        }
        json.append('}');
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
