package dev.switchboard.engine.settings;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SettingsTableTest
{
    private static Class<?> javaType(final Setting setting)
    {
        return switch (setting.kind())
        {
            case INT -> int.class;
            case BOOLEAN -> boolean.class;
            default -> String.class;
        };
    }

    @Test
    void shouldDeclareEachSettingOnceWithAMeaningAndAModule()
    {
        final Set<String> names = new HashSet<>();
        final Set<String> flags = new HashSet<>();
        final Set<String> variables = new HashSet<>();
        for (final Setting setting : SettingsTable.all())
        {
            assertTrue(names.add(setting.name()), "declared twice: " + setting.name());
            assertTrue(flags.add(setting.flag()), "flag shared: " + setting.flag());
            assertTrue(variables.add(setting.env()), "variable shared: " + setting.env());
            assertTrue(setting.name().matches("[a-z][A-Za-z]*"), setting.name());
            assertTrue(setting.meaning().endsWith("."), "meaning is a sentence: " + setting.name());
            assertSame(setting, SettingsTable.named(setting.name()));
            assertEquals(setting, SettingsTable.all().get(setting.index()), "index is the position");
        }
        assertTrue(names.size() >= 74, "every setting of sections 12 and 13: " + names.size());
        assertNull(SettingsTable.named("noSuchSetting"));
    }

    @Test
    void shouldBackEveryDeclaredSettingWithATypedGetterAndBuilderMethod() throws Exception
    {
        final SwitchboardSettings defaults = SwitchboardSettings.defaults();
        for (final Setting setting : SettingsTable.all())
        {
            final Method getter = SwitchboardSettings.class.getMethod(setting.name());
            assertEquals(javaType(setting), getter.getReturnType(), setting.name());
            final Method setter = SwitchboardSettings.Builder.class.getMethod(setting.name(), javaType(setting));
            assertEquals(SwitchboardSettings.Builder.class, setter.getReturnType(), setting.name());

            final Object expectedDefault = switch (setting.kind())
            {
                case INT -> setting.intDefault();
                case BOOLEAN -> 0 != setting.intDefault();
                default -> setting.textDefault();
            };
            assertEquals(expectedDefault, getter.invoke(defaults), "default of " + setting.name());
        }
    }

    @Test
    void shouldStoreWhatTheTypedSetterSetsUnderTheDeclaredSlot() throws Exception
    {
        for (final Setting setting : SettingsTable.all())
        {
            if (Setting.Kind.INT != setting.kind())
            {
                continue;
            }
            final SwitchboardSettings.Builder builder = SwitchboardSettings.builder();
            final int other = setting.intDefault() == setting.max() ? setting.intDefault() - 1 : setting.intDefault() + 1;
            SwitchboardSettings.Builder.class.getMethod(setting.name(), int.class).invoke(builder, other);
            final SwitchboardSettings.Builder copy = SwitchboardSettings.defaults().toBuilder().set(setting, other);
            final Map<String, String> viaSetter = describeOrNull(builder);
            final Map<String, String> viaTable = describeOrNull(copy);
            assertEquals(viaTable, viaSetter, setting.name());
        }
    }

    private static Map<String, String> describeOrNull(final SwitchboardSettings.Builder builder)
    {
        try
        {
            return builder.build().describe();
        }
        catch (final IllegalArgumentException ex)
        {
            return Map.of("refused", ex.getMessage());
        }
    }

    @Test
    void shouldRefuseEachWholeNumberOutsideItsRangeNamingTheSetting()
    {
        for (final Setting setting : SettingsTable.all())
        {
            if (Setting.Kind.INT != setting.kind())
            {
                continue;
            }
            assertNull(setting.refusal(setting.intDefault()), setting.name() + " accepts its default");
            for (final long bad : new long[] {(long)setting.min() - 1, (long)setting.max() + 1})
            {
                if (bad < Integer.MIN_VALUE || bad > Integer.MAX_VALUE)
                {
                    continue;
                }
                final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                    () -> SwitchboardSettings.builder().set(setting, (int)bad).build(), setting.name() + "=" + bad);
                assertEquals(setting.name() + " must be between " + setting.min() + " and " + setting.max() +
                    ", got " + bad, ex.getMessage());
            }
        }
    }

    @Test
    void shouldRefuseBadTextNamingTheSetting()
    {
        final Map<Setting, String> bad = Map.of(
            SettingsTable.BIND_ADDRESS, " ",
            SettingsTable.TRUSTED_PROXIES, "proxy.example",
            SettingsTable.WAIT_STRATEGY, "sleepy",
            SettingsTable.REDIS_URL, "http://redis",
            SettingsTable.NODE_ID, "a b",
            SettingsTable.CLUSTER_SECRET, "short",
            SettingsTable.ADMIN_TOKEN, "short",
            SettingsTable.WEBHOOK_URL, "ftp://x",
            SettingsTable.ICE_SERVERS, "http://stun",
            SettingsTable.JWT_SECRET, "");
        for (final Map.Entry<Setting, String> e : bad.entrySet())
        {
            final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> SwitchboardSettings.builder().set(e.getKey(), e.getValue()).build(), e.getKey().name());
            assertTrue(ex.getMessage().startsWith(e.getKey().name() + " must "), ex.getMessage());
        }
        assertEquals("ringSize must be a power of two, got 1000", assertThrows(IllegalArgumentException.class,
            () -> SwitchboardSettings.builder().ringSize(1000).build()).getMessage());
    }

    @Test
    void shouldRefuseSettingsThatDoNotFitTogetherNamingBoth()
    {
        assertEquals("idleTimeoutSeconds must exceed pingIntervalSeconds, got 20 <= 20",
            assertThrows(IllegalArgumentException.class,
                () -> SwitchboardSettings.builder().idleTimeoutSeconds(20).build()).getMessage());
        assertEquals("ioCpus must list one CPU per thread (1), got \"0,1\"", assertThrows(IllegalArgumentException.class,
            () -> SwitchboardSettings.builder().ioCpus("0,1").build()).getMessage());
        assertEquals("gameStateEntryBurst must be at least maxPatchEntries, got 10 < 1024",
            assertThrows(IllegalArgumentException.class,
                () -> SwitchboardSettings.builder().gameStateEntryBurst(10).build()).getMessage());
    }

    @Test
    void shouldRefuseAValueOfTheWrongKindOrASettingOutsideTheTable()
    {
        assertThrows(IllegalArgumentException.class, () -> SwitchboardSettings.builder().set(SettingsTable.PORT, "x"));
        assertThrows(IllegalArgumentException.class, () -> SwitchboardSettings.builder().set(SettingsTable.NODE_ID, 1));
        final Setting stranger = Setting.integer("port", SettingModule.NET,
            SettingUnit.NONE, 1).range(0, 2).meaning("Not in the table.").declare(0);
        assertThrows(IllegalArgumentException.class, () -> SwitchboardSettings.builder().set(stranger, 1));
    }

    @Test
    void shouldDescribeEverySettingInTableOrderWithSecretsMasked()
    {
        final SwitchboardSettings settings = SwitchboardSettings.builder()
            .jwtSecret("0123456789abcdef0123456789abcdef").adminToken("0123456789abcdef")
            .webhookUrl("http://127.0.0.1:9/h").webhookSecret("hook-secret").turnSecret("turn-secret")
            .clusterSecret("0123456789abcdef0123456789abcdef").redisUrl("redis://user:pw@127.0.0.1:6379").build();

        final Map<String, String> described = settings.describe();
        final List<String> names = new ArrayList<>();
        SettingsTable.all().forEach(s -> names.add(s.name()));
        assertEquals(names, new ArrayList<>(described.keySet()));
        for (final Setting setting : SettingsTable.all())
        {
            if (setting.isSecret())
            {
                assertEquals("***", described.get(setting.name()), setting.name());
            }
        }
        assertEquals("redis://***@127.0.0.1:6379", described.get("redisUrl"));
        assertEquals("none", SwitchboardSettings.defaults().describe().get("jwtSecret"));
        assertFalse(described.toString().contains("0123456789abcdef"), "no secret leaks into the log line");
    }

    @Test
    void shouldSplitTheDescriptionByModuleWithoutLosingASetting()
    {
        final SwitchboardSettings settings = SwitchboardSettings.defaults();
        final Map<String, String> all = settings.describe();
        int total = 0;
        for (final SettingModule module : SettingModule.values())
        {
            final Map<String, String> part = settings.describe(module);
            total += part.size();
            for (final Map.Entry<String, String> e : part.entrySet())
            {
                assertEquals(all.get(e.getKey()), e.getValue());
                assertEquals(module, SettingsTable.named(e.getKey()).module());
            }
        }
        assertEquals(all.size(), total);
        assertNotNull(settings.describe(SettingModule.CLUSTER).get("redisUrl"));
        assertNull(settings.describe(SettingModule.ENGINE).get("port"), "port is a net setting");
    }

    @Test
    void shouldKeepTheOldDefaultConstantsEqualToTheTable()
    {
        assertEquals(SettingsTable.PORT.intDefault(), SwitchboardSettings.DEFAULT_PORT);
        assertEquals(8080, SwitchboardSettings.DEFAULT_PORT);
        assertEquals(65536, SwitchboardSettings.DEFAULT_REPLAY_WINDOW_BYTES);
        assertEquals(16384, SwitchboardSettings.DEFAULT_GAME_STATE_ENTRY_BURST);
    }
}
