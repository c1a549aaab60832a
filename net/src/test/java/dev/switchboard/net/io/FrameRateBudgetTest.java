package dev.switchboard.net.io;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FrameRateBudgetTest
{
    @Test
    void shouldAllowTheBurstThenGoIntoDebtAndRepayAtTheRate()
    {
        final FrameRateBudget budget = new FrameRateBudget(10, 20);
        budget.reset(1_000);
        assertFalse(budget.charge(19, 1_000), "19 of a burst of 20 leaves one frame");
        assertTrue(budget.charge(1, 1_000), "the burst is spent");
        assertTrue(budget.charge(9, 1_000), "a read's frames are charged even in debt");
        assertTrue(budget.isInDebt(1_000 + 900), "9 frames of debt plus one: 1,000 ms at 10/s");
        assertFalse(budget.isInDebt(1_000 + 1_000));
    }

    @Test
    void shouldCapTheDebtAtThirtySecondsOfRefill()
    {
        final FrameRateBudget budget = new FrameRateBudget(100, 100);
        budget.reset(0);
        assertTrue(budget.charge(1_000_000, 0));
        assertTrue(budget.isInDebt(FrameRateBudget.MAX_DEBT_SECONDS * 1_000L));
        assertFalse(budget.isInDebt(FrameRateBudget.MAX_DEBT_SECONDS * 1_000L + 10), "one frame earned past the cap");
    }

    @Test
    void shouldRefillNothingWhenTheClockGoesBackwards()
    {
        final FrameRateBudget budget = new FrameRateBudget(10, 1);
        budget.reset(5_000);
        assertTrue(budget.charge(1, 5_000));
        assertTrue(budget.isInDebt(1_000));
        assertTrue(budget.isInDebt(5_000));
        assertFalse(budget.isInDebt(5_100));
    }
}
