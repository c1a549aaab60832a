package dev.switchboard.engine;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/ARCHITECTURE.md names only classes that exist: every class name in inline backticks, and every CamelCase name
 * in its diagrams, is a top-level or nested type declared somewhere in the modules' main or test sources. A class
 * renamed or split without updating the page fails here. A name the page takes from a library the engine builds on
 * (Agrona's agents and idle strategies, the Disruptor, the JDK's concurrency classes) counts when it loads from that
 * library's package, so a misspelled library name fails too.
 */
class ArchitectureDocTest
{
    private static final Pattern INLINE_CODE = Pattern.compile("`([^`\\n]+)`");
    private static final Pattern CLASS_NAME = Pattern.compile("[A-Z][a-z0-9]+[A-Za-z0-9]*");
    private static final Pattern CAMEL_CASE_WORD = Pattern.compile("\\b[A-Z][a-z0-9]+[A-Z][A-Za-z0-9]*\\b");
    private static final Pattern TYPE_DECLARATION =
        Pattern.compile("\\b(?:class|interface|enum|record|@interface)\\s+([A-Z][A-Za-z0-9_]*)");
    private static final String FENCE = "```";
    /** Packages of the libraries the page may name classes from. */
    private static final List<String> LIBRARY_PACKAGES = List.of(
        "org.agrona.concurrent.", "org.agrona.", "com.lmax.disruptor.", "java.util.concurrent.locks.",
        "java.util.concurrent.", "java.nio.channels.", "java.lang.");

    @Test
    void shouldNameOnlyClassesThatExistInTheSourceTree() throws IOException
    {
        final Path root = repositoryRoot();
        final Set<String> declared = declaredTypes(root);
        final List<String> lines = Files.readAllLines(root.resolve("docs/ARCHITECTURE.md"), StandardCharsets.UTF_8);

        final Set<String> named = namedClasses(lines);
        final Set<String> missing = new TreeSet<>();
        for (final String name : named)
        {
            if (!declared.contains(name) && !isLibraryClass(name))
            {
                missing.add(name);
            }
        }
        assertTrue(named.size() > 40, "the page names the classes of the data path: " + named);
        assertEquals(Set.of(), missing, "classes docs/ARCHITECTURE.md names but the source tree lacks");
    }

    @Test
    void shouldAcceptLibraryClassesOnlyWhenTheyExist()
    {
        assertTrue(isLibraryClass("CompositeAgent"));
        assertTrue(isLibraryClass("LockSupport"));
        assertFalse(isLibraryClass("CompositAgent"), "a misspelled library name is not a class");
    }

    private static boolean isLibraryClass(final String simpleName)
    {
        for (final String prefix : LIBRARY_PACKAGES)
        {
            try
            {
                Class.forName(prefix + simpleName, false, ArchitectureDocTest.class.getClassLoader());
                return true;
            }
            catch (final ClassNotFoundException ex)
            {
                // not in this package: try the next
            }
        }
        return false;
    }

    @Test
    void shouldFindNamesInInlineCodeAndDiagramsButNotInProse()
    {
        final List<String> page = List.of(
            "The `FooAgent` reads `Bar` and `Baz.method()` but not `--flag`, `x.y.Qualified` or `ALL_CAPS`.",
            "Prose names Prose and ProseClass.",
            FENCE,
            "socket -> IoAgentish (Disruptor) -> Thing",
            FENCE);
        assertEquals(Set.of("FooAgent", "Bar", "IoAgentish"), namedClasses(page));
    }

    private static Set<String> namedClasses(final List<String> lines)
    {
        final Set<String> names = new TreeSet<>();
        boolean inFence = false;
        for (final String line : lines)
        {
            if (line.startsWith(FENCE))
            {
                inFence = !inFence;
                continue;
            }
            if (inFence)
            {
                final Matcher word = CAMEL_CASE_WORD.matcher(line);
                while (word.find())
                {
                    names.add(word.group());
                }
                continue;
            }
            final Matcher code = INLINE_CODE.matcher(line);
            while (code.find())
            {
                final String text = code.group(1);
                if (CLASS_NAME.matcher(text).matches())
                {
                    names.add(text);
                }
            }
        }
        return names;
    }

    private static Set<String> declaredTypes(final Path root) throws IOException
    {
        final List<Path> sources = new ArrayList<>();
        try (Stream<Path> modules = Files.list(root))
        {
            for (final Path module : (Iterable<Path>)modules::iterator)
            {
                final Path src = module.resolve("src");
                if (Files.isDirectory(src))
                {
                    try (Stream<Path> files = Files.walk(src))
                    {
                        files.filter(p -> p.toString().endsWith(".java")).forEach(sources::add);
                    }
                }
            }
        }
        final Set<String> types = new HashSet<>();
        for (final Path source : sources)
        {
            final Matcher declaration = TYPE_DECLARATION.matcher(Files.readString(source, StandardCharsets.UTF_8));
            while (declaration.find())
            {
                types.add(declaration.group(1));
            }
        }
        assertTrue(types.contains("Engine") && types.contains("IoAgent"), "found the modules' sources under " + root);
        return types;
    }

    private static Path repositoryRoot()
    {
        Path dir = Path.of("").toAbsolutePath();
        while (null != dir && !Files.isRegularFile(dir.resolve("docs/ARCHITECTURE.md")))
        {
            dir = dir.getParent();
        }
        assertTrue(null != dir, "docs/ARCHITECTURE.md above " + Path.of("").toAbsolutePath());
        return dir;
    }
}
