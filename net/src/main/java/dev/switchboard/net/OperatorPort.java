package dev.switchboard.net;

import dev.switchboard.engine.settings.SwitchboardSettings;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;

/** The operator port's listening socket and the room list it serves from the engines' snapshots. */
final class OperatorPort
{
    private OperatorPort()
    {
    }

    /**
     * Bind {@code adminBindAddress:adminPort}.
     *
     * @param settings settings with the operator port on.
     * @return the non-blocking listening socket.
     * @throws IOException when the port cannot be bound.
     */
    static ServerSocketChannel open(final SwitchboardSettings settings) throws IOException
    {
        final ServerSocketChannel channel = ServerSocketChannel.open();
        channel.setOption(StandardSocketOptions.SO_REUSEADDR, Boolean.TRUE);
        channel.bind(new InetSocketAddress(settings.adminBindAddress(), settings.adminPort()), 64);
        channel.configureBlocking(false);
        return channel;
    }

    /**
     * The bound port.
     *
     * @param channel the listening socket.
     * @return the port, or -1 when unknown.
     */
    static int localPort(final ServerSocketChannel channel)
    {
        try
        {
            return ((InetSocketAddress)channel.getLocalAddress()).getPort();
        }
        catch (final IOException ex)
        {
            return -1;
        }
    }

    /**
     * {@code {"rooms":[{"roomId":"r","size":3}]}} from the engines' room-size snapshots (at most about a second old).
     *
     * @param hosts the engine hosts.
     * @return UTF-8 JSON.
     */
    static byte[] roomList(final EngineHost[] hosts)
    {
        final StringBuilder json = new StringBuilder(64).append("{\"rooms\":[");
        int count = 0;
        for (final EngineHost host : hosts)
        {
            final EngineHost.RoomSizes sizes = host.roomSizes();
            for (int i = 0; i < sizes.count(); i++)
            {
                json.append(0 == count++ ? "" : ",").append("{\"roomId\":\"").append(sizes.roomId(i))
                    .append("\",\"size\":").append(sizes.size(i)).append('}');
            }
        }
        return json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }
}
