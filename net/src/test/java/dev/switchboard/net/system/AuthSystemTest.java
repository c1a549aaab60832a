package dev.switchboard.net.system;

import dev.switchboard.engine.auth.TestJwts;
import dev.switchboard.engine.test.SystemTest;
import dev.switchboard.net.support.JsonClient;
import dev.switchboard.net.support.RawWebSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Authorization against the real server process: grants respected, refused joins answered {@code forbidden},
 * {@code requireAuth} refusing with 4401, and no takeover of a room whose authenticated host left.
 */
@SystemTest
class AuthSystemTest
{
    private static final String SECRET = "auth-system-test-secret-of-at-least-32-bytes";
    private static ServerProcess open;
    private static ServerProcess required;

    @BeforeAll
    static void start() throws Exception
    {
        open = new ServerProcess("--jwt-secret", SECRET);
        required = new ServerProcess("--jwt-secret", SECRET, "--require-auth", "true");
    }

    @AfterAll
    static void stop()
    {
        open.close();
        required.close();
    }

    private static String token(final String sub, final String extraClaims)
    {
        return TestJwts.forUser(SECRET, sub, extraClaims);
    }

    @Test
    void shouldAdmitJoinsInsideTheGrantsAndAnswerForbiddenOutside() throws Exception
    {
        final String quizHost = token("quizmaster", "\"rooms\":[\"quiz-*\"],\"roles\":[\"host\"],\"cohost\":false");
        try (JsonClient client = JsonClient.connectWithToken(open.port(), quizHost))
        {
            final String outside = client.joinAnswer("chess-1", "host");
            assertEquals("forbidden", JsonClient.field(outside, "code"), outside);
            final String wrongRole = client.joinAnswer("quiz-1", "viewer");
            assertEquals("forbidden", JsonClient.field(wrongRole, "code"), wrongRole);
            final String inside = client.joinAnswer("quiz-1", "host");
            assertTrue(inside.startsWith("{\"type\":\"joined\""), inside);
            assertEquals("quizmaster", JsonClient.field(inside, "userId"));
        }
        final String viewerNoCohost = token("watcher", "\"rooms\":[\"quiz-2\"],\"roles\":[\"viewer\"],\"cohost\":false");
        try (JsonClient host = JsonClient.connectWithToken(open.port(), token("quiz2host", ""));
            JsonClient viewer = JsonClient.connectWithToken(open.port(), viewerNoCohost))
        {
            host.join("quiz-2", "host");
            assertTrue(viewer.joinAnswer("quiz-2", "viewer").startsWith("{\"type\":\"joined\""));
            viewer.send("cohost_request", "quiz-2", "", null);
            final String refused = viewer.untilType("error");
            assertEquals("forbidden", JsonClient.field(refused, "code"), refused);
        }
    }

    @Test
    void shouldLetGuestsAndClaimlessTokensDoEverythingWithoutRequireAuth() throws Exception
    {
        try (JsonClient guest = JsonClient.connect(open.port());
            JsonClient plain = JsonClient.connectWithToken(open.port(), token("plain", "")))
        {
            assertTrue(guest.joinAnswer("free-room", "host").startsWith("{\"type\":\"joined\""));
            assertTrue(plain.joinAnswer("other-free-room", "host").startsWith("{\"type\":\"joined\""));
        }
    }

    @Test
    void shouldRefuseSocketsWithoutAValidTokenWith4401WhenAuthIsRequired() throws Exception
    {
        for (final String path : new String[]{ "/ws", "/ws?authToken=", "/ws?authToken=not.a.jwt" })
        {
            try (RawWebSocket ws = RawWebSocket.connect(required.port(), path))
            {
                final RawWebSocket.Frame close = ws.readUntilClose();
                assertEquals(4401, close.closeCode(), path);
                assertEquals("unauthorized", close.closeReason(), path);
            }
        }
        try (JsonClient client = JsonClient.connectWithToken(required.port(), token("member", "")))
        {
            assertTrue(client.joinAnswer("members-only", "host").startsWith("{\"type\":\"joined\""));
        }
    }

    @Test
    void shouldNotLetAStrangerTakeARoomWhoseHostLeftButLetTheHostComeBack() throws Exception
    {
        try (JsonClient host = JsonClient.connectWithToken(open.port(), token("owner", "\"roles\":[\"host\"]"));
            JsonClient viewer = JsonClient.connectWithToken(open.port(), token("fan", "\"roles\":[\"viewer\"]")))
        {
            host.join("stage", "host");
            viewer.join("stage", "viewer");
            host.send("leave", "stage", "", null);
            assertEquals(1000, host.raw().readUntilClose().closeCode());

            try (JsonClient stranger = JsonClient.connectWithToken(open.port(), token("stranger", ""));
                JsonClient guest = JsonClient.connect(open.port()))
            {
                final String taken = stranger.joinAnswer("stage", "host");
                assertEquals("host_taken", JsonClient.field(taken, "code"), taken);
                final String guestTaken = guest.joinAnswer("stage", "host");
                assertEquals("host_taken", JsonClient.field(guestTaken, "code"), guestTaken);
            }
            try (JsonClient back = JsonClient.connectWithToken(open.port(), token("owner", "\"roles\":[\"host\"]")))
            {
                final String joined = back.joinAnswer("stage", "host");
                assertTrue(joined.startsWith("{\"type\":\"joined\""), joined);
                assertEquals("host", JsonClient.field(joined, "role"));
            }
        }
    }
}
