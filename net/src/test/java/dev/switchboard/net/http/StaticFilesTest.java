package dev.switchboard.net.http;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import static dev.switchboard.net.http.HttpRequestParserTest.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StaticFilesTest
{
    private static final StaticFiles FILES = StaticFiles.load("harness-test");

    private final HttpRequestParser parser = new HttpRequestParser();

    private byte[] respond(final StaticFiles files, final String method, final String target, final boolean keepAlive)
    {
        final byte[] head = bytes(method + " " + target + " HTTP/1.1\r\nHost: h\r\n\r\n");
        assertEquals(head.length, parser.parse(head, 0, head.length), target);
        return files.response(parser, keepAlive);
    }

    private String get(final String target)
    {
        final byte[] response = respond(FILES, "GET", target, true);
        return null == response ? null : new String(response, StandardCharsets.UTF_8);
    }

    private static String body(final String response)
    {
        return response.substring(response.indexOf("\r\n\r\n") + 4);
    }

    private static String resource(final String name) throws IOException
    {
        try (var in = StaticFilesTest.class.getClassLoader().getResourceAsStream(name))
        {
            assertNotNull(in, name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void shouldLoadEveryFileUnderTheRootButDotfiles()
    {
        assertEquals(6, FILES.fileCount());
        assertNull(get("/harness/.hidden"));
    }

    @Test
    void shouldServeIndexAtRootWithTrailingSlash() throws IOException
    {
        final String response = get("/harness/");
        final String index = resource("harness-test/index.html");
        assertEquals(
            "HTTP/1.1 200 OK\r\n" +
            "Content-Type: text/html; charset=utf-8\r\n" +
            "Content-Length: " + index.length() + "\r\n" +
            "Connection: keep-alive\r\n" +
            "Cache-Control: no-cache\r\n" +
            "X-Content-Type-Options: nosniff\r\n" +
            "\r\n" +
            index,
            response);
        assertEquals(response, get("/harness/index.html"));
    }

    @Test
    void shouldRedirectRootWithoutSlash()
    {
        assertEquals(
            "HTTP/1.1 301 Moved Permanently\r\n" +
            "Location: /harness/\r\n" +
            "Content-Length: 0\r\n" +
            "Connection: keep-alive\r\n" +
            "\r\n",
            get("/harness"));
        assertTrue(get("/harness/sub").contains("\r\nLocation: /harness/sub/\r\n"));
        assertTrue(get("/harness?x=1").contains("\r\nLocation: /harness/\r\n"));
    }

    @Test
    void shouldServeFilesWithContentTypeByExtension() throws IOException
    {
        final String js = get("/harness/app.js");
        assertTrue(js.contains("\r\nContent-Type: text/javascript; charset=utf-8\r\n"), js);
        assertEquals(resource("harness-test/app.js"), body(js));

        assertTrue(get("/harness/style.css").contains("\r\nContent-Type: text/css; charset=utf-8\r\n"));
        assertTrue(get("/harness/icon.svg").contains("\r\nContent-Type: image/svg+xml\r\n"));

        final String json = get("/harness/sub/data.json?cache=bust");
        assertTrue(json.contains("\r\nContent-Type: application/json\r\n"), json);
        assertEquals(resource("harness-test/sub/data.json"), body(json));

        assertEquals(resource("harness-test/sub/index.html"), body(get("/harness/sub/")));
    }

    @Test
    void shouldServeHeadWithoutBody() throws IOException
    {
        final String head = new String(respond(FILES, "HEAD", "/harness/app.js", false), StandardCharsets.UTF_8);
        assertTrue(head.endsWith("\r\n\r\n"), head);
        assertTrue(head.contains("\r\nContent-Length: " + resource("harness-test/app.js").length() + "\r\n"));
        assertTrue(head.contains("\r\nConnection: close\r\n"));
        assertEquals("", body(head));
    }

    @Test
    void shouldHonourKeepAliveChoice()
    {
        final String close = new String(respond(FILES, "GET", "/harness/app.js", false), StandardCharsets.UTF_8);
        assertTrue(close.contains("\r\nConnection: close\r\n"));
        assertTrue(get("/harness/app.js").contains("\r\nConnection: keep-alive\r\n"));
    }

    @Test
    void shouldAnswer405ForOtherMethodsOnKnownPaths()
    {
        assertSame(HttpResponses.status(405, true), respond(FILES, "DELETE", "/harness/app.js", true));
        assertNull(respond(FILES, "DELETE", "/harness/missing.js", true));
    }

    @Test
    void shouldDecodePercentEncodedPathsInsideTheRoot() throws IOException
    {
        assertEquals(resource("harness-test/app.js"), body(get("/harness/app%2Ejs")));
        assertEquals(resource("harness-test/sub/data.json"), body(get("/harness/sub%2fdata.json")));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "/harness/missing.js",
        "/harness/APP.JS",
        "/harness/app.js/",
        "/harnessapp.js",
        "/harness//app.js",
        "/harness/./app.js",
        "/harness/sub/../app.js",
        "/harness/../harness-secret.txt",
        "/harness/%2e%2e/harness-secret.txt",
        "/harness/%2E%2E%2Fharness-secret.txt",
        "/harness/..%2fharness-secret.txt",
        "/harness/..\\harness-secret.txt",
        "/harness/%5c..%5charness-secret.txt",
        "/harness/%2e%2e%5charness-secret.txt",
        "/harness/%",
        "/harness/app.j%",
        "/harness/app.j%7",
        "/harness/app.j%zz",
        "/harness/app.js%00",
        "/harness-secret.txt",
        "/../harness-secret.txt",
        "/harness/sub/..",
        "*"})
    void shouldNotServeAnythingOutsideTheLoadedFiles(final String target)
    {
        assertNull(get(target), target);
    }

    @Test
    void shouldBeEmptyWhenRootIsMissing()
    {
        final StaticFiles none = StaticFiles.load("no-such-root");
        assertEquals(0, none.fileCount());
        assertNull(respond(none, "GET", "/harness/", true));
        assertNull(respond(none, "GET", "/harness", true));
    }

    @Test
    void shouldLoadFilesFromInsideAJar(@TempDir final Path dir) throws IOException
    {
        final Path jar = dir.resolve("web.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar)))
        {
            out.putNextEntry(new JarEntry("web/"));
            out.closeEntry();
            putEntry(out, "web/index.html", "<p>from jar</p>");
            out.putNextEntry(new JarEntry("web/js/"));
            out.closeEntry();
            putEntry(out, "web/js/client.mjs", "export {};");
            putEntry(out, "web/.DS_Store", "junk");
            putEntry(out, "webby/other.txt", "not under the root");
            putEntry(out, "outside.txt", "not under the root");
        }

        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null))
        {
            final StaticFiles files = StaticFiles.load(loader, "/web/");
            assertEquals(2, files.fileCount());

            final String index = new String(respond(files, "GET", "/harness/", true), StandardCharsets.UTF_8);
            assertEquals("<p>from jar</p>", body(index));
            final String js = new String(respond(files, "GET", "/harness/js/client.mjs", true), StandardCharsets.UTF_8);
            assertTrue(js.contains("\r\nContent-Type: text/javascript; charset=utf-8\r\n"));
            assertEquals("export {};", body(js));
            assertNull(respond(files, "GET", "/harness/.DS_Store", true));
            assertNull(respond(files, "GET", "/harness/../outside.txt", true));
        }
        assertFalse(Files.notExists(jar));
        Files.delete(jar);
    }

    @Test
    void shouldMapExtensionsToContentTypes()
    {
        assertEquals("text/html; charset=utf-8", StaticFiles.contentType("a/index.HTML"));
        assertEquals("text/javascript; charset=utf-8", StaticFiles.contentType("x.js"));
        assertEquals("text/javascript; charset=utf-8", StaticFiles.contentType("x.mjs"));
        assertEquals("text/css; charset=utf-8", StaticFiles.contentType("x.css"));
        assertEquals("application/json", StaticFiles.contentType("x.json"));
        assertEquals("application/json", StaticFiles.contentType("x.js.map"));
        assertEquals("image/svg+xml", StaticFiles.contentType("x.svg"));
        assertEquals("image/png", StaticFiles.contentType("x.png"));
        assertEquals("image/x-icon", StaticFiles.contentType("favicon.ico"));
        assertEquals("text/plain; charset=utf-8", StaticFiles.contentType("x.txt"));
        assertEquals("application/octet-stream", StaticFiles.contentType("dir.d/README"));
    }

    private static void putEntry(final JarOutputStream out, final String name, final String content)
        throws IOException
    {
        out.putNextEntry(new JarEntry(name));
        out.write(content.getBytes(StandardCharsets.UTF_8));
        out.closeEntry();
    }
}
