package dev.switchboard.bench.load;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FleetStateTest
{
    @Test
    void shouldLayOutRoomsHostFirstAndPublishersAtTheFront()
    {
        final FleetState fleet = new FleetState(
            LoadSettings.parse(new String[]{"--rooms", "3", "--room-size", "5", "--publishers", "2"}), 7);
        assertEquals(0, fleet.roomOf(4));
        assertEquals(1, fleet.roomOf(5));
        assertEquals(0, fleet.memberOf(5));
        assertTrue(fleet.isPublisher(5));
        assertTrue(fleet.isPublisher(6));
        assertFalse(fleet.isPublisher(7));
        assertEquals(3, fleet.roomIds.length);
    }

    @Test
    void shouldPickAnExactEvenShareOfSlowConsumers()
    {
        final FleetState fleet = new FleetState(LoadSettings.parse(new String[]{
            "--scenario", "slow-consumers", "--rooms", "100", "--room-size", "5", "--slow-share", "0.25"}), 7);
        int slow = 0;
        for (int i = 0; i < 500; i++)
        {
            if (fleet.isSlow(i))
            {
                slow++;
                assertFalse(fleet.isPublisher(i), "a publisher never stops reading");
            }
        }
        assertEquals(100, slow);
    }

    @Test
    void shouldCarryMessageNumberInMsgIdWithUuidVersionAndVariant()
    {
        final FleetState fleet = new FleetState(LoadSettings.parse(new String[0]), -1L);
        assertEquals(0x4000L, fleet.msgIdHigh & 0xF000L);
        final long low = FleetState.msgIdLow(123_456_789L);
        assertEquals(0x8000_0000_0000_0000L, low & 0xC000_0000_0000_0000L);
        assertEquals(123_456_789L, low & FleetState.NUMBER_MASK);
    }

    @Test
    void shouldGrantExactlyTheConfiguredChurnCycles()
    {
        final FleetState fleet = new FleetState(LoadSettings.parse(new String[]{
            "--scenario", "churn", "--rooms", "2", "--room-size", "3", "--cycles", "3"}), 7);
        assertTrue(fleet.claimCycle());
        assertTrue(fleet.claimCycle());
        assertTrue(fleet.claimCycle());
        assertFalse(fleet.claimCycle(), "the fourth leave is refused");
        assertEquals(3, fleet.cyclesClaimed());
    }

    @Test
    void shouldGrantEveryChurnCycleWithoutALimit()
    {
        final FleetState fleet = new FleetState(LoadSettings.parse(new String[]{"--scenario", "churn"}), 7);
        for (int i = 0; i < 10; i++)
        {
            assertTrue(fleet.claimCycle());
        }
        assertEquals(10, fleet.cyclesClaimed());
    }
}
