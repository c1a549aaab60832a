import java.io.File;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Before/after timing of EnvelopeDecodeBenchmark.decoder in one JVM: each build in its own class loader, the two
 * alternating sample by sample, so machine load hits both alike (JMH forks cannot do that on a shared machine).
 * Build each tree with `./mvnw -B -o -pl bench -am package -DskipTests`, then run
 * `java --add-exports java.base/jdk.internal.misc=ALL-UNNAMED perf-reports/scripts/EnvelopeDecodeAb.java ROUNDS OPS BEFORE_TREE AFTER_TREE`.
 */
public class EnvelopeDecodeAb
{
    static final String[] MESSAGES = {"join", "webrtc_offer_2k", "ice_candidate", "game_state_5", "game_event_nested"};

    public static void main(String[] args) throws Throwable
    {
        final String[] variants = {"before", "after"};
        final int rounds = Integer.parseInt(args[0]);
        final int ops = Integer.parseInt(args[1]);
        final MethodHandle[][] handles = new MethodHandle[2][MESSAGES.length];
        for (int v = 0; v < 2; v++)
        {
            final List<URL> urls = new ArrayList<>();
            final File target = new File(args[2 + v], "bench/target");
            urls.add(new File(target, "switchboard-bench-0.1.0-SNAPSHOT.jar").toURI().toURL());
            for (File jar : new File(target, "lib").listFiles())
            {
                urls.add(jar.toURI().toURL());
            }
            final ClassLoader loader = new URLClassLoader(urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader());
            final Class<?> bench = loader.loadClass("dev.switchboard.bench.jmh.EnvelopeDecodeBenchmark");
            for (int m = 0; m < MESSAGES.length; m++)
            {
                final Constructor<?> ctor = bench.getConstructor();
                final Object instance = ctor.newInstance();
                bench.getField("message").set(instance, MESSAGES[m]);
                bench.getMethod("setup").invoke(instance);
                handles[v][m] = MethodHandles.publicLookup().findVirtual(bench, "decoder", MethodType.methodType(int.class))
                    .bindTo(instance).asType(MethodType.methodType(int.class));
            }
        }
        final double[][][] nsPerOp = new double[2][MESSAGES.length][rounds];
        long sink = 0;
        for (int r = 0; r < rounds; r++)
        {
            for (int i = 0; i < 2; i++)
            {
                final int v = (r + i) % 2;
                for (int m = 0; m < MESSAGES.length; m++)
                {
                    final MethodHandle h = handles[v][m];
                    final long start = System.nanoTime();
                    for (int k = 0; k < ops; k++)
                    {
                        sink += (int)h.invokeExact();
                    }
                    nsPerOp[v][m][r] = (System.nanoTime() - start) / (double)ops;
                }
            }
        }
        final int warmup = rounds / 3;
        System.out.printf("rounds %d (first %d dropped as warm-up), %d decodes per sample, sink %d%n", rounds, warmup, ops, sink);
        System.out.println("| message | before min ns/op | after min ns/op | before median | after median | after/before (median) |");
        System.out.println("| --- | ---: | ---: | ---: | ---: | ---: |");
        for (int m = 0; m < MESSAGES.length; m++)
        {
            final double[] b = Arrays.copyOfRange(nsPerOp[0][m], warmup, rounds);
            final double[] a = Arrays.copyOfRange(nsPerOp[1][m], warmup, rounds);
            Arrays.sort(b);
            Arrays.sort(a);
            final double bm = b[b.length / 2];
            final double am = a[a.length / 2];
            System.out.printf("| %s | %.0f | %.0f | %.0f | %.0f | %.2f |%n", MESSAGES[m], b[0], a[0], bm, am, am / bm);
        }
    }
}
