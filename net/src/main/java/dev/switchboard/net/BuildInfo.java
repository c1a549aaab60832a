package dev.switchboard.net;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * What was built and what runs it: the release version stamped into the jar at build time and the Java version
 * of the running JVM, for {@code --version}, the start-up log and the {@code build_info} metric.
 */
public final class BuildInfo
{
    private static final String RESOURCE = "build.properties";
    private static final String UNKNOWN = "unknown";
    private static final String VERSION = loadVersion();

    private BuildInfo()
    {
    }

    /**
     * The release version, such as {@code 0.1.0}, or {@code unknown} when the build stamp is missing.
     *
     * @return the version.
     */
    public static String version()
    {
        return VERSION;
    }

    /**
     * The running JVM's version, such as {@code 17.0.15}.
     *
     * @return the {@code java.version} system property.
     */
    public static String javaVersion()
    {
        return System.getProperty("java.version", UNKNOWN);
    }

    /**
     * The one line {@code --version} prints: name, version, and the JVM running it.
     *
     * @return the line, without a line break.
     */
    public static String versionLine()
    {
        return "switchboard " + VERSION + " (Java " + javaVersion() + ", " +
            System.getProperty("java.vm.name", UNKNOWN) + ", " + System.getProperty("java.vm.vendor", UNKNOWN) + ")";
    }

    private static String loadVersion()
    {
        final Properties properties = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream(RESOURCE))
        {
            if (null == in)
            {
                return UNKNOWN;
            }
            properties.load(in);
        }
        catch (final IOException ex)
        {
            return UNKNOWN;
        }
        final String version = properties.getProperty("version", UNKNOWN).trim();
        return version.isEmpty() || version.startsWith("${") ? UNKNOWN : version;
    }
}
