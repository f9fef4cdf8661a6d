package com.hourlyanalytics.testing;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.spi.ToolProvider;
import java.util.stream.Collectors;

/**
 * Which of the project's packages use which, as the JDK's jdeps reads them from compiled classes (imports that the
 * compiler dropped as unused do not count; a use through a fully qualified name does).
 */
public final class PackageDependencies {

    private static final String PROJECT = "com.hourlyanalytics";

    private final Map<String, Set<String>> uses;

    private PackageDependencies(Map<String, Set<String>> uses) {
        this.uses = uses;
    }

    /** A graph given by hand, to test the check itself. */
    public static PackageDependencies ofUses(Map<String, Set<String>> uses) {
        return new PackageDependencies(new TreeMap<>(uses));
    }

    /** The packages of the classes directories or jars that hold the given classes, one class per module. */
    public static PackageDependencies of(Class<?>... anyClassOfEach) {
        List<String> arguments = new ArrayList<>(List.of("-verbose:package", "-filter:none"));
        for (Class<?> anyClass : anyClassOfEach) {
            try {
                arguments.add(Path.of(anyClass.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
            } catch (URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow(() -> new IllegalStateException("no jdeps in this JDK"));
        StringWriter out = new StringWriter();
        int status = jdeps.run(new PrintWriter(out), new PrintWriter(out), arguments.toArray(String[]::new));
        if (status != 0) {
            throw new IllegalStateException("jdeps failed: " + out);
        }
        Map<String, Set<String>> uses = new TreeMap<>();
        // Lines such as "   com.hourlyanalytics.http -> com.hourlyanalytics.model   classes".
        for (String line : out.toString().lines().toList()) {
            String[] words = line.strip().split("\\s+");
            if (words.length >= 3 && words[1].equals("->") && words[0].startsWith(PROJECT) && words[2].startsWith(PROJECT)) {
                uses.computeIfAbsent(words[0], p -> new TreeSet<>());
                if (!words[0].equals(words[2])) {
                    uses.get(words[0]).add(words[2]);
                }
            }
        }
        return new PackageDependencies(uses);
    }

    public Map<String, Set<String>> uses() {
        return uses;
    }

    /** Each group of packages that reach one another through their uses (Tarjan's strongly connected components). */
    public List<Set<String>> cycles() {
        return new Components().of(uses.keySet()).stream().filter(group -> group.size() > 1).toList();
    }

    private final class Components {
        private final Map<String, Integer> index = new TreeMap<>();
        private final Map<String, Integer> low = new TreeMap<>();
        private final List<String> stack = new ArrayList<>();
        private final List<Set<String>> found = new ArrayList<>();

        List<Set<String>> of(Set<String> packages) {
            packages.forEach(p -> {
                if (!index.containsKey(p)) {
                    visit(p);
                }
            });
            return found;
        }

        private void visit(String p) {
            index.put(p, index.size());
            low.put(p, index.get(p));
            stack.add(p);
            for (String next : uses.getOrDefault(p, Set.of())) {
                if (!index.containsKey(next)) {
                    visit(next);
                    low.put(p, Math.min(low.get(p), low.get(next)));
                } else if (stack.contains(next)) {
                    low.put(p, Math.min(low.get(p), index.get(next)));
                }
            }
            if (low.get(p).equals(index.get(p))) {
                Set<String> group = new TreeSet<>();
                String member;
                do {
                    member = stack.remove(stack.size() - 1);
                    group.add(member);
                } while (!member.equals(p));
                found.add(group);
            }
        }
    }

    @Override
    public String toString() {
        return uses.entrySet().stream().map(e -> e.getKey() + " -> " + e.getValue()).collect(Collectors.joining("\n"));
    }
}
