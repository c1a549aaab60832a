package dev.switchboard.net.http;

import java.util.ArrayList;
import java.util.List;

/**
 * The browser origins allowed to open a WebSocket, from the {@code allowedOrigins} setting; immutable.
 * <p>
 * Each entry is {@code scheme://host[:port]} and is matched exactly but case-insensitively against the Origin field
 * (browsers leave default ports out, so list the origin as the browser sends it). An empty setting, or the entry
 * {@code *}, allows every origin. A request without Origin does not come from a browser page and is allowed.
 */
public final class AllowedOrigins
{
    private static final AllowedOrigins ANY = new AllowedOrigins(null);

    private final byte[][] lowerCaseOrigins;

    private AllowedOrigins(final byte[][] lowerCaseOrigins)
    {
        this.lowerCaseOrigins = lowerCaseOrigins;
    }

    /**
     * Parse a comma-separated list of origins.
     *
     * @param commaSeparatedOrNull entries such as {@code https://app.example.com,http://localhost:8080}; null, blank
     *                             or containing {@code *} allows any origin.
     * @return the allowed origins.
     * @throws IllegalArgumentException when an entry is not {@code scheme://host[:port]}.
     */
    public static AllowedOrigins parse(final String commaSeparatedOrNull)
    {
        if (null == commaSeparatedOrNull || commaSeparatedOrNull.isBlank())
        {
            return ANY;
        }
        final List<byte[]> origins = new ArrayList<>();
        for (final String part : commaSeparatedOrNull.split(",", -1))
        {
            final String entry = part.trim();
            if (entry.isEmpty())
            {
                continue;
            }
            if ("*".equals(entry))
            {
                return ANY;
            }
            final String normalized = entry.endsWith("/") ? entry.substring(0, entry.length() - 1) : entry;
            if (!isOrigin(normalized))
            {
                throw new IllegalArgumentException(
                    "allowedOrigins: '" + entry + "' is not an origin of the form scheme://host[:port]");
            }
            origins.add(AsciiBytes.ascii(lowerCase(normalized)));
        }
        return origins.isEmpty() ? ANY : new AllowedOrigins(origins.toArray(new byte[0][]));
    }

    /**
     * Whether the Origin value in the buffer may open a WebSocket.
     *
     * @param buffer bytes holding the Origin value.
     * @param offset first byte of the value.
     * @param length length of the value, 0 when the request has no Origin.
     * @return true when allowed.
     */
    public boolean allows(final byte[] buffer, final int offset, final int length)
    {
        if (null == lowerCaseOrigins || 0 == length)
        {
            return true;
        }
        for (int i = 0; i < lowerCaseOrigins.length; i++)
        {
            if (AsciiBytes.equalsLowerCase(buffer, offset, length, lowerCaseOrigins[i]))
            {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether every origin is allowed.
     *
     * @return true when no list was configured.
     */
    public boolean allowsAny()
    {
        return null == lowerCaseOrigins;
    }

    private static boolean isOrigin(final String origin)
    {
        final int schemeEnd = origin.indexOf("://");
        if (schemeEnd <= 0)
        {
            return false;
        }
        for (int i = 0; i < schemeEnd; i++)
        {
            final char c = origin.charAt(i);
            final boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
            if (!letter && (0 == i || !((c >= '0' && c <= '9') || '+' == c || '-' == c || '.' == c)))
            {
                return false;
            }
        }
        final int hostStart = schemeEnd + 3;
        final int portColon = origin.lastIndexOf(':');
        final boolean bracketed = hostStart < origin.length() && '[' == origin.charAt(hostStart);
        final int closeBracket = origin.lastIndexOf(']');
        final int hostEnd = portColon > hostStart && (!bracketed || portColon > closeBracket) ?
            portColon : origin.length();
        if (hostEnd == hostStart)
        {
            return false;
        }
        for (int i = hostStart; i < hostEnd; i++)
        {
            final char c = origin.charAt(i);
            if (c <= ' ' || c >= 0x7F || '/' == c || '?' == c || '#' == c || '@' == c || '\\' == c ||
                (':' == c && !bracketed))
            {
                return false;
            }
        }
        if (hostEnd < origin.length())
        {
            final int portLength = origin.length() - hostEnd - 1;
            if (portLength < 1 || portLength > 5)
            {
                return false;
            }
            for (int i = hostEnd + 1; i < origin.length(); i++)
            {
                final char c = origin.charAt(i);
                if (c < '0' || c > '9')
                {
                    return false;
                }
            }
        }
        return true;
    }

    private static String lowerCase(final String ascii)
    {
        final StringBuilder sb = new StringBuilder(ascii.length());
        for (int i = 0; i < ascii.length(); i++)
        {
            final char c = ascii.charAt(i);
            sb.append(c >= 'A' && c <= 'Z' ? (char)(c + 32) : c);
        }
        return sb.toString();
    }
}
