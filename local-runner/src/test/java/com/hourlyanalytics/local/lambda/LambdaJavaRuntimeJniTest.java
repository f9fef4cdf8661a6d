package com.hourlyanalytics.local.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runners killed with SIGKILL run no exit hook, so whatever each one creates for the JNI library stays: it must be
 * the same file every time, not a folder per runner.
 */
class LambdaJavaRuntimeJniTest {

    @TempDir
    Path temp;

    private Path clientJar(byte[] library) throws Exception {
        String arch = System.getProperty("os.arch").matches("aarch64|arm64") ? "aarch_64" : "x86_64";
        Path jar = temp.resolve("client-" + library.length + ".jar");
        try (OutputStream file = Files.newOutputStream(jar); ZipOutputStream zip = new ZipOutputStream(file)) {
            zip.putNextEntry(new ZipEntry("jni/libaws-lambda-jni.linux-" + arch + ".so"));
            zip.write(library);
            zip.closeEntry();
        }
        return jar;
    }

    private static long entries(Path folder) throws Exception {
        try (Stream<Path> all = Files.walk(folder)) {
            return all.filter(path -> !path.equals(folder)).count();
        }
    }

    @Test
    void manyRunnersNeverCleaningUp_leaveOneLibraryFile() throws Exception {
        Path jar = clientJar(new byte[] {1, 2, 3});
        Path jniRoot = temp.resolve("jni");

        Path first = LambdaJavaRuntime.extractJni(jar, jniRoot);
        for (int runner = 0; runner < 5; runner++) {
            assertThat(LambdaJavaRuntime.extractJni(jar, jniRoot)).isEqualTo(first);
        }

        assertThat(entries(jniRoot)).isEqualTo(1);
        assertThat(Files.readAllBytes(first)).containsExactly(1, 2, 3);
    }

    @Test
    void tamperedLibrary_isReplaced() throws Exception {
        Path jar = clientJar(new byte[] {1, 2, 3});
        Path library = LambdaJavaRuntime.extractJni(jar, temp.resolve("jni"));
        Files.write(library, new byte[] {6, 6, 6});

        assertThat(LambdaJavaRuntime.extractJni(jar, temp.resolve("jni"))).isEqualTo(library);

        assertThat(Files.readAllBytes(library)).containsExactly(1, 2, 3);
        assertThat(entries(temp.resolve("jni"))).isEqualTo(1);
    }
}
