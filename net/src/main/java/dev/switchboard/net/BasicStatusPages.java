package dev.switchboard.net;

import java.nio.charset.StandardCharsets;

/**
 * Minimal real answers for /healthz and /metrics from the front end's own counters.
 */
final class BasicStatusPages implements StatusPages
{
    private final ServerRuntime runtime;

    BasicStatusPages(final ServerRuntime runtime)
    {
        this.runtime = runtime;
    }

    @Override
    public byte[] healthz()
    {
        final String json = "{\"status\":\"" + (runtime.isDraining() ? "draining" : "ok") + "\",\"uptimeSeconds\":" + runtime.uptimeSeconds() +
            ",\"connectedSockets\":" + runtime.connectedSockets() + "}";
        return json.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public boolean draining()
    {
        return runtime.isDraining();
    }

    @Override
    public byte[] metrics()
    {
        final String text = "# TYPE connected_sockets gauge\nconnected_sockets " + runtime.connectedSockets() + "\n";
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
