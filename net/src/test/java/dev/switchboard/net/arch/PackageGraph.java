package dev.switchboard.net.arch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Which package of the project's main sources refers to which: every {@code dev.switchboard...Type} reference in
 * code (imports, static imports and inline qualified names; comments and string literals ignored) is an edge from
 * the file's package to the referenced type's package.
 */
final class PackageGraph
{
    private static final Pattern PACKAGE = Pattern.compile("^package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);
    private static final Pattern REFERENCE = Pattern.compile("\\b(dev\\.switchboard(?:\\.[a-z_][\\w]*)*)\\.[A-Z]");
    private static final Pattern COMMENT_OR_STRING = Pattern.compile(
        "/\\*.*?\\*/|//[^\\n]*|\"(?:\\\\.|[^\"\\\\])*\"|'(?:\\\\.|[^'\\\\])'", Pattern.DOTALL);

    private final Map<String, Set<String>> edges = new TreeMap<>();

    /**
     * Read every {@code .java} file under these source roots.
     *
     * @param roots source roots such as {@code engine/src/main/java}.
     * @return the graph.
     */
    static PackageGraph of(final List<Path> roots)
    {
        final PackageGraph graph = new PackageGraph();
        for (final Path root : roots)
        {
            try (Stream<Path> files = Files.walk(root))
            {
                files.filter(p -> p.toString().endsWith(".java")).forEach(graph::add);
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
        }
        return graph;
    }

    /**
     * Packages with at least one file.
     *
     * @return package names.
     */
    Set<String> packages()
    {
        return edges.keySet();
    }

    /**
     * Edges out of one package.
     *
     * @param from the package.
     * @return the packages it refers to.
     */
    Set<String> dependencies(final String from)
    {
        return edges.getOrDefault(from, Set.of());
    }

    /**
     * Every pair of packages that refer to each other, as {@code "a <-> b"} with {@code a < b}.
     *
     * @return the two-way cycles, sorted.
     */
    Set<String> twoWayCycles()
    {
        final Set<String> cycles = new TreeSet<>();
        for (final Map.Entry<String, Set<String>> entry : edges.entrySet())
        {
            final String a = entry.getKey();
            for (final String b : entry.getValue())
            {
                if (a.compareTo(b) < 0 && dependencies(b).contains(a))
                {
                    cycles.add(a + " <-> " + b);
                }
            }
        }
        return cycles;
    }

    /**
     * Every set of packages that reach each other through their references (the strongly connected components of
     * more than one package, found with Tarjan's algorithm): a two-way pair, or a longer loop such as
     * {@code a -> b -> c -> a}. An empty result means the packages form a layered graph.
     *
     * @return each cycle's packages, sorted and joined by {@code ", "}; sorted.
     */
    Set<String> cycles()
    {
        return new Tarjan().components();
    }

    private final class Tarjan
    {
        private final Map<String, Integer> index = new TreeMap<>();
        private final Map<String, Integer> lowLink = new TreeMap<>();
        private final List<String> stack = new ArrayList<>();
        private final Set<String> onStack = new TreeSet<>();
        private final Set<String> found = new TreeSet<>();

        Set<String> components()
        {
            for (final String node : edges.keySet())
            {
                if (!index.containsKey(node))
                {
                    visit(node);
                }
            }
            return found;
        }

        private void visit(final String node)
        {
            index.put(node, index.size());
            lowLink.put(node, index.get(node));
            stack.add(node);
            onStack.add(node);
            for (final String next : dependencies(node))
            {
                if (!index.containsKey(next))
                {
                    visit(next);
                    lowLink.put(node, Math.min(lowLink.get(node), lowLink.get(next)));
                }
                else if (onStack.contains(next))
                {
                    lowLink.put(node, Math.min(lowLink.get(node), index.get(next)));
                }
            }
            if (lowLink.get(node).equals(index.get(node)))
            {
                final Set<String> component = new TreeSet<>();
                String member;
                do
                {
                    member = stack.remove(stack.size() - 1);
                    onStack.remove(member);
                    component.add(member);
                }
                while (!member.equals(node));
                if (component.size() > 1)
                {
                    found.add(String.join(", ", component));
                }
            }
        }
    }

    private void add(final Path file)
    {
        final String source;
        try
        {
            source = Files.readString(file, StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        final String code = COMMENT_OR_STRING.matcher(source).replaceAll(" ");
        final Matcher pkg = PACKAGE.matcher(code);
        if (!pkg.find())
        {
            return;
        }
        final String from = pkg.group(1);
        final Set<String> to = edges.computeIfAbsent(from, k -> new TreeSet<>());
        final Matcher ref = REFERENCE.matcher(code);
        final List<String> found = new ArrayList<>();
        while (ref.find())
        {
            found.add(ref.group(1));
        }
        for (final String target : found)
        {
            if (!target.equals(from))
            {
                to.add(target);
            }
        }
    }
}
