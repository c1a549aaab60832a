package dev.switchboard.net.support;

import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Runs a Node test file from {@code harness/test} against a running server and fails with Node's output when
 * any Node test fails. Without Node or the harness's npm packages the test is skipped on a developer machine
 * and fails under CI ({@code CI=true}), where {@code .ci/run} installs them.
 */
public final class NodeTests
{
    private NodeTests()
    {
    }

    /**
     * The harness folder beside the module that runs the tests.
     *
     * @return the folder.
     */
    public static File harnessDir()
    {
        File dir = new File("").getAbsoluteFile();
        while (null != dir && !new File(dir, "harness/package.json").isFile())
        {
            dir = dir.getParentFile();
        }
        if (null == dir)
        {
            fail("cannot find harness/package.json above " + new File("").getAbsolutePath());
        }
        return new File(dir, "harness");
    }

    /**
     * Run {@code node --test} on the given files with the environment added.
     *
     * @param environment variables for the Node process (e.g. SWITCHBOARD_URL).
     * @param timeoutSeconds how long Node may run.
     * @param testFiles files relative to the harness folder.
     * @throws IOException if Node cannot be started.
     * @throws InterruptedException if interrupted.
     */
    public static void run(final Map<String, String> environment, final int timeoutSeconds, final String... testFiles)
        throws IOException, InterruptedException
    {
        final File harness = harnessDir();
        final boolean ci = "true".equals(System.getenv("CI"));
        final boolean installed = new File(harness, "node_modules/ws/package.json").isFile();
        if (!ci)
        {
            Assumptions.assumeTrue(installed && nodeAvailable(),
                "Node or the harness npm packages are missing (run: npm ci --prefix harness); skipped outside CI");
        }
        final List<String> command = new ArrayList<>();
        command.add("node");
        command.add("--test");
        command.add("--test-reporter=spec");
        for (final String file : testFiles)
        {
            command.add(file);
        }
        final ProcessBuilder builder = new ProcessBuilder(command).directory(harness).redirectErrorStream(true);
        builder.environment().putAll(environment);
        final Process process = builder.start();
        final byte[] output;
        final boolean finished;
        try (var in = process.getInputStream())
        {
            final Thread killer = new Thread(() ->
            {
                try
                {
                    if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS))
                    {
                        process.destroyForcibly();
                    }
                }
                catch (final InterruptedException ignore)
                {
                    process.destroyForcibly();
                }
            });
            killer.setDaemon(true);
            killer.start();
            output = in.readAllBytes();
            finished = process.waitFor(5, TimeUnit.SECONDS);
        }
        final String text = new String(output, StandardCharsets.UTF_8);
        System.out.println(text);
        if (!finished)
        {
            fail("node did not finish within " + timeoutSeconds + " s:\n" + text);
        }
        assertEquals(0, process.exitValue(), () -> "node tests failed:\n" + text);
    }

    private static boolean nodeAvailable()
    {
        try
        {
            final Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && 0 == p.exitValue();
        }
        catch (final IOException | InterruptedException ex)
        {
            return false;
        }
    }
}
