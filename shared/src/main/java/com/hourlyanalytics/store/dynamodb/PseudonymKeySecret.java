package com.hourlyanalytics.store.dynamodb;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Reads the pseudonym keys from the Secrets Manager secret that {@code PSEUDONYM_KEY_SECRET} names, once, in the
 * composition root of a process that writes markers (the ingest function's init, before the SnapStart snapshot; the
 * operator commands). Each of {@code PSEUDONYM_KEY_STAGES} is one version of the secret, the current key's first.
 * Fails closed: a deployed store without the setting, or a key that cannot be read, stops the process at init with a
 * message naming the setting (never the value). Secrets Manager's SDK module adds about 0.7 MB to the ingest jar,
 * where SSM's adds 6 MB (docs/performance.md); the query function does not carry it (an optional dependency of shared).
 */
public final class PseudonymKeySecret {

    /** The stage a secret's first version has: what template.yaml's generated secret starts with. */
    public static final String CURRENT_STAGE = "AWSCURRENT";
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);

    private PseudonymKeySecret() {
    }

    /**
     * The store settings in the environment, with the pseudonym keys the secret holds; for a store on this machine
     * without a secret named, the local key.
     *
     * @throws IllegalStateException when no key can be had: the message names the setting to fix
     */
    public static StoreSettings settingsFromEnvironment(Map<String, String> environment) {
        StoreSettings settings = StoreSettings.fromEnvironment(environment);
        String secret = environment.getOrDefault(StoreSettings.PSEUDONYM_KEY_SECRET, "").strip();
        if (secret.isEmpty()) {
            if (settings.pseudonymKeys().isEmpty()) {
                throw new IllegalStateException("environment variable " + StoreSettings.PSEUDONYM_KEY_SECRET + " is not set: a store"
                        + " that is not on this machine needs the Secrets Manager secret of its pseudonym keys (docs/deployment.md)");
            }
            return settings;
        }
        return settings.withPseudonymKeys(read(settings.region(), Optional.empty(), secret, stages(environment)));
    }

    /** Each stage's key, in the order given. */
    static List<Pseudonyms> read(String region, Optional<URI> endpoint, String secret, List<String> stages) {
        var builder = SecretsManagerClient.builder()
                .region(Region.of(region))
                .credentialsProvider(DefaultCredentialsProvider.builder().build())
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(DynamoDbClients.CONNECT_TIMEOUT).socketTimeout(CALL_TIMEOUT))
                .overrideConfiguration(c -> c.apiCallTimeout(CALL_TIMEOUT));
        endpoint.ifPresent(builder::endpointOverride);
        List<Pseudonyms> keys = new ArrayList<>();
        try (SecretsManagerClient client = builder.build()) {
            for (String stage : stages) {
                try {
                    keys.add(new Pseudonyms(client.getSecretValue(b -> b.secretId(secret).versionStage(stage)).secretString()));
                } catch (AwsServiceException e) {
                    throw unreadable(secret, stage, e.awsErrorDetails().errorCode());
                } catch (SdkException e) {
                    throw unreadable(secret, stage, e.getClass().getSimpleName());
                } catch (IllegalArgumentException e) {
                    throw unreadable(secret, stage, e.getMessage());
                }
            }
        }
        return keys;
    }

    /** {@code PSEUDONYM_KEY_STAGES}, or the secret's current version alone. */
    static List<String> stages(Map<String, String> environment) {
        String raw = environment.getOrDefault(StoreSettings.PSEUDONYM_KEY_STAGES, "");
        List<String> stages = Arrays.stream(raw.split(",")).map(String::strip).filter(stage -> !stage.isEmpty()).distinct().toList();
        return stages.isEmpty() ? List.of(CURRENT_STAGE) : stages;
    }

    private static IllegalStateException unreadable(String secret, String stage, String why) {
        return new IllegalStateException("cannot read pseudonym key stage " + stage + " of secret " + secret + " ("
                + StoreSettings.PSEUDONYM_KEY_SECRET + ", " + StoreSettings.PSEUDONYM_KEY_STAGES + "): " + why, null);
    }
}
