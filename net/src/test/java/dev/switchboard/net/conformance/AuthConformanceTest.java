package dev.switchboard.net.conformance;

import dev.switchboard.engine.auth.Authenticators;
import dev.switchboard.engine.auth.TestJwts;
import dev.switchboard.engine.settings.SwitchboardSettings;
import dev.switchboard.net.support.FrontEndServer;
import dev.switchboard.net.support.RawWebSocket;
import org.agrona.concurrent.SystemEpochClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static dev.switchboard.net.conformance.ConformanceSupport.expectAlive;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The authToken query parameter: a rejected token is closed with 4401 after the handshake; a valid one and
 * no token at all are served. The authenticator runs on its own executor, never on the IoAgent.
 */
class AuthConformanceTest
{
    private static final byte[] SECRET = "test-secret-of-enough-length-for-hs256".getBytes(StandardCharsets.UTF_8);
    private static final ExecutorService EXECUTOR = Executors.newSingleThreadExecutor();
    private static FrontEndServer server;

    @BeforeAll
    static void start() throws Exception
    {
        final SwitchboardSettings settings = SwitchboardSettings.builder()
            .jwtSecret(new String(SECRET, StandardCharsets.UTF_8)).build();
        server = new FrontEndServer(settings,
            Authenticators.fromSettings(settings, SystemEpochClock.INSTANCE, EXECUTOR));
    }

    @AfterAll
    static void stop()
    {
        server.close();
        EXECUTOR.shutdownNow();
    }

    @Test
    void shouldCloseWith4401ForRejectedToken() throws Exception
    {
        try (RawWebSocket ws = RawWebSocket.connect(server.port(), "/ws?authToken=not.a.jwt"))
        {
            final RawWebSocket.Frame close = ws.readUntilClose();
            assertEquals(4401, close.closeCode());
            assertEquals("unauthorized", close.closeReason());
            ws.sendClose(4401, "");
            assertTrue(ws.awaitEof(3_000));
        }
    }

    @Test
    void shouldServeValidToken() throws Exception
    {
        final long expSeconds = System.currentTimeMillis() / 1000 + 3600;
        final String token = TestJwts.hs256(SECRET, "{\"sub\":\"alice\",\"exp\":" + expSeconds + "}");
        try (RawWebSocket ws = RawWebSocket.connect(server.port(), "/ws?authToken=" + token))
        {
            expectAlive(ws, 1);
        }
    }

    @Test
    void shouldServeGuestWithoutToken() throws Exception
    {
        try (RawWebSocket ws = RawWebSocket.connect(server.port()))
        {
            expectAlive(ws, 2);
        }
    }
}
