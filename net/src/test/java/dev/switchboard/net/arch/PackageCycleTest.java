package dev.switchboard.net.arch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packages of the main sources of {@code engine}, {@code net} and {@code bench} form layers: no package refers,
 * directly or through others, to a package that refers back to it (issue 17). Shared vocabulary lives in leaf
 * packages ({@code engine.codes}, {@code engine.settings}, {@code net.http}), and an instrument lives with the code
 * that writes it ({@code net.io}'s counters and buffered-bytes recorder), read by {@code net.metrics}.
 */
class PackageCycleTest
{
    @Test
    void noPackageCycles()
    {
        final Path net = Path.of("src", "main", "java");
        final Path engine = Path.of("..", "engine", "src", "main", "java");
        final Path bench = Path.of("..", "bench", "src", "main", "java");
        assertTrue(Files.isDirectory(net) && Files.isDirectory(engine) && Files.isDirectory(bench),
            "run from the net module directory");
        final PackageGraph graph = PackageGraph.of(List.of(engine, net, bench));
        assertTrue(graph.packages().size() > 20, "read the sources: " + graph.packages());
        assertTrue(graph.dependencies("dev.switchboard.engine").contains("dev.switchboard.engine.room"),
            "Engine's imports were read");
        assertEquals(Set.of(), graph.twoWayCycles(), "packages that refer to each other");
        assertEquals(Set.of(), graph.cycles(), "packages that reach each other through others");
    }

    @Test
    void findsACycleThroughImportsAndInlineNamesButNotComments(@TempDir final Path root) throws IOException
    {
        write(root, "a/A.java", "package dev.switchboard.a;\nimport dev.switchboard.b.B;\nclass A { B b; }\n");
        write(root, "b/B.java", "package dev.switchboard.b;\nclass B { dev.switchboard.a.A a; }\n");
        write(root, "c/C.java", "package dev.switchboard.c;\nimport dev.switchboard.a.A;\n" +
            "/** {@link dev.switchboard.c.C} */\nclass C { A a; }\n");
        write(root, "a/D.java", "package dev.switchboard.a;\n// dev.switchboard.c.C only in a comment\n" +
            "class D { String s = \"dev.switchboard.c.C\"; }\n");
        final PackageGraph graph = PackageGraph.of(List.of(root));
        assertEquals(Set.of("dev.switchboard.a <-> dev.switchboard.b"), graph.twoWayCycles());
        assertEquals(Set.of("dev.switchboard.b"), graph.dependencies("dev.switchboard.a"));
    }

    @Test
    void findsALongerLoopThatNoPairShows(@TempDir final Path root) throws IOException
    {
        write(root, "a/A.java", "package dev.switchboard.a;\nclass A { dev.switchboard.b.B b; }\n");
        write(root, "b/B.java", "package dev.switchboard.b;\nclass B { dev.switchboard.c.C c; }\n");
        write(root, "c/C.java", "package dev.switchboard.c;\nclass C { dev.switchboard.a.A a; }\n");
        write(root, "d/D.java", "package dev.switchboard.d;\nclass D { dev.switchboard.a.A a; }\n");
        final PackageGraph graph = PackageGraph.of(List.of(root));
        assertEquals(Set.of(), graph.twoWayCycles());
        assertEquals(Set.of("dev.switchboard.a, dev.switchboard.b, dev.switchboard.c"), graph.cycles());
    }

    private static void write(final Path root, final String file, final String text) throws IOException
    {
        final Path path = root.resolve(file);
        Files.createDirectories(path.getParent());
        Files.writeString(path, text, StandardCharsets.UTF_8);
    }
}
