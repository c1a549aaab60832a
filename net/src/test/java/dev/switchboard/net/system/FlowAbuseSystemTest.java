package dev.switchboard.net.system;

import dev.switchboard.engine.settings.SwitchboardSettings;
import dev.switchboard.engine.test.SystemTest;
import dev.switchboard.net.support.EngineServer;
import dev.switchboard.net.support.JsonClient;
import dev.switchboard.net.support.RawWebSocket;
import org.agrona.concurrent.CachedEpochClock;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The abuse close over real loopback sockets, on a fake clock: ten consecutive seconds in each of which the
 * overall limit rejected a frame close the socket with {@code 4029 rate_limit_abuse}, and the session resumes on
 * a new socket.
 */
@SystemTest
class FlowAbuseSystemTest
{
    @Test
    void shouldCloseWith4029AfterTenSecondsOverTheOverallLimitAndLetTheSessionResume() throws Exception
    {
        final CachedEpochClock clock = new CachedEpochClock();
        clock.update(System.currentTimeMillis());
        final SwitchboardSettings settings = SwitchboardSettings.builder().messageRate(2).messageBurst(2).build();
        try (EngineServer server = new EngineServer(settings, null, clock);
            JsonClient host = JsonClient.connect(server.port());
            JsonClient abuser = JsonClient.connect(server.port()))
        {
            host.join("room", "host");
            clock.advance(1000);
            final String joined = abuser.join("room", "viewer");
            final String token = JsonClient.field(joined, "sessionToken");
            final String userId = JsonClient.field(joined, "userId");
            for (int second = 0; second < 9; second++)
            {
                clock.advance(1000);
                for (int i = 0; i < 3; i++)
                {
                    abuser.sendText("{\"type\":\"ping\",\"ts\":" + i + "}");
                }
                final String error = abuser.until(t -> t.startsWith("{\"type\":\"error\""));
                assertTrue(error.contains("\"code\":\"rate_limited\""), error);
            }
            clock.advance(1000);
            for (int i = 0; i < 3; i++)
            {
                abuser.sendText("{\"type\":\"ping\",\"ts\":" + i + "}");
            }
            final RawWebSocket.Frame close = abuser.raw().readUntilClose();
            assertEquals(4029, close.closeCode());
            assertEquals("rate_limit_abuse", close.closeReason());

            clock.advance(1000);
            try (JsonClient resumed = JsonClient.connect(server.port()))
            {
                resumed.send("resume", "room", "",
                    "{\"sessionToken\":\"" + token + "\",\"lastDseq\":0,\"lastRseq\":0}");
                final String ok = resumed.untilType("resume_ok");
                assertEquals(userId, JsonClient.field(ok, "userId"));
                assertEquals("viewer", JsonClient.field(ok, "role"));
                resumed.sendText("{\"type\":\"ping\",\"ts\":42}");
                resumed.until(t -> t.startsWith("{\"type\":\"pong\"") && t.contains("\"payload\":{\"ts\":42}"));
            }
        }
    }
}
