package dev.switchboard.net.system;

import dev.switchboard.engine.auth.TestJwts;
import dev.switchboard.engine.test.SystemTest;
import dev.switchboard.net.support.JsonClient;
import dev.switchboard.net.support.RawWebSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

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

    static String token(final String sub, final String extraClaims)
    {
        final long exp = System.currentTimeMillis() / 1000 + 3600;
        return TestJwts.hs256(SECRET.getBytes(StandardCharsets.UTF_8),
            "{\"sub\":\"" + sub + "\",\"exp\":" + exp + (extraClaims.isEmpty() ? "" : "," + extraClaims) + "}");
    }

    private static JsonClient as(final ServerProcess server, final String token) throws Exception
    {
        return JsonClient.connect(server.port(), "/ws?authToken=" + token);
    }

    private static String joinAnswer(final JsonClient client, final String room, final String role) throws Exception
    {
        client.send("join", room, "", "{\"role\":\"" + role + "\"}");
        return client.until(t -> t.startsWith("{\"type\":\"joined\"") || t.startsWith("{\"type\":\"error\""));
    }

    @Test
    void shouldAdmitJoinsInsideTheGrantsAndAnswerForbiddenOutside() throws Exception
    {
        final String quizHost = token("quizmaster", "\"rooms\":[\"quiz-*\"],\"roles\":[\"host\"],\"cohost\":false");
        try (JsonClient client = as(open, quizHost))
        {
            final String outside = joinAnswer(client, "chess-1", "host");
            assertEquals("forbidden", JsonClient.field(outside, "code"), outside);
            final String wrongRole = joinAnswer(client, "quiz-1", "viewer");
            assertEquals("forbidden", JsonClient.field(wrongRole, "code"), wrongRole);
            final String inside = joinAnswer(client, "quiz-1", "host");
            assertTrue(inside.startsWith("{\"type\":\"joined\""), inside);
            assertEquals("quizmaster", JsonClient.field(inside, "userId"));
        }
        final String viewerNoCohost = token("watcher", "\"rooms\":[\"quiz-2\"],\"roles\":[\"viewer\"],\"cohost\":false");
        try (JsonClient host = as(open, token("quiz2host", "")); JsonClient viewer = as(open, viewerNoCohost))
        {
            host.join("quiz-2", "host");
            assertTrue(joinAnswer(viewer, "quiz-2", "viewer").startsWith("{\"type\":\"joined\""));
            viewer.send("cohost_request", "quiz-2", "", null);
            final String refused = viewer.untilType("error");
            assertEquals("forbidden", JsonClient.field(refused, "code"), refused);
        }
    }

    @Test
    void shouldLetGuestsAndClaimlessTokensDoEverythingWithoutRequireAuth() throws Exception
    {
        try (JsonClient guest = JsonClient.connect(open.port()); JsonClient plain = as(open, token("plain", "")))
        {
            assertTrue(joinAnswer(guest, "free-room", "host").startsWith("{\"type\":\"joined\""));
            assertTrue(joinAnswer(plain, "other-free-room", "host").startsWith("{\"type\":\"joined\""));
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
        try (JsonClient client = as(required, token("member", "")))
        {
            assertTrue(joinAnswer(client, "members-only", "host").startsWith("{\"type\":\"joined\""));
        }
    }

    @Test
    void shouldNotLetAStrangerTakeARoomWhoseHostLeftButLetTheHostComeBack() throws Exception
    {
        try (JsonClient host = as(open, token("owner", "\"roles\":[\"host\"]"));
            JsonClient viewer = as(open, token("fan", "\"roles\":[\"viewer\"]")))
        {
            host.join("stage", "host");
            viewer.join("stage", "viewer");
            host.send("leave", "stage", "", null);
            assertEquals(1000, host.raw().readUntilClose().closeCode());

            try (JsonClient stranger = as(open, token("stranger", "")); JsonClient guest = JsonClient.connect(open.port()))
            {
                final String taken = joinAnswer(stranger, "stage", "host");
                assertEquals("host_taken", JsonClient.field(taken, "code"), taken);
                final String guestTaken = joinAnswer(guest, "stage", "host");
                assertEquals("host_taken", JsonClient.field(guestTaken, "code"), guestTaken);
            }
            try (JsonClient back = as(open, token("owner", "\"roles\":[\"host\"]")))
            {
                final String joined = joinAnswer(back, "stage", "host");
                assertTrue(joined.startsWith("{\"type\":\"joined\""), joined);
                assertEquals("host", JsonClient.field(joined, "role"));
            }
        }
    }
}
