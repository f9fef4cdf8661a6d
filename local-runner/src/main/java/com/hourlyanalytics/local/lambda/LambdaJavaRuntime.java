package com.hourlyanalytics.local.lambda;

import com.hourlyanalytics.local.template.ServerlessFunction;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * What Lambda's managed java21 runtime gives a function, locally: the JVM flags, the runtime interface client
 * (the jars Maven copies to local-runner/target/lambda-runtime, beside the function jar and never inside it),
 * and the reserved environment variables.
 */
public final class LambdaJavaRuntime {

    /** The JVM flags Lambda's java21 runtime sets by default: C1 only, serial GC. */
    public static final List<String> JAVA21_JVM_OPTIONS =
            List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
    static final String REGION = "us-east-1";
    static final String MAIN_CLASS = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";
    private static final String JARS_FOLDER = "local-runner/target/lambda-runtime";

    /**
     * The runtime client copies its JNI library to /tmp/.libaws-lambda-jni.so on every start unless this property
     * names one: fine in Lambda, where each sandbox has its own /tmp, but containers starting together on one
     * machine overwrite the file while another maps it (SIGBUS seen here). The runner names its own ({@link #extractJni}).
     */
    private static final String JNI_PROPERTY = "com.amazonaws.services.lambda.runtime.api.client.runtimeapi.NativeClient.JNI";

    private final List<Path> runtimeJars;
    private final Path jniLibrary;
    private final List<Path> extraClasspath;

    private LambdaJavaRuntime(List<Path> runtimeJars, Path jniLibrary, List<Path> extraClasspath) {
        this.runtimeJars = runtimeJars;
        this.jniLibrary = jniLibrary;
        this.extraClasspath = List.copyOf(extraClasspath);
    }

    /**
     * The same runtime with these entries after the runtime client's jars on every container's class path: a
     * benchmark's instrumentation (e.g. an SDK interceptor found through its global interceptor resource). Never
     * used by ./run or ./invoke, so what they run stays what Lambda runs.
     */
    public LambdaJavaRuntime withExtraClasspath(List<Path> entries) {
        List<Path> all = new ArrayList<>(extraClasspath);
        all.addAll(entries);
        return new LambdaJavaRuntime(runtimeJars, jniLibrary, all);
    }

    /** The runtime client jars of a built checkout. */
    public static LambdaJavaRuntime locate(Path repoRoot) {
        Path folder = repoRoot.resolve(JARS_FOLDER);
        try (Stream<Path> files = Files.isDirectory(folder) ? Files.list(folder) : Stream.empty()) {
            List<Path> jars = files.filter(f -> f.toString().endsWith(".jar")).sorted().toList();
            Path client = jars.stream()
                    .filter(jar -> jar.getFileName().toString().startsWith("aws-lambda-java-runtime-interface-client"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException(folder + " has no Lambda runtime interface client: run 'mvn package' first"));
            return new LambdaJavaRuntime(jars, extractJni(client, jniFolder()), List.of());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The client's JNI library for this machine (glibc Linux), in one folder per user named by its content: every
     * runner reuses the same file and none leaves a folder behind when killed (a folder per process, removed at
     * exit, stayed after every SIGKILL). A new copy is written beside it and renamed over it, so a container that
     * has the old one mapped keeps a whole file.
     */
    static Path extractJni(Path clientJar, Path folder) throws IOException {
        String arch = System.getProperty("os.arch").matches("aarch64|arm64") ? "aarch_64" : "x86_64";
        String entry = "jni/libaws-lambda-jni.linux-" + arch + ".so";
        byte[] bytes;
        try (ZipFile jar = new ZipFile(clientJar.toFile())) {
            ZipEntry found = jar.getEntry(entry);
            if (found == null) {
                throw new IllegalStateException(clientJar + " has no " + entry);
            }
            try (InputStream in = jar.getInputStream(found)) {
                bytes = in.readAllBytes();
            }
        }
        Path library = folder.resolve("libaws-lambda-jni-" + sha256(bytes).substring(0, 16) + ".so");
        // Compared, not trusted by name: the folder is in a shared /tmp.
        if (Files.isRegularFile(library) && Arrays.equals(Files.readAllBytes(library), bytes)) {
            return library;
        }
        if (!Files.isDirectory(folder)) {
            Files.createDirectories(folder, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        Path partial = Files.createTempFile(folder, library.getFileName().toString(), ".partial");
        try {
            Files.write(partial, bytes);
            Files.move(partial, library, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(partial);
        }
        return library;
    }

    /** This user's folder for the JNI library, under the temp folder. */
    private static Path jniFolder() {
        return Path.of(System.getProperty("java.io.tmpdir"), "lambda-runtime-jni-" + System.getProperty("user.name"));
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The container's command: this JVM's own java (>= 21), Lambda's flags, the function jar then the runtime jars. */
    List<String> command(ServerlessFunction function) {
        if (!Files.isRegularFile(function.codeUri())) {
            throw new IllegalStateException(function.logicalId() + "'s CodeUri " + function.codeUri() + " is missing: run 'mvn package' first");
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JAVA21_JVM_OPTIONS);
        // The runtime client loads its JNI library; without this JDK 24+ warns on every start.
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("-D" + JNI_PROPERTY + "=" + jniLibrary);
        List<String> classpath = new ArrayList<>();
        classpath.add(function.codeUri().toString());
        runtimeJars.forEach(jar -> classpath.add(jar.toString()));
        extraClasspath.forEach(entry -> classpath.add(entry.toString()));
        command.addAll(List.of("-cp", String.join(File.pathSeparator, classpath), MAIN_CLASS, function.handler()));
        return command;
    }

    /**
     * The container's whole environment: Lambda starts the runtime with nothing of the host's, only its reserved
     * variables and the function's own ({@code variables}, which may not override the reserved ones).
     */
    static Map<String, String> environment(ServerlessFunction function, Map<String, String> variables, String runtimeApi) {
        Map<String, String> environment = new LinkedHashMap<>(variables);
        String name = function.logicalId();
        environment.putAll(Map.ofEntries(
                Map.entry("AWS_LAMBDA_RUNTIME_API", runtimeApi),
                Map.entry("_HANDLER", function.handler()),
                Map.entry("AWS_EXECUTION_ENV", "AWS_Lambda_java21"),
                Map.entry("AWS_LAMBDA_FUNCTION_NAME", name),
                Map.entry("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST"),
                Map.entry("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(function.memoryMb())),
                Map.entry("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand"),
                Map.entry("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + name),
                Map.entry("AWS_LAMBDA_LOG_STREAM_NAME", "local/" + name),
                Map.entry("AWS_REGION", REGION),
                Map.entry("AWS_DEFAULT_REGION", REGION),
                // Dummy credentials: dynalite accepts any; a real endpoint would refuse them.
                Map.entry("AWS_ACCESS_KEY_ID", "local"),
                Map.entry("AWS_SECRET_ACCESS_KEY", "local"),
                Map.entry("AWS_SESSION_TOKEN", "local"),
                Map.entry("LAMBDA_TASK_ROOT", function.codeUri().getParent().toString()),
                Map.entry("TZ", ":UTC"),
                Map.entry("LANG", "en_US.UTF-8"),
                Map.entry("PATH", "/usr/local/bin:/usr/bin:/bin")));
        return environment;
    }
}
