package dev.switchboard.net.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The harness page and its files, loaded once at start from the classpath and served from prebuilt responses under
 * {@link #MOUNT_PATH}; immutable, so one instance may serve every IoAgent thread.
 * <p>
 * Only the files found under the root at load time can ever match a request: the percent-decoded request path is
 * looked up exactly, so dot segments, encoded dots and backslashes never reach the file system. Dotfiles and symbolic
 * links are not loaded. A directory holding {@code index.html} is served at its path with a trailing slash and
 * redirected to it without one.
 */
public final class StaticFiles
{
    /** The URL path the files are served under. */
    public static final String MOUNT_PATH = "/harness";

    private static final int GET_KEEP_ALIVE = 0;
    private static final int GET_CLOSE = 1;
    private static final int HEAD_KEEP_ALIVE = 2;
    private static final int HEAD_CLOSE = 3;
    private static final String INDEX = "index.html";

    private final Entry[] table;
    private final int mask;
    private final int fileCount;

    private StaticFiles(final Map<String, byte[]> files)
    {
        final List<Entry> entries = new ArrayList<>();
        for (final Map.Entry<String, byte[]> file : files.entrySet())
        {
            final String relativePath = file.getKey();
            final byte[][] responses = fileResponses(contentType(relativePath), file.getValue());
            entries.add(new Entry(MOUNT_PATH + "/" + relativePath, responses));
            if (relativePath.equals(INDEX) || relativePath.endsWith("/" + INDEX))
            {
                final String directory = MOUNT_PATH + "/" + relativePath.substring(0, relativePath.length() -
                    INDEX.length());
                entries.add(new Entry(directory, responses));
                entries.add(new Entry(directory.substring(0, directory.length() - 1), redirectResponses(directory)));
            }
        }
        int capacity = 2;
        while (capacity < entries.size() * 2)
        {
            capacity <<= 1;
        }
        table = new Entry[capacity];
        mask = capacity - 1;
        for (final Entry entry : entries)
        {
            int index = entry.hash & mask;
            while (null != table[index])
            {
                index = (index + 1) & mask;
            }
            table[index] = entry;
        }
        fileCount = files.size();
    }

    /**
     * Load every resource under a classpath root with the class loader of this class.
     *
     * @param classpathRoot resource directory such as {@code harness}, in a directory or inside a jar.
     * @return the files, empty when the root is missing.
     * @throws UncheckedIOException when a file cannot be read.
     */
    public static StaticFiles load(final String classpathRoot)
    {
        return load(StaticFiles.class.getClassLoader(), classpathRoot);
    }

    /**
     * Load every resource under a classpath root of the given class loader.
     *
     * @param classLoader   where to look the root up.
     * @param classpathRoot resource directory such as {@code harness}, in a directory or inside a jar.
     * @return the files, empty when the root is missing.
     * @throws UncheckedIOException when a file cannot be read.
     * @throws IllegalArgumentException when the root is neither a directory nor inside a jar.
     */
    public static StaticFiles load(final ClassLoader classLoader, final String classpathRoot)
    {
        String root = classpathRoot;
        while (root.startsWith("/"))
        {
            root = root.substring(1);
        }
        while (root.endsWith("/"))
        {
            root = root.substring(0, root.length() - 1);
        }
        final URL url = classLoader.getResource(root);
        final Map<String, byte[]> files = new TreeMap<>();
        if (null != url)
        {
            try
            {
                if ("file".equals(url.getProtocol()))
                {
                    readDirectory(Paths.get(url.toURI()), files);
                }
                else if ("jar".equals(url.getProtocol()))
                {
                    readJar(url, files);
                }
                else
                {
                    throw new IllegalArgumentException("static files: unsupported classpath URL " + url);
                }
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("static files: cannot read " + url, ex);
            }
            catch (final URISyntaxException ex)
            {
                throw new IllegalArgumentException("static files: bad classpath URL " + url, ex);
            }
        }
        return new StaticFiles(files);
    }

    /**
     * The complete prebuilt response for the request's path, without body for HEAD, or null when no file matches.
     *
     * @param request   a head parsed successfully.
     * @param keepAlive whether the connection stays open afterwards.
     * @return the response (200, the 301 of a directory without its slash, or 405 for a method other than GET and
     * HEAD); null when the caller should answer 404. Do not modify it.
     */
    public byte[] response(final HttpRequestParser request, final boolean keepAlive)
    {
        final byte[] buffer = request.buffer();
        final int from = request.pathOffset();
        final int end = from + request.pathLength();

        int hash = 0;
        int decodedLength = 0;
        int p = from;
        while (p < end)
        {
            final int decoded = PercentDecoding.decodeAt(buffer, p, end, false);
            if (PercentDecoding.MALFORMED == decoded)
            {
                return null;
            }
            hash = 31 * hash + PercentDecoding.value(decoded);
            decodedLength++;
            p += PercentDecoding.width(decoded);
        }

        final int mixed = mix(hash);
        int index = mixed & mask;
        Entry entry;
        while (null != (entry = table[index]))
        {
            if (entry.hash == mixed && entry.path.length == decodedLength && matches(entry.path, buffer, from, end))
            {
                if (request.isGet())
                {
                    return entry.responses[keepAlive ? GET_KEEP_ALIVE : GET_CLOSE];
                }
                if (request.isHead())
                {
                    return entry.responses[keepAlive ? HEAD_KEEP_ALIVE : HEAD_CLOSE];
                }
                return HttpResponses.status(405, keepAlive);
            }
            index = (index + 1) & mask;
        }
        return null;
    }

    /**
     * Number of files loaded.
     *
     * @return the file count.
     */
    public int fileCount()
    {
        return fileCount;
    }

    /**
     * The Content-Type served for a file name, by its extension.
     *
     * @param fileName name or path of the file.
     * @return the content type, {@code application/octet-stream} for an unknown extension.
     */
    public static String contentType(final String fileName)
    {
        final int slash = fileName.lastIndexOf('/');
        final int dot = fileName.lastIndexOf('.');
        final String extension = dot > slash ? fileName.substring(dot + 1).toLowerCase(Locale.ROOT) : "";
        switch (extension)
        {
            case "html":
            case "htm":
                return "text/html; charset=utf-8";
            case "js":
            case "mjs":
                return "text/javascript; charset=utf-8";
            case "css":
                return "text/css; charset=utf-8";
            case "json":
            case "map":
                return "application/json";
            case "svg":
                return "image/svg+xml";
            case "png":
                return "image/png";
            case "ico":
                return "image/x-icon";
            case "txt":
                return "text/plain; charset=utf-8";
            default:
                return "application/octet-stream";
        }
    }

    private static void readDirectory(final Path root, final Map<String, byte[]> files) throws IOException
    {
        if (!Files.isDirectory(root))
        {
            return;
        }
        final List<Path> paths = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root))
        {
            walk.forEach(paths::add);
        }
        for (final Path path : paths)
        {
            if (!Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS))
            {
                continue;
            }
            final StringBuilder relative = new StringBuilder();
            for (final Path name : root.relativize(path))
            {
                if (relative.length() > 0)
                {
                    relative.append('/');
                }
                relative.append(name.toString());
            }
            addFile(relative.toString(), Files.readAllBytes(path), files);
        }
    }

    private static void readJar(final URL url, final Map<String, byte[]> files) throws IOException
    {
        final URLConnection connection = url.openConnection();
        if (!(connection instanceof JarURLConnection))
        {
            throw new IllegalArgumentException("static files: not a jar URL " + url);
        }
        final JarURLConnection jarConnection = (JarURLConnection)connection;
        jarConnection.setUseCaches(false);
        final String entryName = jarConnection.getEntryName();
        final String prefix = null == entryName || entryName.isEmpty() ? "" :
            (entryName.endsWith("/") ? entryName : entryName + "/");
        try (JarFile jar = jarConnection.getJarFile())
        {
            final Enumeration<JarEntry> entries = jar.entries();
            while (entries.hasMoreElements())
            {
                final JarEntry entry = entries.nextElement();
                final String name = entry.getName();
                if (entry.isDirectory() || !name.startsWith(prefix) || name.length() == prefix.length())
                {
                    continue;
                }
                try (InputStream in = jar.getInputStream(entry))
                {
                    addFile(name.substring(prefix.length()), in.readAllBytes(), files);
                }
            }
        }
    }

    private static void addFile(final String relativePath, final byte[] content, final Map<String, byte[]> files)
    {
        for (final String segment : relativePath.split("/", -1))
        {
            if (segment.isEmpty() || segment.startsWith(".") || segment.indexOf('\\') >= 0)
            {
                return;
            }
        }
        files.put(relativePath, content);
    }

    private static byte[][] fileResponses(final String contentType, final byte[] body)
    {
        final byte[][] responses = new byte[4][];
        for (int variant = 0; variant < 4; variant++)
        {
            final boolean keepAlive = GET_KEEP_ALIVE == variant || HEAD_KEEP_ALIVE == variant;
            final boolean headOnly = variant >= HEAD_KEEP_ALIVE;
            final byte[] head = AsciiBytes.ascii(
                "HTTP/1.1 200 OK\r\n" +
                "Content-Type: " + contentType + "\r\n" +
                "Content-Length: " + body.length + "\r\n" +
                "Connection: " + (keepAlive ? "keep-alive" : "close") + "\r\n" +
                "Cache-Control: no-cache\r\n" +
                "X-Content-Type-Options: nosniff\r\n" +
                "\r\n");
            final byte[] response = new byte[head.length + (headOnly ? 0 : body.length)];
            System.arraycopy(head, 0, response, 0, head.length);
            if (!headOnly)
            {
                System.arraycopy(body, 0, response, head.length, body.length);
            }
            responses[variant] = response;
        }
        return responses;
    }

    private static byte[][] redirectResponses(final String location)
    {
        final byte[][] responses = new byte[4][];
        for (int variant = 0; variant < 4; variant++)
        {
            final boolean keepAlive = GET_KEEP_ALIVE == variant || HEAD_KEEP_ALIVE == variant;
            responses[variant] = AsciiBytes.ascii(
                "HTTP/1.1 301 Moved Permanently\r\n" +
                "Location: " + percentEncode(location) + "\r\n" +
                "Content-Length: 0\r\n" +
                "Connection: " + (keepAlive ? "keep-alive" : "close") + "\r\n" +
                "\r\n");
        }
        return responses;
    }

    private static String percentEncode(final String path)
    {
        final StringBuilder sb = new StringBuilder();
        for (final byte b : path.getBytes(StandardCharsets.UTF_8))
        {
            final int c = b & 0xFF;
            final boolean unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                '-' == c || '.' == c || '_' == c || '~' == c || '/' == c;
            if (unreserved)
            {
                sb.append((char)c);
            }
            else
            {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >>> 4, 16)))
                    .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
            }
        }
        return sb.toString();
    }

    private static boolean matches(final byte[] path, final byte[] buffer, final int from, final int end)
    {
        int p = from;
        int i = 0;
        while (p < end)
        {
            final int decoded = PercentDecoding.decodeAt(buffer, p, end, false);
            if ((byte)decoded != path[i])
            {
                return false;
            }
            i++;
            p += PercentDecoding.width(decoded);
        }
        return true;
    }

    private static int mix(final int hash)
    {
        final int h = hash * 0x9E3779B9;
        return h ^ (h >>> 16);
    }

    private static final class Entry
    {
        private final byte[] path;
        private final int hash;
        private final byte[][] responses;

        private Entry(final String path, final byte[][] responses)
        {
            this.path = path.getBytes(StandardCharsets.UTF_8);
            int h = 0;
            for (final byte b : this.path)
            {
                h = 31 * h + (b & 0xFF);
            }
            this.hash = mix(h);
            this.responses = responses;
        }
    }
}
