package dev.switchboard.engine.settings;

import java.util.Map;
import java.util.Objects;

/**
 * The settings of one module, Aeron-context style: set the validated {@link SwitchboardSettings}, call
 * {@code conclude()} once, then read. {@code conclude()} converts every duration of the module to nanoseconds
 * and milliseconds once, so no caller multiplies by 1000 in a loop, and reading a setting of another module or
 * before {@code conclude()} fails fast.
 */
public abstract class ModuleSettings
{
    private final SettingModule module;
    private SwitchboardSettings settings;
    private long[] nanos;

    protected ModuleSettings(final SettingModule module)
    {
        this.module = module;
    }

    /**
     * The module this context carries.
     *
     * @return the module.
     */
    public final SettingModule module()
    {
        return module;
    }

    /**
     * Use these settings; defaults are used when none are given before {@code conclude()}.
     *
     * @param settings validated settings.
     */
    protected final void use(final SwitchboardSettings settings)
    {
        if (null != nanos)
        {
            throw new IllegalStateException(module.label() + " settings are already concluded");
        }
        this.settings = Objects.requireNonNull(settings);
    }

    /** Check the module's values and convert every duration once; a second call fails. */
    protected final void concludeValues()
    {
        if (null != nanos)
        {
            throw new IllegalStateException(module.label() + " settings are already concluded");
        }
        if (null == settings)
        {
            settings = SwitchboardSettings.defaults();
        }
        final long[] converted = new long[SettingsTable.all().size()];
        for (final Setting setting : SettingsTable.all())
        {
            if (setting.module() == module && setting.unit().isTime())
            {
                converted[setting.index()] = setting.unit().toNanos(settings.intValue(setting));
            }
        }
        nanos = converted;
    }

    /**
     * The whole settings these were concluded from.
     *
     * @return the settings.
     */
    public final SwitchboardSettings settings()
    {
        concluded();
        return settings;
    }

    /**
     * A whole number of this module.
     *
     * @param setting a setting of this module.
     * @return its value in its declared unit.
     */
    public final int intValue(final Setting setting)
    {
        return settings.intValue(own(setting));
    }

    /**
     * A text value of this module.
     *
     * @param setting a setting of this module.
     * @return its value, or null for none.
     */
    public final String textValue(final Setting setting)
    {
        return settings.textValue(own(setting));
    }

    /**
     * A true-or-false value of this module.
     *
     * @param setting a setting of this module.
     * @return its value.
     */
    public final boolean booleanValue(final Setting setting)
    {
        return settings.booleanValue(own(setting));
    }

    /**
     * A duration of this module in nanoseconds, converted once by {@code conclude()}.
     *
     * @param setting a setting of this module given in seconds or milliseconds.
     * @return nanoseconds.
     */
    public final long nanos(final Setting setting)
    {
        if (!own(setting).unit().isTime())
        {
            throw new IllegalArgumentException(setting.name() + " is not a duration");
        }
        return nanos[setting.index()];
    }

    /**
     * A duration of this module in milliseconds.
     *
     * @param setting a setting of this module given in seconds or milliseconds.
     * @return milliseconds.
     */
    public final long millis(final Setting setting)
    {
        return nanos(setting) / 1_000_000L;
    }

    /**
     * This module's settings as the start-up log prints them.
     *
     * @return name to printable value.
     */
    public final Map<String, String> describe()
    {
        return settings().describe(module);
    }

    private Setting own(final Setting setting)
    {
        concluded();
        if (setting.module() != module)
        {
            throw new IllegalArgumentException(setting.name() + " belongs to the " + setting.module().label() +
                " settings, not the " + module.label() + " settings");
        }
        return setting;
    }

    private void concluded()
    {
        if (null == nanos)
        {
            throw new IllegalStateException(module.label() + " settings are read before conclude()");
        }
    }
}
