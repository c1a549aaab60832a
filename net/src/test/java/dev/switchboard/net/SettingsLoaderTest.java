package dev.switchboard.net;

import dev.switchboard.engine.settings.SwitchboardSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.ThrowingSupplier;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class SettingsLoaderTest
{
    private static final String[] NO_ARGS = {};

    @TempDir
    Path tempDir;

    private Path file(final String content) throws IOException
    {
        final Path path = Files.createTempFile(tempDir, "switchboard", ".properties");
        Files.writeString(path, content, StandardCharsets.UTF_8);
        return path;
    }

    private static Object get(final SwitchboardSettings settings, final String name) throws ReflectiveOperationException
    {
        return SwitchboardSettings.class.getMethod(name).invoke(settings);
    }

    private static boolean isBooleanSetting(final String name) throws NoSuchMethodException
    {
        return boolean.class == SwitchboardSettings.class.getMethod(name).getReturnType();
    }

    private static boolean isIntSetting(final String name) throws NoSuchMethodException
    {
        return int.class == SwitchboardSettings.class.getMethod(name).getReturnType();
    }

    /** A value other than the default that the settings accept, found without the loader by calling the builder. */
    private static String candidateValue(final String name) throws ReflectiveOperationException
    {
        final SwitchboardSettings defaults = SwitchboardSettings.defaults();
        final List<Object> candidates = new ArrayList<>();
        final Class<?> type;
        if (isIntSetting(name))
        {
            type = int.class;
            final int def = (Integer)get(defaults, name);
            candidates.add(def * 2);
            candidates.add(def + 1);
            candidates.add(def - 1);
        }
        else if (isBooleanSetting(name))
        {
            type = boolean.class;
            candidates.add(Boolean.TRUE);
            candidates.add(Boolean.FALSE);
        }
        else
        {
            type = String.class;
            candidates.add("value-of-" + name);
            candidates.add("value-of-" + name + "-long-enough-for-a-key-of-32-bytes"); // a secret
            candidates.add("http://127.0.0.1:9/hooks"); // a URL (webhookUrl)
            candidates.add("stun:stun.example.org:3478,turn:turn.example.org:3478"); // ICE server URLs
            candidates.add("yielding"); // an enumerated setting (waitStrategy)
            candidates.add("dedicated"); // an enumerated setting (threadingMode)
            candidates.add("0"); // a CPU list with one entry per default thread
            candidates.add("redis://127.0.0.1:6379"); // a URL (redisUrl)
            candidates.add("secret-of-at-least-32-bytes-for-" + name); // a secret with a minimum length
        }
        final Method setter = SwitchboardSettings.Builder.class.getMethod(name, type);
        for (final Object candidate : candidates)
        {
            final SwitchboardSettings.Builder builder = SwitchboardSettings.builder();
            setter.invoke(builder, candidate);
            try
            {
                final SwitchboardSettings built = builder.build();
                if (!candidate.equals(get(defaults, name)) && candidate.equals(get(built, name)))
                {
                    return String.valueOf(candidate);
                }
            }
            catch (final IllegalArgumentException ignore)
            {
                // try the next candidate
            }
        }
        fail("no non-default value found for " + name + "; extend candidateValue");
        return null;
    }

    private static void assertLoaded(
        final String name, final String value, final ThrowingSupplier<SwitchboardSettings> load, final String source)
        throws ReflectiveOperationException
    {
        final SwitchboardSettings loaded = assertDoesNotThrow(load, "the loader reads " + name + " from " + source);
        assertEquals(value, String.valueOf(get(loaded, name)), name + " from " + source);
        final Map<String, String> expected = SwitchboardSettings.defaults().describe();
        final Map<String, String> actual = loaded.describe();
        for (final String other : expected.keySet())
        {
            if (!other.equals(name))
            {
                assertEquals(expected.get(other), actual.get(other), other + " untouched when loading " + name);
            }
        }
    }

    @Test
    void shouldLoadEverySettingThatDescribeListsFromEachOfTheThreeSources() throws Exception
    {
        final Map<String, String> described = SwitchboardSettings.defaults().describe();
        assertTrue(described.size() >= 34, "describe lists every setting of section 12");
        for (final String name : described.keySet())
        {
            final String value = candidateValue(name);
            final String flag = SettingsLoader.flagOf(name);
            final String env = SettingsLoader.envOf(name);

            assertLoaded(name, value, () -> SettingsLoader.load(new String[]{ flag, value }, Map.of()),
                flag + " VALUE");
            assertLoaded(name, value, () -> SettingsLoader.load(new String[]{ flag + "=" + value }, Map.of()),
                flag + "=VALUE");
            assertLoaded(name, value, () -> SettingsLoader.load(NO_ARGS, Map.of(env, value)), env);
            final Path path = file(name + "=" + value + "\n");
            assertLoaded(name, value, () -> SettingsLoader.load(new String[]{ "--config", path.toString() }, Map.of()),
                "a file named by --config");
            assertLoaded(name, value, () -> SettingsLoader.load(NO_ARGS, Map.of("SWITCHBOARD_CONFIG", path.toString())),
                "a file named by SWITCHBOARD_CONFIG");

            final String usage = SettingsLoader.usage();
            assertTrue(usage.contains(flag + " "), "usage names " + flag);
            assertTrue(usage.contains(env + " "), "usage names " + env);
            assertTrue(usage.contains("default: " + described.get(name) + ")"), "usage gives the default of " + name);
        }
    }

    @Test
    void shouldDeriveFlagAndVariableNamesFromTheSettingName()
    {
        assertEquals("--hostless-room-seconds", SettingsLoader.flagOf("hostlessRoomSeconds"));
        assertEquals("SWITCHBOARD_HOSTLESS_ROOM_SECONDS", SettingsLoader.envOf("hostlessRoomSeconds"));
        assertEquals("--port", SettingsLoader.flagOf("port"));
        assertEquals("SWITCHBOARD_JWT_SECRET", SettingsLoader.envOf("jwtSecret"));
    }

    @Test
    void shouldLoadDefaultsWhenNothingIsGiven() throws Exception
    {
        final Map<String, String> env = new HashMap<>();
        env.put("PATH", "/usr/bin");
        env.put("HOME", "/root");
        env.put("SWITCHBOARDX", "ignored: no underscore after the prefix");
        assertEquals(SwitchboardSettings.defaults().describe(), SettingsLoader.load(NO_ARGS, env).describe());
    }

    @Test
    void shouldPreferFlagOverEnvironmentOverFile() throws Exception
    {
        final Path path = file("hostlessRoomSeconds=3\nresumeWindowSeconds=30\ndrainSeconds=7\n");
        final Map<String, String> env = Map.of(
            "SWITCHBOARD_CONFIG", path.toString(),
            "SWITCHBOARD_HOSTLESS_ROOM_SECONDS", "4",
            "SWITCHBOARD_RESUME_WINDOW_SECONDS", "40");

        final SwitchboardSettings settings = SettingsLoader.load(new String[]{ "--hostless-room-seconds", "5" }, env);

        assertEquals(5, settings.hostlessRoomSeconds(), "flag beats environment and file");
        assertEquals(40, settings.resumeWindowSeconds(), "environment beats file");
        assertEquals(7, settings.drainSeconds(), "file beats default");
        assertEquals(SwitchboardSettings.DEFAULT_PORT, settings.port(), "default when given nowhere");
    }

    @Test
    void shouldPreferConfigFlagOverConfigVariable() throws Exception
    {
        final Path fromFlag = file("drainSeconds=1\n");
        final Path fromEnv = file("drainSeconds=2\n");

        final SwitchboardSettings settings = SettingsLoader.load(
            new String[]{ "--config=" + fromFlag }, Map.of("SWITCHBOARD_CONFIG", fromEnv.toString()));

        assertEquals(1, settings.drainSeconds());
    }

    @Test
    void shouldLoadStringSettingsVerbatim() throws Exception
    {
        final SwitchboardSettings settings = SettingsLoader.load(
            new String[]{ "--jwt-secret=a=b=c-that-is-long-enough-for-hs256-keys", "--allowed-origins", "https://a.example,https://b.example" },
            Map.of("SWITCHBOARD_BIND_ADDRESS", "127.0.0.1"));

        assertEquals("a=b=c-that-is-long-enough-for-hs256-keys", settings.jwtSecret());
        assertEquals("https://a.example,https://b.example", settings.allowedOrigins());
        assertEquals("127.0.0.1", settings.bindAddress());
    }

    @Test
    void shouldLoadStringSettingsFromFileWithPropertiesEscapes() throws Exception
    {
        final Path path = file("# comment\njwtSecret = s\\u00e9cret with spaces-that-is-long-enough-for-hs256-keys\nallowedOrigins=https://x.example\n" +
            "bindAddress=::1\n");

        final SwitchboardSettings settings = SettingsLoader.load(new String[]{ "--config", path.toString() }, Map.of());

        assertEquals("s\u00e9cret with spaces-that-is-long-enough-for-hs256-keys", settings.jwtSecret());
        assertEquals("https://x.example", settings.allowedOrigins());
        assertEquals("::1", settings.bindAddress());
    }

    @Test
    void shouldTrimWhitespaceAroundNumbers() throws Exception
    {
        final Path path = file("tickMillis = 20  \n");
        assertEquals(20, SettingsLoader.load(new String[]{ "--config", path.toString() }, Map.of()).tickMillis());
        assertEquals(21, SettingsLoader.load(NO_ARGS, Map.of("SWITCHBOARD_TICK_MILLIS", " 21\n")).tickMillis());
    }

    @Test
    void shouldNameSettingValueAndFlagWhenTheSettingsRejectAValue()
    {
        final SettingsException ex = assertThrows(SettingsException.class,
            () -> SettingsLoader.load(new String[]{ "--tick-millis", "40" }, Map.of()));

        assertEquals("tickMillis must be between 16 and 33, got 40 (from --tick-millis)", ex.getMessage());
        assertEquals("tickMillis", ex.settingName());
    }

    @Test
    void shouldNameTheVariableOrFileWhenTheSettingsRejectAValue() throws Exception
    {
        final SettingsException fromEnv = assertThrows(SettingsException.class,
            () -> SettingsLoader.load(NO_ARGS, Map.of("SWITCHBOARD_PORT", "70000")));
        assertEquals("port must be between 0 and 65535, got 70000 (from SWITCHBOARD_PORT)", fromEnv.getMessage());

        final Path path = file("ringSize=1000\n");
        final SettingsException fromFile = assertThrows(SettingsException.class,
            () -> SettingsLoader.load(new String[]{ "--config", path.toString() }, Map.of()));
        assertEquals("ringSize must be a power of two, got 1000 (from key ringSize in file '" + path + "')",
            fromFile.getMessage());
        assertEquals("ringSize", fromFile.settingName());
    }

    @Test
    void shouldNameEverySettingOfACrossSettingRejection()
    {
        final SettingsException ex = assertThrows(SettingsException.class, () -> SettingsLoader.load(
            new String[]{ "--low-watermark-bytes", "2000000" }, Map.of()));

        assertEquals("lowWatermarkBytes must be below highWatermarkBytes, got 2000000 >= 1048576 " +
            "(lowWatermarkBytes from --low-watermark-bytes; highWatermarkBytes default)", ex.getMessage());
        assertEquals("lowWatermarkBytes", ex.settingName());
    }

    @Test
    void shouldRejectEmptyJwtSecretWithoutEchoingSecrets()
    {
        final SettingsException ex = assertThrows(SettingsException.class,
            () -> SettingsLoader.load(NO_ARGS, Map.of("SWITCHBOARD_JWT_SECRET", "")));

        assertEquals("jwtSecret must not be empty when set (from SWITCHBOARD_JWT_SECRET)", ex.getMessage());
    }

    @Test
    void shouldRejectAJwtSecretShorterThan32BytesWithAClearMessage()
    {
        final SettingsException ex = assertThrows(SettingsException.class,
            () -> SettingsLoader.load(NO_ARGS, Map.of("SWITCHBOARD_JWT_SECRET", "x")));

        assertEquals("jwtSecret must be at least 32 bytes (HS256 keys shorter than the hash are guessable), " +
            "got 1 (from SWITCHBOARD_JWT_SECRET)", ex.getMessage());
        assertEquals("jwtSecret", ex.settingName());
        assertDoesNotThrow(() -> SettingsLoader.load(NO_ARGS,
            Map.of("SWITCHBOARD_JWT_SECRET", "0123456789abcdef0123456789abcdef")), "32 bytes are enough");
    }

    @Test
    void shouldLoadBooleanSettingsAndRejectOtherWords() throws Exception
    {
        assertTrue(SettingsLoader.load(new String[]{ "--require-auth", "true" }, Map.of()).requireAuth());
        assertFalse(SettingsLoader.load(NO_ARGS, Map.of("SWITCHBOARD_PUBLIC_HARNESS", "FALSE")).publicHarness());
        final SettingsException ex = assertThrows(SettingsException.class,
            () -> SettingsLoader.load(new String[]{ "--require-auth", "yes" }, Map.of()));
        assertEquals("requireAuth must be true or false, got 'yes' (from --require-auth)", ex.getMessage());
        assertEquals("requireAuth", ex.settingName());
    }

    @Test
    void shouldRejectUnknownFlagAndSuggestTheNearestOne()
    {
        final SettingsException ex = assertThrows(SettingsException.class,
            () -> SettingsLoader.load(new String[]{ "--tick-milis", "20" }, Map.of()));

        assertEquals("unknown flag --tick-milis; did you mean --tick-millis?", ex.getMessage());
        assertEquals("--tick-milis", ex.settingName());

        final SettingsException far = assertThrows(SettingsException.class,
            () -> SettingsLoader.load(new String[]{ "--verbose=true" }, Map.of()));
        assertEquals("unknown flag --verbose; see --help", far.getMessage());
    }

    @Test
    void shouldRejectArgumentThatIsNotAFlag()
    {
        final SettingsException ex = assertThrows(SettingsException.class,
            () -> SettingsLoader.load(new String[]{ "--port", "9000", "9001" }, Map.of()));

        assertTrue(ex.getMessage().startsWith("unexpected argument '9001'"), ex.getMessage());
        assertThrows(SettingsException.class, () -> SettingsLoader.load(new String[]{ "-port", "1" }, Map.of()));
        assertThrows(SettingsException.class, () -> SettingsLoader.load(new String[]{ "--" }, Map.of()));
    }

    @Test
    void shouldRejectFlagWithoutValue()
    {
        final SettingsException atEnd = assertThrows(SettingsException.class,
            () -> SettingsLoader.load(new String[]{ "--port" }, Map.of()));
        assertEquals("port has no value (from --port): give --port VALUE or --port=VALUE", atEnd.getMessage());
        assertEquals("port", atEnd.settingName());

        final SettingsException beforeFlag = assertThrows(SettingsException.class,
            () -> SettingsLoader.load(new String[]{ "--jwt-secret", "--port", "1" }, Map.of()));
        assertEquals("jwtSecret", beforeFlag.settingName());

        final SettingsException config = assertThrows(SettingsException.class,
            () -> SettingsLoader.load(new String[]{ "--config" }, Map.of()));
        assertEquals("config", config.settingName());
    }

    @Test
    void shouldRejectFlagGivenTwice()
    {
        final SettingsException ex = assertThrows(SettingsException.class,
            () -> SettingsLoader.load(new String[]{ "--port", "1", "--port=2" }, Map.of()));

        assertEquals("port is given twice (from --port)", ex.getMessage());
    }

    @Test
    void shouldRejectNonNumberForNumericSettingFromEachSource() throws Exception
    {
        final SettingsException flag = assertThrows(SettingsException.class,
            () -> SettingsLoader.load(new String[]{ "--max-queue", "lots" }, Map.of()));
        assertEquals("maxQueue must be a whole number, got 'lots' (from --max-queue)", flag.getMessage());
        assertEquals("maxQueue", flag.settingName());

        final SettingsException env = assertThrows(SettingsException.class,
            () -> SettingsLoader.load(NO_ARGS, Map.of("SWITCHBOARD_MAX_QUEUE", "1.5")));
        assertEquals("maxQueue must be a whole number, got '1.5' (from SWITCHBOARD_MAX_QUEUE)", env.getMessage());

        final Path path = file("maxQueue=99999999999\n");
        final SettingsException inFile = assertThrows(SettingsException.class,
            () -> SettingsLoader.load(new String[]{ "--config", path.toString() }, Map.of()));
        assertEquals("maxQueue must be a whole number, got '99999999999' (from key maxQueue in file '" + path + "')",
            inFile.getMessage());

        assertThrows(SettingsException.class, () -> SettingsLoader.load(new String[]{ "--port=" }, Map.of()));
    }

    @Test
    void shouldRejectNonNumberEvenWhenAHigherSourceOverridesIt() throws Exception
    {
        final Path path = file("maxQueue=oops\n");

        final SettingsException ex = assertThrows(SettingsException.class, () -> SettingsLoader.load(
            new String[]{ "--config", path.toString(), "--max-queue", "5" }, Map.of()));

        assertEquals("maxQueue", ex.settingName());
    }

    @Test
    void shouldRejectUnknownSwitchboardVariable()
    {
        final SettingsException ex = assertThrows(SettingsException.class,
            () -> SettingsLoader.load(NO_ARGS, Map.of("SWITCHBOARD_TICK_MILIS", "20")));

        assertEquals("unknown environment variable SWITCHBOARD_TICK_MILIS; did you mean SWITCHBOARD_TICK_MILLIS?",
            ex.getMessage());
        assertEquals("SWITCHBOARD_TICK_MILIS", ex.settingName());

        final SettingsException config = assertThrows(SettingsException.class,
            () -> SettingsLoader.load(NO_ARGS, Map.of("SWITCHBOARD_CONFG", "x")));
        assertTrue(config.getMessage().endsWith("did you mean SWITCHBOARD_CONFIG?"), config.getMessage());
    }

    @Test
    void shouldRejectUnknownKeyInFile() throws Exception
    {
        final Path path = file("port=9000\nhostless_room_seconds=5\n");

        final SettingsException ex = assertThrows(SettingsException.class,
            () -> SettingsLoader.load(new String[]{ "--config", path.toString() }, Map.of()));

        assertEquals("unknown key hostless_room_seconds in config file '" + path +
            "'; did you mean hostlessRoomSeconds?", ex.getMessage());
        assertEquals("hostless_room_seconds", ex.settingName());
    }

    @Test
    void shouldRejectMissingConfigFile()
    {
        final String missing = tempDir.resolve("absent.properties").toString();

        final SettingsException fromFlag = assertThrows(SettingsException.class,
            () -> SettingsLoader.load(new String[]{ "--config", missing }, Map.of()));
        assertTrue(fromFlag.getMessage().startsWith(
            "config file '" + missing + "' cannot be read (from --config): "), fromFlag.getMessage());
        assertEquals("config", fromFlag.settingName());

        final SettingsException fromEnv = assertThrows(SettingsException.class,
            () -> SettingsLoader.load(NO_ARGS, Map.of("SWITCHBOARD_CONFIG", missing)));
        assertTrue(fromEnv.getMessage().contains("(from SWITCHBOARD_CONFIG)"), fromEnv.getMessage());

        assertThrows(SettingsException.class, () -> SettingsLoader.load(new String[]{ "--config=" }, Map.of()));
    }

    @Test
    void shouldRejectUnreadableConfigFile() throws Exception
    {
        final SettingsException directory = assertThrows(SettingsException.class,
            () -> SettingsLoader.load(new String[]{ "--config", tempDir.toString() }, Map.of()));
        assertEquals("config", directory.settingName());

        final Path notUtf8 = tempDir.resolve("latin1.properties");
        Files.write(notUtf8, new byte[]{ 'j', 'w', 't', 'S', 'e', 'c', 'r', 'e', 't', '=', (byte)0xE9, '\n' });
        final SettingsException encoding = assertThrows(SettingsException.class,
            () -> SettingsLoader.load(new String[]{ "--config", notUtf8.toString() }, Map.of()));
        assertEquals("config", encoding.settingName());
    }

    @Test
    void shouldSkipHelpFlagsWhenLoadingAndReportThemThroughWantsHelp() throws Exception
    {
        assertTrue(SettingsLoader.wantsHelp(new String[]{ "--help" }));
        assertTrue(SettingsLoader.wantsHelp(new String[]{ "--port", "1", "-h" }));
        assertTrue(SettingsLoader.wantsHelp(new String[]{ "--port=1", "--help" }));
        assertFalse(SettingsLoader.wantsHelp(NO_ARGS));
        assertFalse(SettingsLoader.wantsHelp(new String[]{ "--port", "1" }));
        assertFalse(SettingsLoader.wantsHelp(new String[]{ "--jwt-secret", "-h" }), "-h is the secret's value here");

        assertEquals(7, SettingsLoader.load(new String[]{ "-h", "--drain-seconds", "7", "--help" }, Map.of())
            .drainSeconds());
        final SettingsException shortSecret = assertThrows(SettingsException.class,
            () -> SettingsLoader.load(new String[]{ "--jwt-secret", "-h" }, Map.of()));
        assertEquals("jwtSecret", shortSecret.settingName(), "-h is read as the (too short) secret, not as help");
    }

    @Test
    void shouldDescribeConfigAndHelpInUsage()
    {
        final String usage = SettingsLoader.usage();

        assertTrue(usage.contains("--config FILE"));
        assertTrue(usage.contains("SWITCHBOARD_CONFIG"));
        assertTrue(usage.contains("--help, -h"));
        assertTrue(usage.contains("--tick-millis N   SWITCHBOARD_TICK_MILLIS   (file: tickMillis, default: 16)\n" +
            "      Coalescing tick in milliseconds, 16 to 33.\n"), usage);
        assertTrue(usage.contains("--jwt-secret TEXT"));
        assertNotEquals(-1, usage.indexOf("default: none"));
    }

    @Test
    void shouldRejectBlankBindAddress()
    {
        final SettingsException ex = assertThrows(SettingsException.class,
            () -> SettingsLoader.load(new String[]{ "--bind-address", " " }, Map.of()));
        assertEquals("bindAddress must not be empty (from --bind-address)", ex.getMessage());
        assertEquals("bindAddress", ex.settingName());
    }
}
