package dev.switchboard.engine.settings;

import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * One setting declared once: name, kind, default, range or rule, unit, module, meaning and whether it is secret.
 * <p>
 * Everything else is derived from the declaration: its flag ({@code --tick-millis}), environment variable
 * ({@code SWITCHBOARD_TICK_MILLIS}) and file key ({@code tickMillis}), its validation and message, its line in
 * {@code --help}, the start-up log, the distribution's config template and the README's settings table.
 */
public final class Setting
{
    /** Prefix of every setting's environment variable. */
    public static final String ENV_PREFIX = "SWITCHBOARD_";

    /** How a setting's value is written and stored. */
    public enum Kind
    {
        /** A whole number with a range. */
        INT,
        /** Text; null means "none". */
        TEXT,
        /** {@code true} or {@code false}. */
        BOOLEAN
    }

    /** An extra rule on a whole number, checked after its range. */
    @FunctionalInterface
    public interface IntRule
    {
        /**
         * Why the value is refused, as the words after the setting's name, or null to accept it.
         *
         * @param value the value.
         * @return for example {@code "must be a power of two, got 1000"}, or null.
         */
        String refusal(int value);
    }

    /** A rule on a text value (null when the setting is unset). */
    @FunctionalInterface
    public interface TextRule
    {
        /**
         * Why the value is refused, as the words after the setting's name, or null to accept it.
         *
         * @param value the value, or null when unset.
         * @return for example {@code "must not be empty"}, or null.
         */
        String refusal(String value);
    }

    private final int index;
    private final String name;
    private final Kind kind;
    private final SettingModule module;
    private final SettingUnit unit;
    private final int intDefault;
    private final String textDefault;
    private final int min;
    private final int max;
    private final String meaning;
    private final boolean secret;
    private final IntRule intRule;
    private final TextRule textRule;
    private final UnaryOperator<String> display;

    private Setting(final Spec spec, final int index)
    {
        this.index = index;
        this.name = spec.name;
        this.kind = spec.kind;
        this.module = spec.module;
        this.unit = spec.unit;
        this.intDefault = spec.intDefault;
        this.textDefault = spec.textDefault;
        this.min = spec.min;
        this.max = spec.max;
        this.meaning = Objects.requireNonNull(spec.meaning, () -> name + " has no meaning");
        this.secret = spec.secret;
        this.intRule = spec.intRule;
        this.textRule = spec.textRule;
        this.display = spec.display;
        if (Kind.INT == kind && min > max)
        {
            throw new IllegalStateException(name + " has no range");
        }
    }

    /**
     * Start declaring a whole-number setting.
     *
     * @param name         the setting's name in lower camel case, also its file key.
     * @param module       the module it configures.
     * @param unit         the unit its value is given in.
     * @param defaultValue its default.
     * @return a declaration to finish with {@link Spec#range(int, int)}, maybe {@link Spec#intRule(IntRule)}, and
     *     {@link Spec#meaning(String)}.
     */
    public static Spec integer(
        final String name, final SettingModule module, final SettingUnit unit, final int defaultValue)
    {
        final Spec spec = new Spec(name, Kind.INT, module);
        spec.unit = unit;
        spec.intDefault = defaultValue;
        spec.min = 1;
        spec.max = 0;
        return spec;
    }

    /**
     * Start declaring a text setting.
     *
     * @param name         the setting's name in lower camel case, also its file key.
     * @param module       the module it configures.
     * @param defaultValue its default, or null for none.
     * @return a declaration to finish with {@link Spec#meaning(String)}.
     */
    public static Spec text(final String name, final SettingModule module, final String defaultValue)
    {
        final Spec spec = new Spec(name, Kind.TEXT, module);
        spec.textDefault = defaultValue;
        return spec;
    }

    /**
     * Start declaring a true-or-false setting.
     *
     * @param name         the setting's name in lower camel case, also its file key.
     * @param module       the module it configures.
     * @param defaultValue its default.
     * @return a declaration to finish with {@link Spec#meaning(String)}.
     */
    public static Spec bool(final String name, final SettingModule module, final boolean defaultValue)
    {
        final Spec spec = new Spec(name, Kind.BOOLEAN, module);
        spec.intDefault = defaultValue ? 1 : 0;
        return spec;
    }

    /**
     * Position in the table, the index of the setting's value slot.
     *
     * @return zero-based index.
     */
    public int index()
    {
        return index;
    }

    /**
     * Name in lower camel case; also the properties-file key.
     *
     * @return the name.
     */
    public String name()
    {
        return name;
    }

    /**
     * How the value is written and stored.
     *
     * @return the kind.
     */
    public Kind kind()
    {
        return kind;
    }

    /**
     * The module whose context carries the setting.
     *
     * @return the module.
     */
    public SettingModule module()
    {
        return module;
    }

    /**
     * Unit of a whole number, {@link SettingUnit#NONE} for text and true-or-false.
     *
     * @return the unit.
     */
    public SettingUnit unit()
    {
        return unit;
    }

    /**
     * One sentence on what the setting does.
     *
     * @return the meaning.
     */
    public String meaning()
    {
        return meaning;
    }

    /**
     * Whether the value is masked in logs and descriptions.
     *
     * @return true for secrets.
     */
    public boolean isSecret()
    {
        return secret;
    }

    /**
     * Least accepted whole number.
     *
     * @return the minimum (meaningless for other kinds).
     */
    public int min()
    {
        return min;
    }

    /**
     * Greatest accepted whole number.
     *
     * @return the maximum (meaningless for other kinds).
     */
    public int max()
    {
        return max;
    }

    /**
     * Default of a whole number, or 1 / 0 for true / false.
     *
     * @return the default.
     */
    public int intDefault()
    {
        return intDefault;
    }

    /**
     * Default of a text setting.
     *
     * @return the default, or null for none.
     */
    public String textDefault()
    {
        return textDefault;
    }

    /**
     * The accepted range of a whole number as {@code --help} prints it.
     *
     * @return {@code "16 to 33"}, or null for other kinds.
     */
    public String range()
    {
        return Kind.INT == kind ? min + " to " + max : null;
    }

    /**
     * The command-line flag, {@code --} and the name in kebab case.
     *
     * @return for example {@code --hostless-room-seconds}.
     */
    public String flag()
    {
        return flagOf(name);
    }

    /**
     * The environment variable, {@code SWITCHBOARD_} and the name in upper snake case.
     *
     * @return for example {@code SWITCHBOARD_HOSTLESS_ROOM_SECONDS}.
     */
    public String env()
    {
        return envOf(name);
    }

    /**
     * Why a whole number is refused: its range, then its rule.
     *
     * @param value the value.
     * @return the full message naming the setting, or null when accepted.
     */
    public String refusal(final int value)
    {
        if (value < min || value > max)
        {
            return name + " must be between " + min + " and " + max + ", got " + value;
        }
        final String why = null == intRule ? null : intRule.refusal(value);
        return null == why ? null : name + ' ' + why;
    }

    /**
     * Why a text value is refused by the setting's rule.
     *
     * @param value the value, or null when unset.
     * @return the full message naming the setting, or null when accepted.
     */
    public String refusal(final String value)
    {
        final String why = null == textRule ? null : textRule.refusal(value);
        return null == why ? null : name + ' ' + why;
    }

    /**
     * A whole-number or true-or-false value as the start-up log prints it.
     *
     * @param value the stored value.
     * @return the printable value.
     */
    public String format(final int value)
    {
        return Kind.BOOLEAN == kind ? String.valueOf(0 != value) : String.valueOf(value);
    }

    /**
     * A text value as the start-up log prints it: {@code none} when unset, {@code ***} for a secret.
     *
     * @param value the stored value, or null.
     * @return the printable value.
     */
    public String format(final String value)
    {
        if (null == value)
        {
            return "none";
        }
        return secret ? "***" : display.apply(value);
    }

    /**
     * The default as the start-up log prints it.
     *
     * @return the printable default.
     */
    public String formatDefault()
    {
        return Kind.TEXT == kind ? format(textDefault) : format(intDefault);
    }

    /**
     * The flag of a setting name, {@code --} and the name in kebab case.
     *
     * @param settingName a setting name such as {@code hostlessRoomSeconds}.
     * @return the flag such as {@code --hostless-room-seconds}.
     */
    public static String flagOf(final String settingName)
    {
        final StringBuilder sb = new StringBuilder(settingName.length() + 8).append("--");
        for (int i = 0; i < settingName.length(); i++)
        {
            final char c = settingName.charAt(i);
            if (Character.isUpperCase(c))
            {
                sb.append('-').append(Character.toLowerCase(c));
            }
            else
            {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /**
     * The environment variable of a setting name, {@code SWITCHBOARD_} and the name in upper snake case.
     *
     * @param settingName a setting name such as {@code hostlessRoomSeconds}.
     * @return the variable such as {@code SWITCHBOARD_HOSTLESS_ROOM_SECONDS}.
     */
    public static String envOf(final String settingName)
    {
        final StringBuilder sb = new StringBuilder(settingName.length() + 20).append(ENV_PREFIX);
        for (int i = 0; i < settingName.length(); i++)
        {
            final char c = settingName.charAt(i);
            if (Character.isUpperCase(c))
            {
                sb.append('_').append(c);
            }
            else
            {
                sb.append(Character.toUpperCase(c));
            }
        }
        return sb.toString();
    }

    @Override
    public String toString()
    {
        return name;
    }

    /** A declaration being written; {@link #declare(int)} freezes it into a {@link Setting}. */
    public static final class Spec
    {
        private final String name;
        private final Kind kind;
        private final SettingModule module;
        private SettingUnit unit = SettingUnit.NONE;
        private int intDefault;
        private String textDefault;
        private int min;
        private int max;
        private String meaning;
        private boolean secret;
        private IntRule intRule;
        private TextRule textRule;
        private UnaryOperator<String> display = UnaryOperator.identity();

        private Spec(final String name, final Kind kind, final SettingModule module)
        {
            this.name = Objects.requireNonNull(name);
            this.kind = kind;
            this.module = Objects.requireNonNull(module);
        }

        /**
         * The accepted range of a whole number, both ends included.
         *
         * @param min least value.
         * @param max greatest value.
         * @return this declaration.
         */
        public Spec range(final int min, final int max)
        {
            this.min = min;
            this.max = max;
            return this;
        }

        /**
         * A rule a whole number must also meet after its range.
         *
         * @param rule the rule.
         * @return this declaration.
         */
        public Spec intRule(final IntRule rule)
        {
            this.intRule = rule;
            return this;
        }

        /**
         * The rule a text value must meet (it sees null when the setting is unset).
         *
         * @param rule the rule.
         * @return this declaration.
         */
        public Spec rule(final TextRule rule)
        {
            this.textRule = rule;
            return this;
        }

        /**
         * Mark the value secret: it is printed as {@code ***}.
         *
         * @return this declaration.
         */
        public Spec secret()
        {
            this.secret = true;
            return this;
        }

        /**
         * How a set value is printed in the start-up log, for example with a password masked.
         *
         * @param display the printer.
         * @return this declaration.
         */
        public Spec display(final UnaryOperator<String> display)
        {
            this.display = Objects.requireNonNull(display);
            return this;
        }

        /**
         * One sentence on what the setting does, for {@code --help}, the template and the README.
         *
         * @param meaning the sentence.
         * @return this declaration.
         */
        public Spec meaning(final String meaning)
        {
            this.meaning = meaning;
            return this;
        }

        /**
         * Freeze the declaration.
         *
         * @param index the setting's position in the table.
         * @return the setting.
         */
        public Setting declare(final int index)
        {
            return new Setting(this, index);
        }
    }
}
