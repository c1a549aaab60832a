package dev.switchboard.engine.metrics;

/**
 * Why a {@code game_state} patch was refused with {@code invalid_message}: the {@code reason} label of
 * {@code engine_game_state_refused_total}.
 */
public enum GameStateRefusal
{
    /** The patch carried more top-level keys than {@code maxPatchEntries}. */
    PATCH_ENTRIES("patch_entries"),
    /** The merged state would hold more top-level keys than {@code maxGameStateEntries}. */
    STATE_ENTRIES("state_entries"),
    /** The merged state would encode to more than {@code maxGameStateBytes}. */
    STATE_BYTES("state_bytes");

    private final String label;

    GameStateRefusal(final String label)
    {
        this.label = label;
    }

    /**
     * The metric label.
     *
     * @return a constant string.
     */
    public String label()
    {
        return label;
    }
}
