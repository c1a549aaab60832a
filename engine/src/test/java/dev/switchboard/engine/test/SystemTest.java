package dev.switchboard.engine.test;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.concurrent.TimeUnit;

/**
 * Marks a slow test class: it runs the whole server over real sockets, starts processes (server, Redis, Node,
 * Chromium) or waits on real time. Tagged {@value #TAG}, so {@code -DexcludedGroups=system} runs only the fast tests
 * and {@code -Dgroups=system} only these; every test method gets a generous {@link Timeout} of
 * {@value #TIMEOUT_MINUTES} minutes, so a hung socket or process fails that test instead of stalling the build.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@Tag(SystemTest.TAG)
@Timeout(value = SystemTest.TIMEOUT_MINUTES, unit = TimeUnit.MINUTES)
public @interface SystemTest
{
    /** The JUnit tag of slow tests. */
    String TAG = "system";

    /** Per-test-method timeout, far above any passing run. */
    long TIMEOUT_MINUTES = 5;
}
