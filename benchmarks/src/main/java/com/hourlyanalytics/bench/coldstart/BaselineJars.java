package com.hourlyanalytics.bench.coldstart;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.joda.time.DateTime;

/**
 * The do-nothing handlers' own jars, written at run time from this module's classes, so each baseline container
 * has a class path like a function's: its jar, then the runtime client's.
 */
final class BaselineJars {

    private BaselineJars() {
    }

    /** DoNothingStreamHandler alone: it needs nothing beyond the runtime client's aws-lambda-java-core. */
    static Path stream(Path folder) throws IOException {
        Path jar = folder.resolve("do-nothing-stream.jar");
        jar.toFile().deleteOnExit();
        try (var out = new JarOutputStream(Files.newOutputStream(jar))) {
            addClass(out, DoNothingStreamHandler.class);
        }
        return jar;
    }

    /**
     * DoNothingProxyHandler with what a typed API Gateway handler ships: aws-lambda-java-events and joda-time,
     * which the runtime's serializer loads for the event class.
     */
    static Path proxy(Path folder) throws IOException {
        Path jar = folder.resolve("do-nothing-proxy.jar");
        jar.toFile().deleteOnExit();
        try (var out = new JarOutputStream(Files.newOutputStream(jar))) {
            addClass(out, DoNothingProxyHandler.class);
            Set<String> written = new HashSet<>();
            addJar(out, jarOf(APIGatewayProxyRequestEvent.class), written);
            addJar(out, jarOf(DateTime.class), written);
        }
        return jar;
    }

    private static void addClass(JarOutputStream out, Class<?> type) throws IOException {
        String name = type.getName().replace('.', '/') + ".class";
        try (InputStream in = type.getClassLoader().getResourceAsStream(name)) {
            out.putNextEntry(new JarEntry(name));
            in.transferTo(out);
            out.closeEntry();
        }
    }

    private static void addJar(JarOutputStream out, Path source, Set<String> written) throws IOException {
        try (ZipFile jar = new ZipFile(source.toFile())) {
            for (ZipEntry entry : jar.stream().toList()) {
                String name = entry.getName();
                if (entry.isDirectory() || name.startsWith("META-INF/") || !written.add(name)) {
                    continue;
                }
                out.putNextEntry(new JarEntry(name));
                try (InputStream in = jar.getInputStream(entry)) {
                    in.transferTo(out);
                }
                out.closeEntry();
            }
        }
    }

    private static Path jarOf(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
