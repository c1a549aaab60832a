package dev.switchboard.engine.flow;

import dev.switchboard.engine.settings.SwitchboardSettings;
import org.junit.jupiter.api.Test;

import static dev.switchboard.engine.flow.WatermarkPolicy.ENTER_DROP_MODE;
import static dev.switchboard.engine.flow.WatermarkPolicy.LEAVE_DROP_MODE;
import static dev.switchboard.engine.flow.WatermarkPolicy.NONE;
import static dev.switchboard.engine.flow.WatermarkPolicy.SLOW_CONSUMER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WatermarkPolicyTest
{
    private static final long HIGH = 1_048_576;
    private static final long LOW = 262_144;
    private static final long SLOW = 8_388_608;

    private final WatermarkPolicy policy = new WatermarkPolicy(SwitchboardSettings.defaults());

    @Test
    void shouldEnterDropModeOnlyOverTheHighWatermark()
    {
        assertEquals(NONE, policy.onBufferedChanged(HIGH));
        assertFalse(policy.isDropMode());
        assertEquals(ENTER_DROP_MODE, policy.onBufferedChanged(HIGH + 1));
        assertTrue(policy.isDropMode());
        assertEquals(NONE, policy.onBufferedChanged(HIGH + 2));
    }

    @Test
    void shouldStayInDropModeBetweenLowAndHigh()
    {
        policy.onBufferedChanged(HIGH + 1);

        assertEquals(NONE, policy.onBufferedChanged(HIGH - 1));
        assertEquals(NONE, policy.onBufferedChanged(LOW));
        assertTrue(policy.isDropMode());
        assertEquals(LEAVE_DROP_MODE, policy.onBufferedChanged(LOW - 1));
        assertFalse(policy.isDropMode());
        assertEquals(NONE, policy.onBufferedChanged(LOW - 1));
    }

    @Test
    void shouldNotReenterDropModeBetweenLowAndHighAfterLeaving()
    {
        policy.onBufferedChanged(HIGH + 1);
        policy.onBufferedChanged(0);

        assertEquals(NONE, policy.onBufferedChanged(HIGH));
        assertFalse(policy.isDropMode());
        assertEquals(ENTER_DROP_MODE, policy.onBufferedChanged(HIGH + 1));
    }

    @Test
    void shouldDropOnlyDroppableFramesInDropMode()
    {
        assertFalse(policy.shouldDrop(true));
        assertFalse(policy.shouldDrop(false));

        policy.onBufferedChanged(HIGH + 1);

        assertTrue(policy.shouldDrop(true));
        assertFalse(policy.shouldDrop(false));
    }

    @Test
    void shouldCountDropsPerEpisode()
    {
        policy.onBufferedChanged(HIGH + 1);
        policy.onDropped();
        policy.onDropped();
        policy.onDropped();

        assertEquals(LEAVE_DROP_MODE, policy.onBufferedChanged(0));
        assertEquals(3, policy.droppedInEpisode());

        assertEquals(ENTER_DROP_MODE, policy.onBufferedChanged(HIGH + 1));
        assertEquals(0, policy.droppedInEpisode());
    }

    @Test
    void shouldReportSlowConsumerOnceOverTheLimit()
    {
        policy.onBufferedChanged(HIGH + 1);

        assertEquals(NONE, policy.onBufferedChanged(SLOW));
        assertEquals(SLOW_CONSUMER, policy.onBufferedChanged(SLOW + 1));
        assertTrue(policy.isSlowConsumer());
        assertEquals(NONE, policy.onBufferedChanged(SLOW + 2));
        assertEquals(NONE, policy.onBufferedChanged(0));
        assertTrue(policy.shouldDrop(true));
    }

    @Test
    void shouldReportSlowConsumerWhenJumpingStraightOverTheLimit()
    {
        assertEquals(SLOW_CONSUMER, policy.onBufferedChanged(SLOW + 1));
        assertTrue(policy.isDropMode());
    }

    @Test
    void shouldReturnToNormalOnReset()
    {
        policy.onBufferedChanged(SLOW + 1);
        policy.onDropped();

        policy.reset();

        assertFalse(policy.isDropMode());
        assertFalse(policy.isSlowConsumer());
        assertEquals(0, policy.droppedInEpisode());
        assertEquals(ENTER_DROP_MODE, policy.onBufferedChanged(HIGH + 1));
    }

    @Test
    void shouldRejectInvertedWatermarks()
    {
        assertThrows(IllegalArgumentException.class, () -> new WatermarkPolicy(100, 100, 200));
        assertThrows(IllegalArgumentException.class, () -> new WatermarkPolicy(100, 50, 99));
    }
}
