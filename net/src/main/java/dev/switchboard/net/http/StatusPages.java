package dev.switchboard.net.http;

/**
 * Bodies of the operational endpoints, built on demand on the IoAgent thread that serves the request.
 */
public interface StatusPages
{
    /**
     * The JSON body of {@code GET /healthz}.
     *
     * @return UTF-8 JSON.
     */
    byte[] healthz();

    /**
     * The body of {@code GET /healthz} on the public port while the operator port is on: without room ids.
     *
     * @return UTF-8 JSON.
     */
    default byte[] publicHealthz()
    {
        return healthz();
    }

    /**
     * Whether the server is draining, so {@code /healthz} answers 503.
     *
     * @return true while draining.
     */
    boolean draining();

    /**
     * The Prometheus text body of {@code GET /metrics}.
     *
     * @return UTF-8 text in the Prometheus exposition format.
     */
    byte[] metrics();
}
