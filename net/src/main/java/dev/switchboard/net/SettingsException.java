package dev.switchboard.net;

/** A setting could not be loaded: the message names the setting, the bad value and where it came from. */
public final class SettingsException extends Exception
{
    private static final long serialVersionUID = 1L;

    private final String settingName;

    /**
     * Create the exception.
     *
     * @param settingName the setting, flag, variable or key at fault.
     * @param message     the full message for the operator.
     */
    public SettingsException(final String settingName, final String message)
    {
        super(message);
        this.settingName = settingName;
    }

    /**
     * The setting at fault; for an unknown flag, variable or key, the text as given.
     *
     * @return the name.
     */
    public String settingName()
    {
        return settingName;
    }
}
