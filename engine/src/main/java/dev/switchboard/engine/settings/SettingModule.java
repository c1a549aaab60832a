package dev.switchboard.engine.settings;

import java.util.Locale;

/** The part of the server a setting configures, and so the typed context that carries it. */
public enum SettingModule
{
    /** Room rules, sessions, rate limits and rings of the engine shards. */
    ENGINE,
    /** Sockets, HTTP, WebSocket, the operator port and webhooks of the IoAgents. */
    NET,
    /** Multi-node mode over Redis. */
    CLUSTER;

    /**
     * The module's name as the README and {@code --help} print it.
     *
     * @return lower-case name.
     */
    public String label()
    {
        return name().toLowerCase(Locale.ROOT);
    }
}
