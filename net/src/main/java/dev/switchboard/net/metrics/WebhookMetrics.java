package dev.switchboard.net.metrics;

import dev.switchboard.net.webhook.WebhookCounters;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The webhook families ({@code webhook_*}): callbacks over the webhook sender's counters.
 */
final class WebhookMetrics
{
    private final PrometheusRegistry registry;
    private final WebhookCounters webhooks;

    WebhookMetrics(final PrometheusRegistry registry, final WebhookCounters webhooks)
    {
        this.registry = registry;
        this.webhooks = webhooks;
    }

    /** Register this family's metrics with the registry. */
    void register()
    {
        CounterWithCallback.builder()
            .name("webhook_deliveries_total")
            .help("Webhook POSTs answered 2xx (delivered) and failed attempts that were retried (retried).")
            .labelNames("outcome")
            .callback((callback) ->
            {
                callback.call(webhooks.delivered.get(), "delivered");
                callback.call(webhooks.retried.get(), "retried");
            })
            .register(registry);
        CounterWithCallback.builder()
            .name("webhook_dropped_total")
            .help("Webhook events dropped: an engine's outbox was full (queue_full) or every attempt failed " +
                "(attempts_exhausted).")
            .labelNames("reason")
            .callback((callback) ->
            {
                callback.call(webhooks.droppedQueueFull.get(), "queue_full");
                callback.call(webhooks.droppedAttemptsExhausted.get(), "attempts_exhausted");
            })
            .register(registry);
    }
}
