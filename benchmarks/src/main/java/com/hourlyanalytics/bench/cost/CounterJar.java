package com.hourlyanalytics.bench.cost;

import com.hourlyanalytics.bench.StoreUnits;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

/**
 * The jar that puts {@link ContainerStoreCounter} into the cost benchmark's containers: its classes, and the SDK's
 * global interceptor resource naming it. Written at run time rather than shipped in benchmarks.jar, whose own
 * SDK clients must not pick the resource up.
 */
final class CounterJar {

    static final String INTERCEPTORS_RESOURCE = "software/amazon/awssdk/global/handlers/execution.interceptors";
    /** The counter and what it uses beyond the SDK (which the function jar carries). */
    private static final List<Class<?>> CLASSES = List.of(ContainerStoreCounter.class, StoreUnits.class);

    private CounterJar() {
    }

    static Path write(Path folder) throws IOException {
        Path jar = folder.resolve("store-call-counter.jar");
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
            for (Class<?> type : CLASSES) {
                String classFile = type.getName().replace('.', '/') + ".class";
                try (InputStream bytes = type.getClassLoader().getResourceAsStream(classFile)) {
                    if (bytes == null) {
                        throw new IOException("cannot read " + classFile);
                    }
                    out.putNextEntry(new JarEntry(classFile));
                    bytes.transferTo(out);
                }
            }
            out.putNextEntry(new JarEntry(INTERCEPTORS_RESOURCE));
            out.write((ContainerStoreCounter.class.getName() + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return jar;
    }
}
