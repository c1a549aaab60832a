import java.io.File;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Before/after timing of one JMH benchmark method in one JVM: each build in its own class loader, the two
 * alternating sample by sample (which build goes first alternates too), so machine load hits both alike, which
 * JMH's forks cannot do on a shared machine.
 * <p>
 * Build each tree with `./mvnw -B -o -pl bench -am package -DskipTests`, then run
 * <pre>
 * java --add-exports java.base/jdk.internal.misc=ALL-UNNAMED perf-reports/scripts/JmhAb.java \
 *     ROUNDS OPS BEFORE_TREE AFTER_TREE CLASS METHOD SETUP_METHOD PARAM_FIELD VALUE[,VALUE...]
 * </pre>
 * e.g. {@code 60 200 /tmp/before /tmp/after dev.switchboard.bench.jmh.GameStateBenchmark admitMergeAndCoalesce
 * setUp patchKeys 100,1024,5000}. The method may return a value (it goes to a sink) or be void.
 * <p>
 * Run it once with the same tree twice and once with the two trees swapped: for some benchmarks the build loaded
 * second is slower whatever it is (profiles of shared JDK code), and then only forked JMH runs can decide.
 */
public class JmhAb
{
    public static void main(final String[] args) throws Throwable
    {
        final int rounds = Integer.parseInt(args[0]);
        final int ops = Integer.parseInt(args[1]);
        final String className = args[4];
        final String methodName = args[5];
        final String setupName = args[6];
        final String paramField = args[7];
        final String[] values = args[8].split(",");
        final MethodHandle[][] handles = new MethodHandle[2][values.length];
        for (int v = 0; v < 2; v++)
        {
            final List<URL> urls = new ArrayList<>();
            final File target = new File(args[2 + v], "bench/target");
            urls.add(new File(target, "switchboard-bench-0.1.0-SNAPSHOT.jar").toURI().toURL());
            for (final File jar : new File(target, "lib").listFiles())
            {
                urls.add(jar.toURI().toURL());
            }
            final ClassLoader loader = new URLClassLoader(urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader());
            final Class<?> bench = loader.loadClass(className);
            final Method method = bench.getMethod(methodName);
            for (int p = 0; p < values.length; p++)
            {
                final Object instance = bench.getConstructor().newInstance();
                final Field field = bench.getDeclaredField(paramField);
                field.setAccessible(true);
                field.set(instance, field.getType() == int.class ? (Object)Integer.parseInt(values[p]) : values[p]);
                bench.getMethod(setupName).invoke(instance);
                final MethodHandle bound = MethodHandles.publicLookup().unreflect(method).bindTo(instance);
                // A void benchmark method returns null to the sink; anything else its value.
                handles[v][p] = method.getReturnType() == void.class ?
                    MethodHandles.filterReturnValue(bound, MethodHandles.constant(Object.class, "void")) :
                    bound.asType(MethodType.methodType(Object.class));
            }
        }
        final double[][][] nsPerOp = new double[2][values.length][rounds];
        long sink = 0;
        for (int r = 0; r < rounds; r++)
        {
            for (int i = 0; i < 2; i++)
            {
                final int v = (r + i) % 2;
                for (int p = 0; p < values.length; p++)
                {
                    final MethodHandle h = handles[v][p];
                    final long start = System.nanoTime();
                    for (int k = 0; k < ops; k++)
                    {
                        sink += ((Object)h.invokeExact()).hashCode();
                    }
                    nsPerOp[v][p][r] = (System.nanoTime() - start) / (double)ops;
                }
            }
        }
        final int warmup = rounds / 3;
        System.out.printf("%s.%s: rounds %d (first %d dropped as warm-up), %d calls per sample, sink %d%n",
            className.substring(className.lastIndexOf('.') + 1), methodName, rounds, warmup, ops, sink);
        System.out.printf("| %s | before min ns/op | after min ns/op | before median | after median | after/before (median) |%n",
            paramField);
        System.out.println("| --- | ---: | ---: | ---: | ---: | ---: |");
        for (int p = 0; p < values.length; p++)
        {
            final double[] b = Arrays.copyOfRange(nsPerOp[0][p], warmup, rounds);
            final double[] a = Arrays.copyOfRange(nsPerOp[1][p], warmup, rounds);
            Arrays.sort(b);
            Arrays.sort(a);
            final double bm = b[b.length / 2];
            final double am = a[a.length / 2];
            System.out.printf("| %s | %.0f | %.0f | %.0f | %.0f | %.2f |%n", values[p], b[0], a[0], bm, am, am / bm);
        }
    }
}
