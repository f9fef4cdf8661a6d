package com.hourlyanalytics.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import com.hourlyanalytics.testing.ApiEvents;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/preflight.sh's logic, offline: an {@code aws} on the PATH answers as an account would (it is the only
 * stand-in; there is no AWS account here), with the answer each case needs.
 */
class PreflightScriptIT {

    private static final String READY = "ThrottleRateLimit=100 AlarmEmail=oncall@example.com CreateApiGatewayLoggingRole=false";
    private static final String ROLE = "arn:aws:iam::123456789012:role/service-role/apigw-logs";

    @TempDir
    Path dir;

    @Test
    void noAlarmEmail_isAProblemNamingTheFix() throws Exception {
        Result result = run("ThrottleRateLimit=100 CreateApiGatewayLoggingRole=false", Map.of("ROLE", ROLE, "ROLE_EXISTS", "yes"));

        assertThat(result.status()).isEqualTo(1);
        assertThat(result.output()).contains("sets no AlarmEmail", "AlarmEmail=you@example.com");
    }

    @Test
    void theRepositorysSamconfig_namesNoAlarmEmail_soItIsReported() throws Exception {
        Result result = run(ApiEvents.repoRoot().resolve("samconfig.toml"), Map.of("ROLE", ROLE, "ROLE_EXISTS", "yes"));

        assertThat(result.status()).isEqualTo(1);
        assertThat(result.output()).contains("sets no AlarmEmail");
    }

    @Test
    void noLoggingRole_isAProblemUnlessThisDeployCreatesIt() throws Exception {
        Result missing = run(READY, Map.of("ROLE", "None"));
        assertThat(missing.status()).isEqualTo(1);
        assertThat(missing.output()).contains("no CloudWatch Logs role", "CreateApiGatewayLoggingRole=true");

        Result created = run(READY.replace("CreateApiGatewayLoggingRole=false", "CreateApiGatewayLoggingRole=true"), Map.of("ROLE", "None"));
        assertThat(created.status()).isZero();
        assertThat(created.output()).contains("this deploy creates it");
    }

    @Test
    void aLoggingRoleThatWasDeleted_isAProblem() throws Exception {
        Result result = run(READY, Map.of("ROLE", ROLE, "ROLE_EXISTS", "no"));

        assertThat(result.status()).isEqualTo(1);
        assertThat(result.output()).contains(ROLE, "no longer exists");
        assertThat(Files.readString(dir.resolve("calls"))).as("the role is looked up by its name")
                .contains("iam get-role --role-name apigw-logs");
    }

    @Test
    void anExistingRoleAndAnAlarmEmail_areReady() throws Exception {
        Result result = run(READY, Map.of("ROLE", ROLE, "ROLE_EXISTS", "yes"));

        assertThat(result.status()).isZero();
        assertThat(result.output()).contains("ready to deploy");
    }

    @Test
    void noAccessToTheAccount_saysItWasNotChecked() throws Exception {
        Result result = run(READY, Map.of("NO_CREDENTIALS", "yes"));

        assertThat(result.status()).isEqualTo(2);
        assertThat(result.output()).contains("NOT checked", "Unable to locate credentials");
    }

    private record Result(int status, String output) {
    }

    private Result run(String overrides, Map<String, String> account) throws Exception {
        Path config = dir.resolve("samconfig.toml");
        Files.writeString(config, "version = 0.1\n[default.deploy.parameters]\nparameter_overrides = \"" + overrides + "\"\n");
        return run(config, account);
    }

    private Result run(Path config, Map<String, String> account) throws IOException, InterruptedException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path aws = bin.resolve("aws");
        Files.writeString(aws, """
                #!/usr/bin/env bash
                echo "$*" >> "$CALLS"
                [ -n "${NO_CREDENTIALS:-}" ] && { echo "Unable to locate credentials. You can configure credentials by running \\"aws configure\\"." >&2; exit 255; }
                case "$1 $2" in
                  "apigateway get-account") echo "$ROLE" ;;
                  "iam get-role") [ "$ROLE_EXISTS" = yes ] && echo "$ROLE" && exit 0
                    echo "An error occurred (NoSuchEntity) when calling the GetRole operation: The role with name $4 cannot be found." >&2; exit 254 ;;
                  *) echo "unexpected call: $*" >&2; exit 252 ;;
                esac
                """);
        Files.setPosixFilePermissions(aws, PosixFilePermissions.fromString("rwxr-xr-x"));
        ProcessBuilder builder = new ProcessBuilder(ApiEvents.repoRoot().resolve("scripts/preflight.sh").toString(), config.toString())
                .redirectErrorStream(true);
        builder.environment().putAll(account);
        builder.environment().put("CALLS", dir.resolve("calls").toString());
        builder.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), output);
    }
}
